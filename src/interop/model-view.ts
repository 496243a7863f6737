/**
 * What every exporter reads from a network: its layers as plain arrays, each activation as one of
 * the built-in kinds, and the optional scaling and class labels. Exporters never touch the
 * network otherwise, so they change nothing.
 */
import { DeltapropError, fail } from '../core/errors.js';
import { Network } from '../network.js';

/** The version written into exported files. */
export const DELTAPROP_VERSION = '0.1.0';

export type ActivationKind = 'identity' | 'sigmoid' | 'tanh' | 'relu' | 'leakyRelu' | 'softplus' | 'softmax';

export interface LayerView {
  readonly inputs: number;
  readonly units: number;
  /** units × inputs, row-major (the layer's own array: never written). */
  readonly weights: Float64Array;
  readonly biases: Float64Array;
  readonly activation: ActivationKind;
  /** leakyRelu only. */
  readonly slope: number;
}

/** Per-feature affine maps: inputs x' = (x − shift) / divisor; outputs y = z · divisor + shift. */
export interface AffineScaling {
  readonly shift: Float64Array;
  readonly divisor: Float64Array;
}

/** What a model holds beyond its layers (input/output scaling, class labels). */
export interface ModelExtras {
  readonly input?: AffineScaling;
  readonly output?: AffineScaling;
  readonly classes?: readonly (string | number)[];
}

export interface ModelView {
  readonly input: number;
  readonly output: number;
  readonly layers: readonly LayerView[];
  readonly extras: ModelExtras;
}

/** The network's own extras: its scaling statistics, and its classes when there is one label per output. */
export function extrasOf(where: string, net: unknown): ModelExtras {
  if (!(net instanceof Network)) return {};
  const d = net.state.model;
  if ((d.inputKind !== 'none' && d.input === undefined) || (d.outputKind !== 'none' && d.output === undefined)) {
    throw new DeltapropError(`${where}: argument "net" scales its data but has no statistics yet; train it or call net.adapt(x, y) before exporting`);
  }
  const extras: { input?: AffineScaling; output?: AffineScaling; classes?: readonly (string | number)[] } = {};
  if (d.input !== undefined) extras.input = { shift: d.input.shift, divisor: d.input.divisor };
  if (d.output !== undefined) extras.output = { shift: d.output.shift, divisor: d.output.divisor };
  if (d.classes !== undefined && d.classes.labels.length === net.output) extras.classes = d.classes.labels;
  return extras;
}

const KINDS: readonly string[] = ['identity', 'sigmoid', 'tanh', 'relu', 'leakyRelu', 'softplus', 'softmax'];

/** Checks `net` and returns its view; `format` names the target in the message for a custom activation. */
export function viewModel(where: string, net: unknown, format: string, extras: ModelExtras = {}): ModelView {
  if (!(net instanceof Network)) fail(where, 'net', 'a Network', net);
  const layers = net.layers.map((l, n): LayerView => {
    const name = l.activation.name;
    const json = l.activation.toJSON();
    const jsonName = typeof json === 'string' ? json : json.name;
    if (!KINDS.includes(name) || jsonName !== name) {
      fail(where, `net.layers[${n}].activation`, `a built-in activation (${format} has no form for a custom one)`, `the custom activation '${name}'`);
    }
    let slope = 0;
    if (name === 'leakyRelu') {
      const s = typeof json === 'object' ? json['slope'] : undefined;
      if (typeof s !== 'number' || !Number.isFinite(s)) fail(where, `net.layers[${n}].activation.slope`, 'a finite number', s);
      slope = s;
    }
    for (const [arg, values] of [['weights', l.weights.data], ['biases', l.biases]] as const) {
      for (let i = 0; i < values.length; i++) {
        if (!Number.isFinite(values[i]!)) fail(where, `net.layers[${n}].${arg}`, 'finite numbers', `${String(values[i])} at index ${i}`);
      }
    }
    return { inputs: l.inputs, units: l.units, weights: l.weights.data, biases: l.biases, activation: name as ActivationKind, slope };
  });
  checkScaling(where, 'input', extras.input, net.input);
  checkScaling(where, 'output', extras.output, net.output);
  return { input: net.input, output: net.output, layers, extras };
}

function checkScaling(where: string, side: string, s: AffineScaling | undefined, width: number): void {
  if (s === undefined) return;
  for (const [arg, v] of [['shift', s.shift], ['divisor', s.divisor]] as const) {
    if (!(v instanceof Float64Array) || v.length !== width) fail(where, `net.scaling.${side}.${arg}`, `a Float64Array of ${width} values`, v);
    for (let i = 0; i < width; i++) {
      if (!Number.isFinite(v[i]!) || (arg === 'divisor' && v[i] === 0)) fail(where, `net.scaling.${side}.${arg}[${i}]`, arg === 'divisor' ? 'a finite non-zero number' : 'a finite number', v[i]);
    }
  }
}

/** "784 → 128 relu → 10 softmax". */
export function describeShapes(view: ModelView): string {
  return [String(view.input), ...view.layers.map((l) => `${l.units} ${l.activation === 'leakyRelu' ? `leakyRelu(${l.slope})` : l.activation}`)].join(' → ');
}
