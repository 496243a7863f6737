/**
 * Feature scaling: per-column statistics of a training table and their application.
 *
 *     x' = (x − shift) / divisor                 (applyScaling)
 *     x  = x' · divisor + shift                  (invertScaling)
 *
 *     standard: shift = mean,  divisor = population standard deviation √(Σ(x − mean)² / N)
 *     minMax:   shift = min,   divisor = max − min          (maps the training table to [0, 1])
 *
 * A constant column (zero spread) gets divisor 1, so it maps to 0 instead of NaN. The step divides
 * rather than multiplying by a reciprocal, so an ONNX Sub then Div reproduces the same bits.
 */
import { DeltapropError, describe, fail } from '../core/errors.js';
import { MAX_ELEMENTS, Matrix } from '../core/matrix.js';
import { type MatrixLike, checkOptionNames, toMatrix } from '../core/schema.js';

export type ScalingKind = 'standard' | 'minMax';

/** Per-feature statistics: feature j maps to (x_j − shift[j]) / divisor[j]. */
export interface Scaling {
  readonly kind: ScalingKind;
  /** The mean (standard) or the minimum (minMax) of each column. */
  readonly shift: Float64Array;
  /** The population standard deviation (standard) or max − min (minMax); 1 for a constant column. */
  readonly divisor: Float64Array;
}

/** A scaling as plain JSON values (what a model file stores). */
export interface ScalingJSON {
  kind: ScalingKind;
  shift: number[];
  divisor: number[];
}

const KINDS: readonly ScalingKind[] = ['standard', 'minMax'];

function scalingKind(where: string, arg: string, v: unknown): ScalingKind {
  if (v !== 'standard' && v !== 'minMax') fail(where, arg, `one of ${KINDS.map((k) => `"${k}"`).join(', ')}`, v);
  return v;
}

/**
 * The statistics of each column of `x` (rows are samples), computed in row order:
 * the mean as Σx / N, then Σ(x − mean)² / N (two passes, so no cancellation of large squares).
 * A column whose values are all equal gets shift = that value and divisor = 1 (it maps to exactly 0).
 */
export function fitScaling(kind: ScalingKind, x: MatrixLike): Scaling {
  const where = 'fitScaling';
  const k = scalingKind(where, 'kind', kind);
  const m = toMatrix(where, 'x', x);
  const N = m.rows, F = m.cols;
  if (F === 0) fail(where, 'x', 'at least one feature (column)', 'rows of 0 values');
  const X = m.data;
  const shift = new Float64Array(F); // (F)
  const divisor = new Float64Array(F); // (F)
  for (let j = 0; j < F; j++) {
    let lo = X[j]!, hi = X[j]!, sum = 0;
    for (let i = 0; i < N; i++) {
      const v = X[i * F + j]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
      sum += v;
    }
    if (lo === hi) {
      shift[j] = lo;
      divisor[j] = 1;
      continue;
    }
    if (k === 'minMax') {
      shift[j] = lo;
      divisor[j] = hi - lo;
    } else {
      const mean = sum / N;
      let squares = 0;
      for (let i = 0; i < N; i++) {
        const d = X[i * F + j]! - mean;
        squares += d * d;
      }
      shift[j] = mean;
      divisor[j] = Math.sqrt(squares / N);
    }
    // Finite inputs can still overflow (a spread near 1e308) or underflow (a spread near 5e-324).
    if (!Number.isFinite(shift[j]!) || !Number.isFinite(divisor[j]!)) {
      throw new DeltapropError(
        `${where}: argument "x" must have column statistics that are finite in float64, got a ${k === 'minMax' ? 'range' : 'mean or standard deviation'} that overflows in column ${j}`,
      );
    }
    if (divisor[j] === 0) divisor[j] = 1;
  }
  return { kind: k, shift, divisor };
}

/**
 * out ← (x − shift) / divisor, element by element. Neither allocates nor validates:
 * `out` and `x` are rows × s.shift.length (out may be x).
 */
export function scaleRows(out: Float64Array, x: Float64Array, shift: Float64Array, divisor: Float64Array): void {
  const F = shift.length;
  for (let i = 0; i < x.length; i += F) {
    for (let j = 0; j < F; j++) out[i + j] = (x[i + j]! - shift[j]!) / divisor[j]!;
  }
}

/** out ← z · divisor + shift, element by element (the inverse of scaleRows). Same rules as scaleRows. */
export function unscaleRows(out: Float64Array, z: Float64Array, shift: Float64Array, divisor: Float64Array): void {
  const F = shift.length;
  for (let i = 0; i < z.length; i += F) {
    for (let j = 0; j < F; j++) out[i + j] = z[i + j]! * divisor[j]! + shift[j]!;
  }
}

function checkShapes(where: string, out: unknown, x: unknown, xName: string, s: unknown): [Matrix, Matrix, Scaling] {
  if (!(out instanceof Matrix)) fail(where, 'out', 'a Matrix', out);
  if (!(x instanceof Matrix)) fail(where, xName, 'a Matrix', x);
  const sc = checkScaling(where, 's', s);
  const F = sc.shift.length;
  if (x.cols !== F || x.data.length !== x.rows * F) {
    throw new DeltapropError(`${where}: argument "${xName}" must be a Matrix of ${F} column${F === 1 ? '' : 's'} (one per feature of the scaling), got ${x.rows} × ${x.cols}`);
  }
  if (out.rows !== x.rows || out.cols !== F || out.data.length !== x.rows * F) {
    throw new DeltapropError(`${where}: argument "out" must be a Matrix of ${x.rows} × ${F} (the shape of ${xName}), got ${out.rows} × ${out.cols}`);
  }
  return [out, x, sc];
}

/** A Scaling made by this module or by hand: shapes and values checked, not copied. */
function checkScaling(where: string, arg: string, s: unknown): Scaling {
  if (s === null || typeof s !== 'object') fail(where, arg, 'a Scaling { kind, shift, divisor }', s);
  const { kind, shift, divisor } = s as Record<string, unknown>;
  scalingKind(where, `${arg}.kind`, kind);
  if (!(shift instanceof Float64Array)) fail(where, `${arg}.shift`, 'a Float64Array', shift);
  if (!(divisor instanceof Float64Array) || divisor.length !== shift.length) {
    fail(where, `${arg}.divisor`, `a Float64Array of ${shift.length} values (like shift)`, divisor);
  }
  // One pass over F values, so that a hand-made scaling cannot turn data into NaN silently.
  for (let j = 0; j < shift.length; j++) {
    if (!Number.isFinite(shift[j]!)) fail(where, `${arg}.shift[${j}]`, 'a finite number', shift[j]);
    if (!(divisor[j]! > 0 && divisor[j]! < Infinity)) fail(where, `${arg}.divisor[${j}]`, 'a positive finite number', divisor[j]);
  }
  return s as Scaling;
}

/**
 * out ← (x − shift) / divisor, row by row; returns `out`. `out` may be `x` (scaled in place).
 * Allocates nothing; checks the shapes and the scaling's F values (finite shifts, positive finite divisors).
 */
export function applyScaling(out: Matrix, x: Matrix, s: Scaling): Matrix {
  const [o, m, sc] = checkShapes('applyScaling', out, x, 'x', s);
  scaleRows(o.data, m.data, sc.shift, sc.divisor);
  return o;
}

/** out ← z · divisor + shift, row by row; returns `out` (may be `z`). Takes scaled outputs back to original units. */
export function invertScaling(out: Matrix, z: Matrix, s: Scaling): Matrix {
  const [o, m, sc] = checkShapes('invertScaling', out, z, 'z', s);
  unscaleRows(o.data, m.data, sc.shift, sc.divisor);
  return o;
}

/** The scaling as plain JSON values; `JSON.stringify` of it round-trips every bit. */
export function scalingToJSON(s: Scaling): ScalingJSON {
  const sc = checkScaling('scalingToJSON', 's', s);
  return { kind: sc.kind, shift: Array.from(sc.shift), divisor: Array.from(sc.divisor) };
}

/**
 * Reads a scaling from untrusted JSON values: exactly the keys kind, shift, divisor; shift finite
 * numbers; divisor positive finite numbers; both of `features` values when given. Each value is read once.
 */
export function readScaling(where: string, arg: string, value: unknown, features?: number): Scaling {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(where, arg, 'an object { kind, shift, divisor }', value);
  const o = value as Record<string, unknown>;
  checkOptionNames(where, arg, o, ['kind', 'shift', 'divisor']);
  const kind = scalingKind(where, `${arg}.kind`, o.kind);
  const shift = readNumbers(where, `${arg}.shift`, o.shift, features, false);
  const divisor = readNumbers(where, `${arg}.divisor`, o.divisor, shift.length, true);
  return { kind, shift, divisor };
}

function readNumbers(where: string, arg: string, v: unknown, length: number | undefined, positive: boolean): Float64Array {
  const expected = `an array of ${length ?? 'one or more'} ${positive ? 'positive finite' : 'finite'} numbers`;
  if (!Array.isArray(v)) fail(where, arg, expected, v);
  const n = v.length;
  if (n === 0 || n > MAX_ELEMENTS || (length !== undefined && n !== length)) fail(where, arg, expected, v);
  const out = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const x: unknown = v[j];
    if (typeof x !== 'number' || !Number.isFinite(x) || (positive && !(x > 0))) {
      throw new DeltapropError(`${where}: argument "${arg}[${j}]" must be a ${positive ? 'positive ' : ''}finite number, got ${describe(x)}`);
    }
    out[j] = x;
  }
  return out;
}

/** `readScaling` for users: `scalingFromJSON(JSON.parse(text).inputScaling)`. */
export function scalingFromJSON(json: unknown, features?: number): Scaling {
  if (features !== undefined && (typeof features !== 'number' || !Number.isSafeInteger(features) || features < 1)) {
    fail('scalingFromJSON', 'features', 'a positive integer or undefined', features);
  }
  return readScaling('scalingFromJSON', 'json', json, features);
}
