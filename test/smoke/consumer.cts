// TypeScript consumer of the installed package, as CommonJS: under moduleResolution nodenext this
// file resolves the `require` branch of the exports map (dist/index.d.cts and dist/index.cjs).
// test/package.test.ts type-checks it with `strict`, then runs the emitted consumer.cjs.
import { DeltapropError, Network, type EpochStats } from 'deltaprop';

const x = [[0, 0], [0, 1], [1, 0], [1, 1]];
const y = [[0], [1], [1], [0]];
const net = Network.create({ input: 2, layers: [{ units: 4, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], seed: 1 });
const history = net.fit(x, y, { learningRate: 0.5, batchSize: 4, epochs: 1000, seed: 1 });
const last: EpochStats | undefined = history.epochs[history.epochs.length - 1];
const z: Float64Array = net.predict([1, 0]);

let misuse: unknown;
try {
  // @ts-expect-error learningRate must be a number: this line fails to compile if the types were `any`.
  net.fit(x, y, { learningRate: 'fast' });
} catch (error) {
  misuse = error;
}

const ok = last?.accuracy === 1 && z.length === 1 && (z[0] ?? 0) > 0.5 && misuse instanceof DeltapropError;
if (!ok) throw new Error(`consumer (TypeScript, CJS) failed: accuracy ${last?.accuracy}, predict([1, 0]) = ${z[0]}`);
console.log(`consumer (TypeScript, CJS): ok, ${require.resolve('deltaprop')}`);
