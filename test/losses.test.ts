/**
 * Every loss: values by hand on tiny cases, gradients against central differences of the
 * batch-mean value (times k, since the gradient is per sample), no log(0), and the fused
 * last-layer deltas against the general path ∇h(Z) · J(f)(A).
 */
import { describe, expect, it } from 'vitest';
import { activations, type Loss, losses, Matrix, Network, Random } from '../src/index.js';
import { EPSILON, fusedDelta } from '../src/model/losses.js';
import { centralDifference, expectClose, expectDeltapropError, expectNear, maxRelativeError } from './helpers/numeric.js';
import { snapshot } from './helpers/weights.js';

function randomMatrix(rows: number, cols: number, seed: number, lo: number, hi: number): Matrix {
  const random = new Random(seed);
  const m = new Matrix(rows, cols);
  for (let i = 0; i < m.data.length; i++) m.data[i] = random.uniform(lo, hi);
  return m;
}

function gradientOf(loss: Loss, z: Matrix, y: Matrix): Matrix {
  const g = new Matrix(z.rows, z.cols);
  loss.gradient(g, z, y);
  return g;
}

describe('values by hand', () => {
  it('l2 = mean over rows of ½‖z − y‖²', () => {
    // row 0: ½((0.5 − 1)² + (1 − 1)²) = 0.125;  row 1: ½((0 − 1)² + 0²) = 0.5;  mean 0.3125
    const z = Matrix.from([
      [0.5, 1],
      [0, 0],
    ]);
    const y = Matrix.from([
      [1, 1],
      [1, 0],
    ]);
    expect(losses.l2.value(z, y)).toBe(0.3125);
    expect(Array.from(gradientOf(losses.l2, z, y).data)).toEqual([-0.5, 0, -1, 0]);
  });

  it('l1 = mean over rows of ‖z − y‖₁, gradient sign(z − y)', () => {
    // row 0: |0.5 − 1| + |3 − 1| = 2.5;  row 1: |−2 − 0| + |0 − 0| = 2;  mean 2.25
    const z = Matrix.from([
      [0.5, 3],
      [-2, 0],
    ]);
    const y = Matrix.from([
      [1, 1],
      [0, 0],
    ]);
    expect(losses.l1.value(z, y)).toBe(2.25);
    expect(Array.from(gradientOf(losses.l1, z, y).data)).toEqual([-1, 1, -1, 0]);
  });

  it('binary cross-entropy is the seed formula −Σ [y log z + (1 − y) log(1 − z)], averaged over rows', () => {
    // row 0: −log 0.8 − log(1 − 0.25);  row 1: −(0.3 log 0.6 + 0.7 log 0.4) − log(1 − 0.1)
    const z = Matrix.from([
      [0.8, 0.25],
      [0.6, 0.1],
    ]);
    const y = Matrix.from([
      [1, 0],
      [0.3, 0],
    ]);
    const row0 = -Math.log(0.8) - Math.log(0.75);
    const row1 = -(0.3 * Math.log(0.6) + 0.7 * Math.log(0.4)) - Math.log(0.9);
    expectNear(losses.binaryCrossEntropy.value(z, y), (row0 + row1) / 2, 1e-14);
    // ∇h = (z − y) / (z (1 − z)): (−0.2 / 0.16, 0.25 / 0.1875, 0.3 / 0.24, 0.1 / 0.09)
    expectClose(gradientOf(losses.binaryCrossEntropy, z, y).data, [-0.2 / 0.16, 0.25 / 0.1875, 0.3 / 0.24, 0.1 / 0.09], 1e-14);
    expect(losses.crossEntropy).toBe(losses.binaryCrossEntropy);
  });

  it('categorical cross-entropy is −Σ y log z, gradient −y / z', () => {
    const z = Matrix.from([
      [0.7, 0.2, 0.1],
      [0.25, 0.25, 0.5],
    ]);
    const y = Matrix.from([
      [0, 1, 0],
      [0.5, 0, 0.5],
    ]);
    expectNear(losses.categoricalCrossEntropy.value(z, y), (-Math.log(0.2) - 0.5 * Math.log(0.25) - 0.5 * Math.log(0.5)) / 2, 1e-14);
    expectClose(gradientOf(losses.categoricalCrossEntropy, z, y).data, [-0, -5, -0, -2, -0, -1], 1e-15);
  });
});

const lossCases: Array<{ label: string; loss: Loss; z: () => Matrix; y: () => Matrix }> = [
  { label: 'l2', loss: losses.l2, z: () => randomMatrix(3, 4, 1, -2, 2), y: () => randomMatrix(3, 4, 2, -2, 2) },
  // Stay away from the kink z = y: targets in [−2, −1), predictions in [0, 2).
  { label: 'l1', loss: losses.l1, z: () => randomMatrix(3, 4, 3, 0, 2), y: () => randomMatrix(3, 4, 4, -2, -1) },
  { label: 'binaryCrossEntropy', loss: losses.binaryCrossEntropy, z: () => randomMatrix(3, 4, 5, 0.05, 0.95), y: () => randomMatrix(3, 4, 6, 0, 1) },
  {
    label: 'categoricalCrossEntropy',
    loss: losses.categoricalCrossEntropy,
    z: () => randomMatrix(3, 4, 7, 0.05, 0.95),
    y: () => randomMatrix(3, 4, 8, 0, 1),
  },
];

describe.each(lossCases)('$label gradient', ({ loss, z, y }) => {
  it('equals k × central differences of the batch-mean value', () => {
    const Z = z(), Y = y();
    const g = gradientOf(loss, Z, Y);
    const numeric = Array.from(Z.data, (_, i) =>
      Z.rows * centralDifference((data) => loss.value(new Matrix(Z.rows, Z.cols, data), Y), Z.data.slice(), i, 1e-6),
    );
    expect(maxRelativeError(g.data, numeric, 1e-7)).toBeLessThan(1e-7);
  });
});

describe('no log(0)', () => {
  it('cross-entropies give finite values and gradients for predictions of exactly 0 and 1', () => {
    const z = Matrix.from([[0, 1, 0, 1]]);
    const y = Matrix.from([[1, 0, 0, 1]]);
    for (const loss of [losses.binaryCrossEntropy, losses.categoricalCrossEntropy]) {
      const v = loss.value(z, y);
      expect(Number.isFinite(v)).toBe(true);
      const g = gradientOf(loss, z, y);
      expect(Array.from(g.data).every(Number.isFinite)).toBe(true);
    }
    // Completely wrong predictions cost −log(EPSILON) (z = 0, y = 1) or −log(1 − (1 − EPSILON)) (z = 1, y = 0,
    // where 1 − EPSILON is rounded); right ones cost −log(1 − EPSILON) ≈ 0.
    expectNear(losses.binaryCrossEntropy.value(z, y), -Math.log(EPSILON) - Math.log(1 - (1 - EPSILON)), 1e-12);
    expectNear(losses.categoricalCrossEntropy.value(z, y), -Math.log(EPSILON), 1e-9);
    expect(EPSILON).toBe(1e-12);
  });

  it('perfect predictions cost (almost) nothing', () => {
    const z = Matrix.from([[0, 1]]);
    expect(losses.binaryCrossEntropy.value(z, z)).toBeLessThan(1e-11);
    expect(losses.categoricalCrossEntropy.value(z, z)).toBeLessThan(1e-11);
  });
});

describe('target checks', () => {
  it('binary cross-entropy wants targets in [0, 1], categorical non-negative ones', () => {
    expect(losses.binaryCrossEntropy.checkTargets!(Matrix.from([[0, 1, 0.5]]))).toBeUndefined();
    expect(losses.binaryCrossEntropy.checkTargets!(Matrix.from([[0, 1.5]]))).toContain('1.5');
    expect(losses.binaryCrossEntropy.checkTargets!(Matrix.from([[-0.1]]))).toContain('-0.1');
    expect(losses.categoricalCrossEntropy.checkTargets!(Matrix.from([[0, 3]]))).toBeUndefined();
    expect(losses.categoricalCrossEntropy.checkTargets!(Matrix.from([[0, -1]]))).toContain('-1');
    expect('checkTargets' in losses.l2).toBe(false);
  });
});

/** The general path of the last layer: G = ∇h(Z), then δ = G · J(f)(A) through f.backward. */
function generalDelta(loss: Loss, f: typeof activations.softmax, A: Matrix): { z: Matrix; delta: (y: Matrix) => Matrix } {
  const z = new Matrix(A.rows, A.cols);
  f.forward(z, A);
  return {
    z,
    delta: (y) => {
      const out = new Matrix(A.rows, A.cols);
      loss.gradient(out, z, y);
      f.backward(out, out, A, z);
      return out;
    },
  };
}

describe('fused deltas equal the general path', () => {
  it('softmax + categorical CE: (Σ_j y_j)·z − y, also for targets whose rows do not sum to 1', () => {
    const A = randomMatrix(5, 4, 11, -3, 3);
    const fused = fusedDelta(losses.categoricalCrossEntropy, activations.softmax)!;
    expect(fused).toBeTypeOf('function');
    const { z, delta } = generalDelta(losses.categoricalCrossEntropy, activations.softmax, A);
    const oneHotY = Matrix.from([
      [1, 0, 0, 0],
      [0, 1, 0, 0],
      [0, 0, 1, 0],
      [0, 0, 0, 1],
      [0, 1, 0, 0],
    ]);
    const looseY = randomMatrix(5, 4, 12, 0, 2); // rows sum to anything in (0, 8)
    looseY.data[0] = 0; // and a zero target
    for (const y of [oneHotY, looseY]) {
      const out = new Matrix(5, 4);
      fused(out, z, y);
      expectClose(out.data, delta(y).data, 1e-12, 1e-12);
      // and by hand: row i is (Σ_j y_ij) z_i − y_i
      for (let i = 0; i < 5; i++) {
        const total = Array.from(y.row(i)).reduce((p, q) => p + q, 0);
        expectClose(out.row(i), Array.from(z.row(i), (v, j) => total * v - y.get(i, j)), 1e-14, 1e-15);
      }
    }
    // With one-hot rows it is z − y.
    const out = new Matrix(5, 4);
    fused(out, z, oneHotY);
    expectClose(out.data, Array.from(z.data, (v, i) => v - oneHotY.data[i]!), 1e-15, 1e-15);
  });

  it('sigmoid + binary CE: z − y, also for targets strictly inside (0, 1)', () => {
    const A = randomMatrix(4, 3, 13, -4, 4);
    const fused = fusedDelta(losses.binaryCrossEntropy, activations.sigmoid)!;
    expect(fused).toBeTypeOf('function');
    const { z, delta } = generalDelta(losses.binaryCrossEntropy, activations.sigmoid, A);
    for (const y of [randomMatrix(4, 3, 14, 0, 1), Matrix.from([[1, 0, 1], [0, 0, 1], [1, 1, 0], [0, 1, 0]])]) {
      const out = new Matrix(4, 3);
      fused(out, z, y);
      expectClose(out.data, delta(y).data, 1e-12, 1e-12);
      expectClose(out.data, Array.from(z.data, (v, i) => v - y.data[i]!), 1e-15, 1e-15);
    }
  });

  it('exists only for the built-in pairs', () => {
    expect(fusedDelta(losses.crossEntropy, activations.sigmoid)).toBeTypeOf('function');
    expect(fusedDelta(losses.categoricalCrossEntropy, activations.sigmoid)).toBeUndefined();
    expect(fusedDelta(losses.binaryCrossEntropy, activations.softmax)).toBeUndefined();
    expect(fusedDelta(losses.l2, activations.softmax)).toBeUndefined();
    expect(fusedDelta(losses.l2, activations.sigmoid)).toBeUndefined();
    const lookalike = { ...activations.sigmoid };
    expect(fusedDelta(losses.binaryCrossEntropy, lookalike)).toBeUndefined();
  });

  /** A user loss with the same math as `base`: Network.backward cannot fuse it. */
  function unfused(base: Loss): Loss {
    return {
      name: `unfused ${base.name}`,
      value: (z, y) => base.value(z, y),
      gradient: (out, z, y) => base.gradient(out, z, y),
    };
  }

  it.each([
    { label: 'softmax + categoricalCrossEntropy', last: 'softmax' as const, loss: losses.categoricalCrossEntropy, y: [[0.2, 0.5, 0.9], [1, 0, 0], [0, 0.3, 0]] },
    { label: 'sigmoid + binaryCrossEntropy', last: 'sigmoid' as const, loss: losses.binaryCrossEntropy, y: [[0.2, 0.5, 0.9], [1, 0, 0], [0, 0.3, 1]] },
  ])('Network.backward: $label fused equals a custom Loss with the same math', ({ last, loss, y }) => {
    const net = Network.create({
      input: 2,
      layers: [
        { units: 4, activation: 'tanh' },
        { units: 3, activation: last },
      ],
      seed: 3,
    });
    const x = [
      [0.5, -1],
      [1.5, 0.2],
      [-0.7, -0.3],
    ];
    const before = snapshot(net);
    const a = net.backward(net.forward(x), y, loss);
    const b = net.backward(net.forward(x), y, unfused(loss));
    for (let n = 0; n < 2; n++) {
      expectClose(a.deltas[n]!.data, b.deltas[n]!.data, 1e-12, 1e-12);
      expectClose(a.weightGradients[n]!.data, b.weightGradients[n]!.data, 1e-12, 1e-12);
      expectClose(a.biasGradients[n]!, b.biasGradients[n]!, 1e-12, 1e-12);
    }
    expect(snapshot(net)).toEqual(before);
  });
});

describe('resolving losses', () => {
  it('the registry holds exactly the documented names', () => {
    expect(Object.keys(losses)).toEqual(['l2', 'l1', 'binaryCrossEntropy', 'crossEntropy', 'categoricalCrossEntropy']);
    expect(Object.isFrozen(losses)).toBe(true);
  });

  it('Network.backward rejects unknown names and malformed Loss objects', () => {
    const net = Network.create({ input: 1, layers: [{ units: 1 }] });
    const trace = net.forward([[1]]);
    expectDeltapropError(() => net.backward(trace, [[1]], 'mse' as 'l2'), 'Network.backward', '"loss"', '"mse"');
    expectDeltapropError(
      () => net.backward(trace, [[1]], { name: '', value: () => 0, gradient: () => undefined }),
      'Network.backward',
      '"loss.name"',
    );
    expectDeltapropError(() => net.backward(trace, [[2]], 'binaryCrossEntropy'), 'Network.backward', '"y"', '[0, 1]');
  });
});
