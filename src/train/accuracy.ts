/**
 * How a network's outputs are scored as classes: a softmax output (two units or more) by the argmax
 * of each row, one sigmoid unit by the threshold 0.5. Other outputs are regression and get no score.
 */
import type { Matrix } from '../core/matrix.js';
import { type Activation, isBuiltinSigmoid, isBuiltinSoftmax } from '../model/activations.js';

/** The number of rows of z whose predicted class is the class of the same row of y. */
export type Scorer = (z: Matrix, y: Matrix) => number;

/** Softmax: the predicted class is the argmax of a row, the true one the argmax of the target row. */
function countArgmaxHits(z: Matrix, y: Matrix): number {
  const Z = z.data, Y = y.data, n = z.cols;
  let hits = 0;
  for (let i = 0; i < z.rows; i++) {
    const base = i * n;
    let bz = 0, by = 0;
    for (let j = 1; j < n; j++) {
      if (Z[base + j]! > Z[base + bz]!) bz = j;
      if (Y[base + j]! > Y[base + by]!) by = j;
    }
    if (bz === by) hits++;
  }
  return hits;
}

/** One sigmoid output: predicted 1 when z ≥ 0.5, true 1 when y ≥ 0.5. */
function countThresholdHits(z: Matrix, y: Matrix): number {
  const Z = z.data, Y = y.data;
  let hits = 0;
  for (let i = 0; i < Z.length; i++) if (Z[i]! >= 0.5 === Y[i]! >= 0.5) hits++;
  return hits;
}

export function scorerFor(output: Activation, units: number): Scorer | undefined {
  if (isBuiltinSoftmax(output) && units > 1) return countArgmaxHits;
  if (isBuiltinSigmoid(output) && units === 1) return countThresholdHits;
  return undefined;
}

/** The class of each target row (argmax, or y ≥ 0.5 for one column), for stratified splits. */
export function targetClasses(y: Matrix): Int32Array {
  const out = new Int32Array(y.rows), Y = y.data, n = y.cols;
  for (let i = 0; i < y.rows; i++) {
    if (n === 1) {
      out[i] = Y[i]! >= 0.5 ? 1 : 0;
      continue;
    }
    let best = 0;
    for (let j = 1; j < n; j++) if (Y[i * n + j]! > Y[i * n + best]!) best = j;
    out[i] = best;
  }
  return out;
}
