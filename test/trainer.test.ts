/**
 * The Trainer, the one training loop: sliced and unsliced runs give the same bits, fitAsync is fit,
 * checkpoints resume exactly through JSON text, early stopping leaves the best epoch's weights,
 * a diverging step rolls back weights and optimizer state, and the network is safe to use from
 * inside callbacks while nested training is refused.
 */
import { describe, expect, it } from 'vitest';
import {
  adam,
  adamw,
  Dense,
  earlyStopping,
  type FitOptions,
  type History,
  type Loss,
  Matrix,
  Network,
  oneHot,
  type Optimizer,
  rmsprop,
  schedules,
  sgd,
  Trainer,
  TrainingError,
  activations,
} from '../src/index.js';
import { spirals, uniformRows } from './helpers/data.js';
import { expectDeltapropError } from './helpers/numeric.js';
import { expectParameters, parameterBits, snapshot } from './helpers/weights.js';

const data = spirals(30, 3);
const x = data.x;
const y = data.y;

function make(seed = 4): Network {
  return Network.create({
    input: 2,
    layers: [
      { units: 8, activation: 'tanh' },
      { units: 2, activation: 'softmax' },
    ],
    seed,
  });
}

/** 60 samples in batches of 7: 8 full batches and a tail of 4 each epoch. */
const base = { batchSize: 7, epochs: 6, seed: 2 } as const;

function optimizers(): Array<[string, () => Optimizer]> {
  return [
    ['sgd', () => sgd({ learningRate: 0.2, weightDecay: 1e-3 })],
    ['sgd momentum', () => sgd({ learningRate: 0.05, momentum: 0.9, weightDecay: 1e-4 })],
    ['sgd nesterov', () => sgd({ learningRate: 0.05, momentum: 0.8, nesterov: true })],
    ['adam', () => adam({ learningRate: 0.01 })],
    ['adamw', () => adamw({ learningRate: 0.01, weightDecay: 1e-4 })],
    ['rmsprop', () => rmsprop({ learningRate: 0.005, momentum: 0.5 })],
  ];
}

function historyBits(h: History): string {
  return JSON.stringify(h.epochs.map((e) => Object.entries(e).map(([k, v]) => `${k}:${Object.is(v, -0) ? '-0' : String(v)}`)));
}

describe('one loop, however it is driven', () => {
  it('step() one batch at a time, runFor(0) slices and run() give fit’s bits, for every optimizer', () => {
    for (const [name, opt] of optimizers()) {
      const straight = make();
      const h = straight.fit(x, y, { ...base, optimizer: opt() });

      const stepped = make();
      const t = stepped.trainer(x, y, { ...base, optimizer: opt() });
      let steps = 0;
      while (t.step()) steps++;
      expect(steps + 1, name).toBe(6 * 9);
      expect(parameterBits(stepped), name).toBe(parameterBits(straight));
      expect(historyBits(t.result), name).toBe(historyBits(h));

      const sliced = make();
      const s = sliced.trainer(x, y, { ...base, optimizer: opt() });
      while (s.runFor(0)); // runFor(0) runs exactly one batch
      expect(parameterBits(sliced), name).toBe(parameterBits(straight));
    }
  });

  it('exposes where it is: epoch, batch, done; step after the end is an error', () => {
    const net = make();
    const t = net.trainer(x, y, { ...base, epochs: 2 });
    expect([t.epoch, t.batch, t.done]).toEqual([0, 0, false]);
    for (let i = 0; i < 3; i++) t.step();
    expect([t.epoch, t.batch]).toEqual([0, 3]);
    for (let i = 0; i < 6; i++) t.step();
    expect([t.epoch, t.batch, t.result.epochs.length]).toEqual([1, 0, 1]);
    expect(t.run().epochs).toHaveLength(2);
    expect(t.done).toBe(true);
    expectDeltapropError(() => t.step(), 'Trainer.step', 'training is over', '2 of 2 epochs');
    expect(t.run().epochs).toHaveLength(2);
  });
});

describe('fitAsync', () => {
  it('gives the same bits and history as fit', async () => {
    const a = make(), b = make();
    const options: FitOptions = { ...base, optimizer: 'adam', learningRate: 0.02, validationSplit: 0.25 };
    const h1 = a.fit(x, y, options);
    const h2 = await b.fitAsync(x, y, { ...options, yieldEveryMs: 1 });
    expect(parameterBits(b)).toBe(parameterBits(a));
    expect(historyBits(h2)).toBe(historyBits(h1));
    expect(h2.aborted).toBe(false);
  });

  // A timing measurement on a shared machine: another process can take the CPU for 100 ms, so it gets two more tries.
  it('keeps the event loop turning: the longest gap between timer ticks stays under 100 ms on a 2 s workload', { retry: 2 }, async () => {
    const big = uniformRows(2000, 32, 9);
    const labels = oneHot(big.map((r) => (r[0]! > 0 ? 1 : 0)), 2);
    const net = Network.create({ input: 32, layers: [{ units: 128, activation: 'relu' }, { units: 128, activation: 'relu' }, { units: 2, activation: 'softmax' }], seed: 1 });
    // Calibrate the number of epochs to about 2 s of training on this machine.
    const t0 = Date.now();
    net.clone().fit(big, labels, { epochs: 1, batchSize: 32, seed: 1 });
    const epochs = Math.max(2, Math.min(200, Math.round(2000 / Math.max(1, Date.now() - t0))));
    let last = Date.now(), longest = 0, ticks = 0;
    const timer = setInterval(() => {
      const now = Date.now();
      longest = Math.max(longest, now - last);
      last = now;
      ticks++;
    }, 1);
    const start = Date.now();
    await net.fitAsync(big, labels, { epochs, batchSize: 32, seed: 1 });
    clearInterval(timer);
    const elapsed = Date.now() - start;
    longest = Math.max(longest, Date.now() - last);
    console.log(`fitAsync: ${epochs} epochs in ${elapsed} ms, ${ticks} timer ticks, longest gap ${longest} ms`);
    expect(ticks).toBeGreaterThan(10);
    expect(longest).toBeLessThan(100);
  });

  it('an abort settles within one batch: it resolves with aborted, and the weights are those after the last batch', async () => {
    const controller = new AbortController();
    const net = make();
    let batches = 0;
    const history = await net.fitAsync(x, y, {
      ...base,
      signal: controller.signal,
      onBatch: () => {
        batches++;
        if (batches === 11) controller.abort();
      },
    });
    expect(history.aborted).toBe(true);
    expect(batches).toBe(11);
    expect(history.epochs).toHaveLength(1);
    const replay = make();
    const t = replay.trainer(x, y, base);
    for (let i = 0; i < 11; i++) t.step();
    expectParameters(net, snapshot(replay));
    // An already aborted signal trains nothing.
    const untouched = make();
    const h = untouched.fit(x, y, { ...base, signal: AbortSignal.abort() });
    expect([h.aborted, h.epochs.length]).toEqual([true, 0]);
    expectParameters(untouched, snapshot(make()));
  });

  it('rejects bad arguments by rejecting its promise, changing nothing', async () => {
    const net = make();
    await expect(net.fitAsync(x, y, { yieldEveryMs: -1 })).rejects.toThrow(/Network\.fitAsync: argument "options\.yieldEveryMs"/);
    await expect(net.fitAsync(x, y, { signal: {} as never })).rejects.toThrow(/argument "options\.signal"/);
    expectParameters(net, snapshot(make()));
    expectDeltapropError(() => net.fit(x, y, { yieldEveryMs: 5 }), 'Network.fit', 'unknown option "yieldEveryMs"');
  });
});

describe('checkpoint and resume', () => {
  const withSchedule: FitOptions = { ...base, schedule: schedules.cosineDecay({ minFactor: 0.1 }) };

  it('3 epochs, checkpoint, JSON text, resume, 3 epochs = 6 epochs straight, for every optimizer with a schedule', () => {
    for (const [name, opt] of optimizers()) {
      const straight = make();
      const h = straight.fit(x, y, { ...withSchedule, optimizer: opt() });

      const first = make();
      const t = first.trainer(x, y, { ...withSchedule, optimizer: opt() });
      while (t.epoch < 3) t.step();
      const text = JSON.stringify(t.checkpoint());
      t.stop();
      const resumed = Trainer.resume(text, x, y);
      const h2 = resumed.run();
      expect(parameterBits(resumed.network as Network), name).toBe(parameterBits(straight));
      expect(historyBits(h2), name).toBe(historyBits(h));
    }
  });

  it('in the middle of an epoch, with validationSplit, early stopping and reduceOnPlateau', () => {
    const options: FitOptions = {
      ...base,
      epochs: 12,
      optimizer: adam({ learningRate: 0.05 }),
      validationSplit: 0.2,
      schedule: schedules.warmup({ batches: 5, then: schedules.reduceOnPlateau({ patience: 1, factor: 0.5 }) }),
      callbacks: [earlyStopping({ patience: 3 })],
    };
    const straight = make();
    const h = straight.fit(x, y, options);
    const first = make();
    const t = first.trainer(x, y, { ...options, optimizer: adam({ learningRate: 0.05 }), schedule: schedules.warmup({ batches: 5, then: schedules.reduceOnPlateau({ patience: 1, factor: 0.5 }) }), callbacks: [earlyStopping({ patience: 3 })] });
    for (let i = 0; i < 23; i++) t.step();
    const c = JSON.parse(JSON.stringify(t.checkpoint())) as Parameters<typeof Trainer.resume>[0];
    t.stop();
    const resumed = Trainer.resume(c, x, y);
    const h2 = resumed.run();
    expect(parameterBits(resumed.network as Network)).toBe(parameterBits(straight));
    expect(historyBits(h2)).toBe(historyBits(h));
    expect(h2.stoppedEarly).toBe(h.stoppedEarly);
    expect(h2.restoredEpoch).toBe(h.restoredEpoch);
  });

  it('explicit validation data must be given again; the data must have as many samples; a finished run cannot resume', () => {
    const xv = x.slice(0, 10), yv = y.slice(0, 10);
    const t = make().trainer(x, y, { ...base, validation: { x: xv, y: yv } });
    t.step();
    const c = t.checkpoint();
    t.stop();
    expectDeltapropError(() => Trainer.resume(c, x, y), 'Trainer.resume', 'validation data', 'options.validation');
    expectDeltapropError(() => Trainer.resume(c, x.slice(1), y.slice(1), { validation: { x: xv, y: yv } }), 'Trainer.resume', '"x"', '60 samples');
    const resumed = Trainer.resume(c, x, y, { validation: { x: xv, y: yv } });
    const done = resumed.run();
    expect(done.epochs).toHaveLength(6);
    expect(() => resumed.checkpoint()).not.toThrow();
    expectDeltapropError(() => Trainer.resume(resumed.checkpoint(), x, y, { validation: { x: xv, y: yv } }), 'Trainer.resume', 'checkpoint.position.epoch', 'finished run');
    expectDeltapropError(() => Trainer.resume({ format: 'other', version: 1 } as never, x, y), 'Trainer.resume', 'checkpoint.format');
    expectDeltapropError(() => Trainer.resume('{', x, y), 'Trainer.resume', '"checkpoint"');
    expectDeltapropError(() => Trainer.resume({ ...c, version: 2 } as never, x, y), 'Trainer.resume', 'checkpoint.version');
    expectDeltapropError(() => Trainer.resume({ ...c, parameters: 'AAAA' }, x, y, { validation: { x: xv, y: yv } }), 'Trainer.resume', 'checkpoint.parameters');
  });
});

describe('early stopping', () => {
  it('stops after patience epochs without improvement and leaves exactly the best epoch’s weights (checked against a replay)', () => {
    const xv = uniformRows(20, 2, 77);
    const yv = oneHot(xv.map((r) => (r[0]! * r[1]! > 0 ? 1 : 0)), 2);
    const options: FitOptions = { ...base, epochs: 60, optimizer: adam({ learningRate: 0.1 }), validation: { x: xv, y: yv } };
    const net = make();
    const h = net.fit(x, y, { ...options, optimizer: adam({ learningRate: 0.1 }), callbacks: [earlyStopping({ patience: 2 })] });
    const losses = h.epochs.map((e) => e.validationLoss!);
    const best = losses.indexOf(Math.min(...losses)) + 1;
    expect(h.stoppedEarly).toBe(true);
    expect(h.epochs.length).toBe(best + 3); // patience 2: two epochs without improvement are tolerated, the third stops
    expect(h.restoredEpoch).toBe(best);
    // The replay: the same run without early stopping, its weights recorded after every epoch.
    const replay = make();
    const after: Float64Array[][] = [];
    replay.fit(x, y, { ...options, optimizer: adam({ learningRate: 0.1 }), epochs: h.epochs.length, onEpoch: () => void after.push(snapshot(replay)) });
    expectParameters(net, after[best - 1]!);
    // restoreBest: false keeps the last epoch's weights.
    const kept = make();
    kept.fit(x, y, { ...options, optimizer: adam({ learningRate: 0.1 }), callbacks: [earlyStopping({ patience: 2, restoreBest: false })] });
    expectParameters(kept, after[h.epochs.length - 1]!);
  });

  it('watches accuracy upwards and minDelta; rejects what it cannot watch', () => {
    const net = make();
    const h = net.fit(x, y, { ...base, epochs: 40, learningRate: 0.3, callbacks: [earlyStopping({ monitor: 'accuracy', patience: 0, minDelta: 0.5 })] });
    // No epoch can improve accuracy by more than 0.5 after the first: it stops at epoch 2.
    expect(h.epochs).toHaveLength(2);
    expect(h.restoredEpoch).toBe(1);
    expectDeltapropError(() => make().fit(x, y, { callbacks: [earlyStopping({ patience: 1 })] }), 'Network.fit', 'options.callbacks[0].monitor', 'no validation data');
    const regression = Network.create({ input: 2, layers: [{ units: 1 }] });
    expectDeltapropError(() => regression.fit(x, y.map((r) => [r[0]!]), { callbacks: [earlyStopping({ patience: 1, monitor: 'accuracy' })] }), 'Network.fit', 'not a classifier');
    expectDeltapropError(() => earlyStopping({} as never), 'earlyStopping', '"options.patience"', 'non-negative integer');
    expectDeltapropError(() => earlyStopping({ patience: -1 }), 'earlyStopping', '"options.patience"');
    expectDeltapropError(() => earlyStopping({ patience: 1.5 }), 'earlyStopping', '"options.patience"');
    expectDeltapropError(() => earlyStopping({ patience: 1, monitor: 'val_loss' as never }), 'earlyStopping', '"options.monitor"', "'validationLoss'");
    expectDeltapropError(() => earlyStopping({ patience: 1, minDelta: -1 }), 'earlyStopping', '"options.minDelta"');
    expectDeltapropError(() => earlyStopping({ patience: 1, restore: true } as never), 'earlyStopping', 'unknown option "restore"');
    expectDeltapropError(() => earlyStopping(undefined as never), 'earlyStopping', '"options"');
  });
});

describe('validationSplit', () => {
  it('holds out the last part of one seeded permutation, per class, and never trains on it', () => {
    const net = make();
    const seen: number[] = [];
    const h = net.fit(x, y, { ...base, epochs: 2, validationSplit: 0.2, onBatch: (b) => void seen.push(b.batch) });
    // 30 + 30 samples, 20% of each class held out: 48 training samples in batches of 7 → 7 batches.
    expect(Math.max(...seen)).toBe(7);
    expect(h.epochs[0]!.validationLoss).toBeGreaterThan(0);
    // The same as giving those 12 samples as validation and the other 48 as training data.
    const again = make();
    const h2 = again.fit(x, y, { ...base, epochs: 2, validationSplit: 0.2 });
    expect(historyBits(h2)).toBe(historyBits(h));
    expectDeltapropError(() => make().fit(x, y, { validationSplit: 1 }), 'Network.fit', '"options.validationSplit"', '(0, 1)');
    expectDeltapropError(() => make().fit(x, y, { validationSplit: 0.2, validation: { x, y } }), 'Network.fit', 'not both');
    expectDeltapropError(() => make().fit(x.slice(0, 2), y.slice(0, 2), { validationSplit: 0.1 }), 'Network.fit', '"options.validationSplit"', 'at least one sample on each side');
  });
});

describe('divergence rolls back weights and optimizer state, through one path', () => {
  it('a validation loss that overflows after a step: the weights and Adam’s moments are those of before that step', () => {
    // Adam moves w by about α = 1 per step towards the target 1e6; the validation loss ½(w·1e153)²
    // overflows once |w| passes about 13.
    const net = Network.create({ input: 1, layers: [{ units: 1 }], seed: 1 });
    const opt = adam({ learningRate: 1 });
    const states: string[] = [];
    const weights: string[] = [];
    let err: unknown;
    try {
      net.fit([[1]], [[1e6]], {
        loss: 'l2',
        optimizer: opt,
        epochs: 100,
        validation: { x: [[1e153]], y: [[0]] },
        onBatch: () => {
          states.push(JSON.stringify(opt.state()));
          weights.push(parameterBits(net));
        },
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TrainingError);
    expect((err as TrainingError).message).toMatch(/diverged at epoch \d+, batch 1: the validation loss/);
    expect(states.length).toBeGreaterThan(5);
    // onBatch saw the state after the failing step too; the rollback goes back one step further.
    expect(JSON.stringify(opt.state())).toBe(states.at(-2));
    expect(parameterBits(net)).toBe(weights.at(-2));
    expect(net.state.trainer).toBeUndefined();
  });
});

describe('re-entrancy', () => {
  it('predict and forward from inside onBatch, onEpoch and a user loss are correct and change nothing', () => {
    const probe = [[0.3, -0.2], [0.1, 0.9]];
    const squared = (onValue: () => void): Loss => ({
      name: 'mySquared',
      value: (z, t) => {
        onValue();
        let s = 0;
        for (let i = 0; i < z.data.length; i++) s += (z.data[i]! - t.data[i]!) ** 2;
        return s / (2 * z.rows);
      },
      gradient: (out, z, t) => {
        for (let i = 0; i < out.data.length; i++) out.data[i] = z.data[i]! - t.data[i]!;
      },
    });
    const plain = make();
    plain.fit(x, y, { ...base, validationSplit: 0.2, loss: squared(() => undefined) });
    const net = make();
    let checks = 0;
    const check = (): void => {
      const copy = net.clone();
      expect(net.predict(probe).data).toEqual(copy.predict(probe).data);
      expect(net.forward(probe).activations[2]!.data).toEqual(copy.predict(probe).data);
      checks++;
    };
    net.fit(x, y, { ...base, validationSplit: 0.2, loss: squared(check), onBatch: check, onEpoch: check });
    expect(checks).toBe(6 * 7 * 2 + 6 * 2); // loss + onBatch per batch (48 samples, 7 batches), validation loss and onEpoch per epoch
    expect(parameterBits(net)).toBe(parameterBits(plain));
  });

  it('nested fit, fit during fitAsync and a second Trainer are refused while the first trains; stop() frees the network', async () => {
    const net = make();
    const err = (() => {
      try {
        net.fit(x, y, { ...base, onEpoch: () => void net.fit(x, y, base) });
      } catch (e) {
        return e as TrainingError;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(TrainingError);
    expect((err!.cause as Error).message).toMatch(/Network\.fit: this network is being trained by another Trainer/);
    const busy = make();
    const pending = busy.fitAsync(x, y, { ...base, epochs: 400, yieldEveryMs: 1 });
    expectDeltapropError(() => busy.fit(x, y, base), 'Network.fit', 'being trained');
    expectDeltapropError(() => busy.trainer(x, y, base), 'Network.trainer', 'being trained');
    await pending;
    expect(() => busy.fit(x, y, { ...base, epochs: 1 })).not.toThrow();
    const t = busy.trainer(x, y, base);
    t.step();
    expectDeltapropError(() => busy.fit(x, y, base), 'Network.fit', 'call its stop()');
    t.stop();
    expect(() => busy.fit(x, y, { ...base, epochs: 1 })).not.toThrow();
    // A clone trains in parallel freely.
    const u = busy.trainer(x, y, base);
    expect(() => busy.clone().fit(x, y, { ...base, epochs: 1 })).not.toThrow();
    u.stop();
    // A callback cannot drive its own trainer.
    const self = make();
    const ts: Trainer = self.trainer(x, y, { ...base, onBatch: () => void ts.step() });
    expect(() => ts.step()).toThrow(TrainingError);
  });

  it('a Dense used twice in one layer list gives two independent layers', () => {
    const d = new Dense(2, 2, activations.tanh, Matrix.from([[1, 2], [3, 4]]), Float64Array.of(0.5, -0.5));
    const net = new Network(2, [d, d]);
    expect(net.layers[0]).not.toBe(net.layers[1]);
    net.fit([[1, 0]], [[0, 1]], { loss: 'l2', learningRate: 0.1, epochs: 1 });
    expect(parameterBits([net.layers[0]!.weights.data])).not.toBe(parameterBits([net.layers[1]!.weights.data]));
    expect(Array.from(d.weights.data)).toEqual([1, 2, 3, 4]);
    expectDeltapropError(() => new Network(3, [d]), 'new Network', '"layers[0].inputs"');
  });
});

describe('bad training options change nothing', () => {
  it('each is a DeltapropError naming Network.fit and the option', () => {
    const net = make();
    const before = snapshot(net);
    const cases: Array<[FitOptions, string, ...string[]]> = [
      [{ optimizer: 'adagrad' as never }, '"options.optimizer"', "'adam'"],
      [{ optimizer: 'adam', weightDecay: 0.1 }, '"options.weightDecay"', "'adamw'"],
      [{ optimizer: { name: 'mine', learningRate: 0.1, weightDecay: 0, step: () => true } as never }, '"options.optimizer"', 'without init()'],
      [{ schedule: 5 as never }, '"options.schedule"'],
      [{ callbacks: earlyStopping({ patience: 1 }) as never }, '"options.callbacks"', 'an array'],
      [{ callbacks: [{}] as never }, '"options.callbacks[0]"'],
      [{ onBatch: 'log' as never }, '"options.onBatch"', 'a function'],
      [{ signal: { aborted: 'no' } as never }, '"options.signal"'],
      [{ validationSplit: 0 }, '"options.validationSplit"'],
      [{ validationSplit: NaN }, '"options.validationSplit"'],
    ];
    for (const [options, ...fragments] of cases) expectDeltapropError(() => net.fit(x, y, options), 'Network.fit', ...fragments);
    expectParameters(net, before);
    expect(net.state.trainer).toBeUndefined();
  });

  it('Trainer methods check their arguments', () => {
    const t = make().trainer(x, y, base);
    expectDeltapropError(() => t.runFor(NaN), 'Trainer.runFor', '"ms"');
    expectDeltapropError(() => t.runFor(-1), 'Trainer.runFor', '"ms"');
    const inside = make();
    const ti: Trainer = inside.trainer(x, y, { ...base, onBatch: () => void ti.checkpoint() });
    expect(() => ti.step()).toThrow(/Trainer\.checkpoint: cannot be called from inside/);
    t.stop();
  });
});
