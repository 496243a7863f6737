/**
 * The MNIST digits of the `mnist` devDependency as deltaprop matrices, split deterministically.
 *
 * The package ships 10,000 handwritten digits (28 × 28 grey levels in [0, 1], about 1,000 per class).
 * Its own `mnist.set()` draws with Math.random, so every run would see different data; here the
 * digits are listed class by class in the package's order, shuffled once with deltaprop's seeded
 * Random, and cut into a training part (the first `train` digits) and a test part (the last `test`
 * digits). The same seed gives the same split on every machine, and a smaller `train` or `test`
 * only takes fewer digits from the same two ends, so the test digits never leak into training.
 */
import { createRequire } from 'node:module';
import { Matrix, oneHot, Random } from '../src/index.js';

/** Side of a digit image, in pixels. */
export const SIDE = 28;
/** Values per digit (28 × 28). */
export const PIXELS = SIDE * SIDE;
/** Number of digits the package ships. */
export const TOTAL = 10_000;
/** The seed of the standard split (shared by the examples and the benchmarks). */
export const DEFAULT_SEED = 1;

export interface DigitsOptions {
  /** Seed of the shuffle. @default DEFAULT_SEED */
  readonly seed?: number;
  /** Training digits, taken from the start of the shuffled list. @default 8000 */
  readonly train?: number;
  /** Test digits, taken from the end of the shuffled list. @default 2000 */
  readonly test?: number;
}

export interface Digits {
  /** train × 784 pixels, one digit per row. */
  readonly trainX: Matrix;
  /** train × 10 one-hot labels. */
  readonly trainY: Matrix;
  readonly trainLabels: Uint8Array;
  /** test × 784 pixels. */
  readonly testX: Matrix;
  /** test × 10 one-hot labels. */
  readonly testY: Matrix;
  readonly testLabels: Uint8Array;
}

/** What the package exports: one entry per class, holding its digits end to end in `raw`. */
interface PackageDigit {
  readonly id: number;
  readonly length: number;
  readonly raw: readonly number[];
}

export function loadDigits(options: DigitsOptions = {}): Digits {
  const { seed = DEFAULT_SEED, train = 8000, test = 2000 } = options;
  if (!Number.isInteger(train) || !Number.isInteger(test) || train < 1 || test < 1 || train + test > TOTAL) {
    throw new Error(`loadDigits: need 1 ≤ train, 1 ≤ test and train + test ≤ ${TOTAL}, got train ${train}, test ${test}`);
  }
  const classes = createRequire(import.meta.url)('mnist') as readonly PackageDigit[];

  // Every digit as (class, index within its class), in the package's order.
  const where: Array<{ label: number; raw: readonly number[]; index: number }> = [];
  for (let label = 0; label < 10; label++) {
    const digit = classes[label]!;
    for (let i = 0; i < digit.length; i++) where.push({ label, raw: digit.raw, index: i });
  }
  if (where.length !== TOTAL) throw new Error(`loadDigits: expected ${TOTAL} digits in the mnist package, found ${where.length}`);

  const order = new Uint32Array(TOTAL);
  for (let i = 0; i < TOTAL; i++) order[i] = i;
  new Random(seed).shuffle(order);

  const take = (from: number, count: number): { x: Matrix; y: Matrix; labels: Uint8Array } => {
    const x = new Matrix(count, PIXELS);
    const labels = new Uint8Array(count);
    for (let r = 0; r < count; r++) {
      const d = where[order[from + r]!]!;
      const start = d.index * PIXELS;
      for (let p = 0; p < PIXELS; p++) x.data[r * PIXELS + p] = d.raw[start + p]!;
      labels[r] = d.label;
    }
    return { x, y: oneHot(labels, 10), labels };
  };
  const tr = take(0, train);
  const te = take(TOTAL - test, test);
  return { trainX: tr.x, trainY: tr.y, trainLabels: tr.labels, testX: te.x, testY: te.y, testLabels: te.labels };
}
