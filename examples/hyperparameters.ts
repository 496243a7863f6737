/**
 * The course's conclusion: once backpropagation works, what is left is choosing
 *
 *     α       the size of a learning step,
 *     λ       the weight of the regularisation (W ← W − (α/k) Σ ΔW − λW),
 *     k       the size of the batches,
 *     epochs  how many passes over the (shuffled) training set.
 *
 * One problem (three spirals, a 2-32-32-3 relu/softmax network) and one baseline; each block of
 * the table changes a single hyperparameter and keeps the others at the baseline, from the same
 * starting weights.
 *
 *     npx tsx examples/hyperparameters.ts [--quick]
 */
import { Network } from '../src/index.js';
import { spirals } from './data.js';
import { printResult, quick, round } from './progress.js';

const train = spirals({ perClass: 60, noise: 0.2, seed: 11 });
const validation = spirals({ perClass: 200, noise: 0.2, seed: 12 });
const samples = train.labels.length;

interface Setting {
  readonly alpha: number;
  readonly lambda: number;
  readonly k: number;
  readonly epochs: number;
}
const baseline: Setting = { alpha: 0.1, lambda: 0, k: 10, epochs: quick ? 60 : 150 };

const sweeps: Array<{ name: keyof Setting; values: number[] }> = [
  { name: 'alpha', values: quick ? [0.01, 0.1, 5] : [0.001, 0.01, 0.1, 0.5, 5] },
  { name: 'lambda', values: quick ? [0, 0.01] : [0, 1e-4, 1e-3, 1e-2] },
  { name: 'k', values: quick ? [1, 10, samples] : [1, 10, 30, samples] },
  { name: 'epochs', values: quick ? [5, 60] : [5, 20, 50, 150, 400] },
];

interface Row extends Setting {
  steps: number;
  loss: number;
  trainAccuracy: number;
  validationAccuracy: number;
  ms: number;
}

function run(s: Setting): Row {
  const net = Network.create({
    input: 2,
    layers: [
      { units: 32, activation: 'relu' },
      { units: 32, activation: 'relu' },
      { units: 3, activation: 'softmax' },
    ],
    seed: 1,
  });
  const start = performance.now();
  const last = net.fit(train.x, train.y, {
    learningRate: s.alpha,
    weightDecay: s.lambda,
    batchSize: s.k,
    epochs: s.epochs,
    seed: 1,
    validation: { x: validation.x, y: validation.y },
  }).epochs.at(-1)!;
  return {
    ...s,
    steps: s.epochs * Math.ceil(samples / s.k), // one SGD step per batch
    loss: last.loss,
    trainAccuracy: last.accuracy!,
    validationAccuracy: last.validationAccuracy!,
    ms: performance.now() - start,
  };
}

const label: Record<keyof Setting, string> = { alpha: 'α', lambda: 'λ', k: 'k', epochs: 'epochs' };
console.log(`Three spirals, ${samples} training and ${validation.labels.length} validation points, 2-32-32-3 relu/softmax.`);
console.log(`Baseline: α = ${baseline.alpha}, λ = ${baseline.lambda}, k = ${baseline.k}, ${baseline.epochs} epochs.\n`);
console.log('   changed         α       λ     k  epochs    steps   train loss  train acc  val acc    time');

const rows: Row[] = [];
for (const sweep of sweeps) {
  for (const value of sweep.values) {
    const row = run({ ...baseline, [sweep.name]: value });
    rows.push(row);
    const figures =
      `${row.loss.toFixed(4).padStart(10)}  ${row.trainAccuracy.toFixed(3).padStart(9)}  ${row.validationAccuracy.toFixed(3).padStart(7)}`;
    console.log(
      `  ${`${label[sweep.name]} = ${value}`.padEnd(12)}  ${String(row.alpha).padStart(6)}  ${String(row.lambda).padStart(6)}` +
        `  ${String(row.k).padStart(4)}  ${String(row.epochs).padStart(6)}  ${String(row.steps).padStart(7)}  ${figures}` +
        `  ${(row.ms / 1000).toFixed(2).padStart(5)} s${row.loss > Math.log(3) ? '  worse than guessing' : ''}`,
    );
  }
  console.log('');
}

console.log(`What the table says:
  α:       too small barely moves in the same number of steps; too large overshoots: the loss
           ends above ln 3 = ${Math.log(3).toFixed(4)}, the loss of guessing each class with probability ⅓.
  λ:       a little decay costs nothing here; a lot keeps the weights too small to fit the spirals.
  k:       with the epochs fixed, larger batches mean fewer (but smoother) steps; k = 1 takes the
           most steps and the most time per sample, k = ${samples} (the whole set) learns least.
  epochs:  more passes keep lowering the training loss; the validation accuracy is what says
           when more stops helping.`);

printResult({
  baseline,
  rows: rows.map((r) => ({
    alpha: r.alpha,
    lambda: r.lambda,
    k: r.k,
    epochs: r.epochs,
    steps: r.steps,
    loss: round(r.loss),
    trainAccuracy: round(r.trainAccuracy),
    validationAccuracy: round(r.validationAccuracy),
  })),
});
