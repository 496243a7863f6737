/**
 * Training and prediction on the wasm backend: the same bits as the js backend for every
 * optimizer, and the memory contract of src/model/memory.ts (README, "Backends and memory"):
 * making a wasm Trainer moves the network's store into the Trainer's arena; arrays taken from
 * the network before are detached (length 0), never silently stale; the Params and Matrix
 * objects stay live; the kernels of training run without a single fallback.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  activations,
  adam,
  adamw,
  checkGradients,
  earlyStopping,
  leakyRelu,
  Matrix,
  Network,
  type NetworkSpec,
  type Optimizer,
  rmsprop,
  schedules,
  setBackend,
  sgd,
  Trainer,
} from '../src/index.js';
import { createArena } from '../src/kernels/index.js';
import { arenaOf } from '../src/kernels/memory.js';
import { spirals, uniformRows } from './helpers/data.js';
import { bits, parameterBits } from './helpers/weights.js';

afterEach(() => setBackend('auto'));

const SPEC: NetworkSpec = {
  input: 2,
  layers: [
    { units: 9, activation: 'relu' },
    { units: 7, activation: 'leakyRelu' },
    { units: 5, activation: 'tanh' },
    { units: 2, activation: 'softmax' },
  ],
  seed: 5,
};
const data = spirals(20, 3);

/** Trains a fresh network of SPEC on `backend` and returns it with its history. */
function train(backend: 'js' | 'wasm', optimizer: () => Optimizer, extra: Record<string, unknown> = {}) {
  setBackend(backend);
  const net = Network.create(SPEC);
  // 40 samples in batches of 7: a tail batch of 5 as well.
  const history = net.fit(data.x, data.y, { loss: 'categoricalCrossEntropy', optimizer: optimizer(), batchSize: 7, epochs: 6, seed: 2, ...extra });
  return { net, history };
}

const OPTIMIZERS: Record<string, () => Optimizer> = {
  'sgd (the seed, weight decay)': () => sgd({ learningRate: 0.2, weightDecay: 1e-3 }),
  'sgd momentum': () => sgd({ learningRate: 0.05, momentum: 0.9, weightDecay: 1e-4 }),
  'sgd nesterov': () => sgd({ learningRate: 0.05, momentum: 0.8, nesterov: true }),
  adam: () => adam({ learningRate: 0.01 }),
  adamw: () => adamw({ learningRate: 0.01, weightDecay: 1e-3 }),
  'rmsprop momentum': () => rmsprop({ learningRate: 0.003, momentum: 0.5, weightDecay: 1e-4 }),
};

describe('training on both backends gives the same bits', () => {
  for (const [name, make] of Object.entries(OPTIMIZERS)) {
    it(name, () => {
      const js = train('js', make), wasm = train('wasm', make);
      expect(arenaOf(js.net.params.values)).toBeUndefined(); // js: trained in its own store
      const arena = arenaOf(wasm.net.params.values)!;
      expect(arena.backend).toBe('wasm');
      expect(arena.fallbacks).toBe(0); // every kernel of training ran on wasm memory
      expect(parameterBits(wasm.net)).toBe(parameterBits(js.net));
      wasm.history.epochs.forEach((e, i) => expect(Object.is(e.loss, js.history.epochs[i]!.loss)).toBe(true));
    });
  }

  it('with validation data, a schedule and early stopping that restores the best epoch', () => {
    const v = spirals(6, 9);
    const extra = {
      validation: { x: v.x, y: v.y },
      schedule: schedules.cosineDecay({ minFactor: 0.1 }),
      callbacks: [earlyStopping({ patience: 1, restoreBest: true })],
      epochs: 12,
    };
    const js = train('js', OPTIMIZERS['sgd (the seed, weight decay)']!, extra);
    const wasm = train('wasm', OPTIMIZERS['sgd (the seed, weight decay)']!, extra);
    expect(arenaOf(wasm.net.params.values)!.fallbacks).toBe(0);
    expect(parameterBits(wasm.net)).toBe(parameterBits(js.net));
    expect(JSON.stringify(wasm.history)).toBe(JSON.stringify(js.history));
  });

  it('a checkpoint taken on one backend resumes on the other with the same bits', () => {
    setBackend('wasm');
    const a = Network.create(SPEC);
    const ta = a.trainer(data.x, data.y, { optimizer: adam({ learningRate: 0.01 }), batchSize: 7, epochs: 4, seed: 4 });
    for (let i = 0; i < 13; i++) ta.step();
    const checkpoint = JSON.parse(JSON.stringify(ta.checkpoint())) as ReturnType<Trainer['checkpoint']>;
    ta.run();
    setBackend('js');
    const tb = Trainer.resume(checkpoint, data.x, data.y);
    tb.run();
    expect(parameterBits(tb.network as Network)).toBe(parameterBits(a));
  });

  it('fitAsync on wasm gives the bits of fit on js', async () => {
    const js = train('js', OPTIMIZERS['adam']!);
    setBackend('wasm');
    const net = Network.create(SPEC);
    await net.fitAsync(data.x, data.y, { loss: 'categoricalCrossEntropy', optimizer: OPTIMIZERS['adam']!(), batchSize: 7, epochs: 6, seed: 2, yieldEveryMs: 0 });
    expect(arenaOf(net.params.values)!.fallbacks).toBe(0);
    expect(parameterBits(net)).toBe(parameterBits(js.net));
  });

  for (const [name, make] of [['sgd', () => sgd({ learningRate: 1e300 })], ['adam', () => adam({ learningRate: 1e307 })], ['adam, a non-finite step undone', () => adam({ learningRate: 1e308 })], ['adamw', () => adamw({ learningRate: 1e306, weightDecay: 0.5 })]] as const) {
    it(`a diverging run (${name}) stops at the same batch with the same restored weights on both backends`, () => {
      const results = (['js', 'wasm'] as const).map((backend) => {
        setBackend(backend);
        const net = Network.create(SPEC);
        let message = '';
        try {
          net.fit(data.x, data.y, { loss: 'l2', optimizer: make(), batchSize: 7, epochs: 3, seed: 1 });
        } catch (error) {
          message = (error as Error).message;
        }
        return { message, weights: parameterBits(net) };
      });
      expect(results[0]!.message).toMatch(/training diverged at epoch 1/);
      expect(results[1]).toEqual(results[0]);
    });
  }

  it('the seed rule keeps signed zeros: a −0 bias with a zero gradient stays −0 on wasm', () => {
    for (const backend of ['js', 'wasm'] as const) {
      setBackend(backend);
      const net = Network.create({ input: 2, layers: [{ units: 2, activation: 'relu' }, { units: 1 }], seed: 1 });
      // Unit 0 is dead for every input (weights and bias ≤ 0 on inputs ≥ 0): its bias gradient is 0.
      net.layers[0]!.weights.data.set([-1, -1, 1, 1]);
      net.layers[0]!.biases.set([-0, 0]);
      net.fit([[1, 2], [3, 1]], [[1], [2]], { loss: 'l2', optimizer: sgd({ learningRate: 0.1, weightDecay: 0.01 }), batchSize: 2, epochs: 3 });
      expect(Object.is(net.layers[0]!.biases[0], -0), backend).toBe(true);
    }
  });
});

describe('relu and leakyRelu in WebAssembly memory', () => {
  it('run the arena kernels with the bits of the JavaScript loops (NaN, ±0, ±Infinity included)', () => {
    const values = [NaN, -0, 0, Infinity, -Infinity, -3.5, 2.25, 1e-310, -1e-310, 7, -1, 0.5, -2, 3];
    const grads = values.map((_, i) => (i % 3 === 0 ? -0 : i - 6.5));
    const arena = createArena(4 * values.length, 'wasm');
    const inArena = (v: number[]): Matrix => {
      const m = arena.takeMatrix(2, 7);
      m.data.set(v);
      return m;
    };
    const a = inArena(values), g = inArena(grads), out = arena.takeMatrix(2, 7), back = arena.takeMatrix(2, 7);
    const A = new Matrix(2, 7, Float64Array.from(values)), G = new Matrix(2, 7, Float64Array.from(grads));
    for (const f of [activations.relu, leakyRelu(0.3), leakyRelu(-0.5)]) {
      const outJs = new Matrix(2, 7), backJs = new Matrix(2, 7);
      f.forward(out, a);
      f.forward(outJs, A);
      expect(bits(out.data), f.name).toBe(bits(outJs.data));
      f.backward(back, g, a, out);
      f.backward(backJs, G, A, outJs);
      expect(bits(back.data), f.name).toBe(bits(backJs.data));
    }
    expect(arena.fallbacks).toBe(0);
    arena.dispose();
  });
});

describe('where the parameter store lives', () => {
  it('views held before a wasm Trainer is made are detached (length 0), never stale; the objects stay live', () => {
    setBackend('wasm');
    const net = Network.create(SPEC);
    const W0 = net.layers[0]!.weights, params = net.params;
    const heldData = W0.data, heldBiases = net.layers[0]!.biases, heldValues = params.values, heldGrads = params.grads;
    const before = heldValues.slice();
    const trainer = net.trainer(data.x, data.y, { optimizer: sgd({ learningRate: 0.2 }), batchSize: 7, epochs: 2 });
    // The documented moment: making the Trainer.
    for (const a of [heldData, heldBiases, heldValues, heldGrads]) {
      expect(a.length).toBe(0);
      expect(() => a[0]).not.toThrow();
      expect(a[0]).toBeUndefined();
    }
    expect(bits(net.params.values)).toBe(bits(before)); // θ copied exactly
    trainer.run();
    // The Matrix and the Params are the same objects and hold the trained values.
    expect(net.layers[0]!.weights).toBe(W0);
    expect(net.params).toBe(params);
    expect(W0.data.buffer).toBe(params.values.buffer);
    expect(W0.data.length).toBe(9 * 2);
    expect(bits(W0.data)).toBe(bits(params.values.subarray(0, 18)));
    expect(bits(net.layers[3]!.biases)).toBe(bits(params.values.subarray(params.length - 2)));
    expect(bits(W0.data)).not.toBe(bits(before.subarray(0, 18)));
    // Views taken after the move stay live: the next wasm Trainer moves them again (and detaches them).
    const afterFirst = net.layers[1]!.weights.data;
    expect(afterFirst.length).toBe(63);
    net.fit(data.x, data.y, { batchSize: 30, epochs: 1 });
    expect(afterFirst.length).toBe(0);
    expect(net.layers[1]!.weights.data.length).toBe(63);
  });

  it('on the js backend nothing moves: held views stay the live store', () => {
    setBackend('js');
    const net = Network.create(SPEC);
    const held = net.layers[0]!.weights.data;
    net.fit(data.x, data.y, { batchSize: 7, epochs: 2 });
    expect(net.layers[0]!.weights.data).toBe(held);
    expect(arenaOf(held)).toBeUndefined();
  });

  it('a js Trainer moves a network out of WebAssembly memory (old views detached) and trains with the js bits', () => {
    setBackend('wasm');
    const net = Network.create(SPEC);
    net.fit(data.x, data.y, { batchSize: 7, epochs: 1, seed: 1 });
    setBackend('js');
    const ref = Network.create(SPEC);
    ref.fit(data.x, data.y, { batchSize: 7, epochs: 1, seed: 1 });
    const held = net.layers[2]!.biases;
    net.fit(data.x, data.y, { batchSize: 7, epochs: 2, seed: 2 });
    ref.fit(data.x, data.y, { batchSize: 7, epochs: 2, seed: 2 });
    expect(held.length).toBe(0);
    expect(arenaOf(net.params.values)).toBeUndefined();
    expect(parameterBits(net)).toBe(parameterBits(ref));
  });

  it('a network trained on wasm predicts on wasm memory (no fallback) with the js bits', () => {
    const js = train('js', OPTIMIZERS['adam']!), wasm = train('wasm', OPTIMIZERS['adam']!);
    const arena = arenaOf(wasm.net.params.values)!;
    const x = uniformRows(40, 2, 77);
    expect(bits(wasm.net.predict(x).data)).toBe(bits(js.net.predict(x).data));
    expect(bits(wasm.net.predict(x[3]!))).toBe(bits(js.net.predict(x[3]!)));
    expect(arena.fallbacks).toBe(0);
    // The cached predict workspace lived in that arena; the next move disposes it, and predict still works.
    wasm.net.fit(data.x, data.y, { batchSize: 40, epochs: 1, optimizer: sgd() });
    js.net.fit(data.x, data.y, { batchSize: 40, epochs: 1, optimizer: sgd() });
    expect(bits(wasm.net.predict(x).data)).toBe(bits(js.net.predict(x).data));
    // A network trained on js, then predicting with the wasm backend set, gives the same bits too.
    setBackend('wasm');
    expect(bits(js.net.predict(x).data)).toBe(bits(wasm.net.predict(x).data));
  });

  it('clone, toJSON, forward, backward and checkGradients agree on networks from both backends', () => {
    const js = train('js', OPTIMIZERS['sgd momentum']!), wasm = train('wasm', OPTIMIZERS['sgd momentum']!);
    for (const backend of ['js', 'wasm'] as const) {
      setBackend(backend);
      expect(JSON.stringify(wasm.net.toJSON())).toBe(JSON.stringify(js.net.toJSON()));
      const clone = wasm.net.clone();
      expect(parameterBits(clone)).toBe(parameterBits(js.net));
      expect(arenaOf(clone.params.values)).toBeUndefined(); // a clone has its own plain store
      const x = Matrix.from(data.x.slice(0, 9)), y = Matrix.from(data.y.slice(0, 9));
      const tw = wasm.net.forward(x), tj = js.net.forward(x);
      tw.activations.forEach((a, i) => expect(bits(a.data)).toBe(bits(tj.activations[i]!.data)));
      const gw = wasm.net.backward(tw, y, 'categoricalCrossEntropy'), gj = js.net.backward(tj, y, 'categoricalCrossEntropy');
      gw.weightGradients.forEach((g, i) => expect(bits(g.data)).toBe(bits(gj.weightGradients[i]!.data)));
      gw.biasGradients.forEach((g, i) => expect(bits(g)).toBe(bits(gj.biasGradients[i]!)));
      const cw = checkGradients(wasm.net, x, y, 'categoricalCrossEntropy'), cj = checkGradients(js.net, x, y, 'categoricalCrossEntropy');
      expect(Object.is(cw.maxRelativeError, cj.maxRelativeError)).toBe(true);
      expect(cw.maxRelativeError).toBeLessThan(1e-4);
      expect(parameterBits(wasm.net)).toBe(parameterBits(js.net)); // checkGradients leaves θ as it was
    }
  });

  it("the Trainer's own copies of x and y, and its sample order, are in the arena: each batch is gathered in wasm", () => {
    setBackend('wasm');
    const net = Network.create(SPEC);
    const x = Matrix.from(data.x), y = Matrix.from(data.y);
    const trainer = net.trainer(x, y, { batchSize: 7, epochs: 2, seed: 3 });
    const arena = arenaOf(net.params.values)!;
    const own = trainer as unknown as { x: Matrix; y: Matrix; order: Uint32Array };
    for (const a of [own.x.data, own.y.data, own.order]) expect(arena.contains(a)).toBe(true);
    expect(own.x).not.toBe(x); // copies: the caller's matrices are left as they were
    expect(bits(own.x.data)).toBe(bits(x.data));
    expect(bits(own.y.data)).toBe(bits(y.data));
    trainer.run();
    expect(arena.fallbacks).toBe(0);
    expect(bits(x.data)).toBe(bits(Matrix.from(data.x).data));
    setBackend('js');
    const ref = Network.create(SPEC);
    ref.fit(x, y, { batchSize: 7, epochs: 2, seed: 3 });
    expect(parameterBits(net)).toBe(parameterBits(ref));
  });

  it('input scaling is applied to the copy in the arena, with the js bits', () => {
    const spec: NetworkSpec = { input: 2, layers: [{ units: 6, activation: 'relu' }, { units: 1 }], seed: 4, inputScaling: 'standard', outputScaling: 'standard' };
    const x = uniformRows(23, 2, 5).map(([a, b]) => [a! * 40 + 3, b! - 7]), y = x.map(([a, b]) => [a! * 0.01 - b!]);
    const nets = (['js', 'wasm'] as const).map((backend) => {
      setBackend(backend);
      const net = Network.create(spec);
      net.fit(x, y, { loss: 'l2', batchSize: 5, epochs: 3, seed: 8 });
      return net;
    });
    expect(arenaOf(nets[1]!.params.values)!.fallbacks).toBe(0);
    expect(parameterBits(nets[1]!)).toBe(parameterBits(nets[0]!));
    expect(bits(nets[1]!.predict(x).data)).toBe(bits(nets[0]!.predict(x).data));
  });

  it('a failed Trainer argument moves nothing', () => {
    setBackend('wasm');
    const net = Network.create(SPEC);
    const held = net.layers[0]!.weights.data;
    expect(() => net.trainer(data.x, data.y, { batchSize: 0 })).toThrow(/batchSize/);
    expect(held.length).toBe(18);
    expect(net.layers[0]!.weights.data).toBe(held);
  });
});
