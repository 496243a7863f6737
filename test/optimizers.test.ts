/**
 * The built-in optimizers (sgd with momentum and Nesterov, adam, adamw, rmsprop with and without
 * momentum): their first steps derived by hand from the formulas of their doc comments, PyTorch's
 * trajectories, state() / load() through JSON text, undo() and non-finite steps, their options,
 * and how the Trainer drives them (named optimizers, a user's own optimizer).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { adam, adamw, Network, type Optimizer, type OptimizerState, rmsprop, sgd } from '../src/index.js';
import { expectDeltapropError, maxRelativeError } from './helpers/numeric.js';
import { bits, parameterBits } from './helpers/weights.js';

// ---------------------------------------------------------------------------------------------
// A 2-parameter problem: one identity unit with one input has θ = (w, b), w decayed, b not.

function tiny(w: number, b: number): Network {
  const net = Network.create({ input: 1, layers: [{ units: 1, activation: 'identity' }] });
  expect(net.params.length).toBe(2);
  expect(net.params.segments.map((s) => s.decay)).toEqual([true, false]);
  net.params.values[0] = w;
  net.params.values[1] = b;
  return net;
}

/** One step with the gradient (gw, gb); returns θ = [w, b] afterwards. */
function stepWith(opt: Optimizer, net: Network, gw: number, gb: number, lr: number, wd: number): [number, number] {
  net.params.grads[0] = gw;
  net.params.grads[1] = gb;
  expect(opt.step(net.params, lr, wd)).toBe(true);
  return [net.params.values[0]!, net.params.values[1]!];
}

/** The same three gradients for every by-hand test: g₁ = (3, −1), g₂ = (0.5, 4), g₃ = (−1, 0.25). */
const G: ReadonlyArray<readonly [number, number]> = [
  [3, -1],
  [0.5, 4],
  [-1, 0.25],
];

describe('first three steps by hand, on θ = (w, b), exactly', () => {
  it('sgd (μ = 0, the seed): W ← W − α·g − λ·W, B ← B − α·g_B', () => {
    const net = tiny(1, 0.5);
    const opt = sgd({ learningRate: 0.5, weightDecay: 0.25 });
    opt.init(net.params);
    // α = 0.5, λ = 0.25. Step 1, g = (3, −1): w = 1 − 0.5·3 − 0.25·1 = −0.75;  b = 0.5 − 0.5·(−1) = 1
    expect(stepWith(opt, net, 3, -1, 0.5, 0.25)).toEqual([-0.75, 1]);
    // Step 2, g = (0.5, 4): w = −0.75 − 0.25 − 0.25·(−0.75) = −0.8125;  b = 1 − 2 = −1
    expect(stepWith(opt, net, 0.5, 4, 0.5, 0.25)).toEqual([-0.8125, -1]);
    // Step 3, g = (−1, 0.25): w = −0.8125 + 0.5 + 0.203125 = −0.109375;  b = −1 − 0.125 = −1.125
    expect(stepWith(opt, net, -1, 0.25, 0.5, 0.25)).toEqual([-0.109375, -1.125]);
  });

  it('sgd momentum μ: v ← μ·v + g (v = g at step 1), θ ← θ − α·v − λ·θ', () => {
    // Exact in binary with μ = 0.5, α = 0.5, λ = 0.25:
    const net = tiny(1, 0.5);
    const opt = sgd({ learningRate: 0.5, momentum: 0.5, weightDecay: 0.25 });
    opt.init(net.params);
    // v₁ = g₁ = (3, −1): w = 1 − 0.5·3 − 0.25·1 = −0.75;  b = 0.5 + 0.5 = 1
    expect(stepWith(opt, net, 3, -1, 0.5, 0.25)).toEqual([-0.75, 1]);
    // v₂ = 0.5·(3, −1) + (0.5, 4) = (2, 3.5): w = −0.75 − 1 + 0.1875 = −1.5625;  b = 1 − 1.75 = −0.75
    expect(stepWith(opt, net, 0.5, 4, 0.5, 0.25)).toEqual([-1.5625, -0.75]);
    // v₃ = 0.5·(2, 3.5) + (−1, 0.25) = (0, 2): w = −1.5625 − 0 + 0.390625 = −1.171875;  b = −0.75 − 1 = −1.75
    expect(stepWith(opt, net, -1, 0.25, 0.5, 0.25)).toEqual([-1.171875, -1.75]);

    // And with μ = 0.9, α = 0.1, λ = 0.01 (not exact in binary), in the doc comment's order.
    const n2 = tiny(1, 0.5);
    const o2 = sgd({ learningRate: 0.1, momentum: 0.9, weightDecay: 0.01 });
    o2.init(n2.params);
    let w = 1, b = 0.5, vw = 0, vb = 0;
    G.forEach(([gw, gb], t) => {
      vw = t === 0 ? gw : 0.9 * vw + gw;
      vb = t === 0 ? gb : 0.9 * vb + gb;
      w = w - 0.1 * vw - 0.01 * w;
      b = b - 0.1 * vb;
      const [aw, ab] = stepWith(o2, n2, gw, gb, 0.1, 0.01);
      expect(aw).toBe(w);
      expect(ab).toBe(b);
    });
  });

  it('sgd Nesterov: v ← μ·v + g, θ ← θ − α·(g + μ·v) − λ·θ', () => {
    const net = tiny(1, 0.5);
    const opt = sgd({ learningRate: 0.5, momentum: 0.5, nesterov: true, weightDecay: 0.25 });
    opt.init(net.params);
    // v₁ = (3, −1), u₁ = g₁ + 0.5·v₁ = (4.5, −1.5): w = 1 − 2.25 − 0.25 = −1.5;  b = 0.5 + 0.75 = 1.25
    expect(stepWith(opt, net, 3, -1, 0.5, 0.25)).toEqual([-1.5, 1.25]);
    // v₂ = (2, 3.5), u₂ = (0.5 + 1, 4 + 1.75) = (1.5, 5.75): w = −1.5 − 0.75 + 0.375 = −1.875;  b = 1.25 − 2.875 = −1.625
    expect(stepWith(opt, net, 0.5, 4, 0.5, 0.25)).toEqual([-1.875, -1.625]);
    // v₃ = (0, 2), u₃ = (−1 + 0, 0.25 + 1) = (−1, 1.25): w = −1.875 + 0.5 + 0.46875 = −0.90625;  b = −1.625 − 0.625 = −2.25
    expect(stepWith(opt, net, -1, 0.25, 0.5, 0.25)).toEqual([-0.90625, -2.25]);
  });

  it('adam: m, v, then θ − (α / (1 − β₁ᵗ)) · (m / (√v / √(1 − β₂ᵗ) + ε)), β₁ᵗ, β₂ᵗ running products', () => {
    // β₁ = 0.5, β₂ = 0.75, ε = 1, α = 0.5. Step 1 is exact in binary:
    //   m = 0.5·g = (1.5, −0.5), v = 0.25·g² = (2.25, 0.25), 1 − β₁ = 0.5, √(1 − β₂) = 0.5
    //   w: (0.5 / 0.5)·(1.5 / (1.5 / 0.5 + 1)) = 1.5 / 4 = 0.375  → w = 2 − 0.375 = 1.625
    //   b: 1·(−0.5 / (0.5 / 0.5 + 1)) = −0.25                       → b = 0.5 + 0.25 = 0.75
    const b1 = 0.5, b2 = 0.75, eps = 1, lr = 0.5;
    const net = tiny(2, 0.5);
    const opt = adam({ learningRate: lr, beta1: b1, beta2: b2, epsilon: eps });
    opt.init(net.params);
    expect(stepWith(opt, net, 3, -1, lr, 0)).toEqual([1.625, 0.75]);
    // Steps 2 and 3 in the doc comment's order (β₂² = 0.5625, √(1 − 0.5625) = √0.4375 is not exact).
    let w = 1.625, b = 0.75, mw = 1.5, mb = -0.5, vw = 2.25, vb = 0.25, p1 = b1, p2 = b2;
    for (const [gw, gb] of G.slice(1)) {
      p1 = p1 * b1;
      p2 = p2 * b2;
      mw = mw * b1 + (1 - b1) * gw;
      mb = mb * b1 + (1 - b1) * gb;
      vw = vw * b2 + (1 - b2) * (gw * gw);
      vb = vb * b2 + (1 - b2) * (gb * gb);
      const size = lr / (1 - p1), c2 = Math.sqrt(1 - p2);
      w = w - size * (mw / (Math.sqrt(vw) / c2 + eps));
      b = b - size * (mb / (Math.sqrt(vb) / c2 + eps));
      expect(stepWith(opt, net, gw, gb, lr, 0)).toEqual([w, b]);
    }
    // β₁³ = 0.125 exactly, so the last step size is 0.5 / 0.875:
    expect(p1).toBe(0.125);
    expect(opt.state()['t']).toBe(3);
    expect(opt.state()['beta1Power']).toBe(0.125);
    expect(opt.state()['beta2Power']).toBe(0.421875); // 0.75³
  });

  it('adam with its defaults (α = 0.001, β₁ = 0.9, β₂ = 0.999, ε = 1e-8)', () => {
    const net = tiny(2, 0.5);
    const opt = adam();
    expect([opt.learningRate, opt.beta1, opt.beta2, opt.epsilon, opt.weightDecay]).toEqual([0.001, 0.9, 0.999, 1e-8, 0]);
    opt.init(net.params);
    let w = 2, b = 0.5, mw = 0, mb = 0, vw = 0, vb = 0, p1 = 1, p2 = 1;
    for (const [gw, gb] of G) {
      p1 = p1 * 0.9; // 0.9, 0.81, 0.729 as running products (not 0.9 ** t)
      p2 = p2 * 0.999;
      mw = mw * 0.9 + (1 - 0.9) * gw;
      mb = mb * 0.9 + (1 - 0.9) * gb;
      vw = vw * 0.999 + (1 - 0.999) * (gw * gw);
      vb = vb * 0.999 + (1 - 0.999) * (gb * gb);
      const size = 0.001 / (1 - p1), c2 = Math.sqrt(1 - p2);
      w = w - size * (mw / (Math.sqrt(vw) / c2 + 1e-8));
      b = b - size * (mb / (Math.sqrt(vb) / c2 + 1e-8));
      expect(stepWith(opt, net, gw, gb, 0.001, 0)).toEqual([w, b]);
    }
    // At step 1 the update is α·g/(|g| + ε'), about α·sign(g): w moved by about −0.001 first.
    expect(Math.abs(w - 2)).toBeLessThan(0.003 + 1e-12);
  });

  it('adamw: the adam update − λ·w on the weight only; the bias is never decayed', () => {
    // As the adam case above with λ = 0.25: step 1 w = 2 − 0.375 − 0.25·2 = 1.125; b = 0.75 (no decay).
    const b1 = 0.5, b2 = 0.75, eps = 1, lr = 0.5, wd = 0.25;
    const net = tiny(2, 0.5);
    const opt = adamw({ learningRate: lr, beta1: b1, beta2: b2, epsilon: eps, weightDecay: wd });
    opt.init(net.params);
    expect(stepWith(opt, net, 3, -1, lr, wd)).toEqual([1.125, 0.75]);
    let w = 1.125, b = 0.75, mw = 1.5, mb = -0.5, vw = 2.25, vb = 0.25, p1 = b1, p2 = b2;
    for (const [gw, gb] of G.slice(1)) {
      p1 = p1 * b1;
      p2 = p2 * b2;
      mw = mw * b1 + (1 - b1) * gw;
      mb = mb * b1 + (1 - b1) * gb;
      vw = vw * b2 + (1 - b2) * (gw * gw);
      vb = vb * b2 + (1 - b2) * (gb * gb);
      const size = lr / (1 - p1), c2 = Math.sqrt(1 - p2);
      w = w - size * (mw / (Math.sqrt(vw) / c2 + eps)) - wd * w; // both terms from the same w
      b = b - size * (mb / (Math.sqrt(vb) / c2 + eps));
      expect(stepWith(opt, net, gw, gb, lr, wd)).toEqual([w, b]);
    }
    // The bias follows adam's trajectory exactly; the weight does not.
    const plain = tiny(2, 0.5), a = adam({ learningRate: lr, beta1: b1, beta2: b2, epsilon: eps });
    a.init(plain.params);
    let last: [number, number] = [0, 0];
    for (const [gw, gb] of G) last = stepWith(a, plain, gw, gb, lr, 0);
    expect(last[1]).toBe(b);
    expect(last[0]).not.toBe(w);
    // adamw's default λ is documented as 1e-5.
    expect(adamw().weightDecay).toBe(1e-5);
  });

  it('rmsprop (μ = 0): s ← ρ·s + (1 − ρ)·g², θ ← θ − α·g / (√s + ε) − λ·θ', () => {
    // ρ = 0.75, ε = 0.5, α = 0.5, λ = 0.25. Step 1, g = (3, −1), exact in binary:
    //   s = 0.25·(9, 1) = (2.25, 0.25), √s + ε = (2, 1)
    //   w = 2 − 0.5·(3 / 2) − 0.25·2 = 0.75;   b = 0.5 − 0.5·(−1 / 1) = 1
    const rho = 0.75, eps = 0.5, lr = 0.5, wd = 0.25;
    const net = tiny(2, 0.5);
    const opt = rmsprop({ learningRate: lr, rho, epsilon: eps, weightDecay: wd });
    opt.init(net.params);
    expect(stepWith(opt, net, 3, -1, lr, wd)).toEqual([0.75, 1]);
    // Step 2, g = (0.5, 4): s = 0.75·2.25 + 0.25·0.25 = 1.75, 0.75·0.25 + 0.25·16 = 4.1875 (exact);
    // the square roots are not, so compute in the doc's order.
    let w = 0.75, b = 1, sw = 2.25, sb = 0.25;
    for (const [gw, gb] of G.slice(1)) {
      sw = sw * rho + (1 - rho) * (gw * gw);
      sb = sb * rho + (1 - rho) * (gb * gb);
      w = w - lr * (gw / (Math.sqrt(sw) + eps)) - wd * w;
      b = b - lr * (gb / (Math.sqrt(sb) + eps));
      expect(stepWith(opt, net, gw, gb, lr, wd)).toEqual([w, b]);
    }
    expect([rmsprop().learningRate, rmsprop().rho, rmsprop().epsilon, rmsprop().momentum, rmsprop().weightDecay]).toEqual([0.01, 0.99, 1e-8, 0, 0]);
  });

  it('rmsprop with momentum: b ← μ·b + g / (√s + ε), θ ← θ − α·b − λ·θ', () => {
    // ρ = 0.75, ε = 0.5, α = 0.5, μ = 0.5, λ = 0.25. Step 1: buffer = g / (√s + ε) = (1.5, −1)
    //   w = 2 − 0.5·1.5 − 0.25·2 = 0.75;  b = 0.5 + 0.5 = 1   (as without momentum: the buffer starts at 0)
    const rho = 0.75, eps = 0.5, lr = 0.5, mu = 0.5, wd = 0.25;
    const net = tiny(2, 0.5);
    const opt = rmsprop({ learningRate: lr, rho, epsilon: eps, momentum: mu, weightDecay: wd });
    opt.init(net.params);
    expect(stepWith(opt, net, 3, -1, lr, wd)).toEqual([0.75, 1]);
    let w = 0.75, b = 1, sw = 2.25, sb = 0.25, bw = 1.5, bb = -1;
    for (const [gw, gb] of G.slice(1)) {
      sw = sw * rho + (1 - rho) * (gw * gw);
      sb = sb * rho + (1 - rho) * (gb * gb);
      bw = bw * mu + gw / (Math.sqrt(sw) + eps);
      bb = bb * mu + gb / (Math.sqrt(sb) + eps);
      w = w - lr * bw - wd * w;
      b = b - lr * bb;
      expect(stepWith(opt, net, gw, gb, lr, wd)).toEqual([w, b]);
    }
  });

  it('the α and λ given to step are the ones used (the Trainer scales them by the schedule)', () => {
    // sgd made with α = 0.5, λ = 0.25, stepped with α = 0.125, λ = 0.5: w = 1 − 0.125·3 − 0.5·1 = 0.125
    const net = tiny(1, 0.5);
    const opt = sgd({ learningRate: 0.5, weightDecay: 0.25 });
    opt.init(net.params);
    expect(stepWith(opt, net, 3, -1, 0.125, 0.5)).toEqual([0.125, 0.625]);
  });
});

// ---------------------------------------------------------------------------------------------
// A larger store: a 3-4-2 network (26 parameters) and a deterministic gradient sequence.

function mid(): Network {
  return Network.create({ input: 3, layers: [{ units: 4, activation: 'tanh' }, { units: 2, activation: 'identity' }], seed: 5 });
}

function gradientAt(t: number, i: number): number {
  return Math.sin(0.9 * t + 1.3 * i + 0.2) * (0.01 + Math.abs(Math.cos(0.37 * i + 0.11 * t)));
}

function setGradients(net: Network, t: number): void {
  const g = net.params.grads;
  for (let i = 0; i < g.length; i++) g[i] = gradientAt(t, i);
}

const FACTORIES: ReadonlyArray<readonly [string, () => Optimizer]> = [
  ['sgd', () => sgd({ learningRate: 0.05, weightDecay: 0.01 })],
  ['sgd momentum', () => sgd({ learningRate: 0.05, momentum: 0.9, weightDecay: 0.01 })],
  ['sgd nesterov', () => sgd({ learningRate: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.01 })],
  ['adam', () => adam({ learningRate: 0.01 })],
  ['adamw', () => adamw({ learningRate: 0.01, weightDecay: 0.001 })],
  ['rmsprop', () => rmsprop({ learningRate: 0.01, weightDecay: 0.01 })],
  ['rmsprop momentum', () => rmsprop({ learningRate: 0.01, momentum: 0.9 })],
];

describe('sgd with momentum 0 is the seed’s rule, bit for bit', () => {
  it('equals a plain loop W ← W − α·g − λ·W, B ← B − α·g over 10 steps', () => {
    const net = mid();
    const ref = Float64Array.from(net.params.values);
    const opt = sgd({ learningRate: 0.3, weightDecay: 0.02 });
    opt.init(net.params);
    for (let t = 0; t < 10; t++) {
      setGradients(net, t);
      for (const seg of net.params.segments) {
        for (let i = seg.offset; i < seg.offset + seg.length; i++) {
          ref[i] = seg.decay ? ref[i]! - 0.3 * net.params.grads[i]! - 0.02 * ref[i]! : ref[i]! - 0.3 * net.params.grads[i]!;
        }
      }
      expect(opt.step(net.params, 0.3, 0.02)).toBe(true);
    }
    expect(bits(net.params.values)).toBe(bits(ref));
  });

  it('fit with sgd equals forward, backward and the plain loop by hand (full batch, 3 epochs)', () => {
    const x = [[0.5, -1, 2], [1, 0.25, -0.5], [-2, 1, 0], [0.1, 0.2, 0.3], [1.5, -0.5, -1]];
    const y = [[1, 0], [0, 1], [0.5, 0.5], [-1, 2], [0, 0]];
    const fitted = mid();
    fitted.fit(x, y, { loss: 'l2', optimizer: sgd({ learningRate: 0.1, weightDecay: 0.01 }), batchSize: 5, epochs: 3, shuffle: false });
    const manual = mid();
    for (let e = 0; e < 3; e++) {
      const g = manual.backward(manual.forward(x), y, 'l2');
      manual.layers.forEach((layer, n) => {
        const W = layer.weights.data, dW = g.weightGradients[n]!.data, B = layer.biases, dB = g.biasGradients[n]!;
        for (let i = 0; i < W.length; i++) W[i] = W[i]! - 0.1 * dW[i]! - 0.01 * W[i]!;
        for (let i = 0; i < B.length; i++) B[i] = B[i]! - 0.1 * dB[i]!;
      });
    }
    expect(parameterBits(fitted)).toBe(parameterBits(manual));
    // and the default optimizer (sgd by name) with the same α, λ is the same
    const byName = mid();
    byName.fit(x, y, { loss: 'l2', learningRate: 0.1, weightDecay: 0.01, batchSize: 5, epochs: 3, shuffle: false });
    expect(parameterBits(byName)).toBe(parameterBits(manual));
  });
});

// ---------------------------------------------------------------------------------------------
// PyTorch (scripts/fixtures/make-optimizer-fixtures.py, torch.float64).

interface TorchConfig {
  name: string;
  factory: 'sgd' | 'adam' | 'adamw' | 'rmsprop';
  options: Record<string, number | boolean>;
  fixedGradients: number[][];
  network: number[][];
}
interface TorchFixture {
  steps: number;
  initial: number[];
  gradients: number[][];
  x: number[][];
  y: number[][];
  configs: TorchConfig[];
}

const torchFixture = JSON.parse(readFileSync(new URL('./fixtures/optimizers-torch.json', import.meta.url), 'utf8')) as TorchFixture;

function make(c: TorchConfig): Optimizer {
  switch (c.factory) {
    case 'sgd':
      return sgd(c.options);
    case 'adam':
      return adam(c.options);
    case 'adamw':
      return adamw(c.options);
    case 'rmsprop':
      return rmsprop(c.options);
  }
}

function torchNet(): Network {
  const net = Network.create({ input: 3, layers: [{ units: 4, activation: 'tanh' }, { units: 2, activation: 'identity' }] });
  net.params.values.set(torchFixture.initial);
  return net;
}

/*
 * Tolerance, and why it is not 0. PyTorch computes the same formulas in float64 but not with the
 * same roundings: its CPU kernels for `add_(x, alpha)`, `addcmul_` and `addcdiv_` (every optimizer's
 * update) round differently from deltaprop's separate × and + in a few percent of the elements
 * (fused multiply-adds: `a.add_(b, alpha = −0.05)` differs from `a − 0.05·b` in 7% of 1e5 random
 * doubles), bias corrections use Python's `beta ** step` instead of running products, AdamW decays
 * θ·(1 − lr·wd) before the update instead of θ − update − λθ, and on the network torch has its own
 * tanh and BLAS summation order. Each is an ulp or so per step, carried along 20 steps; the
 * relative error is largest where a parameter passes near 0 (values below 1e-8 are compared
 * absolutely). Measured, largest relative difference over the 20 steps and 26 parameters
 * (fixed gradients / network): sgd-momentum 1.4e-14 / 1.8e-14, sgd-nesterov 2.1e-14 / 1.0e-14,
 * adam 1.2e-15 / 2.4e-15, adam-betas 2.6e-16 / 1.2e-14, adamw 1.2e-15 / 2.1e-15,
 * rmsprop 3.8e-14 / 1.2e-14, rmsprop-momentum 2.4e-14 / 1.6e-13. Both sides are deterministic,
 * so the bound cannot be flaky; it is 1e-12.
 * SGD and RMSprop are compared with weightDecay 0 only: torch's `weight_decay` there is an L2 term
 * added to the gradient, not deltaprop's decoupled λ. AdamW's is decoupled: torch's
 * AdamW(lr, weight_decay = wd) on the weights only is adamw({ learningRate: lr, weightDecay: lr · wd }).
 */
const TORCH_TOLERANCE = 1e-12;

describe('PyTorch float64 trajectories (20 steps)', () => {
  it('the fixture covers every optimizer and has 20 steps each', () => {
    expect(torchFixture.configs.map((c) => c.name)).toEqual(['sgd-momentum', 'sgd-nesterov', 'adam', 'adam-betas', 'adamw', 'rmsprop', 'rmsprop-momentum']);
    for (const c of torchFixture.configs) {
      expect(c.fixedGradients.length).toBe(20);
      expect(c.network.length).toBe(20);
    }
  });

  for (const c of torchFixture.configs) {
    it(`${c.name}: the same gradients give torch's parameters after every step`, () => {
      const net = torchNet();
      const opt = make(c);
      opt.init(net.params);
      let worst = 0;
      for (let t = 0; t < torchFixture.steps; t++) {
        net.params.grads.set(torchFixture.gradients[t]!);
        expect(opt.step(net.params, opt.learningRate, opt.weightDecay)).toBe(true);
        worst = Math.max(worst, maxRelativeError(net.params.values, c.fixedGradients[t]!));
      }
      expect(worst).toBeLessThan(TORCH_TOLERANCE);
      // Not trivially equal: the trajectory moved away from the start.
      expect(maxRelativeError(net.params.values, torchFixture.initial)).toBeGreaterThan(1e-3);
    });

    it(`${c.name}: fit on the 3-4-2 tanh network (full batch, l2) follows torch's trajectory`, () => {
      const net = torchNet();
      const after: Float64Array[] = [];
      net.fit(torchFixture.x, torchFixture.y, {
        loss: 'l2', optimizer: make(c), batchSize: 8, epochs: 20, shuffle: false,
        onEpoch: () => void after.push(net.params.values.slice()),
      });
      let worst = 0;
      after.forEach((v, t) => (worst = Math.max(worst, maxRelativeError(v, c.network[t]!))));
      expect(worst).toBeLessThan(TORCH_TOLERANCE);
    });
  }
});

// ---------------------------------------------------------------------------------------------

function stepAll(opt: Optimizer, net: Network, from: number, to: number): void {
  for (let t = from; t < to; t++) {
    setGradients(net, t);
    expect(opt.step(net.params, opt.learningRate, opt.weightDecay)).toBe(true);
  }
}

describe('state() → JSON text → load() continues with the same bits', () => {
  for (const [name, factory] of FACTORIES) {
    it(name, () => {
      // Straight: 6 steps.
      const straight = mid();
      const a = factory();
      a.init(straight.params);
      stepAll(a, straight, 0, 6);
      // Stopped after 3: the state as text, a fresh optimizer on an equal store, 3 more steps.
      const first = mid();
      const b = factory();
      b.init(first.params);
      stepAll(b, first, 0, 3);
      const text = JSON.stringify(b.state());
      const resumed = mid();
      resumed.params.values.set(first.params.values);
      const c = factory();
      c.init(resumed.params);
      c.load(JSON.parse(text) as OptimizerState);
      expect(JSON.stringify(c.state())).toBe(text);
      stepAll(c, resumed, 3, 6);
      expect(bits(resumed.params.values)).toBe(bits(straight.params.values));
      // Loading the state matters (for every optimizer with state): without it the run differs.
      if (name !== 'sgd') {
        const fresh = mid();
        fresh.params.values.set(first.params.values);
        const d = factory();
        d.init(fresh.params);
        stepAll(d, fresh, 3, 6);
        expect(bits(fresh.params.values)).not.toBe(bits(straight.params.values));
      }
    });
  }

  it('load rejects a state of another optimizer, a missing init and a buffer of the wrong size', () => {
    const net = mid();
    const a = adam();
    a.init(net.params);
    const s = a.state();
    expectDeltapropError(() => adam().load(s), 'Optimizer.load', 'after init');
    const r = rmsprop();
    r.init(net.params);
    expectDeltapropError(() => r.load(s), 'Optimizer.load', '"state.name"', "'rmsprop'");
    const small = tiny(1, 0);
    const a2 = adam();
    a2.init(small.params);
    expectDeltapropError(() => a2.load(s), 'Optimizer.load', '"state.m"');
    expectDeltapropError(() => a.load({ ...s, extra: 1 }), 'Optimizer.load', 'unknown field');
    expectDeltapropError(() => a.load({ ...s, t: -1 }), 'Optimizer.load', '"state.t"');
  });
});

// ---------------------------------------------------------------------------------------------

/** Everything an optimizer carries, as text: its parameters' bits and its state. */
function fullState(opt: Optimizer, net: Network): string {
  return bits(net.params.values) + JSON.stringify(opt.state());
}

describe('undo() and non-finite steps', () => {
  for (const [name, factory] of FACTORIES) {
    it(`${name}: undo() restores the parameters and the state of before the last step, bit for bit`, () => {
      const net = mid();
      const opt = factory();
      opt.init(net.params);
      stepAll(opt, net, 0, 3);
      const before = fullState(opt, net);
      stepAll(opt, net, 3, 4);
      expect(fullState(opt, net)).not.toBe(before);
      opt.undo!();
      expect(fullState(opt, net)).toBe(before);
      // and the same step again gives the same bits as the first time
      const redo = mid();
      const o2 = factory();
      o2.init(redo.params);
      stepAll(o2, redo, 0, 4);
      stepAll(opt, net, 3, 4);
      expect(fullState(opt, net)).toBe(fullState(o2, redo));
    });

    it(`${name}: a NaN, ±Infinity or overflowing gradient returns false and changes nothing`, () => {
      const net = mid();
      const opt = factory();
      opt.init(net.params);
      stepAll(opt, net, 0, 2);
      const before = fullState(opt, net);
      for (const bad of [NaN, Infinity, -Infinity, 1e300]) {
        setGradients(net, 2);
        net.params.grads[7] = bad; // a weight
        // 1e300 is finite but its square (adam, rmsprop) or α·g·(huge α) overflows
        const lr = bad === 1e300 ? 1e10 : opt.learningRate;
        expect(opt.step(net.params, lr, opt.weightDecay), `gradient ${bad}`).toBe(false);
        expect(fullState(opt, net)).toBe(before);
        setGradients(net, 2);
        net.params.grads[net.params.length - 1] = bad; // a bias
        expect(opt.step(net.params, lr, opt.weightDecay), `bias gradient ${bad}`).toBe(false);
        expect(fullState(opt, net)).toBe(before);
      }
      // A huge learning rate: α = Number.MAX_VALUE times an update of size ≥ 1 overflows (adam's
      // step size α / (1 − β₁ᵗ) already does).
      setGradients(net, 2);
      net.params.values[0] = 1e300;
      net.params.grads[0] = 1e10;
      const mark = fullState(opt, net);
      expect(opt.step(net.params, Number.MAX_VALUE, opt.weightDecay)).toBe(false);
      expect(fullState(opt, net)).toBe(mark);
      // The next good steps give the bits of a run in which the bad ones never happened.
      const clean = mid();
      const o2 = factory();
      o2.init(clean.params);
      stepAll(o2, clean, 0, 2);
      clean.params.values[0] = 1e300;
      net.params.values.set(clean.params.values);
      stepAll(opt, net, 2, 4);
      stepAll(o2, clean, 2, 4);
      expect(fullState(opt, net)).toBe(fullState(o2, clean));
    });
  }

  // undo() does nothing until a step has succeeded (init and load leave nothing to undo).
  it('undo() right after init() or load() leaves the parameters as they are', () => {
    for (const [, factory] of FACTORIES) {
      const net = mid();
      const values = net.params.values.slice();
      const opt = factory();
      opt.init(net.params);
      opt.undo!();
      expect(bits(net.params.values)).toBe(bits(values));
      const other = factory();
      other.init(net.params);
      other.load(opt.state());
      other.undo!();
      expect(bits(net.params.values)).toBe(bits(values));
    }
  });

  // A failed step has already restored everything itself, so undo() after it does nothing: the
  // state stays that of after the last successful step (undo's doc: only a step that succeeded).
  it('undo() after a failed step does nothing; undo() twice undoes one step', () => {
    const net = mid();
    const opt = adam({ learningRate: 0.01 });
    opt.init(net.params);
    stepAll(opt, net, 0, 1);
    const a = fullState(opt, net);
    stepAll(opt, net, 1, 2);
    const b = fullState(opt, net);
    setGradients(net, 2);
    net.params.grads[0] = NaN;
    expect(opt.step(net.params, 0.01, 0)).toBe(false);
    expect(fullState(opt, net)).toBe(b);
    opt.undo();
    expect(fullState(opt, net)).toBe(b);
    stepAll(opt, net, 2, 3);
    opt.undo();
    expect(fullState(opt, net)).toBe(b);
    opt.undo();
    expect(fullState(opt, net)).toBe(b);
    expect(a).not.toBe(b);
  });
});

// ---------------------------------------------------------------------------------------------

describe('bad options', () => {
  it('sgd: momentum ∉ [0, 1), nesterov without momentum, non-boolean nesterov', () => {
    for (const bad of [-0.1, 1, 1.5, NaN, Infinity, '0.9', null]) {
      expectDeltapropError(() => sgd({ momentum: bad as number }), 'sgd', '"options.momentum"', '[0, 1)');
    }
    expectDeltapropError(() => sgd({ nesterov: true }), 'sgd', '"options.momentum"', 'nesterov');
    expectDeltapropError(() => sgd({ nesterov: true, momentum: 0 }), 'sgd', '"options.momentum"', 'nesterov');
    expectDeltapropError(() => sgd({ nesterov: 1 as never, momentum: 0.9 }), 'sgd', '"options.nesterov"');
    expect(sgd({ momentum: 0 }).momentum).toBe(0);
    expect(sgd({ momentum: 0.99, nesterov: true }).nesterov).toBe(true);
  });

  for (const name of ['adam', 'adamw'] as const) {
    const f = name === 'adam' ? adam : adamw;
    it(`${name}: beta1, beta2 ∉ [0, 1), epsilon ≤ 0, learningRate ≤ 0, unknown names, non-objects`, () => {
      for (const arg of ['beta1', 'beta2'] as const) {
        for (const bad of [-0.1, 1, 2, NaN, '0.9', null]) {
          expectDeltapropError(() => f({ [arg]: bad as number }), name, `"options.${arg}"`, '[0, 1)');
        }
        expect(f({ [arg]: 0 })[arg]).toBe(0);
      }
      for (const bad of [0, -1e-8, NaN, Infinity, '1e-8']) {
        expectDeltapropError(() => f({ epsilon: bad as number }), name, '"options.epsilon"', 'positive');
      }
      for (const bad of [0, -0.001, Infinity]) {
        expectDeltapropError(() => f({ learningRate: bad }), name, '"options.learningRate"');
      }
      expectDeltapropError(() => f({ beta: 0.9 } as never), name, 'unknown option "beta"');
      for (const bad of [0.1, 'adam', null, []]) expectDeltapropError(() => f(bad as never), name, '"options"');
    });
  }

  it('adam has no weightDecay option (that is adamw)', () => {
    expectDeltapropError(() => adam({ weightDecay: 0.01 } as never), 'adam', 'unknown option "weightDecay"');
    expectDeltapropError(() => adam({ weightDecay: 0 } as never), 'adam', 'unknown option "weightDecay"');
    expect(adam().weightDecay).toBe(0);
  });

  it('adamw, sgd and rmsprop: weightDecay < 0, ≥ 1 or not finite', () => {
    const cases: ReadonlyArray<readonly [string, (o: { weightDecay: number }) => Optimizer]> = [
      ['adamw', (o) => adamw(o)],
      ['sgd', (o) => sgd(o)],
      ['rmsprop', (o) => rmsprop(o)],
    ];
    for (const [name, f] of cases) {
      for (const bad of [-1e-9, NaN, Infinity, '0.1', null]) {
        expectDeltapropError(() => f({ weightDecay: bad as number }), name, '"options.weightDecay"');
      }
      expectDeltapropError(() => f({ weightDecay: 1 }), name, '"options.weightDecay"', 'less than 1');
      expectDeltapropError(() => f({ weightDecay: 1.5 }), name, '"options.weightDecay"', 'less than 1');
      expect(f({ weightDecay: 0.999 }).weightDecay).toBe(0.999);
    }
  });

  it('rmsprop: rho, momentum ∉ [0, 1), epsilon ≤ 0, unknown names, non-objects', () => {
    for (const arg of ['rho', 'momentum'] as const) {
      for (const bad of [-0.5, 1, 3, NaN, '0.9']) {
        expectDeltapropError(() => rmsprop({ [arg]: bad as number }), 'rmsprop', `"options.${arg}"`, '[0, 1)');
      }
    }
    for (const bad of [0, -1, NaN]) expectDeltapropError(() => rmsprop({ epsilon: bad }), 'rmsprop', '"options.epsilon"');
    expectDeltapropError(() => rmsprop({ alpha: 0.9 } as never), 'rmsprop', 'unknown option "alpha"');
    expectDeltapropError(() => rmsprop({ nesterov: true } as never), 'rmsprop', 'unknown option "nesterov"');
    for (const bad of [1, 'x', null, []]) expectDeltapropError(() => rmsprop(bad as never), 'rmsprop', '"options"');
  });

  it('sgd: unknown names and non-objects', () => {
    expectDeltapropError(() => sgd({ beta1: 0.9 } as never), 'sgd', 'unknown option "beta1"');
    for (const bad of [0.1, 'sgd', null, [], true]) expectDeltapropError(() => sgd(bad as never), 'sgd', '"options"');
  });
});

// ---------------------------------------------------------------------------------------------

const X = [[0.5, -1, 2], [1, 0.25, -0.5], [-2, 1, 0], [0.1, 0.2, 0.3], [1.5, -0.5, -1], [0, 0, 1], [-1, -1, -1]];
const Y = [[1, 0], [0, 1], [0.5, 0.5], [-1, 2], [0, 0], [1, 1], [-0.5, 0]];

describe('through training', () => {
  it('fit accepts optimizer objects and the names sgd, adam, adamw, rmsprop (default settings)', () => {
    const defaults: Record<string, () => Optimizer> = { sgd: () => sgd(), adam: () => adam(), adamw: () => adamw(), rmsprop: () => rmsprop() };
    const start = parameterBits(mid());
    for (const name of ['sgd', 'adam', 'adamw', 'rmsprop'] as const) {
      const byName = mid();
      byName.fit(X, Y, { loss: 'l2', optimizer: name, batchSize: 3, epochs: 2, seed: 1 });
      const byObject = mid();
      byObject.fit(X, Y, { loss: 'l2', optimizer: defaults[name]!(), batchSize: 3, epochs: 2, seed: 1 });
      expect(parameterBits(byName), name).toBe(parameterBits(byObject));
      expect(parameterBits(byName), name).not.toBe(start);
    }
  });

  it("optimizer 'adam' with learningRate 0.01 equals adam({ learningRate: 0.01 }) bit for bit", () => {
    const a = mid();
    const ha = a.fit(X, Y, { loss: 'l2', optimizer: 'adam', learningRate: 0.01, batchSize: 2, epochs: 3, seed: 4 });
    const b = mid();
    const hb = b.fit(X, Y, { loss: 'l2', optimizer: adam({ learningRate: 0.01 }), batchSize: 2, epochs: 3, seed: 4 });
    expect(parameterBits(a)).toBe(parameterBits(b));
    expect(ha.epochs).toEqual(hb.epochs);
    // and it is not adam's default rate
    const c = mid();
    c.fit(X, Y, { loss: 'l2', optimizer: 'adam', batchSize: 2, epochs: 3, seed: 4 });
    expect(parameterBits(c)).not.toBe(parameterBits(a));
    // adamw and rmsprop by name take learningRate and weightDecay too
    const d = mid();
    d.fit(X, Y, { loss: 'l2', optimizer: 'adamw', learningRate: 0.02, weightDecay: 0.001, batchSize: 2, epochs: 2, seed: 4 });
    const e = mid();
    e.fit(X, Y, { loss: 'l2', optimizer: adamw({ learningRate: 0.02, weightDecay: 0.001 }), batchSize: 2, epochs: 2, seed: 4 });
    expect(parameterBits(d)).toBe(parameterBits(e));
    const r1 = mid();
    r1.fit(X, Y, { loss: 'l2', optimizer: 'rmsprop', learningRate: 0.02, weightDecay: 0.001, batchSize: 2, epochs: 2, seed: 4 });
    const r2 = mid();
    r2.fit(X, Y, { loss: 'l2', optimizer: rmsprop({ learningRate: 0.02, weightDecay: 0.001 }), batchSize: 2, epochs: 2, seed: 4 });
    expect(parameterBits(r1)).toBe(parameterBits(r2));
  });

  it("fit rejects 'adam' with a weightDecay, an unknown name, and an object with learningRate beside it", () => {
    const net = mid();
    const before = parameterBits(net);
    expectDeltapropError(() => net.fit(X, Y, { optimizer: 'adam', weightDecay: 0.01 }), 'Network.fit', '"options.weightDecay"', 'adamw');
    expectDeltapropError(() => net.fit(X, Y, { optimizer: 'adagrad' as never }), 'Network.fit', '"options.optimizer"');
    expectDeltapropError(() => net.fit(X, Y, { optimizer: adam(), learningRate: 0.1 }), 'Network.fit', 'not both');
    expect(parameterBits(net)).toBe(before);
  });

  it("a user's own optimizer (no undo): step called once per batch with the right α and λ, and its updates are training's", () => {
    const calls: Array<[number, number]> = [];
    let inits = 0;
    // Plain gradient descent with a twist (a sign step), so its effect is recognisable.
    const own: Optimizer = {
      name: 'signSgd',
      learningRate: 0.125,
      weightDecay: 0.0625,
      init: () => void inits++,
      step(params, lr, wd) {
        calls.push([lr, wd]);
        const v = params.values, g = params.grads;
        for (const seg of params.segments) {
          for (let i = seg.offset; i < seg.offset + seg.length; i++) {
            v[i] = v[i]! - lr * Math.sign(g[i]!) - (seg.decay ? wd * v[i]! : 0);
          }
        }
        return true;
      },
      state: () => ({ name: 'signSgd' }),
      load: () => undefined,
    };
    const net = mid();
    // N = 7, k = 3: ⌈7 / 3⌉ = 3 batches per epoch, 4 epochs → 12 calls.
    net.fit(X, Y, { loss: 'l2', optimizer: own, batchSize: 3, epochs: 4, shuffle: false });
    expect(inits).toBe(1);
    expect(calls.length).toBe(12);
    for (const c of calls) expect(c).toEqual([0.125, 0.0625]);
    // Replay by hand: batches [0..2], [3..5], [6] in order, the gradient of each from backward.
    const replay = mid();
    for (let e = 0; e < 4; e++) {
      for (const [s, t] of [[0, 3], [3, 6], [6, 7]] as const) {
        const g = replay.backward(replay.forward(X.slice(s, t)), Y.slice(s, t), 'l2');
        replay.layers.forEach((layer, n) => {
          const W = layer.weights.data, dW = g.weightGradients[n]!.data, B = layer.biases, dB = g.biasGradients[n]!;
          for (let i = 0; i < W.length; i++) W[i] = W[i]! - 0.125 * Math.sign(dW[i]!) - 0.0625 * W[i]!;
          for (let i = 0; i < B.length; i++) B[i] = B[i]! - 0.125 * Math.sign(dB[i]!) - 0;
        });
      }
    }
    expect(parameterBits(net)).toBe(parameterBits(replay));
  });

  it("a user's optimizer returning false stops training with the weights of before that batch", () => {
    let n = 0;
    const own: Optimizer = {
      name: 'breaks',
      learningRate: 0.1,
      weightDecay: 0,
      init: () => undefined,
      step(params) {
        n++;
        params.values[0] = n === 3 ? NaN : params.values[0]! + 1; // scribbles, then reports failure at batch 3
        return n !== 3;
      },
      state: () => ({ name: 'breaks' }),
      load: () => undefined,
    };
    const net = mid();
    const start = net.params.values[0]!;
    expect(() => net.fit(X, Y, { loss: 'l2', optimizer: own, batchSize: 3, epochs: 2, shuffle: false })).toThrow(/diverged at epoch 1, batch 3/);
    expect(net.params.values[0]).toBe(start + 2);
  });
});

describe("a user's optimizer that throws", () => {
  // The Trainer keeps a copy of θ for a user's optimizer and puts it back when its step throws.
  it('leaves the weights of before that batch, as the TrainingError says', () => {
    let n = 0;
    const own: Optimizer = {
      name: 'throws',
      learningRate: 0.1,
      weightDecay: 0,
      init: () => undefined,
      step(params) {
        params.values[0] = params.values[0]! + 1;
        if (++n === 2) throw new Error('boom');
        return true;
      },
      state: () => ({ name: 'throws' }),
      load: () => undefined,
    };
    const net = mid();
    const start = net.params.values[0]!;
    let message = '';
    try {
      net.fit(X, Y, { loss: 'l2', optimizer: own, batchSize: 3, epochs: 1, shuffle: false });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('boom');
    expect(message).toContain('before that batch');
    expect(message).toContain("the optimizer 'throws' threw");
    expect(net.params.values[0]).toBe(start + 1);
  });
});

describe('one optimizer object, two Trainers', () => {
  // An optimizer holds the state of one run: a second unfinished Trainer cannot take it over.
  it('is rejected when the second Trainer is made, with a message that says so', () => {
    const a = mid(), b = mid();
    const opt = adam();
    const ta = a.trainer(X, Y, { loss: 'l2', optimizer: opt, batchSize: 3, epochs: 2 });
    expectDeltapropError(() => b.trainer(X, Y, { loss: 'l2', optimizer: opt, batchSize: 3, epochs: 2 }), 'Network.trainer', 'optimizer');
    expect(ta.step()).toBe(true);
  });
});
