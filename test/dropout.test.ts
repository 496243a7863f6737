/**
 * Inverted dropout: Z̃_n = Z_n ⊙ m / (1 − p) in training only, masks from the Trainer's own seeded
 * stream; backward through the same mask with f' of the unmasked Z_n.
 */
import { describe, expect, it } from 'vitest';
import { checkGradients, Network, Trainer } from '../src/index.js';
import { expectDeltapropError, relativeError } from './helpers/numeric.js';
import { parameterBits } from './helpers/weights.js';
import { uniformRows } from './helpers/data.js';

function net(p: number, seed = 1): Network {
  return Network.create({
    input: 3,
    layers: [{ units: 6, activation: 'tanh', dropout: p }, { units: 5, activation: 'sigmoid', dropout: p }, { units: 2, activation: 'softmax' }],
    seed,
  });
}
const x = uniformRows(24, 3, 7);
const y = x.map((r) => (r[0]! + r[1]! > 0 ? [1, 0] : [0, 1]));

describe('dropout', () => {
  it('keeps each unit with probability 1 − p (within 5 binomial standard deviations over 120 000 draws) and scales kept values by 1/(1 − p)', () => {
    const p = 0.3;
    const wide = Network.create({ input: 2, layers: [{ units: 120, activation: 'sigmoid', dropout: p }, { units: 1 }], seed: 4 });
    const batch = uniformRows(1000, 2, 3);
    const plain = wide.forward(batch).activations[1]!.data;
    const trained = wide.forward(batch, { training: true, seed: 11 }).activations[1]!.data;
    let kept = 0;
    for (let i = 0; i < plain.length; i++) {
      if (trained[i] === 0) continue;
      kept++;
      expect(trained[i]).toBe(plain[i]! / (1 - p));
    }
    const n = plain.length, rate = kept / n;
    expect(Math.abs(rate - (1 - p))).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n));
  });

  it('checkGradients through one fixed mask (tanh and sigmoid layers: f′ must see the unmasked Z)', () => {
    const a = net(0.4);
    const r = checkGradients(a, x, y, 'categoricalCrossEntropy', { training: true, seed: 5 });
    expect(r.maxRelativeError).toBeLessThan(1e-6);
    // The masks are real: the training-mode pass drops units.
    const masked = a.forward(x, { training: true, seed: 5 }).activations[1]!.data;
    expect(masked.some((v) => v === 0)).toBe(true);
  });

  it('predict, forward (by default) and evaluate never drop: they equal the same weights without dropout', () => {
    const a = net(0.5), b = net(0);
    a.fit(x, y, { epochs: 3, batchSize: 8, seed: 2 });
    b.params.values.set(a.params.values);
    expect(a.predict(x).data).toEqual(b.predict(x).data);
    expect(a.forward(x).activations[3]!.data).toEqual(b.forward(x).activations[3]!.data);
    expect(a.evaluate(x, y)).toEqual(b.evaluate(x, y));
  });

  it('same seed, same bits; another fit seed draws other masks', () => {
    const a = net(0.2), b = net(0.2), c = net(0.2);
    a.fit(x, y, { epochs: 4, batchSize: 5, seed: 3 });
    b.fit(x, y, { epochs: 4, batchSize: 5, seed: 3 });
    c.fit(x, y, { epochs: 4, batchSize: 5, seed: 4 });
    expect(parameterBits(a)).toBe(parameterBits(b));
    expect(parameterBits(a)).not.toBe(parameterBits(c));
    // And it changes training: p = 0 gives other bits.
    const d = net(0);
    d.fit(x, y, { epochs: 4, batchSize: 5, seed: 3 });
    expect(parameterBits(a)).not.toBe(parameterBits(d));
  });

  it('resumes exactly through a JSON checkpoint taken mid-epoch (the mask stream is in it)', () => {
    const whole = net(0.3);
    whole.fit(x, y, { epochs: 3, batchSize: 5, seed: 6 });
    const part = net(0.3);
    const t = part.trainer(x, y, { epochs: 3, batchSize: 5, seed: 6 });
    for (let i = 0; i < 7; i++) t.step();
    const text = JSON.stringify(t.checkpoint());
    t.stop();
    const resumed = Trainer.resume(text, x, y);
    resumed.run();
    expect(parameterBits(resumed.network as Network)).toBe(parameterBits(whole));
  });

  it('is stored in the model file', () => {
    const a = net(0.25);
    const json = a.toJSON();
    expect(json.layers.map((l) => l.dropout)).toEqual([0.25, 0.25, undefined]);
    const b = Network.fromJSON(JSON.stringify(json));
    expect(b.toJSON()).toEqual(json);
    expect(b.forward(x, { training: true, seed: 1 }).activations[1]!.data).toEqual(a.forward(x, { training: true, seed: 1 }).activations[1]!.data);
  });

  it('dropout ∉ [0, 1), on the output layer, or a bad forward option: DeltapropErrors', () => {
    for (const p of [-0.1, 1, 1.5, NaN, '0.2']) {
      expectDeltapropError(() => Network.create({ input: 2, layers: [{ units: 2, dropout: p as number }, { units: 1 }] }), 'Network.create', '"spec.layers[0].dropout"', '[0, 1)');
    }
    expectDeltapropError(() => Network.create({ input: 2, layers: [{ units: 2 }, { units: 1, dropout: 0.5 }] }), 'Network.create', '"spec.layers[1].dropout"', 'output layer');
    expectDeltapropError(() => net(0.2).forward(x, { training: 'yes' as never }), 'Network.forward', '"options.training"');
    expectDeltapropError(() => net(0.2).forward(x, { training: true, seed: 0.5 }), 'Network.forward', '"options.seed"');
  });
});

describe('forward({ training: true }) with backward', () => {
  it('backward of a training-mode trace goes through its masks: its gradients match finite differences of the masked loss', () => {
    const a = net(0.4);
    const g = a.backward(a.forward(x, { training: true, seed: 5 }), y, 'categoricalCrossEntropy');
    const plain = a.backward(a.forward(x), y, 'categoricalCrossEntropy');
    expect(g.weightGradients[0]!.data).not.toEqual(plain.weightGradients[0]!.data);
    const loss = (): number => {
      const z = a.forward(x, { training: true, seed: 5 }).activations[3]!.toArray();
      return -z.reduce((s, row, i) => s + Math.log(row[y[i]![0] === 1 ? 0 : 1]!), 0) / z.length;
    };
    for (const [n, i] of [[0, 0], [0, 7], [1, 3], [2, 4]] as const) {
      const W = a.layers[n]!.weights.data, original = W[i]!, eps = 1e-6;
      W[i] = original + eps;
      const plus = loss();
      W[i] = original - eps;
      const minus = loss();
      W[i] = original;
      expect(relativeError(g.weightGradients[n]!.data[i]!, (plus - minus) / (2 * eps), 1e-6)).toBeLessThan(1e-5);
    }
  });
});
