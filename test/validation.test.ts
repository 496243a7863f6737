/**
 * Misuse: every check of the public boundary throws a DeltapropError naming the function and
 * the argument, before anything changes (weights compared bit for bit before and after).
 * Training that diverges throws a TrainingError and leaves the weights of before that batch.
 */
import { describe, expect, it } from 'vitest';
import { DeltapropError, type FitOptions, losses, Matrix, Network, sgd, TrainingError } from '../src/index.js';
import { uniformRows } from './helpers/data.js';
import { expectDeltapropError } from './helpers/numeric.js';
import { expectParameters, parameterBits, snapshot } from './helpers/weights.js';
import { applyStep } from './helpers/step.js';

function classifier(): Network {
  return Network.create({
    input: 2,
    layers: [
      { units: 3, activation: 'tanh' },
      { units: 1, activation: 'sigmoid' },
    ],
    seed: 6,
  });
}
const x = [
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
  [0.5, 0.5],
  [-1, 2],
];
const y = [[0], [1], [1], [0], [1], [0]];

/** Asserts that `call(net)` throws a DeltapropError with all fragments and changes no weight. */
function rejects(call: (net: Network) => unknown, ...fragments: string[]): DeltapropError {
  const net = classifier();
  const before = snapshot(net);
  const error = expectDeltapropError(() => call(net), ...fragments);
  expectParameters(net, before);
  // No training started: no Trainer holds the network.
  expect(net.state.trainer).toBeUndefined();
  return error;
}

const fit = (options: FitOptions, xs: unknown = x, ys: unknown = y) => (net: Network) =>
  net.fit(xs as number[][], ys as number[][], options);

describe('Network.fit rejects bad data before changing anything', () => {
  it('wrong widths', () => {
    rejects(fit({}, [[1, 2, 3]], [[1]]), 'Network.fit', '"x"', '2 columns', 'got 3');
    rejects(fit({}, x, x), 'Network.fit', '"y"', '1 column', 'got 2');
    rejects(fit({}, [[1, 2], [3]], [[1], [0]]), 'Network.fit', '"x[1]"', '2 values');
  });

  it('row-count mismatch', () => {
    rejects(fit({}, x, y.slice(1)), 'Network.fit', '"y"', '6 rows', 'got 5');
  });

  it('empty data', () => {
    rejects(fit({}, [], []), 'Network.fit', '"x"', 'non-empty');
    rejects(fit({}, new Matrix(0, 2), new Matrix(0, 1)), 'Network.fit', '"x"', 'at least one sample');
    rejects(fit({}, x, []), 'Network.fit', '"y"');
  });

  it('NaN and ±Infinity in inputs or targets, naming the place', () => {
    const withNaN = x.map((r) => r.slice());
    withNaN[2]![1] = NaN;
    rejects(fit({}, withNaN), 'Network.fit', '"x"', 'finite', 'NaN', 'row 2, column 1');
    const withInf = y.map((r) => r.slice());
    withInf[4]![0] = Infinity;
    rejects(fit({ loss: 'l2' }, x, withInf), 'Network.fit', '"y"', 'Infinity', 'row 4');
    rejects(fit({}, Matrix.from([[0, -Infinity]]), [[1]]), 'Network.fit', '"x"', '-Infinity');
    rejects(fit({}, [[0, '1']], [[1]]), 'Network.fit', '"x[0][1]"', 'a number', '"1"');
  });

  it('targets outside [0, 1] for binary cross-entropy (chosen by default or by name)', () => {
    const bad = y.map((r) => r.slice());
    bad[3]![0] = 1.5;
    rejects(fit({}, x, bad), 'Network.fit', '"y"', '[0, 1]', '1.5', "'binaryCrossEntropy'");
    bad[3]![0] = -0.5;
    rejects(fit({ loss: 'crossEntropy' }, x, bad), 'Network.fit', '"y"', '-0.5');
    // The same targets are fine for l2.
    expect(() => classifier().fit(x, bad, { loss: 'l2', epochs: 1 })).not.toThrow();
  });

  it('bad validation data', () => {
    rejects(fit({ validation: { x: [[1, 2, 3]], y: [[1]] } }), 'Network.fit', '"options.validation.x"');
    rejects(fit({ validation: { x: [[1, 2]], y: [[1], [0]] } }), 'Network.fit', '"options.validation.y"', '1 rows');
    rejects(fit({ validation: { x: [[1, NaN]], y: [[1]] } }), 'Network.fit', '"options.validation.x"', 'NaN');
    rejects(fit({ validation: { x: [[1, 2]], y: [[2]] } }), 'Network.fit', '"options.validation.y"', '[0, 1]');
    rejects(fit({ validation: { x: [[1, 2]], y: [[1]], z: 1 } as never }), 'Network.fit', '"options.validation"', '"z"');
  });
});

describe('Network.fit rejects bad options before changing anything', () => {
  it.each([0, -0.1, NaN, Infinity, -Infinity, '0.1'])('learningRate %s', (v) => {
    rejects(fit({ learningRate: v as number }), 'Network.fit', '"options.learningRate"', 'positive finite');
  });

  it.each([-0.01, NaN, Infinity, 1, 2])('weightDecay %s', (v) => {
    rejects(fit({ weightDecay: v }), 'Network.fit', '"options.weightDecay"');
  });

  it.each([0, -1, 1.5, NaN, Infinity, '4'])('batchSize %s', (v) => {
    rejects(fit({ batchSize: v as number }), 'Network.fit', '"options.batchSize"', 'positive integer');
  });

  it.each([0, -3, 2.5, NaN, '10'])('epochs %s', (v) => {
    rejects(fit({ epochs: v as number }), 'Network.fit', '"options.epochs"', 'positive integer');
  });

  it('unknown names and other options', () => {
    rejects(fit({ loss: 'mse' as 'l2' }), 'Network.fit', '"options.loss"', '"mse"', "'l2'");
    rejects(fit({ loss: { name: 'x' } as never }), 'Network.fit', '"options.loss"');
    rejects(fit({ shuffle: 'yes' as never }), 'Network.fit', '"options.shuffle"');
    rejects(fit({ seed: 1.5 }), 'Network.fit', '"options.seed"');
    rejects(fit({ onEpoch: 5 as never }), 'Network.fit', '"options.onEpoch"', 'a function');
    rejects(fit({ learningrate: 0.1 } as never), 'Network.fit', 'unknown option "learningrate"', 'did you mean "learningRate"');
    rejects(fit(5 as never), 'Network.fit', '"options"');
    rejects(fit({ optimizer: sgd(), learningRate: 0.1 }), 'Network.fit', '"options"', 'not both');
    rejects(fit({ optimizer: { learningRate: 0.1, weightDecay: 0 } as never }), 'Network.fit', '"options.optimizer"');
    rejects(fit({ optimizer: { step: () => undefined, learningRate: -1, weightDecay: 0 } as never }), 'Network.fit', '"options.optimizer.learningRate"');
  });
});

describe('Network.create rejects bad specs', () => {
  const create = (spec: unknown) => () => Network.create(spec as never);
  it('unknown activations, zero units and other mistakes', () => {
    expectDeltapropError(create({ input: 2, layers: [{ units: 3, activation: 'swish' }] }), 'Network.create', '"spec.layers[0].activation"', '"swish"', "'tanh'");
    expectDeltapropError(create({ input: 2, layers: [{ units: 3 }, { units: 0 }] }), 'Network.create', '"spec.layers[1].units"', 'got 0');
    expectDeltapropError(create({ input: 2, layers: [{ units: 2.5 }] }), 'Network.create', '"spec.layers[0].units"');
    expectDeltapropError(create({ input: 0, layers: [{ units: 1 }] }), 'Network.create', '"spec.input"');
    expectDeltapropError(create({ input: 2, layers: [] }), 'Network.create', '"spec.layers"');
    expectDeltapropError(create({ input: 2 }), 'Network.create', '"spec.layers"');
    expectDeltapropError(create({ input: 2, layers: [{ units: 1, init: 'xavier' }] }), 'Network.create', '"spec.layers[0].init"', '"xavier"');
    expectDeltapropError(create({ input: 2, layers: [{ unit: 1 }] }), 'Network.create', 'unknown option "unit"');
    expectDeltapropError(create({ input: 2, layers: [{ units: 1 }], seed: 0.5 }), 'Network.create', '"spec.seed"');
    expectDeltapropError(create(null), 'Network.create', '"spec"');
  });
});

describe('predict, forward and backward reject bad data', () => {
  it('without changing the network', () => {
    rejects((n) => n.predict([1, 2, 3]), 'Network.predict', '"x"', '2 values');
    rejects((n) => n.predict([1, NaN]), 'Network.predict', '"x"', 'NaN');
    rejects((n) => n.predict([[1, 2, 3]]), 'Network.predict', '"x"', '2 columns');
    rejects((n) => n.forward([[1]]), 'Network.forward', '"x"');
    rejects((n) => n.backward(n.forward(x), y.slice(2), 'l2'), 'Network.backward', '"y"', '6 rows');
    rejects((n) => n.backward(n.forward(x), y, 'hinge' as 'l2'), 'Network.backward', '"loss"');
    const other = Network.create({ input: 2, layers: [{ units: 1 }] });
    rejects((n) => n.backward(other.forward(x), y, 'l2'), 'Network.backward', '"trace"');
  });
});

describe('divergence', () => {
  /** Replays `steps` batches of fit (no shuffling) by hand with forward, backward and sgd. */
  function replay(net: Network, xs: number[][], ys: number[][], batchSize: number, loss: 'l1' | 'l2', learningRate: number, steps: number): number {
    const opt = sgd({ learningRate });
    const batches = Math.ceil(xs.length / batchSize);
    let lastLoss = NaN;
    for (let s = 0; s < steps; s++) {
      const start = (s % batches) * batchSize;
      const xb = xs.slice(start, start + batchSize), yb = ys.slice(start, start + batchSize);
      const trace = net.forward(xb);
      lastLoss = losses[loss].value(trace.activations[net.layers.length]!, Matrix.from(yb));
      applyStep(opt, net, net.backward(trace, yb, loss));
    }
    return lastLoss;
  }

  function catchTraining(fn: () => unknown): TrainingError {
    try {
      fn();
    } catch (error) {
      expect(error).toBeInstanceOf(TrainingError);
      expect(error).toBeInstanceOf(DeltapropError);
      return error as TrainingError;
    }
    return expect.fail('training did not diverge');
  }

  it('a loss that overflows: TrainingError naming epoch and batch, weights of before that batch', () => {
    const xs = uniformRows(10, 2, 3, -2, 2);
    const ys = xs.map((r) => [3 * r[0]! - r[1]!]);
    const make = (): Network => Network.create({ input: 2, layers: [{ units: 4 }, { units: 1 }], seed: 1 });
    const net = make();
    const err = catchTraining(() => net.fit(xs, ys, { loss: 'l2', learningRate: 1, batchSize: 3, epochs: 50, shuffle: false }));
    expect(err.epoch).toBeGreaterThan(1); // not on the first batch: "before that batch" is not "before fit"
    expect(err.message).toContain(`Network.fit: training diverged at epoch ${err.epoch}, batch ${err.batch}`);
    expect(err.message).toMatch(/the loss became (Infinity|NaN)/);
    expect(err.message).toContain('smaller learningRate');
    expect(Number.isFinite(err.lastLoss)).toBe(true);
    // Reproduce every batch before the failing one by hand.
    const expected = make();
    const lastLoss = replay(expected, xs, ys, 3, 'l2', 1, (err.epoch - 1) * 4 + err.batch - 1);
    expectParameters(net, snapshot(expected));
    expect(err.lastLoss).toBe(lastLoss);
    // One more step by hand really does give a non-finite loss.
    const trace = expected.forward(xs.slice(((err.batch - 1) % 4) * 3, ((err.batch - 1) % 4) * 3 + 3));
    expect(Number.isFinite(losses.l2.value(trace.activations[2]!, Matrix.from(ys.slice(((err.batch - 1) % 4) * 3, ((err.batch - 1) % 4) * 3 + 3))))).toBe(false);
  });

  it('a weight that overflows during a step: the step is undone', () => {
    // One identity layer with l1: the loss stays finite while the bias climbs by α·1 = 1e308 per
    // step towards targets of 1.7e308; the second step makes it Infinity.
    const xs = [
      [0.01, 0.02],
      [0.03, 0.01],
      [0.02, 0.02],
    ];
    const ys = [[1.7e308], [1.7e308], [1.7e308]];
    const make = (): Network => Network.create({ input: 2, layers: [{ units: 1 }], seed: 2 });
    const net = make();
    const err = catchTraining(() => net.fit(xs, ys, { loss: 'l1', learningRate: 1e308, batchSize: 1, epochs: 3, shuffle: false }));
    expect([err.epoch, err.batch]).toEqual([1, 2]);
    expect(err.message).toContain('epoch 1, batch 2: a weight became non-finite');
    expect(err.message).toContain('Try a smaller learningRate (it is 1e+308)');
    const expected = make();
    replay(expected, xs, ys, 1, 'l1', 1e308, 1);
    expectParameters(net, snapshot(expected));
    expect(net.layers[0]!.biases[0]).toBe(1e308);
    // The failing batch's own loss was finite (it was measured before the step): that is the last one.
    const z = expected.predict([xs[1]!]);
    expect(err.lastLoss).toBe(losses.l1.value(z, Matrix.from([ys[1]!])));
    expect(err.lastLoss).toBeLessThan(1e308);
  });
});

describe('onEpoch', () => {
  const options = { learningRate: 0.5, batchSize: 2, epochs: 6, seed: 4 };

  it('returning false stops training after that epoch', () => {
    const net = classifier();
    const seen: number[] = [];
    const history = net.fit(x, y, { ...options, onEpoch: (s) => (seen.push(s.epoch), s.epoch < 3) });
    expect(seen).toEqual([1, 2, 3]);
    expect(history.epochs).toHaveLength(3);
    expect(history.stoppedEarly).toBe(true);
    const three = classifier();
    three.fit(x, y, { ...options, epochs: 3 });
    expect(parameterBits(net)).toBe(parameterBits(three));
  });

  it('returning false after the last epoch is not an early stop; returning true or nothing goes on', () => {
    expect(classifier().fit(x, y, { ...options, onEpoch: (s) => s.epoch < 6 }).stoppedEarly).toBe(false);
    expect(classifier().fit(x, y, { ...options, onEpoch: () => true }).epochs).toHaveLength(6);
    expect(classifier().fit(x, y, { ...options, onEpoch: () => undefined }).epochs).toHaveLength(6);
  });
});
