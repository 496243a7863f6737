/**
 * Shared pieces of the interop tests: networks of every activation and depth, input batches
 * that reach the activations' tails, closeness measures, and onnxruntime-web / tfjs runners.
 */
import * as ort from 'onnxruntime-web';
import { type Activation, leakyRelu, Matrix, Network } from '../../src/index.js';

ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';

export const ACTIVATIONS: ReadonlyArray<readonly [string, string | Activation]> = [
  ['identity', 'identity'],
  ['sigmoid', 'sigmoid'],
  ['tanh', 'tanh'],
  ['relu', 'relu'],
  ['leakyRelu(0.01)', 'leakyRelu'],
  ['leakyRelu(0.3)', leakyRelu(0.3)],
  ['leakyRelu(-0.5)', leakyRelu(-0.5)],
  ['leakyRelu(1.7)', leakyRelu(1.7)],
  ['softplus', 'softplus'],
  ['softmax', 'softmax'],
];

const WIDTHS = [5, 7, 6, 4, 3];

/** A network of `depth` dense layers (widths 5 → 7 → 6 → 4 → 3, cut at `depth`), every layer with `activation`. */
export function makeNet(activation: string | Activation, depth: number, seed = 1): Network {
  const layers = WIDTHS.slice(1, depth + 1).map((units) => ({ units, activation: activation as 'relu' }));
  const net = Network.create({ input: WIDTHS[0]!, layers, seed });
  // Non-zero biases, so that a lost bias would show.
  net.layers.forEach((l, n) => l.biases.forEach((_, i) => (l.biases[i] = 0.1 * Math.sin(3 * n + i + seed))));
  return net;
}

/** A batch of 5-wide samples: moderate values, large ones (for the activations' tails), −0 and exact zeros. */
export function inputs(scale = 1): number[][] {
  const rows: number[][] = [];
  for (let i = 0; i < 12; i++) rows.push(Array.from({ length: 5 }, (_, j) => scale * 3 * Math.sin(1.7 * i + 2.3 * j + 0.4)));
  rows.push([40, -35, 25, -60, 15].map((v) => v * scale), [-0, 0, 0, -0, 0], [1e-9, -1e-12, 2e-8, 0, -3e-10]);
  return rows;
}

/** Largest |a − b| / max(|b|, floor) over all entries. */
export function maxRelative(a: ArrayLike<number>, b: ArrayLike<number>, floor = 0): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} and ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (d === 0) continue;
    m = Math.max(m, d / Math.max(Math.abs(b[i]!), floor));
  }
  return m;
}

/** Runs an ONNX model in onnxruntime-web (wasm, in Node) on a batch; returns the output as float64. */
export async function runONNX(bytes: Uint8Array, x: number[][], precision: 'float64' | 'float32'): Promise<Float64Array> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const flat = x.flat();
    const tensor = precision === 'float64'
      ? new ort.Tensor('float64', Float64Array.from(flat), [x.length, x[0]!.length])
      : new ort.Tensor('float32', Float32Array.from(flat), [x.length, x[0]!.length]);
    const out = await session.run({ [session.inputNames[0]!]: tensor });
    const y = out[session.outputNames[0]!]!;
    return Float64Array.from(y.data as Float64Array | Float32Array);
  } finally {
    await session.release();
  }
}

/** net.predict as a flat Float64Array. */
export function predictFlat(net: Network, x: number[][]): Float64Array {
  return net.predict(x).data;
}

/** True when both networks have the same shapes, activations and weight bits. */
export function sameNetwork(a: Network, b: Network): boolean {
  if (a.input !== b.input || a.layers.length !== b.layers.length) return false;
  return a.layers.every((l, n) => {
    const m = b.layers[n]!;
    return JSON.stringify(l.activation.toJSON()) === JSON.stringify(m.activation.toJSON()) &&
      l.units === m.units && sameBits(l.weights.data, m.weights.data) && sameBits(l.biases, m.biases);
  });
}

export function sameBits(a: Float64Array, b: Float64Array): boolean {
  return a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
}

/** Input and output scaling for a 5 → … → `output` network (per-feature shift and divisor). */
export function scalingFor(output: number): { input: { shift: Float64Array; divisor: Float64Array }; output: { shift: Float64Array; divisor: Float64Array } } {
  return {
    input: { shift: Float64Array.from([0.5, -1, 2, 0, 3.25]), divisor: Float64Array.from([2, 0.5, 3, 1.5, 10]) },
    output: { shift: Float64Array.from({ length: output }, (_, i) => 10 + i), divisor: Float64Array.from({ length: output }, (_, i) => 0.25 * (i + 1)) },
  };
}

/**
 * `net` with that scaling held by the network itself (a version-2 model): input scaling always, output
 * scaling unless the output is a classifier (a softmax output has none). Its `predict` is the reference.
 */
export function withScaling(net: Network, s: ReturnType<typeof scalingFor> = scalingFor(net.output)): Network {
  const json = net.toJSON();
  const last = json.layers[json.layers.length - 1]!;
  const classifier = last.activation === 'softmax' || (last.activation === 'sigmoid' && last.units === 1);
  return Network.fromJSON({
    ...json,
    inputScaling: { kind: 'standard', shift: Array.from(s.input.shift), divisor: Array.from(s.input.divisor) },
    ...(classifier ? {} : { outputScaling: { kind: 'standard', shift: Array.from(s.output.shift), divisor: Array.from(s.output.divisor) } }),
  });
}

/** A scaled network's predictions, flat (rows of outputs one after the other). */
export function predictScaled(net: Network, x: number[][]): Float64Array {
  return net.predict(Matrix.from(x)).data;
}
