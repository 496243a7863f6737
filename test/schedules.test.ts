/**
 * Learning-rate schedules: the multiplier m_t of every batch as the Trainer applies it
 * (α_t = α·m_t, λ_t = λ·m_t), derived by hand for each built-in schedule; a user's schedule
 * function; bad multipliers at run time; bad options.
 */
import { describe, expect, it } from 'vitest';
import { type Loss, Network, type Optimizer, type Schedule, type ScheduleFunction, schedules, sgd, TrainingError } from '../src/index.js';
import { cos } from '../src/core/trig.js';
import { expectDeltapropError, expectNear } from './helpers/numeric.js';
import { bits } from './helpers/weights.js';

const ALPHA = 0.5, LAMBDA = 0.25;

/** An optimizer that changes nothing and records the α_t, λ_t the Trainer gives each step. */
function recorder(): Optimizer & { readonly calls: Array<[number, number]> } {
  const calls: Array<[number, number]> = [];
  return {
    name: 'recorder',
    learningRate: ALPHA,
    weightDecay: LAMBDA,
    calls,
    init: () => undefined,
    step(_params, lr, wd) {
      calls.push([lr, wd]);
      return true;
    },
    state: () => ({ name: 'recorder' }),
    load: () => undefined,
  };
}

function net(): Network {
  return Network.create({ input: 2, layers: [{ units: 1, activation: 'identity' }], seed: 3 });
}

// N = 6 samples in batches of 2: 3 batches per epoch.
const X = [[1, 0], [0, 1], [1, 1], [-1, 0.5], [0.25, -2], [2, 2]];
const Y = [[1], [0], [2], [-1], [0.5], [3]];

/** The multipliers the Trainer applied in a run (α_t / α; and checks λ_t = λ·m_t, both exact here). */
function multipliers(schedule: Schedule | ScheduleFunction, epochs: number, batchSize = 2): number[] {
  const opt = recorder();
  net().fit(X, Y, { loss: 'l2', optimizer: opt, schedule, batchSize, epochs, shuffle: false });
  return opt.calls.map(([lr, wd]) => {
    // α = 0.5 and λ = 0.25 are powers of two, so α·m and λ·m are exact and m = α_t / α exactly.
    const m = lr / ALPHA;
    expect(wd).toBe(LAMBDA * m);
    return m;
  });
}

describe('the multipliers the Trainer applies', () => {
  it('no schedule and constant(): m = 1, so α_t = α and λ_t = λ exactly', () => {
    const opt = recorder();
    net().fit(X, Y, { loss: 'l2', optimizer: opt, batchSize: 2, epochs: 2 });
    expect(opt.calls).toEqual(new Array(6).fill([ALPHA, LAMBDA]));
    expect(multipliers(schedules.constant(), 2)).toEqual(new Array(6).fill(1));
  });

  it('stepDecay({ every: 2, factor: 0.5 }): ×0.5 every 2 epochs', () => {
    // epochs 1–2: 1, epochs 3–4: 0.5, epochs 5–6: 0.25 (3 batches each)
    expect(multipliers(schedules.stepDecay({ every: 2, factor: 0.5 }), 6)).toEqual([1, 1, 1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25]);
    // every: 3 with factor 0.1 (not exact in binary): 1 for epochs 1–3, 0.1 for 4–6, 0.1·0.1 for 7
    const m = multipliers(schedules.stepDecay({ every: 3, factor: 0.1 }), 7, 6);
    expect(m).toEqual([1, 1, 1, 0.1, 0.1, 0.1, 0.1 * 0.1]);
  });

  it('exponentialDecay({ factor: 0.9 }): ×0.9 per epoch, as running products (not 0.9 ** e)', () => {
    const m = multipliers(schedules.exponentialDecay({ factor: 0.9 }), 5);
    const expected: number[] = [];
    let p = 1;
    for (let e = 0; e < 5; e++) {
      expected.push(p, p, p);
      p = p * 0.9; // 1, 0.9, 0.8100000000000001, 0.7290000000000001, 0.6561000000000001
    }
    expect(m).toEqual(expected);
    expect(m[3]).toBe(0.9);
    expect(m[6]).toBe(0.9 * 0.9);
  });

  it('cosineDecay({ minFactor: 0.1 }): m + (1 − m)(1 + cos(πt/T))/2 at t = 0, T/2, T − 1', () => {
    // 4 epochs × 3 batches: T = 12.
    const m = multipliers(schedules.cosineDecay({ minFactor: 0.1 }), 4);
    expect(m.length).toBe(12);
    // t = 0: cos 0 = 1, 0.1 + 0.9·2/2 = 0.1 + 0.9 = 1 (exactly, in binary too)
    expect(m[0]).toBe(1);
    // t = T/2 = 6: cos(π/2) ≈ 6e-17 vanishes beside 1, so 0.1 + 0.9·1/2 = 0.1 + 0.45
    expect(m[6]).toBe(0.1 + 0.45);
    // t = T − 1 = 11: cos(11π/12) = −cos(π/12) = −(√6 + √2)/4 = −0.96592582628906829
    expectNear(m[11]!, 0.1 + (0.9 * (1 - (Math.sqrt(6) + Math.sqrt(2)) / 4)) / 2, 1e-14);
    // every t, in the doc comment's order with the library's cos; decreasing from 1 towards 0.1
    for (let t = 0; t < 12; t++) {
      expect(m[t]).toBe(0.1 + ((1 - 0.1) * (1 + cos((Math.PI * t) / 12))) / 2);
      if (t > 0) expect(m[t]!).toBeLessThan(m[t - 1]!);
    }
    expect(m[11]!).toBeGreaterThan(0.1);
    // minFactor 0 by default: t = T/2 gives 0.5 exactly
    expect(multipliers(schedules.cosineDecay(), 4)[6]).toBe(0.5);
  });

  it('warmup({ batches: 4, then: cosineDecay() }): (t + 1)/4 for t < 4, then cosine over the remaining T − 4 batches', () => {
    const m = multipliers(schedules.warmup({ batches: 4, then: schedules.cosineDecay() }), 4);
    // T = 12; warmup: 0.25, 0.5, 0.75, 1; then cosine with t' = t − 4 over T' = 8:
    // t' = 0 → 1, t' = 4 → (1 + cos(π/2))/2 = 0.5, t' = 7 → (1 + cos(7π/8))/2
    expect(m.slice(0, 4)).toEqual([0.25, 0.5, 0.75, 1]);
    expect(m[4]).toBe(1);
    expect(m[8]).toBe(0.5);
    expectNear(m[11]!, (1 - Math.cos(Math.PI / 8)) / 2, 1e-13);
    // then defaults to constant
    expect(multipliers(schedules.warmup({ batches: 2 }), 2)).toEqual([0.5, 1, 1, 1, 1, 1]);
    // then may be a user's function, given (t − batches, epoch)
    const seen: Array<[number, number]> = [];
    const w = multipliers(schedules.warmup({ batches: 3, then: (t, e) => (seen.push([t, e]), 0.125) }), 2);
    expect(w).toEqual([1 / 3, 2 / 3, 1, 0.125, 0.125, 0.125]);
    expect(seen).toEqual([[0, 1], [1, 1], [2, 1]]);
  });

  it('reduceOnPlateau: ×factor after more than `patience` epochs without improvement, floored at minFactor', () => {
    // A loss whose value is scripted epoch by epoch (one batch per epoch, so the epoch's loss is it).
    const script = [5, 4, 4, 4, 4, 3, 3, 3, 3, 3, 3];
    let call = 0;
    const scripted: Loss = {
      name: 'scripted',
      value: () => script[call++]!,
      gradient: (out) => void out.data.fill(0),
    };
    const opt = recorder();
    const history = net().fit(X, Y, {
      loss: scripted, optimizer: opt, batchSize: 6, epochs: 11, shuffle: false,
      schedule: schedules.reduceOnPlateau({ monitor: 'loss', factor: 0.5, patience: 1, minFactor: 0.2 }),
    });
    expect(history.epochs.map((e) => e.loss)).toEqual(script);
    // After epoch:  1: 5 best  2: 4 best  3: 4 (wait 1)  4: 4 (wait 2 > 1: m = 0.5)  5: 4 (wait 1)
    //   6: 3 best  7: 3 (wait 1)  8: 3 (wait 2: m = 0.25)  9: 3 (wait 1)  10: 3 (wait 2: m = max(0.125, 0.2) = 0.2)
    // The multiplier of epoch e is the one set at the end of epoch e − 1.
    expect(opt.calls.map(([lr]) => lr / ALPHA)).toEqual([1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.2]);
  });

  it('reduceOnPlateau with patience 0 reduces at the first epoch without improvement; minDelta counts as no improvement', () => {
    const script = [1, 0.95, 0.9, 0.95, 0.5];
    let call = 0;
    const scripted: Loss = { name: 'scripted', value: () => script[call++]!, gradient: (out) => void out.data.fill(0) };
    const opt = recorder();
    net().fit(X, Y, {
      loss: scripted, optimizer: opt, batchSize: 6, epochs: 5, shuffle: false,
      schedule: schedules.reduceOnPlateau({ monitor: 'loss', factor: 0.5, patience: 0, minDelta: 0.1 }),
    });
    // End of epoch 1: 1 < ∞, best.  2: 0.95 is not < 1 − 0.1: m = 0.5.  3: 0.9 is not < 0.9: m = 0.25.
    // 4: 0.95: m = 0.125 (the 0.5 of epoch 5 comes too late to matter). Epoch e runs with the m set after e − 1:
    expect(opt.calls.map(([lr]) => lr / ALPHA)).toEqual([1, 1, 0.5, 0.25, 0.125]);
  });

  it('the multipliers are really applied: sgd({ learningRate: 1 }) on a linear layer moves by m_t·g', () => {
    // One sample x = 0.5, y = 0 on z = w·x + b, starting from w = 0, b = 16; l2: g_b = z − y, g_w = g_b·x.
    // stepDecay(every 1, factor 0.5), one batch per epoch: m = 1, 0.5, 0.25.
    //   t = 0, m = 1:    z = 16,    g = (8, 16):       w = 0 − 8 = −8,            b = 16 − 16 = 0
    //   t = 1, m = 0.5:  z = −4,    g = (−2, −4):      w = −8 + 1 = −7,           b = 0 + 2 = 2
    //   t = 2, m = 0.25: z = −1.5,  g = (−0.75, −1.5): w = −7 + 0.1875 = −6.8125, b = 2 + 0.375 = 2.375
    const n = Network.create({ input: 1, layers: [{ units: 1, activation: 'identity' }] });
    n.params.values.set([0, 16]);
    const seen: number[][] = [];
    n.fit([[0.5]], [[0]], {
      loss: 'l2', optimizer: sgd({ learningRate: 1 }), epochs: 3,
      schedule: schedules.stepDecay({ every: 1, factor: 0.5 }),
      onBatch: () => void seen.push(Array.from(n.params.values)),
    });
    expect(seen).toEqual([[-8, 0], [-7, 2], [-6.8125, 2.375]]);
  });
});

describe("a user's schedule function", () => {
  it('gets (batch, epoch), batch counting from 0 across epochs and epoch from 0; its multiplier is applied', () => {
    const args: Array<[number, number]> = [];
    const m = multipliers((t, e) => {
      args.push([t, e]);
      return 1 / 2 ** (t % 4); // 1, 0.5, 0.25, 0.125, 1, … (exact)
    }, 3);
    expect(args).toEqual([[0, 0], [1, 0], [2, 0], [3, 1], [4, 1], [5, 1], [6, 2], [7, 2], [8, 2]]);
    expect(m).toEqual([1, 0.5, 0.25, 0.125, 1, 0.5, 0.25, 0.125, 1]);
  });

  it('a multiplier of 0 is allowed (no step size, no decay)', () => {
    const n = net();
    const before = bits(n.params.values);
    n.fit(X, Y, { loss: 'l2', optimizer: sgd({ learningRate: 0.1, weightDecay: 0.1 }), schedule: () => 0, epochs: 2, batchSize: 2 });
    expect(bits(n.params.values)).toBe(before);
  });

  for (const [label, bad] of [['NaN', NaN], ['Infinity', Infinity], ['-Infinity', -Infinity], ['a negative number', -0.5], ['a string', '0.5'], ['undefined', undefined], ['null', null]] as const) {
    it(`returning ${label} at run time throws a TrainingError naming the batch, with the weights of before it`, () => {
      const n = net();
      const after: string[] = [];
      // batch t = 4 is epoch 2, batch 2 (3 batches per epoch)
      const schedule = ((t: number) => (t === 4 ? bad : 1)) as unknown as ScheduleFunction;
      let error: unknown;
      try {
        n.fit(X, Y, { loss: 'l2', optimizer: sgd({ learningRate: 0.1 }), schedule, batchSize: 2, epochs: 3, shuffle: false, onBatch: () => void after.push(bits(n.params.values)) });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(TrainingError);
      const te = error as TrainingError;
      expect(te.epoch).toBe(2);
      expect(te.batch).toBe(2);
      expect(te.message).toContain('schedule');
      expect(te.message).toContain('batch 4 (epoch 2, batch 2)');
      expect(after.length).toBe(4);
      expect(bits(n.params.values)).toBe(after[3]);
      // and the network is free again
      n.fit(X, Y, { loss: 'l2', epochs: 1 });
    });
  }

  it('a schedule that throws is named in the TrainingError', () => {
    const n = net();
    let error: unknown;
    try {
      n.fit(X, Y, { loss: 'l2', schedule: (t) => { if (t === 2) throw new Error('boom'); return 1; }, batchSize: 2, epochs: 1 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TrainingError);
    expect((error as Error).message).toContain('boom');
    expect((error as Error).message).not.toContain('the loss or an activation');
    expect((error as Error).message).toContain('schedule');
  });
  // A multiplier may grow past 1 (stepDecay accepts factor > 1), but α_t must stay finite and λ_t < 1.
  it('a multiplier that makes λ_t ≥ 1 or α_t infinite is reported as the schedule’s, not the loss’s', () => {
    const cases: Array<[number, number, ScheduleFunction | Schedule]> = [
      [0.01, 0.3, schedules.stepDecay({ every: 1, factor: 2 })], // epoch 3: m = 4, λ_t = 1.2
      [10, 0, () => 1e308], // α_t = Infinity
    ];
    for (const [learningRate, weightDecay, schedule] of cases) {
      let error: unknown;
      try {
        net().fit(X, Y, { loss: 'l2', optimizer: sgd({ learningRate, weightDecay }), schedule, batchSize: 6, epochs: 4 });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(TrainingError);
      expect((error as Error).message).toContain('schedule');
      expect((error as Error).message).not.toContain('the loss or an activation');
    }
  });
});

describe('bad schedule options', () => {
  it('stepDecay: every a positive integer, factor positive finite', () => {
    for (const bad of [0, -1, 1.5, NaN, '2', undefined]) {
      expectDeltapropError(() => schedules.stepDecay({ every: bad as number, factor: 0.5 }), 'schedules.stepDecay', '"options.every"');
    }
    for (const bad of [0, -0.5, NaN, Infinity, '0.5', undefined]) {
      expectDeltapropError(() => schedules.stepDecay({ every: 2, factor: bad as number }), 'schedules.stepDecay', '"options.factor"');
    }
    expectDeltapropError(() => schedules.stepDecay({ every: 2, factor: 0.5, gamma: 0.1 } as never), 'schedules.stepDecay', 'unknown option "gamma"');
    for (const bad of [null, 3, 'x', []]) expectDeltapropError(() => schedules.stepDecay(bad as never), 'schedules.stepDecay', '"options"');
  });

  it('exponentialDecay: factor positive finite', () => {
    for (const bad of [0, -0.9, NaN, Infinity, undefined]) {
      expectDeltapropError(() => schedules.exponentialDecay({ factor: bad as number }), 'schedules.exponentialDecay', '"options.factor"');
    }
    expectDeltapropError(() => schedules.exponentialDecay({ factor: 0.9, every: 1 } as never), 'schedules.exponentialDecay', 'unknown option "every"');
    expectDeltapropError(() => schedules.exponentialDecay(0.9 as never), 'schedules.exponentialDecay', '"options"');
  });

  it('cosineDecay: minFactor in [0, 1]', () => {
    for (const bad of [-0.1, 1.5, NaN, '0.1', null]) {
      expectDeltapropError(() => schedules.cosineDecay({ minFactor: bad as number }), 'schedules.cosineDecay', '"options.minFactor"', '[0, 1]');
    }
    expect(schedules.cosineDecay({ minFactor: 1 }).factor(5, 0, 10)).toBe(1);
    expectDeltapropError(() => schedules.cosineDecay({ min: 0.1 } as never), 'schedules.cosineDecay', 'unknown option "min"');
  });

  it('warmup: batches a positive integer, then a schedule', () => {
    for (const bad of [0, -2, 2.5, NaN, undefined]) {
      expectDeltapropError(() => schedules.warmup({ batches: bad as number }), 'schedules.warmup', '"options.batches"');
    }
    for (const bad of [5, 'cosine', {}, null]) {
      expectDeltapropError(() => schedules.warmup({ batches: 2, then: bad as never }), 'schedules.warmup', '"options.then"');
    }
    expectDeltapropError(() => schedules.warmup({ batches: 2, after: schedules.constant() } as never), 'schedules.warmup', 'unknown option "after"');
  });

  it('reduceOnPlateau: monitor, factor in (0, 1), patience a non-negative integer, minFactor in [0, 1], minDelta ≥ 0', () => {
    const where = 'schedules.reduceOnPlateau';
    expectDeltapropError(() => schedules.reduceOnPlateau({ monitor: 'val_loss' as never }), where, '"options.monitor"', "'validationLoss'");
    for (const bad of [0, 1, 1.5, -0.5, NaN]) expectDeltapropError(() => schedules.reduceOnPlateau({ factor: bad }), where, '"options.factor"');
    for (const bad of [-1, 1.5, NaN, '3']) expectDeltapropError(() => schedules.reduceOnPlateau({ patience: bad as number }), where, '"options.patience"', 'non-negative integer');
    for (const bad of [-0.1, 1.1]) expectDeltapropError(() => schedules.reduceOnPlateau({ minFactor: bad }), where, '"options.minFactor"', '[0, 1]');
    for (const bad of [-0.1, Infinity]) expectDeltapropError(() => schedules.reduceOnPlateau({ minDelta: bad }), where, '"options.minDelta"');
    expectDeltapropError(() => schedules.reduceOnPlateau({ cooldown: 2 } as never), where, 'unknown option "cooldown"');
  });

  it('fit: a schedule that is neither a schedule nor a function; a monitor without its data', () => {
    const n = net();
    const before = bits(n.params.values);
    for (const bad of [0.5, 'cosine', {}, null]) {
      expectDeltapropError(() => n.fit(X, Y, { schedule: bad as never }), 'Network.fit', '"options.schedule"');
    }
    // reduceOnPlateau watches validationLoss by default: without validation data fit says so
    expectDeltapropError(() => n.fit(X, Y, { schedule: schedules.reduceOnPlateau() }), 'Network.fit', 'options.schedule.monitor', 'no validation data');
    expectDeltapropError(() => n.fit(X, Y, { schedule: schedules.reduceOnPlateau({ monitor: 'accuracy' }) }), 'Network.fit', 'not a classifier');
    expect(bits(n.params.values)).toBe(before);
  });
});
