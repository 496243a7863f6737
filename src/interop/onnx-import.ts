/**
 * ONNX import: one chain of Gemm (or MatMul + Add) layers and activations from the graph's input
 * to its output, as deltaprop (onnx.ts, including its float64 compositions) and PyTorch's
 * torch.onnx.export write them. Everything else is a DeltapropError naming the node and op; the
 * decoding is bounded (protobuf.ts) and every tensor's declared size is checked against its data
 * before anything is allocated.
 */
import { DeltapropError, fail } from '../core/errors.js';
import { MAX_ELEMENTS } from '../core/matrix.js';
import type { LayerJSON, NetworkJSON } from '../io/json.js';
import { Network } from '../network.js';
import type { AffineScaling, ModelExtras } from './model-view.js';
import { ATTR_FLOAT, DOUBLE, FLOAT } from './onnx.js';
import { decodeMessage, FIXED32, FIXED64, LEN, type ProtoMessage } from './protobuf.js';

const WHERE = 'fromONNX';
const MAX_NODES = 100_000;
const MAX_RANK = 8;

interface Tensor {
  readonly name: string;
  readonly dims: readonly number[];
  readonly values: Float64Array;
}

interface Node {
  readonly index: number;
  readonly op: string;
  readonly name: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly msg: ProtoMessage;
}

/** What an ONNX file holds in deltaprop's terms. */
export interface ImportedONNX {
  readonly json: NetworkJSON;
  readonly extras: ModelExtras;
}

/** Reads an ONNX file of a fully connected network. */
export function fromONNX(bytes: Uint8Array | ArrayBuffer): Network {
  const { json, extras } = importONNX(bytes);
  if (extras.input === undefined && extras.output === undefined) return Network.fromJSON(json);
  // Sub/Div before the first layer and Mul/Add after the last: a version-2 network with that scaling.
  const side = (name: string, s: AffineScaling): { kind: 'standard'; shift: number[]; divisor: number[] } => {
    for (let i = 0; i < s.divisor.length; i++) {
      if (!(s.divisor[i]! > 0)) throw new DeltapropError(`${WHERE}: argument "bytes" holds ${name} scaling with a divisor of ${s.divisor[i]} at index ${i}; deltaprop's scaling needs positive divisors`);
    }
    return { kind: 'standard', shift: Array.from(s.shift), divisor: Array.from(s.divisor) };
  };
  return Network.fromJSON({
    ...json,
    version: 2,
    layers: json.layers.map((l) => ({ type: 'dense', ...l })),
    ...(extras.input !== undefined ? { inputScaling: side('input', extras.input) } : {}),
    ...(extras.output !== undefined ? { outputScaling: side('output', extras.output) } : {}),
  });
}

/** fromONNX without building the Network: the layers as v1 JSON and the scaling found. */
export function importONNX(bytes: unknown): ImportedONNX {
  let b: Uint8Array;
  if (bytes instanceof Uint8Array) b = bytes;
  else if (bytes instanceof ArrayBuffer) b = new Uint8Array(bytes);
  else return fail(WHERE, 'bytes', 'a Uint8Array or an ArrayBuffer holding an ONNX file', bytes);
  if (b.length === 0) fail(WHERE, 'bytes', 'an ONNX file', 'no bytes');

  const model = decodeMessage(WHERE, 'model', b);
  let opset: number | undefined;
  for (const op of model.messages(8, 'opset_import', 64)) {
    const domain = op.string(1, 'domain') ?? '';
    if (domain !== '' && domain !== 'ai.onnx') throw op.error(`imports the operator set of domain "${domain}", which deltaprop does not read`);
    opset = op.int(2, 'version');
  }
  if (opset === undefined || opset < 1) throw model.error('imports no version of the default operator set (every ONNX model must)');
  const graph = model.message(7, 'graph');
  if (graph === undefined) throw model.error('has no graph');

  const tensors = new Map<string, Tensor>();
  let budget = MAX_ELEMENTS;
  const addTensor = (t: Tensor): void => {
    budget -= t.values.length;
    tensors.set(t.name, t);
  };
  for (const m of graph.messages(5, 'initializer', MAX_NODES)) addTensor(readTensor(m, undefined, budget));
  if (graph.raw(15).length > 0) throw graph.error('has sparse initializers, which deltaprop does not read');

  const nodes: Node[] = [];
  for (const m of graph.messages(1, 'node', MAX_NODES)) {
    const index = nodes.length;
    const op = m.string(4, 'op_type') ?? '';
    const name = m.string(3, 'name') ?? '';
    const domain = m.string(7, 'domain') ?? '';
    const node: Node = { index, op, name, inputs: m.strings(1, 'input'), outputs: m.strings(2, 'output'), msg: m };
    if (domain !== '' && domain !== 'ai.onnx') throw nodeError(node, `is in domain "${domain}", which deltaprop does not read`);
    if (op === 'Constant') {
      const attrs = attributes(node);
      const t = attrs.get('value');
      if (attrs.size !== 1 || t === undefined || node.outputs.length !== 1) throw nodeError(node, 'is a Constant without a single tensor "value", which deltaprop does not read');
      const tm = t.message(5, 't');
      if (tm === undefined) throw nodeError(node, 'is a Constant whose "value" is not a tensor');
      addTensor(readTensor(tm, node.outputs[0], budget));
      continue;
    }
    nodes.push(node);
  }

  const inputs = graph.messages(11, 'input', MAX_NODES).filter((m) => !tensors.has(m.string(1, 'name') ?? ''));
  if (inputs.length !== 1) throw graph.error(`has ${inputs.length} inputs besides its initializers; deltaprop reads networks with exactly one`);
  const outputs = graph.messages(12, 'output', MAX_NODES);
  if (outputs.length !== 1) throw graph.error(`has ${outputs.length} outputs; deltaprop reads networks with exactly one`);
  const inputInfo = inputs[0]!;
  const inputName = inputInfo.string(1, 'name') ?? '';
  const outputName = outputs[0]!.string(1, 'name') ?? '';
  const inputDims = tensorShape(inputInfo);

  return new ChainReader(tensors, nodes, inputName, inputDims).read(outputName);
}

function nodeError(node: Node, what: string): DeltapropError {
  return new DeltapropError(`${WHERE}: argument "bytes" holds node ${node.index} (op ${node.op}${node.name === '' ? '' : `, name "${node.name}"`}), which ${what}`);
}

/** The attributes of a node by name. */
function attributes(node: Node): Map<string, ProtoMessage> {
  const out = new Map<string, ProtoMessage>();
  for (const a of node.msg.messages(5, 'attribute', 64)) out.set(a.string(1, 'name') ?? '', a);
  return out;
}

/** The input's dims: a number per known dim, undefined per symbolic one; undefined when the shape is absent. */
function tensorShape(info: ProtoMessage): (number | undefined)[] | undefined {
  const type = info.message(2, 'type');
  const tt = type?.message(1, 'tensor_type');
  if (type !== undefined && tt === undefined) throw info.error('is not a tensor');
  if (tt !== undefined) {
    const elem = tt.int(1, 'elem_type');
    if (elem !== undefined && elem !== FLOAT && elem !== DOUBLE) throw tt.error(`has element type ${elem}; deltaprop reads float (1) and double (11) inputs`);
  }
  const shape = tt?.message(2, 'shape');
  if (shape === undefined) return undefined;
  return shape.messages(1, 'dim', MAX_RANK).map((d) => {
    const v = d.int(1, 'dim_value');
    if (v !== undefined && (v < 0 || v > MAX_ELEMENTS)) throw d.error(`has dim_value ${v}, beyond what deltaprop allocates`);
    return v;
  });
}

/** Reads an initializer or a Constant's value, checking the declared size against the data present before allocating. */
function readTensor(m: ProtoMessage, nameOverride: string | undefined, budget: number): Tensor {
  const name = nameOverride ?? m.string(8, 'name') ?? '';
  const dims = m.ints(1, 'dims', MAX_RANK);
  let count = 1;
  for (const d of dims) {
    if (d < 0 || d > MAX_ELEMENTS) throw m.error(`(tensor "${name}") declares a dimension of ${d}`);
    count *= d;
    if (count > MAX_ELEMENTS) throw m.error(`(tensor "${name}") declares ${count} or more values, more than the ${MAX_ELEMENTS} deltaprop allocates`);
  }
  if (count > budget) throw m.error(`(tensor "${name}") takes the tensors past ${MAX_ELEMENTS} values in all`);
  const type = m.int(2, 'data_type');
  if (type !== FLOAT && type !== DOUBLE) throw m.error(`(tensor "${name}") has data type ${type ?? 'none'}; deltaprop reads float (1) and double (11)`);
  if (m.int(14, 'data_location') === 1 || m.raw(13).length > 0) throw m.error(`(tensor "${name}") keeps its data in an external file, which deltaprop does not read`);
  if (m.raw(3).length > 0) throw m.error(`(tensor "${name}") is segmented, which deltaprop does not read`);
  const size = type === DOUBLE ? 8 : 4;
  const raw = m.bytes(9, 'raw_data');
  const chunks: Uint8Array[] = [];
  if (raw !== undefined) chunks.push(raw);
  else {
    // float_data (4, packed fixed32) or double_data (10, packed fixed64); unpacked values are accepted too.
    const field = type === DOUBLE ? 10 : 4;
    for (const f of m.raw(field)) {
      if ((f.wire === LEN && f.data.length % size === 0) || (size === 4 && f.wire === FIXED32) || (size === 8 && f.wire === FIXED64)) chunks.push(f.data);
      else throw m.error(`(tensor "${name}") has ${type === DOUBLE ? 'double' : 'float'}_data of wire type ${f.wire} and ${f.data.length} bytes`);
    }
  }
  let length = 0;
  for (const c of chunks) length += c.length;
  if (length !== count * size) {
    throw m.error(`(tensor "${name}") declares dims [${dims.join(', ')}] (${count} values of ${size} bytes) but holds ${length} bytes of data`);
  }
  const values = new Float64Array(count);
  let i = 0;
  for (const c of chunks) {
    const dv = new DataView(c.buffer, c.byteOffset, c.length);
    for (let at = 0; at < c.length; at += size) values[i++] = size === 8 ? dv.getFloat64(at, true) : dv.getFloat32(at, true);
  }
  for (let j = 0; j < count; j++) {
    if (!Number.isFinite(values[j]!)) throw m.error(`(tensor "${name}") holds ${String(values[j])} at index ${j}`);
  }
  return { name, dims, values };
}

/** The shortest decimal that rounds to the float32 `f` (0.01 for the float32 nearest 0.01). */
export function shortestFloat32(f: number): number {
  for (let p = 1; p <= 9; p++) {
    const d = Number(f.toPrecision(p));
    if (Math.fround(d) === f) return d;
  }
  return f;
}

/** One step of a composite pattern: `x` is the pattern's input, `$k` the output of its step k, `=v` a scalar constant equal to v, `?` a scalar constant captured. */
type Step = readonly [op: string, inputs: readonly string[]];

const LEAKY_RELU: readonly Step[] = [
  ['Mul', ['x', '?']],
  ['Greater', ['x', '=0']],
  ['Where', ['$1', 'x', '$0']],
];
const SIGMOID: readonly Step[] = [
  ['Abs', ['x']],
  ['Neg', ['$0']],
  ['Exp', ['$1']],
  ['Add', ['=1', '$2']],
  ['Div', ['=1', '$3']],
  ['Div', ['$2', '$3']],
  ['Less', ['x', '=0']],
  ['Where', ['$6', '$5', '$4']],
];
const SOFTPLUS: readonly Step[] = [
  ['Relu', ['x']],
  ['Abs', ['x']],
  ['Neg', ['$1']],
  ['Exp', ['$2']],
  ['Add', ['$3', '=1']],
  ['Equal', ['$4', '=1']],
  ['Log', ['$4']],
  ['Sub', ['$4', '=1']],
  ['Div', ['$3', '$7']],
  ['Mul', ['$6', '$8']],
  ['Where', ['$5', '$3', '$9']],
  ['Add', ['$0', '$10']],
];

interface Pending {
  units: number;
  inputs: number;
  weights: Float64Array;
  biases: Float64Array;
  activation: LayerJSON['activation'] | undefined;
  /** The node that made the layer (for messages). */
  node: Node;
}

/** Walks the nodes in order as one chain from the graph input to the graph output. */
class ChainReader {
  private readonly tensors: Map<string, Tensor>;
  private readonly nodes: readonly Node[];
  private cur: string;
  /** Width of `cur` (undefined while the input's width is symbolic and no layer has fixed it). */
  private width: number | undefined;
  private rank: number;
  private readonly inputDims: (number | undefined)[] | undefined;
  private readonly layers: Pending[] = [];
  private inputScaling: AffineScaling | undefined;
  private outputScaling: AffineScaling | undefined;
  private at = 0;

  constructor(tensors: Map<string, Tensor>, nodes: readonly Node[], input: string, dims: (number | undefined)[] | undefined) {
    this.tensors = tensors;
    this.nodes = nodes;
    this.cur = input;
    this.inputDims = dims;
    this.rank = dims === undefined ? 2 : dims.length;
    if (dims !== undefined && dims.length < 2) {
      throw new DeltapropError(`${WHERE}: argument "bytes" has an input "${input}" of rank ${dims.length}; deltaprop reads [batch, features] inputs`);
    }
    this.width = dims === undefined || dims.length !== 2 ? undefined : dims[1];
  }

  read(output: string): ImportedONNX {
    while (this.at < this.nodes.length) this.step();
    if (this.layers.length === 0) throw new DeltapropError(`${WHERE}: argument "bytes" holds no Gemm or MatMul layer`);
    if (this.cur !== output) throw new DeltapropError(`${WHERE}: argument "bytes" has graph output "${output}", which is not the end of the chain of layers ("${this.cur}")`);
    const first = this.layers[0]!;
    const json: NetworkJSON = {
      format: 'deltaprop-network',
      version: 1,
      input: first.inputs,
      layers: this.layers.map((l) => ({ units: l.units, activation: l.activation ?? 'identity', weights: Array.from(l.weights), biases: Array.from(l.biases) })),
    };
    const extras: { input?: AffineScaling; output?: AffineScaling } = {};
    if (this.inputScaling !== undefined) extras.input = this.inputScaling;
    if (this.outputScaling !== undefined) extras.output = this.outputScaling;
    return { json, extras };
  }

  private node(): Node {
    return this.nodes[this.at]!;
  }

  private constant(node: Node, name: string | undefined, what: string): Tensor {
    const t = name === undefined || name === '' ? undefined : this.tensors.get(name);
    if (t === undefined) throw nodeError(node, `takes "${name ?? ''}" as its ${what}, which is not an initializer or a Constant (deltaprop reads fixed weights only)`);
    return t;
  }

  private onlyInput(node: Node, count: number): void {
    if (node.inputs[0] !== this.cur) throw nodeError(node, `does not read "${this.cur}", the output of the node before it (deltaprop reads one chain, without branches)`);
    if (node.inputs.length > count || node.outputs.length !== 1) throw nodeError(node, `has ${node.inputs.length} inputs and ${node.outputs.length} outputs, expected ${count} and 1`);
  }

  private ints(node: Node, allowed: Record<string, number | undefined>): Map<string, number> {
    const out = new Map<string, number>();
    for (const [name, a] of attributes(node)) {
      if (!(name in allowed)) throw nodeError(node, `has attribute "${name}", which deltaprop does not read`);
      const type = a.int(20, 'type');
      const f = a.float(2, 'f');
      const i = a.int(3, 'i');
      const v = type === ATTR_FLOAT || (type === undefined && f !== undefined) ? f : i;
      if (v === undefined) throw nodeError(node, `has attribute "${name}" without a value`);
      out.set(name, type === ATTR_FLOAT || (type === undefined && f !== undefined) ? shortestFloat32(v) : v);
    }
    return out;
  }

  private lastLayer(node: Node): Pending {
    const l = this.layers[this.layers.length - 1];
    if (l === undefined || l.activation !== undefined || this.outputScaling !== undefined) {
      throw nodeError(node, l === undefined ? 'is an activation before any Gemm or MatMul layer' : 'is a second activation after one layer, which deltaprop cannot represent');
    }
    return l;
  }

  private step(): void {
    const node = this.node();
    const template = this.template();
    if (template !== undefined) return;
    switch (node.op) {
      case 'Gemm': {
        this.onlyInput(node, 3);
        const a = this.ints(node, { alpha: 1, beta: 1, transA: 0, transB: 0 });
        if ((a.get('transA') ?? 0) !== 0) throw nodeError(node, 'has transA = 1; deltaprop reads transA = 0');
        if ((a.get('alpha') ?? 1) !== 1 || (a.get('beta') ?? 1) !== 1) throw nodeError(node, `has alpha = ${a.get('alpha') ?? 1} and beta = ${a.get('beta') ?? 1}; deltaprop reads alpha = beta = 1`);
        const B = this.constant(node, node.inputs[1], 'weights (B)');
        this.addLayer(node, B, (a.get('transB') ?? 0) === 1);
        const C = node.inputs[2];
        if (C !== undefined && C !== '') this.setBias(node, this.constant(node, C, 'bias (C)'));
        break;
      }
      case 'MatMul': {
        this.onlyInput(node, 2);
        this.ints(node, {});
        this.addLayer(node, this.constant(node, node.inputs[1], 'weights'), false);
        const next = this.nodes[this.at + 1];
        if (next !== undefined && next.op === 'Add' && next.inputs.length === 2 && next.outputs.length === 1 && next.inputs.includes(node.outputs[0]!)) {
          const other = next.inputs[0] === node.outputs[0] ? next.inputs[1] : next.inputs[0];
          if (this.tensors.has(other ?? '')) {
            this.setBias(next, this.constant(next, other, 'bias'));
            this.at++;
            this.cur = next.outputs[0]!;
          }
        }
        break;
      }
      case 'Relu':
      case 'Sigmoid':
      case 'Tanh':
      case 'Softplus': {
        this.onlyInput(node, 1);
        this.ints(node, {});
        this.lastLayer(node).activation = node.op === 'Relu' ? 'relu' : node.op === 'Sigmoid' ? 'sigmoid' : node.op === 'Tanh' ? 'tanh' : 'softplus';
        break;
      }
      case 'LeakyRelu': {
        this.onlyInput(node, 1);
        const alpha = this.ints(node, { alpha: 1 }).get('alpha') ?? 0.01;
        this.lastLayer(node).activation = { name: 'leakyRelu', slope: alpha };
        break;
      }
      case 'Softmax': {
        this.onlyInput(node, 1);
        const axis = this.ints(node, { axis: 1 }).get('axis') ?? -1;
        if (axis !== 1 && axis !== -1) throw nodeError(node, `has axis = ${axis}; deltaprop's softmax is over the features (axis 1 of [batch, features])`);
        this.lastLayer(node).activation = 'softmax';
        break;
      }
      case 'Identity':
        this.onlyInput(node, 1);
        break;
      case 'Flatten': {
        this.onlyInput(node, 1);
        const axis = this.ints(node, { axis: 1 }).get('axis') ?? 1;
        if (axis !== 1) throw nodeError(node, `has axis = ${axis}; deltaprop reads Flatten with axis 1`);
        if (this.rank > 2) {
          if (this.layers.length > 0 || this.inputDims === undefined) throw nodeError(node, 'flattens a tensor of unknown shape');
          let w = 1;
          for (const d of this.inputDims.slice(1)) {
            if (d === undefined) throw nodeError(node, 'flattens an input whose non-batch dimensions are symbolic, a dynamic shape deltaprop cannot resolve');
            w *= d;
          }
          this.width = w;
          this.rank = 2;
        }
        break;
      }
      default:
        throw nodeError(node, `is not one of the ops deltaprop reads (Gemm, MatMul + Add, Relu, Sigmoid, Tanh, Softmax, LeakyRelu, Softplus, Identity, Flatten)`);
    }
    this.cur = this.nodes[this.at]!.outputs[0]!;
    this.at++;
  }

  private addLayer(node: Node, B: Tensor, transB: boolean): void {
    if (this.rank !== 2) throw nodeError(node, `multiplies a tensor of rank ${this.rank}; deltaprop reads [batch, features] (add a Flatten first)`);
    if (B.dims.length !== 2) throw nodeError(node, `has weights "${B.name}" of dims [${B.dims.join(', ')}], expected a matrix`);
    const units = transB ? B.dims[0]! : B.dims[1]!;
    const inputs = transB ? B.dims[1]! : B.dims[0]!;
    if (units === 0 || inputs === 0) throw nodeError(node, `has weights "${B.name}" of dims [${B.dims.join(', ')}]`);
    if (this.width !== undefined && this.width !== inputs) throw nodeError(node, `has weights for ${inputs} inputs but receives ${this.width} features`);
    if (this.layers.length > 0 && this.layers[this.layers.length - 1]!.activation === undefined && this.outputScaling === undefined) {
      this.layers[this.layers.length - 1]!.activation = 'identity';
    }
    if (this.outputScaling !== undefined) throw nodeError(node, 'follows output scaling');
    let weights = B.values;
    if (!transB) {
      // B is inputs × units: W = Bᵀ.
      weights = new Float64Array(units * inputs);
      for (let i = 0; i < units; i++) for (let j = 0; j < inputs; j++) weights[i * inputs + j] = B.values[j * units + i]!;
    }
    this.layers.push({ units, inputs, weights, biases: new Float64Array(units), activation: undefined, node });
    this.width = units;
  }

  private setBias(node: Node, C: Tensor): void {
    const l = this.layers[this.layers.length - 1]!;
    const n = C.values.length;
    const okDims = (C.dims.length === 1 && C.dims[0] === l.units) || (C.dims.length === 2 && C.dims[0] === 1 && C.dims[1] === l.units) || n === 1;
    if (!okDims) throw nodeError(node, `has bias "${C.name}" of dims [${C.dims.join(', ')}], expected [${l.units}]`);
    for (let i = 0; i < l.units; i++) l.biases[i] = n === 1 ? C.values[0]! : C.values[i]!;
  }

  /** Matches deltaprop's own composites (float64 leakyRelu and softplus, scaling) at the current node. */
  private template(): boolean | undefined {
    const node = this.node();
    const tryMatch = (steps: readonly Step[]): number[] | undefined => this.match(steps);
    if (node.op === 'Mul' && node.inputs[0] === this.cur) {
      const leaky = tryMatch(LEAKY_RELU);
      if (leaky !== undefined) {
        this.lastLayer(node).activation = { name: 'leakyRelu', slope: leaky[0]! };
        return this.advance(LEAKY_RELU.length);
      }
      const last = this.layers[this.layers.length - 1];
      const scale = tryMatch([['Mul', ['x', '*']], ['Add', ['$0', '*']]]);
      if (scale !== undefined && last !== undefined && this.outputScaling === undefined) {
        this.outputScaling = this.affine(this.nodes[this.at + 1]!, 1, this.nodes[this.at]!, 1, last.units);
        if (last.activation === undefined) last.activation = 'identity';
        return this.advance(2);
      }
    }
    if (node.op === 'Abs' && tryMatch(SIGMOID) !== undefined) {
      this.lastLayer(node).activation = 'sigmoid';
      return this.advance(SIGMOID.length);
    }
    if (node.op === 'Relu' && tryMatch(SOFTPLUS) !== undefined) {
      this.lastLayer(node).activation = 'softplus';
      return this.advance(SOFTPLUS.length);
    }
    if (node.op === 'Sub' && this.layers.length === 0 && this.inputScaling === undefined && tryMatch([['Sub', ['x', '*']], ['Div', ['$0', '*']]]) !== undefined) {
      if (this.width === undefined) throw nodeError(node, 'scales an input of symbolic width');
      this.inputScaling = this.affine(node, 1, this.nodes[this.at + 1]!, 1, this.width);
      return this.advance(2);
    }
    return undefined;
  }

  private affine(shiftNode: Node, si: number, divNode: Node, di: number, width: number): AffineScaling {
    const vec = (nd: Node, i: number, what: string): Float64Array => {
      const t = this.constant(nd, nd.inputs[i], what);
      if (t.values.length !== width) throw nodeError(nd, `has a ${what} of ${t.values.length} values, expected ${width}`);
      return t.values.slice();
    };
    const divisor = vec(divNode, di, 'scaling divisor');
    for (let i = 0; i < width; i++) if (divisor[i] === 0) throw nodeError(divNode, 'divides by zero');
    return { shift: vec(shiftNode, si, 'scaling shift'), divisor };
  }

  private advance(count: number): true {
    this.cur = this.nodes[this.at + count - 1]!.outputs[0]!;
    this.at += count;
    return true;
  }

  /** The captured constants when the nodes from the current one follow `steps`; undefined otherwise. */
  private match(steps: readonly Step[]): number[] | undefined {
    if (this.at + steps.length > this.nodes.length) return undefined;
    const captured: number[] = [];
    for (let k = 0; k < steps.length; k++) {
      const [op, refs] = steps[k]!;
      const nd = this.nodes[this.at + k]!;
      if (nd.op !== op || nd.inputs.length !== refs.length || nd.outputs.length !== 1 || nd.msg.raw(5).length > 0) return undefined;
      for (let r = 0; r < refs.length; r++) {
        const ref = refs[r]!;
        const got = nd.inputs[r]!;
        if (ref === 'x') {
          if (got !== this.cur) return undefined;
        } else if (ref.startsWith('$')) {
          if (got !== this.nodes[this.at + Number(ref.slice(1))]!.outputs[0]) return undefined;
        } else {
          const t = this.tensors.get(got);
          if (t === undefined) return undefined;
          if (ref === '*') continue;
          if (t.values.length !== 1) return undefined;
          if (ref === '?') captured.push(t.values[0]!);
          else if (t.values[0] !== Number(ref.slice(1))) return undefined;
        }
      }
    }
    return captured;
  }
}
