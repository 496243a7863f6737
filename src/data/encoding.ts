/** Target encodings. */
import { fail } from '../core/errors.js';
import { MAX_ELEMENTS, Matrix } from '../core/matrix.js';

/** One row per label with a 1 in the label's column: `oneHot([2, 0], 3)` → [[0, 0, 1], [1, 0, 0]]. */
export function oneHot(labels: ArrayLike<number>, classes: number): Matrix {
  const where = 'oneHot';
  if (!isList(labels)) fail(where, 'labels', 'an array of class indices', labels);
  if (typeof classes !== 'number' || !Number.isInteger(classes) || classes < 1) fail(where, 'classes', 'a positive integer', classes);
  const n = labels.length;
  if (n * classes > MAX_ELEMENTS) fail(where, 'labels', `at most ${MAX_ELEMENTS} values once encoded`, `${n} × ${classes}`);
  for (let i = 0; i < n; i++) {
    const c: unknown = labels[i];
    if (typeof c !== 'number' || !Number.isInteger(c) || c < 0 || c >= classes) {
      fail(where, `labels[${i}]`, `an integer in [0, ${classes - 1}]`, c);
    }
  }
  const out = new Matrix(n, classes);
  for (let i = 0; i < n; i++) out.data[i * classes + labels[i]!] = 1;
  return out;
}

function isList(v: unknown): v is ArrayLike<number> {
  return Array.isArray(v) || ArrayBuffer.isView(v);
}
