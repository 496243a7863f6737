/**
 * Training end to end: XOR and two spirals learn with fixed seeds, runs are bit-for-bit
 * reproducible, the history reports what the options promise, and the loop reuses its buffers.
 */
import { describe, expect, it } from 'vitest';
import { type EpochStats, losses, Matrix, Network, sgd } from '../src/index.js';
import { getBackend } from '../src/kernels/index.js';
import { trainerInternals } from './helpers/trainer.js';
import { argmaxAccuracy, spirals, uniformRows, xorX, xorY } from './helpers/data.js';
import { expectClose, expectNear } from './helpers/numeric.js';
import { expectParameters, parameterBits, snapshot } from './helpers/weights.js';

describe('learning', () => {
  it('learns XOR to 100% (2-4-1, tanh then sigmoid, binary cross-entropy)', () => {
    const net = Network.create({
      input: 2,
      layers: [
        { units: 4, activation: 'tanh' },
        { units: 1, activation: 'sigmoid' },
      ],
      seed: 1,
    });
    const history = net.fit(xorX, xorY, { learningRate: 0.5, batchSize: 4, epochs: 1000, seed: 1 });
    const last = history.epochs[history.epochs.length - 1]!;
    expect(last.accuracy).toBeGreaterThanOrEqual(0.99);
    expect(last.loss).toBeLessThan(0.02);
    expect(last.loss).toBeLessThan(history.epochs[0]!.loss / 10);
    // Independently of the reported accuracy: threshold the predictions at 0.5.
    const z = net.predict(xorX);
    const hits = xorY.filter((t, i) => (z.get(i, 0) >= 0.5 ? 1 : 0) === t[0]).length;
    expect(hits / 4).toBeGreaterThanOrEqual(0.99);
  });

  it('learns two interleaved spirals to ≥ 95% (2-16-16-2, tanh, softmax)', () => {
    const data = spirals(100, 1);
    const x = data.x.map((row) => row.map((v) => 3 * v));
    const net = Network.create({
      input: 2,
      layers: [
        { units: 16, activation: 'tanh' },
        { units: 16, activation: 'tanh' },
        { units: 2, activation: 'softmax' },
      ],
      seed: 1,
    });
    const history = net.fit(x, data.y, { learningRate: 0.3, batchSize: 10, epochs: 400, seed: 1 });
    const accuracy = argmaxAccuracy(net.predict(x).toArray(), data.labels);
    expect(accuracy).toBeGreaterThanOrEqual(0.95);
    // A linear boundary gets about half of the spirals right: the network learned something curved.
    expect(history.epochs[0]!.accuracy).toBeLessThan(0.75);
    expect(history.epochs[history.epochs.length - 1]!.accuracy).toBeGreaterThanOrEqual(0.95);
  });
});

describe('determinism', () => {
  const x = uniformRows(40, 3, 21);
  const y = x.map((r) => [Math.sin(r[0]!) * r[1]! > 0 ? 1 : 0, r[2]! > 0 ? 1 : 0]);
  const train = (createSeed: number, fitSeed: number): Network => {
    const net = Network.create({
      input: 3,
      layers: [
        { units: 6, activation: 'softplus' },
        { units: 2, activation: 'sigmoid' },
      ],
      seed: createSeed,
    });
    net.fit(x, y, { learningRate: 0.4, weightDecay: 1e-3, batchSize: 7, epochs: 15, seed: fitSeed });
    return net;
  };

  it('the same seeds give bit-identical weights', () => {
    expect(parameterBits(train(3, 4))).toBe(parameterBits(train(3, 4)));
  });

  it('another network seed or another fit seed gives other weights', () => {
    const reference = parameterBits(train(3, 4));
    expect(parameterBits(train(5, 4))).not.toBe(reference);
    expect(parameterBits(train(3, 6))).not.toBe(reference);
  });

  it('Network.create draws the same initial weights for the same seed, others for another', () => {
    const spec = { input: 4, layers: [{ units: 5, activation: 'relu' as const }, { units: 2 }] };
    const a = Network.create({ ...spec, seed: 10 }), b = Network.create({ ...spec, seed: 10 }), c = Network.create({ ...spec, seed: 11 });
    expect(parameterBits(a)).toBe(parameterBits(b));
    expect(parameterBits(a)).not.toBe(parameterBits(c));
    // Biases start at zero; weights are within the documented limits (He for relu: √(6/in)).
    expect(Array.from(a.layers[0]!.biases)).toEqual([0, 0, 0, 0, 0]);
    expect(Math.max(...a.layers[0]!.weights.data.map(Math.abs))).toBeLessThanOrEqual(Math.sqrt(6 / 4));
    expect(Math.max(...a.layers[1]!.weights.data.map(Math.abs))).toBeLessThanOrEqual(Math.sqrt(6 / 7)); // Glorot
    expect(Math.max(...a.layers[0]!.weights.data.map(Math.abs))).toBeGreaterThan(Math.sqrt(6 / 9)); // not Glorot
  });

  it('accepts number[][], Float64Array[] and Matrix inputs with identical results, never writing to them', () => {
    const xm = Matrix.from(x), ym = Matrix.from(y);
    const xBefore = xm.data.slice(), yBefore = ym.data.slice();
    const run = (xs: Parameters<Network['fit']>[0], ys: Parameters<Network['fit']>[1]): string => {
      const net = Network.create({ input: 3, layers: [{ units: 2, activation: 'sigmoid' }], seed: 2 });
      net.fit(xs, ys, { learningRate: 0.2, batchSize: 8, epochs: 3, seed: 1 });
      return parameterBits(net);
    };
    const reference = run(x, y);
    expect(run(x.map((r) => Float64Array.from(r)), y.map((r) => Float64Array.from(r)))).toBe(reference);
    expect(run(xm, ym)).toBe(reference);
    expect(xm.data).toEqual(xBefore);
    expect(ym.data).toEqual(yBefore);
  });
});

describe('history', () => {
  const x = uniformRows(12, 2, 31);
  const labels = x.map((r) => (r[0]! + r[1]! > 0 ? 1 : 0));
  const y1 = labels.map((c) => [c]);
  const y2 = labels.map((c) => (c === 1 ? [0, 1] : [1, 0]));
  const xv = uniformRows(5, 2, 32);
  const yv = xv.map((r) => [r[0]! + r[1]! > 0 ? 1 : 0]);

  it('reports the mean loss and accuracy of each epoch, measured before each update', () => {
    const net = Network.create({ input: 2, layers: [{ units: 1, activation: 'sigmoid' }], seed: 3 });
    const z0 = net.predict(x);
    // By hand: binary cross-entropy of the initial predictions, and the thresholded accuracy.
    let loss0 = 0, hits0 = 0;
    labels.forEach((t, i) => {
      const p = z0.get(i, 0);
      loss0 -= t * Math.log(p) + (1 - t) * Math.log(1 - p);
      if ((p >= 0.5 ? 1 : 0) === t) hits0++;
    });
    const history = net.fit(x, y1, { learningRate: 0.5, batchSize: 12, epochs: 3 });
    expect(history.epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    expect(history.stoppedEarly).toBe(false);
    expectNear(history.epochs[0]!.loss, loss0 / 12, 1e-12);
    expect(history.epochs[0]!.accuracy).toBe(hits0 / 12);
    expect(history.epochs[0]!.validationLoss).toBeUndefined();
  });

  it('measures validation data after each epoch, without training on it', () => {
    const net = Network.create({ input: 2, layers: [{ units: 3, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], seed: 4 });
    const seen: EpochStats[] = [];
    const history = net.fit(x, y1, { learningRate: 0.5, batchSize: 5, epochs: 4, validation: { x: xv, y: yv }, onEpoch: (s) => void seen.push(s) });
    expect(seen).toEqual(history.epochs);
    const last = history.epochs[3]!;
    const z = net.predict(xv);
    expectNear(last.validationLoss!, losses.binaryCrossEntropy.value(z, Matrix.from(yv)), 1e-14);
    const hits = yv.filter((t, i) => (z.get(i, 0) >= 0.5 ? 1 : 0) === t[0]).length;
    expect(last.validationAccuracy).toBe(hits / 5);
    // Training with and without validation data gives the same weights.
    const plain = Network.create({ input: 2, layers: [{ units: 3, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], seed: 4 });
    plain.fit(x, y1, { learningRate: 0.5, batchSize: 5, epochs: 4 });
    expectParameters(net, snapshot(plain));
  });

  it('reports accuracy only for classification outputs', () => {
    const make = (units: number, activation: 'softmax' | 'sigmoid' | 'identity' | 'tanh'): Network =>
      Network.create({ input: 2, layers: [{ units, activation }], seed: 1 });
    const softmax = make(2, 'softmax').fit(x, y2, { epochs: 1 }).epochs[0]!;
    expect(softmax.accuracy).toBeTypeOf('number');
    const two = make(2, 'sigmoid').fit(x, y2, { epochs: 1 }).epochs[0]!;
    expect(two.accuracy).toBeUndefined();
    expect(make(1, 'identity').fit(x, y1, { epochs: 1 }).epochs[0]!.accuracy).toBeUndefined();
    expect(make(1, 'tanh').fit(x, y1, { epochs: 1 }).epochs[0]!.accuracy).toBeUndefined();
  });

  it('chooses the loss from the output activation when none is given', () => {
    const cases = [
      { activation: 'softmax' as const, y: y2, loss: 'categoricalCrossEntropy' as const },
      { activation: 'sigmoid' as const, y: y1, loss: 'binaryCrossEntropy' as const },
      { activation: 'identity' as const, y: y1, loss: 'l2' as const },
      { activation: 'tanh' as const, y: y1, loss: 'l2' as const },
    ];
    for (const c of cases) {
      const units = c.y[0]!.length;
      const a = Network.create({ input: 2, layers: [{ units: 3, activation: 'tanh' }, { units, activation: c.activation }], seed: 7 });
      const b = a.clone();
      const other = a.clone();
      a.fit(x, c.y, { learningRate: 0.3, batchSize: 4, epochs: 2 });
      b.fit(x, c.y, { learningRate: 0.3, batchSize: 4, epochs: 2, loss: c.loss });
      other.fit(x, c.y, { learningRate: 0.3, batchSize: 4, epochs: 2, loss: c.loss === 'l2' ? 'l1' : 'l2' });
      expect(parameterBits(a)).toBe(parameterBits(b));
      expect(parameterBits(a)).not.toBe(parameterBits(other));
    }
  });
});

describe('buffers', () => {
  it('the Trainer allocates its buffers once and reuses them across epochs; the kernels write into them', () => {
    const x = uniformRows(10, 3, 41);
    const y = uniformRows(10, 2, 42, 0, 1);
    const net = Network.create({
      input: 3,
      layers: [
        { units: 4, activation: 'tanh' },
        { units: 2, activation: 'sigmoid' },
      ],
      seed: 8,
    });
    const heldBefore = net.layers.flatMap((l) => [l.weights.data, l.biases]);
    const optimizer = sgd({ learningRate: 0.1, weightDecay: 0.01 });
    const before = (): Float64Array => (optimizer as unknown as { before: Float64Array }).before;
    const identities: unknown[][] = [];
    const values: Float64Array[][] = [];
    const collect = (): { refs: unknown[]; arrays: Float64Array[] } => {
      const b = trainerInternals(trainer);
      const ws = [b.full, b.tail!];
      const arrays: Float64Array[] = [];
      for (const w of ws) {
        arrays.push(...w.activations.map((m) => m.data), ...w.sums.map((m) => m.data), ...w.deltas.map((m) => m.data), w.targets.data);
      }
      arrays.push(...b.grads.weightGradients.map((m) => m.data), ...b.grads.biasGradients, before());
      const refs: unknown[] = [...ws, ...ws.flatMap((w) => [...w.activations, ...w.sums, ...w.deltas, w.targets]), ...arrays, b.order];
      return { refs, arrays };
    };
    const trainer = net.trainer(x, y, {
      loss: 'l2',
      optimizer,
      batchSize: 4,
      epochs: 5,
      seed: 3,
      onEpoch: () => {
        const { refs, arrays } = collect();
        identities.push(refs);
        values.push(arrays.map((a) => a.slice()));
      },
    });
    // Making the Trainer is the documented moment when the store may move (the wasm backend):
    // arrays held from before then are either the live ones (js) or detached, never stale.
    const parameterArrays = net.layers.flatMap((l) => [l.weights.data, l.biases]);
    heldBefore.forEach((a, i) => {
      if (getBackend() === 'wasm') expect(a.length).toBe(0);
      else expect(a).toBe(parameterArrays[i]);
    });
    trainer.run();
    expect(identities).toHaveLength(5);
    // 10 samples in batches of 4: a full workspace of 4 rows and a tail of 2.
    const b = trainerInternals(trainer);
    expect(b.full.rows).toBe(4);
    expect(b.tail!.rows).toBe(2);
    for (let e = 1; e < 5; e++) {
      expect(identities[e]!.length).toBe(identities[0]!.length);
      identities[e]!.forEach((ref, i) => expect(ref, `buffer ${i} at epoch ${e + 1}`).toBe(identities[0]![i]));
    }
    // The parameters themselves are updated in place, in the network's one store.
    net.layers.forEach((l, n) => {
      expect(l.weights.data).toBe(parameterArrays[2 * n]);
      expect(l.biases).toBe(parameterArrays[2 * n + 1]);
      expect(l.weights.data.buffer).toBe(net.params.values.buffer);
    });
    // The gradient buffers are views into the store's gradient array.
    for (const g of b.grads.weightGradients) expect(g.data.buffer).toBe(net.params.grads.buffer);
    // Every buffer holding computed values changed between epochs (the kernels write into them).
    const changed = values[0]!.map((v, i) => parameterBitsOf(v) !== parameterBitsOf(values[1]![i]!));
    expect(changed.every(Boolean)).toBe(true);

    // What they hold is the last batch: the tail's inputs are the rows order[8], order[9] of x,
    // and the weights are before − α·gradient − λ·before.
    const order = Array.from(b.order);
    expect(Array.from(b.tail!.activations[0]!.data)).toEqual([...x[order[8]!]!, ...x[order[9]!]!]);
    const old = before(), g = net.params.grads;
    net.params.segments.forEach((seg) => {
      for (let i = seg.offset; i < seg.offset + seg.length; i++) {
        const expected = seg.decay ? old[i]! - 0.1 * g[i]! - 0.01 * old[i]! : old[i]! - 0.1 * g[i]!;
        expect(net.params.values[i]).toBe(expected);
      }
    });
    // and the tail's trace is that of the weights before the last step
    const check = net.clone();
    check.params.values.set(old);
    expectClose(b.tail!.activations[2]!.data, check.predict(Matrix.from([x[order[8]!]!, x[order[9]!]!])).data, 0);
  });

  it('each Trainer has buffers sized for its batch size; each fit starts from the same order', () => {
    const xs = [[1, 2], [3, 4], [5, 6]], ys = [[1, 0], [0, 1], [1, 1]];
    const net = Network.create({ input: 2, layers: [{ units: 2 }], seed: 1 });
    const t3 = net.trainer(xs, ys, { batchSize: 3, epochs: 1 });
    expect(trainerInternals(t3).tail).toBeUndefined();
    t3.run();
    const t2 = net.trainer(xs, ys, { batchSize: 2, epochs: 1 });
    expect(trainerInternals(t2).full.rows).toBe(2);
    expect(trainerInternals(t2).tail!.rows).toBe(1);
    t2.run();
    // Each fit with a seed starts from the same order: its shuffles depend on its seed alone.
    const orderAfter = (n: Network, seed: number): number[] => {
      const t = n.trainer(xs, ys, { batchSize: 2, epochs: 1, seed });
      t.run();
      return Array.from(trainerInternals(t).order);
    };
    const a = Network.create({ input: 2, layers: [{ units: 2 }], seed: 1 });
    const b = Network.create({ input: 2, layers: [{ units: 2 }], seed: 1 });
    const first = orderAfter(a, 5);
    orderAfter(b, 6);
    expect(orderAfter(b, 5)).toEqual(first);
  });

  it('fits without a seed use 0, then 1, 2, …: calling fit({ epochs: 1 }) in a loop sees fresh orders', () => {
    const x = uniformRows(12, 2, 5), y = uniformRows(12, 1, 6);
    const looped = Network.create({ input: 2, layers: [{ units: 1 }], seed: 2 });
    const seeded = Network.create({ input: 2, layers: [{ units: 1 }], seed: 2 });
    for (let i = 0; i < 3; i++) {
      looped.fit(x, y, { batchSize: 4, epochs: 1 });
      seeded.fit(x, y, { batchSize: 4, epochs: 1, seed: i });
    }
    expectParameters(looped, snapshot(seeded));
    const same = Network.create({ input: 2, layers: [{ units: 1 }], seed: 2 });
    for (let i = 0; i < 3; i++) same.fit(x, y, { batchSize: 4, epochs: 1, seed: 0 });
    expect(parameterBits(same.layers.map((l) => l.weights.data))).not.toBe(parameterBits(looped.layers.map((l) => l.weights.data)));
  });
});

function parameterBitsOf(v: Float64Array): string {
  return parameterBits([v]);
}
