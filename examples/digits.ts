/**
 * Handwritten digits: 8,000 MNIST digits of 28 × 28 grey levels to learn from, 2,000 others to test
 * on, and a 784-128-10 network: 784 pixels in, 128 relu units, 10 softmax outputs (one probability
 * per digit), trained on the categorical cross-entropy with mini-batch SGD, k = 32, by a Trainer
 * whose schedule lowers α from 0.3 to 0.03.
 *
 * Then a few test digits drawn as text beside the network's answer, and the trained model saved as
 * JSON and read back, giving the same predictions to the last bit.
 *
 *     npx tsx examples/digits.ts [--quick] [--out=DIR]      (also: npm run demo)
 *
 * --quick uses 4,000 training and 1,000 test digits and 4 epochs; the model is written to
 * examples/out/ (git-ignored) unless --out names another directory.
 */
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Matrix, Network, sgd } from '../src/index.js';
import { loadDigits, PIXELS, SIDE } from './mnist-data.js';
import { bar, finish, printResult, quick, redraw, round, secondsSince } from './progress.js';

const started = performance.now();
const trainCount = quick ? 4000 : 8000;
const testCount = quick ? 1000 : 2000;
// α per epoch: large steps while far from a minimum, smaller ones to settle into it.
const schedule = quick ? [0.3, 0.3, 0.1, 0.03] : [0.3, 0.3, 0.3, 0.3, 0.1, 0.1, 0.1, 0.03, 0.03, 0.03];
const batchSize = 32;
const outArg = process.argv.find((a) => a.startsWith('--out='));
const outDir = outArg !== undefined ? outArg.slice('--out='.length) : join(dirname(fileURLToPath(import.meta.url)), 'out');

// 1. The data: the same deterministic split on every run (see mnist-data.ts).
const data = loadDigits({ train: trainCount, test: testCount });
console.log(`${trainCount} training and ${testCount} test digits loaded in ${secondsSince(started).toFixed(1)} s`);

// 2. The network.
const net = Network.create({
  input: PIXELS,
  layers: [
    { units: 128, activation: 'relu' }, // He initialisation (the default for relu)
    { units: 10, activation: 'softmax' }, // Glorot
  ],
  seed: 1,
});
console.log(`784-128-10 relu/softmax: ${net.parameterCount.toLocaleString('en')} parameters; ` +
  `${schedule.length} epochs, batches of ${batchSize}, α ${[...new Set(schedule)].join(' → ')}\n`);

/** Fraction of rows whose largest output is at the true label. */
function accuracy(outputs: Matrix, labels: Uint8Array): number {
  let hits = 0;
  for (let i = 0; i < outputs.rows; i++) if (argmax(outputs.data, i * 10) === labels[i]) hits++;
  return hits / outputs.rows;
}
function argmax(values: Float64Array, offset: number): number {
  let best = 0;
  for (let j = 1; j < 10; j++) if (values[offset + j]! > values[offset + best]!) best = j;
  return best;
}

// 3. Training: one Trainer runs every epoch. The α of each epoch is a schedule (a multiplier of the
// optimizer's α = 0.3); onBatch redraws the progress bar every 25 batches, onEpoch scores the test set.
const alpha0 = schedule[0]!;
const batchesPerEpoch = Math.ceil(trainCount / batchSize);
let trainAccuracy = 0;
let testAccuracy = 0;
let samplesPerSecond = 0;
let trainingSeconds = 0;
let epochStarted = performance.now();
let lossSum = 0;
const status = (epoch: number, batch: number): string => {
  const seen = Math.min(batch * batchSize, trainCount);
  const seconds = secondsSince(epochStarted);
  return `epoch ${String(epoch).padStart(2)}/${schedule.length} ${bar(seen / trainCount)} ${String(seen).padStart(5)}/${trainCount}` +
    `  ${Math.round(seen / Math.max(seconds, 1e-9)).toLocaleString('en').padStart(6)} samples/s  loss ${(lossSum / Math.max(batch, 1)).toFixed(4)}`;
};
const trainer = net.trainer(data.trainX, data.trainY, {
  optimizer: sgd({ learningRate: alpha0 }),
  schedule: (_batch, epoch) => schedule[epoch]! / alpha0,
  batchSize,
  epochs: schedule.length,
  seed: 1,
  onBatch: ({ epoch, batch, loss }) => {
    lossSum += loss;
    if (batch === batchesPerEpoch) {
      const seconds = secondsSince(epochStarted);
      trainingSeconds += seconds;
      samplesPerSecond = trainCount / seconds;
    }
    if (batch % 25 === 0 || batch === batchesPerEpoch) redraw(status(epoch, batch));
  },
  onEpoch: (stats) => {
    trainAccuracy = stats.accuracy!;
    testAccuracy = accuracy(net.predict(data.testX), data.testLabels);
    finish(`${status(stats.epoch, batchesPerEpoch)}  accuracy ${(100 * trainAccuracy).toFixed(1)}%  test ${(100 * testAccuracy).toFixed(1)}%  (α ${schedule[stats.epoch - 1]})`);
    epochStarted = performance.now();
    lossSum = 0;
  },
});
trainer.run();

console.log(`\nTest accuracy: ${(100 * testAccuracy).toFixed(2)}% of ${testCount} digits never seen in training ` +
  `(${trainingSeconds.toFixed(1)} s of training)`);

// Per digit: which ones are hardest?
const outputs = net.predict(data.testX);
const perDigit: number[] = [];
for (let d = 0; d < 10; d++) {
  let n = 0, hits = 0;
  for (let i = 0; i < testCount; i++) {
    if (data.testLabels[i] !== d) continue;
    n++;
    if (argmax(outputs.data, i * 10) === d) hits++;
  }
  perDigit.push(hits / n);
}
console.log(`Per digit: ${perDigit.map((a, d) => `${d}: ${(100 * a).toFixed(0)}%`).join('  ')}\n`);

// 4. A few test digits drawn as text, with the network's answer: the 2-pixel border (always blank
// in MNIST) is left out, and since a character is about twice as tall as it is wide, each line
// averages two pixel rows.
const shades = ' .:-=+*#%@';
const border = 2;
function drawDigits(indices: number[]): void {
  const width = SIDE - 2 * border;
  const labels = indices.map((i) => {
    const p = argmax(outputs.data, i * 10);
    const mark = p === data.testLabels[i] ? '' : ' ✗';
    return `${data.testLabels[i]} → ${p} (${(100 * outputs.data[i * 10 + p]!).toFixed(0)}%)${mark}`.padEnd(width);
  });
  const lines = [labels.join('   ')];
  for (let r = border; r < SIDE - border; r += 2) {
    const parts = indices.map((i) => {
      let s = '';
      for (let c = border; c < SIDE - border; c++) {
        const top = data.testX.data[i * PIXELS + r * SIDE + c]!;
        const bottom = data.testX.data[i * PIXELS + (r + 1) * SIDE + c]!;
        s += shades[Math.min(shades.length - 1, Math.floor(((top + bottom) / 2) * shades.length))];
      }
      return s;
    });
    lines.push(parts.join('   '));
  }
  console.log(lines.join('\n'));
}
const wrong = Array.from({ length: testCount }, (_, i) => i).filter((i) => argmax(outputs.data, i * 10) !== data.testLabels[i]);
console.log('The first test digits (true label → predicted, with its probability):');
drawDigits([0, 1, 2]);
if (wrong.length > 0) {
  console.log(`\nAnd the first of the ${wrong.length} it gets wrong:`);
  drawDigits(wrong.slice(0, 3));
}

// 5. Save the model as JSON, read it back, and compare every output bit for bit.
mkdirSync(outDir, { recursive: true });
const file = join(outDir, quick ? 'digits-model-quick.json' : 'digits-model.json');
writeFileSync(file, JSON.stringify(net.toJSON()));
const reloaded = Network.fromJSON(readFileSync(file, 'utf8'));
const again = reloaded.predict(data.testX);
let identical = again.data.length === outputs.data.length;
for (let i = 0; identical && i < outputs.data.length; i++) identical = Object.is(again.data[i], outputs.data[i]);
const shown = file.startsWith(process.cwd()) ? relative(process.cwd(), file) : file;
console.log(`\nSaved to ${shown} (${(statSync(file).size / 1e6).toFixed(1)} MB) and reloaded with Network.fromJSON: ` +
  `${identical ? 'all' : 'NOT all'} ${outputs.data.length.toLocaleString('en')} test outputs identical to the bit.`);
console.log(`Total ${secondsSince(started).toFixed(1)} s.`);

printResult({
  testAccuracy: round(testAccuracy),
  trainAccuracy: round(trainAccuracy),
  perDigit: perDigit.map((a) => round(a)),
  trainSamples: trainCount,
  testSamples: testCount,
  epochs: schedule.length,
  samplesPerSecond: Math.round(samplesPerSecond),
  trainingSeconds: round(trainingSeconds, 1),
  identicalAfterReload: identical,
  modelFile: file,
});
