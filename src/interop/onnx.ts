/**
 * ONNX export of fully connected networks (the reader is onnx-import.ts).
 *
 * Export: input [batch, in] → per layer Gemm(Z, W, B; transB = 1) (W is units × inputs) and its
 * activation → output [batch, out]. Where onnxruntime has no float64 kernel, the activation is
 * written with ops it has, chosen to give deltaprop's values:
 *   leakyRelu(x) = Where(x > 0, x, slope·x)                      (exact; LeakyRelu's alpha is a float32)
 *   softplus(x)  = Relu(x) + log1p(e^−|x|),  log1p(u) = Where(1 + u = 1, u, log(1 + u)·(u / ((1 + u) − 1)))
 *   sigmoid(x)   = Where(x < 0, e/(1 + e), 1/(1 + e)), e = e^−|x|   (its float64 Sigmoid is 0 below −37)
 * Input scaling is Sub/Div before the first Gemm, output scaling Mul/Add after the last activation.
 */
import { fail } from '../core/errors.js';
import { checkOptionNames, toOptions } from '../core/schema.js';
import type { Network } from '../network.js';
import { DELTAPROP_VERSION, extrasOf, describeShapes, type LayerView, type ModelExtras, viewModel } from './model-view.js';
import { ProtoWriter } from './protobuf.js';

export interface ToONNXOptions {
  /** Element type of the inputs, weights and outputs. @default 'float64' */
  readonly precision?: 'float64' | 'float32';
  /** The ONNX operator set (13 to 21). @default 13 */
  readonly opset?: number;
}

/** TensorProto data types and AttributeProto types used here and by the reader. */
export const FLOAT = 1;
export const DOUBLE = 11;
export const ATTR_FLOAT = 1;
export const ATTR_INT = 2;
const MIN_OPSET = 13;
const MAX_OPSET = 21;

/** The IR version that goes with an opset (the oldest that defines it). */
function irVersion(opset: number): number {
  return opset <= 14 ? 7 : opset <= 18 ? 8 : opset <= 20 ? 9 : 10;
}

// ---------------------------------------------------------------------------------------------
// Export
// ---------------------------------------------------------------------------------------------

/** Writes `net` as an ONNX ModelProto. */
export function toONNX(net: Network, options?: ToONNXOptions): Uint8Array {
  return exportONNX('toONNX', net, options, extrasOf('toONNX', net));
}

/** toONNX with the model's extras (scaling); the entry point of the tests until the network carries them. */
export function exportONNX(where: string, net: unknown, options: unknown, extras: ModelExtras): Uint8Array {
  const o = toOptions(where, 'options', options);
  checkOptionNames(where, 'options', o, ['precision', 'opset']);
  const precision = o['precision'] ?? 'float64';
  if (precision !== 'float64' && precision !== 'float32') fail(where, 'options.precision', "'float64' or 'float32'", precision);
  const opset = o['opset'] ?? 13;
  if (typeof opset !== 'number' || !Number.isInteger(opset) || opset < MIN_OPSET || opset > MAX_OPSET) {
    fail(where, 'options.opset', `an integer in [${MIN_OPSET}, ${MAX_OPSET}]`, opset);
  }
  const view = viewModel(where, net, 'ONNX', extras);
  const f64 = precision === 'float64';
  const elem = f64 ? DOUBLE : FLOAT;
  const g = new GraphBuilder(elem);

  let x = 'input';
  const sIn = view.extras.input;
  if (sIn !== undefined) {
    g.node('Sub', [x, g.tensor('input.shift', [view.input], sIn.shift)], 'input.centred', 'input scaling: x − shift');
    g.node('Div', ['input.centred', g.tensor('input.divisor', [view.input], sIn.divisor)], 'input.scaled', 'input scaling: (x − shift) / divisor');
    x = 'input.scaled';
  }
  view.layers.forEach((l, n) => {
    const W = g.tensor(`layer${n}.weight`, [l.units, l.inputs], l.weights);
    const B = g.tensor(`layer${n}.bias`, [l.units], l.biases);
    g.node('Gemm', [x, W, B], `layer${n}.sum`, `layer ${n}: A = Z·Wᵀ + B, W ${l.units} × ${l.inputs} (units × inputs)`, [['transB', ATTR_INT, 1]]);
    x = activation(g, l, n, `layer${n}.sum`, f64);
  });
  const sOut = view.extras.output;
  if (sOut !== undefined) {
    g.node('Mul', [x, g.tensor('output.divisor', [view.output], sOut.divisor)], 'output.scaled', 'output scaling: z · divisor');
    g.node('Add', ['output.scaled', g.tensor('output.shift', [view.output], sOut.shift)], 'output.shifted', 'output scaling: z · divisor + shift');
    x = 'output.shifted';
  }
  g.node('Identity', [x], 'output', 'the network output');

  const graph = new ProtoWriter();
  for (const nd of g.nodes) graph.message(1, nd);
  graph.string(2, 'deltaprop');
  for (const t of g.initializers) graph.message(5, t);
  graph.string(10, `deltaprop ${DELTAPROP_VERSION} fully connected network ${describeShapes(view)}, ${precision}`);
  graph.message(11, valueInfo('input', elem, view.input));
  graph.message(12, valueInfo('output', elem, view.output));

  const model = new ProtoWriter();
  model.uint(1, irVersion(opset));
  model.string(2, 'deltaprop');
  model.string(3, DELTAPROP_VERSION);
  model.string(6, `Exported by deltaprop ${DELTAPROP_VERSION}: input [batch, ${view.input}] → ${view.layers.map((l) => `Dense ${l.units} (${l.activation})`).join(' → ')} → output [batch, ${view.output}], ${precision}. Dense layers are Gemm(transB = 1) with W units × inputs.`);
  model.message(7, graph);
  model.message(8, new ProtoWriter().uint(2, opset));
  return model.finish();
}

function activation(g: GraphBuilder, l: LayerView, n: number, x: string, f64: boolean): string {
  const out = `layer${n}.out`;
  const p = `layer${n}.${l.activation}`;
  switch (l.activation) {
    case 'identity':
      return x;
    case 'relu':
      return g.node('Relu', [x], out);
    case 'sigmoid': {
      // onnxruntime's float64 Sigmoid loses the relative precision of its negative tail (0 below −37).
      if (!f64) return g.node('Sigmoid', [x], out);
      const one = g.scalar(`${p}.one`, 1);
      g.node('Abs', [x], `${p}.abs`, 'sigmoid(x) = 1 / (1 + e^−x) for x ≥ 0, e^x / (1 + e^x) for x < 0');
      g.node('Neg', [`${p}.abs`], `${p}.neg`);
      g.node('Exp', [`${p}.neg`], `${p}.e`);
      g.node('Add', [one, `${p}.e`], `${p}.d`);
      g.node('Div', [one, `${p}.d`], `${p}.positive`);
      g.node('Div', [`${p}.e`, `${p}.d`], `${p}.negative`);
      g.node('Less', [x, g.scalar(`${p}.zero`, 0)], `${p}.isNegative`);
      return g.node('Where', [`${p}.isNegative`, `${p}.negative`, `${p}.positive`], out);
    }
    case 'tanh':
      return g.node('Tanh', [x], out);
    case 'softmax':
      return g.node('Softmax', [x], out, undefined, [['axis', ATTR_INT, 1]]);
    case 'leakyRelu':
      if (!f64) return g.node('LeakyRelu', [x], out, undefined, [['alpha', ATTR_FLOAT, l.slope]]);
      g.node('Mul', [x, g.scalar(`${p}.slope`, l.slope)], `${p}.scaled`, `leakyRelu(${l.slope}) = Where(x > 0, x, slope·x)`);
      g.node('Greater', [x, g.scalar(`${p}.zero`, 0)], `${p}.positive`);
      return g.node('Where', [`${p}.positive`, x, `${p}.scaled`], out);
    case 'softplus': {
      if (!f64) return g.node('Softplus', [x], out);
      const one = g.scalar(`${p}.one`, 1);
      g.node('Relu', [x], `${p}.max`, 'softplus(x) = max(x, 0) + log1p(e^−|x|)');
      g.node('Abs', [x], `${p}.abs`);
      g.node('Neg', [`${p}.abs`], `${p}.neg`);
      g.node('Exp', [`${p}.neg`], `${p}.u`);
      g.node('Add', [`${p}.u`, one], `${p}.w`, 'log1p(u) = u if 1 + u = 1, else log(1 + u) · u / ((1 + u) − 1)');
      g.node('Equal', [`${p}.w`, one], `${p}.tiny`);
      g.node('Log', [`${p}.w`], `${p}.logw`);
      g.node('Sub', [`${p}.w`, one], `${p}.wm1`);
      g.node('Div', [`${p}.u`, `${p}.wm1`], `${p}.ratio`);
      g.node('Mul', [`${p}.logw`, `${p}.ratio`], `${p}.corrected`);
      g.node('Where', [`${p}.tiny`, `${p}.u`, `${p}.corrected`], `${p}.log1p`);
      return g.node('Add', [`${p}.max`, `${p}.log1p`], out);
    }
  }
}

type Attribute = readonly [name: string, type: number, value: number];

class GraphBuilder {
  readonly nodes: ProtoWriter[] = [];
  readonly initializers: ProtoWriter[] = [];
  private readonly elem: number;
  private count = 0;

  constructor(elem: number) {
    this.elem = elem;
  }

  node(op: string, inputs: string[], output: string, doc?: string, attrs: Attribute[] = []): string {
    const w = new ProtoWriter();
    for (const i of inputs) w.string(1, i);
    w.string(2, output);
    w.string(3, `${op}_${this.count++}`);
    w.string(4, op);
    for (const [name, type, value] of attrs) {
      const a = new ProtoWriter().string(1, name);
      if (type === ATTR_INT) a.int64(3, value);
      else a.float(2, value);
      a.uint(20, type);
      w.message(5, a);
    }
    if (doc !== undefined) w.string(6, doc);
    this.nodes.push(w);
    return output;
  }

  tensor(name: string, dims: number[], values: ArrayLike<number>): string {
    const size = this.elem === DOUBLE ? 8 : 4;
    const raw = new Uint8Array(values.length * size);
    const dv = new DataView(raw.buffer);
    for (let i = 0; i < values.length; i++) {
      if (size === 8) dv.setFloat64(i * 8, values[i]!, true);
      else dv.setFloat32(i * 4, values[i]!, true);
    }
    const t = new ProtoWriter();
    for (const d of dims) t.uint(1, d);
    t.uint(2, this.elem);
    t.string(8, name);
    t.bytes(9, raw);
    this.initializers.push(t);
    return name;
  }

  scalar(name: string, value: number): string {
    return this.tensor(name, [], [value]);
  }
}

function valueInfo(name: string, elem: number, width: number): ProtoWriter {
  const shape = new ProtoWriter()
    .message(1, new ProtoWriter().string(2, 'batch'))
    .message(1, new ProtoWriter().uint(1, width));
  const tensorType = new ProtoWriter().uint(1, elem).message(2, shape);
  return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
}
