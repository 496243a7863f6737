/**
 * Evaluation figures, with scikit-learn's definitions.
 *
 * Classification, for class c with tp true positives, fp false positives, fn false negatives:
 *     precision = tp / (tp + fp)      recall = tp / (tp + fn)      f1 = 2·tp / (2·tp + fp + fn)
 *     (each 0 when its denominator is 0: scikit-learn's zero_division = 0)
 *     support = tp + fn;  accuracy = Σ tp / N;  macroF1 = mean of f1;  weightedF1 = Σ f1·support / N
 *
 * Regression, per output column j, then averaged over the columns (scikit-learn's 'uniform_average'):
 *     mae_j = Σ|y − z| / N      rmse_j = √(Σ(y − z)² / N)      r2_j = 1 − Σ(y − z)² / Σ(y − ȳ)²
 *     r2_j of a constant column (Σ(y − ȳ)² = 0): 1 when every prediction is exact, else 0.
 */
import { DeltapropError, fail } from '../core/errors.js';
import { Matrix } from '../core/matrix.js';
import { type MatrixLike, toMatrix } from '../core/schema.js';
import { type ClassList, type ClassesSpec, type Label, isLabelArray, readClasses, readLabels } from '../data/labels.js';

export interface ClassFigures {
  readonly label: Label;
  /** tp / (tp + fp); 0 when the class is never predicted. */
  readonly precision: number;
  /** tp / (tp + fn); 0 when the class never occurs. */
  readonly recall: number;
  /** 2·tp / (2·tp + fp + fn), the harmonic mean of precision and recall; 0 when both are 0. */
  readonly f1: number;
  /** Samples whose true class is this one. */
  readonly support: number;
}

export interface ClassificationReport {
  /** Fraction of samples whose predicted class is the true one. */
  readonly accuracy: number;
  /** confusion[t][p]: samples of true class t predicted as p. */
  readonly confusion: number[][];
  readonly perClass: ClassFigures[];
  /** Unweighted mean of the per-class f1 (every listed class counts, even with support 0). */
  readonly macroF1: number;
  /** Mean of the per-class f1 weighted by support. */
  readonly weightedF1: number;
}

export interface OutputFigures {
  readonly mae: number;
  readonly rmse: number;
  readonly r2: number;
}

export interface RegressionReport {
  /** Mean absolute error, averaged over the outputs. */
  readonly mae: number;
  /** Root mean squared error of each output, averaged over the outputs. */
  readonly rmse: number;
  /** Coefficient of determination of each output, averaged over the outputs; NaN with fewer than 2 samples. */
  readonly r2: number;
  /** The same three figures for each output column. */
  readonly perOutput: OutputFigures[];
}

// ---------------------------------------------------------------------------------------------
// Kernels: outputs first, no validation, no allocation
// ---------------------------------------------------------------------------------------------

/**
 * The class of each row of network outputs (rows × cols, row-major): the first largest value of the
 * row when cols ≥ 2 (softmax), or 1 when the value is ≥ 0.5 and 0 otherwise when cols = 1 (sigmoid).
 */
export function classIndices(out: Int32Array, outputs: Float64Array, rows: number, cols: number): void {
  if (cols === 1) {
    for (let i = 0; i < rows; i++) out[i] = outputs[i]! >= 0.5 ? 1 : 0;
    return;
  }
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    let best = 0, top = outputs[o]!;
    for (let j = 1; j < cols; j++) {
      const v = outputs[o + j]!;
      if (v > top) {
        top = v;
        best = j;
      }
    }
    out[i] = best;
  }
}

/** counts[t·K + p] += 1 for every sample (K × K, row-major; counts must start at zero). */
export function countConfusion(counts: Float64Array, actual: Int32Array, predicted: Int32Array, K: number): void {
  for (let i = 0; i < actual.length; i++) counts[actual[i]! * K + predicted[i]!]! += 1;
}

/** The report's figures from a K × K confusion count (K × K, row-major, [true][predicted]). */
export function reportFromConfusion(counts: Float64Array, labels: readonly Label[]): ClassificationReport {
  const K = labels.length;
  let N = 0, hits = 0;
  const confusion: number[][] = [];
  for (let t = 0; t < K; t++) {
    const row: number[] = [];
    for (let p = 0; p < K; p++) {
      const v = counts[t * K + p]!;
      row.push(v);
      N += v;
    }
    hits += counts[t * K + t]!;
    confusion.push(row);
  }
  const perClass: ClassFigures[] = [];
  let f1Sum = 0, f1Weighted = 0;
  for (let c = 0; c < K; c++) {
    const tp = counts[c * K + c]!;
    let predicted = 0, support = 0;
    for (let o = 0; o < K; o++) {
      predicted += counts[o * K + c]!;
      support += counts[c * K + o]!;
    }
    const fp = predicted - tp, fn = support - tp;
    const precision = predicted === 0 ? 0 : tp / predicted;
    const recall = support === 0 ? 0 : tp / support;
    const f1 = tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
    perClass.push({ label: labels[c]!, precision, recall, f1, support });
    f1Sum += f1;
    f1Weighted += f1 * support;
  }
  return { accuracy: hits / N, confusion, perClass, macroF1: f1Sum / K, weightedF1: f1Weighted / N };
}

// ---------------------------------------------------------------------------------------------
// The public functions
// ---------------------------------------------------------------------------------------------

/** One side of a comparison, read once: a copy of a label array, or rows of outputs or targets. */
type Side = { readonly labels: Label[] } | { readonly rows: Matrix };

function readSide(where: string, arg: string, value: unknown): Side {
  if (!isLabelArray(value)) return { rows: toMatrix(where, arg, value) };
  const labels: Label[] = [];
  for (let i = 0; i < value.length; i++) labels.push(value[i]!);
  return { labels };
}

/** The class index of each sample of a side, `count` of them when given. */
function sideClasses(where: string, arg: string, side: Side, classes: ClassList, count?: number): Int32Array {
  if ('labels' in side) return readLabels(where, arg, side.labels, classes, count);
  const m = side.rows;
  const K = classes.labels.length;
  if (m.cols !== K && !(m.cols === 1 && K === 2)) {
    throw new DeltapropError(`${where}: argument "${arg}" must be rows of ${K} values (one per class)${K === 2 ? ' or of 1 value (one sigmoid output)' : ''}, or an array of labels, got rows of ${m.cols} values`);
  }
  if (count !== undefined && m.rows !== count) fail(where, arg, `${count} rows (one per sample, like actual)`, m.rows);
  const out = new Int32Array(m.rows);
  classIndices(out, m.data, m.rows, m.cols);
  return out;
}

/** The classes of a report: `classes` when given, else from the data (see confusionMatrix). */
function resolveClasses(where: string, actual: Side, predicted: Side, classes: unknown): ClassList {
  if (classes !== undefined) return readClasses(where, 'classes', classes);
  const rows = 'rows' in actual ? actual.rows : 'rows' in predicted ? predicted.rows : undefined;
  if (rows !== undefined) return readClasses(where, 'classes', rows.cols === 1 ? 2 : rows.cols);
  // Both are label arrays: the sorted union of their labels, as scikit-learn's unique_labels.
  const seen = new Set<Label>();
  for (const [arg, side] of [['actual', actual], ['predicted', predicted]] as const) {
    const a = (side as { labels: Label[] }).labels;
    for (let i = 0; i < a.length; i++) {
      const l: unknown = a[i];
      if (typeof l !== 'string' && !(typeof l === 'number' && Number.isSafeInteger(l))) fail(where, `${arg}[${i}]`, 'a string or an integer label', l);
      seen.add(l);
    }
  }
  const labels = [...seen];
  const strings = labels.filter((l) => typeof l === 'string').length;
  if (strings !== 0 && strings !== labels.length) {
    throw new DeltapropError(`${where}: arguments "actual" and "predicted" must hold labels of one type (strings or integers), got both; pass "classes"`);
  }
  labels.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return readClasses(where, 'classes', labels);
}

function confusionCounts(where: string, actual: unknown, predicted: unknown, classes: unknown): [Float64Array, ClassList] {
  const sa = readSide(where, 'actual', actual);
  const sp = readSide(where, 'predicted', predicted);
  const list = resolveClasses(where, sa, sp, classes);
  const a = sideClasses(where, 'actual', sa, list);
  const p = sideClasses(where, 'predicted', sp, list, a.length);
  const K = list.labels.length;
  const counts = new Float64Array(K * K);
  countConfusion(counts, a, p, K);
  return [counts, list];
}

/**
 * The confusion matrix, indexed [true class][predicted class], in the order of `classes`.
 *
 * `actual` and `predicted` are each either an array of labels (strings or integers, looked up in
 * `classes`) or rows of outputs or targets (`Matrix` or arrays): the class of a row is its argmax, or
 * with one column, 1 when the value is ≥ 0.5. `classes` is a count n (labels 0 … n − 1) or the labels;
 * when omitted it is the number of columns of the rows (2 for one column), or else the sorted union
 * of the labels of both arrays.
 */
export function confusionMatrix(actual: ArrayLike<Label> | MatrixLike, predicted: ArrayLike<Label> | MatrixLike, classes?: ClassesSpec): number[][] {
  const [counts, list] = confusionCounts('confusionMatrix', actual, predicted, classes);
  const K = list.labels.length;
  const out: number[][] = [];
  for (let t = 0; t < K; t++) out.push(Array.from(counts.subarray(t * K, (t + 1) * K)));
  return out;
}

/** Accuracy, confusion matrix, per-class precision, recall, f1 and support, macro and weighted f1. Arguments as confusionMatrix. */
export function classificationReport(
  actual: ArrayLike<Label> | MatrixLike,
  predicted: ArrayLike<Label> | MatrixLike,
  classes?: ClassesSpec,
): ClassificationReport {
  const [counts, list] = confusionCounts('classificationReport', actual, predicted, classes);
  return reportFromConfusion(counts, list.labels);
}

/** MAE, RMSE and R² of predictions against targets (same shape, rows = samples), per output and averaged. */
export function regressionReport(actual: MatrixLike, predicted: MatrixLike): RegressionReport {
  const where = 'regressionReport';
  const y = toMatrix(where, 'actual', actual);
  const z = toMatrix(where, 'predicted', predicted);
  if (z.rows !== y.rows || z.cols !== y.cols) {
    throw new DeltapropError(`${where}: argument "predicted" must be ${y.rows} rows of ${y.cols} values (the shape of actual), got ${z.rows} rows of ${z.cols} values`);
  }
  return regressionFigures(y.data, z.data, y.rows, y.cols);
}

/** The regression report of targets Y and predictions Z (rows × cols, row-major), summed in row order. */
export function regressionFigures(Y: Float64Array, Z: Float64Array, rows: number, cols: number): RegressionReport {
  const perOutput: OutputFigures[] = [];
  let mae = 0, rmse = 0, r2 = 0;
  for (let j = 0; j < cols; j++) {
    let absolute = 0, squares = 0, sum = 0, constant = true;
    const first = Y[j]!;
    for (let i = 0; i < rows; i++) {
      const y = Y[i * cols + j]!, e = y - Z[i * cols + j]!;
      absolute += e < 0 ? -e : e;
      squares += e * e;
      sum += y;
      if (y !== first) constant = false;
    }
    // A constant column has Σ(y − ȳ)² = 0 exactly, even when Σy / N rounds away from its value.
    const mean = sum / rows;
    let total = 0;
    for (let i = 0; constant === false && i < rows; i++) {
      const d = Y[i * cols + j]! - mean;
      total += d * d;
    }
    const figures = {
      mae: absolute / rows,
      rmse: Math.sqrt(squares / rows),
      r2: rows < 2 ? NaN : total !== 0 ? 1 - squares / total : squares === 0 ? 1 : 0,
    };
    perOutput.push(figures);
    mae += figures.mae;
    rmse += figures.rmse;
    r2 += figures.r2;
  }
  return { mae: mae / cols, rmse: rmse / cols, r2: r2 / cols, perOutput };
}
