/**
 * The matrix kernels of training. Outputs come first; kernels neither allocate nor validate
 * (callers check shapes once, at the public boundary).
 *
 * Three products carry nearly all the time of a batch (see DESIGN §2):
 *   NT  out = A · Bᵀ   forward sums      A_n = Z_{n-1} · W_nᵀ + 1·B_nᵀ
 *   NN  out = A · B    delta recursion   Δ_{n+1} · W_{n+1}
 *   TN  out = Aᵀ · B   weight gradient   Σ ΔW_n = Δ_nᵀ · Z_{n-1}
 * Each fast kernel has a naive reference beside it; the tests hold them equal.
 */
import type { Matrix } from './matrix.js';

// ---------------------------------------------------------------------------------------------
// NT: out (m × n) = a (m × k) · bᵀ (b: n × k), plus bias[j] on every row when given
// ---------------------------------------------------------------------------------------------

export function matmulNT(out: Matrix, a: Matrix, b: Matrix, bias?: Float64Array): void {
  matmulNTNaive(out, a, b, bias);
}

export function matmulNTNaive(out: Matrix, a: Matrix, b: Matrix, bias?: Float64Array): void {
  const m = a.rows, k = a.cols, n = b.rows;
  const A = a.data, B = b.data, O = out.data;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = bias === undefined ? 0 : bias[j]!;
      for (let p = 0; p < k; p++) s += A[i * k + p]! * B[j * k + p]!;
      O[i * n + j] = s;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// NN: out (m × n) = a (m × k) · b (k × n)
// ---------------------------------------------------------------------------------------------

export function matmulNN(out: Matrix, a: Matrix, b: Matrix): void {
  matmulNNNaive(out, a, b);
}

export function matmulNNNaive(out: Matrix, a: Matrix, b: Matrix): void {
  const m = a.rows, k = a.cols, n = b.cols;
  const A = a.data, B = b.data, O = out.data;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += A[i * k + p]! * B[p * n + j]!;
      O[i * n + j] = s;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// TN: out (m × n) = scale · aᵀ (a: k × m) · b (k × n)
// ---------------------------------------------------------------------------------------------

export function matmulTN(out: Matrix, a: Matrix, b: Matrix, scale = 1): void {
  matmulTNNaive(out, a, b, scale);
}

export function matmulTNNaive(out: Matrix, a: Matrix, b: Matrix, scale = 1): void {
  const k = a.rows, m = a.cols, n = b.cols;
  const A = a.data, B = b.data, O = out.data;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += A[p * m + i]! * B[p * n + j]!;
      O[i * n + j] = scale * s;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Row and column helpers
// ---------------------------------------------------------------------------------------------

/** out[j] = scale · Σ_i a[i][j]  (the bias gradient: column sums of Δ). */
export function columnSums(out: Float64Array, a: Matrix, scale = 1): void {
  const m = a.rows, n = a.cols, A = a.data;
  for (let j = 0; j < n; j++) out[j] = 0;
  for (let i = 0; i < m; i++) {
    const base = i * n;
    for (let j = 0; j < n; j++) out[j] += A[base + j]!;
  }
  if (scale !== 1) for (let j = 0; j < n; j++) out[j] *= scale;
}

/** Copies rows `order[start .. start + out.rows)` of `src` into `out` (a shuffled batch). */
export function gatherRows(out: Matrix, src: Matrix, order: Uint32Array, start: number): void {
  const n = src.cols, S = src.data, O = out.data;
  for (let r = 0; r < out.rows; r++) {
    const from = order[start + r]! * n;
    const to = r * n;
    for (let j = 0; j < n; j++) O[to + j] = S[from + j]!;
  }
}
