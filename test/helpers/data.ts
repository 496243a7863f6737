/** Data sets generated inside the tests (no files, no Math.random). */
import { Random } from '../../src/index.js';

export const xorX = [
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
];
export const xorY = [[0], [1], [1], [0]];

/**
 * Two interleaved spirals: `perClass` points per class, one-hot targets [1, 0] / [0, 1].
 * Point i of class c lies at radius r = 0.1 + 0.9·i/perClass and angle 3π·i/perClass + cπ,
 * jittered by a small seeded noise.
 */
export function spirals(perClass: number, seed = 1, noise = 0.02): { x: number[][]; y: number[][]; labels: number[] } {
  const random = new Random(seed);
  const x: number[][] = [];
  const y: number[][] = [];
  const labels: number[] = [];
  for (let c = 0; c < 2; c++) {
    for (let i = 0; i < perClass; i++) {
      const t = i / perClass;
      const r = 0.1 + 0.9 * t;
      const angle = 3 * Math.PI * t + c * Math.PI;
      x.push([r * Math.cos(angle) + random.uniform(-noise, noise), r * Math.sin(angle) + random.uniform(-noise, noise)]);
      y.push(c === 0 ? [1, 0] : [0, 1]);
      labels.push(c);
    }
  }
  return { x, y, labels };
}

/** `rows` × `cols` values drawn uniformly from [lo, hi) with a seeded generator. */
export function uniformRows(rows: number, cols: number, seed: number, lo = -1, hi = 1): number[][] {
  const random = new Random(seed);
  const out: number[][] = [];
  for (let i = 0; i < rows; i++) {
    const row: number[] = [];
    for (let j = 0; j < cols; j++) row.push(random.uniform(lo, hi));
    out.push(row);
  }
  return out;
}

/** Fraction of rows whose argmax matches the label. */
export function argmaxAccuracy(outputs: number[][], labels: readonly number[]): number {
  let hits = 0;
  outputs.forEach((row, i) => {
    let best = 0;
    for (let j = 1; j < row.length; j++) if (row[j]! > row[best]!) best = j;
    if (best === labels[i]) hits++;
  });
  return hits / outputs.length;
}
