/**
 * Numerical extremes: inputs of ±1e300, ±1e-300, subnormals and ±Number.MAX_VALUE, saturated
 * sigmoid and softmax, cross-entropy targets of exactly 0 and 1. Whatever happens, the loss and
 * the gradients stay finite or the call fails clearly (DeltapropError; TrainingError from fit),
 * and a failed call leaves the weights as they were (fit: as they were before the failing batch).
 * The hand-made cases derive their expected values from the formulas, in comments.
 */
import { describe, expect, it } from 'vitest';
import {
  type Activation,
  type ActivationName,
  activations,
  checkGradients,
  DeltapropError,
  type LossName,
  losses,
  Matrix,
  Network,
  TrainingError,
} from '../src/index.js';
import { parameters } from './helpers/weights.js';

const MAX = Number.MAX_VALUE;
const EXTREMES = [1e300, -1e300, 1e-300, -1e-300, 5e-324, -5e-324, MAX, -MAX];
/** Values whose products with weights of order 1 cannot overflow: everything must succeed. */
const TINY = new Set([1e-300, -1e-300, 5e-324, -5e-324]);

const HIDDEN: readonly ActivationName[] = ['identity', 'sigmoid', 'tanh', 'relu', 'leakyRelu', 'softplus', 'softmax'];
/** Output activation and loss pairs: both fused paths, the general paths, and the seed's losses. */
const HEADS: ReadonlyArray<readonly [ActivationName, LossName]> = [
  ['sigmoid', 'binaryCrossEntropy'],
  ['softmax', 'categoricalCrossEntropy'],
  ['softmax', 'binaryCrossEntropy'],
  ['sigmoid', 'l2'],
  ['identity', 'l2'],
  ['tanh', 'l1'],
];

function allFinite(values: Iterable<number>): boolean {
  for (const v of values) if (!Number.isFinite(v)) return false;
  return true;
}

type Outcome = 'finite' | 'failed';

/**
 * Runs `call`; it must either return only finite numbers (checked by `finite`) or throw a
 * DeltapropError (of class `errorClass`) with the weights afterwards equal to `expectedAfter`.
 */
function finiteOrClear<T>(
  net: Network,
  call: () => T,
  finite: (result: T) => boolean,
  errorClass: new (...args: never[]) => DeltapropError = DeltapropError,
): Outcome {
  const before = parameters(net);
  let result: T;
  try {
    result = call();
  } catch (error) {
    expect(error).toBeInstanceOf(errorClass);
    // Nothing changed (fit: restored to before the failing batch, which here is checked finite).
    if (errorClass === DeltapropError) expect(parameters(net)).toEqual(before);
    expect(allFinite(parameters(net))).toBe(true);
    return 'failed';
  }
  expect(finite(result)).toBe(true);
  expect(allFinite(parameters(net))).toBe(true);
  return 'finite';
}

describe('inputs at the edges of float64 through every activation and head', () => {
  const outcomes = { finite: 0, failed: 0 };
  for (const v of EXTREMES) {
    for (const hidden of HIDDEN) {
      for (const [out, loss] of HEADS) {
        it(`x = ${v}, ${hidden} → ${out} with ${loss}`, () => {
          const make = (): Network =>
            Network.create({ input: 2, layers: [{ units: 3, activation: hidden }, { units: 2, activation: out }], seed: 5 });
          const x = [[v, -v], [v, v], [0, v]];
          const y = out === 'softmax' ? [[1, 0], [0, 1], [0.5, 0.5]] : [[0, 1], [1, 1], [0, 0]];
          const results: Outcome[] = [];
          let net = make();
          results.push(finiteOrClear(net, () => net.predict(x), (m) => allFinite(m.data)));
          net = make();
          results.push(finiteOrClear(net, () => net.backward(net.forward(x), y, loss), (g) =>
            g.weightGradients.every((m) => allFinite(m.data)) && g.biasGradients.every(allFinite) && g.deltas.every((d) => allFinite(d.data))));
          net = make();
          results.push(finiteOrClear(net, () => checkGradients(net, x, y, loss), (r) => Number.isFinite(r.maxRelativeError)));
          net = make();
          results.push(finiteOrClear(net, () => net.fit(x, y, { loss, epochs: 3, batchSize: 2, learningRate: 0.1 }), (h) =>
            h.epochs.every((e) => Number.isFinite(e.loss)), TrainingError));
          if (TINY.has(v)) expect(results).toEqual(['finite', 'finite', 'finite', 'finite']);
          for (const r of results) outcomes[r]++;
        });
      }
    }
  }
  it('both outcomes occur (the sweep above exercises the failures, not only the easy cases)', () => {
    expect(outcomes.finite).toBeGreaterThan(100);
    expect(outcomes.failed).toBeGreaterThan(20);
  });
});

describe('overflow by hand: one identity unit with weight 2', () => {
  /** 1 → 1 identity with w = 2, b = 0: z = 2x. */
  function doubler(): Network {
    const net = Network.create({ input: 1, layers: [{ units: 1 }], seed: 0 });
    net.layers[0]!.weights.data[0] = 2;
    return net;
  }

  it('x = 1e308: z = 2e308 overflows; predict and backward say so and fit stops at batch 1', () => {
    const net = doubler();
    expect(() => net.predict([1e308])).toThrow(/Network\.predict: argument "x" gives a non-finite output \(Infinity at row 0, column 0\)/);
    // The trace holds the overflowed sum; backward refuses it and names it.
    expect(() => net.backward(net.forward([[1e308]]), [[0]], 'l2')).toThrow(/Network\.backward: argument "trace\.sums\[0\]" must hold finite numbers, got Infinity/);
    let error: unknown;
    try {
      net.fit([[1e308]], [[0]], { loss: 'l2', epochs: 1 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TrainingError);
    const t = error as TrainingError;
    expect([t.epoch, t.batch]).toEqual([1, 1]);
    expect(t.lastLoss).toBeNaN(); // no batch had finished
    expect(t.message).toContain('the loss became Infinity (last finite batch loss NaN)');
    expect(parameters(net)).toEqual([2, 0]);
  });

  it('x = 1e300: z = 2e300 is finite but ½z² and ∂h/∂w = z·x are not', () => {
    const net = doubler();
    expect(net.predict([1e300])[0]).toBe(2e300);
    // h = ½(2e300)² = Infinity: fit stops before any step.
    expect(() => net.fit([[1e300]], [[0]], { loss: 'l2', epochs: 1 })).toThrow(TrainingError);
    expect(parameters(net)).toEqual([2, 0]);
    // ∂h/∂w = (z − y)·x = 2e300 · 1e300 = Infinity: backward refuses to return it.
    expect(() => net.backward(net.forward([[1e300]]), [[0]], 'l2')).toThrow(/non-finite gradients \(Infinity in weightGradients\[0\] at index 0\)/);
    // l1 has a bounded gradient: sign(z − y)·x = 1e300, finite, and so is h = 2e300.
    const g = net.backward(net.forward([[1e300]]), [[0]], 'l1');
    expect(g.weightGradients[0]!.data[0]).toBe(1e300);
    expect(g.biasGradients[0]![0]).toBe(1);
  });

  it('x = 1e-300 and subnormals: the products underflow gracefully, exactly as IEEE 754 rounds them', () => {
    const net = doubler();
    expect(net.predict([1e-300])[0]).toBe(2e-300);
    // 2 · 5e-324 = 1e-323 exactly (2^-1073).
    expect(net.predict([5e-324])[0]).toBe(1e-323);
    // With w = 0.5: 0.5 · 2^-1074 = 2^-1075, a tie, rounded to even: 0. With w = 0.75: rounds up to 2^-1074.
    net.layers[0]!.weights.data[0] = 0.5;
    expect(Object.is(net.predict([5e-324])[0], 0)).toBe(true);
    net.layers[0]!.weights.data[0] = 0.75;
    expect(net.predict([5e-324])[0]).toBe(5e-324);
    // l2 gradient at x = 1e-300, y = 1: (z − y)·x = (0.75e-300 − 1)·1e-300 ≈ −1e-300, finite.
    const g = net.backward(net.forward([[1e-300]]), [[1]], 'l2');
    expect(g.weightGradients[0]!.data[0]).toBe((0.75 * 1e-300 - 1) * 1e-300);
    expect(g.biasGradients[0]![0]).toBe(0.75 * 1e-300 - 1);
  });
});

describe('saturated sigmoid and softmax', () => {
  function apply(f: Activation, values: number[]): Float64Array {
    const a = Matrix.from([values]);
    const out = new Matrix(1, values.length);
    f.forward(out, a);
    return out.data;
  }

  it('sigmoid: σ(±800), σ(±1e300), σ(±MAX) are exactly 1 and 0; σ(±5e-324) is ½; the derivative stays finite', () => {
    // σ(x) = 1/(1 + e^−x): e^−800 underflows to 0, so σ(800) = 1 and σ(−800) = e^−800/(1 + e^−800) = 0.
    const xs = [800, -800, 1e300, -1e300, MAX, -MAX, 5e-324, -5e-324];
    expect(Array.from(apply(activations.sigmoid, xs))).toEqual([1, 0, 1, 0, 1, 0, 0.5, 0.5]);
    // σ(−40) = e^−40/(1 + e^−40); e^−40 = 4.248354255291589e-18 (to 16 digits).
    const [s40, sm40] = apply(activations.sigmoid, [40, -40]);
    expect(sm40! / 4.248354255291589e-18).toBeCloseTo(1, 14);
    expect(s40).toBe(1); // 1 − 4.2e-18 rounds to 1
    // f'(x) = σ(x)(1 − σ(x)): exactly 0 at saturation, never NaN.
    const z = Matrix.from([[1, 0, 0.5]]);
    const d = new Matrix(1, 3);
    activations.sigmoid.backward(d, Matrix.from([[1, 1, 1]]), Matrix.from([[800, -800, 0]]), z);
    expect(Array.from(d.data)).toEqual([0, 0, 0.25]);
  });

  it('softmax: rows of ±1e300 and ±MAX are one-hot or uniform, never NaN', () => {
    // softmax(a) = e^{a − max a} / Σ e^{a − max a}: the shift makes the largest term e^0 = 1.
    expect(Array.from(apply(activations.softmax, [1e300, -1e300, 0]))).toEqual([1, 0, 0]);
    expect(Array.from(apply(activations.softmax, [MAX, MAX]))).toEqual([0.5, 0.5]); // MAX − MAX = 0
    expect(Array.from(apply(activations.softmax, [MAX, -MAX]))).toEqual([1, 0]); // −MAX − MAX = −Infinity, e^−∞ = 0
    expect(Array.from(apply(activations.softmax, [-MAX, -MAX, -MAX, -MAX]))).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(Array.from(apply(activations.softmax, [5e-324, 0]))).toEqual([0.5, 0.5]);
    // Its Jacobian diag(s) − s sᵀ at a one-hot point is exactly zero.
    expect(Array.from(activations.softmax.jacobian(Float64Array.from([1e300, -1e300])).data)).toEqual([0, 0, 0, 0]);
  });

  it('tanh and softplus at the edges: ±1, and softplus(x) = x for huge x, 0 for hugely negative x', () => {
    expect(Array.from(apply(activations.tanh, [1e300, -1e300, MAX, -MAX, 5e-324]))).toEqual([1, -1, 1, -1, 5e-324]);
    // softplus(x) = max(x, 0) + log1p(e^−|x|): e^−1e300 = 0, so exactly x or 0.
    expect(Array.from(apply(activations.softplus, [1e300, -1e300, MAX, -MAX]))).toEqual([1e300, 0, MAX, 0]);
  });
});

describe('cross-entropy with targets of exactly 0 and 1 on saturated outputs', () => {
  /** −ln ε, ε = 1e-12: the loss of z = 0 (clipped to ε) against y = 1. */
  const CLIPPED = -Math.log(1e-12); // 27.631021115928547
  /**
   * −ln(1 − fl(1 − ε)): the loss of z = 1 (clipped to 1 − ε, which float64 rounds) against y = 0.
   * 1 − fl(1 − ε) is ε up to 5.6e-17, so this differs from −ln ε by up to 6e-5.
   */
  const CLIPPED_HIGH = -Math.log(1 - (1 - 1e-12));
  /** −ln(1 − 1e-12): the loss of a correct prediction clipped to 1 − ε. */
  const NEARLY_ZERO = -Math.log(1 - 1e-12);

  it('sigmoid + binary cross-entropy at z ∈ {0, 1} exactly: finite loss, fused delta z − y', () => {
    // 1 → 1 sigmoid, w = 1, b = 0; x = ±800 gives z = σ(±800) = 1 and 0 exactly.
    const net = Network.create({ input: 1, layers: [{ units: 1, activation: 'sigmoid' }], seed: 0 });
    net.layers[0]!.weights.data[0] = 1;
    const x = [[800], [-800]];
    expect(Array.from(net.predict(x).data)).toEqual([1, 0]);
    const z = net.forward(x).activations[1]!;
    // Right targets: h = −ln(1 − ε) per sample; δ = z − y = 0, so both gradients are exactly 0.
    expect(losses.binaryCrossEntropy.value(z, Matrix.from([[1], [0]]))).toBeCloseTo(NEARLY_ZERO, 24);
    const right = net.backward(net.forward(x), [[1], [0]], 'binaryCrossEntropy');
    expect([right.weightGradients[0]!.data[0], right.biasGradients[0]![0]]).toEqual([0, 0]);
    // Wrong targets: h = −ln(1 − fl(1 − ε)) and −ln ε, averaged; δ = z − y = (1, −1):
    // ∂h/∂w = mean(δ·x) = (1·800 + (−1)(−800))/2 = 800, ∂h/∂b = (1 − 1)/2 = 0.
    expect(losses.binaryCrossEntropy.value(z, Matrix.from([[0], [1]]))).toBeCloseTo((CLIPPED_HIGH + CLIPPED) / 2, 12);
    const wrong = net.backward(net.forward(x), [[0], [1]], 'binaryCrossEntropy');
    expect([wrong.weightGradients[0]!.data[0], wrong.biasGradients[0]![0]]).toEqual([800, 0]);
    // One step of fit from there is finite: w ← 1 − 0.01·800 = −7.
    const history = net.fit(x, [[0], [1]], { learningRate: 0.01, epochs: 1, batchSize: 2, shuffle: false });
    expect(history.epochs[0]!.loss).toBeCloseTo((CLIPPED_HIGH + CLIPPED) / 2, 12);
    expect(net.layers[0]!.weights.data[0]).toBe(1 - 0.01 * 800);
  });

  it('the general (unfused) binary cross-entropy path on a saturated sigmoid: gradient 0, not NaN', () => {
    // l2 is not fused: ∇h = z − y = 1, times σ'(800) = 1·(1 − 1) = 0. And binary cross-entropy on
    // a softmax output (not fused either): ∇h = (p − y)/(p(1 − p)) with p clipped to [ε, 1 − ε] is
    // finite (about ±1e12), and the softmax Jacobian at a one-hot output is 0.
    const sig = Network.create({ input: 1, layers: [{ units: 1, activation: 'sigmoid' }], seed: 0 });
    sig.layers[0]!.weights.data[0] = 1;
    const g = sig.backward(sig.forward([[800]]), [[0]], 'l2');
    expect([g.weightGradients[0]!.data[0], g.biasGradients[0]![0]]).toEqual([0, 0]);
    const soft = Network.create({ input: 1, layers: [{ units: 2, activation: 'softmax' }], seed: 0 });
    soft.layers[0]!.weights.data.set([1, -1]);
    const gs = soft.backward(soft.forward([[400]]), [[0, 1]], 'binaryCrossEntropy');
    expect(allFinite(gs.weightGradients[0]!.data)).toBe(true);
    expect(allFinite(gs.deltas[0]!.data)).toBe(true);
  });

  it('softmax + categorical cross-entropy at a one-hot output: finite loss, fused delta (Σy)·z − y', () => {
    // 1 → 2 softmax, W = (1, −1)ᵀ, x = 400: a = (400, −400), z = (1, e^−800 = 0) exactly.
    const net = Network.create({ input: 1, layers: [{ units: 2, activation: 'softmax' }], seed: 0 });
    net.layers[0]!.weights.data.set([1, -1]);
    expect(Array.from(net.predict([400]))).toEqual([1, 0]);
    const z = net.forward([[400]]).activations[1]!;
    // y = (0, 1): h = −ln(clip(0)) = −ln ε; δ = (1·z − y) = (1, −1); ∂h/∂W = δᵀx = (400, −400).
    expect(losses.categoricalCrossEntropy.value(z, Matrix.from([[0, 1]]))).toBeCloseTo(CLIPPED, 12);
    const wrong = net.backward(net.forward([[400]]), [[0, 1]], 'categoricalCrossEntropy');
    expect(Array.from(wrong.weightGradients[0]!.data)).toEqual([400, -400]);
    expect(Array.from(wrong.biasGradients[0]!)).toEqual([1, -1]);
    // y = (1, 0): h = −ln(1 − ε) (z₀ = 1 is clipped); δ = z − y = (0, 0).
    expect(losses.categoricalCrossEntropy.value(z, Matrix.from([[1, 0]]))).toBeCloseTo(NEARLY_ZERO, 24);
    const right = net.backward(net.forward([[400]]), [[1, 0]], 'categoricalCrossEntropy');
    expect(Array.from(right.weightGradients[0]!.data)).toEqual([0, 0]);
    // Targets that do not sum to 1, y = (2, 1): δ = 3·(1, 0) − (2, 1) = (1, −1), still finite.
    const odd = net.backward(net.forward([[400]]), [[2, 1]], 'categoricalCrossEntropy');
    expect(Array.from(odd.biasGradients[0]!)).toEqual([1, -1]);
  });

  it('the loss functions themselves at z = 0 and 1 exactly, against hand values', () => {
    const z = Matrix.from([[0, 1, 0, 1]]);
    const y = Matrix.from([[0, 1, 1, 0]]);
    // Binary: 2 right (−ln(1 − ε) each) and 2 wrong (z = 1 against 0, z = 0 against 1), one row.
    expect(losses.binaryCrossEntropy.value(z, y)).toBeCloseTo(CLIPPED_HIGH + CLIPPED + 2 * NEARLY_ZERO, 12);
    const g = new Matrix(1, 4);
    losses.binaryCrossEntropy.gradient(g, z, y);
    // (p − y)/(p(1 − p)) with p ∈ {ε, 1 − ε}: ±1/(1 − ε) for right answers, ∓(1 − ε)/(ε(1 − ε)) = ∓1/ε for wrong ones.
    expect(allFinite(g.data)).toBe(true);
    expect(g.data[2]! * 1e-12).toBeCloseTo(-1, 3);
    expect(g.data[3]! * 1e-12).toBeCloseTo(1, 3);
    // Categorical: only the y ≠ 0 terms count: −1·ln(1 − ε) − 1·ln(ε).
    expect(losses.categoricalCrossEntropy.value(z, y)).toBeCloseTo(CLIPPED + NEARLY_ZERO, 12);
    losses.categoricalCrossEntropy.gradient(g, z, y);
    expect(allFinite(g.data)).toBe(true);
  });
});
