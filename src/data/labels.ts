/**
 * Class labels: the `classes` of a classifier, and plain label arrays encoded to class indices,
 * to one-hot rows (softmax) or to one 0/1 column (one sigmoid unit, two classes), and back.
 */
import { DeltapropError, describe, fail } from '../core/errors.js';
import { MAX_ELEMENTS, Matrix } from '../core/matrix.js';

/** A class label: a string, or an integer. */
export type Label = string | number;

/** `classes` as a user writes it: the labels (all strings or all integers), or a count n for 0 … n − 1. */
export type ClassesSpec = number | readonly string[] | readonly number[];

/** The largest number of classes accepted. */
export const MAX_CLASSES = 65536;

/** Checked classes: the labels in order (index = position) and the reverse look-up. */
export interface ClassList {
  readonly labels: readonly Label[];
  readonly index: ReadonlyMap<Label, number>;
}

/** How many known labels an error message lists before "…". */
const LISTED = 10;

/** The known labels for an error message: `"a", "b", "c"` or the first ten and `… (N in all)`. */
function listLabels(labels: readonly Label[]): string {
  const shown = labels.slice(0, LISTED).map((l) => describe(l)).join(', ');
  return labels.length > LISTED ? `${shown}, … (${labels.length} in all)` : shown;
}

/**
 * Checks a `classes` spec: a count n in [1, MAX_CLASSES] (labels 0 … n − 1), or a non-empty array of
 * distinct strings, or of distinct safe integers. The array is read once, into a copy.
 */
export function readClasses(where: string, arg: string, value: unknown): ClassList {
  const labels: Label[] = [];
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 1 || value > MAX_CLASSES) {
      fail(where, arg, `a count of classes in [1, ${MAX_CLASSES}], or an array of labels`, value);
    }
    for (let c = 0; c < value; c++) labels.push(c);
  } else {
    if (!Array.isArray(value)) fail(where, arg, 'a count of classes, or an array of labels (strings or integers)', value);
    const n = value.length;
    if (n === 0 || n > MAX_CLASSES) fail(where, arg, `a non-empty array of at most ${MAX_CLASSES} labels`, value);
    for (let c = 0; c < n; c++) labels.push(value[c] as Label);
    const strings = typeof labels[0] === 'string';
    for (let c = 0; c < n; c++) {
      const l: unknown = labels[c];
      if (strings ? typeof l !== 'string' : typeof l !== 'number' || !Number.isSafeInteger(l)) {
        fail(where, `${arg}[${c}]`, strings ? 'a string (like classes[0])' : 'a string or a safe integer, all of one type', l);
      }
    }
  }
  const index = new Map<Label, number>();
  for (let c = 0; c < labels.length; c++) {
    const l = labels[c]!;
    const first = index.get(l);
    if (first !== undefined) {
      throw new DeltapropError(`${where}: argument "${arg}" must hold distinct labels, got ${describe(l)} at positions ${first} and ${c}`);
    }
    index.set(l, c);
  }
  return { labels, index };
}

/**
 * True when `y` is a plain label array rather than target rows: a non-empty array whose first
 * element is a string or a number, or an integer typed array (Int32Array, Uint8Array, …).
 * A Float64Array is one sample's values elsewhere in deltaprop, so it is not taken as labels.
 */
export function isLabelArray(y: unknown): y is ArrayLike<Label> {
  if (Array.isArray(y)) return y.length > 0 && (typeof y[0] === 'string' || typeof y[0] === 'number');
  return (
    y instanceof Int8Array || y instanceof Uint8Array || y instanceof Uint8ClampedArray || y instanceof Int16Array ||
    y instanceof Uint16Array || y instanceof Int32Array || y instanceof Uint32Array
  );
}

/**
 * The class index of each label, as an Int32Array. Each label is read once; an unknown one is an error
 * naming it and the known labels. `count`, when given, is the number of labels required.
 */
export function readLabels(where: string, arg: string, value: unknown, classes: ClassList, count?: number): Int32Array {
  if (!isLabelArray(value)) fail(where, arg, 'an array of labels (strings or integers)', value);
  const n = value.length;
  if (count !== undefined && n !== count) fail(where, arg, `${count} labels (one per sample)`, n);
  if (n > MAX_ELEMENTS) fail(where, arg, `at most ${MAX_ELEMENTS} labels`, n);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const l: unknown = value[i];
    const c = typeof l === 'string' || typeof l === 'number' ? classes.index.get(l) : undefined;
    if (c === undefined) {
      throw new DeltapropError(
        `${where}: argument "${arg}[${i}]" must be one of the classes ${listLabels(classes.labels)}, got ${describe(l)}` +
          (typeof l === 'string' && typeof classes.labels[0] === 'number' ? ' (a string; the classes are integers)' : '') +
          (typeof l === 'number' && typeof classes.labels[0] === 'string' ? ' (a number; the classes are strings)' : ''),
      );
    }
    out[i] = c;
  }
  return out;
}

/**
 * Targets for a network of `width` outputs from class indices: one-hot rows when width equals the
 * number of classes, or one column holding the index (0 or 1) when width is 1 and there are two classes.
 */
export function indexTargets(where: string, indices: Int32Array, classCount: number, width: number): Matrix {
  const n = indices.length;
  if (width === 1 && classCount === 2) {
    const out = new Matrix(n, 1);
    for (let i = 0; i < n; i++) out.data[i] = indices[i]!;
    return out;
  }
  if (width !== classCount) {
    throw new DeltapropError(
      `${where}: ${classCount} classes need ${classCount} outputs (one-hot, softmax)${classCount === 2 ? ' or 1 output (sigmoid)' : ''}, got ${width}`,
    );
  }
  if (n * width > MAX_ELEMENTS) throw new DeltapropError(`${where}: argument "y" must be at most ${MAX_ELEMENTS} values once encoded, got ${n} × ${width}`);
  const out = new Matrix(n, width);
  for (let i = 0; i < n; i++) out.data[i * width + indices[i]!] = 1;
  return out;
}

/** The class index of each label: `encodeLabels(['b', 'a'], ['a', 'b'])` → Int32Array [1, 0]. */
export function encodeLabels(labels: ArrayLike<Label>, classes: ClassesSpec): Int32Array {
  const list = readClasses('encodeLabels', 'classes', classes);
  return readLabels('encodeLabels', 'labels', labels, list);
}

/**
 * Targets for `width` outputs: `labelTargets(['b', 'a'], ['a', 'b'])` → one-hot [[0, 1], [1, 0]];
 * with `width = 1` and two classes, one column [[1], [0]] (for one sigmoid unit).
 */
export function labelTargets(labels: ArrayLike<Label>, classes: ClassesSpec, width?: number): Matrix {
  const where = 'labelTargets';
  const list = readClasses(where, 'classes', classes);
  const K = list.labels.length;
  if (width !== undefined && width !== K && !(width === 1 && K === 2)) {
    fail(where, 'width', `${K}${K === 2 ? ' or 1' : ''} (the number of classes${K === 2 ? ', or one sigmoid output' : ''})`, width);
  }
  const indices = readLabels(where, 'labels', labels, list);
  return indexTargets(where, indices, K, width ?? K);
}

/** The label of each class index: `decodeLabels([1, 0], ['a', 'b'])` → ['b', 'a']. */
export function decodeLabels(indices: ArrayLike<number>, classes: ClassesSpec): Label[] {
  const where = 'decodeLabels';
  const list = readClasses(where, 'classes', classes);
  if (!(Array.isArray(indices) || (ArrayBuffer.isView(indices) && !(indices instanceof DataView)))) {
    fail(where, 'indices', 'an array of class indices', indices);
  }
  const n = indices.length, K = list.labels.length;
  const out: Label[] = [];
  for (let i = 0; i < n; i++) {
    const c: unknown = indices[i];
    if (typeof c !== 'number' || !Number.isInteger(c) || c < 0 || c >= K) fail(where, `indices[${i}]`, `an integer in [0, ${K - 1}]`, c);
    out.push(list.labels[c]!);
  }
  return out;
}
