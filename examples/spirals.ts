/**
 * Three interleaved spirals: a classification no straight line can do, learned by a 2-64-64-3
 * network with a softmax output and the categorical cross-entropy h(Z, Y) = −Σ Y log Z
 * (whose delta through the softmax is simply Z − Y).
 *
 * The network sees only 40 noisy points per arm; 300 other points per arm, never trained on, are
 * the validation data that tells whether it learned the spirals or memorised the 120 points.
 * Then the course's regularisation: every step also removes a fraction λ of each weight,
 *
 *     W ← W − (α/k) Σ ΔW − λ W        (biases are not decayed; λ is not multiplied by α)
 *
 * and a sweep over λ shows its effect on the weights and on the validation figures.
 *
 *     npx tsx examples/spirals.ts [--quick]
 */
import { Matrix, Network } from '../src/index.js';
import { spirals } from './data.js';
import { printResult, quick, round, secondsSince } from './progress.js';

const classes = 3;
const train = spirals({ classes, perClass: 40, noise: 0.3, seed: 1 });
const validation = spirals({ classes, perClass: 300, noise: 0.3, seed: 2 });
const epochs = quick ? 150 : 500;
const lambdas = quick ? [0, 1e-4, 3e-3] : [0, 1e-4, 1e-5, 3e-4, 1e-3, 3e-3];

function weightNorm(net: Network): number {
  let s = 0;
  for (const layer of net.layers) for (const w of layer.weights.data) s += w * w;
  return Math.sqrt(s);
}

interface Run {
  lambda: number;
  loss: number;
  trainAccuracy: number;
  validationLoss: number;
  validationAccuracy: number;
  weightNorm: number;
  seconds: number;
}

function run(lambda: number, verbose: boolean): { net: Network; result: Run } {
  const net = Network.create({
    input: 2,
    layers: [
      { units: 64, activation: 'relu' },
      { units: 64, activation: 'relu' },
      { units: classes, activation: 'softmax' },
    ],
    seed: 1, // every λ starts from the same weights
  });
  const start = performance.now();
  if (verbose) console.log(`λ = ${lambda}:\n  epoch   loss   accuracy   validation loss   validation accuracy`);
  const history = net.fit(train.x, train.y, {
    loss: 'categoricalCrossEntropy',
    learningRate: 0.1,
    weightDecay: lambda,
    batchSize: 10,
    epochs,
    seed: 1,
    validation: { x: validation.x, y: validation.y },
    onEpoch: (e) => {
      if (verbose && (e.epoch === 1 || e.epoch % (epochs / 5) === 0)) {
        console.log(
          `  ${String(e.epoch).padStart(5)}  ${e.loss.toFixed(4)}    ${e.accuracy!.toFixed(3)}` +
            `         ${e.validationLoss!.toFixed(4)}              ${e.validationAccuracy!.toFixed(3)}`,
        );
      }
    },
  });
  const last = history.epochs.at(-1)!;
  const result = {
    lambda,
    loss: last.loss,
    trainAccuracy: last.accuracy!,
    validationLoss: last.validationLoss!,
    validationAccuracy: last.validationAccuracy!,
    weightNorm: weightNorm(net),
    seconds: secondsSince(start),
  };
  if (verbose) console.log(`  ‖W‖ = ${result.weightNorm.toFixed(2)}, ${result.seconds.toFixed(1)} s\n`);
  return { net, result };
}

/** The plane as text: the class the network predicts everywhere, with the training points on top. */
function drawRegions(net: Network): string {
  const width = 56, height = 24;
  const grid = new Matrix(width * height, 2);
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      grid.data[2 * (r * width + c)] = -1.1 + (2.2 * c) / (width - 1);
      grid.data[2 * (r * width + c) + 1] = 1.1 - (2.2 * r) / (height - 1);
    }
  }
  const p = net.predict(grid).data;
  const region = [' ', '·', ':'];
  const rows: string[][] = [];
  for (let r = 0; r < height; r++) {
    const row: string[] = [];
    for (let c = 0; c < width; c++) {
      const i = r * width + c;
      let best = 0;
      for (let k = 1; k < classes; k++) if (p[i * classes + k]! > p[i * classes + best]!) best = k;
      row.push(region[best]!);
    }
    rows.push(row);
  }
  for (let i = 0; i < train.labels.length; i++) {
    const c = Math.round(((train.x.data[2 * i]! + 1.1) / 2.2) * (width - 1));
    const r = Math.round(((1.1 - train.x.data[2 * i + 1]!) / 2.2) * (height - 1));
    rows[r]![c] = 'ABC'[train.labels[i]!]!;
  }
  return rows.map((row) => `  |${row.join('')}|`).join('\n');
}

console.log(`${classes} spirals: ${train.labels.length} training points, ${validation.labels.length} validation points; ` +
  `2-64-64-3 relu/softmax, α = 0.1, k = 10, ${epochs} epochs\n`);

const runs: Run[] = [];
let plain: Network | undefined;
for (const [i, lambda] of lambdas.entries()) {
  const { net, result } = run(lambda, i < 2);
  if (lambda === 0) plain = net;
  runs.push(result);
}

console.log('Decision regions without weight decay (A B C: training points; blank · : the predicted class):');
console.log(drawRegions(plain!));

runs.sort((a, b) => a.lambda - b.lambda);
console.log('\nThe effect of λ (same data, same starting weights, same order of batches):');
console.log('        λ   train acc   val acc   val loss    ‖W‖');
for (const r of runs) {
  console.log(
    `  ${String(r.lambda).padStart(7)}     ${r.trainAccuracy.toFixed(3)}     ${r.validationAccuracy.toFixed(3)}    ` +
      `${r.validationLoss.toFixed(4)}   ${r.weightNorm.toFixed(2).padStart(6)}`,
  );
}
const none = runs[0]!, most = runs.at(-1)!;
const bestAccuracy = runs.reduce((a, b) => (b.validationAccuracy > a.validationAccuracy ? b : a));
const bestLoss = runs.reduce((a, b) => (b.validationLoss < a.validationLoss ? b : a));
console.log(`
Weight decay shrinks the weights: ‖W‖ goes from ${none.weightNorm.toFixed(2)} (λ = 0) to ${most.weightNorm.toFixed(2)} (λ = ${most.lambda}).
Best validation accuracy at λ = ${bestAccuracy.lambda} (${bestAccuracy.validationAccuracy.toFixed(3)}), ` +
  `lowest validation loss at λ = ${bestLoss.lambda} (${bestLoss.validationLoss.toFixed(4)}).
A little decay can temper the network's confidence away from its training points (a lower
validation loss) at almost no cost in accuracy; too much leaves too small a budget of weights to
wind around the spirals, and both accuracies collapse. λ acts once per step, so its strength
grows with the number of steps (here ${Math.ceil(train.labels.length / 10) * epochs}).`);

printResult({
  validationAccuracy: round(runs.find((r) => r.lambda === 0)!.validationAccuracy),
  runs: runs.map((r) => ({
    lambda: r.lambda,
    trainAccuracy: round(r.trainAccuracy),
    validationAccuracy: round(r.validationAccuracy),
    validationLoss: round(r.validationLoss),
    weightNorm: round(r.weightNorm),
  })),
});
