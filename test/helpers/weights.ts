/** Weight snapshots: exact copies of every parameter, compared bit for bit. */
import { expect } from 'vitest';
import type { Network } from '../../src/index.js';

/** Copies of every layer's weights and biases, in layer order: [W_0, B_0, W_1, B_1, …]. */
export function snapshot(net: Network): Float64Array[] {
  const out: Float64Array[] = [];
  for (const layer of net.layers) out.push(layer.weights.data.slice(), layer.biases.slice());
  return out;
}

/** Every weight and bias of `net` as one list, in layer order: W_0 row by row, B_0, W_1, B_1, … */
export function parameters(net: Network): number[] {
  return net.layers.flatMap((layer) => [...layer.weights.data, ...layer.biases]);
}

/** The bytes of float64 values as hex, so that 0 and −0, or two NaNs, are told apart exactly. */
export function bits(values: ArrayLike<number>): string {
  const f = values instanceof Float64Array ? values : Float64Array.from(values);
  const bytes = new Uint8Array(f.buffer, f.byteOffset, f.byteLength);
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += bytes[i]!.toString(16).padStart(2, '0');
  return s;
}

/** One string holding the bits of every parameter of `net` (or of a snapshot). */
export function parameterBits(source: Network | Float64Array[]): string {
  const arrays = Array.isArray(source) ? source : snapshot(source);
  return arrays.map(bits).join('|');
}

/** Asserts that the network's parameters are bit-identical to `expected`. */
export function expectParameters(net: Network, expected: Float64Array[]): void {
  const actual = snapshot(net);
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) expect(bits(actual[i]!), `parameter array ${i}`).toBe(bits(expected[i]!));
}

/** Overwrites the network's parameters with a snapshot. */
export function restore(net: Network, values: Float64Array[]): void {
  net.layers.forEach((layer, n) => {
    layer.weights.data.set(values[2 * n]!);
    layer.biases.set(values[2 * n + 1]!);
  });
}

/** Sets layer n's weights from rows (units × inputs) and its biases. */
export function setLayer(net: Network, n: number, weights: number[][], biases: number[]): void {
  const layer = net.layers[n]!;
  expect(weights.length).toBe(layer.units);
  expect(biases.length).toBe(layer.units);
  for (let i = 0; i < layer.units; i++) {
    expect(weights[i]!.length).toBe(layer.inputs);
    for (let j = 0; j < layer.inputs; j++) layer.weights.data[i * layer.inputs + j] = weights[i]![j]!;
  }
  layer.biases.set(biases);
}
