import { describe, it, expect } from 'vitest';
import {
  columnSums,
  gatherRows,
  matmulNN,
  matmulNNNaive,
  matmulNT,
  matmulNTNaive,
  matmulTN,
  matmulTNNaive,
} from '../src/kernels/js.js';
import { Matrix } from '../src/core/matrix.js';
import { Random } from '../src/core/random.js';

// ---------------------------------------------------------------------------------------------
// Helpers

function randomMatrix(rng: Random, rows: number, cols: number): Matrix {
  const m = new Matrix(rows, cols);
  for (let i = 0; i < m.data.length; i++) m.data[i] = rng.uniform(-1, 1);
  return m;
}

function randomVector(rng: Random, n: number): Float64Array {
  return randomMatrix(rng, 1, n).data;
}

/** A matrix full of NaN, so that an output element the kernel forgets to write shows up. */
function dirty(rows: number, cols: number): Matrix {
  return new Matrix(rows, cols, new Float64Array(rows * cols).fill(Number.NaN));
}

function abs(m: Matrix): Matrix {
  return new Matrix(m.rows, m.cols, m.data.map(Math.abs));
}

/**
 * Every fast[i] is within 1e-12 of naive[i], relative to the size of the terms that were summed:
 * |fast − naive| ≤ 1e-12 · magnitude[i], where magnitude is the same product taken over absolute
 * values (Σ_p |a||b| + |bias|). A reordered sum of these terms can differ from another by at most
 * about k·2⁻⁵³ times this, so the bound holds for any summation order and is tight for ours.
 */
function expectClose(fast: Matrix, naive: Matrix, magnitude: Matrix): void {
  expect([fast.rows, fast.cols]).toEqual([naive.rows, naive.cols]);
  for (let i = 0; i < naive.data.length; i++) {
    const f = fast.data[i]!, n = naive.data[i]!;
    if (Math.abs(f - n) > 1e-12 * magnitude.data[i]!) {
      expect.fail(`element ${i}: fast ${f} vs naive ${n} (terms of size ${magnitude.data[i]})`);
    }
  }
}

function expectSameBits(x: Matrix, y: Matrix): void {
  expect(x.data.length).toBe(y.data.length);
  for (let i = 0; i < x.data.length; i++) {
    if (!Object.is(x.data[i], y.data[i])) expect.fail(`element ${i}: ${x.data[i]} vs ${y.data[i]}`);
  }
}

/** [m, k, n]: out is m × n, the inner dimension is k. */
type Shape = [number, number, number];

const edges = [3, 4, 5, 8, 9, 17];
const SHAPES: Shape[] = [
  [1, 1, 1],
  [1, 7, 1],
  [1, 5, 13], // a single row
  [13, 5, 1], // a single column
  [1, 300, 1],
  [7, 13, 11], // primes
  [11, 7, 13],
  // around the 4 × 2 tile and its edges
  ...edges.flatMap((m) => edges.map((n): Shape => [m, 6, n])),
  ...edges.map((k): Shape => [5, k, 9]),
  // the training workload (batch 32, a 784-128-10 network)
  [32, 784, 128],
  [32, 128, 10],
  [32, 10, 128],
  [32, 128, 784],
  [128, 32, 784],
  [10, 32, 128],
  // more steps and columns than one packed block holds
  [9, 600, 531],
  [3, 1100, 5],
  // empty dimensions
  [4, 0, 6], // k = 0: out is the bias, or zeros
  [0, 0, 0],
  [0, 5, 7],
  [7, 5, 0],
  [0, 0, 3],
  [3, 0, 0],
];

const name = ([m, k, n]: Shape): string => `m=${m} k=${k} n=${n}`;

// ---------------------------------------------------------------------------------------------
// Hand-computed products: the naive references checked against arithmetic done on paper

describe('the three products on a hand-computed example', () => {
  // All three compute A·B with A = [[1, 2, 3], [4, 5, 6]] and B = [[7, 8], [9, 10], [11, 12]]:
  //   (A·B)[0][0] = 1·7 + 2·9 + 3·11 = 58     (A·B)[0][1] = 1·8 + 2·10 + 3·12 = 64
  //   (A·B)[1][0] = 4·7 + 5·9 + 6·11 = 139    (A·B)[1][1] = 4·8 + 5·10 + 6·12 = 154
  const A = [[1, 2, 3], [4, 5, 6]];
  const Aᵀ = [[1, 4], [2, 5], [3, 6]];
  const B = [[7, 8], [9, 10], [11, 12]];
  const Bᵀ = [[7, 9, 11], [8, 10, 12]];

  it('matmulNT: A · (Bᵀ)ᵀ + bias', () => {
    // bias [0.5, −1] is added to every row: [[58.5, 63], [139.5, 153]]
    const bias = new Float64Array([0.5, -1]);
    for (const kernel of [matmulNT, matmulNTNaive]) {
      const out = dirty(2, 2);
      kernel(out, Matrix.from(A), Matrix.from(Bᵀ), bias);
      expect(out.toArray()).toEqual([[58.5, 63], [139.5, 153]]);
      kernel(out, Matrix.from(A), Matrix.from(Bᵀ));
      expect(out.toArray()).toEqual([[58, 64], [139, 154]]);
    }
  });

  it('matmulNN: A · B', () => {
    for (const kernel of [matmulNN, matmulNNNaive]) {
      const out = dirty(2, 2);
      kernel(out, Matrix.from(A), Matrix.from(B));
      expect(out.toArray()).toEqual([[58, 64], [139, 154]]);
    }
  });

  it('matmulTN: scale · (Aᵀ)ᵀ · B', () => {
    // scale 0.5 halves every entry: [[29, 32], [69.5, 77]]; the default scale is 1
    for (const kernel of [matmulTN, matmulTNNaive]) {
      const out = dirty(2, 2);
      kernel(out, Matrix.from(Aᵀ), Matrix.from(B), 0.5);
      expect(out.toArray()).toEqual([[29, 32], [69.5, 77]]);
      kernel(out, Matrix.from(Aᵀ), Matrix.from(B));
      expect(out.toArray()).toEqual([[58, 64], [139, 154]]);
    }
  });

  it('a 1 × 1 product is the plain product of the two numbers', () => {
    const out = dirty(1, 1);
    matmulNT(out, Matrix.from([[3]]), Matrix.from([[-2]]), new Float64Array([1]));
    expect(out.data[0]).toBe(-5); // 3·(−2) + 1
    matmulNN(out, Matrix.from([[3]]), Matrix.from([[-2]]));
    expect(out.data[0]).toBe(-6);
    matmulTN(out, Matrix.from([[3]]), Matrix.from([[-2]]), 0.25);
    expect(out.data[0]).toBe(-1.5);
  });
});

// ---------------------------------------------------------------------------------------------
// Fast kernels against the naive references

describe('matmulNT equals matmulNTNaive', () => {
  for (const shape of SHAPES) {
    it(name(shape), () => {
      const [m, k, n] = shape;
      const rng = new Random(1000 + m * 31 + k * 7 + n);
      const a = randomMatrix(rng, m, k), b = randomMatrix(rng, n, k), bias = randomVector(rng, n);
      for (const withBias of [false, true]) {
        const fast = dirty(m, n), naive = dirty(m, n), magnitude = dirty(m, n);
        const bs = withBias ? bias : undefined;
        matmulNT(fast, a, b, bs);
        matmulNTNaive(naive, a, b, bs);
        matmulNTNaive(magnitude, abs(a), abs(b), withBias ? bias.map(Math.abs) : undefined);
        expectClose(fast, naive, magnitude);
        if (k === 0 && m > 0) expect(fast.toArray()[m - 1]).toEqual(withBias ? Array.from(bias) : new Array(n).fill(0));
      }
    });
  }
});

describe('matmulNN equals matmulNNNaive', () => {
  for (const shape of SHAPES) {
    it(name(shape), () => {
      const [m, k, n] = shape;
      const rng = new Random(2000 + m * 31 + k * 7 + n);
      const a = randomMatrix(rng, m, k), b = randomMatrix(rng, k, n);
      const fast = dirty(m, n), naive = dirty(m, n), magnitude = dirty(m, n);
      matmulNN(fast, a, b);
      matmulNNNaive(naive, a, b);
      matmulNNNaive(magnitude, abs(a), abs(b));
      expectClose(fast, naive, magnitude);
      if (k === 0) expect(fast.data.every((v) => v === 0)).toBe(true);
    });
  }
});

describe('matmulTN equals matmulTNNaive', () => {
  for (const shape of SHAPES) {
    it(name(shape), () => {
      const [m, k, n] = shape;
      const rng = new Random(3000 + m * 31 + k * 7 + n);
      const a = randomMatrix(rng, k, m), b = randomMatrix(rng, k, n);
      for (const scale of [1, 1 / 32, -3]) {
        const fast = dirty(m, n), naive = dirty(m, n), magnitude = dirty(m, n);
        matmulTN(fast, a, b, scale);
        matmulTNNaive(naive, a, b, scale);
        matmulTNNaive(magnitude, abs(a), abs(b), Math.abs(scale));
        expectClose(fast, naive, magnitude);
        if (k === 0) expect(fast.data.every((v) => v === 0)).toBe(true);
      }
      // the default scale is 1
      const fast = dirty(m, n), naive = dirty(m, n);
      matmulTN(fast, a, b);
      matmulTNNaive(naive, a, b, 1);
      expectSameBits(fast, naive);
    });
  }
});

describe('fast kernels: order of summation and determinism', () => {
  it('sum in the naive order, so they return the very same bits', () => {
    const rng = new Random(4);
    for (const [m, k, n] of [[32, 784, 128], [17, 600, 531], [5, 13, 9]] as Shape[]) {
      const a = randomMatrix(rng, m, k), b = randomMatrix(rng, n, k), bias = randomVector(rng, n);
      const fast = dirty(m, n), naive = dirty(m, n);
      matmulNT(fast, a, b, bias);
      matmulNTNaive(naive, a, b, bias);
      expectSameBits(fast, naive);
      const bb = randomMatrix(rng, k, n);
      matmulNN(fast, a, bb);
      matmulNNNaive(naive, a, bb);
      expectSameBits(fast, naive);
      const at = randomMatrix(rng, k, m);
      matmulTN(fast, at, bb, 0.1);
      matmulTNNaive(naive, at, bb, 0.1);
      expectSameBits(fast, naive);
    }
  });

  it('give the same bits on every call, whatever ran before (the scratch state does not leak)', () => {
    const rng = new Random(5);
    const a = randomMatrix(rng, 9, 21), b = randomMatrix(rng, 7, 21), bias = randomVector(rng, 7);
    const first = dirty(9, 7);
    matmulNT(first, a, b, bias);
    // other products of other sizes, some larger, overwrite and grow the scratch space
    for (const [m, k, n] of [[33, 700, 99], [2, 3, 4], [40, 300, 600]] as Shape[]) {
      matmulNT(dirty(m, n), randomMatrix(rng, m, k), randomMatrix(rng, n, k));
      matmulNN(dirty(m, n), randomMatrix(rng, m, k), randomMatrix(rng, k, n));
      matmulTN(dirty(m, n), randomMatrix(rng, k, m), randomMatrix(rng, k, n), 2);
    }
    const again = dirty(9, 7);
    matmulNT(again, a, b, bias);
    expectSameBits(again, first);
  });

  it('propagate NaN and ±Infinity exactly like the references (edge padding never leaks in)', () => {
    const rng = new Random(6);
    const [m, k, n] = [7, 9, 5];
    const a = randomMatrix(rng, m, k), b = randomMatrix(rng, n, k);
    a.data[2 * k + 3] = Number.NaN; // row 2 of out
    a.data[6 * k + 1] = Number.POSITIVE_INFINITY; // row 6, the ragged last row block
    b.data[4 * k + 8] = Number.NEGATIVE_INFINITY; // column 4, the ragged last column
    const fast = dirty(m, n), naive = dirty(m, n);
    matmulNT(fast, a, b);
    matmulNTNaive(naive, a, b);
    expectSameBits(fast, naive);
    const bt = new Matrix(k, n);
    for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) bt.data[p * n + j] = b.data[j * k + p]!;
    matmulNN(fast, a, bt);
    matmulNNNaive(naive, a, bt);
    expectSameBits(fast, naive);
    const at = new Matrix(k, m);
    for (let p = 0; p < k; p++) for (let i = 0; i < m; i++) at.data[p * m + i] = a.data[i * k + p]!;
    matmulTN(fast, at, bt, 0.5);
    matmulTNNaive(naive, at, bt, 0.5);
    expectSameBits(fast, naive);
  });
});

// ---------------------------------------------------------------------------------------------
// Row and column helpers

describe('columnSums', () => {
  it('sums each column, then scales', () => {
    // [[1, 2, 3], [4, 5, 6]] → [1 + 4, 2 + 5, 3 + 6] = [5, 7, 9]; times 0.5 → [2.5, 3.5, 4.5]
    const a = Matrix.from([[1, 2, 3], [4, 5, 6]]);
    const out = new Float64Array(3).fill(Number.NaN);
    columnSums(out, a);
    expect(Array.from(out)).toEqual([5, 7, 9]);
    columnSums(out, a, 0.5);
    expect(Array.from(out)).toEqual([2.5, 3.5, 4.5]);
  });

  it('gives zeros for a matrix without rows', () => {
    const out = new Float64Array(2).fill(Number.NaN);
    columnSums(out, new Matrix(0, 2));
    expect(Array.from(out)).toEqual([0, 0]);
  });
});

describe('gatherRows', () => {
  it('copies the rows that order[start ..] names, in that order', () => {
    const src = Matrix.from([[0, 1], [10, 11], [20, 21], [30, 31]]);
    const order = new Uint32Array([3, 0, 2, 1]);
    const out = dirty(2, 2);
    gatherRows(out, src, order, 1); // rows order[1] = 0 and order[2] = 2
    expect(out.toArray()).toEqual([[0, 1], [20, 21]]);
    const all = dirty(4, 2);
    gatherRows(all, src, order, 0);
    expect(all.toArray()).toEqual([[30, 31], [0, 1], [20, 21], [10, 11]]);
  });
});
