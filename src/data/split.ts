/**
 * A seeded train/test split, stratified by class when the targets are classes.
 *
 * How many samples go to the test side:
 *   - in all, T = round(N · testFraction) (halves round up), which must leave both sides non-empty;
 *   - stratified, class c of n_c samples gets t_c test samples by largest remainder: first
 *     ⌊n_c·T / N⌋, then one more for the classes with the largest remainders (n_c·T mod N), ties
 *     to the earlier class (numbered by first appearance in y, or by column of one-hot rows), until
 *     the total is T; then each class of 2 or more samples is brought into [1, n_c − 1] (one
 *     sample at least on each side) and a class of one sample into training, moving the difference
 *     to the classes furthest from their share (ties to the earlier class).
 *     When no such counts exist (T smaller than the number of classes with 2 or more samples, say)
 *     it is an error that suggests `stratify: false`.
 * Which samples: one seeded permutation of 0 … N − 1 (Random.shuffle) is walked in order; a sample
 * goes to the test side while its class has test places left, else to training. Both sides keep the
 * permutation's order, so classes come mixed.
 */
import { DeltapropError, fail } from '../core/errors.js';
import { Matrix } from '../core/matrix.js';
import { Random } from '../core/random.js';
import { type MatrixLike, booleanOption, checkOptionNames, integerSeed, toMatrix, toOptions } from '../core/schema.js';
import { type Label, isLabelArray } from './labels.js';

export interface SplitOptions {
  /** Fraction of the samples that goes to the test side, in (0, 1). @default 0.2 */
  readonly testFraction?: number;
  /** Seed of the permutation. @default 0 */
  readonly seed?: number;
  /**
   * Keep each class's share on both sides, when `y` holds classes: an array of labels (strings or
   * integers), one-hot rows, or one column of 0/1. Other targets get a plain permutation. @default true
   */
  readonly stratify?: boolean;
}

export interface Split<X, Y> {
  readonly train: { readonly x: X; readonly y: Y };
  readonly test: { readonly x: X; readonly y: Y };
}

const OPTIONS = ['testFraction', 'seed', 'stratify'] as const;

/** How the caller gave rows, so that each side comes back in the same form. */
type RowsForm = 'matrix' | 'numbers' | 'float64';

function rowsForm(value: unknown): RowsForm {
  if (value instanceof Matrix) return 'matrix';
  return Array.isArray(value) && value[0] instanceof Float64Array ? 'float64' : 'numbers';
}

function pickRows(m: Matrix, picks: Uint32Array, form: RowsForm): Matrix | number[][] | Float64Array[] {
  const C = m.cols;
  if (form === 'matrix') {
    const out = new Matrix(picks.length, C);
    for (let i = 0; i < picks.length; i++) out.data.set(m.data.subarray(picks[i]! * C, picks[i]! * C + C), i * C);
    return out;
  }
  const rows: (number[] | Float64Array)[] = [];
  for (let i = 0; i < picks.length; i++) {
    const r = m.data.slice(picks[i]! * C, picks[i]! * C + C);
    rows.push(form === 'float64' ? r : Array.from(r));
  }
  return rows as number[][] | Float64Array[];
}

/** Labels as given: a typed array comes back as the same kind of typed array. */
function pickLabels(labels: Label[], source: unknown, picks: Uint32Array): Label[] | ArrayLike<number> {
  const out: Label[] = [];
  for (let i = 0; i < picks.length; i++) out.push(labels[picks[i]!]!);
  if (Array.isArray(source)) return out;
  const Ctor = (source as { constructor: new (values: Label[]) => ArrayLike<number> }).constructor;
  return new Ctor(out);
}

/** The class of each row of a one-hot or 0/1 target matrix, or undefined if it is not one. */
function rowClasses(m: Matrix): { classes: Int32Array; count: number } | undefined {
  const N = m.rows, C = m.cols, Y = m.data;
  const classes = new Int32Array(N);
  if (C === 1) {
    for (let i = 0; i < N; i++) {
      if (Y[i] !== 0 && Y[i] !== 1) return undefined;
      classes[i] = Y[i]!;
    }
    return { classes, count: 2 };
  }
  for (let i = 0; i < N; i++) {
    let ones = 0;
    for (let j = 0; j < C; j++) {
      const v = Y[i * C + j]!;
      if (v === 1) {
        ones++;
        classes[i] = j;
      } else if (v !== 0) return undefined;
    }
    if (ones !== 1) return undefined;
  }
  return { classes, count: C };
}

/**
 * Test places per class (see the module comment), or undefined when no counts satisfy the rules.
 * Integer arithmetic throughout: n_c·T < 2^53 for any table deltaprop can hold.
 */
export function stratifiedCounts(sizes: readonly number[], N: number, T: number): number[] | undefined {
  const K = sizes.length;
  const t: number[] = [], remainder: number[] = [];
  let total = 0;
  for (let c = 0; c < K; c++) {
    const a = sizes[c]! * T;
    remainder.push(a % N);
    t.push((a - (a % N)) / N);
    total += t[c]!;
  }
  // Largest remainder: the classes with the largest n_c·T mod N get one more, ties to the earlier class.
  const order = Array.from({ length: K }, (_, c) => c).sort((p, q) => remainder[q]! - remainder[p]! || p - q);
  for (let r = 0; total < T; r++) {
    t[order[r]!]!++;
    total++;
  }
  // Bounds: [1, n_c − 1] for a class of 2 or more samples, 0 for a class of one.
  let low = 0, high = 0;
  for (let c = 0; c < K; c++) {
    const lo = sizes[c]! >= 2 ? 1 : 0, hi = sizes[c]! >= 2 ? sizes[c]! - 1 : 0;
    low += lo;
    high += hi;
    if (t[c]! < lo) t[c] = lo;
    if (t[c]! > hi) t[c] = hi;
  }
  if (T < low || T > high) return undefined;
  // Move the difference: n_c·T − t_c·N measures how far class c is below its share (in units of 1/N).
  total = t.reduce((s, v) => s + v, 0);
  while (total !== T) {
    const up = total < T;
    let best = -1, gap = 0;
    for (let c = 0; c < K; c++) {
      const room = up ? t[c]! < (sizes[c]! >= 2 ? sizes[c]! - 1 : 0) : t[c]! > (sizes[c]! >= 2 ? 1 : 0);
      if (!room) continue;
      const g = up ? sizes[c]! * T - t[c]! * N : t[c]! * N - sizes[c]! * T;
      if (best < 0 || g > gap) {
        best = c;
        gap = g;
      }
    }
    t[best]! += up ? 1 : -1;
    total += up ? 1 : -1;
  }
  return t;
}

/**
 * Splits the samples of `x` and `y` (one per row of x) into a training and a test side, seeded and
 * deterministic. Each side comes back in the form it was given: a Matrix as a Matrix, rows of arrays
 * as rows of arrays, an array of labels as an array of labels. See the module comment for the counts.
 */
export function trainTestSplit<X extends MatrixLike, Y extends MatrixLike | ArrayLike<Label>>(
  x: X,
  y: Y,
  options?: SplitOptions,
): Split<X, Y> {
  const where = 'trainTestSplit';
  const o = toOptions(where, 'options', options);
  checkOptionNames(where, 'options', o, OPTIONS);
  const { testFraction: fraction = 0.2, seed: seedValue = 0, stratify: stratifyValue = true } = o;
  if (typeof fraction !== 'number' || !(fraction > 0 && fraction < 1)) fail(where, 'options.testFraction', 'a number in (0, 1)', fraction);
  const seed = integerSeed(where, 'options.seed', seedValue);
  const stratify = booleanOption(where, 'options.stratify', stratifyValue);

  const xForm = rowsForm(x);
  const xm = toMatrix(where, 'x', x);
  const N = xm.rows;

  // y: a label array (copied once) or target rows.
  let labels: Label[] | undefined, ym: Matrix | undefined;
  let classOf: Int32Array | undefined, classCount = 0;
  if (isLabelArray(y)) {
    if (y.length !== N) fail(where, 'y', `${N} labels (one per row of x)`, y.length);
    labels = [];
    for (let i = 0; i < N; i++) labels.push(y[i]!);
    const strings = typeof labels[0] === 'string';
    let integers = true;
    for (let i = 0; i < N; i++) {
      const l: unknown = labels[i];
      if (strings ? typeof l !== 'string' : typeof l !== 'number' || !Number.isFinite(l)) {
        fail(where, `y[${i}]`, strings ? 'a string (like y[0])' : 'a finite number (like y[0])', l);
      }
      if (!Number.isSafeInteger(l)) integers = false;
    }
    if (stratify && (strings || integers)) {
      const index = new Map<Label, number>();
      classOf = new Int32Array(N);
      for (let i = 0; i < N; i++) {
        let c = index.get(labels[i]!);
        if (c === undefined) index.set(labels[i]!, (c = index.size));
        classOf[i] = c;
      }
      classCount = index.size;
    }
  } else {
    ym = toMatrix(where, 'y', y);
    if (ym.rows !== N) fail(where, 'y', `${N} rows (one per row of x)`, ym.rows);
    const found = stratify ? rowClasses(ym) : undefined;
    if (found !== undefined) {
      classOf = found.classes;
      classCount = found.count;
    }
  }

  const T = Math.round(N * fraction);
  if (T < 1 || T > N - 1) {
    throw new DeltapropError(
      `${where}: argument "options.testFraction" must leave at least one sample on each side: round(${N} × ${fraction}) = ${T} test samples of ${N}`,
    );
  }

  // Test places per class (one class of everything when not stratified).
  let places: number[];
  if (classOf !== undefined) {
    const sizes = new Array<number>(classCount).fill(0);
    for (let i = 0; i < N; i++) sizes[classOf[i]!]!++;
    const counts = stratifiedCounts(sizes, N, T);
    if (counts === undefined) {
      throw new DeltapropError(
        `${where}: argument "options.testFraction" gives ${T} test samples of ${N}, which cannot keep one sample of each of the ${sizes.filter((s) => s >= 2).length} classes of 2 or more samples on each side; use another testFraction or stratify: false`,
      );
    }
    places = counts;
  } else {
    places = [T];
  }

  const order = new Uint32Array(N);
  for (let i = 0; i < N; i++) order[i] = i;
  new Random(seed).shuffle(order);
  const test = new Uint32Array(T), train = new Uint32Array(N - T);
  let nTest = 0, nTrain = 0;
  for (let k = 0; k < N; k++) {
    const i = order[k]!;
    const c = classOf === undefined ? 0 : classOf[i]!;
    if (places[c]! > 0) {
      places[c]!--;
      test[nTest++] = i;
    } else {
      train[nTrain++] = i;
    }
  }

  const side = (picks: Uint32Array): { x: X; y: Y } => ({
    x: pickRows(xm, picks, xForm) as X,
    y: (labels !== undefined ? pickLabels(labels, y, picks) : pickRows(ym!, picks, rowsForm(y))) as Y,
  });
  return { train: side(train), test: side(test) };
}
