/**
 * Every activation against independent references: forward against formulas written with the
 * engine's Math functions, `jacobian` against central differences of `forward`, `backward`
 * against both the row-by-Jacobian product and central differences of ⟨dZ, f(A)⟩.
 */
import { describe, expect, it } from 'vitest';
import { type Activation, activations, DeltapropError, elementwiseActivation, leakyRelu, Matrix, Network, Random } from '../src/index.js';
import { expectClose, expectDeltapropError, flat, maxRelativeError, numericJacobian } from './helpers/numeric.js';

/** f applied to one sample through the library's forward. */
function apply(f: Activation, a: Float64Array): Float64Array {
  const out = new Matrix(1, a.length);
  f.forward(out, new Matrix(1, a.length, a.slice()));
  return out.data;
}

/** A batch of sums in [lo, hi) whose entries are all at least `margin` away from 0 (kinks of relu). */
function sums(rows: number, cols: number, seed: number, lo = -3, hi = 3, margin = 0.05): Matrix {
  const random = new Random(seed);
  const m = new Matrix(rows, cols);
  for (let i = 0; i < m.data.length; i++) {
    let v = 0;
    while (Math.abs(v) < margin) v = random.uniform(lo, hi);
    m.data[i] = v;
  }
  return m;
}

const cube = elementwiseActivation(
  'cubePlusX',
  (x) => x * x * x / 3 + x,
  (x) => x * x + 1,
);

/** Reference values of each activation, from the textbook formula with Math functions. */
const cases: Array<{ label: string; f: Activation; reference: (a: number[]) => number[] }> = [
  { label: 'identity', f: activations.identity, reference: (a) => a },
  { label: 'sigmoid', f: activations.sigmoid, reference: (a) => a.map((x) => 1 / (1 + Math.exp(-x))) },
  { label: 'tanh', f: activations.tanh, reference: (a) => a.map(Math.tanh) },
  { label: 'relu', f: activations.relu, reference: (a) => a.map((x) => Math.max(x, 0)) },
  { label: 'leakyRelu (0.01)', f: activations.leakyRelu, reference: (a) => a.map((x) => (x > 0 ? x : 0.01 * x)) },
  { label: 'leakyRelu(0.3)', f: leakyRelu(0.3), reference: (a) => a.map((x) => (x > 0 ? x : 0.3 * x)) },
  { label: 'softplus', f: activations.softplus, reference: (a) => a.map((x) => Math.log(1 + Math.exp(x))) },
  {
    label: 'softmax',
    f: activations.softmax,
    reference: (a) => {
      const e = a.map(Math.exp);
      const s = e.reduce((p, q) => p + q, 0);
      return e.map((v) => v / s);
    },
  },
  { label: 'user elementwiseActivation', f: cube, reference: (a) => a.map((x) => x ** 3 / 3 + x) },
];

describe.each(cases)('$label', ({ f, reference }) => {
  const A = sums(4, 5, 17);

  it('forward matches the formula', () => {
    const Z = new Matrix(A.rows, A.cols);
    f.forward(Z, A);
    for (let i = 0; i < A.rows; i++) {
      expectClose(Z.row(i), reference(Array.from(A.row(i))), 1e-14, 1e-300);
    }
  });

  it('jacobian(a) matches central differences of forward', () => {
    for (let i = 0; i < A.rows; i++) {
      const a = A.row(i).slice();
      const J = f.jacobian(a);
      expect(J.rows).toBe(a.length);
      expect(J.cols).toBe(a.length);
      const numeric = numericJacobian((v) => apply(f, v), a, 1e-6);
      expect(maxRelativeError(J.data, flat(numeric), 1e-7)).toBeLessThan(1e-7);
    }
  });

  it('backward(dZ) equals dZ · jacobian(A) row by row, and central differences of ⟨dZ, f(A)⟩', () => {
    const Z = new Matrix(A.rows, A.cols);
    f.forward(Z, A);
    const dZ = sums(A.rows, A.cols, 99, -2, 2, 0);
    const out = new Matrix(A.rows, A.cols);
    f.backward(out, dZ, A, Z);
    for (let i = 0; i < A.rows; i++) {
      const J = f.jacobian(A.row(i).slice());
      const g = dZ.row(i);
      const product = Array.from({ length: A.cols }, (_, j) => {
        let s = 0;
        for (let p = 0; p < A.cols; p++) s += g[p]! * J.data[p * A.cols + j]!;
        return s;
      });
      expectClose(out.row(i), product, 1e-13, 1e-15);
      // ∂/∂a_j Σ_p dZ_p f_p(a), independently of the Jacobian.
      const a = A.row(i).slice();
      const numeric = numericJacobian((v) => {
        const z = apply(f, v);
        let s = 0;
        for (let p = 0; p < z.length; p++) s += g[p]! * z[p]!;
        return Float64Array.of(s);
      }, a);
      expect(maxRelativeError(out.row(i), numeric[0]!, 1e-7)).toBeLessThan(1e-7);
    }
  });

  it('backward works in place (out === dZ) and leaves its inputs alone', () => {
    const Z = new Matrix(A.rows, A.cols);
    f.forward(Z, A);
    const dZ = sums(A.rows, A.cols, 5, -2, 2, 0);
    const separate = new Matrix(A.rows, A.cols);
    const aBefore = A.data.slice(), zBefore = Z.data.slice(), dzBefore = dZ.data.slice();
    f.backward(separate, dZ, A, Z);
    expect(A.data).toEqual(aBefore);
    expect(Z.data).toEqual(zBefore);
    expect(dZ.data).toEqual(dzBefore);
    f.backward(dZ, dZ, A, Z);
    expect(dZ.data).toEqual(separate.data);
  });

  it('names itself in toJSON', () => {
    const json = f.toJSON();
    expect(typeof json === 'string' ? json : json.name).toBe(f.name);
  });
});

describe('softmax', () => {
  it('has Jacobian rows (and columns) that sum to zero', () => {
    const A = sums(6, 4, 3, -5, 5, 0);
    for (let i = 0; i < A.rows; i++) {
      const J = activations.softmax.jacobian(A.row(i).slice());
      for (let r = 0; r < 4; r++) {
        let row = 0, col = 0;
        for (let c = 0; c < 4; c++) {
          row += J.data[r * 4 + c]!;
          col += J.data[c * 4 + r]!;
        }
        expect(Math.abs(row)).toBeLessThan(1e-16);
        expect(Math.abs(col)).toBeLessThan(1e-16);
      }
    }
  });

  it('is invariant to adding a constant to a row, and its outputs sum to 1', () => {
    const a = Float64Array.of(0.25, -1.25, 2.5); // exact after adding 500
    const s = apply(activations.softmax, a);
    const shifted = apply(activations.softmax, a.map((v) => v + 500));
    expectClose(shifted, s, 1e-14);
    expect(Math.abs(s.reduce((p, q) => p + q, 0) - 1)).toBeLessThan(1e-15);
  });

  it('treats every row of a batch separately', () => {
    const A = Matrix.from([
      [1, 2, 3],
      [0, 0, 0],
    ]);
    const Z = new Matrix(2, 3);
    activations.softmax.forward(Z, A);
    expectClose(Z.row(1), [1 / 3, 1 / 3, 1 / 3], 1e-15);
    expectClose(Z.row(0), apply(activations.softmax, Float64Array.of(1, 2, 3)), 0);
  });
});

describe('numerical stability at |a| = 1000', () => {
  const big = Float64Array.of(1000, -1000, 0, 750, -750);

  it('sigmoid, tanh and softplus give finite limits', () => {
    const s = apply(activations.sigmoid, big);
    expect(Array.from(s).every(Number.isFinite)).toBe(true);
    expect(s[0]).toBe(1);
    expect(s[1]).toBeGreaterThanOrEqual(0);
    expect(s[1]).toBeLessThan(1e-300);
    expect(s[2]).toBe(0.5);
    const t = apply(activations.tanh, big);
    expect(Array.from(t)).toEqual([1, -1, 0, 1, -1]);
    const p = apply(activations.softplus, big);
    expect(Array.from(p).every(Number.isFinite)).toBe(true);
    expect(p[0]).toBe(1000);
    expect(p[1]).toBeGreaterThanOrEqual(0);
    expect(p[1]).toBeLessThan(1e-300);
    expect(Math.abs(p[2]! - Math.LN2)).toBeLessThan(1e-15);
    expect(p[3]).toBe(750);
  });

  it('softmax gives finite probabilities that sum to 1', () => {
    const s = apply(activations.softmax, big);
    expect(Array.from(s).every(Number.isFinite)).toBe(true);
    expect(s[0]).toBe(1);
    expect(s.reduce((p, q) => p + q, 0)).toBe(1);
    const same = apply(activations.softmax, Float64Array.of(1000, 1000));
    expect(Array.from(same)).toEqual([0.5, 0.5]);
    const low = apply(activations.softmax, Float64Array.of(-1000, -1001));
    expectClose(low, [1 / (1 + Math.exp(-1)), 1 / (1 + Math.exp(1))], 1e-14);
  });

  it('jacobians and backward stay finite', () => {
    for (const f of [activations.sigmoid, activations.tanh, activations.softplus, activations.softmax]) {
      const J = f.jacobian(big);
      expect(Array.from(J.data).every(Number.isFinite)).toBe(true);
      const A = new Matrix(1, big.length, big.slice());
      const Z = new Matrix(1, big.length);
      f.forward(Z, A);
      const out = new Matrix(1, big.length);
      f.backward(out, new Matrix(1, big.length, new Float64Array(big.length).fill(1)), A, Z);
      expect(Array.from(out.data).every(Number.isFinite)).toBe(true);
    }
    // softplus' = σ: 1 at +1000, (almost) 0 at −1000.
    const J = activations.softplus.jacobian(big);
    expect(J.get(0, 0)).toBe(1);
    expect(J.get(1, 1)).toBeLessThan(1e-300);
  });
});

describe('kinks', () => {
  it('relu and leakyRelu use the documented derivative at exactly 0 (the negative side)', () => {
    const a = Float64Array.of(0, 2, -2);
    expect(Array.from(activations.relu.jacobian(a).data)).toEqual([0, 0, 0, 0, 1, 0, 0, 0, 0]);
    expect(Array.from(leakyRelu(0.25).jacobian(a).data)).toEqual([0.25, 0, 0, 0, 1, 0, 0, 0, 0.25]);
  });
});

describe('parameters and user activations', () => {
  it('leakyRelu keeps its slope in forward, backward and toJSON', () => {
    const f = leakyRelu(0.2);
    expect(f.toJSON()).toEqual({ name: 'leakyRelu', slope: 0.2 });
    expect(activations.leakyRelu.toJSON()).toEqual({ name: 'leakyRelu', slope: 0.01 });
    expect(Array.from(apply(f, Float64Array.of(-5, 5)))).toEqual([-1, 5]);
    expect(leakyRelu().toJSON()).toEqual({ name: 'leakyRelu', slope: 0.01 });
  });

  it('Network.create takes leakyRelu(slope) objects, but no user object posing under a built-in name', () => {
    const net = Network.create({ input: 1, layers: [{ units: 1, activation: leakyRelu(0.2) }] });
    net.layers[0]!.weights.data[0] = 1;
    expect(Array.from(net.predict([-10]))).toEqual([-2]);
    const impostor: Activation = { ...activations.tanh, name: 'leakyRelu' };
    expectDeltapropError(() => Network.create({ input: 1, layers: [{ units: 1, activation: impostor }] }), 'Network.create', 'built-in name');
  });

  it('rejects a non-finite slope and bad user activations', () => {
    expectDeltapropError(() => leakyRelu(NaN), 'leakyRelu', '"slope"', 'NaN');
    expectDeltapropError(() => leakyRelu(Infinity), 'leakyRelu', '"slope"');
    expectDeltapropError(() => elementwiseActivation('tanh', Math.tanh, (x) => 1 - Math.tanh(x) ** 2), 'elementwiseActivation', '"name"');
    expectDeltapropError(() => elementwiseActivation('', Math.sin, Math.cos), 'elementwiseActivation', '"name"');
    expectDeltapropError(() => elementwiseActivation('s', 3 as unknown as (x: number) => number, Math.cos), '"f"');
    expectDeltapropError(() => elementwiseActivation('s', Math.sin, null as unknown as (x: number) => number), '"derivative"');
  });

  it('a user activation with a wrong derivative is caught by the finite-difference check', () => {
    // The check in this file must be able to fail: f = sin with f' = −cos disagrees with forward.
    const wrong = elementwiseActivation('wrongSine', Math.sin, (x) => -Math.cos(x));
    const a = Float64Array.of(0.5, 1.5);
    const numeric = numericJacobian((v) => apply(wrong, v), a);
    expect(maxRelativeError(wrong.jacobian(a).data, flat(numeric), 1e-7)).toBeGreaterThan(1);
  });

  it('the registry is frozen and holds exactly the documented names', () => {
    expect(Object.keys(activations)).toEqual(['identity', 'sigmoid', 'tanh', 'relu', 'leakyRelu', 'softplus', 'softmax']);
    expect(Object.isFrozen(activations)).toBe(true);
    expect(new DeltapropError('x')).toBeInstanceOf(Error);
  });
});
