/**
 * fromONNX: round trips of toONNX, real files written by PyTorch and onnx.helper (committed in
 * test/fixtures/onnx/ with the outputs those tools computed), and the files it must refuse.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DeltapropError, fromONNX, Network, toONNX } from '../src/index.js';
import { exportONNX } from '../src/interop/onnx.js';
import { importONNX } from '../src/interop/onnx-import.js';
import { DELTAPROP_VERSION } from '../src/interop/model-view.js';
import { decodeMessage, ProtoWriter } from '../src/interop/protobuf.js';
import { ACTIVATIONS, inputs, makeNet, maxRelative, predictScaled, sameBits, sameNetwork, scalingFor, withScaling } from './helpers/interop.js';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'onnx');

describe('fromONNX(toONNX(net))', () => {
  it('float64: the same network, bit for bit, for every activation and depth (opsets 13 and 17)', () => {
    for (const [label, activation] of ACTIVATIONS) {
      for (let depth = 1; depth <= 4; depth++) {
        const net = makeNet(activation, depth, depth);
        // A −0 weight and a subnormal survive too.
        net.layers[0]!.weights.data[0] = -0;
        net.layers[0]!.weights.data[1] = 5e-324;
        for (const opset of [13, 17]) expect(sameNetwork(fromONNX(toONNX(net, { opset })), net), `${label} depth ${depth}`).toBe(true);
      }
    }
  });

  it('float32: the same shapes and activations, every weight the float32 nearest it', () => {
    for (const [label, activation] of ACTIVATIONS) {
      const net = makeNet(activation, 3);
      const back = fromONNX(toONNX(net, { precision: 'float32' }));
      expect(back.layers.map((l) => l.activation.toJSON()), label).toEqual(net.layers.map((l) => l.activation.toJSON()));
      net.layers.forEach((l, n) => {
        expect(sameBits(back.layers[n]!.weights.data, l.weights.data.map(Math.fround))).toBe(true);
        expect(sameBits(back.layers[n]!.biases, l.biases.map(Math.fround))).toBe(true);
      });
    }
  });

  it('scaling nodes are read back as scaling: fromONNX builds a version-2 network that predicts the same bits', () => {
    const plain = makeNet('tanh', 2);
    const s = scalingFor(plain.output);
    const net = withScaling(plain, s);
    const bytes = toONNX(net);
    const { json, extras } = importONNX(bytes);
    expect(sameNetwork(Network.fromJSON(json), plain)).toBe(true);
    expect(sameBits(extras.input!.shift, s.input.shift) && sameBits(extras.input!.divisor, s.input.divisor)).toBe(true);
    expect(sameBits(extras.output!.shift, s.output.shift) && sameBits(extras.output!.divisor, s.output.divisor)).toBe(true);
    const back = fromONNX(bytes);
    expect(sameBits(back.inputScaling!.shift, s.input.shift) && sameBits(back.outputScaling!.divisor, s.output.divisor)).toBe(true);
    const x = inputs(3);
    expect(sameBits(predictScaled(back, x), predictScaled(net, x))).toBe(true);
    // A negative divisor (ONNX allows it) has no deltaprop form: refused by name.
    const negative = { input: { shift: s.input.shift, divisor: s.input.divisor.map((d, i) => (i === 1 ? -d : d)) }, output: s.output };
    expect(() => fromONNX(exportONNX('toONNX', plain, {}, negative))).toThrow(/fromONNX: .*divisor/);
  });

  it('accepts an ArrayBuffer as well as a Uint8Array', () => {
    const net = makeNet('relu', 2);
    const bytes = toONNX(net);
    const copy = bytes.slice().buffer;
    expect(sameNetwork(fromONNX(copy), net)).toBe(true);
  });
});

describe('what toONNX records', () => {
  it("doc strings with deltaprop's version (package.json's) and the shapes; a symbolic batch dimension", () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')) as { version: string };
    expect(DELTAPROP_VERSION).toBe(pkg.version);
    const m = decodeMessage('test', 'model', toONNX(makeNet('relu', 2), { precision: 'float32', opset: 17 }));
    expect(m.string(2, 'producer_name')).toBe('deltaprop');
    expect(m.string(3, 'producer_version')).toBe(pkg.version);
    expect(m.int(1, 'ir_version')).toBe(8);
    expect(m.string(6, 'doc_string')).toBe(`Exported by deltaprop ${pkg.version}: input [batch, 5] → Dense 7 (relu) → Dense 6 (relu) → output [batch, 6], float32. Dense layers are Gemm(transB = 1) with W units × inputs.`);
    const g = m.message(7, 'graph')!;
    expect(g.string(10, 'doc_string')).toBe(`deltaprop ${pkg.version} fully connected network 5 → 7 relu → 6 relu, float32`);
    const dims = g.message(11, 'input')!.message(2, 'type')!.message(1, 'tensor_type')!.message(2, 'shape')!.messages(1, 'dim', 8);
    expect(dims.map((d) => d.string(2, 'dim_param') ?? d.int(1, 'dim_value'))).toEqual(['batch', 5]);
    const gemm = g.messages(1, 'node', 100).find((n) => n.string(4, 'op_type') === 'Gemm')!;
    expect(gemm.string(6, 'doc_string')).toBe('layer 0: A = Z·Wᵀ + B, W 7 × 5 (units × inputs)');
  });
});

describe('fromONNX reads files written by other tools', () => {
  const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.onnx')).sort();

  it('the fixtures are all there (PyTorch float32/float64 × opsets 13/17, onnx.helper MatMul + Add)', () => {
    expect(files.filter((f) => f.startsWith('torch-'))).toHaveLength(8);
    expect(files.filter((f) => f.startsWith('matmul-add-'))).toHaveLength(3);
  });

  for (const file of files) {
    it(`${file}: predicts what the writing tool computed`, () => {
      const net = fromONNX(readFileSync(join(FIXTURES, file)));
      const expected = JSON.parse(readFileSync(join(FIXTURES, file.replace(/\.onnx$/, '.json')), 'utf8')) as { x: number[][]; y: number[][] };
      const y = net.predict(expected.x).data;
      // float64 files: PyTorch and numpy sum in other orders (a few ulps); float32 files: PyTorch ran in float32.
      const tolerance = file.includes('f32') && file.startsWith('torch-') ? 1e-5 : 1e-12;
      expect(maxRelative(y, expected.y.flat(), 1e-3)).toBeLessThanOrEqual(tolerance);
      if (file.includes('leaky')) expect(net.layers[0]!.activation.toJSON()).toEqual({ name: 'leakyRelu', slope: 0.1 }); // float32 alpha 0.1 read as 0.1
      if (file.includes('flatten')) expect(net.input).toBe(6); // Flatten of [batch, 2, 3]
    });
  }
});

// ---------------------------------------------------------------------------------------------
// Files deltaprop must refuse: built with its own encoder, node by node
// ---------------------------------------------------------------------------------------------

const DOUBLE = 11;

function tensor(name: string, dims: number[], values: number[], elem = DOUBLE): ProtoWriter {
  const t = new ProtoWriter();
  for (const d of dims) t.uint(1, d);
  t.uint(2, elem);
  t.string(8, name);
  const raw = new Uint8Array(values.length * 8);
  values.forEach((v, i) => new DataView(raw.buffer).setFloat64(i * 8, v, true));
  return t.bytes(9, raw);
}

function node(op: string, inputs: string[], outputs: string[], attrs: Array<[string, number]> = []): ProtoWriter {
  const w = new ProtoWriter();
  inputs.forEach((i) => w.string(1, i));
  outputs.forEach((o) => w.string(2, o));
  w.string(3, `${op.toLowerCase()}1`);
  w.string(4, op);
  for (const [name, v] of attrs) w.message(5, new ProtoWriter().string(1, name).int64(3, v).uint(20, 2));
  return w;
}

function info(name: string, dims: Array<number | string>): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of dims) shape.message(1, typeof d === 'number' ? new ProtoWriter().uint(1, d) : new ProtoWriter().string(2, d));
  return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, new ProtoWriter().uint(1, DOUBLE).message(2, shape)));
}

function model(nodes: ProtoWriter[], inits: ProtoWriter[], input = info('x', ['n', 2]), output = 'y'): Uint8Array {
  const g = new ProtoWriter();
  nodes.forEach((n) => g.message(1, n));
  inits.forEach((t) => g.message(5, t));
  g.message(11, input);
  g.message(12, info(output, ['n', 1]));
  return new ProtoWriter().uint(1, 7).message(7, g).message(8, new ProtoWriter().uint(2, 13)).finish();
}

const W = tensor('W', [1, 2], [0.5, -0.25]);
const B = tensor('B', [1], [0.1]);

describe('fromONNX refuses, naming the node and op', () => {
  it('the minimal valid file of these tests loads (so that each refusal below is for its own reason)', () => {
    const net = fromONNX(model([node('Gemm', ['x', 'W', 'B'], ['y'], [['transB', 1]])], [W, B]));
    expect(Array.from(net.predict([2, 4]))).toEqual([(0.1 + 0.5 * 2) + -0.25 * 4]); // summed from the bias
  });

  const cases: Array<[string, Uint8Array, RegExp]> = [
    ['another op', model([node('Gemm', ['x', 'W', 'B'], ['a'], [['transB', 1]]), node('Elu', ['a'], ['y'])], [W, B]), /node 1 \(op Elu, name "elu1"\), which is not one of the ops deltaprop reads/],
    ['a branch', model([node('Gemm', ['x', 'W', 'B'], ['a'], [['transB', 1]]), node('Relu', ['a'], ['r']), node('Add', ['r', 'a'], ['y'])], [W, B]), /node 2 \(op Add/],
    ['weights computed by the graph', model([node('Gemm', ['x', 'x', 'B'], ['y'], [['transB', 1]])], [B]), /node 0 \(op Gemm.*takes "x" as its weights/],
    ['transA = 1', model([node('Gemm', ['x', 'W', 'B'], ['y'], [['transA', 1], ['transB', 1]])], [W, B]), /transA = 1/],
    ['weights of the wrong width', model([node('Gemm', ['x', 'W', 'B'], ['y'], [['transB', 0]])], [W, B]), /has weights for 1 inputs but receives 2 features/],
    ['softmax over the batch', model([node('Gemm', ['x', 'W', 'B'], ['a'], [['transB', 1]]), node('Softmax', ['a'], ['y'], [['axis', 0]])], [W, B]), /axis = 0/],
    ['two activations in a row', model([node('Gemm', ['x', 'W', 'B'], ['a'], [['transB', 1]]), node('Relu', ['a'], ['b']), node('Tanh', ['b'], ['y'])], [W, B]), /node 2 \(op Tanh.*second activation/],
    ['an output that is not the end of the chain', model([node('Gemm', ['x', 'W', 'B'], ['a'], [['transB', 1]]), node('Relu', ['a'], ['b'])], [W, B]), /graph output "y"/],
    ['a custom domain', model([node('Gemm', ['x', 'W', 'B'], ['y'], [['transB', 1]]).string(7, 'com.example')], [W, B]), /domain "com.example"/],
    ['int64 weights', model([node('Gemm', ['x', 'W', 'B'], ['y'], [['transB', 1]])], [tensor('W', [1, 2], [1, 2], 7), B]), /data type 7/],
    ['a symbolic shape it cannot flatten', model([node('Flatten', ['x'], ['f']), node('Gemm', ['f', 'W', 'B'], ['y'], [['transB', 1]])], [W, B], info('x', ['n', 'h', 2])), /symbolic/],
    ['dims that disagree with the data', model([node('Gemm', ['x', 'W', 'B'], ['y'], [['transB', 1]])], [tensor('W', [1, 3], [0.5, -0.25]), B]), /declares dims \[1, 3\] \(3 values of 8 bytes\) but holds 16 bytes/],
    ['NaN weights', model([node('Gemm', ['x', 'W', 'B'], ['y'], [['transB', 1]])], [tensor('W', [1, 2], [NaN, 1]), B]), /holds NaN at index 0/],
    ['no layer at all', model([node('Relu', ['x'], ['y'])], []), /activation before any Gemm/],
  ];
  for (const [label, bytes, message] of cases) {
    it(label, () => {
      let error: unknown;
      try {
        fromONNX(bytes);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DeltapropError);
      expect((error as Error).message).toMatch(/^fromONNX: argument "bytes"/);
      expect((error as Error).message).toMatch(message);
    });
  }

  it('not bytes at all', () => {
    expect(() => fromONNX('model.onnx' as never)).toThrow(/fromONNX: argument "bytes" must be a Uint8Array or an ArrayBuffer holding an ONNX file, got "model.onnx"/);
    expect(() => fromONNX(new Uint8Array(0))).toThrow(/must be an ONNX file, got "no bytes"/);
  });

  it('inputs are predicted the same after a round trip through a file with opset 21', () => {
    const net = makeNet('softmax', 2);
    const x = inputs();
    expect(sameBits(fromONNX(toONNX(net, { opset: 21 })).predict(x).data, net.predict(x).data)).toBe(true);
  });
});
