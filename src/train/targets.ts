/**
 * What the Trainer and evaluation make of the caller's targets and inputs: a plain array of labels
 * becomes one-hot rows (or a 0/1 column for one sigmoid unit); scaling statistics come from the
 * training data when the network has not been adapted yet.
 */
import { fail } from '../core/errors.js';
import type { Matrix } from '../core/matrix.js';
import { isMatrix, toMatrix } from '../core/schema.js';
import { type ClassList, indexTargets, isLabelArray, readLabels } from '../data/labels.js';
import { classLabels, type ModelData } from '../data/model-data.js';
import { fitScaling, type Scaling, scaleRows } from '../data/scaling.js';
import type { Dense } from '../model/layer.js';

interface Model {
  readonly input: number;
  readonly output: number;
  readonly layers: readonly Dense[];
  readonly state: { readonly model: ModelData };
}

/** The class list a classifier's labels are read against (the given classes, else 0 … K − 1), or undefined. */
export function classListOf(net: Model): ClassList | undefined {
  const d = net.state.model;
  if (d.classes !== undefined) return d.classes;
  const out = net.layers[net.layers.length - 1]!;
  const labels = classLabels(d, out.activation, out.units);
  if (labels === undefined) return undefined;
  return { labels, index: new Map(labels.map((l, i) => [l, i])) };
}

/** The caller's targets as a new Matrix of rows: labels encoded for a classifier, rows copied. */
export function targetRows(where: string, arg: string, net: Model, y: unknown, count?: number): Matrix {
  if (isLabelArray(y)) {
    const list = classListOf(net);
    if (list === undefined) {
      fail(
        where,
        arg,
        `rows of ${net.output} target values (labels need a classifier: a softmax output, or one sigmoid unit, with the classes option of Network.create; ` +
          'or encode them with oneHot(labels, classes); for one value per sample, wrap each: [[v0], [v1], …])',
        'an array of labels',
      );
    }
    return indexTargets(where, readLabels(where, arg, y, list, count), list.labels.length, net.output);
  }
  const m = toMatrix(where, arg, y, net.output);
  return isMatrix(y) ? m.clone() : m; // arrays were copied by toMatrix; a Matrix is only wrapped
}

/** The statistics to train with: the network's own, or computed from the training (x, y) when not adapted yet. */
export function trainingScaling(net: Model, x: Matrix, y: Matrix): { input: Scaling | undefined; output: Scaling | undefined } {
  const d = net.state.model;
  const input = d.inputKind === 'none' ? undefined : d.input ?? fitScaling(d.inputKind, x);
  const output = d.outputKind === 'none' ? undefined : d.output ?? fitScaling(d.outputKind, y);
  return { input, output };
}

/** m ← (m − shift) / divisor in place (nothing when s is undefined). */
export function scaleInPlace(m: Matrix, s: Scaling | undefined): void {
  if (s !== undefined) scaleRows(m.data, m.data, s.shift, s.divisor);
}
