// The data of the standard benchmark workload: the 10,000 MNIST digits of the `mnist` 1.1.0
// package, in one fixed split shared by every benchmark (bench/train.mjs and every library of
// bench/compare).
//
// The package stores each class as one flat array `digits/<d>.json` → { data: [...] } of
// 784 pixel values in [0, 1] per image (28 × 28, row-major). We list all 10,000 images class by
// class (0s first, in file order), shuffle that list once with deltaprop's Random(SPLIT_SEED),
// and take the first 8,000 for training and the last 2,000 for test. `mnist.set()` is not used:
// it draws with Math.random.
import { createRequire } from 'node:module';
import { Random } from './deltaprop.mjs';

export const SPLIT_SEED = 1;
export const PIXELS = 784;
export const CLASSES = 10;
export const TRAIN = 8000;
export const TEST = 2000;

/**
 * Returns { train, test }, each { x: Float64Array (n × 784, row-major), labels: Uint8Array (n) },
 * plus `seed`. Same bits on every call and in every process.
 */
export function loadMnistSplit(seed = SPLIT_SEED) {
  const require = createRequire(import.meta.url);
  const images = [];
  const labels = [];
  for (let d = 0; d < CLASSES; d++) {
    const raw = require(`mnist/src/digits/${d}.json`).data;
    const count = Math.floor(raw.length / PIXELS);
    for (let i = 0; i < count; i++) {
      images.push(raw.slice(i * PIXELS, (i + 1) * PIXELS));
      labels.push(d);
    }
  }
  if (images.length !== TRAIN + TEST) throw new Error(`expected ${TRAIN + TEST} digits, found ${images.length}`);
  const order = new Uint32Array(images.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  new Random(seed).shuffle(order);
  const part = (from, to) => {
    const n = to - from;
    const x = new Float64Array(n * PIXELS);
    const y = new Uint8Array(n);
    for (let r = 0; r < n; r++) {
      const i = order[from + r];
      x.set(images[i], r * PIXELS);
      y[r] = labels[i];
    }
    return { x, labels: y };
  };
  return { seed, train: part(0, TRAIN), test: part(TRAIN, TRAIN + TEST) };
}

/** One-hot rows (n × 10) as a flat array of the given type (Float64Array or Float32Array). */
export function oneHotFlat(labels, Type = Float64Array) {
  const out = new Type(labels.length * CLASSES);
  for (let i = 0; i < labels.length; i++) out[i * CLASSES + labels[i]] = 1;
  return out;
}

/** Fraction of rows of `scores` (n × 10, flat) whose argmax is the label. */
export function accuracy(scores, labels) {
  let hits = 0;
  for (let i = 0; i < labels.length; i++) {
    let best = 0;
    for (let j = 1; j < CLASSES; j++) if (scores[i * CLASSES + j] > scores[i * CLASSES + best]) best = j;
    if (best === labels[i]) hits++;
  }
  return hits / labels.length;
}

/** Median of a list of numbers. */
export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The standard workload's fixed parameters, for every library. */
export const WORKLOAD = Object.freeze({
  layers: '784-128-10 (relu, softmax)',
  loss: 'categorical cross-entropy',
  learningRate: 0.1,
  batchSize: 32,
  warmupEpochs: 1,
  timedEpochs: 3,
  epochs: 5,
});
