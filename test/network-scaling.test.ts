/**
 * Scaling inside the model: statistics computed by hand on a tiny table, applied in predict, forward,
 * fit and evaluate; constant columns; output scaling inverted exactly (z · divisor + shift).
 */
import { describe, expect, it } from 'vitest';
import { Matrix, Network } from '../src/index.js';
import { expectDeltapropError } from './helpers/numeric.js';
import { parameterBits, setLayer } from './helpers/weights.js';

// Three samples, three features; the last column is constant.
const table = [
  [1, 10, 5],
  [2, 30, 5],
  [3, 20, 5],
];
// standard: means 2, 20, 5; population sds √(2/3), √(200/3), 0 → 1 (a constant column).
const mean = [2, 20, 5];
const sd = [Math.sqrt(2 / 3), Math.sqrt(200 / 3), 1];
// minMax: mins 1, 10, 5; ranges 2, 20, 0 → 1.
const min = [1, 10, 5];
const range = [2, 20, 1];

function linear(inputScaling: 'standard' | 'minMax' | 'none', outputScaling: 'standard' | 'none' = 'none'): Network {
  const net = Network.create({ input: 3, layers: [{ units: 2, activation: 'identity' }], inputScaling, outputScaling, seed: 3 });
  setLayer(net, 0, [[0.5, -0.25, 2], [1, 0.75, -1]], [0.1, -0.2]);
  return net;
}

/** The same weights with no scaling at all: the reference the scaled network must match. */
function manual(_net: Network, x: number[]): number[] {
  return Array.from(linear('none').predict(x));
}

describe('input scaling', () => {
  it("'standard': shift = mean, divisor = population sd, computed by hand; predict = manual scaling + unscaled network", () => {
    const net = linear('standard').adapt(table);
    const s = net.inputScaling!;
    expect(s.kind).toBe('standard');
    expect(Array.from(s.shift)).toEqual(mean);
    expect(Array.from(s.divisor)).toEqual(sd);
    for (const row of table) {
      const scaled = row.map((v, j) => (v - mean[j]!) / sd[j]!);
      expect(Array.from(net.predict(row))).toEqual(manual(net, scaled));
    }
    // The constant column maps to exactly 0, never NaN.
    expect(net.forward(table).activations[0]!.toArray().map((r) => r[2])).toEqual([0, 0, 0]);
  });

  it("'minMax': shift = min, divisor = max − min (1 for a constant column); the training table maps into [0, 1]", () => {
    const net = linear('minMax').adapt(table);
    expect(Array.from(net.inputScaling!.shift)).toEqual(min);
    expect(Array.from(net.inputScaling!.divisor)).toEqual(range);
    const z = net.forward(table).activations[0]!.toArray();
    expect(z).toEqual([[0, 0, 0], [0.5, 1, 0], [1, 0.5, 0]]);
    expect(Array.from(net.predict([4, 0, 7]))).toEqual(manual(net, [1.5, -0.5, 2]));
  });

  it('the first fit computes the statistics from its training x and trains on scaled inputs', () => {
    const x = [[0, 100], [1, 300], [2, 200], [3, 400], [4, 500], [5, 600]];
    const y = [[0], [1], [0], [1], [0], [1]];
    const net = Network.create({ input: 2, layers: [{ units: 1, activation: 'sigmoid' }], inputScaling: 'standard', seed: 1 });
    expect(net.inputScaling).toBeUndefined();
    net.fit(x, y, { epochs: 2, batchSize: 2, seed: 4 });
    const s = net.inputScaling!;
    expect(Array.from(s.shift)).toEqual([2.5, 350]);
    // The same training by hand: scale x with those statistics, train an unscaled copy of the initial network.
    const plain = Network.create({ input: 2, layers: [{ units: 1, activation: 'sigmoid' }], seed: 1 });
    const xs = x.map((r) => r.map((v, j) => (v - s.shift[j]!) / s.divisor[j]!));
    plain.fit(xs, y, { epochs: 2, batchSize: 2, seed: 4 });
    expect(parameterBits(net)).toBe(parameterBits(plain));
    // A second fit keeps the statistics (adapt recomputes them).
    net.fit(x.map((r) => r.map((v) => v * 10)), y, { epochs: 1, seed: 4 });
    expect(Array.from(net.inputScaling!.shift)).toEqual([2.5, 350]);
  });

  it('predict, forward and evaluate refuse a network that scales but has no statistics yet; nothing changes', () => {
    const net = linear('standard');
    expectDeltapropError(() => net.predict([1, 2, 3]), 'Network.predict', 'no statistics yet', 'adapt');
    expectDeltapropError(() => net.forward([[1, 2, 3]]), 'Network.forward', 'no statistics yet');
    expectDeltapropError(() => net.evaluate([[1, 2, 3]], [[1, 2]]), 'Network.evaluate', 'no statistics yet');
    expect(net.inputScaling).toBeUndefined();
  });

  it('adapt: bad arguments are DeltapropErrors and leave the statistics as they were', () => {
    const net = linear('standard').adapt(table);
    const before = net.inputScaling!;
    expectDeltapropError(() => net.adapt([[1, 2]]), 'Network.adapt', '"x"');
    expectDeltapropError(() => net.adapt([[1, 2, NaN]]), 'Network.adapt', '"x"');
    expectDeltapropError(() => net.adapt(table, [[1, 2], [3, 4], [5, 6]]), 'Network.adapt', '"y"', 'no output scaling');
    expectDeltapropError(() => linear('none').adapt(table), 'Network.adapt', 'no scaling to adapt');
    expect(net.inputScaling).toEqual(before);
    expectDeltapropError(() => Network.create({ input: 1, layers: [{ units: 1 }], inputScaling: 'zscore' as never }), 'Network.create', '"spec.inputScaling"');
    expectDeltapropError(() => Network.create({ input: 1, layers: [{ units: 1 }], outputScaling: 'minMax' as never }), 'Network.create', '"spec.outputScaling"');
  });
});

describe('output scaling', () => {
  const y = [[100, -5], [300, -5], [200, -5]];

  it("trains on (y − mean) / sd and predict answers z · sd + mean exactly (a constant target column has divisor 1)", () => {
    const net = linear('none', 'standard').adapt(table, y);
    const s = net.outputScaling!;
    expect(Array.from(s.shift)).toEqual([200, -5]);
    expect(Array.from(s.divisor)).toEqual([Math.sqrt(20000 / 3), 1]);
    for (const row of table) {
      const z = manual(net, row);
      expect(Array.from(net.predict(row))).toEqual([z[0]! * s.divisor[0]! + s.shift[0]!, z[1]! * 1 + -5]);
      // forward stays in the scaled space the seed's formulas run in.
      expect(Array.from(net.forward([row]).activations[1]!.data)).toEqual(z);
    }
    const batch = net.predict(new Matrix(3, 3, Float64Array.from(table.flat())));
    expect(batch.toArray()[1]).toEqual(Array.from(net.predict(table[1]!)));
  });

  it('the history loss is in training units (scaled targets); evaluate reports MAE/RMSE/R² in original units', () => {
    const x = [[0], [1], [2], [3]], t = [[1000], [1200], [1400], [1600]];
    const net = Network.create({ input: 1, layers: [{ units: 1 }], outputScaling: 'standard', seed: 2 });
    const h = net.fit(x, t, { epochs: 400, batchSize: 4, learningRate: 0.1, seed: 1, validation: { x, y: t } });
    const e = net.evaluate(x, t);
    // The same loss as the history's validation loss (both in training units)...
    expect(e.loss).toBe(h.epochs.at(-1)!.validationLoss);
    // ...and figures in the targets' own units, from predict.
    const p = net.predict(x).data;
    const errors = t.map((r, i) => r[0]! - p[i]!);
    expect('mae' in e && e.mae).toBe(errors.reduce((a, v) => a + Math.abs(v), 0) / 4);
    expect('rmse' in e && e.rmse).toBeCloseTo(Math.sqrt(errors.reduce((a, v) => a + v * v, 0) / 4), 9);
    expect('r2' in e && e.r2).toBeGreaterThan(0.999);
  });

  it('is refused for a classifier, and adapt needs y', () => {
    expectDeltapropError(
      () => Network.create({ input: 2, layers: [{ units: 3, activation: 'softmax' }], outputScaling: 'standard' }),
      'Network.create', '"spec.outputScaling"', 'classifier',
    );
    expectDeltapropError(() => linear('none', 'standard').adapt(table), 'Network.adapt', '"y"');
  });
});

describe("inputScaling 'none' keeps the seed's exact math", () => {
  it('a network created with every new option left out trains to the same bits as before', () => {
    const make = (spec: object): Network => Network.create({ input: 2, layers: [{ units: 4, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], seed: 9, ...spec });
    const a = make({}), b = make({ inputScaling: 'none', outputScaling: 'none' });
    const x = [[0, 0], [0, 1], [1, 0], [1, 1]], y = [[0], [1], [1], [0]];
    a.fit(x, y, { epochs: 20, batchSize: 2, seed: 1 });
    b.fit(x, y, { epochs: 20, batchSize: 2, seed: 1 });
    expect(parameterBits(a)).toBe(parameterBits(b));
  });
});
