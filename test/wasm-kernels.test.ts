/**
 * The WebAssembly kernels return the very bits of the JavaScript ones: every product against its
 * naive reference, every linear kernel against its JavaScript twin (and the activations against
 * model/activations), on odd shapes and on the values where floating point is most particular.
 * Bits are compared with Object.is (it tells −0 from +0; every NaN equals every NaN).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Matrix } from '../src/core/matrix.js';
import { Random } from '../src/core/random.js';
import { activations, leakyRelu } from '../src/model/activations.js';
import { type Arena, createArena, getBackend } from '../src/kernels/index.js';
import * as js from '../src/kernels/js.js';

expect(getBackend()).toBe('wasm'); // Node 20 has WebAssembly SIMD: every test below runs the wasm kernels

// ---------------------------------------------------------------------------------------------
// Helpers

const arenas: Arena[] = [];
afterEach(() => {
  for (const a of arenas.splice(0)) {
    expect(a.fallbacks).toBe(0); // every call in these tests ran in wasm
    a.dispose();
  }
});

function arena(slots: number): Arena {
  const a = createArena(slots, 'wasm');
  arenas.push(a);
  return a;
}

/** Values from `pick`, seeded. */
function values(rng: Random, n: number, pick: (rng: Random) => number = (r) => r.uniform(-1, 1)): Float64Array {
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = pick(rng);
  return v;
}

/** Awkward values: huge, tiny, subnormal, signed zeros, and ordinary ones, in random order. */
const SPECIAL = [0, -0, 5e-324, -5e-324, 2.2250738585072014e-308, 1e-300, -1e-300, 1e300, -1e300, 1.7976931348623157e308, 1, -1, 0.1, 3];
const special = (rng: Random): number => (rng.uniform(0, 1) < 0.5 ? SPECIAL[Math.floor(rng.uniform(0, SPECIAL.length))]! : rng.uniform(-2, 2));

function copyIn(ar: Arena, v: Float64Array): Float64Array {
  const out = ar.take(v.length);
  out.set(v);
  return out;
}

function matrixIn(ar: Arena, rows: number, cols: number, v: Float64Array): Matrix {
  return new Matrix(rows, cols, copyIn(ar, v));
}

/** An arena matrix full of NaN, so that an element the kernel forgets to write shows up. */
function dirtyIn(ar: Arena, rows: number, cols: number): Matrix {
  const m = ar.takeMatrix(rows, cols);
  m.data.fill(Number.NaN);
  return m;
}

function expectSameBits(actual: Float64Array, expected: Float64Array, what = ''): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) expect.fail(`${what} element ${i}: wasm ${actual[i]} vs js ${expected[i]}`);
  }
}

// ---------------------------------------------------------------------------------------------
// The three products

/** [m, k, n]: out is m × n, the inner dimension is k. */
type Shape = [number, number, number];
const edges = [1, 3, 4, 5, 8, 9];
const SHAPES: Shape[] = [
  [1, 1, 1],
  [1, 7, 1],
  [1, 5, 13],
  [13, 5, 1],
  [7, 13, 11], // primes
  [11, 7, 13],
  ...edges.flatMap((m) => edges.map((n): Shape => [m, 3, n])), // around the 4 × 4 tile
  [32, 784, 128], // the training workload
  [32, 128, 10],
  [32, 10, 128],
  [10, 32, 128],
  [128, 32, 784],
  [9, 600, 531], // more steps (256) and columns (128) than one packed block
  [5, 257, 129],
  [3, 1100, 5],
  [4, 0, 6], // k = 0: out is the bias (scaled), or zeros
  [0, 0, 0],
  [0, 5, 7],
  [7, 5, 0],
  [3, 0, 0],
];
const name = ([m, k, n]: Shape): string => `m=${m} k=${k} n=${n}`;

function checkProducts(shape: Shape, pick?: (rng: Random) => number): void {
  const [m, k, n] = shape;
  const rng = new Random(7000 + m * 31 + k * 7 + n);
  const ar = arena(m * k + n * k + k * n + k * m + n + 2 * m * n + 16);
  const a = matrixIn(ar, m, k, values(rng, m * k, pick));
  const bT = matrixIn(ar, n, k, values(rng, n * k, pick));
  const b = matrixIn(ar, k, n, values(rng, k * n, pick));
  const aT = matrixIn(ar, k, m, values(rng, k * m, pick));
  const bias = copyIn(ar, values(rng, n, pick));
  const fast = dirtyIn(ar, m, n);
  const naive = new Matrix(m, n);
  for (const withBias of [false, true]) {
    const bs = withBias ? bias : undefined;
    ar.kernels.matmulNT(fast, a, bT, bs);
    js.matmulNTNaive(naive, a, bT, bs);
    expectSameBits(fast.data, naive.data, `NT${withBias ? ' + bias' : ''}`);
  }
  fast.data.fill(Number.NaN);
  ar.kernels.matmulNN(fast, a, b);
  js.matmulNNNaive(naive, a, b);
  expectSameBits(fast.data, naive.data, 'NN');
  for (const scale of [1, 1 / 32, -3, 0.1]) {
    fast.data.fill(Number.NaN);
    ar.kernels.matmulTN(fast, aT, b, scale);
    js.matmulTNNaive(naive, aT, b, scale);
    expectSameBits(fast.data, naive.data, `TN scale ${scale}`);
  }
}

describe('wasm products equal the naive references bit for bit', () => {
  for (const shape of SHAPES) it(name(shape), () => checkProducts(shape));
});

describe('wasm products on sparse operands (all-zero panels are skipped, with the same bits)', () => {
  /**
   * k × n with whole 4-column panels of ±0: every third panel zero on all rows, the next one zero on
   * the first half of the rows only (so one block of steps skips it and another does not), the rest dense.
   */
  function sparse(rng: Random, k: number, n: number): Float64Array {
    const v = new Float64Array(k * n);
    for (let p = 0; p < k; p++) {
      for (let j = 0; j < n; j++) {
        const panel = (j >> 2) % 3;
        const zero = panel === 0 || (panel === 1 && p < k / 2) || rng.uniform(0, 1) < 0.3;
        v[p * n + j] = zero ? ((p + j) & 1 ? -0 : 0) : rng.uniform(-2, 2);
      }
    }
    return v;
  }

  // [m, k, n]: the digits' first-layer gradient, ragged edges, more steps than one block (256)
  const shapes: Shape[] = [[128, 32, 784], [13, 300, 37], [5, 257, 129], [32, 10, 128], [9, 600, 531], [4, 1, 4]];
  for (const [m, k, n] of shapes) {
    it(`${name([m, k, n])}: TN and NN with a finite operand, and with an Infinity or a NaN in it`, () => {
      const rng = new Random(9000 + m + k + n);
      const ar = arena(k * n + 3 * (2 * k * m + m * n) + 16);
      const b = matrixIn(ar, k, n, sparse(rng, k, n));
      for (const poison of [undefined, Number.POSITIVE_INFINITY, Number.NaN]) {
        const aT = matrixIn(ar, k, m, values(rng, k * m));
        const a = matrixIn(ar, m, k, values(rng, m * k));
        if (poison !== undefined) {
          // in the last block of steps, in a row panel of its own: a skip must not hide it
          aT.data[(k - 1) * m + (m - 1)] = poison;
          a.data[(m - 1) * k + (k - 1)] = poison;
        }
        const fast = dirtyIn(ar, m, n), naive = new Matrix(m, n);
        for (const scale of [1, 1 / 32, -3]) {
          fast.data.fill(Number.NaN);
          ar.kernels.matmulTN(fast, aT, b, scale);
          js.matmulTNNaive(naive, aT, b, scale);
          expectSameBits(fast.data, naive.data, `TN scale ${scale}, poison ${poison}`);
        }
        fast.data.fill(Number.NaN);
        ar.kernels.matmulNN(fast, a, b);
        js.matmulNNNaive(naive, a, b);
        expectSameBits(fast.data, naive.data, `NN, poison ${poison}`);
        if (poison !== undefined) expect(naive.data.some((x) => Number.isNaN(x))).toBe(true); // the case is real
      }
      expect(ar.fallbacks).toBe(0);
    });
  }
});

describe('wasm forward products on sparse inputs (all-zero steps are left out, with the same bits)', () => {
  /** m × k inputs whose columns (steps) are often ±0 on every row: `zeroRate` of them, plus scattered zeros. */
  function sparseRows(rng: Random, m: number, k: number, zeroRate: number): Float64Array {
    const v = new Float64Array(m * k);
    const blank = Array.from({ length: k }, () => rng.uniform(0, 1) < zeroRate);
    for (let i = 0; i < m; i++) {
      for (let p = 0; p < k; p++) {
        const zero = blank[p]! || rng.uniform(0, 1) < 0.3;
        v[i * k + p] = zero ? ((i + p) & 1 ? -0 : 0) : rng.uniform(-2, 2);
      }
    }
    return v;
  }

  // [m, k, n]: the digits' first layer, ragged edges, several blocks of steps (256), a single step
  const shapes: Shape[] = [[32, 784, 128], [13, 300, 37], [5, 257, 129], [9, 600, 21], [4, 1, 4], [7, 9, 5]];
  for (const [m, k, n] of shapes) {
    it(`${name([m, k, n])}: NT with and without a bias (−0 entries included), dense and sparse, finite and not`, () => {
      const rng = new Random(9500 + m + k + n);
      const ar = arena(6 * (m * k + n * k + n + m * n) + 16);
      for (const zeroRate of [0.7, 0.1]) { // below and above the density where steps get listed
        for (const poison of [undefined, Number.POSITIVE_INFINITY, Number.NaN]) {
          const a = matrixIn(ar, m, k, sparseRows(rng, m, k, zeroRate));
          const w = matrixIn(ar, n, k, values(rng, n * k));
          // a bias of −0 on every column of the first panel and on a few others
          const bias = copyIn(ar, values(rng, n, (r) => (r.uniform(0, 1) < 0.4 ? -0 : r.uniform(-1, 1))));
          for (let j = 0; j < Math.min(4, n); j++) bias[j] = -0;
          if (poison !== undefined) {
            // a non-finite weight on a step where the first rows' inputs are all zero: leaving it out would hide a NaN
            const p = k - 1;
            for (let i = 0; i < Math.min(4, m); i++) a.data[i * k + p] = 0;
            w.data[(n - 1) * k + p] = poison;
          }
          const fast = dirtyIn(ar, m, n), naive = new Matrix(m, n);
          for (const bs of [undefined, bias]) {
            ar.kernels.matmulNT(fast, a, w, bs);
            js.matmulNTNaive(naive, a, w, bs);
            expectSameBits(fast.data, naive.data, `NT${bs ? ' + bias' : ''}, zero rate ${zeroRate}, poison ${poison}`);
          }
          if (poison !== undefined) expect(naive.data.some((x) => Number.isNaN(x))).toBe(true); // the case is real
        }
      }
      expect(ar.fallbacks).toBe(0);
    });
  }

  it('a row panel of zero inputs keeps the sums that start at −0 exactly as the naive sum leaves them', () => {
    const ar = arena(256);
    // 4 rows × 3 steps of zeros (+0): every product with a positive weight is +0, and −0 + +0 is +0
    const a = matrixIn(ar, 4, 3, new Float64Array(12));
    const w = matrixIn(ar, 4, 3, new Float64Array([1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3]));
    const bias = copyIn(ar, new Float64Array([-0, -0, 1, -0]));
    const fast = dirtyIn(ar, 4, 4), naive = new Matrix(4, 4);
    ar.kernels.matmulNT(fast, a, w, bias);
    js.matmulNTNaive(naive, a, w, bias);
    expectSameBits(fast.data, naive.data, 'NT');
    expect(Object.is(naive.data[0], 0)).toBe(true);
  });
});

describe('wasm products on huge, tiny, subnormal and signed-zero values', () => {
  for (const shape of [[7, 13, 11], [5, 300, 9], [4, 3, 4], [1, 1, 1], [9, 2, 6]] as Shape[]) {
    it(name(shape), () => checkProducts(shape, special));
  }

  it('sums start from +0 (a sum of −0 products is +0) and k = 0 keeps a −0 bias or gives scale · +0', () => {
    const ar = arena(64);
    const a = matrixIn(ar, 1, 2, new Float64Array([-0, 1]));
    const b = matrixIn(ar, 1, 2, new Float64Array([1, -0])); // products −0 and −0
    const out = dirtyIn(ar, 1, 1);
    ar.kernels.matmulNT(out, a, b);
    expect(Object.is(out.data[0], 0)).toBe(true); // 0 + (−0) + (−0) = +0
    ar.kernels.matmulNT(out, a, b, copyIn(ar, new Float64Array([-0])));
    expect(Object.is(out.data[0], -0)).toBe(true); // −0 + (−0) + (−0) = −0
    const empty = ar.takeMatrix(0, 1);
    ar.kernels.matmulTN(out, empty, empty, -3);
    expect(Object.is(out.data[0], -0)).toBe(true); // −3 · (+0)
  });

  it('propagate NaN and ±Infinity exactly where the references do (the zero padding never leaks in)', () => {
    const [m, k, n] = [7, 9, 5];
    const rng = new Random(6);
    const A = values(rng, m * k), Bt = values(rng, n * k);
    A[2 * k + 3] = Number.NaN; // row 2
    A[6 * k + 1] = Number.POSITIVE_INFINITY; // row 6, in the ragged last row panel
    Bt[4 * k + 8] = Number.NEGATIVE_INFINITY; // column 4, the ragged last column panel
    const ar = arena(4 * (m * k + n * k + m * n));
    const a = matrixIn(ar, m, k, A), bT = matrixIn(ar, n, k, Bt);
    const fast = dirtyIn(ar, m, n), naive = new Matrix(m, n);
    ar.kernels.matmulNT(fast, a, bT);
    js.matmulNTNaive(naive, a, bT);
    expectSameBits(fast.data, naive.data);
    expect(naive.data.some(Number.isNaN)).toBe(true);
    expect(naive.data.some((v) => v === Number.NEGATIVE_INFINITY || v === Number.POSITIVE_INFINITY)).toBe(true);
    const b = ar.takeMatrix(k, n), aT = ar.takeMatrix(k, m);
    for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) b.data[p * n + j] = Bt[j * k + p]!;
    for (let p = 0; p < k; p++) for (let i = 0; i < m; i++) aT.data[p * m + i] = A[i * k + p]!;
    ar.kernels.matmulNN(fast, a, b);
    js.matmulNNNaive(naive, a, b);
    expectSameBits(fast.data, naive.data);
    ar.kernels.matmulTN(fast, aT, b, 0.5);
    js.matmulTNNaive(naive, aT, b, 0.5);
    expectSameBits(fast.data, naive.data);
  });
});

describe('wasm products: state and memory', () => {
  it('give the same bits whatever ran before (the scratch area does not leak into results)', () => {
    const rng = new Random(5);
    const ar = arena(200_000);
    const a = matrixIn(ar, 9, 21, values(rng, 9 * 21)), b = matrixIn(ar, 7, 21, values(rng, 7 * 21));
    const bias = copyIn(ar, values(rng, 7));
    const first = dirtyIn(ar, 9, 7), again = dirtyIn(ar, 9, 7);
    ar.kernels.matmulNT(first, a, b, bias);
    const big = matrixIn(ar, 33, 700, values(rng, 33 * 700)), bigB = matrixIn(ar, 99, 700, values(rng, 99 * 700));
    ar.kernels.matmulNT(ar.takeMatrix(33, 99), big, bigB);
    ar.kernels.matmulNT(again, a, b, bias);
    expectSameBits(again.data, first.data);
  });

  it('two arenas are independent instances', () => {
    const rng = new Random(8);
    const A = values(rng, 6 * 5), B = values(rng, 3 * 5);
    const x = arena(100), y = arena(100);
    const ox = x.takeMatrix(6, 3), oy = y.takeMatrix(6, 3);
    x.kernels.matmulNT(ox, matrixIn(x, 6, 5, A), matrixIn(x, 3, 5, B));
    y.kernels.matmulNT(oy, matrixIn(y, 6, 5, A), matrixIn(y, 3, 5, B));
    expectSameBits(ox.data, oy.data);
    expect(x.contains(ox.data)).toBe(true);
    expect(x.contains(oy.data)).toBe(false);
  });

  it('an operand outside the arena runs the JavaScript kernel (same bits) and is counted', () => {
    const rng = new Random(9);
    const ar = createArena(100, 'wasm');
    const a = new Matrix(4, 5, values(rng, 20)); // not in the arena
    const b = matrixIn(ar, 3, 5, values(rng, 15));
    const out = ar.takeMatrix(4, 3), naive = new Matrix(4, 3);
    ar.kernels.matmulNT(out, a, b);
    js.matmulNTNaive(naive, a, b);
    expectSameBits(out.data, naive.data);
    expect(ar.fallbacks).toBe(1);
    ar.kernels.matmulNT(out, matrixIn(ar, 4, 5, a.data), b);
    expect(ar.fallbacks).toBe(1);
  });
});

// ---------------------------------------------------------------------------------------------
// Linear kernels

describe('wasm columnSums, gatherRows', () => {
  it('columnSums equals the JavaScript kernel on odd shapes and scales', () => {
    const rng = new Random(10);
    for (const [m, n] of [[0, 3], [1, 1], [5, 1], [3, 2], [7, 9], [32, 128], [13, 10]] as [number, number][]) {
      const ar = arena(m * n + 2 * n);
      const a = matrixIn(ar, m, n, values(rng, m * n, special));
      const out = ar.take(n), ref = new Float64Array(n);
      for (const scale of [1, 0.5, -1 / 3, 1 / 32]) {
        out.fill(Number.NaN);
        ar.kernels.columnSums(out, a, scale);
        js.columnSums(ref, a, scale);
        expectSameBits(out, ref, `${m}×${n} scale ${scale}`);
      }
    }
  });

  it('gatherRows copies the rows the order names, as the JavaScript kernel does', () => {
    const rng = new Random(11);
    const [rows, n, batch] = [20, 7, 6];
    const ar = arena(rows * n + batch * n + rows);
    const src = matrixIn(ar, rows, n, values(rng, rows * n, special));
    const order = ar.takeIndices(rows);
    for (let i = 0; i < rows; i++) order[i] = (i * 7 + 3) % rows;
    const out = dirtyIn(ar, batch, n), ref = new Matrix(batch, n);
    for (const start of [0, 5, rows - batch]) {
      ar.kernels.gatherRows(out, src, order, start);
      js.gatherRows(ref, src, order, start);
      expectSameBits(out.data, ref.data, `start ${start}`);
    }
    // from training data outside the arena into a batch inside: copied in JavaScript, not a fallback
    const outside = new Matrix(rows, n, src.data.slice());
    const plainOrder = order.slice();
    out.data.fill(Number.NaN);
    ar.kernels.gatherRows(out, outside, plainOrder, 2);
    js.gatherRows(ref, src, order, 2);
    expectSameBits(out.data, ref.data, 'from outside');
    expect(ar.fallbacks).toBe(0);
  });
});

describe('wasm SGD update', () => {
  /** Weights and gradients with signed zeros, huge and tiny values; a gradient of zero on some. */
  function operands(rng: Random, n: number): [Float64Array, Float64Array] {
    const w = values(rng, n, special);
    const g = values(rng, n, (r) => (r.uniform(0, 1) < 0.2 ? 0 : special(r)));
    return [w, g];
  }

  for (const n of [0, 1, 2, 7, 128, 1001]) {
    it(`length ${n}: sgdUpdate and sgdUpdateNoDecay equal the JavaScript kernels, with and without backup`, () => {
      const rng = new Random(12 + n);
      const ar = arena(6 * 4 * n + 8); // six rounds of four arrays
      for (const [lr, wd] of [[0.1, 0], [0.5, 1e-4], [1e-3, 0.3]] as const) {
        for (const withBackup of [false, true]) {
          const [w, g] = operands(rng, n);
          const wasmW = copyIn(ar, w), wasmG = copyIn(ar, g), wasmB = ar.take(n);
          const jsW = w.slice(), jsB = new Float64Array(n);
          const okWasm = ar.kernels.sgdUpdate(wasmW, wasmG, lr, wd, withBackup ? wasmB : undefined);
          const okJs = js.sgdUpdate(jsW, g, lr, wd, withBackup ? jsB : undefined);
          expect(okWasm).toBe(okJs);
          expectSameBits(wasmW, jsW, 'values');
          if (withBackup) expectSameBits(wasmB, w, 'backup');
          const wasmV = copyIn(ar, w), jsV = w.slice();
          expect(ar.kernels.sgdUpdateNoDecay(wasmV, wasmG, lr)).toBe(js.sgdUpdateNoDecay(jsV, g, lr));
          expectSameBits(wasmV, jsV, 'no decay');
        }
      }
    });
  }

  it('reports a non-finite new value (overflow, Infinity or NaN in a gradient), at any position', () => {
    const ar = arena(256);
    for (const bad of [Number.POSITIVE_INFINITY, Number.NaN, 1e308]) {
      for (const at of [0, 3, 4]) { // a pair, and the odd last element of 5
        const w = copyIn(ar, new Float64Array([1, -2, 3, 0.5, -0])), g = copyIn(ar, new Float64Array(5));
        g[at] = bad;
        const lr = bad === 1e308 ? -1e10 : 0.1; // w − (−1e10 · 1e308) overflows
        expect(ar.kernels.sgdUpdate(w, g, lr, 0)).toBe(false);
        const v = copyIn(ar, new Float64Array([1, -2, 3, 0.5, -0]));
        expect(ar.kernels.sgdUpdateNoDecay(v, g, lr)).toBe(false);
      }
    }
    const w = copyIn(ar, new Float64Array([1, 2, 3])), g = copyIn(ar, new Float64Array([1, 1, 1]));
    expect(ar.kernels.sgdUpdate(w, g, 0.1, 0.01)).toBe(true);
  });

  it('the bias form is not the weight form with decay 0: −0 − 0·(−0) is +0', () => {
    const ar = arena(8);
    const w = copyIn(ar, new Float64Array([-0])), g = copyIn(ar, new Float64Array([0]));
    ar.kernels.sgdUpdate(w, g, 0.1, 0);
    expect(Object.is(w[0], 0)).toBe(true);
    const b = copyIn(ar, new Float64Array([-0]));
    ar.kernels.sgdUpdateNoDecay(b, g, 0.1);
    expect(Object.is(b[0], -0)).toBe(true);
  });
});

describe('wasm Adam step', () => {
  /** The loop optim/adam.ts ran inline before it moved to the kernels, verbatim: the reference. */
  function reference(
    W: Float64Array, G: Float64Array, M: Float64Array, V: Float64Array, oldW: Float64Array, oldM: Float64Array, oldV: Float64Array,
    b1: number, b2: number, stepSize: number, c2Root: number, eps: number, decay: number,
  ): boolean {
    const oneMinusB1 = 1 - b1, oneMinusB2 = 1 - b2;
    let s = 0;
    for (let i = 0; i < W.length; i++) {
      const w = W[i]!, g = G[i]!;
      oldW[i] = w;
      oldM[i] = M[i]!;
      oldV[i] = V[i]!;
      const m = M[i]! * b1 + oneMinusB1 * g;
      const v = V[i]! * b2 + oneMinusB2 * (g * g);
      M[i] = m;
      V[i] = v;
      const update = stepSize * (m / (Math.sqrt(v) / c2Root + eps));
      const next = decay === 0 ? w - update : w - update - decay * w;
      W[i] = next;
      s += next * 0 + v * 0;
    }
    return s === 0;
  }

  // [β₁, β₂, ε, α, decay]: the defaults, adamw's decay, β = 0, a large ε, a −0 decay (the no-decay branch)
  const SETTINGS = [[0.9, 0.999, 1e-8, 1e-3, 0], [0.9, 0.999, 1e-8, 0.01, 1e-3], [0, 0, 1e-8, 0.1, 0], [0.5, 0.25, 0.3, 2, 0.2], [0.9, 0.99, 1e-7, 0.05, -0]] as const;

  for (const n of [0, 1, 2, 7, 128, 1001]) {
    it(`length ${n}: adamUpdate equals the JavaScript kernel and the former inline loop, over successive steps`, () => {
      const rng = new Random(40 + n);
      const ar = arena(7 * n * SETTINGS.length + 8);
      for (const [b1, b2, eps, lr, decay] of SETTINGS) {
        const w0 = values(rng, n, special);
        const [W, G, M, V, oW, oM, oV] = [w0, new Float64Array(n), new Float64Array(n), new Float64Array(n), new Float64Array(n), new Float64Array(n), new Float64Array(n)].map((a) => copyIn(ar, a)) as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
        const jW = w0.slice(), jG = new Float64Array(n), jM = new Float64Array(n), jV = new Float64Array(n), jOW = new Float64Array(n), jOM = new Float64Array(n), jOV = new Float64Array(n);
        const rW = w0.slice(), rM = new Float64Array(n), rV = new Float64Array(n), rOW = new Float64Array(n), rOM = new Float64Array(n), rOV = new Float64Array(n);
        let p1 = 1, p2 = 1;
        for (let t = 1; t <= 4; t++) {
          const g = values(rng, n, (r) => (r.uniform(0, 1) < 0.15 ? 0 : r.uniform(0, 1) < 0.3 ? special(r) : r.uniform(-2, 2)));
          G.set(g);
          jG.set(g);
          p1 *= b1;
          p2 *= b2;
          const stepSize = lr / (1 - p1), c2Root = Math.sqrt(1 - p2);
          const okWasm = ar.kernels.adamUpdate(W, G, M, V, oW, oM, oV, b1, b2, 1 - b1, 1 - b2, stepSize, c2Root, eps, decay);
          const okJs = js.adamUpdate(jW, jG, jM, jV, jOW, jOM, jOV, b1, b2, 1 - b1, 1 - b2, stepSize, c2Root, eps, decay);
          const okRef = reference(rW, g, rM, rV, rOW, rOM, rOV, b1, b2, stepSize, c2Root, eps, decay);
          expect(okWasm).toBe(okJs);
          expect(okJs).toBe(okRef);
          for (const [a, b, c, what] of [[W, jW, rW, 'w'], [M, jM, rM, 'm'], [V, jV, rV, 'v'], [oW, jOW, rOW, 'old w'], [oM, jOM, rOM, 'old m'], [oV, jOV, rOV, 'old v']] as const) {
            expectSameBits(a, b, `${what}, step ${t}, β₁ ${b1}, decay ${decay}`);
            expectSameBits(b, c, `${what} (js vs the inline loop), step ${t}`);
          }
        }
      }
    });
  }

  it('reports a non-finite new value or v (Infinity, NaN, overflow of g·g), at any position, and saves the old state first', () => {
    const ar = arena(512);
    for (const bad of [Number.POSITIVE_INFINITY, Number.NaN, 1e200]) {
      for (const at of [0, 3, 4]) { // a pair, and the odd last element of 5
        const w0 = new Float64Array([1, -2, 3, 0.5, -0]), m0 = new Float64Array([0.1, 0, -0.2, 0, 0.3]), v0 = new Float64Array([0.01, 0, 0.04, 0, 0.09]);
        const W = copyIn(ar, w0), M = copyIn(ar, m0), V = copyIn(ar, v0), G = copyIn(ar, new Float64Array(5));
        const oW = ar.take(5), oM = ar.take(5), oV = ar.take(5);
        G[at] = bad; // 1e200² overflows v
        expect(ar.kernels.adamUpdate(W, G, M, V, oW, oM, oV, 0.9, 0.999, 0.1, 0.001, 0.01, Math.sqrt(0.001), 1e-8, 0)).toBe(false);
        expectSameBits(oW, w0, 'old w');
        expectSameBits(oM, m0, 'old m');
        expectSameBits(oV, v0, 'old v');
      }
    }
    const W = copyIn(ar, new Float64Array([1, 2, 3])), G = copyIn(ar, new Float64Array([1, -1, 1e-300]));
    const z = (): Float64Array => ar.take(3);
    expect(ar.kernels.adamUpdate(W, G, z(), z(), z(), z(), z(), 0.9, 0.999, 0.1, 0.001, 0.01, Math.sqrt(0.001), 1e-8, 0.01)).toBe(true);
  });
});

describe('wasm SGD-with-momentum step', () => {
  /** The loop optim/sgd.ts ran inline before it moved to the kernels, verbatim: the reference. */
  function reference(W: Float64Array, G: Float64Array, V: Float64Array, old: Float64Array, oldV: Float64Array,
    lr: number, mu: number, nesterov: boolean, first: boolean, decay: number): boolean {
    let s = 0;
    for (let i = 0; i < W.length; i++) {
      const w = W[i]!, g = G[i]!;
      old[i] = w;
      oldV[i] = V[i]!;
      const v = first ? g : mu * V[i]! + g;
      V[i] = v;
      const u = nesterov ? g + mu * v : v;
      const next = decay === 0 ? w - lr * u : w - lr * u - decay * w;
      W[i] = next;
      s += next * 0 + v * 0;
    }
    return s === 0;
  }

  // [μ, Nesterov, α, decay]: the common setting, Nesterov with decay, a −0 decay (the no-decay branch), a large step
  const SETTINGS = [[0.9, false, 0.1, 0], [0.9, true, 0.01, 1e-3], [0.5, false, 2, -0], [0.99, true, 0.3, 0.2]] as const;

  for (const n of [0, 1, 2, 7, 128, 1001]) {
    it(`length ${n}: momentumUpdate equals the JavaScript kernel and the former inline loop, over successive steps`, () => {
      const rng = new Random(60 + n);
      const ar = arena(5 * n * SETTINGS.length + 8);
      for (const [mu, nesterov, lr, decay] of SETTINGS) {
        const w0 = values(rng, n, special), v0 = values(rng, n, special);
        const [W, G, V, oW, oV] = [w0, new Float64Array(n), v0, new Float64Array(n), new Float64Array(n)].map((a) => copyIn(ar, a)) as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
        const jW = w0.slice(), jG = new Float64Array(n), jV = v0.slice(), jOW = new Float64Array(n), jOV = new Float64Array(n);
        const rW = w0.slice(), rV = v0.slice(), rOW = new Float64Array(n), rOV = new Float64Array(n);
        for (let t = 1; t <= 4; t++) {
          const g = values(rng, n, (r) => (r.uniform(0, 1) < 0.15 ? 0 : r.uniform(0, 1) < 0.3 ? special(r) : r.uniform(-2, 2)));
          G.set(g);
          jG.set(g);
          const first = t === 1;
          const okWasm = ar.kernels.momentumUpdate(W, G, V, oW, oV, lr, mu, nesterov, first, decay);
          const okJs = js.momentumUpdate(jW, jG, jV, jOW, jOV, lr, mu, nesterov, first, decay);
          const okRef = reference(rW, g, rV, rOW, rOV, lr, mu, nesterov, first, decay);
          expect(okWasm).toBe(okJs);
          expect(okJs).toBe(okRef);
          for (const [a, b, c, what] of [[W, jW, rW, 'w'], [V, jV, rV, 'velocity'], [oW, jOW, rOW, 'old w'], [oV, jOV, rOV, 'old velocity']] as const) {
            expectSameBits(a, b, `${what}, step ${t}, μ ${mu}, Nesterov ${nesterov}, decay ${decay}`);
            expectSameBits(b, c, `${what} (js vs the inline loop), step ${t}`);
          }
        }
      }
      expect(ar.fallbacks).toBe(0);
    });
  }

  it('reports a non-finite new value or velocity, at any position, and saves the old state first', () => {
    const ar = arena(512);
    for (const bad of [Number.POSITIVE_INFINITY, Number.NaN, 1e308]) {
      for (const at of [0, 3, 4]) { // a pair, and the odd last element of 5
        for (const first of [true, false]) {
          const w0 = new Float64Array([1, -2, 3, 0.5, -0]), v0 = new Float64Array([0.1, 0, -0.2, 0, 0.3]);
          const W = copyIn(ar, w0), V = copyIn(ar, v0), G = copyIn(ar, new Float64Array(5));
          const oW = ar.take(5), oV = ar.take(5);
          G[at] = bad;
          const lr = bad === 1e308 ? -10 : 0.1; // w − (−10 · 1e308) overflows
          expect(ar.kernels.momentumUpdate(W, G, V, oW, oV, lr, 0.9, false, first, 0)).toBe(false);
          expectSameBits(oW, w0, 'old w');
          expectSameBits(oV, v0, 'old velocity');
        }
      }
    }
    const W = copyIn(ar, new Float64Array([1, 2, 3])), G = copyIn(ar, new Float64Array([1, -1, 1e-300]));
    expect(ar.kernels.momentumUpdate(W, G, ar.take(3), ar.take(3), ar.take(3), 0.1, 0.9, true, false, 0.01)).toBe(true);
  });
});

describe('wasm RMSprop step', () => {
  /** The loop optim/rmsprop.ts ran inline before it moved to the kernels, verbatim: the reference. */
  function reference(W: Float64Array, G: Float64Array, S: Float64Array, B: Float64Array, oldW: Float64Array, oldS: Float64Array, oldB: Float64Array,
    learningRate: number, rho: number, eps: number, mu: number, decay: number): boolean {
    const oneMinusRho = 1 - rho;
    let s = 0;
    for (let i = 0; i < W.length; i++) {
      const w = W[i]!, g = G[i]!;
      oldW[i] = w;
      oldS[i] = S[i]!;
      const sq = S[i]! * rho + oneMinusRho * (g * g);
      S[i] = sq;
      const avg = Math.sqrt(sq) + eps;
      let update: number;
      if (mu > 0) {
        oldB[i] = B[i]!;
        const b = B[i]! * mu + g / avg;
        B[i] = b;
        update = learningRate * b;
      } else {
        update = learningRate * (g / avg);
      }
      const next = decay === 0 ? w - update : w - update - decay * w;
      W[i] = next;
      s += next * 0 + sq * 0;
    }
    return s === 0;
  }

  // [ρ, ε, μ, α, decay]: the defaults, momentum with decay, ρ = 0 with a large ε and a −0 decay, no momentum with decay
  const SETTINGS = [[0.99, 1e-8, 0, 0.01, 0], [0.9, 1e-8, 0.9, 0.01, 1e-3], [0, 0.3, 0.5, 2, -0], [0.5, 1e-7, 0, 0.05, 0.2]] as const;

  for (const n of [0, 1, 2, 7, 128, 1001]) {
    it(`length ${n}: rmspropUpdate equals the JavaScript kernel and the former inline loop, over successive steps`, () => {
      const rng = new Random(80 + n);
      const ar = arena(7 * n * SETTINGS.length + 8);
      for (const [rho, eps, mu, lr, decay] of SETTINGS) {
        const w0 = values(rng, n, special);
        // without momentum the buffers are empty, as the optimizer makes them
        const nb = mu > 0 ? n : 0;
        const [W, G, S, oW, oS] = [w0, new Float64Array(n), new Float64Array(n), new Float64Array(n), new Float64Array(n)].map((a) => copyIn(ar, a)) as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
        const B = ar.take(nb), oB = ar.take(nb);
        const jW = w0.slice(), jG = new Float64Array(n), jS = new Float64Array(n), jB = new Float64Array(nb), jOW = new Float64Array(n), jOS = new Float64Array(n), jOB = new Float64Array(nb);
        const rW = w0.slice(), rS = new Float64Array(n), rB = new Float64Array(nb), rOW = new Float64Array(n), rOS = new Float64Array(n), rOB = new Float64Array(nb);
        for (let t = 1; t <= 4; t++) {
          const g = values(rng, n, (r) => (r.uniform(0, 1) < 0.15 ? 0 : r.uniform(0, 1) < 0.3 ? special(r) : r.uniform(-2, 2)));
          G.set(g);
          jG.set(g);
          const okWasm = ar.kernels.rmspropUpdate(W, G, S, B, oW, oS, oB, lr, rho, 1 - rho, eps, mu, decay);
          const okJs = js.rmspropUpdate(jW, jG, jS, jB, jOW, jOS, jOB, lr, rho, 1 - rho, eps, mu, decay);
          const okRef = reference(rW, g, rS, rB, rOW, rOS, rOB, lr, rho, eps, mu, decay);
          expect(okWasm).toBe(okJs);
          expect(okJs).toBe(okRef);
          for (const [a, b, c, what] of [[W, jW, rW, 'w'], [S, jS, rS, 'square'], [B, jB, rB, 'buffer'], [oW, jOW, rOW, 'old w'], [oS, jOS, rOS, 'old square'], [oB, jOB, rOB, 'old buffer']] as const) {
            expectSameBits(a, b, `${what}, step ${t}, ρ ${rho}, μ ${mu}, decay ${decay}`);
            expectSameBits(b, c, `${what} (js vs the inline loop), step ${t}`);
          }
        }
      }
      expect(ar.fallbacks).toBe(0);
    });
  }

  it('reports a non-finite new value or square average, at any position, and saves the old state first', () => {
    const ar = arena(1024);
    for (const bad of [Number.POSITIVE_INFINITY, Number.NaN, 1e200]) {
      for (const at of [0, 3, 4]) { // a pair, and the odd last element of 5
        for (const mu of [0, 0.9]) {
          const w0 = new Float64Array([1, -2, 3, 0.5, -0]), s0 = new Float64Array([0.01, 0, 0.04, 0, 0.09]), b0 = new Float64Array([0.1, 0, -0.2, 0, 0.3]);
          const W = copyIn(ar, w0), S = copyIn(ar, s0), B = copyIn(ar, b0), G = copyIn(ar, new Float64Array(5));
          const oW = ar.take(5), oS = ar.take(5), oB = ar.take(5);
          G[at] = bad; // 1e200² overflows s
          expect(ar.kernels.rmspropUpdate(W, G, S, B, oW, oS, oB, 0.01, 0.99, 0.01, 1e-8, mu, 0)).toBe(false);
          expectSameBits(oW, w0, 'old w');
          expectSameBits(oS, s0, 'old square');
          if (mu > 0) expectSameBits(oB, b0, 'old buffer');
          else expectSameBits(B, b0, 'buffer untouched without momentum');
        }
      }
    }
    const W = copyIn(ar, new Float64Array([1, 2, 3])), G = copyIn(ar, new Float64Array([1, -1, 1e-300]));
    const z = (): Float64Array => ar.take(3);
    expect(ar.kernels.rmspropUpdate(W, G, z(), z(), z(), z(), z(), 0.01, 0.99, 0.01, 1e-8, 0.9, 0.01)).toBe(true);
  });
});

describe('wasm relu and leakyRelu, forward and backward', () => {
  const EDGE = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0, -0, 5e-324, -5e-324, 1e300, -1e300, 2, -2];

  for (const n of [0, 1, 2, 11, 33]) {
    it(`length ${n}: equal the JavaScript kernels and model/activations`, () => {
      const rng = new Random(20 + n);
      const ar = arena(6 * n + 8);
      const pick = (r: Random): number => (r.uniform(0, 1) < 0.5 ? EDGE[Math.floor(r.uniform(0, EDGE.length))]! : r.uniform(-3, 3));
      const A = values(rng, n, pick), G = values(rng, n, pick);
      const a = copyIn(ar, A), g = copyIn(ar, G), out = ar.take(n), ref = new Float64Array(n);
      const viaModel = (f: (o: Matrix, x: Matrix) => void): Float64Array => {
        const o = new Matrix(1, n);
        f(o, new Matrix(1, n, A.slice()));
        return o.data;
      };
      const backViaModel = (f: (o: Matrix, dz: Matrix, x: Matrix, z: Matrix) => void): Float64Array => {
        const o = new Matrix(1, n);
        f(o, new Matrix(1, n, G.slice()), new Matrix(1, n, A.slice()), new Matrix(1, n));
        return o.data;
      };

      out.fill(7);
      ar.kernels.reluForward(out, a);
      js.reluForward(ref, A);
      expectSameBits(out, ref, 'relu');
      expectSameBits(out, viaModel((o, x) => activations.relu.forward(o, x)), 'relu (model)');

      ar.kernels.reluBackward(out, g, a);
      js.reluBackward(ref, G, A);
      expectSameBits(out, ref, 'relu backward');
      expectSameBits(out, backViaModel((o, dz, x, z) => activations.relu.backward(o, dz, x, z)), 'relu backward (model)');

      for (const slope of [0.01, -0.5, 0]) {
        const leaky = leakyRelu(slope);
        ar.kernels.leakyReluForward(out, a, slope);
        js.leakyReluForward(ref, A, slope);
        expectSameBits(out, ref, `leakyRelu ${slope}`);
        expectSameBits(out, viaModel((o, x) => leaky.forward(o, x)), `leakyRelu ${slope} (model)`);
        ar.kernels.leakyReluBackward(out, g, a, slope);
        js.leakyReluBackward(ref, G, A, slope);
        expectSameBits(out, ref, `leakyRelu ${slope} backward`);
        expectSameBits(out, backViaModel((o, dz, x, z) => leaky.backward(o, dz, x, z)), `leakyRelu ${slope} backward (model)`);
      }

      // in place: out === dZ
      const inPlace = copyIn(ar, G);
      ar.kernels.reluBackward(inPlace, inPlace, a);
      js.reluBackward(ref, G, A);
      expectSameBits(inPlace, ref, 'relu backward in place');
    });
  }
});

describe('wasm products on 300 random shapes and values', () => {
  it('equal the naive references bit for bit, every one', () => {
    const rng = new Random(31337);
    const ar = arena(5 * 40 * 300 + 4 * 40);
    const [A, B, Bt, At, O] = [0, 1, 2, 3, 4].map(() => ar.take(40 * 300));
    const bias = ar.take(40);
    const dim = (max: number): number => Math.floor(rng.uniform(0, max + 1));
    for (let t = 0; t < 300; t++) {
      const m = dim(13), n = dim(13), k = t % 10 === 0 ? 257 + dim(40) : dim(20);
      const pick = t % 3 === 0 ? special : (r: Random): number => r.uniform(-1, 1);
      const view = (x: Float64Array, rows: number, cols: number): Matrix => {
        const v = x.subarray(0, rows * cols);
        for (let i = 0; i < v.length; i++) v[i] = pick(rng);
        return new Matrix(rows, cols, v);
      };
      const a = view(A!, m, k), b = view(B!, k, n), bT = view(Bt!, n, k), aT = view(At!, k, m);
      const bs = view(bias, 1, n).data, out = new Matrix(m, n, O!.subarray(0, m * n)), ref = new Matrix(m, n);
      const what = `shape ${m}×${k}×${n} (trial ${t})`;
      ar.kernels.matmulNT(out, a, bT, t % 2 === 0 ? bs : undefined);
      js.matmulNTNaive(ref, a, bT, t % 2 === 0 ? bs : undefined);
      expectSameBits(out.data, ref.data, `NT ${what}`);
      ar.kernels.matmulNN(out, a, b);
      js.matmulNNNaive(ref, a, b);
      expectSameBits(out.data, ref.data, `NN ${what}`);
      const scale = t % 4 === 0 ? -0.7 : 1 / (1 + k);
      ar.kernels.matmulTN(out, aT, b, scale);
      js.matmulTNNaive(ref, aT, b, scale);
      expectSameBits(out.data, ref.data, `TN ${what}`);
    }
  });
});
