/**
 * Regression with the course's two distances:
 *
 *     L2: h(Z, Y) = ½‖Z − Y‖²₂        ∇h = Z − Y
 *     L1: h(Z, Y) = ‖Z − Y‖₁           ∇h = sign(Z − Y)
 *
 * A 1-32-32-1 tanh network (identity output) learns y = sin(x) from noisy samples. Then a fifth of
 * the training targets are replaced by outliers (a faulty sensor reading 3 too high). Under L2 each
 * outlier pulls with a force proportional to its error, so the fit drifts towards the mean of the
 * data; under L1 every point pulls with the same force ±1, so the fit follows the median and
 * ignores the outliers. Both fits are scored on clean points of sin(x).
 *
 *     npx tsx examples/regression.ts [--quick]
 */
import { type LossName, Matrix, Network, Random } from '../src/index.js';
import { gaussian } from './data.js';
import { printResult, quick, round, secondsSince } from './progress.js';

const samples = 200;
const epochs = quick ? 200 : 500;
const random = new Random(1);

// Training data: x uniform in [−π, π], y = sin(x) + noise of standard deviation 0.1.
const x = new Matrix(samples, 1);
const y = new Matrix(samples, 1);
for (let i = 0; i < samples; i++) {
  x.data[i] = random.uniform(-Math.PI, Math.PI);
  y.data[i] = Math.sin(x.data[i]!) + 0.1 * gaussian(random);
}
// The same data with outliers: about one target in five reads 3 too high.
const withOutliers = y.clone();
let outliers = 0;
for (let i = 0; i < samples; i++) {
  if (random.next() < 0.2) {
    withOutliers.data[i]! += 3;
    outliers++;
  }
}
// Clean test points on a grid: the curve the fits should recover.
const grid = 201;
const testX = new Matrix(grid, 1);
for (let i = 0; i < grid; i++) testX.data[i] = -Math.PI + (2 * Math.PI * i) / (grid - 1);

/** Root-mean-square and mean signed error against sin(x) on the clean grid. */
function score(net: Network): { rmse: number; bias: number } {
  const z = net.predict(testX).data;
  let squares = 0, sum = 0;
  for (let i = 0; i < grid; i++) {
    const e = z[i]! - Math.sin(testX.data[i]!);
    squares += e * e;
    sum += e;
  }
  return { rmse: Math.sqrt(squares / grid), bias: sum / grid };
}

function train(title: string, targets: Matrix, loss: LossName): Network {
  const net = Network.create({
    input: 1,
    layers: [
      { units: 32, activation: 'tanh' },
      { units: 32, activation: 'tanh' },
      { units: 1 }, // identity output: any real value
    ],
    seed: 1, // the same starting weights for every fit
  });
  const start = performance.now();
  process.stdout.write(`${title}\n  training loss (${loss}) every ${epochs / 5} epochs:`);
  net.fit(x, targets, {
    loss,
    learningRate: 0.05,
    batchSize: 10,
    epochs,
    seed: 1,
    onEpoch: ({ epoch, loss: value }) => {
      if (epoch % (epochs / 5) === 0) process.stdout.write(` ${value.toFixed(4)}`);
    },
  });
  const { rmse, bias } = score(net);
  console.log(`\n  on clean sin(x): RMSE ${rmse.toFixed(4)}, mean offset ${bias >= 0 ? '+' : ''}${bias.toFixed(4)}  (${secondsSince(start).toFixed(1)} s)\n`);
  return net;
}

console.log(`${samples} samples of sin(x) + noise (σ = 0.1), ${epochs} epochs of SGD, α = 0.05, batches of 10\n`);
const clean = train('1. Noisy sine, L2', y, 'l2');
console.log(`Now ${outliers} of the ${samples} targets (${((100 * outliers) / samples).toFixed(0)}%) read 3 too high.\n`);
const l2 = train('2. With outliers, L2', withOutliers, 'l2');
const l1 = train('3. With outliers, L1', withOutliers, 'l1');

// A text plot of the two fits on the outlier data: '·' the true sin(x), '2' the L2 fit, '1' the L1 fit.
const width = 64, height = 17, top = 2, bottom = -1.5;
const rows = Array.from({ length: height }, () => Array<string>(width).fill(' '));
const put = (u: number, v: number, c: string): void => {
  const col = Math.round(((u + Math.PI) / (2 * Math.PI)) * (width - 1));
  const row = Math.round(((top - v) / (top - bottom)) * (height - 1));
  if (row >= 0 && row < height) rows[row]![col] = c;
};
const columns = new Matrix(width, 1);
for (let c = 0; c < width; c++) columns.data[c] = -Math.PI + (2 * Math.PI * c) / (width - 1);
const z2 = l2.predict(columns).data, z1 = l1.predict(columns).data;
for (let c = 0; c < width; c++) {
  const u = columns.data[c]!;
  put(u, Math.sin(u), '·');
  put(u, z2[c]!, '2');
  put(u, z1[c]!, '1');
}
console.log(`The fits on the outlier data, x from −π to π, y from ${bottom} to ${top} (· is sin x):`);
console.log(rows.map((r) => `  |${r.join('')}`).join('\n'));

const sClean = score(clean), s2 = score(l2), s1 = score(l1);
console.log(`
Test RMSE against the clean curve: noise only, L2 ${sClean.rmse.toFixed(4)}; with outliers, L2 ${s2.rmse.toFixed(4)}, L1 ${s1.rmse.toFixed(4)}.
L2 follows the mean, so the outliers lift the whole curve by about ${s2.bias.toFixed(2)}; L1 follows the median and
stays on sin(x): the choice of distance decides what "error" means.`);

printResult({
  outliers,
  cleanL2: { rmse: round(sClean.rmse), bias: round(sClean.bias) },
  outliersL2: { rmse: round(s2.rmse), bias: round(s2.bias) },
  outliersL1: { rmse: round(s1.rmse), bias: round(s1.bias) },
});
