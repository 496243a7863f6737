/**
 * Regression in real-world units: the price of a flat (in thousands) from its area (m²), rooms, age
 * and distance to the centre (examples/regression-data.ts). The features span 1 … 250 and the prices
 * the hundreds; the network scales both itself (`inputScaling`, `outputScaling`), trains on
 * standardised values, and `predict` and `evaluate` answer in thousands again. The same network
 * without scaling is trained beside it, for comparison (its history carries a warning saying why).
 *
 *     npx tsx examples/house-prices.ts [--quick]
 */
import { Network } from '../src/index.js';
import { FLAT_FEATURES, flatPrice, flats } from './regression-data.js';
import { printResult, quick, round } from './progress.js';

const train = flats(quick ? 400 : 1200, 1);
const test = flats(300, 2);
const options = { optimizer: 'adam', learningRate: 0.005, batchSize: 32, epochs: quick ? 60 : 200, seed: 1 } as const;

const make = (scaled: boolean): Network =>
  Network.create({
    input: 4,
    layers: [{ units: 24, activation: 'tanh' }, { units: 12, activation: 'tanh' }, { units: 1 }],
    ...(scaled ? { inputScaling: 'standard', outputScaling: 'standard' } : {}),
    seed: 5,
  });

const net = make(true);
const history = net.fit(train.x, train.y, options);
const report = net.evaluate(test.x, test.y);
if (!('mae' in report)) throw new Error('a regression report was expected');
console.log(net.summary());
console.log(`\nscaled: final training loss ${round(history.epochs.at(-1)!.loss)} (in standardised units)`);
console.log(`test set of ${test.y.length} flats, in thousands: MAE ${round(report.mae, 2)}, RMSE ${round(report.rmse, 2)}, R² ${round(report.r2)}`);

const plain = make(false);
const plainHistory = plain.fit(train.x, train.y, options);
const plainReport = plain.evaluate(test.x, test.y) as typeof report;
console.log(`\nunscaled, same architecture and training: MAE ${round(plainReport.mae, 2)}, RMSE ${round(plainReport.rmse, 2)}, R² ${round(plainReport.r2)}`);
for (const w of plainHistory.warnings) console.log(`warning: ${w}`);

console.log(`\na few flats (${FLAT_FEATURES.join(', ')}):`);
const examples = [[45, 2, 30, 3.5], [90, 4, 5, 12], [140, 6, 80, 25]];
for (const f of examples) {
  const price = net.predict(f)[0]!;
  console.log(`  ${f.join(', ')} → ${round(price, 1)} (noiseless formula: ${round(flatPrice(f[0]!, f[1]!, f[2]!, f[3]!), 1)})`);
}
const again = Network.fromJSON(JSON.stringify(net.toJSON()));
const reloadIdentical = again.predict(test.x).data.every((v, i) => Object.is(v, net.predict(test.x).data[i]));

printResult({
  mae: report.mae,
  rmse: report.rmse,
  r2: report.r2,
  unscaledR2: plainReport.r2,
  unscaledWarnings: plainHistory.warnings.length,
  scaledWarnings: history.warnings.length,
  noise: 10,
  targetSd: net.outputScaling!.divisor[0],
  reloadIdentical,
});
