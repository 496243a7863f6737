/**
 * What a network holds beyond its layers: input and output scaling (the kind asked for, and the
 * statistics once adapted), class labels, and each layer's dropout rate. The checks that tie them to
 * the output layer are shared by `Network.create` and the model-file reader.
 */
import { DeltapropError, fail } from '../core/errors.js';
import { type Activation, isBuiltinSigmoid, isBuiltinSoftmax } from '../model/activations.js';
import type { ClassList, Label } from './labels.js';
import type { Scaling, ScalingKind } from './scaling.js';

export type InputScalingName = ScalingKind | 'none';
export type OutputScalingName = 'standard' | 'none';

export interface ModelData {
  readonly inputKind: InputScalingName;
  readonly outputKind: OutputScalingName;
  /** The input statistics, once adapted (undefined before, and with inputKind 'none'). */
  input: Scaling | undefined;
  /** The output statistics, once adapted (undefined before, and with outputKind 'none'). */
  output: Scaling | undefined;
  /** The labels given at create (undefined when none were). */
  readonly classes: ClassList | undefined;
  /** p of each layer (0: no dropout). */
  readonly dropout: readonly number[];
}

/** A network without scaling, classes or dropout (the course's exact math). */
export function plainModelData(layers: number): ModelData {
  return { inputKind: 'none', outputKind: 'none', input: undefined, output: undefined, classes: undefined, dropout: new Array<number>(layers).fill(0) };
}

/** A copy whose scalings are new arrays (so that nothing the copy does reaches the original). */
export function copyModelData(d: ModelData): ModelData {
  const copy = (s: Scaling | undefined): Scaling | undefined => (s === undefined ? undefined : { kind: s.kind, shift: s.shift.slice(), divisor: s.divisor.slice() });
  return { ...d, input: copy(d.input), output: copy(d.output), dropout: d.dropout.slice() };
}

/** How an output layer reads as classes: 'softmax' (two units or more), 'sigmoid' (one unit), or undefined. */
export function classifierKind(f: Activation, units: number): 'softmax' | 'sigmoid' | undefined {
  if (isBuiltinSoftmax(f) && units > 1) return 'softmax';
  if (isBuiltinSigmoid(f) && units === 1) return 'sigmoid';
  return undefined;
}

/** The number of classes of a classifier output (2 for one sigmoid unit). */
export function classCount(f: Activation, units: number): number {
  return classifierKind(f, units) === 'sigmoid' ? 2 : units;
}

/** A softmax of one unit always outputs 1: refused, with the remedy. */
export function checkOutputLayer(where: string, arg: string, f: Activation, units: number): void {
  if (isBuiltinSoftmax(f) && units === 1) {
    throw new DeltapropError(
      `${where}: argument "${arg}" is a softmax of 1 unit, which always outputs 1 (its loss goes to 0 while it learns nothing); ` +
        "for two classes use { units: 1, activation: 'sigmoid' }, or a softmax of 2 units",
    );
  }
}

/** `classes` must match the output: n softmax units ↔ n classes, one sigmoid unit ↔ 2 classes. */
export function checkClasses(where: string, arg: string, list: ClassList, f: Activation, units: number): void {
  const kind = classifierKind(f, units);
  const K = list.labels.length;
  if (kind === undefined) {
    fail(where, arg, "no classes for this output (classes need a softmax output of 2 units or more, or one sigmoid unit)", `${K} classes for ${units} ${f.name} unit${units === 1 ? '' : 's'}`);
  }
  const need = kind === 'sigmoid' ? 2 : units;
  if (K !== need) {
    fail(where, arg, `${need} classes (the output is ${kind === 'sigmoid' ? 'one sigmoid unit' : `a softmax of ${units} units`})`, `${K} classes`);
  }
}

/** A dropout rate p ∈ [0, 1); none on the output layer (it would drop answers). */
export function readDropout(where: string, arg: string, v: unknown, isOutput: boolean): number {
  if (v === undefined) return 0;
  if (typeof v !== 'number' || !(v >= 0 && v < 1)) fail(where, arg, 'a dropout rate in [0, 1)', v);
  if (isOutput && v > 0) fail(where, arg, '0 on the output layer (dropout belongs on hidden layers; it would drop answers)', v);
  return v;
}

/** The labels of a classifier: those given at create, else 0 … K − 1. */
export function classLabels(d: ModelData, f: Activation, units: number): readonly Label[] | undefined {
  if (d.classes !== undefined) return d.classes.labels;
  if (classifierKind(f, units) === undefined) return undefined;
  const out: number[] = [];
  for (let c = 0; c < classCount(f, units); c++) out.push(c);
  return out;
}

export function scalingName(v: unknown, where: string, arg: string, output: boolean): InputScalingName {
  if (v === undefined || v === 'none') return 'none';
  if (v === 'standard' || (!output && v === 'minMax')) return v;
  return fail(where, arg, output ? "'standard' or 'none'" : "'standard', 'minMax' or 'none'", v);
}
