/**
 * The public boundary against hostile or careless callers: values read once into the library's own
 * copy (getters that change, Proxies, revoked Proxies, subclasses that lie about their length), only
 * own properties counted (a polluted Object.prototype changes nothing), validating constructors,
 * untrusted text escaped and cut short, thrown values that cannot be read, distinct seeds, and hints
 * for newcomers' mistakes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { activations, Dense, DeltapropError, Matrix, Network, Random, sgd, TrainingError } from '../src/index.js';
import { expectDeltapropError } from './helpers/numeric.js';
import { parameterBits, snapshot, expectParameters } from './helpers/weights.js';

function make(): Network {
  return Network.create({ input: 2, layers: [{ units: 3, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], seed: 3 });
}
const x = [[0, 0], [0, 1], [1, 0], [1, 1]];
const y = [[0], [1], [1], [0]];

describe('values are read once, into the library’s own copy', () => {
  it('a row whose getter changes between reads is used as first read, and checked as used', () => {
    let reads = 0;
    const tricky = [0.5, 0.25];
    Object.defineProperty(tricky, 0, { get: () => (reads++ === 0 ? 0.5 : NaN) });
    const net = make();
    // Read once: the first read (0.5) is what predict uses; a second read would give NaN.
    expect(Array.from(net.predict([tricky]).data)).toEqual(Array.from(net.predict([[0.5, 0.25]]).data));
    expect(reads).toBe(1);
  });

  it('an array whose length changes between reads is copied to the length first read', () => {
    let calls = 0;
    const rows = new Proxy(x, { get: (t, k, r): unknown => (k === 'length' ? (calls++ === 0 ? 4 : 1e9) : Reflect.get(t, k, r)) });
    const net = make(), copy = make();
    net.fit(rows, y, { learningRate: 0.5, epochs: 3, batchSize: 2, seed: 1 });
    copy.fit(x, y, { learningRate: 0.5, epochs: 3, batchSize: 2, seed: 1 });
    expect(parameterBits(net)).toBe(parameterBits(copy));
  });

  it('a revoked Proxy, or one whose traps throw, is a DeltapropError naming the argument, and nothing changes', () => {
    const { proxy, revoke } = Proxy.revocable([[1, 2]], {});
    revoke();
    const net = make();
    const before = snapshot(net);
    expectDeltapropError(() => net.predict(proxy as never), 'Network.predict', '"x"');
    expectDeltapropError(() => net.fit(proxy, y), 'Network.fit', '"x"', 'could not be read');
    const throwing = new Proxy([[1, 2]], { get: () => { throw new Error('trap'); } });
    expectDeltapropError(() => net.fit(throwing, y), 'Network.fit', '"x"', 'trap');
    const revokedOptions = Proxy.revocable({ epochs: 1 }, {});
    revokedOptions.revoke();
    expectDeltapropError(() => net.fit(x, y, revokedOptions.proxy), 'Network.fit', '"options"');
    expectParameters(net, before);
  });

  it('a Float64Array subclass or a Matrix subclass that lies about its size cannot pass a check', () => {
    class Liar extends Float64Array {
      override get length(): number {
        return 2;
      }
    }
    const net = make();
    const sample = new Liar(5);
    expectDeltapropError(() => net.predict(sample as never), 'Network.predict', '"x"', '5 values');
    expectDeltapropError(() => net.predict([new Liar(3)] as never), 'Network.predict', '"x"', '2 columns', 'got 3');
    const m = new Matrix(2, 2, Float64Array.of(1, 2, 3, 4));
    let reads = 0;
    // A Matrix whose rows change after the first read (as a subclass with a getter could do).
    Object.defineProperty(m, 'rows', { get: () => (reads++ === 0 ? 2 : 1000) });
    // Read once: two rows, and the result has two rows.
    expect(net.predict(m).rows).toBe(2);
  });
});

describe('only own properties count', () => {
  const polluted = ['learningRate', 'epochs', 'undo', 'checkTargets', 'forward', 'seed', 'optimizer'];
  afterEach(() => {
    for (const k of polluted) delete (Object.prototype as Record<string, unknown>)[k];
  });

  it('a polluted Object.prototype changes nothing in fit, create or an optimizer', () => {
    const clean = make();
    const hClean = clean.fit(x, y, { learningRate: 0.5, epochs: 4, batchSize: 2 });
    const proto = Object.prototype as Record<string, unknown>;
    proto['learningRate'] = 1e6;
    proto['epochs'] = 1;
    proto['seed'] = 99;
    proto['optimizer'] = 'adam';
    proto['undo'] = () => {
      throw new Error('polluted undo');
    };
    proto['checkTargets'] = () => 'polluted';
    proto['forward'] = () => undefined;
    const dirty = make();
    const hDirty = dirty.fit(x, y, { learningRate: 0.5, epochs: 4, batchSize: 2 });
    expect(parameterBits(dirty)).toBe(parameterBits(clean));
    expect(hDirty.epochs.map((e) => e.loss)).toEqual(hClean.epochs.map((e) => e.loss));
    // An activation object whose methods would come from Object.prototype is not an activation.
    expectDeltapropError(() => Network.create({ input: 1, layers: [{ units: 1, activation: { name: 'x', backward: () => undefined, jacobian: () => new Matrix(1, 1), toJSON: () => 'x' } as never }] }), 'Network.create', 'spec.layers[0].activation');
  });
});

describe('constructors validate', () => {
  it('new Dense checks sizes, activation, weights and biases; new Network too, with a hint', () => {
    expectDeltapropError(() => new Dense(0, 2, activations.relu), 'new Dense', '"inputs"');
    expectDeltapropError(() => new Dense(2, 1.5, activations.relu), 'new Dense', '"units"');
    expectDeltapropError(() => new Dense(2, 2, 'nope' as never), 'new Dense', '"activation"');
    expect(new Dense(2, 2, 'relu' as never).activation).toBe(activations.relu);
    expectDeltapropError(() => new Dense(2, 2, { name: 'x' } as never), 'new Dense', '"activation"');
    expectDeltapropError(() => new Dense(2, 2, activations.relu, new Matrix(3, 2)), 'new Dense', '"weights"', '2 × 2');
    expectDeltapropError(() => new Dense(2, 2, activations.relu, Matrix.from([[1, NaN], [0, 0]])), 'new Dense', '"weights"', 'NaN');
    expectDeltapropError(() => new Dense(2, 2, activations.relu, undefined, new Float64Array(3)), 'new Dense', '"biases"');
    expectDeltapropError(() => new Network({ input: 2, layers: [] } as never, []), 'new Network', '"input"', 'Network.create({ input, layers })');
    expectDeltapropError(() => new Network(2, [new Dense(3, 1, activations.relu)]), 'new Network', 'layers[0].inputs');
    expectDeltapropError(() => Network.create({ input: 2, layers: [4, 1] as never }), 'Network.create', 'spec.layers[0]', '{ units: 4');
  });

  it('a frozen network still predicts, fits and saves', () => {
    const net = Object.freeze(make());
    expect(net.predict([1, 0])).toBeInstanceOf(Float64Array);
    expect(net.predict([[1, 0], [0, 1]]).rows).toBe(2);
    expect(() => net.fit(x, y, { epochs: 1 })).not.toThrow();
    expect(Network.fromJSON(net.toJSON()).predict([1, 0])).toEqual(net.predict([1, 0]));
  });
});

describe('untrusted text and thrown values', () => {
  it('a thrown message is escaped and cut short; a throwing message getter or a revoked Proxy still gives a TrainingError', () => {
    const long = `line one\nline two\u2028${'x'.repeat(500)}`;
    const catchIt = (thrown: unknown): TrainingError => {
      try {
        make().fit(x, y, { epochs: 2, onEpoch: () => { throw thrown; } });
      } catch (e) {
        return e as TrainingError;
      }
      throw new Error('no error');
    };
    const t = catchIt(new Error(long));
    expect(t).toBeInstanceOf(TrainingError);
    expect(t.message).not.toContain('\n');
    expect(t.message).toContain('line one\\u000aline two\\u2028');
    expect(t.message.length).toBeLessThan(400);
    const getter = new Error('x');
    Object.defineProperty(getter, 'message', { get: () => { throw new Error('no'); } });
    expect(catchIt(getter).message).toContain('cannot be read');
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    const r = catchIt(proxy);
    expect(r).toBeInstanceOf(TrainingError);
    expect(r.cause).toBe(proxy);
  });

  it('names and keys from a model file are escaped and truncated in messages', () => {
    const json = { ...make().toJSON(), ['\u0007evil' + 'k'.repeat(100)]: 1 };
    const e = expectDeltapropError(() => Network.fromJSON(json), 'Network.fromJSON', 'unknown field');
    expect(e.message).not.toContain('\u0007');
    expect(e.message).not.toContain('k'.repeat(60));
  });
});

describe('diagnosis', () => {
  it('a loss that returns a non-number is said so, not blamed on the learning rate', () => {
    const odd = { name: 'odd', value: () => 'x' as unknown as number, gradient: (out: Matrix) => out.data.fill(0) };
    const err = (() => {
      try {
        make().fit(x, y, { loss: odd, epochs: 1 });
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(TrainingError);
    expect(err!.message).toContain("the loss 'odd' returned");
    expect(err!.message).not.toContain('learningRate');
  });

  it('data changed by a callback during training changes nothing: fit trains on its own copy', () => {
    const xs = x.map((r) => r.slice()), m = Matrix.from(x), my = Matrix.from(y);
    const a = make(), b = make();
    a.fit(xs, y, { learningRate: 0.5, epochs: 3, batchSize: 2, seed: 2, onBatch: () => void (xs[0]![0] = 1e9) });
    b.fit(m, my, { learningRate: 0.5, epochs: 3, batchSize: 2, seed: 2, onBatch: () => void (m.data.fill(7), my.data.fill(0.5)) });
    const c = make();
    c.fit(x, y, { learningRate: 0.5, epochs: 3, batchSize: 2, seed: 2 });
    expect(parameterBits(a)).toBe(parameterBits(c));
    expect(parameterBits(b)).toBe(parameterBits(c));
  });

  it('integer labels given where rows are expected get a hint (a classifier takes them as they are)', () => {
    const classifier = Network.create({ input: 2, layers: [{ units: 3, activation: 'softmax' }] });
    expect(() => classifier.fit(x, [0, 1, 2, 0], { epochs: 1 })).not.toThrow();
    const net = Network.create({ input: 2, layers: [{ units: 3 }] });
    const e = expectDeltapropError(() => net.fit(x, [0, 1, 2, 0] as never), 'Network.fit', '"y"', 'labels need a classifier');
    expect(e.message).toContain('oneHot');
    expect(e.message).toContain('classes');
  });
});

describe('seeds', () => {
  it('distinct safe-integer seeds give distinct streams, negative and beyond 2^32 included; 0 … 2^32 − 1 are as before', () => {
    const seeds = [0, 1, -1, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, -(2 ** 32), Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 12345, -12345];
    // Seeds whose high and low words fold to the same splitmix32 state: once the same stream, now not.
    const lo = 5, hi = 1;
    const folded = (lo ^ Math.imul(hi, 0x9e3779b1)) >>> 0;
    seeds.push(lo + hi * 2 ** 32, folded);
    const firsts = seeds.map((s) => {
      const r = new Random(s);
      return [r.nextUint32(), r.nextUint32(), r.nextUint32(), r.nextUint32()].join(',');
    });
    expect(new Set(firsts).size).toBe(seeds.length);
    for (let s = 0; s < 2000; s++) {
      const a = new Random(s).state(), b = new Random(s + 2 ** 32).state();
      expect(a).not.toEqual(b);
    }
    // A seed below 2^32 is unchanged: its state is the splitmix32 sequence of the seed itself.
    const mix = (x: number): number => {
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    const seed = 2026;
    expect(new Random(seed).state()).toEqual([1, 2, 3, 4].map((k) => mix((seed + k * 0x9e3779b9) | 0)));
  });
});

describe('limits', () => {
  it('one set of limits: the largest layer count that can be created can be saved and loaded back, one more is refused by both', () => {
    const layers = Array.from({ length: 10_000 }, () => ({ units: 1 }));
    const big = Network.create({ input: 1, layers });
    expect(Network.fromJSON(JSON.stringify(big.toJSON())).layers).toHaveLength(10_000);
    expectDeltapropError(() => Network.create({ input: 1, layers: [...layers, { units: 1 }] }), 'Network.create', '"spec.layers"', 'at most 10000 layers');
    const json = big.toJSON();
    const tooMany = { ...json, layers: [...json.layers, json.layers[0]!] };
    expectDeltapropError(() => Network.fromJSON(tooMany), 'Network.fromJSON', '"json.layers"', 'at most 10000 layers');
  });

  it('predict and forward refuse a batch whose working memory would pass the documented cap, before allocating', () => {
    const net = Network.create({ input: 1, layers: [{ units: 4096 }, { units: 4096 }] });
    // 1 + 2·(4096 + 4096) = 16385 working values per sample: at most 8191 samples under 2^27.
    const rows = new Matrix(9000, 1);
    expectDeltapropError(() => net.predict(rows), 'Network.predict', '"x"', 'at most 8191 samples');
    expectDeltapropError(() => net.forward(rows), 'Network.forward', '"x"', 'at most 8191 samples');
  });
});

describe('predict memory', () => {
  it('does not keep a large batch’s buffers alive after the call', () => {
    const net = Network.create({ input: 64, layers: [{ units: 256, activation: 'relu' }, { units: 4 }] });
    net.predict(new Matrix(8, 64));
    expect(net.state.predict).toBeDefined();
    net.predict(new Matrix(3000, 64));
    expect(net.state.predict).toBeUndefined();
  });

  it('sgd() step on another network’s store is refused, changing nothing', () => {
    const a = make(), b = make();
    const o = sgd();
    o.init(a.params);
    const before = snapshot(b);
    expect(() => o.step(b.params, 0.1, 0)).toThrow(DeltapropError);
    expectParameters(b, before);
  });
});
