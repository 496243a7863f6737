/**
 * onnxruntime-web (WebAssembly, run in Node) executes every model toONNX writes: every activation,
 * depths 1 to 4, float64 and float32, opsets 13 and 17, with and without input/output scaling.
 * float64 outputs agree with net.predict within 1e-12 relative, float32 within 1e-5.
 */
import { describe, expect, it } from 'vitest';
import { DeltapropError, elementwiseActivation, leakyRelu, Network, toONNX } from '../src/index.js';
import { ACTIVATIONS, inputs, makeNet, maxRelative, predictFlat, predictScaled, runONNX, withScaling } from './helpers/interop.js';

/**
 * float64: relative error. onnxruntime's Gemm sums in another order than deltaprop, so an output that
 * is a sum cancelling to nearly zero differs by a few ulps of its terms, not of itself: outputs below
 * 0.01 in magnitude are held to 1e-12 × 0.01 absolutely (the pure relative figure is reported too).
 * The tails test below, where nothing cancels, holds every value to 1e-12 relative, however small.
 */
const F64_TOLERANCE = 1e-12;
const F64_FLOOR = 0.01;
/** float32: relative to max(|y|, 1), since float32 weights move outputs near zero by about 1e-7 absolutely. */
const F32_TOLERANCE = 1e-5;

const worst: Record<string, number> = {};
function record(key: string, value: number): void {
  worst[key] = Math.max(worst[key] ?? 0, value);
}

describe('onnxruntime-web runs what toONNX writes', () => {
  for (const [label, activation] of ACTIVATIONS) {
    it(`${label}: depths 1–4, float64 within ${F64_TOLERANCE} relative and float32 within ${F32_TOLERANCE} (opset 13; 17 too at depth 4)`, async () => {
      for (let depth = 1; depth <= 4; depth++) {
        const net = makeNet(activation, depth, depth);
        const x = inputs();
        const expected = predictFlat(net, x);
        for (const opset of depth === 4 ? [13, 17] : [13]) {
          const y64 = await runONNX(toONNX(net, { opset }), x, 'float64');
          const e64 = maxRelative(y64, expected, F64_FLOOR);
          record('float64 (relative above 0.01)', e64);
          record('float64 (pure relative)', maxRelative(y64, expected, 1e-300));
          expect(e64, `float64 depth ${depth} opset ${opset}`).toBeLessThanOrEqual(F64_TOLERANCE);
          const y32 = await runONNX(toONNX(net, { precision: 'float32', opset }), x, 'float32');
          const e32 = maxRelative(y32, expected, 1);
          record('float32 (relative above 1)', e32);
          expect(e32, `float32 depth ${depth} opset ${opset}`).toBeLessThanOrEqual(F32_TOLERANCE);
        }
      }
    });
  }

  it('with input and output scaling (Sub/Div before, Mul/Add after): the same tolerances', async () => {
    for (const [label, activation] of ACTIVATIONS) {
      for (const depth of [1, 3]) {
        const plainNet = makeNet(activation, depth, 7);
        const net = withScaling(plainNet);
        const x = inputs(4);
        const expected = predictScaled(net, x);
        const y64 = await runONNX(toONNX(net), x, 'float64');
        expect(maxRelative(y64, expected, F64_FLOOR), `${label} depth ${depth} float64`).toBeLessThanOrEqual(F64_TOLERANCE);
        const y32 = await runONNX(toONNX(net, { precision: 'float32' }), x, 'float32');
        expect(maxRelative(y32, expected, 1), `${label} depth ${depth} float32`).toBeLessThanOrEqual(F32_TOLERANCE);
        // The scaling really is in the file: without it the outputs differ.
        const plain = await runONNX(toONNX(plainNet), x, 'float64');
        expect(maxRelative(plain, expected, 1e-300)).toBeGreaterThan(1e-3);
      }
    }
  });

  it('every accepted opset (13 to 21) runs, in both precisions, with every activation in one network', async () => {
    const net = Network.create({
      input: 5,
      layers: [
        { units: 6, activation: 'sigmoid' }, { units: 6, activation: leakyRelu(0.1) }, { units: 6, activation: 'softplus' },
        { units: 6, activation: 'tanh' }, { units: 6, activation: 'relu' }, { units: 6, activation: 'identity' }, { units: 3, activation: 'softmax' },
      ],
      seed: 2,
    });
    const x = inputs();
    const expected = predictFlat(net, x);
    for (let opset = 13; opset <= 21; opset++) {
      expect(maxRelative(await runONNX(toONNX(net, { opset }), x, 'float64'), expected, F64_FLOOR), `opset ${opset}`).toBeLessThanOrEqual(F64_TOLERANCE);
      expect(maxRelative(await runONNX(toONNX(net, { opset, precision: 'float32' }), x, 'float32'), expected, 1), `opset ${opset}`).toBeLessThanOrEqual(F32_TOLERANCE);
    }
  });

  it('the batch dimension is symbolic: one session runs batches of 1 and of 15 rows', async () => {
    const net = makeNet('tanh', 2);
    const bytes = toONNX(net);
    const x = inputs();
    const one = await runONNX(bytes, x.slice(0, 1), 'float64');
    const all = await runONNX(bytes, x, 'float64');
    expect(Array.from(one)).toEqual(Array.from(all.subarray(0, net.output)));
  });

  it('float64 activations on their tails: leakyRelu and relu exact, the others within 1e-12 relative however small', async () => {
    // One layer, identity weights: the output is the activation of the input itself.
    for (const activation of ['leakyRelu', 'softplus', 'sigmoid', 'tanh', 'relu'] as const) {
      const xs = [-745, -700, -60, -37, -20, -1e-300, -0, 0, 1e-300, 1e-20, 0.5, 20, 37, 60, 700];
      const net = Network.fromJSON({ format: 'deltaprop-network', version: 1, input: 1, layers: [{ units: 1, activation, weights: [1], biases: [0] }] });
      const x = xs.map((v) => [v]);
      const y = await runONNX(toONNX(net), x, 'float64');
      const expected = predictFlat(net, x);
      const e = maxRelative(y, expected, 1e-300);
      record(`float64 ${activation} tails`, e);
      expect(e, activation).toBeLessThanOrEqual(activation === 'leakyRelu' || activation === 'relu' ? 0 : F64_TOLERANCE);
    }
  });

  it('reports the largest differences measured', () => {
    console.log(`onnxruntime-web vs predict, largest relative differences: ${JSON.stringify(worst)}`);
    expect(Object.keys(worst).length).toBeGreaterThan(3);
  });
});

describe('toONNX refuses what ONNX cannot hold', () => {
  it('a custom activation, naming it; bad options', () => {
    const swish = elementwiseActivation('swish', (x) => x / (1 + Math.exp(-x)), () => 1);
    const net = Network.create({ input: 2, layers: [{ units: 3, activation: swish }, { units: 1 }] });
    expect(() => toONNX(net)).toThrow(DeltapropError);
    expect(() => toONNX(net)).toThrow(/toONNX: argument "net.layers\[0\].activation" must be a built-in activation .*'swish'/);
    const ok = makeNet('relu', 1);
    expect(() => toONNX(ok, { precision: 'float16' as 'float32' })).toThrow(/toONNX: argument "options.precision" must be 'float64' or 'float32', got "float16"/);
    expect(() => toONNX(ok, { opset: 12 })).toThrow(/options.opset" must be an integer in \[13, 21\], got 12/);
    expect(() => toONNX(ok, { opSet: 13 } as never)).toThrow(/unknown option "opSet" \(did you mean "opset"\?\)/);
    expect(() => toONNX({} as Network)).toThrow(/toONNX: argument "net" must be a Network/);
  });
});
