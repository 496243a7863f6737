/**
 * Boundary checks: every public function converts and validates its arguments here, once,
 * before it changes anything. Messages name the function, the argument, what was expected
 * and what was given.
 */
import { DeltapropError, describe, fail } from './errors.js';
import { MAX_ELEMENTS, Matrix } from './matrix.js';

/** Data accepted wherever samples are expected: rows are samples. */
export type MatrixLike = Matrix | ArrayLike<ArrayLike<number>>;

// The typed-array intrinsics, read once: a subclass or a Proxy cannot lie about a Float64Array's length.
const typedArrayPrototype = Object.getPrototypeOf(Float64Array.prototype) as object;
const intrinsic = (name: string): ((v: unknown) => unknown) => {
  const descriptor = Object.getOwnPropertyDescriptor(typedArrayPrototype, name) as { get: (this: unknown) => unknown };
  const get = descriptor.get;
  return (v: unknown) => get.call(v);
};
const lengthOf = intrinsic('length');
const bufferOf = intrinsic('buffer');
const byteOffsetOf = intrinsic('byteOffset');

/**
 * A plain Float64Array over the same memory as `v` (a Float64Array, maybe a subclass), sized by its
 * real length: what the library reads from then on cannot change shape behind its back.
 */
export function plainFloat64(v: Float64Array): Float64Array {
  return new Float64Array(bufferOf(v) as ArrayBuffer, byteOffsetOf(v) as number, lengthOf(v) as number);
}

/**
 * Runs `read` (which reads a caller's value) and turns anything it throws that is not already a
 * DeltapropError — a revoked Proxy, a throwing getter — into one naming the function and argument.
 */
export function guard<T>(where: string, arg: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof DeltapropError) throw error;
    throw new DeltapropError(`${where}: argument "${arg}" could not be read (reading it threw ${describeThrown(error)})`);
  }
}

/** A short, safe description of a thrown value (never runs the value's own code, except a plain Error's message). */
export function describeThrown(error: unknown): string {
  try {
    if (error instanceof Error) return `${error.name === 'TypeError' ? 'a TypeError' : 'an error'}: ${describe(String(error.message))}`;
  } catch {
    return 'an error whose message cannot be read';
  }
  return describe(error);
}

/** Arrays and typed arrays (their length is read by the caller, once). */
function isArrayLike(v: unknown): v is ArrayLike<unknown> {
  return Array.isArray(v) || ArrayBuffer.isView(v);
}

/** `value instanceof Matrix`, false for what cannot even be asked (a revoked Proxy). */
export function isMatrix(value: unknown): value is Matrix {
  try {
    return value instanceof Matrix;
  } catch {
    return false;
  }
}

/**
 * Converts `value` to a Matrix of finite numbers with at least one row and `cols` columns
 * (when given). A Matrix is returned as it is (never written to); arrays are copied once.
 */
export function toMatrix(where: string, arg: string, value: unknown, cols?: number): Matrix {
  return guard(where, arg, () => readMatrix(where, arg, value, cols));
}

function readMatrix(where: string, arg: string, value: unknown, cols?: number): Matrix {
  let m: Matrix;
  if (isMatrix(value)) {
    // Each field read once; the result is the library's own Matrix over a plain view of the data.
    const rows: unknown = value.rows, width: unknown = value.cols, data: unknown = value.data;
    if (!(data instanceof Float64Array)) fail(where, `${arg}.data`, 'a Float64Array', data);
    if (typeof rows !== 'number' || !Number.isSafeInteger(rows) || rows < 0) fail(where, `${arg}.rows`, 'a non-negative integer', rows);
    if (typeof width !== 'number' || !Number.isSafeInteger(width) || width < 0) fail(where, `${arg}.cols`, 'a non-negative integer', width);
    const plain = plainFloat64(data);
    if (plain.length !== rows * width) {
      throw new DeltapropError(
        `${where}: argument "${arg}" must be a Matrix whose data holds rows × cols = ${rows} × ${width} = ${rows * width} values, got ${plain.length}`,
      );
    }
    m = new Matrix(rows, width, plain);
  } else if (isArrayLike(value) && !ArrayBuffer.isView(value)) {
    const n: unknown = value.length;
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) fail(where, `${arg}.length`, 'a non-negative integer', n);
    if (n === 0) fail(where, arg, 'a non-empty array of samples', value);
    const first: unknown = value[0];
    if (!isArrayLike(first)) {
      if (typeof first === 'number' || typeof first === 'string') {
        throw new DeltapropError(
          `${where}: argument "${arg}[0]" must be an array or Float64Array of numbers, got ${describe(first)}: "${arg}" is a flat array of ` +
            `${typeof first === 'number' ? 'numbers' : 'strings'}, not one row per sample. For class labels, encode them with ` +
            'oneHot(labels, classes) or give Network.create the classes option; for one value per sample, wrap each: [[v0], [v1], …]',
        );
      }
      fail(where, `${arg}[0]`, 'an array or Float64Array of numbers', first);
    }
    const width: unknown = first instanceof Float64Array ? lengthOf(first) : first.length;
    if (typeof width !== 'number' || !Number.isSafeInteger(width) || width < 0) fail(where, `${arg}[0].length`, 'a non-negative integer', width);
    if (n * width > MAX_ELEMENTS) {
      fail(where, arg, `at most ${MAX_ELEMENTS} values in all`, `${n} rows of ${width} values`);
    }
    m = new Matrix(n, width);
    const D = m.data;
    for (let i = 0; i < n; i++) {
      const row: unknown = i === 0 ? first : value[i];
      if (!isArrayLike(row)) fail(where, `${arg}[${i}]`, 'an array or Float64Array of numbers', row);
      const length: unknown = row instanceof Float64Array ? lengthOf(row) : row.length;
      if (length !== width) {
        fail(where, `${arg}[${i}]`, `a row of ${width} values (like ${arg}[0])`, `${describe(length)} values`);
      }
      for (let j = 0; j < width; j++) {
        const v: unknown = row[j];
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
  return guard(where, arg, () => {
    const length: unknown = value instanceof Float64Array ? lengthOf(value) : value.length;
    if (length !== cols) fail(where, arg, `a sample of ${cols} values`, `${describe(length)} values`);
    const m = new Matrix(1, cols);
    for (let j = 0; j < cols; j++) {
      const v = value[j];
      if (typeof v !== 'number') fail(where, `${arg}[${j}]`, 'a number', v);
      m.data[j] = v;
    }
    checkFinite(where, arg, m);
    return m;
  });
}

/** True when `value` looks like one sample (a flat array of numbers or a Float64Array). */
export function isSample(value: unknown): value is ArrayLike<unknown> {
  try {
    if (ArrayBuffer.isView(value)) return true;
    return Array.isArray(value) && (value.length === 0 || !isArrayLike(value[0]));
  } catch {
    return false; // unreadable (a revoked Proxy): toMatrix reports it
  }
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

/**
 * An options object: undefined becomes {}, anything but an object is an error. The result is the
 * caller's own enumerable properties, each read once, in a record without a prototype: a name found
 * only on a prototype (even a polluted Object.prototype) is never seen.
 */
export function toOptions(where: string, arg: string, value: unknown): Record<string, unknown> {
  if (value === undefined) return Object.create(null) as Record<string, unknown>;
  return guard(where, arg, () => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(where, arg, 'an options object', value);
    const out = Object.create(null) as Record<string, unknown>;
    for (const key of Object.keys(value)) out[key] = (value as Record<string, unknown>)[key];
    return out;
  });
}

/**
 * `o[name]` when it is the caller's own property or comes from a class of theirs (a prototype other
 * than Object.prototype), otherwise undefined: a polluted Object.prototype never supplies a method.
 */
export function member(o: object, name: string): unknown {
  for (let p: object | null = o; p !== null && p !== Object.prototype; p = Object.getPrototypeOf(p) as object | null) {
    const d = Object.getOwnPropertyDescriptor(p, name);
    if (d !== undefined) return 'value' in d ? d.value : (o as Record<string, unknown>)[name];
  }
  return undefined;
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
