/**
 * SGD as the seed writes it: W ← W − α·mean(ΔW) − λW, B ← B − α·mean(ΔB) (biases not decayed,
 * λ not multiplied by α), its argument checks, and how fit splits an epoch into batches.
 */
import { describe, expect, it } from 'vitest';
import { Matrix, Network, sgd } from '../src/index.js';
import { trainerInternals } from './helpers/trainer.js';
import { expectClose, expectDeltapropError } from './helpers/numeric.js';
import { expectParameters, setLayer, snapshot } from './helpers/weights.js';
import { applyStep } from './helpers/step.js';

function linear(): Network {
  const net = Network.create({ input: 2, layers: [{ units: 2, activation: 'identity' }] });
  setLayer(
    net,
    0,
    [
      [1, -2],
      [0.5, 4],
    ],
    [3, -1],
  );
  return net;
}

describe('sgd().step by hand', () => {
  it('W ← W − αg − λW and B ← B − αg_B, with α = 0.5 and λ = 0.25', () => {
    const net = linear();
    const grads = {
      weightGradients: [Matrix.from([
        [2, 0],
        [-4, 1],
      ])],
      biasGradients: [Float64Array.of(1, -2)],
    };
    // W = [[1, −2], [0.5, 4]]:
    //   w00 = 1   − 0.5·2    − 0.25·1   = −0.25
    //   w01 = −2  − 0.5·0    − 0.25·(−2) = −1.5
    //   w10 = 0.5 − 0.5·(−4) − 0.25·0.5 = 2.375
    //   w11 = 4   − 0.5·1    − 0.25·4   = 2.5
    // B = (3, −1): b0 = 3 − 0.5·1 = 2.5, b1 = −1 − 0.5·(−2) = 0   (no decay on biases)
    applyStep(sgd({ learningRate: 0.5, weightDecay: 0.25 }), net, grads);
    expect(Array.from(net.layers[0]!.weights.data)).toEqual([-0.25, -1.5, 2.375, 2.5]);
    expect(Array.from(net.layers[0]!.biases)).toEqual([2.5, 0]);
  });

  it('decays weights by λW even with zero gradients, independently of α; biases never decay', () => {
    const net = linear();
    const zero = { weightGradients: [new Matrix(2, 2)], biasGradients: [new Float64Array(2)] };
    // λ = 0.5: every weight halves; α does not enter (λ is not multiplied by α).
    for (const learningRate of [1e-6, 3]) {
      const n = linear();
      applyStep(sgd({ learningRate, weightDecay: 0.5 }), n, zero);
      expect(Array.from(n.layers[0]!.weights.data)).toEqual([0.5, -1, 0.25, 2]);
      expect(Array.from(n.layers[0]!.biases)).toEqual([3, -1]);
    }
    // Without weight decay nothing moves.
    const before = snapshot(net);
    applyStep(sgd({ learningRate: 1 }), net, zero);
    expectParameters(net, before);
  });

  it('the gradients returned by backward make one step of fit on the whole batch', () => {
    const x = [
      [1, 2],
      [-1, 0.5],
      [0.25, -3],
    ];
    const y = [
      [1, 0],
      [0, 1],
      [2, -1],
    ];
    const manual = linear();
    applyStep(sgd({ learningRate: 0.1, weightDecay: 0.01 }), manual, manual.backward(manual.forward(x), y, 'l2'));
    const fitted = linear();
    fitted.fit(x, y, { loss: 'l2', learningRate: 0.1, weightDecay: 0.01, batchSize: 3, epochs: 1, shuffle: false });
    expectParameters(fitted, snapshot(manual));
    // and the same through the optimizer option
    const viaOptimizer = linear();
    viaOptimizer.fit(x, y, { loss: 'l2', optimizer: sgd({ learningRate: 0.1, weightDecay: 0.01 }), batchSize: 3, epochs: 1, shuffle: false });
    expectParameters(viaOptimizer, snapshot(manual));
    // For this linear layer the L2 gradient is by hand (1/3) Σ (W x + B − y) xᵀ; check one entry.
    const W = [
      [1, -2],
      [0.5, 4],
    ];
    const B = [3, -1];
    let g00 = 0;
    x.forEach((xi, i) => (g00 += (W[0]![0]! * xi[0]! + W[0]![1]! * xi[1]! + B[0]! - y[i]![0]!) * xi[0]!));
    g00 /= 3;
    expectClose([fitted.layers[0]!.weights.data[0]!], [1 - 0.1 * g00 - 0.01 * 1], 1e-14);
  });
});

describe('sgd() arguments', () => {
  it('has the documented defaults', () => {
    const o = sgd();
    expect(o.learningRate).toBe(0.01);
    expect(o.weightDecay).toBe(0);
    expect(sgd({ learningRate: 0.3 }).weightDecay).toBe(0);
    expect(sgd({ weightDecay: 0.1 }).learningRate).toBe(0.01);
  });

  it('rejects a non-positive or non-finite learning rate', () => {
    for (const bad of [0, -0.1, NaN, Infinity, -Infinity, '0.1', null]) {
      expectDeltapropError(() => sgd({ learningRate: bad as number }), 'sgd', '"options.learningRate"', 'positive finite');
    }
  });

  it('rejects a negative, non-finite or ≥ 1 weight decay', () => {
    for (const bad of [-0.01, NaN, Infinity, '0']) {
      expectDeltapropError(() => sgd({ weightDecay: bad as number }), 'sgd', '"options.weightDecay"');
    }
    expectDeltapropError(() => sgd({ weightDecay: 1 }), 'sgd', '"options.weightDecay"', 'less than 1');
    expect(sgd({ weightDecay: 0 }).weightDecay).toBe(0);
  });

  it('rejects unknown options and non-objects', () => {
    expectDeltapropError(() => sgd({ learningrate: 0.1 } as never), 'sgd', 'unknown option "learningrate"', 'did you mean "learningRate"');
    expectDeltapropError(() => sgd({ dampening: 0.9 } as never), 'sgd', 'unknown option "dampening"');
    expectDeltapropError(() => sgd(0.1 as never), 'sgd', '"options"');
    expectDeltapropError(() => sgd(null as never), 'sgd', '"options"');
    expectDeltapropError(() => sgd([] as never), 'sgd', '"options"');
  });

  it('step rejects another store, a missing init and bad rates; a non-finite result is undone and reported', () => {
    const net = linear();
    const before = snapshot(net);
    const optimizer = sgd({ learningRate: 0.1 });
    expectDeltapropError(() => optimizer.step(net.params, 0.1, 0), 'Optimizer.step', '"params"', 'init(params) first');
    optimizer.init(net.params);
    expectDeltapropError(() => optimizer.step(linear().params, 0.1, 0), 'Optimizer.step', '"params"', 'given to init()');
    expectDeltapropError(() => optimizer.step(null as never, 0.1, 0), 'Optimizer.step', '"params"');
    expectDeltapropError(() => optimizer.step(net.params, NaN, 0), 'Optimizer.step', '"learningRate"');
    expectDeltapropError(() => optimizer.step(net.params, -1, 0), 'Optimizer.step', '"learningRate"');
    expectDeltapropError(() => optimizer.step(net.params, 0.1, 1), 'Optimizer.step', '"weightDecay"', '[0, 1)');
    expectParameters(net, before);
    // A NaN or infinite gradient makes a non-finite weight: the step is undone and returns false.
    for (const bad of [NaN, Infinity]) {
      net.params.grads.fill(0);
      net.params.grads[3] = bad;
      expect(optimizer.step(net.params, 0.1, 0)).toBe(false);
      expectParameters(net, before);
    }
    net.params.grads.fill(1);
    expect(optimizer.step(net.params, 0.1, 0)).toBe(true);
    expect(Array.from(net.layers[0]!.biases)).toEqual([3 - 0.1, -1 - 0.1]);
  });
});

describe('batches of an epoch', () => {
  const x = [
    [0.1, 0.2],
    [-0.5, 1],
    [1.5, -0.3],
    [0.7, 0.7],
    [-1.2, -0.4],
  ];
  const y = [
    [0.5, 0],
    [0, 1],
    [1, 1],
    [0.2, 0.3],
    [0.9, 0.1],
  ];
  const make = (): Network =>
    Network.create({
      input: 2,
      layers: [
        { units: 3, activation: 'tanh' },
        { units: 2, activation: 'sigmoid' },
      ],
      seed: 5,
    });

  it('averages the last short batch over its own size (5 samples, batchSize 2 → 2 + 2 + 1)', () => {
    const options = { loss: 'l2' as const, learningRate: 0.7, weightDecay: 0.01, batchSize: 2, epochs: 1, shuffle: false };
    const fitted = make();
    const history = fitted.fit(x, y, options);

    const manual = make();
    const opt = sgd({ learningRate: 0.7, weightDecay: 0.01 });
    let lossSum = 0;
    for (const [start, end] of [
      [0, 2],
      [2, 4],
      [4, 5],
    ] as const) {
      const xb = x.slice(start, end), yb = y.slice(start, end);
      const trace = manual.forward(xb);
      const z = trace.activations[2]!;
      // the batch's mean l2 loss, measured before its update
      let l = 0;
      for (let i = 0; i < z.rows; i++) for (let j = 0; j < 2; j++) l += 0.5 * (z.get(i, j) - yb[i]![j]!) ** 2;
      lossSum += l;
      applyStep(opt, manual, manual.backward(trace, yb, 'l2'));
    }
    expectParameters(fitted, snapshot(manual));
    expectClose([history.epochs[0]!.loss], [lossSum / 5], 1e-14);

    // Averaging the single last sample over 2 (half its gradient) would give other weights.
    const halved = make();
    for (const [start, end] of [
      [0, 2],
      [2, 4],
    ] as const) {
      applyStep(opt, halved, halved.backward(halved.forward(x.slice(start, end)), y.slice(start, end), 'l2'));
    }
    const g = halved.backward(halved.forward(x.slice(4)), y.slice(4), 'l2');
    g.weightGradients.forEach((m) => m.data.forEach((v, i) => (m.data[i] = v / 2)));
    g.biasGradients.forEach((b) => b.forEach((v, i) => (b[i] = v / 2)));
    applyStep(opt, halved, g);
    expect(snapshot(halved)).not.toEqual(snapshot(fitted));
  });

  it('visits the samples in a fresh order every epoch, and fit does exactly those steps', () => {
    const options = { loss: 'l2' as const, learningRate: 0.3, batchSize: 2, epochs: 4, shuffle: true, seed: 9 };
    const orders: number[][] = [];
    const fitted = make();
    const trainer = fitted.trainer(x, y, { ...options, onEpoch: () => void orders.push(Array.from(trainerInternals(trainer).order)) });
    trainer.run();
    expect(orders).toHaveLength(4);
    for (const order of orders) expect([...order].sort()).toEqual([0, 1, 2, 3, 4]);
    expect(new Set(orders.map((o) => o.join(','))).size).toBeGreaterThan(1);

    const manual = make();
    const opt = sgd({ learningRate: 0.3 });
    for (const order of orders) {
      for (let start = 0; start < 5; start += 2) {
        const idx = order.slice(start, start + 2);
        applyStep(opt, manual, manual.backward(manual.forward(idx.map((i) => x[i]!)), idx.map((i) => y[i]!), 'l2'));
      }
    }
    expectParameters(fitted, snapshot(manual));
  });

  it('the shuffling depends on the fit seed, and not at all when shuffle is false', () => {
    const run = (seed: number, shuffle: boolean): Float64Array[] => {
      const net = make();
      net.fit(x, y, { loss: 'l2', learningRate: 0.3, batchSize: 2, epochs: 3, shuffle, seed });
      return snapshot(net);
    };
    expect(run(1, true)).toEqual(run(1, true));
    expect(run(1, true)).not.toEqual(run(2, true));
    expect(run(1, false)).toEqual(run(2, false));
    expect(run(1, false)).not.toEqual(run(1, true));
  });

  it('a batch size larger than the data set is one batch of all samples', () => {
    const a = make(), b = make();
    a.fit(x, y, { loss: 'l2', learningRate: 0.2, batchSize: 100, epochs: 2, shuffle: false });
    b.fit(x, y, { loss: 'l2', learningRate: 0.2, batchSize: 5, epochs: 2, shuffle: false });
    expectParameters(a, snapshot(b));
  });
});
