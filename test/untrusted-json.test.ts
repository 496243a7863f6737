/**
 * Network.fromJSON treats a model file as untrusted input:
 *   - hostile files (prototype keys, lying sizes, wrong lengths, wrong types, unknown names,
 *     deep nesting, future versions) throw a DeltapropError naming the field;
 *   - nothing large is allocated before the sizes are checked against the arrays actually given;
 *   - Object.prototype (and the other built-in prototypes) never change;
 *   - random mutations of a valid file (fast-check) give a valid Network or a DeltapropError,
 *     never another kind of error;
 *   - the version-1 file frozen in test/fixtures loads and predicts exactly what it predicted
 *     the day it was written.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { activations, DeltapropError, leakyRelu, Network, type NetworkJSON } from '../src/index.js';

const fixtureText = readFileSync(new URL('./fixtures/network-v1.json', import.meta.url), 'utf8');
const predictions = JSON.parse(readFileSync(new URL('./fixtures/network-v1.predictions.json', import.meta.url), 'utf8')) as {
  inputs: number[][];
  outputs: number[][];
};

/** A small valid file: 2 → 3 leakyRelu(0.2) → 2 sigmoid. */
function smallJSON(): NetworkJSON {
  return Network.create({ input: 2, layers: [{ units: 3, activation: leakyRelu(0.2) }, { units: 2, activation: 'sigmoid' }], seed: 4 }).toJSON();
}
const small = JSON.stringify(smallJSON());

// ---------------------------------------------------------------------------------------------
// Prototype sentinels: the built-in prototypes must look exactly the same after every test.
// ---------------------------------------------------------------------------------------------

const PROTOTYPES = [Object.prototype, Array.prototype, Function.prototype, Float64Array.prototype, Network.prototype];

function prototypeState(): string[] {
  return PROTOTYPES.map((p) => Reflect.ownKeys(p).map(String).sort().join(',') + '|' + String(Object.getPrototypeOf(p) === null));
}

let protoBefore: string[];
beforeEach(() => {
  protoBefore = prototypeState();
});
afterEach(() => {
  expect(prototypeState()).toEqual(protoBefore);
  // A plain object still has nothing but what Object.prototype gives it.
  const probe: Record<string, unknown> = {};
  for (const key of ['polluted', 'units', 'weights', 'format', 'isAdmin', 'activation']) expect(probe[key], key).toBeUndefined();
});

/** fromJSON must throw a DeltapropError whose message names `field`. */
function rejects(json: unknown, field: string): DeltapropError {
  let error: unknown;
  try {
    Network.fromJSON(json);
  } catch (e) {
    error = e;
  }
  expect(error, `fromJSON accepted a file that should name ${field}`).toBeInstanceOf(DeltapropError);
  const message = (error as Error).message;
  expect(message.startsWith('Network.fromJSON: '), message).toBe(true);
  expect(message).toContain(field);
  return error as DeltapropError;
}

/** Replaces the first occurrence of `from` in the small file's text (which must contain it). */
function edit(from: string, to: string): string {
  expect(small).toContain(from);
  return small.replace(from, to);
}

describe('hostile model files', () => {
  it('__proto__, constructor and prototype keys, written as JSON text so that JSON.parse makes them own properties', () => {
    const payload = '{"polluted": "yes", "units": 1000000000, "isAdmin": true}';
    rejects(edit('{"format"', `{"__proto__": ${payload}, "format"`), '"__proto__"');
    rejects(edit('{"type"', `{"__proto__": ${payload}, "type"`), '"__proto__"');
    rejects(edit('{"type"', `{"constructor": {"prototype": ${payload}}, "type"`), '"constructor"');
    rejects(edit('"version":2', `"version":2, "prototype": ${payload}`), '"prototype"');
    // Inside the activation object: { name, slope } and nothing else.
    rejects(edit('{"name":"leakyRelu"', `{"__proto__": ${payload}, "name":"leakyRelu"`), '"__proto__"');
    rejects(edit('"sigmoid"', `{"name": "sigmoid", "__proto__": ${payload}}`), '"__proto__"');
    rejects(edit('"sigmoid"', '{"name": "sigmoid", "constructor": {"prototype": {"polluted": 1}}}'), '"constructor"');
    // As activation names, the prototype's own property names are unknown names.
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
      rejects(edit('"sigmoid"', JSON.stringify(name)), 'json.layers[1].activation');
    }
    // And with a user registry: only its own keys count, not what its prototype offers.
    expect(() => Network.fromJSON(edit('"sigmoid"', '"toString"'), { activations: {} })).toThrow(DeltapropError);
  });

  it('an object whose prototype carries the fields is not a model file (only own fields are read)', () => {
    const inherited = Object.create(JSON.parse(small) as object) as object;
    rejects(inherited, 'json.format');
  });

  it('declared sizes that the arrays do not back: rejected before anything is allocated', () => {
    const base = JSON.parse(small) as { input: number; layers: Array<{ units: number; weights: unknown[]; biases: unknown[] }> };
    const lying = (units: number, input = 2): unknown => ({
      ...base,
      input,
      layers: [{ type: 'dense', units, activation: 'tanh', weights: [], biases: [] }],
    });
    const before = process.memoryUsage().arrayBuffers;
    rejects(lying(1e9), 'json.layers[0].units'); // beyond the 2^28 limit
    rejects(lying(1e8, 2), 'json.layers'); // 3e8 parameters in all: beyond the limit
    rejects(lying(3e7, 1), 'json.layers[0].weights'); // within the limit: 240 MB if allocated first
    rejects(lying(4, 5e7), 'json.layers[0].weights'); // a huge input width, same
    rejects({ ...base, input: 1e9 }, 'json.input');
    rejects({ ...base, input: 2 ** 53 }, 'json.input');
    // More layers than any model has: rejected before looking at each one.
    rejects({ ...base, layers: new Array(20_000).fill(base.layers[0]) }, 'json.layers');
    const grown = process.memoryUsage().arrayBuffers - before;
    expect(grown, `array buffers grew by ${grown} bytes`).toBeLessThan(16 * 2 ** 20);
  });

  it('weights and biases of the wrong length, or holding what is not a finite number', () => {
    const j = (): NetworkJSON => JSON.parse(small) as NetworkJSON;
    const shortW = j();
    shortW.layers[0]!.weights.pop();
    rejects(shortW, 'json.layers[0].weights');
    const longB = j();
    longB.layers[1]!.biases.push(0);
    rejects(longB, 'json.layers[1].biases');
    for (const bad of ['"0.5"', 'null', 'true', '[0.5]', '{}', '1e400', '-1e400']) {
      const text = JSON.stringify(smallJSON()).replace(/"biases":\[([^,\]]+)/, `"biases":[${bad}`);
      rejects(text, 'json.layers[0].biases[0]');
    }
    const sparse = j();
    (sparse.layers[0]!.weights as unknown[]) = new Array<number>(6); // holes, not numbers
    rejects(sparse, 'json.layers[0].weights[0]');
    rejects(edit('"units":3', '"units":"3"'), 'json.layers[0].units');
    rejects(edit('"units":3', '"units":3.5'), 'json.layers[0].units');
    rejects(edit('"units":3', '"units":-3'), 'json.layers[0].units');
    rejects(edit('"input":2', '"input":"2"'), 'json.input');
    rejects(edit('"slope":0.2', '"slope":"0.2"'), 'json.layers[0].activation.slope');
    rejects(edit('"slope":0.2', '"slope":1e999'), 'json.layers[0].activation.slope');
  });

  it('unknown activation names, formats and versions', () => {
    rejects(edit('"sigmoid"', '"sigmoidd"'), 'json.layers[1].activation');
    rejects(edit('"sigmoid"', '42'), 'json.layers[1].activation');
    rejects(edit('"sigmoid"', '{"name": "sigmoid", "slope": 3}'), 'json.layers[1].activation');
    rejects(edit('"deltaprop-network"', '"keras"'), 'json.format');
    // A future version: refused with a hint to upgrade, not half-read.
    const future = rejects(edit('"version":2', '"version":3'), 'json.version');
    expect(future.message).toContain('upgrade deltaprop');
    rejects(edit('"version":2', '"version":"1"'), 'json.version');
    rejects(edit('"version":2', '"version":1.5'), 'json.version');
    rejects(edit('"version":2', '"version":0'), 'json.version');
    rejects(edit('"version":2', '"version":1e999'), 'json.version');
  });

  it('deep nesting, broken text and values that are not objects', () => {
    rejects('['.repeat(1e5) + ']'.repeat(1e5), 'json');
    rejects('['.repeat(1e5), 'json');
    rejects('{"a":'.repeat(1e5) + '1' + '}'.repeat(1e5), 'json.format');
    rejects(edit('"weights":[', '"weights":' + '['.repeat(5e4) + ']'.repeat(5e4) + ',"w":['), 'json.layers[0]');
    rejects(JSON.stringify({ ...smallJSON(), layers: [[[[[[[[[[[]]]]]]]]]]] }), 'json.layers[0]');
    rejects('', 'json');
    rejects('{"format": "deltaprop-network", ', 'json');
    rejects('null', 'json');
    rejects('"a string"', 'json');
    rejects(42, 'json');
    rejects(undefined, 'json');
    rejects([], 'json');
  });
});

// ---------------------------------------------------------------------------------------------
// Fuzzing: mutations of a valid file
// ---------------------------------------------------------------------------------------------

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every container in the document with its path, for choosing where to mutate. */
function containers(doc: Json, out: Json[] = []): Json[] {
  if (doc !== null && typeof doc === 'object') {
    out.push(doc);
    for (const v of Object.values(doc)) containers(v, out);
  }
  return out;
}

const KEYS = ['__proto__', 'constructor', 'prototype', 'format', 'version', 'input', 'layers', 'type', 'units', 'activation', 'dropout', 'weights', 'biases', 'name', 'slope', 'inputScaling', 'outputScaling', 'classes', 'kind', 'shift', 'divisor'];

const mutation = fc.record({
  op: fc.oneof({ weight: 4, arbitrary: fc.constant('replace') }, { weight: 3, arbitrary: fc.constantFrom('drop', 'insert', 'grow', 'shrink', 'duplicate') }),
  where: fc.nat(),
  key: fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 6 })),
  value: fc.oneof(
    // Mostly numbers, which often keep the file valid (a weight changed), so both outcomes occur.
    { weight: 3, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json> },
    {
      weight: 1,
      arbitrary: fc.constantFrom<Json>(0, -1, 1, 2.5, 1e9, 2 ** 28, 2 ** 53, 'tanh', 'softmax', 'leakyRelu', 'deltaprop-network', [], {}, { name: 'leakyRelu', slope: 0.5 }),
    },
  ),
});

/** Applies one mutation in place (own properties only: a "__proto__" key becomes an own key). */
function mutate(doc: Json, m: { op: string; where: number; key: string; value: Json }): void {
  const all = containers(doc);
  const target = all[m.where % all.length]!;
  if (Array.isArray(target)) {
    const i = target.length === 0 ? 0 : m.where % target.length;
    if (m.op === 'drop' || m.op === 'shrink') target.splice(i, 1);
    else if (m.op === 'grow' || m.op === 'insert') target.push(m.value);
    else if (m.op === 'duplicate' && target.length > 0) target.push(structuredClone(target[i]!));
    else target[i] = m.value;
    return;
  }
  const obj = target as { [key: string]: Json };
  const keys = Object.keys(obj);
  const existing = keys.length === 0 ? m.key : keys[m.where % keys.length]!;
  if (m.op === 'drop') delete obj[existing];
  else if (m.op === 'insert') Object.defineProperty(obj, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
  else obj[existing] = m.value;
}

describe('fuzzing fromJSON with mutations of a valid file', () => {
  it('gives a working Network or a DeltapropError, never another error (numRuns 500, as text and as object)', () => {
    let loaded = 0, refused = 0;
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), fc.boolean(), (mutations, asText) => {
        const doc = JSON.parse(small) as Json;
        for (const m of mutations) mutate(doc, m);
        const input = asText ? JSON.stringify(doc) : doc;
        let net: Network;
        try {
          net = Network.fromJSON(input);
        } catch (error) {
          if (!(error instanceof DeltapropError)) throw error;
          expect(error.message.startsWith('Network.fromJSON: ')).toBe(true);
          refused++;
          return;
        }
        loaded++;
        // What loads is a real network: it predicts and saves back to a file that loads again.
        const sample = new Array<number>(net.input).fill(0.5);
        try {
          expect(net.predict(sample)).toHaveLength(net.output);
        } catch (error) {
          // Only a legitimate overflow of mutated weights may stop predict, and it says so.
          expect(error).toBeInstanceOf(DeltapropError);
        }
        expect(JSON.stringify(Network.fromJSON(JSON.stringify(net)))).toBe(JSON.stringify(net));
      }),
      { numRuns: 500, seed: 0xf11e },
    );
    // Both outcomes were explored.
    expect(refused).toBeGreaterThan(100);
    expect(loaded).toBeGreaterThan(25);
  });

  it('random JSON values of any shape: a DeltapropError (numRuns 300)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), (value) => {
        expect(() => Network.fromJSON(value)).toThrow(DeltapropError);
        expect(() => Network.fromJSON(JSON.stringify(value))).toThrow(DeltapropError);
      }),
      { numRuns: 300, seed: 0xf11f },
    );
  });

  it('random text: a DeltapropError (numRuns 300)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        expect(() => Network.fromJSON(text)).toThrow(DeltapropError);
      }),
      { numRuns: 300, seed: 0xf120 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// The frozen version-1 file
// ---------------------------------------------------------------------------------------------

describe('test/fixtures/network-v1.json (format version 1, frozen)', () => {
  it('loads, with the architecture it was saved with', () => {
    const net = Network.fromJSON(fixtureText);
    expect(net.input).toBe(2);
    expect(net.layers.map((l) => [l.inputs, l.units, l.activation.toJSON()])).toEqual([
      [2, 6, 'tanh'],
      [6, 5, { name: 'leakyRelu', slope: 0.2 }],
      [5, 5, 'softplus'],
      [5, 4, 'relu'],
      [4, 4, 'sigmoid'],
      [4, 4, 'identity'],
      [4, 3, 'softmax'],
    ]);
    expect(net.layers[6]!.activation).toBe(activations.softmax);
    expect(net.parameterCount).toBe(6 * 2 + 6 + 5 * 6 + 5 + 5 * 5 + 5 + 4 * 5 + 4 + 4 * 4 + 4 + 4 * 4 + 4 + 3 * 4 + 3);
  });

  it('predicts exactly the numbers stored beside it, one sample at a time and as a batch', () => {
    const net = Network.fromJSON(fixtureText);
    expect(predictions.inputs).toHaveLength(8);
    predictions.inputs.forEach((input, i) => {
      expect(Array.from(net.predict(input))).toEqual(predictions.outputs[i]);
    });
    expect(net.predict(predictions.inputs).toArray()).toEqual(predictions.outputs);
  });

  it('loads from the parsed object as well, and every weight reads back exactly', () => {
    const doc = JSON.parse(fixtureText) as NetworkJSON;
    const net = Network.fromJSON(doc);
    net.layers.forEach((l, n) => {
      expect(Array.from(l.weights.data)).toEqual(doc.layers[n]!.weights);
      expect(Array.from(l.biases)).toEqual(doc.layers[n]!.biases);
    });
  });
});

// ---------------------------------------------------------------------------------------------
// The frozen version-2 files, and version 2's own fields on hostile input
// ---------------------------------------------------------------------------------------------

const v2Text = readFileSync(new URL('./fixtures/network-v2.json', import.meta.url), 'utf8');
const v2Predictions = JSON.parse(readFileSync(new URL('./fixtures/network-v2.predictions.json', import.meta.url), 'utf8')) as {
  inputs: number[][];
  outputs: number[][];
  labels: string[];
};
const v2RegressionText = readFileSync(new URL('./fixtures/network-v2-regression.json', import.meta.url), 'utf8');
const v2RegressionPredictions = JSON.parse(readFileSync(new URL('./fixtures/network-v2-regression.predictions.json', import.meta.url), 'utf8')) as {
  inputs: number[][];
  outputs: number[][];
};

describe('test/fixtures/network-v2*.json (format version 2, frozen)', () => {
  it('the classifier loads with its scaling, classes and dropout, and predicts and classifies exactly as stored', () => {
    const net = Network.fromJSON(v2Text);
    expect(net.classes).toEqual(['low', 'mid', 'high']);
    expect(net.inputScaling!.kind).toBe('standard');
    expect(net.inputScaling!.divisor[3]).toBe(1); // the constant column
    expect(net.toJSON().layers.map((l) => l.dropout)).toEqual([0.2, 0.1, undefined]);
    expect(net.predict(v2Predictions.inputs).toArray()).toEqual(v2Predictions.outputs);
    v2Predictions.inputs.forEach((input, i) => {
      expect(Array.from(net.predict(input))).toEqual(v2Predictions.outputs[i]);
      expect(net.classify(input).label).toBe(v2Predictions.labels[i]);
    });
    // Writing it again gives the same file.
    expect(JSON.stringify(net.toJSON()) + '\n').toBe(v2Text);
  });

  it('the regression loads with minMax input and standard output scaling and predicts exactly as stored (original units)', () => {
    const net = Network.fromJSON(v2RegressionText);
    expect(net.inputScaling!.kind).toBe('minMax');
    expect(net.outputScaling!.kind).toBe('standard');
    expect(net.predict(v2RegressionPredictions.inputs).toArray()).toEqual(v2RegressionPredictions.outputs);
    expect(JSON.stringify(net.toJSON()) + '\n').toBe(v2RegressionText);
  });

  it('version 1 files still load and predict as before (the v1 reader refuses v2 fields)', () => {
    const v1 = JSON.parse(fixtureText) as Record<string, unknown>;
    expect(Network.fromJSON(v1).predict(predictions.inputs).toArray()).toEqual(predictions.outputs);
    rejects({ ...v1, classes: ['a', 'b', 'c'] }, '"json"');
    const layered = JSON.parse(fixtureText) as { layers: Array<Record<string, unknown>> };
    layered.layers[0]!['dropout'] = 0.5;
    rejects(layered, '"json.layers[0]"');
  });

  it('hostile version-2 fields: each a DeltapropError naming the field', () => {
    const doc = (): Record<string, unknown> & { layers: Array<Record<string, unknown>> } => JSON.parse(v2Text) as never;
    const damaged = (f: (d: ReturnType<typeof doc>) => void): unknown => {
      const d = doc();
      f(d);
      return d;
    };
    rejects(damaged((d) => delete d.layers[0]!['type']), 'json.layers[0].type');
    rejects(damaged((d) => (d.layers[0]!['type'] = 'conv2d')), 'json.layers[0].type');
    for (const p of [1, -0.1, '0.2', null, 1e999]) rejects(damaged((d) => (d.layers[0]!['dropout'] = p)), 'json.layers[0].dropout');
    rejects(damaged((d) => (d.layers[2]!['dropout'] = 0.5)), 'json.layers[2].dropout');
    rejects(damaged((d) => (d['inputScaling'] = 'zscore')), 'json.inputScaling');
    rejects(damaged((d) => ((d['inputScaling'] as Record<string, unknown>)['divisor'] = [1, 1, 0, 1])), 'json.inputScaling.divisor[2]');
    rejects(damaged((d) => ((d['inputScaling'] as Record<string, unknown>)['shift'] = [1, 2, 3])), 'json.inputScaling.shift');
    rejects(damaged((d) => ((d['inputScaling'] as Record<string, unknown>)['extra'] = 1)), 'json.inputScaling');
    rejects(damaged((d) => (d['inputScaling'] = JSON.parse('{"__proto__": {"kind": "standard"}, "shift": [0,0,0,0], "divisor": [1,1,1,1]}') as unknown)), 'json.inputScaling');
    rejects(damaged((d) => (d['outputScaling'] = 'standard')), 'json.outputScaling');
    rejects(damaged((d) => (d['classes'] = ['low', 'mid', 'low'])), 'json.classes');
    rejects(damaged((d) => (d['classes'] = [])), 'json.classes');
    rejects(damaged((d) => (d['classes'] = ['low', 'mid'])), 'json.classes');
    rejects(damaged((d) => (d['classes'] = 3)), 'json.classes');
    rejects(damaged((d) => (d['classes'] = new Array<string>(1e6).fill('x'))), 'json.classes');
    rejects(damaged((d) => (d.layers[2]!['units'] = 1, d.layers[2]!['weights'] = (d.layers[2]!['weights'] as number[]).slice(0, 5), d.layers[2]!['biases'] = [0], delete d['classes'])), 'json.layers[2]');
    const reg = JSON.parse(v2RegressionText) as Record<string, unknown>;
    rejects({ ...reg, outputScaling: { ...(reg['outputScaling'] as object), kind: 'minMax' } }, 'json.outputScaling.kind');
    rejects({ ...reg, outputScaling: { ...(reg['outputScaling'] as object), shift: [1, 2] } }, 'json.outputScaling.shift');
  });
});
