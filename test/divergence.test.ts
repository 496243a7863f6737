/**
 * The divergence guard of fit, proved against an independent replay of training: the same
 * shuffled order (the public Random), then Network.forward, the loss's value, Network.backward
 * and sgd().step, batch by batch, recording the weights before every batch. fit must stop at
 * the first non-finite loss or weight, leave exactly the weights of before that batch, and
 * throw a TrainingError whose fields and message give the epoch, the batch and the last finite
 * batch loss. A throwing onEpoch stops training cleanly the same way, with the error as cause.
 */
import { describe, expect, it } from 'vitest';
import { DeltapropError, type LossName, losses, Matrix, Network, Random, sgd } from '../src/index.js';
import { catchTrainingError } from './helpers/numeric.js';
import { applyStep } from './helpers/step.js';
import { parameters, bits } from './helpers/weights.js';

interface Setup {
  readonly loss: LossName;
  readonly learningRate: number;
  readonly weightDecay?: number;
  readonly batchSize: number;
  readonly epochs: number;
  readonly shuffle: boolean;
  readonly seed: number;
}

interface Failure {
  readonly epoch: number;
  readonly batch: number;
  readonly kind: 'loss' | 'weight';
  /** The last finite batch loss, as fit reports it. */
  readonly lastLoss: number;
  /** The parameters before the failing batch. */
  readonly before: number[];
}

/**
 * Replays fit step by step with public calls only. Returns the parameters before every batch
 * (`snapshots[k]` before the k-th batch, 0-based over the whole run) and the first failure.
 */
function replay(net: Network, x: number[][], y: number[][], s: Setup): { snapshots: number[][]; failure: Failure | undefined } {
  const n = x.length;
  const order = new Uint32Array(n).map((_, i) => i);
  const random = new Random(s.seed);
  const optimizer = sgd({ learningRate: s.learningRate, weightDecay: s.weightDecay ?? 0 });
  const batches = Math.ceil(n / s.batchSize);
  const snapshots: number[][] = [];
  let lastLoss = NaN;
  for (let epoch = 1; epoch <= s.epochs; epoch++) {
    if (s.shuffle) random.shuffle(order);
    for (let b = 0; b < batches; b++) {
      const rows = Array.from(order.subarray(b * s.batchSize, Math.min(n, (b + 1) * s.batchSize)));
      const xb = rows.map((i) => x[i]!), yb = rows.map((i) => y[i]!);
      const before = parameters(net);
      snapshots.push(before);
      const trace = net.forward(xb);
      const value = losses[s.loss].value(trace.activations[net.layers.length]!, Matrix.from(yb));
      if (!Number.isFinite(value)) return { snapshots, failure: { epoch, batch: b + 1, kind: 'loss', lastLoss, before } };
      let gradients;
      try {
        gradients = net.backward(trace, yb, s.loss);
      } catch (error) {
        // backward refuses non-finite gradients; a step with them makes a non-finite weight.
        expect(error).toBeInstanceOf(DeltapropError);
        return { snapshots, failure: { epoch, batch: b + 1, kind: 'weight', lastLoss: value, before } };
      }
      // A step that makes a weight non-finite is undone by the optimizer and reported as false.
      if (!applyStep(optimizer, net, gradients)) {
        return { snapshots, failure: { epoch, batch: b + 1, kind: 'weight', lastLoss: value, before } };
      }
      lastLoss = value;
    }
  }
  return { snapshots, failure: undefined };
}

/** 10 samples of a linear target, from the library's own seeded generator. */
function data(): { x: number[][]; y: number[][] } {
  const r = new Random(3);
  const x: number[][] = [];
  const y: number[][] = [];
  for (let i = 0; i < 10; i++) {
    const a = r.uniform(-1, 1), b = r.uniform(-1, 1);
    x.push([a, b]);
    y.push([2 * a - b + 0.5]);
  }
  return { x, y };
}

const regression = (): Network => Network.create({ input: 2, layers: [{ units: 4, activation: 'tanh' }, { units: 1 }], seed: 4 });

describe('a learning rate that blows training up', () => {
  const { x, y } = data();
  const setup: Setup = { loss: 'l2', learningRate: 50, batchSize: 3, epochs: 40, shuffle: true, seed: 8 };

  it('stops at the first non-finite loss, with the weights of before that batch, and says where', () => {
    const expected = replay(regression(), x, y, setup);
    const f = expected.failure!;
    expect(f).toBeDefined();
    expect(f.kind).toBe('loss');
    // Not a trivial case: several epochs ran, and the failing batch is not the first of its epoch.
    expect(f.epoch).toBeGreaterThan(2);
    expect(f.batch).toBeGreaterThan(1);
    // Every state before the failure was finite: this really is the first failure.
    for (const snap of expected.snapshots) expect(snap.every(Number.isFinite)).toBe(true);

    const net = regression();
    const t = catchTrainingError(() => net.fit(x, y, setup));
    expect([t.epoch, t.batch]).toEqual([f.epoch, f.batch]);
    expect(t.lastLoss).toBe(f.lastLoss);
    expect(Number.isFinite(t.lastLoss)).toBe(true);
    expect(t.message).toBe(
      `Network.fit: training diverged at epoch ${f.epoch}, batch ${f.batch}: the loss became Infinity ` +
        `(last finite batch loss ${f.lastLoss}). The weights were restored to their values before that batch. ` +
        'Try a smaller learningRate (it is 50).',
    );
    // The weights are exactly those before the failing batch, not those one batch earlier.
    const k = expected.snapshots.length - 1;
    expect(bits(parameters(net))).toBe(bits(expected.snapshots[k]!));
    expect(bits(parameters(net))).not.toBe(bits(expected.snapshots[k - 1]!));
  });

  it('the replay is fit itself: fit for the epochs before the failure gives the same weights', () => {
    const expected = replay(regression(), x, y, setup);
    const f = expected.failure!;
    const batches = Math.ceil(x.length / setup.batchSize);
    const net = regression();
    const history = net.fit(x, y, { ...setup, epochs: f.epoch - 1 });
    expect(history.epochs).toHaveLength(f.epoch - 1);
    expect(bits(parameters(net))).toBe(bits(expected.snapshots[(f.epoch - 1) * batches]!));
  });

  it('the restored network is usable: finite predictions, and it can be saved and loaded', () => {
    const net = regression();
    catchTrainingError(() => net.fit(x, y, setup));
    const z = net.predict(x);
    expect(Array.from(z.data).every(Number.isFinite)).toBe(true);
    expect(bits(parameters(Network.fromJSON(JSON.stringify(net))))).toBe(bits(parameters(net)));
  });
});

describe('a step that makes a weight non-finite', () => {
  // One identity unit, l1 (gradient ±1 whatever the size of the error), targets at 1.7e308 and
  // inputs of at most 0.01: the bias climbs by α = 2e307 per step (biases are not decayed) while
  // the loss stays finite; the 9th step takes it from 1.6e308 past Number.MAX_VALUE. With 5
  // samples in batches of 1 (a batch of 2 would sum two losses of ~1.7e308: Infinity), that is
  // epoch 2, batch 4.
  const x = [[0.01], [-0.01], [0.005], [0], [0.002]];
  const y = x.map(() => [1.7e308]);
  const setup: Setup = { loss: 'l1', learningRate: 2e307, weightDecay: 0.001, batchSize: 1, epochs: 5, shuffle: true, seed: 2 };
  const make = (): Network => Network.create({ input: 1, layers: [{ units: 1 }], seed: 9 });

  it('is undone, and the error gives epoch 2, batch 4 and that batch’s finite loss', () => {
    const expected = replay(make(), x, y, setup);
    const f = expected.failure!;
    expect([f.epoch, f.batch, f.kind]).toEqual([2, 4, 'weight']);
    const net = make();
    const t = catchTrainingError(() => net.fit(x, y, setup));
    expect([t.epoch, t.batch]).toEqual([2, 4]);
    // The failing batch's own loss was measured (finite) before its step: it is the last finite one.
    expect(t.lastLoss).toBe(f.lastLoss);
    expect(t.lastLoss / 1e307).toBeCloseTo(1, 3); // |z − y| ≈ 1.7e308 − 1.6e308
    expect(t.message).toContain(`training diverged at epoch 2, batch 4: a weight became non-finite (last finite batch loss ${f.lastLoss})`);
    expect(t.message).toContain('Try a smaller learningRate (it is 2e+307)');
    expect(bits(parameters(net))).toBe(bits(f.before));
    // Eight steps of 2e307 on a zero bias: 1.6e308, up to the rounding of each sum.
    expect(net.layers[0]!.biases[0]! / 1.6e308).toBeCloseTo(1, 12);
  });
});

describe('a validation loss that becomes non-finite', () => {
  it('is divergence too: the last step of the epoch is undone', () => {
    // 1 → 1 identity from w = b = 0. One sample x = 1, y = 1e6, l2, α = 0.25:
    // ∂h/∂w = ∂h/∂b = (0 − 1e6)·1, so the step gives w = b = 250000. The validation sample
    // x = 1e150 then gives z = 2.5e155 and ½z² = Infinity.
    const net = Network.create({ input: 1, layers: [{ units: 1 }], seed: 0 });
    net.layers[0]!.weights.data[0] = 0;
    const t = catchTrainingError(() =>
      net.fit([[1]], [[1e6]], { loss: 'l2', learningRate: 0.25, epochs: 3, validation: { x: [[1e150]], y: [[0]] } }),
    );
    expect([t.epoch, t.batch]).toEqual([1, 1]);
    expect(t.lastLoss).toBe(0.5 * 1e12); // ½(0 − 1e6)², measured before the step
    expect(t.message).toContain('training diverged at epoch 1, batch 1: the validation loss after it became Infinity');
    expect(parameters(net)).toEqual([0, 0]);
    // Without the validation data the same step is fine and gives 250000, 250000.
    const free = Network.create({ input: 1, layers: [{ units: 1 }], seed: 0 });
    free.layers[0]!.weights.data[0] = 0;
    free.fit([[1]], [[1e6]], { loss: 'l2', learningRate: 0.25, epochs: 1 });
    expect(parameters(free)).toEqual([250000, 250000]);
  });
});

describe('an onEpoch callback that throws', () => {
  const { x, y } = data();
  const setup = { loss: 'l2', learningRate: 0.05, batchSize: 4, epochs: 6, shuffle: true, seed: 5 } as const;

  it('stops training after that epoch with a TrainingError whose cause is the thrown value', () => {
    const net = regression();
    const boom = new Error('quota exceeded');
    const seen: number[] = [];
    const xBefore = x.map((r) => r.slice());
    const t = catchTrainingError(() =>
      net.fit(x, y, {
        ...setup,
        onEpoch: (e) => {
          seen.push(e.epoch);
          if (e.epoch === 3) throw boom;
        },
      }),
    );
    expect(seen).toEqual([1, 2, 3]);
    expect(x).toEqual(xBefore); // the inputs are left as they were
    expect(t.cause).toBe(boom);
    expect([t.epoch, t.batch]).toEqual([3, 0]);
    expect(t.message).toBe(
      'Network.fit: the onEpoch callback threw after epoch 3: quota exceeded. Training stopped; the weights are those after epoch 3.',
    );
    // The weights are those of three full epochs, as a 3-epoch fit and the replay both give.
    const three = regression();
    three.fit(x, y, { ...setup, epochs: 3 });
    expect(bits(parameters(net))).toBe(bits(parameters(three)));
    const expected = replay(regression(), x, y, { ...setup, epochs: 4 });
    expect(bits(parameters(net))).toBe(bits(expected.snapshots[3 * Math.ceil(x.length / setup.batchSize)]!));
    // The last finite loss is that of the last batch of epoch 3.
    expect(Number.isFinite(t.lastLoss)).toBe(true);
  });

  it('whatever it throws: a string, undefined, or an object without a prototype (whose String() would throw)', () => {
    const bare = Object.create(null) as object;
    for (const [thrown, text] of [['stop', 'stop'], [undefined, 'undefined'], [bare, 'an object']] as const) {
      const net = regression();
      const t = catchTrainingError(() =>
        net.fit(x, y, {
          ...setup,
          onEpoch: () => {
            throw thrown; // eslint-disable-line @typescript-eslint/only-throw-error
          },
        }),
      );
      expect(t.epoch).toBe(1);
      expect(t.message).toContain(`threw after epoch 1: ${text}.`);
      if (thrown !== undefined) expect(t.cause).toBe(thrown);
      const one = regression();
      one.fit(x, y, { ...setup, epochs: 1 });
      expect(bits(parameters(net))).toBe(bits(parameters(one)));
    }
  });
});
