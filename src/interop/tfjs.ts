/**
 * The TensorFlow.js layers format: a Keras-style Sequential topology, weight specs and one
 * float32 weight buffer, as `tf.io.fromMemory` takes them and the tfjs converter writes them.
 * A Dense kernel is Wᵀ (inputs × units); a leaky ReLU is a separate LeakyReLU layer.
 */
import { DeltapropError, fail } from '../core/errors.js';
import { MAX_ELEMENTS } from '../core/matrix.js';
import type { LayerJSON, NetworkJSON } from '../io/json.js';
import { Network } from '../network.js';
import { DELTAPROP_VERSION, extrasOf, type ModelExtras, viewModel } from './model-view.js';

export interface TFJSWeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32';
}

/** What `toTFJS` returns: a tfjs `ModelArtifacts` (pass it to `tf.io.fromMemory`) and the precision lost. */
export interface TFJSArtifacts {
  modelTopology: Record<string, unknown>;
  weightSpecs: TFJSWeightSpec[];
  /** float32 little-endian values in the order of `weightSpecs`. */
  weightData: ArrayBuffer;
  format: 'layers-model';
  generatedBy: string;
  convertedBy: null;
  /** The largest change of any weight or bias from rounding to float32 (absolute, and relative to the value). */
  precisionLoss: { maxAbsolute: number; maxRelative: number };
}

/** What `fromTFJS` reads: `ModelArtifacts` with `weightSpecs`, or a converter's model.json with `weightsManifest` and the shards' bytes concatenated. */
export interface TFJSInput {
  readonly modelTopology: unknown;
  readonly weightSpecs?: readonly unknown[];
  readonly weightsManifest?: readonly unknown[];
  readonly weightData: ArrayBuffer | Uint8Array | readonly ArrayBuffer[];
}

const TFJS_ACTIVATION: Record<string, string> = { identity: 'linear', leakyRelu: 'linear', sigmoid: 'sigmoid', tanh: 'tanh', relu: 'relu', softplus: 'softplus', softmax: 'softmax' };

/** Writes `net` in the TensorFlow.js layers format (weights in float32). */
export function toTFJS(net: Network): TFJSArtifacts {
  return exportTFJS('toTFJS', net, extrasOf('toTFJS', net));
}

/**
 * toTFJS with the model's extras. tfjs has no per-feature scaling layer, so input scaling is folded
 * into the first layer (W' = W / divisor, B' = B − W' · shift) and output scaling into an identity
 * last layer (W' = divisor · W, B' = divisor · B + shift), in float64 before the float32 rounding.
 */
export function exportTFJS(where: string, net: unknown, extras: ModelExtras): TFJSArtifacts {
  const view = viewModel(where, net, 'TensorFlow.js', extras);
  const layers: Array<{ class_name: string; config: Record<string, unknown> }> = [];
  const specs: TFJSWeightSpec[] = [];
  const chunks: Float64Array[] = [];
  const count = view.layers.length;
  view.layers.forEach((l, n) => {
    let W = l.weights;
    let B = l.biases;
    const sIn = n === 0 ? view.extras.input : undefined;
    if (sIn !== undefined) {
      W = new Float64Array(W.length);
      B = l.biases.slice();
      for (let i = 0; i < l.units; i++) {
        for (let j = 0; j < l.inputs; j++) {
          const w = l.weights[i * l.inputs + j]! / sIn.divisor[j]!;
          W[i * l.inputs + j] = w;
          B[i] = B[i]! - w * sIn.shift[j]!;
        }
      }
    }
    const sOut = n === count - 1 ? view.extras.output : undefined;
    if (sOut !== undefined) {
      if (l.activation !== 'identity') fail(where, 'net.scaling.output', 'absent unless the last layer is identity (tfjs has no scaling layer to put after an activation)', `output scaling after '${l.activation}'`);
      W = W.slice();
      B = B.slice();
      for (let i = 0; i < l.units; i++) {
        for (let j = 0; j < l.inputs; j++) W[i * l.inputs + j] = W[i * l.inputs + j]! * sOut.divisor[i]!;
        B[i] = B[i]! * sOut.divisor[i]! + sOut.shift[i]!;
      }
    }
    const name = `dense_${n + 1}`;
    const config: Record<string, unknown> = {
      units: l.units,
      activation: TFJS_ACTIVATION[l.activation],
      use_bias: true,
      kernel_initializer: { class_name: 'Zeros', config: {} },
      bias_initializer: { class_name: 'Zeros', config: {} },
      name,
      trainable: true,
      dtype: 'float32',
    };
    if (n === 0) config['batch_input_shape'] = [null, l.inputs];
    layers.push({ class_name: 'Dense', config });
    if (l.activation === 'leakyRelu') layers.push({ class_name: 'LeakyReLU', config: { alpha: l.slope, name: `leaky_re_lu_${n + 1}`, trainable: true, dtype: 'float32' } });
    // kernel = Wᵀ: inputs × units
    const K = new Float64Array(l.inputs * l.units);
    for (let i = 0; i < l.units; i++) for (let j = 0; j < l.inputs; j++) K[j * l.units + i] = W[i * l.inputs + j]!;
    specs.push({ name: `${name}/kernel`, shape: [l.inputs, l.units], dtype: 'float32' }, { name: `${name}/bias`, shape: [l.units], dtype: 'float32' });
    chunks.push(K, B);
  });
  let total = 0;
  for (const c of chunks) total += c.length;
  const weightData = new ArrayBuffer(total * 4);
  const dv = new DataView(weightData);
  let at = 0;
  let maxAbsolute = 0;
  let maxRelative = 0;
  for (const c of chunks) {
    for (let i = 0; i < c.length; i++) {
      const v = c[i]!;
      const f = Math.fround(v);
      if (!Number.isFinite(f)) fail(where, 'net', 'weights within the float32 range', `${v}`);
      const d = Math.abs(f - v);
      if (d > maxAbsolute) maxAbsolute = d;
      if (v !== 0 && d / Math.abs(v) > maxRelative) maxRelative = d / Math.abs(v);
      dv.setFloat32(at, v, true);
      at += 4;
    }
  }
  const generatedBy = `deltaprop ${DELTAPROP_VERSION}`;
  return {
    modelTopology: {
      class_name: 'Sequential',
      config: { name: 'deltaprop', layers },
      keras_version: `tfjs-layers (${generatedBy})`,
      backend: 'tensor_flow.js',
    },
    weightSpecs: specs,
    weightData,
    format: 'layers-model',
    generatedBy,
    convertedBy: null,
    precisionLoss: { maxAbsolute, maxRelative },
  };
}

// ---------------------------------------------------------------------------------------------
// Import
// ---------------------------------------------------------------------------------------------

const WHERE = 'fromTFJS';
const FROM_TFJS: Record<string, string> = { linear: 'identity', relu: 'relu', sigmoid: 'sigmoid', tanh: 'tanh', softplus: 'softplus', softmax: 'softmax' };
const MAX_LAYERS = 10_000;

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function own(o: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined;
}

/** Reads a TensorFlow.js layers model (Sequential of Dense, LeakyReLU, Activation, Flatten, Dropout, InputLayer). */
export function fromTFJS(artifacts: TFJSInput): Network {
  return Network.fromJSON(importTFJS(artifacts));
}

export function importTFJS(artifacts: unknown): NetworkJSON {
  if (!isObject(artifacts)) fail(WHERE, 'artifacts', 'an object with modelTopology, weightSpecs (or weightsManifest) and weightData', artifacts);
  let topology = own(artifacts, 'modelTopology');
  if (isObject(topology) && isObject(own(topology, 'model_config'))) topology = own(topology, 'model_config');
  if (!isObject(topology)) fail(WHERE, 'artifacts.modelTopology', 'an object (a Keras model config)', topology);
  const className = own(topology, 'class_name');
  if (className !== 'Sequential') fail(WHERE, 'artifacts.modelTopology.class_name', "'Sequential' (deltaprop reads sequential models only)", className);
  const config = own(topology, 'config');
  const layerList = Array.isArray(config) ? config : isObject(config) ? own(config, 'layers') : undefined;
  if (!Array.isArray(layerList) || layerList.length === 0 || layerList.length > MAX_LAYERS) {
    fail(WHERE, 'artifacts.modelTopology.config.layers', `an array of 1 to ${MAX_LAYERS} layers`, layerList);
  }

  const specs = readSpecs(artifacts);
  const data = readData(artifacts);
  const offsets = new Map<string, { offset: number; count: number; shape: number[] }>();
  let offset = 0;
  for (const s of specs) {
    offsets.set(s.name, { offset, count: s.count, shape: s.shape });
    offset += s.count * 4;
  }
  if (offset !== data.length) fail(WHERE, 'artifacts.weightData', `${offset} bytes (the float32 values the weight specs declare)`, `${data.length} bytes`);
  const dv = new DataView(data.buffer, data.byteOffset, data.length);
  const weight = (name: string, shape: number[]): number[] => {
    let w = offsets.get(name);
    if (w === undefined) for (const [k, v] of offsets) if (k.endsWith(`/${name}`)) w = v;
    if (w === undefined) throw new DeltapropError(`${WHERE}: argument "artifacts.weightSpecs" has no weight named "${name}"`);
    if (w.shape.length !== shape.length || w.shape.some((d, i) => d !== shape[i])) {
      throw new DeltapropError(`${WHERE}: argument "artifacts.weightSpecs" gives "${name}" the shape [${w.shape.join(', ')}], expected [${shape.join(', ')}]`);
    }
    const out = new Array<number>(w.count);
    for (let i = 0; i < w.count; i++) {
      const v = dv.getFloat32(w.offset + 4 * i, true);
      if (!Number.isFinite(v)) throw new DeltapropError(`${WHERE}: argument "artifacts.weightData" holds ${v} in "${name}" at index ${i}`);
      out[i] = v;
    }
    return out;
  };

  const layers: Array<{ units: number; activation: LayerJSON['activation'] | undefined; weights: number[]; biases: number[] }> = [];
  let input: number | undefined;
  let width: number | undefined;
  (layerList as unknown[]).forEach((entry, n) => {
    const arg = `artifacts.modelTopology.config.layers[${n}]`;
    if (!isObject(entry)) fail(WHERE, arg, 'an object', entry);
    const cls = own(entry, 'class_name');
    const c = own(entry, 'config');
    if (!isObject(c)) fail(WHERE, `${arg}.config`, 'an object', c);
    const dtype = own(c, 'dtype');
    if (dtype !== undefined && dtype !== 'float32' && !isObject(dtype)) fail(WHERE, `${arg}.config.dtype`, "'float32'", dtype);
    const shape = own(c, 'batch_input_shape') ?? own(c, 'batch_shape') ?? own(c, 'batchInputShape');
    if (shape !== undefined) {
      if (n > (cls === 'InputLayer' ? 0 : 1) || layers.length > 0) fail(WHERE, `${arg}.config.batch_input_shape`, 'only on the first layer', shape);
      if (!Array.isArray(shape) || shape.length < 2 || shape.slice(1).some((d) => typeof d !== 'number' || !Number.isInteger(d) || d < 1 || d > MAX_ELEMENTS)) {
        fail(WHERE, `${arg}.config.batch_input_shape`, '[null, features, …] with positive integer features', shape);
      }
      const w = (shape.slice(1) as number[]).reduce((a, b) => a * b, 1);
      if (w > MAX_ELEMENTS) fail(WHERE, `${arg}.config.batch_input_shape`, `at most ${MAX_ELEMENTS} features`, w);
      if (shape.length > 2 && cls !== 'InputLayer' && cls !== 'Flatten') fail(WHERE, `${arg}.config.batch_input_shape`, '[null, features] (add a Flatten layer for more dimensions)', shape);
      input = width = w;
    }
    const last = layers[layers.length - 1];
    const setActivation = (a: LayerJSON['activation']): void => {
      if (last === undefined || last.activation !== undefined) {
        fail(WHERE, arg, last === undefined ? 'a layer after a Dense layer' : 'after a Dense layer with a linear activation (deltaprop has one activation per layer)', cls);
      }
      last.activation = a;
    };
    switch (cls) {
      case 'InputLayer':
      case 'Flatten':
      case 'Dropout':
        if (cls === 'Flatten' && layers.length > 0) fail(WHERE, arg, 'a Flatten before the first Dense layer', 'a Flatten after it');
        break;
      case 'Dense': {
        const units = own(c, 'units');
        if (typeof units !== 'number' || !Number.isInteger(units) || units < 1 || units > MAX_ELEMENTS) fail(WHERE, `${arg}.config.units`, 'a positive integer', units);
        if (width === undefined) fail(WHERE, arg, 'a model whose first layer declares batch_input_shape', 'no input shape');
        if (units * width > MAX_ELEMENTS) fail(WHERE, `${arg}.config.units`, `at most ${MAX_ELEMENTS} weights`, units * width);
        const act = own(c, 'activation') ?? 'linear';
        const name = own(c, 'name');
        if (typeof name !== 'string') fail(WHERE, `${arg}.config.name`, 'a string', name);
        if (typeof act !== 'string' || FROM_TFJS[act] === undefined) fail(WHERE, `${arg}.config.activation`, `one of ${Object.keys(FROM_TFJS).map((k) => `'${k}'`).join(', ')}`, act);
        const useBias = own(c, 'use_bias') ?? true;
        if (typeof useBias !== 'boolean') fail(WHERE, `${arg}.config.use_bias`, 'true or false', useBias);
        const K = weight(`${name}/kernel`, [width, units]);
        const W = new Array<number>(units * width);
        for (let i = 0; i < units; i++) for (let j = 0; j < width; j++) W[i * width + j] = K[j * units + i]!;
        const B = useBias ? weight(`${name}/bias`, [units]) : new Array<number>(units).fill(0);
        if (last !== undefined && last.activation === undefined) last.activation = 'identity';
        layers.push({ units, activation: act === 'linear' ? undefined : FROM_TFJS[act], weights: W, biases: B });
        width = units;
        break;
      }
      case 'LeakyReLU': {
        const alpha = own(c, 'alpha') ?? own(c, 'negative_slope') ?? 0.3;
        if (typeof alpha !== 'number' || !Number.isFinite(alpha)) fail(WHERE, `${arg}.config.alpha`, 'a finite number', alpha);
        setActivation({ name: 'leakyRelu', slope: alpha });
        break;
      }
      case 'Activation': {
        const act = own(c, 'activation');
        if (typeof act !== 'string' || FROM_TFJS[act] === undefined) fail(WHERE, `${arg}.config.activation`, `one of ${Object.keys(FROM_TFJS).map((k) => `'${k}'`).join(', ')}`, act);
        if (act !== 'linear') setActivation(FROM_TFJS[act]);
        break;
      }
      default:
        fail(WHERE, `${arg}.class_name`, "'Dense', 'LeakyReLU', 'Activation', 'Flatten', 'Dropout' or 'InputLayer'", cls);
    }
  });
  if (layers.length === 0 || input === undefined) fail(WHERE, 'artifacts.modelTopology', 'a model with at least one Dense layer', 'none');
  return {
    format: 'deltaprop-network',
    version: 1,
    input,
    layers: layers.map((l) => ({ units: l.units, activation: l.activation ?? 'identity', weights: l.weights, biases: l.biases })),
  };
}

function readSpecs(artifacts: Record<string, unknown>): Array<{ name: string; shape: number[]; count: number }> {
  let list = own(artifacts, 'weightSpecs');
  let arg = 'artifacts.weightSpecs';
  if (list === undefined) {
    const manifest = own(artifacts, 'weightsManifest');
    arg = 'artifacts.weightsManifest';
    if (!Array.isArray(manifest)) fail(WHERE, 'artifacts.weightSpecs', 'an array of weight specs (or a weightsManifest)', list);
    list = manifest.flatMap((g: unknown, i) => {
      const w = isObject(g) ? own(g, 'weights') : undefined;
      if (!Array.isArray(w)) fail(WHERE, `artifacts.weightsManifest[${i}].weights`, 'an array', w);
      return w as unknown[];
    });
  }
  if (!Array.isArray(list) || list.length > 2 * MAX_LAYERS) fail(WHERE, arg, `an array of at most ${2 * MAX_LAYERS} weight specs`, list);
  let total = 0;
  return (list as unknown[]).map((s, i) => {
    if (!isObject(s)) fail(WHERE, `${arg}[${i}]`, 'an object', s);
    const name = own(s, 'name');
    const shape = own(s, 'shape');
    const dtype = own(s, 'dtype');
    if (typeof name !== 'string') fail(WHERE, `${arg}[${i}].name`, 'a string', name);
    if (dtype !== 'float32') fail(WHERE, `${arg}[${i}].dtype`, "'float32'", dtype);
    if (own(s, 'quantization') !== undefined) fail(WHERE, `${arg}[${i}].quantization`, 'absent (deltaprop reads unquantized weights)', own(s, 'quantization'));
    if (!Array.isArray(shape) || shape.length > 8 || shape.some((d) => typeof d !== 'number' || !Number.isInteger(d) || d < 0 || d > MAX_ELEMENTS)) {
      fail(WHERE, `${arg}[${i}].shape`, 'an array of non-negative integers', shape);
    }
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    total += count;
    if (total > MAX_ELEMENTS) fail(WHERE, arg, `at most ${MAX_ELEMENTS} values in all`, total);
    return { name, shape: shape as number[], count };
  });
}

function readData(artifacts: Record<string, unknown>): Uint8Array {
  const d = own(artifacts, 'weightData');
  if (d instanceof ArrayBuffer) return new Uint8Array(d);
  if (d instanceof Uint8Array) return d;
  if (Array.isArray(d) && d.every((b) => b instanceof ArrayBuffer)) {
    const parts = d;
    const out = new Uint8Array(parts.reduce((a, b) => a + b.byteLength, 0));
    let at = 0;
    for (const p of parts) {
      out.set(new Uint8Array(p), at);
      at += p.byteLength;
    }
    return out;
  }
  return fail(WHERE, 'artifacts.weightData', 'an ArrayBuffer, a Uint8Array or an array of ArrayBuffers', d);
}
