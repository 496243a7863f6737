/**
 * toJSON / Network.fromJSON: an exact float64 round trip, and a loader that rejects anything
 * malformed with a DeltapropError naming the field.
 */
import { describe, expect, it } from 'vitest';
import { elementwiseActivation, leakyRelu, Network, type NetworkJSON } from '../src/index.js';
import { uniformRows } from './helpers/data.js';
import { expectDeltapropError } from './helpers/numeric.js';
import { bits, expectParameters, snapshot } from './helpers/weights.js';

function trained(): Network {
  const net = Network.create({
    input: 3,
    layers: [
      { units: 5, activation: 'tanh' },
      { units: 4, activation: leakyRelu(0.2) },
      { units: 2, activation: 'softmax' },
    ],
    seed: 12,
  });
  const x = uniformRows(20, 3, 5);
  net.fit(x, x.map((r) => (r[0]! > r[1]! ? [1, 0] : [0, 1])), { learningRate: 0.3, batchSize: 6, epochs: 5, seed: 2 });
  return net;
}

/** A deep copy of a saved model, to be damaged by a test. */
function copyJSON(net: Network): Record<string, unknown> & { layers: Array<Record<string, unknown>> } {
  return JSON.parse(JSON.stringify(net.toJSON())) as Record<string, unknown> & { layers: Array<Record<string, unknown>> };
}

describe('round trip', () => {
  it('is exact through JSON text: bit-identical weights and predictions', () => {
    const net = trained();
    const text = JSON.stringify(net.toJSON());
    const again = Network.fromJSON(JSON.parse(text));
    expectParameters(again, snapshot(net));
    const x = uniformRows(7, 3, 99, -4, 4);
    expect(bits(again.predict(x).data)).toBe(bits(net.predict(x).data));
    // fromJSON also takes the text itself
    expectParameters(Network.fromJSON(text), snapshot(net));
    // and the copy is independent of the original
    again.layers[0]!.weights.data[0] = 42;
    expect(net.layers[0]!.weights.data[0]).not.toBe(42);
  });

  it('keeps awkward float64 values exactly (thirds, subnormals, huge and tiny magnitudes)', () => {
    const net = Network.create({ input: 2, layers: [{ units: 3 }] });
    net.layers[0]!.weights.data.set([1 / 3, 5e-324, 1.7976931348623157e308, -2.2250738585072014e-308, Math.PI * 1e-300, 0.1 + 0.2]);
    net.layers[0]!.biases.set([-1 / 7, 1e-310, 123456789.12345679]);
    const again = Network.fromJSON(JSON.stringify(net.toJSON()));
    expectParameters(again, snapshot(net));
  });

  it('writes the documented format: format, version 2, input, layers of type dense with row-major weights', () => {
    const net = trained();
    const json = net.toJSON();
    expect(Object.keys(json)).toEqual(['format', 'version', 'input', 'layers']);
    expect(json.format).toBe('deltaprop-network');
    expect(json.version).toBe(2);
    expect(json.layers.map((l) => Object.keys(l))).toEqual(new Array(3).fill(['type', 'units', 'activation', 'weights', 'biases']));
    expect(json.input).toBe(3);
    expect(json.layers.map((l) => l.units)).toEqual([5, 4, 2]);
    expect(json.layers.map((l) => l.activation)).toEqual(['tanh', { name: 'leakyRelu', slope: 0.2 }, 'softmax']);
    const l1 = json.layers[1]!;
    expect(l1.weights).toHaveLength(4 * 5);
    // weights[i · inputs + j] is W(i, j): the weight from input j into unit i
    expect(l1.weights[2 * 5 + 3]).toBe(net.layers[1]!.weights.get(2, 3));
    expect(l1.biases).toEqual(Array.from(net.layers[1]!.biases));
  });

  it('preserves a leakyRelu slope', () => {
    const net = trained();
    const again = Network.fromJSON(JSON.stringify(net));
    expect(again.layers[1]!.activation.toJSON()).toEqual({ name: 'leakyRelu', slope: 0.2 });
    const x = [[-3, -3, -3]];
    expect(bits(again.predict(x).data)).toBe(bits(net.predict(x).data));
  });

  it('loads a user activation from the options, and refuses it without them', () => {
    const square = elementwiseActivation('halfSquare', (v) => 0.5 * v * v, (v) => v);
    const net = Network.create({ input: 2, layers: [{ units: 3, activation: square }, { units: 1 }], seed: 4 });
    const text = JSON.stringify(net.toJSON());
    expect(net.toJSON().layers[0]!.activation).toBe('halfSquare');
    expectDeltapropError(() => Network.fromJSON(text), 'Network.fromJSON', '"json.layers[0].activation"', '"halfSquare"');
    const again = Network.fromJSON(text, { activations: { halfSquare: square } });
    expect(again.layers[0]!.activation).toBe(square);
    expect(bits(again.predict([[0.3, -2]]).data)).toBe(bits(net.predict([[0.3, -2]]).data));
  });

  it('clone is a deep copy with the same predictions', () => {
    const net = trained();
    const copy = net.clone();
    expectParameters(copy, snapshot(net));
    copy.layers[2]!.biases[0] = 7;
    expect(net.layers[2]!.biases[0]).not.toBe(7);
  });
});

describe('fromJSON rejects', () => {
  const net = Network.create({ input: 2, layers: [{ units: 2, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], seed: 1 });

  const cases: Array<{ label: string; damage: (j: ReturnType<typeof copyJSON>) => unknown; fragments: string[] }> = [
    { label: 'a wrong format', damage: (j) => ({ ...j, format: 'keras' }), fragments: ['"json.format"', "'deltaprop-network'", '"keras"'] },
    { label: 'a missing format', damage: ({ format: _format, ...rest }) => rest, fragments: ['"json.format"', 'undefined'] },
    { label: 'a future version', damage: (j) => ({ ...j, version: 3 }), fragments: ['"json.version"', 'at most 2', 'got 3'] },
    { label: 'version 0', damage: (j) => ({ ...j, version: 0 }), fragments: ['"json.version"'] },
    { label: 'a version given as text', damage: (j) => ({ ...j, version: '1' }), fragments: ['"json.version"'] },
    { label: 'an unknown top-level field', damage: (j) => ({ ...j, optimizer: 'adam' }), fragments: ['"json"', 'unknown field "optimizer"'] },
    { label: 'an unknown layer field', damage: (j) => (j.layers[0]!['kernel'] = 0.5, j), fragments: ['"json.layers[0]"', 'unknown field "kernel"'] },
    { label: 'input 0', damage: (j) => ({ ...j, input: 0 }), fragments: ['"json.input"'] },
    { label: 'no layers', damage: (j) => ({ ...j, layers: [] }), fragments: ['"json.layers"'] },
    { label: 'units 0', damage: (j) => (j.layers[1]!['units'] = 0, j), fragments: ['"json.layers[1].units"'] },
    { label: 'too few weights', damage: (j) => ((j.layers[0]!['weights'] as number[]).pop(), j), fragments: ['"json.layers[0].weights"', '2 × 2 = 4', '3 values'] },
    { label: 'too many biases', damage: (j) => ((j.layers[1]!['biases'] as number[]).push(0), j), fragments: ['"json.layers[1].biases"', '2 values'] },
    { label: 'weights of a layer that does not fit the one below', damage: (j) => (j.layers[1]!['weights'] = [1, 2, 3], j), fragments: ['"json.layers[1].weights"'] },
    { label: 'NaN in the weights', damage: (j) => ((j.layers[0]!['weights'] as number[])[2] = NaN, j), fragments: ['"json.layers[0].weights[2]"', 'finite', 'NaN'] },
    { label: 'Infinity in the biases', damage: (j) => ((j.layers[1]!['biases'] as number[])[0] = Infinity, j), fragments: ['"json.layers[1].biases[0]"', 'Infinity'] },
    { label: 'a string in the weights', damage: (j) => ((j.layers[0]!['weights'] as unknown[])[1] = '0.5', j), fragments: ['"json.layers[0].weights[1]"', '"0.5"'] },
    { label: 'null in the weights', damage: (j) => ((j.layers[0]!['weights'] as unknown[])[0] = null, j), fragments: ['"json.layers[0].weights[0]"', 'null'] },
    { label: 'an unknown activation', damage: (j) => (j.layers[0]!['activation'] = 'swish', j), fragments: ['"json.layers[0].activation"', '"swish"'] },
    { label: 'a leakyRelu with a bad slope', damage: (j) => (j.layers[0]!['activation'] = { name: 'leakyRelu', slope: 'steep' }, j), fragments: ['"json.layers[0].activation.slope"'] },
    { label: 'a leakyRelu with an extra field', damage: (j) => (j.layers[0]!['activation'] = { name: 'leakyRelu', slope: 0.1, alpha: 1 }, j), fragments: ['"json.layers[0].activation"', '"alpha"'] },
    { label: 'an array instead of an object', damage: () => [], fragments: ['"json"', 'an object'] },
    { label: 'null', damage: () => null, fragments: ['"json"'] },
    { label: 'text that is not JSON', damage: () => '{"format": ', fragments: ['"json"', 'valid JSON'] },
  ];

  it.each(cases)('$label', ({ damage, fragments }) => {
    const bad = damage(copyJSON(net));
    expectDeltapropError(() => Network.fromJSON(bad), 'Network.fromJSON', ...fragments);
    // The undamaged document loads, so the damage is what is rejected.
    expect(() => Network.fromJSON(copyJSON(net))).not.toThrow();
  });

  it('rejects bad options', () => {
    const good = net.toJSON();
    expectDeltapropError(() => Network.fromJSON(good, { activation: {} } as never), 'Network.fromJSON', '"options"', 'unknown field "activation"');
    expectDeltapropError(() => Network.fromJSON(good, { activations: 3 } as never), 'Network.fromJSON', '"options.activations"');
  });

  it('does not read fields from the prototype chain', () => {
    const proto = copyJSON(net);
    const sneaky = Object.create(proto) as NetworkJSON;
    expectDeltapropError(() => Network.fromJSON(sneaky), 'Network.fromJSON', '"json.format"');
  });
});
