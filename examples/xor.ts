/**
 * XOR: the smallest problem a network without a hidden layer cannot learn.
 *
 *     x₁ x₂ | y
 *      0  0 | 0
 *      0  1 | 1
 *      1  0 | 1
 *      1  1 | 0
 *
 * One sigmoid unit σ(w₁x₁ + w₂x₂ + b) separates the plane with a straight line, and no line puts
 * (0, 1) and (1, 0) on one side and (0, 0) and (1, 1) on the other. Two hidden tanh units are
 * enough: 2-2-1, nine parameters, trained with the course's loop (feed-forward, delta recursion,
 * W ← W − α·mean(ΔW)) on the binary cross-entropy of the course.
 *
 *     npx tsx examples/xor.ts [--quick]
 */
import { Network } from '../src/index.js';
import { printResult, quick, round } from './progress.js';

const x = [[0, 0], [0, 1], [1, 0], [1, 1]];
const y = [[0], [1], [1], [0]];
const epochs = quick ? 1000 : 2000;
const options = { loss: 'binaryCrossEntropy', learningRate: 1, batchSize: 4, epochs } as const;

function truthTable(net: Network, title: string): number[] {
  const z = Array.from(net.predict(x).data);
  console.log(`${title}\n  x₁ x₂ | y | network`);
  for (let i = 0; i < 4; i++) {
    const ok = (z[i]! >= 0.5 ? 1 : 0) === y[i]![0] ? '✓' : '✗';
    console.log(`   ${x[i]![0]}  ${x[i]![1]} | ${y[i]![0]} | ${z[i]!.toFixed(4)} ${ok}`);
  }
  return z;
}

// 1. No hidden layer: a single sigmoid unit (3 parameters).
const linear = Network.create({ input: 2, layers: [{ units: 1, activation: 'sigmoid' }], seed: 1 });
const linearFit = linear.fit(x, y, options).epochs.at(-1)!;
truthTable(linear, `Without a hidden layer, after ${epochs} epochs (loss ${linearFit.loss.toFixed(4)}; ln 2 = ${Math.LN2.toFixed(4)} is a coin toss):`);

// 2. One hidden layer of two tanh units.
const net = Network.create({
  input: 2,
  layers: [
    { units: 2, activation: 'tanh' },
    { units: 1, activation: 'sigmoid' },
  ],
  seed: 3,
});
console.log('');
truthTable(net, 'With two hidden tanh units (2-2-1), before training:');
console.log('');
const history = net.fit(x, y, {
  ...options,
  onEpoch: ({ epoch, loss, accuracy }) => {
    if (epoch === 1 || epoch % (epochs / 5) === 0) {
      console.log(`  epoch ${String(epoch).padStart(4)}  loss ${loss.toFixed(5)}  accuracy ${accuracy!.toFixed(2)}`);
    }
  },
});
console.log('');
const after = truthTable(net, 'After training:');
const final = history.epochs.at(-1)!;
const solved = after.every((z, i) => Math.abs(z - y[i]![0]!) < 0.1);
console.log(solved ? '\nXOR solved: every output is within 0.1 of its target.' : '\nXOR not solved.');

// 3. Two hidden units are the minimum, not a guarantee: some starting weights lead gradient
// descent into a local minimum where one input pattern stays at 0.5. Wider layers escape it.
const seeds = 10;
const solvedBySeeds: Record<string, number> = {};
for (const units of [2, 3, 4]) {
  let count = 0;
  for (let seed = 1; seed <= seeds; seed++) {
    const trial = Network.create({ input: 2, layers: [{ units, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], seed });
    trial.fit(x, y, { ...options, epochs: 1000 });
    if (Array.from(trial.predict(x).data).every((z, i) => Math.abs(z - y[i]![0]!) < 0.1)) count++;
  }
  solvedBySeeds[units] = count;
}
console.log(`\nOut of ${seeds} seeds, XOR is solved in 1000 epochs by: ` +
  Object.entries(solvedBySeeds).map(([u, c]) => `${c} with ${u} hidden units`).join(', ') + '.');

printResult({
  solved,
  loss: round(final.loss, 6),
  accuracy: final.accuracy,
  outputs: after.map((z) => round(z)),
  linearLoss: linearFit.loss,
  linearAccuracy: linearFit.accuracy,
  solvedBySeeds,
});
