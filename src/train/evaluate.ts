/**
 * Evaluation and classification through a network, in original units: inputs scaled as in training,
 * outputs taken back through the output scaling, classes named by the network's labels. The figures
 * are those of train/metrics.ts (scikit-learn's definitions).
 */
import { DeltapropError, fail } from '../core/errors.js';
import { Matrix } from '../core/matrix.js';
import { checkOptionNames, isSample, type MatrixLike, toMatrix, toOptions, toSample } from '../core/schema.js';
import type { Label } from '../data/labels.js';
import { classifierKind, type ModelData } from '../data/model-data.js';
import { scaleRows, unscaleRows } from '../data/scaling.js';
import { createWorkspace, forward } from '../model/backprop.js';
import type { Dense } from '../model/layer.js';
import { checkTargets, type Loss, type LossName, resolveLoss } from '../model/losses.js';
import { type ClassificationReport, classIndices, countConfusion, type RegressionReport, regressionFigures, reportFromConfusion } from './metrics.js';
import { defaultLoss } from './options.js';
import { classListOf, targetRows } from './targets.js';
import type { Targets } from './types.js';

interface Model {
  readonly input: number;
  readonly output: number;
  readonly layers: readonly Dense[];
  readonly state: { readonly model: ModelData };
}

export interface EvaluateOptions {
  /** The loss reported as `loss`. @default the loss fit uses by default for this output */
  readonly loss?: LossName | Loss;
}

/** A classifier's figures: the loss (in training units) and the classification report. */
export interface ClassifierEvaluation extends ClassificationReport {
  readonly loss: number;
}

/** A regression's figures: the loss in training units (scaled targets under outputScaling), the rest in original units. */
export interface RegressionEvaluation extends RegressionReport {
  readonly loss: number;
}

export type Evaluation = ClassifierEvaluation | RegressionEvaluation;

/** One sample's class: its label, the probability of that label, and every class's probability. */
export interface Classification {
  readonly label: Label;
  readonly probability: number;
  /** One per class, in the order of `net.classes` (for one sigmoid unit: [1 − p, p]). */
  readonly probabilities: number[];
}

/** Throws unless the network's scaling statistics exist. */
export function checkAdapted(where: string, net: Model): void {
  const d = net.state.model;
  if ((d.inputKind !== 'none' && d.input === undefined) || (d.outputKind !== 'none' && d.output === undefined)) {
    throw new DeltapropError(
      `${where}: the network scales its ${d.inputKind !== 'none' && d.input === undefined ? 'inputs' : 'outputs'} but has no statistics yet; ` +
        'train it (fit, fitAsync, trainer) or call net.adapt(x, y) first',
    );
  }
}

/** The network's outputs on raw inputs, in training units (inputs scaled, outputs not taken back). */
export function scaledOutputs(net: Model, x: Matrix): Matrix {
  const ws = createWorkspace(net.input, net.layers, x.rows, false);
  const s = net.state.model.input;
  if (s === undefined) ws.activations[0]!.data.set(x.data);
  else scaleRows(ws.activations[0]!.data, x.data, s.shift, s.divisor);
  forward(net.layers, ws);
  return ws.activations[net.layers.length]!;
}

export function evaluate(net: Model, x: MatrixLike, y: Targets, options?: EvaluateOptions): Evaluation {
  const where = 'Network.evaluate';
  const o = toOptions(where, 'options', options);
  checkOptionNames(where, 'options', o, ['loss']);
  const loss = o['loss'] === undefined ? defaultLoss(net as never) : resolveLoss(where, 'options.loss', o['loss']);
  const X = toMatrix(where, 'x', x, net.input);
  if (X.rows === 0) fail(where, 'x', 'at least one sample', 'no rows');
  const Y = targetRows(where, 'y', net, y, X.rows);
  if (Y.rows !== X.rows) throw new DeltapropError(`${where}: argument "y" must have ${X.rows} rows (one per sample of x), got ${Y.rows}`);
  checkTargets(where, 'y', loss, Y);
  checkAdapted(where, net);
  const z = scaledOutputs(net, X);
  const out = net.layers[net.layers.length - 1]!;
  if (classifierKind(out.activation, out.units) !== undefined) {
    const labels = classListOf(net)!.labels;
    const K = labels.length, n = X.rows;
    const actual = new Int32Array(n), predicted = new Int32Array(n);
    classIndices(actual, Y.data, n, Y.cols);
    classIndices(predicted, z.data, n, z.cols);
    const counts = new Float64Array(K * K);
    countConfusion(counts, actual, predicted, K);
    return { loss: loss.value(z, Y), ...reportFromConfusion(counts, labels) };
  }
  const s = net.state.model.output;
  let lossValue: number;
  if (s === undefined) lossValue = loss.value(z, Y);
  else {
    const Ys = new Matrix(Y.rows, Y.cols);
    scaleRows(Ys.data, Y.data, s.shift, s.divisor);
    lossValue = loss.value(z, Ys);
    unscaleRows(z.data, z.data, s.shift, s.divisor);
  }
  return { loss: lossValue, ...regressionFigures(Y.data, z.data, Y.rows, Y.cols) };
}

export function classify(net: Model, x: unknown): Classification | Classification[] {
  const where = 'Network.classify';
  const out = net.layers[net.layers.length - 1]!;
  const kind = classifierKind(out.activation, out.units);
  if (kind === undefined) {
    throw new DeltapropError(`${where}: the network is not a classifier (its output is ${out.units} ${out.activation.name} unit${out.units === 1 ? '' : 's'}); classify needs a softmax output or one sigmoid unit — use predict`);
  }
  const single = !(x instanceof Matrix) && isSample(x);
  const X = single ? toSample(where, 'x', x, net.input) : toMatrix(where, 'x', x, net.input);
  checkAdapted(where, net);
  const z = scaledOutputs(net, X);
  const labels = classListOf(net)!.labels;
  const idx = new Int32Array(X.rows);
  classIndices(idx, z.data, X.rows, z.cols);
  const answers: Classification[] = [];
  for (let i = 0; i < X.rows; i++) {
    const probabilities = kind === 'sigmoid' ? [1 - z.data[i]!, z.data[i]!] : Array.from(z.data.subarray(i * z.cols, (i + 1) * z.cols));
    const c = idx[i]!;
    answers.push({ label: labels[c]!, probability: probabilities[c]!, probabilities });
  }
  return single ? answers[0]! : answers;
}
