/**
 * Boundary checks: every public function converts and validates its arguments here, once,
 * before it changes anything. Messages name the function, the argument, what was expected
 * and what was given.
 */
import { DeltapropError, describe, fail } from './errors.js';
import { MAX_ELEMENTS, Matrix } from './matrix.js';

/** Data accepted wherever samples are expected: rows are samples. */
export type MatrixLike = Matrix | ArrayLike<ArrayLike<number>>;

function isArrayLike(v: unknown): v is ArrayLike<unknown> {
  return (
    (Array.isArray(v) || ArrayBuffer.isView(v)) && typeof (v as { length?: unknown }).length === 'number'
  );
}

/** Checks that a Matrix-shaped object is internally consistent (data of exactly rows × cols float64). */
function checkMatrixObject(where: string, arg: string, m: Matrix): void {
  if (!(m.data instanceof Float64Array)) fail(where, `${arg}.data`, 'a Float64Array', m.data);
  if (!Number.isSafeInteger(m.rows) || m.rows < 0) fail(where, `${arg}.rows`, 'a non-negative integer', m.rows);
  if (!Number.isSafeInteger(m.cols) || m.cols < 0) fail(where, `${arg}.cols`, 'a non-negative integer', m.cols);
  if (m.data.length !== m.rows * m.cols) {
    throw new DeltapropError(
      `${where}: argument "${arg}" must be a Matrix whose data holds rows × cols = ${m.rows} × ${m.cols} = ${m.rows * m.cols} values, got ${m.data.length}`,
    );
  }
}

/**
 * Converts `value` to a Matrix of finite numbers with at least one row and `cols` columns
 * (when given). A Matrix is returned as it is (never written to); arrays are copied once.
 */
export function toMatrix(where: string, arg: string, value: unknown, cols?: number): Matrix {
  let m: Matrix;
  if (value instanceof Matrix) {
    checkMatrixObject(where, arg, value);
    m = value;
  } else if (isArrayLike(value) && !ArrayBuffer.isView(value)) {
    const n = value.length;
    if (n === 0) fail(where, arg, 'a non-empty array of samples', value);
    const first = value[0];
    if (!isArrayLike(first)) fail(where, `${arg}[0]`, 'an array or Float64Array of numbers', first);
    const width = first.length;
    if (n * width > MAX_ELEMENTS) {
      fail(where, arg, `at most ${MAX_ELEMENTS} values in all`, `${n} rows of ${width} values`);
    }
    m = new Matrix(n, width);
    const D = m.data;
    for (let i = 0; i < n; i++) {
      const row = value[i];
      if (!isArrayLike(row)) fail(where, `${arg}[${i}]`, 'an array or Float64Array of numbers', row);
      if (row.length !== width) {
        fail(where, `${arg}[${i}]`, `a row of ${width} values (like ${arg}[0])`, `${row.length} values`);
      }
      for (let j = 0; j < width; j++) {
        const v = row[j];
        if (typeof v !== 'number') fail(where, `${arg}[${i}][${j}]`, 'a number', v);
        D[i * width + j] = v;
      }
    }
  } else {
    return fail(where, arg, 'a Matrix, an array of rows (number[][]) or an array of Float64Array', value);
  }
  if (m.rows === 0) fail(where, arg, 'at least one sample (row)', 'none');
  if (cols !== undefined && m.cols !== cols) {
    throw new DeltapropError(
      `${where}: argument "${arg}" must have ${cols} column${cols === 1 ? '' : 's'} per sample, got ${m.cols}`,
    );
  }
  checkFinite(where, arg, m);
  return m;
}

/** Throws if any value is NaN or ±Infinity, naming its row and column. */
export function checkFinite(where: string, arg: string, m: Matrix): void {
  const D = m.data;
  for (let i = 0; i < D.length; i++) {
    if (!Number.isFinite(D[i]!)) {
      const r = Math.floor(i / m.cols), c = i % m.cols;
      throw new DeltapropError(`${where}: argument "${arg}" must hold finite numbers, got ${describe(D[i])} at row ${r}, column ${c}`);
    }
  }
}

/** Converts one sample (number[] or Float64Array of `cols` finite values) to a 1-row Matrix (a copy). */
export function toSample(where: string, arg: string, value: ArrayLike<unknown>, cols: number): Matrix {
  if (value.length !== cols) fail(where, arg, `a sample of ${cols} values`, `${value.length} values`);
  const m = new Matrix(1, cols);
  for (let j = 0; j < cols; j++) {
    const v = value[j];
    if (typeof v !== 'number') fail(where, `${arg}[${j}]`, 'a number', v);
    m.data[j] = v;
  }
  checkFinite(where, arg, m);
  return m;
}

/** True when `value` looks like one sample (a flat array of numbers or a Float64Array). */
export function isSample(value: unknown): value is ArrayLike<unknown> {
  if (ArrayBuffer.isView(value)) return true;
  return Array.isArray(value) && (value.length === 0 || !isArrayLike(value[0]));
}

/** Rejects option names that are not in `allowed` (a typo such as `learningrate` must not pass silently). */
export function checkOptionNames(where: string, arg: string, options: object, allowed: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      const lower = key.toLowerCase();
      const near = allowed.find((a) => a.toLowerCase() === lower);
      throw new DeltapropError(
        `${where}: argument "${arg}" has an unknown option "${key}"` +
          (near !== undefined ? ` (did you mean "${near}"?)` : `; known options are ${allowed.map((a) => `"${a}"`).join(', ')}`),
      );
    }
  }
}

/** An options object: undefined becomes {}, anything but a plain object is an error. */
export function toOptions(where: string, arg: string, value: unknown): Record<string, unknown> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(where, arg, 'an options object', value);
  return value as Record<string, unknown>;
}

export function positiveFinite(where: string, arg: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) fail(where, arg, 'a positive finite number', v);
  return v;
}

export function nonNegativeFinite(where: string, arg: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) fail(where, arg, 'a non-negative finite number', v);
  return v;
}

export function positiveInteger(where: string, arg: string, v: unknown, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > max) {
    fail(where, arg, max === Number.MAX_SAFE_INTEGER ? 'a positive integer' : `an integer in [1, ${max}]`, v);
  }
  return v;
}

export function integerSeed(where: string, arg: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) fail(where, arg, 'a safe integer', v);
  return v;
}

export function booleanOption(where: string, arg: string, v: unknown): boolean {
  if (typeof v !== 'boolean') fail(where, arg, 'true or false', v);
  return v;
}
