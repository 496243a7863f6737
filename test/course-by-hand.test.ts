/**
 * The course's formulas, computed by hand on a 2-2-1 network and compared with the library:
 *
 *   A_n = W_n · Z_{n-1} + B_n,   Z_n = f_n(A_n)
 *   δ_{k-1} = ∇h(Z_{k-1}) · J(f_{k-1})(A_{k-1}),   δ_n = δ_{n+1} · W_{n+1} · J(f_n)(A_n)
 *   ΔW_n = δ_nᵀ Z_{n-1}ᵀ,   ΔB_n = δ_nᵀ
 *   W_n ← W_n − (α/k) Σ ΔW_n − λ W_n,   B_n ← B_n − (α/k) Σ ΔB_n
 */
import { describe, expect, it } from 'vitest';
import { losses, Matrix, Network, sgd } from '../src/index.js';
import { expectClose, expectNear, flat } from './helpers/numeric.js';
import { setLayer, snapshot } from './helpers/weights.js';
import { applyStep } from './helpers/step.js';

/** σ(x) = 1 / (1 + e^−x) with the engine's Math.exp: an independent reference. */
const sigma = (x: number): number => 1 / (1 + Math.exp(-x));

function net221(w0: number[][], b0: number[], w1: number[][], b1: number[]): Network {
  const net = Network.create({
    input: 2,
    layers: [
      { units: 2, activation: 'sigmoid' },
      { units: 1, activation: 'sigmoid' },
    ],
    seed: 1,
  });
  setLayer(net, 0, w0, b0);
  setLayer(net, 1, w1, b1);
  return net;
}

interface ByHand {
  A0: number[];
  Z0: number[];
  A1: number;
  Z1: number;
  h: number;
  d1: number;
  d0: number[];
  dW1: number[];
  dB1: number;
  dW0: number[][];
  dB0: number[];
}

/** One sample through a 2-2-1 sigmoid/sigmoid network with the L2 loss, scalar by scalar. */
function byHand(x: number[], y: number, w0: number[][], b0: number[], w1: number[], b1: number): ByHand {
  // A_0 = W_0 · x + B_0
  const A0 = [w0[0]![0]! * x[0]! + w0[0]![1]! * x[1]! + b0[0]!, w0[1]![0]! * x[0]! + w0[1]![1]! * x[1]! + b0[1]!];
  // Z_0 = σ(A_0)
  const Z0 = [sigma(A0[0]!), sigma(A0[1]!)];
  // A_1 = W_1 · Z_0 + B_1, Z_1 = σ(A_1)
  const A1 = w1[0]! * Z0[0]! + w1[1]! * Z0[1]! + b1;
  const Z1 = sigma(A1);
  // h = ½ (Z_1 − y)², ∇h = Z_1 − y
  const h = 0.5 * (Z1 - y) ** 2;
  // δ_1 = ∇h · J(σ)(A_1) = (Z_1 − y) · σ(A_1)(1 − σ(A_1))
  const d1 = (Z1 - y) * Z1 * (1 - Z1);
  // δ_0 = δ_1 · W_1 · J(σ)(A_0), J diagonal with σ'(A_0,i) = Z_0,i (1 − Z_0,i)
  const d0 = [d1 * w1[0]! * Z0[0]! * (1 - Z0[0]!), d1 * w1[1]! * Z0[1]! * (1 - Z0[1]!)];
  // ΔW_1 = δ_1ᵀ Z_0ᵀ, ΔB_1 = δ_1; ΔW_0 = δ_0ᵀ xᵀ, ΔB_0 = δ_0
  return {
    A0,
    Z0,
    A1,
    Z1,
    h,
    d1,
    d0,
    dW1: [d1 * Z0[0]!, d1 * Z0[1]!],
    dB1: d1,
    dW0: [
      [d0[0]! * x[0]!, d0[0]! * x[1]!],
      [d0[1]! * x[0]!, d0[1]! * x[1]!],
    ],
    dB0: d0,
  };
}

describe('the course on a 2-2-1 network, by hand', () => {
  it('gives exact dyadic numbers where every sigmoid sits at 0', () => {
    // x = (1, −1), W_0 = [[0.5, 0.5], [0.25, −0.25]], B_0 = (0, −0.5)
    //   A_0 = (0.5 − 0.5 + 0, 0.25 + 0.25 − 0.5) = (0, 0),  Z_0 = (σ(0), σ(0)) = (0.5, 0.5)
    // W_1 = [[2, −1]], B_1 = (−0.5)
    //   A_1 = 2·0.5 − 1·0.5 − 0.5 = 0,  Z_1 = 0.5
    // y = 1, L2: h = ½(0.5 − 1)² = 0.125, ∇h = Z_1 − y = −0.5
    // δ_1 = ∇h · σ'(0) = −0.5 · 0.25 = −0.125
    // δ_0 = δ_1 · W_1 · J(σ)(A_0) = −0.125 · (2, −1) · diag(0.25, 0.25) = (−0.0625, 0.03125)
    // ΔW_1 = δ_1ᵀ Z_0ᵀ = −0.125 · (0.5, 0.5) = (−0.0625, −0.0625),  ΔB_1 = −0.125
    // ΔW_0 = δ_0ᵀ xᵀ = [[−0.0625, 0.0625], [0.03125, −0.03125]],  ΔB_0 = (−0.0625, 0.03125)
    const net = net221(
      [
        [0.5, 0.5],
        [0.25, -0.25],
      ],
      [0, -0.5],
      [[2, -1]],
      [-0.5],
    );
    const x = [[1, -1]];
    const y = [[1]];
    const trace = net.forward(x);
    expect(Array.from(trace.sums[0]!.data)).toEqual([0, 0]);
    expect(Array.from(trace.activations[1]!.data)).toEqual([0.5, 0.5]);
    expect(Array.from(trace.sums[1]!.data)).toEqual([0]);
    expect(Array.from(trace.activations[2]!.data)).toEqual([0.5]);
    expect(losses.l2.value(trace.activations[2]!, trace.activations[2]!.clone())).toBe(0);
    const zy = net.predict([1, -1]);
    expect(0.5 * (zy[0]! - 1) ** 2).toBe(0.125);

    const g = net.backward(trace, y, 'l2');
    expect(Array.from(g.deltas[1]!.data)).toEqual([-0.125]);
    expect(Array.from(g.deltas[0]!.data)).toEqual([-0.0625, 0.03125]);
    expect(Array.from(g.weightGradients[1]!.data)).toEqual([-0.0625, -0.0625]);
    expect(Array.from(g.biasGradients[1]!)).toEqual([-0.125]);
    expect(Array.from(g.weightGradients[0]!.data)).toEqual([-0.0625, 0.0625, 0.03125, -0.03125]);
    expect(Array.from(g.biasGradients[0]!)).toEqual([-0.0625, 0.03125]);

    // One update with α = 0.5, λ = 0.125:
    //   W_1 ← (2, −1) − 0.5·(−0.0625, −0.0625) − 0.125·(2, −1)
    //       = (2 + 0.03125 − 0.25, −1 + 0.03125 + 0.125) = (1.78125, −0.84375)
    //   B_1 ← −0.5 − 0.5·(−0.125) = −0.4375                                   (no decay)
    //   W_0 ← [[0.5, 0.5], [0.25, −0.25]] − 0.5·ΔW_0 − 0.125·W_0
    //       = [[0.5 + 0.03125 − 0.0625, 0.5 − 0.03125 − 0.0625],
    //          [0.25 − 0.015625 − 0.03125, −0.25 + 0.015625 + 0.03125]]
    //       = [[0.46875, 0.40625], [0.203125, −0.203125]]
    //   B_0 ← (0, −0.5) − 0.5·(−0.0625, 0.03125) = (0.03125, −0.515625)
    applyStep(sgd({ learningRate: 0.5, weightDecay: 0.125 }), net, g);
    expect(Array.from(net.layers[1]!.weights.data)).toEqual([1.78125, -0.84375]);
    expect(Array.from(net.layers[1]!.biases)).toEqual([-0.4375]);
    expect(Array.from(net.layers[0]!.weights.data)).toEqual([0.46875, 0.40625, 0.203125, -0.203125]);
    expect(Array.from(net.layers[0]!.biases)).toEqual([0.03125, -0.515625]);
  });

  const w0 = [
    [0.1, -0.2],
    [0.4, 0.3],
  ];
  const b0 = [0.05, -0.1];
  const w1 = [0.7, -0.6];
  const b1 = 0.2;

  it('matches sums, activations, δ, ΔW and ΔB of one sample computed scalar by scalar', () => {
    // x = (0.5, −1): A_0 = (0.05 + 0.2 + 0.05, 0.2 − 0.3 − 0.1) = (0.3, −0.2)
    const net = net221(w0, b0, [w1], [b1]);
    const hand = byHand([0.5, -1], 1, w0, b0, w1, b1);
    expectClose(hand.A0, [0.3, -0.2], 1e-15);
    const trace = net.forward([[0.5, -1]]);
    expectClose(trace.activations[0]!.data, [0.5, -1], 0);
    expectClose(trace.sums[0]!.data, hand.A0, 1e-14);
    expectClose(trace.activations[1]!.data, hand.Z0, 1e-14);
    expectClose(trace.sums[1]!.data, [hand.A1], 1e-14);
    expectClose(trace.activations[2]!.data, [hand.Z1], 1e-14);
    expectNear(losses.l2.value(trace.activations[2]!, Matrix.from([[1]])), hand.h, 1e-13);

    const g = net.backward(trace, [[1]], 'l2');
    expectClose(g.deltas[1]!.data, [hand.d1], 1e-13);
    expectClose(g.deltas[0]!.data, hand.d0, 1e-13);
    expectClose(g.weightGradients[1]!.data, hand.dW1, 1e-13);
    expectClose(g.biasGradients[1]!, [hand.dB1], 1e-13);
    expectClose(g.weightGradients[0]!.data, flat(hand.dW0), 1e-13);
    expectClose(g.biasGradients[0]!, hand.dB0, 1e-13);
    // Sanity of the hand computation itself: the signs follow from y = 1 > Z_1.
    expect(hand.d1).toBeLessThan(0);
    expect(Math.sign(hand.d0[0]!)).toBe(-1); // δ_1 < 0 times w = 0.7 > 0
    expect(Math.sign(hand.d0[1]!)).toBe(1); //  δ_1 < 0 times w = −0.6 < 0
  });

  it('applies one update W ← W − αΔW − λW, B ← B − αΔB as computed by hand', () => {
    const alpha = 0.5, lambda = 0.01;
    const net = net221(w0, b0, [w1], [b1]);
    const hand = byHand([0.5, -1], 1, w0, b0, w1, b1);
    const g = net.backward(net.forward([[0.5, -1]]), [[1]], 'l2');
    applyStep(sgd({ learningRate: alpha, weightDecay: lambda }), net, g);
    const W0 = w0.map((row, i) => row.map((w, j) => w - alpha * hand.dW0[i]![j]! - lambda * w));
    const B0 = b0.map((b, i) => b - alpha * hand.dB0[i]!);
    const W1 = w1.map((w, j) => w - alpha * hand.dW1[j]! - lambda * w);
    const B1 = b1 - alpha * hand.dB1;
    expectClose(net.layers[0]!.weights.data, flat(W0), 1e-14);
    expectClose(net.layers[0]!.biases, B0, 1e-14);
    expectClose(net.layers[1]!.weights.data, W1, 1e-14);
    expectClose(net.layers[1]!.biases, [B1], 1e-14);
  });

  it('averages a 2-sample batch: gradients are (1/k) Σ ΔW, deltas stay per sample, the loss is the mean', () => {
    const xs = [
      [0.5, -1],
      [-0.3, 0.8],
    ];
    const ys = [1, 0];
    const net = net221(w0, b0, [w1], [b1]);
    const h1 = byHand(xs[0]!, ys[0]!, w0, b0, w1, b1);
    const h2 = byHand(xs[1]!, ys[1]!, w0, b0, w1, b1);
    const trace = net.forward(xs);
    expectClose(trace.activations[2]!.data, [h1.Z1, h2.Z1], 1e-14);
    expectNear(losses.l2.value(trace.activations[2]!, Matrix.from([[1], [0]])), (h1.h + h2.h) / 2, 1e-13);

    const g = net.backward(trace, [[1], [0]], 'l2');
    // Row i of δ_n is sample i's own δ_n.
    expectClose(g.deltas[1]!.data, [h1.d1, h2.d1], 1e-13);
    expectClose(g.deltas[0]!.data, [...h1.d0, ...h2.d0], 1e-13);
    // (1/2)(ΔW¹ + ΔW²)
    expectClose(g.weightGradients[1]!.data, h1.dW1.map((v, j) => (v + h2.dW1[j]!) / 2), 1e-13);
    expectClose(g.biasGradients[1]!, [(h1.dB1 + h2.dB1) / 2], 1e-13);
    expectClose(g.weightGradients[0]!.data, flat(h1.dW0).map((v, j) => (v + flat(h2.dW0)[j]!) / 2), 1e-13);
    expectClose(g.biasGradients[0]!, h1.dB0.map((v, j) => (v + h2.dB0[j]!) / 2), 1e-13);
    // Not the sum: the sum would be twice as large.
    expect(Math.abs(g.biasGradients[1]![0]! - (h1.dB1 + h2.dB1))).toBeGreaterThan(1e-3);

    // fit with one batch of both samples does exactly W ← W − (α/2) Σ ΔW − λW.
    const alpha = 0.8, lambda = 0.02;
    const trained = net221(w0, b0, [w1], [b1]);
    const history = trained.fit(xs, [[1], [0]], { loss: 'l2', learningRate: alpha, weightDecay: lambda, batchSize: 2, epochs: 1, shuffle: false });
    expectNear(history.epochs[0]!.loss, (h1.h + h2.h) / 2, 1e-13);
    const mean = (a: number, b: number): number => (a + b) / 2;
    const W0 = w0.map((row, i) => row.map((w, j) => w - alpha * mean(h1.dW0[i]![j]!, h2.dW0[i]![j]!) - lambda * w));
    const W1 = w1.map((w, j) => w - alpha * mean(h1.dW1[j]!, h2.dW1[j]!) - lambda * w);
    expectClose(trained.layers[0]!.weights.data, flat(W0), 1e-13);
    expectClose(trained.layers[0]!.biases, b0.map((b, i) => b - alpha * mean(h1.dB0[i]!, h2.dB0[i]!)), 1e-13);
    expectClose(trained.layers[1]!.weights.data, W1, 1e-13);
    expectClose(trained.layers[1]!.biases, [b1 - alpha * mean(h1.dB1, h2.dB1)], 1e-13);
  });

  it('follows δ = ∇h · J(f)(A) with a full softmax Jacobian (2-2-2, tanh then softmax, L2)', () => {
    // Written with explicit row vectors and matrices, as in the course.
    const net = Network.create({
      input: 2,
      layers: [
        { units: 2, activation: 'tanh' },
        { units: 2, activation: 'softmax' },
      ],
    });
    const W0 = [
      [0.3, -0.5],
      [0.8, 0.1],
    ];
    const B0 = [0.1, -0.2];
    const W1 = [
      [1.2, -0.7],
      [-0.4, 0.9],
    ];
    const B1 = [0.05, 0.15];
    setLayer(net, 0, W0, B0);
    setLayer(net, 1, W1, B1);
    const x = [0.6, -0.4];
    const y = [0.2, 0.8];
    const matVec = (W: number[][], v: number[], b: number[]): number[] => W.map((row, i) => row[0]! * v[0]! + row[1]! * v[1]! + b[i]!);
    const rowTimes = (v: number[], M: number[][]): number[] => M[0]!.map((_, j) => v.reduce((s, vi, i) => s + vi * M[i]![j]!, 0));
    const A0 = matVec(W0, x, B0);
    const Z0 = A0.map(Math.tanh);
    const A1 = matVec(W1, Z0, B1);
    const e = A1.map(Math.exp);
    const Z1 = e.map((v) => v / (e[0]! + e[1]!));
    // J(softmax)(A)_{ij} = s_i (1[i = j] − s_j);  J(tanh)(A) = diag(1 − tanh²)
    const Jsoft = Z1.map((si, i) => Z1.map((sj, j) => si * ((i === j ? 1 : 0) - sj)));
    const Jtanh = Z0.map((t, i) => Z0.map((_, j) => (i === j ? 1 - t * t : 0)));
    const gradH = Z1.map((z, i) => z - y[i]!);
    const d1 = rowTimes(gradH, Jsoft);
    const d0 = rowTimes(rowTimes(d1, W1), Jtanh);
    const dW1 = d1.map((di) => Z0.map((zj) => di * zj));
    const dW0 = d0.map((di) => x.map((xj) => di * xj));

    const trace = net.forward([x]);
    expectClose(trace.activations[2]!.data, Z1, 1e-14);
    const g = net.backward(trace, [y], 'l2');
    expectClose(g.deltas[1]!.data, d1, 1e-12);
    expectClose(g.deltas[0]!.data, d0, 1e-12);
    expectClose(g.weightGradients[1]!.data, flat(dW1), 1e-12);
    expectClose(g.weightGradients[0]!.data, flat(dW0), 1e-12);
    expectClose(g.biasGradients[1]!, d1, 1e-12);
    expectClose(g.biasGradients[0]!, d0, 1e-12);
    // backward changes nothing in the network
    const before = snapshot(net);
    net.backward(net.forward([x]), [y], 'l2');
    expect(snapshot(net)).toEqual(before);
  });
});
