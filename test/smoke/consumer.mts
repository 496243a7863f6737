// TypeScript consumer of the installed package, as ESM. test/package.test.ts type-checks it with
// `strict` under moduleResolution nodenext and bundler (skipLibCheck off, so the shipped .d.ts is
// checked too), then runs the emitted JavaScript. The .mts extension keeps it out of the repo's own
// tsconfig, where `deltaprop` does not resolve to an installed package.
import { DeltapropError, Matrix, Network, oneHot, type EpochStats, type FitOptions, type NetworkJSON } from 'deltaprop';

const x = [[0, 0], [0, 1], [1, 0], [1, 1]];
const labels = [0, 1, 1, 0];
const net: Network = Network.create({ input: 2, layers: [{ units: 8, activation: 'tanh' }, { units: 2, activation: 'softmax' }], seed: 1 });
const options: FitOptions = { learningRate: 0.5, batchSize: 4, epochs: 500, seed: 1 };
const history = net.fit(x, oneHot(labels, 2), options);
const last: EpochStats | undefined = history.epochs[history.epochs.length - 1];
const one: Float64Array = net.predict([0, 1]);
const batch: Matrix = net.predict(x);
const json: NetworkJSON = net.toJSON();

let misuse: unknown;
try {
  // @ts-expect-error units must be a number: this line fails to compile if the types were `any`.
  Network.create({ input: 2, layers: [{ units: '8' }] });
} catch (error) {
  misuse = error;
}

const argmax = (i: number): number => (batch.get(i, 1) > batch.get(i, 0) ? 1 : 0);
const ok =
  history.epochs.length === 500 &&
  last?.accuracy === 1 &&
  labels.every((label, i) => argmax(i) === label) &&
  one.length === 2 &&
  json.format === 'deltaprop-network' &&
  misuse instanceof DeltapropError;
if (!ok) throw new Error(`consumer (TypeScript, ESM) failed: accuracy ${last?.accuracy}, outputs ${JSON.stringify(batch.toArray())}`);
console.log(`consumer (TypeScript, ESM): ok, ${import.meta.resolve('deltaprop')}`);
