/**
 * Saving and loading networks as plain JSON. Version 2 (written):
 *
 *   { "format": "deltaprop-network", "version": 2, "input": 2,
 *     "layers": [ { "type": "dense", "units": 8, "activation": "tanh", "dropout": 0.2, "weights": [...], "biases": [...] }, … ],
 *     "inputScaling": { "kind": "standard", "shift": [...], "divisor": [...] },   (or "standard" before adapting)
 *     "outputScaling": …, "classes": ["a", "b"] }
 *
 * `dropout`, `inputScaling`, `outputScaling` and `classes` appear only when the network has them.
 * Version 1 (read only) is the same without them and without `type`.
 *
 * `weights` holds the units × inputs values of W_n row by row. JavaScript writes every float64
 * in the shortest form that reads back to the same bits, so a round trip is exact.
 * Loading treats its input as untrusted: every field is checked (types, shapes, lengths, finite
 * numbers, known names) before anything is allocated, and nothing is read from the prototype chain.
 */
import { type Activation, type ActivationJSON, resolveActivation } from '../model/activations.js';
import { DeltapropError, describe, fail } from '../core/errors.js';
import type { Dense } from '../model/layer.js';
import { MAX_ELEMENTS, MAX_LAYERS } from '../core/limits.js';
import { type Label, readClasses } from '../data/labels.js';
import { checkClasses, checkOutputLayer, classifierKind, type ModelData, plainModelData, readDropout } from '../data/model-data.js';
import { readScaling, type Scaling, type ScalingJSON, type ScalingKind, scalingToJSON } from '../data/scaling.js';

export const FORMAT = 'deltaprop-network';
export const VERSION = 2;

export interface LayerJSON {
  /** Version 2: always 'dense'. */
  readonly type?: 'dense';
  readonly units: number;
  readonly activation: ActivationJSON;
  /** p of inverted dropout in training (version 2, only when above 0). */
  readonly dropout?: number;
  /** units × inputs values, row by row. */
  readonly weights: number[];
  readonly biases: number[];
}

export interface NetworkJSON {
  readonly format: typeof FORMAT;
  readonly version: number;
  readonly input: number;
  readonly layers: LayerJSON[];
  /** Statistics once adapted, or the kind alone before. */
  readonly inputScaling?: ScalingJSON | ScalingKind;
  readonly outputScaling?: ScalingJSON | 'standard';
  readonly classes?: Label[];
}

/** A validated model: the input width and each layer's shape, activation and values. */
export interface NetworkPlan {
  readonly input: number;
  readonly layers: ReadonlyArray<{
    readonly inputs: number;
    readonly units: number;
    readonly activation: Activation;
    readonly weights: Float64Array;
    readonly biases: Float64Array;
  }>;
  /** Scaling, classes and dropout (version 2). */
  readonly model?: ModelData;
}

export interface FromJSONOptions {
  /** Your own activations, by the name their `toJSON()` writes. */
  readonly activations?: Readonly<Record<string, Activation>>;
}

export function networkToJSON(net: { readonly input: number; readonly layers: readonly Dense[] }, model?: ModelData): NetworkJSON {
  // JSON has no NaN or Infinity (JSON.stringify writes null): refuse to write a file that cannot load.
  net.layers.forEach((l, n) => {
    for (const [name, values] of [['weights', l.weights.data], ['biases', l.biases]] as const) {
      for (let i = 0; i < values.length; i++) {
        if (!Number.isFinite(values[i]!)) fail('Network.toJSON', `this.layers[${n}].${name}`, 'finite numbers to be saved', `${describe(values[i])} at index ${i}`);
      }
    }
  });
  const d = model ?? plainModelData(net.layers.length);
  const scaling = (kind: string, s: Scaling | undefined): ScalingJSON | ScalingKind => (s === undefined ? (kind as ScalingKind) : scalingToJSON(s));
  return {
    format: FORMAT,
    version: VERSION,
    input: net.input,
    layers: net.layers.map((l, n) => ({
      type: 'dense' as const,
      units: l.units,
      activation: l.activation.toJSON(),
      ...(d.dropout[n]! > 0 ? { dropout: d.dropout[n]! } : {}),
      weights: Array.from(l.weights.data),
      biases: Array.from(l.biases),
    })),
    ...(d.inputKind !== 'none' ? { inputScaling: scaling(d.inputKind, d.input) } : {}),
    ...(d.outputKind !== 'none' ? { outputScaling: scaling(d.outputKind, d.output) as ScalingJSON | 'standard' } : {}),
    ...(d.classes !== undefined ? { classes: d.classes.labels.slice() } : {}),
  };
}

const WHERE = 'Network.fromJSON';
const TOP_KEYS_V1 = ['format', 'version', 'input', 'layers'];
const LAYER_KEYS_V1 = ['units', 'activation', 'weights', 'biases'];
const TOP_KEYS = [...TOP_KEYS_V1, 'inputScaling', 'outputScaling', 'classes'];
const LAYER_KEYS = ['type', 'units', 'activation', 'dropout', 'weights', 'biases'];

function own(o: object, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(o, key) ? (o as Record<string, unknown>)[key] : undefined;
}

function plainObject(arg: string, v: unknown): object {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) fail(WHERE, arg, 'an object', v);
  return v;
}

function onlyKeys(arg: string, o: object, allowed: readonly string[]): void {
  for (const key of Object.keys(o)) {
    if (!allowed.includes(key)) {
      throw new DeltapropError(`${WHERE}: argument "${arg}" has an unknown field ${describe(key)}; expected only ${allowed.join(', ')}`);
    }
  }
}

function readCount(arg: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > MAX_ELEMENTS) {
    fail(WHERE, arg, `an integer in [1, ${MAX_ELEMENTS}]`, v);
  }
  return v;
}

/** Copies an array of exactly `length` finite numbers into a new Float64Array (length checked first). */
function readNumbers(arg: string, v: unknown, length: number): Float64Array {
  if (!Array.isArray(v)) fail(WHERE, arg, `an array of ${length} numbers`, v);
  if (v.length !== length) fail(WHERE, arg, `an array of ${length} numbers`, `${v.length} values`);
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const x: unknown = v[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) fail(WHERE, `${arg}[${i}]`, 'a finite number', x);
    out[i] = x;
  }
  return out;
}

export function networkFromJSON(json: unknown, options?: FromJSONOptions): NetworkPlan {
  let custom: Readonly<Record<string, Activation>> | undefined;
  if (options !== undefined) {
    const o = plainObject('options', options);
    onlyKeys('options', o, ['activations']);
    const acts = own(o, 'activations');
    if (acts !== undefined) {
      custom = plainObject('options.activations', acts) as Record<string, Activation>;
      for (const [name, f] of Object.entries(custom)) {
        const o = f as unknown as Record<string, unknown> | null;
        const methods = o !== null && typeof o === 'object' && ['forward', 'backward', 'jacobian', 'toJSON'].every((m) => typeof o[m] === 'function');
        if (!methods) fail(WHERE, `options.activations.${name}`, 'an Activation object (with forward, backward, jacobian and toJSON)', f);
        resolveActivation(WHERE, `options.activations.${name}`, f);
      }
    }
  }
  let doc: unknown = json;
  if (typeof json === 'string') {
    try {
      doc = JSON.parse(json);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new DeltapropError(`${WHERE}: argument "json" must be valid JSON text, got a string that does not parse (${reason})`);
    }
  }
  const top = plainObject('json', doc);
  const format = own(top, 'format');
  if (format !== FORMAT) fail(WHERE, 'json.format', `'${FORMAT}'`, format);
  const version = own(top, 'version');
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    fail(WHERE, 'json.version', 'a positive integer', version);
  }
  if (version > VERSION) {
    throw new DeltapropError(
      `${WHERE}: argument "json.version" must be at most ${VERSION} (this version of deltaprop reads formats 1 to ${VERSION}), got ${version}; upgrade deltaprop to load it`,
    );
  }
  const v2 = version === 2;
  onlyKeys('json', top, v2 ? TOP_KEYS : TOP_KEYS_V1);
  const input = readCount('json.input', own(top, 'input'));
  const layersJSON = own(top, 'layers');
  if (!Array.isArray(layersJSON) || layersJSON.length === 0) fail(WHERE, 'json.layers', 'a non-empty array', layersJSON);
  if (layersJSON.length > MAX_LAYERS) fail(WHERE, 'json.layers', `at most ${MAX_LAYERS} layers`, `${layersJSON.length}`);

  // First pass: shapes only, so that nothing large is allocated for a file that lies about its sizes.
  let inputs = input;
  let total = 0;
  for (let n = 0; n < layersJSON.length; n++) {
    const arg = `json.layers[${n}]`;
    const l = plainObject(arg, layersJSON[n]);
    onlyKeys(arg, l, v2 ? LAYER_KEYS : LAYER_KEYS_V1);
    if (v2 && own(l, 'type') !== 'dense') fail(WHERE, `${arg}.type`, "'dense'", own(l, 'type'));
    const units = readCount(`${arg}.units`, own(l, 'units'));
    total += units * inputs + units;
    if (total > MAX_ELEMENTS) fail(WHERE, 'json.layers', `at most ${MAX_ELEMENTS} parameters in all`, `${total} or more`);
    const w = own(l, 'weights');
    if (!Array.isArray(w) || w.length !== units * inputs) {
      fail(WHERE, `${arg}.weights`, `an array of units × inputs = ${units} × ${inputs} = ${units * inputs} numbers`, Array.isArray(w) ? `${w.length} values` : w);
    }
    const b = own(l, 'biases');
    if (!Array.isArray(b) || b.length !== units) fail(WHERE, `${arg}.biases`, `an array of ${units} numbers`, Array.isArray(b) ? `${b.length} values` : b);
    inputs = units;
  }

  const layers: Array<NetworkPlan['layers'][number]> = [];
  inputs = input;
  for (let n = 0; n < layersJSON.length; n++) {
    const arg = `json.layers[${n}]`;
    const l = layersJSON[n] as object;
    const units = own(l, 'units') as number;
    const activation = resolveActivation(WHERE, `${arg}.activation`, own(l, 'activation'), custom);
    const weights = readNumbers(`${arg}.weights`, own(l, 'weights'), units * inputs);
    const biases = readNumbers(`${arg}.biases`, own(l, 'biases'), units);
    layers.push({ inputs, units, activation, weights, biases });
    inputs = units;
  }
  if (!v2) return { input, layers };
  const k = layers.length, out = layers[k - 1]!;
  checkOutputLayer(WHERE, `json.layers[${k - 1}]`, out.activation, out.units);
  const dropout = layers.map((_, n) => readDropout(WHERE, `json.layers[${n}].dropout`, own(layersJSON[n] as object, 'dropout'), n === k - 1));
  const readSide = (arg: string, v: unknown, width: number, output: boolean): { kind: ScalingKind | 'none'; stats: Scaling | undefined } => {
    if (v === undefined) return { kind: 'none', stats: undefined };
    if (v === 'standard' || (!output && v === 'minMax')) return { kind: v, stats: undefined };
    const stats = readScaling(WHERE, arg, v, width);
    if (output && stats.kind !== 'standard') fail(WHERE, `${arg}.kind`, "'standard'", stats.kind);
    return { kind: stats.kind, stats };
  };
  const si = readSide('json.inputScaling', own(top, 'inputScaling'), input, false);
  const so = readSide('json.outputScaling', own(top, 'outputScaling'), out.units, true);
  if (so.kind !== 'none' && classifierKind(out.activation, out.units) !== undefined) {
    fail(WHERE, 'json.outputScaling', 'absent for a classifier (output scaling is for regression targets)', own(top, 'outputScaling'));
  }
  const classesJSON = own(top, 'classes');
  const classes = classesJSON === undefined ? undefined : readClasses(WHERE, 'json.classes', classesJSON);
  if (classes !== undefined) {
    if (typeof classesJSON === 'number') fail(WHERE, 'json.classes', 'an array of labels', classesJSON);
    checkClasses(WHERE, 'json.classes', classes, out.activation, out.units);
  }
  const model: ModelData = { inputKind: si.kind, outputKind: so.kind as 'standard' | 'none', input: si.stats, output: so.stats, classes, dropout };
  return { input, layers, model };
}
