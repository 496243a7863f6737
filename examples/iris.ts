/**
 * The ordinary tabular workflow on the real Iris data (Fisher, 1936): raw measurements in
 * centimetres and string labels in, answers with names out. The network standardises its inputs
 * itself, a stratified seeded split keeps a test set aside, early stopping watches a validation
 * split, and `evaluate` prints the confusion matrix and the per-class table.
 *
 *     npx tsx examples/iris.ts [--quick]
 */
import { earlyStopping, Network, trainTestSplit } from '../src/index.js';
import { FEATURES, loadIris, SPECIES } from './iris-data.js';
import { printResult, quick, round } from './progress.js';

const { x, labels } = loadIris();
const { train, test } = trainTestSplit(x, labels, { testFraction: 0.3, seed: 7 });

const net = Network.create({
  input: 4,
  layers: [{ units: 12, activation: 'tanh', dropout: 0.1 }, { units: 3, activation: 'softmax' }],
  inputScaling: 'standard',
  classes: SPECIES,
  seed: 3,
});
console.log(net.summary());

const history = net.fit(train.x, train.y, {
  optimizer: 'adam',
  learningRate: 0.02,
  batchSize: 16,
  epochs: quick ? 150 : 400,
  seed: 1,
  validationSplit: 0.2,
  callbacks: [earlyStopping({ monitor: 'validationLoss', patience: 40, restoreBest: true })],
});
const last = history.epochs[history.epochs.length - 1]!;
console.log(`\ntrained ${history.epochs.length} epochs${history.stoppedEarly ? ' (stopped early)' : ''}; loss ${round(last.loss)}, validation loss ${round(last.validationLoss!)}`);
for (const w of history.warnings) console.log(`warning: ${w}`);
console.log(`statistics: mean ${Array.from(net.inputScaling!.shift, (v) => round(v, 3)).join(', ')} (${FEATURES.join(', ')})`);

const report = net.evaluate(test.x, test.y);
if (!('confusion' in report)) throw new Error('a classifier report was expected');
const pad = (s: string | number, n: number): string => String(s).padStart(n);
console.log(`\ntest set: ${test.y.length} flowers, accuracy ${round(report.accuracy)}, macro-F1 ${round(report.macroF1)}`);
console.log(`\nconfusion (rows: true species, columns: predicted)\n${pad('', 12)}${SPECIES.map((s) => pad(s, 12)).join('')}`);
report.confusion.forEach((row, t) => console.log(`${pad(SPECIES[t]!, 12)}${row.map((v) => pad(v, 12)).join('')}`));
console.log(`\n${pad('class', 12)}${pad('precision', 11)}${pad('recall', 9)}${pad('f1', 9)}${pad('support', 9)}`);
for (const c of report.perClass) {
  console.log(`${pad(String(c.label), 12)}${pad(round(c.precision, 3), 11)}${pad(round(c.recall, 3), 9)}${pad(round(c.f1, 3), 9)}${pad(c.support, 9)}`);
}

// Save (the scaling statistics and the class names travel with the weights) and reload.
const saved = JSON.stringify(net.toJSON());
const again = Network.fromJSON(saved);
const reloadIdentical = again.predict(test.x).data.every((v, i) => Object.is(v, net.predict(test.x).data[i]));

console.log('\na few flowers, in centimetres:');
const flowers = [[5.1, 3.5, 1.4, 0.2], [6.0, 2.7, 5.1, 1.6], [6.9, 3.1, 5.4, 2.1]];
for (const f of flowers) {
  const c = again.classify(f);
  console.log(`  ${f.join(', ')} → ${c.label} (p = ${round(c.probability, 3)})`);
}

printResult({
  epochs: history.epochs.length,
  stoppedEarly: history.stoppedEarly,
  testSize: test.y.length,
  accuracy: report.accuracy,
  macroF1: report.macroF1,
  confusion: report.confusion,
  reloadIdentical,
  classified: flowers.map((f) => again.classify(f).label),
  fileBytes: saved.length,
});
