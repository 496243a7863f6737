/**
 * The matrix kernels of training. Outputs come first; kernels neither allocate nor validate
 * (callers check shapes once, at the public boundary).
 *
 * Three products carry nearly all the time of a batch:
 *   NT  out = A · Bᵀ   forward sums      A_n = Z_{n-1} · W_nᵀ + 1·B_nᵀ
 *   NN  out = A · B    delta recursion   Δ_{n+1} · W_{n+1}
 *   TN  out = Aᵀ · B   weight gradient   Σ ΔW_n = Δ_nᵀ · Z_{n-1}
 * Each fast kernel has a naive reference beside it; the tests hold them equal.
 *
 * How the fast kernels work. All three are one product in disguise: out[i][j] = Σ_p x_i(p) · y_j(p),
 * where x_i is row i of A (NT, NN) or column i of A (TN) and y_j is row j of B (NT) or column j of
 * B (NN, TN). The driver `gemm` copies ("packs") the x and y vectors it is about to use into one
 * scratch array, interleaved so that the values one step p needs are adjacent:
 *   A panel   x_i(p), x_{i+1}(p), x_{i+2}(p), x_{i+3}(p)   for p = p0, p0 + 1, …    (TILE_ROWS = 4)
 *   B panels  y_j(p), y_{j+1}(p)                          for p = p0, p0 + 1, …    (TILE_COLS = 2)
 * Then `tile` computes a 4 × 2 block of out in eight local accumulators, reading six values and doing
 * eight multiply-adds per step. Where out ends inside a block, the missing rows or columns are packed
 * as zeros and the block goes through a small buffer, of which only the real part is copied to out.
 * Blocks of at most KC_MAX steps and NC_MAX columns bound the scratch array and keep a B block in cache.
 *
 * Every output still sums its terms in the naive order (start from the bias or 0, add p = 0, 1, …,
 * k − 1, multiply by scale at the end), so the fast kernels return the same bits as the naive ones.
 */
import type { Matrix } from '../core/matrix.js';

// ---------------------------------------------------------------------------------------------
// The packed engine shared by NT, NN and TN
// ---------------------------------------------------------------------------------------------

const TILE_ROWS = 4;
const TILE_COLS = 2;
/** Most steps p packed at once. */
const KC_MAX = 256;
/** Most columns of out packed at once (a multiple of TILE_COLS). */
const NC_MAX = 512;

/**
 * The packed panels. A plain array of doubles rather than a Float64Array on purpose: V8 reads a
 * double array with about half the instructions per element of a typed array (no data-pointer
 * recomputation, no index sign extension), which is most of the speed of the inner loop. It starts
 * as a double array ([0.5]) and only ever receives numbers by push or in-range writes, so it stays
 * a packed double array. It grows, rarely, to the largest size any call has needed, and every call
 * overwrites the part it reads, so results never depend on what an earlier call left in it.
 */
const scratch: number[] = [0.5];

function reserveScratch(size: number): void {
  for (let q = scratch.length; q < size; q++) scratch.push(0);
}

/** A 4 × 2 block at a ragged edge of out, of which only the part inside out is copied back. */
const edge = new Float64Array(TILE_ROWS * TILE_COLS);

/** Zeros to start sums from when there is no bias; at least as long as the widest out so far. */
let zeros = new Float64Array(64);

/** The block size that splits `total` into the fewest blocks of at most `max`, nearly equal in size. */
function blockSize(total: number, max: number, multiple: number): number {
  const blocks = Math.ceil(total / max);
  const size = Math.ceil(total / blocks);
  return Math.ceil(size / multiple) * multiple;
}

/**
 * out (m × n, row stride n) = scale · (init + Σ_p x_i(p) · y_j(p)) where init is bias[j] or 0.
 * Sums over more than one block of steps are carried in out between blocks.
 * x_i(p) is a[i * lda + p] (aByCol false) or a[p * lda + i] (aByCol true);
 * y_j(p) is b[j * ldb + p] (bByCol false) or b[p * ldb + j] (bByCol true).
 */
function gemm(
  O: Float64Array, m: number, n: number, k: number,
  A: Float64Array, lda: number, aByCol: boolean,
  B: Float64Array, ldb: number, bByCol: boolean,
  bias: Float64Array | undefined, scale: number,
): void {
  if (m === 0 || n === 0) return;
  if (k === 0) {
    for (let i = 0; i < m; i++) {
      const row = i * n;
      for (let j = 0; j < n; j++) O[row + j] = scale * (bias === undefined ? 0 : bias[j]!);
    }
    return;
  }
  if (zeros.length < n) zeros = new Float64Array(n);
  // Sums start from bias[j] or 0: an init array read with row stride 0. Sums over several blocks
  // of steps carry on from what the previous block left in out.
  const start = bias === undefined ? zeros : bias;
  const kcMax = blockSize(k, KC_MAX, 1);
  const ncMax = blockSize(n, NC_MAX, TILE_COLS);
  const bOff = TILE_ROWS * kcMax;
  reserveScratch(bOff + ncMax * kcMax);
  const S = scratch;
  // The last block of rows and the last panel of columns always take the general path (packers
  // that pad with zeros, `edge` for out), ragged or not. So every call runs both paths, and V8 has
  // seen both before it compiles this function; a path first met later would cost a trip back to
  // the interpreter on every call.
  const lastIc = Math.floor((m - 1) / TILE_ROWS) * TILE_ROWS;
  const lastRows = m - lastIc;
  for (let jc = 0; jc < n; jc += ncMax) {
    const nc = Math.min(ncMax, n - jc);
    const lastJr = Math.floor((nc - 1) / TILE_COLS) * TILE_COLS;
    const lastCols = nc - lastJr;
    for (let pc = 0; pc < k; pc += kcMax) {
      const kc = Math.min(kcMax, k - pc);
      const blockScale = pc + kc === k ? scale : 1; // scale once, after the last block of steps
      const I = pc === 0 ? start : O;
      const iRow = pc === 0 ? 0 : n;
      // B block: columns jc .. jc + nc of out, steps pc .. pc + kc, as panels of TILE_COLS.
      for (let jr = 0; jr < lastJr; jr += TILE_COLS) {
        if (bByCol) packCols2(S, bOff + jr * kc, B, ldb, pc * ldb + jc + jr, kc);
        else packRows2(S, bOff + jr * kc, B, ldb, (jc + jr) * ldb + pc, kc);
      }
      if (bByCol) packByCol(S, bOff + lastJr * kc, B, ldb, jc + lastJr, lastCols, TILE_COLS, pc, kc);
      else packByRow(S, bOff + lastJr * kc, B, ldb, jc + lastJr, lastCols, TILE_COLS, pc, kc);
      for (let ic = 0; ic <= lastIc; ic += TILE_ROWS) {
        const last = ic === lastIc;
        if (!last) {
          if (aByCol) packCols4(S, 0, A, lda, pc * lda + ic, kc);
          else packRows4(S, 0, A, lda, ic * lda + pc, kc);
        } else if (aByCol) packByCol(S, 0, A, lda, ic, lastRows, TILE_ROWS, pc, kc);
        else packByRow(S, 0, A, lda, ic, lastRows, TILE_ROWS, pc, kc);
        const o = ic * n + jc;
        const io = pc === 0 ? jc : o;
        if (!last) {
          for (let jr = 0; jr < lastJr; jr += TILE_COLS) {
            tile(O, o + jr, n, I, io + jr, iRow, S, bOff + jr * kc, kc, blockScale);
          }
        } else {
          for (let jr = 0; jr < lastJr; jr += TILE_COLS) {
            edgeTile(O, o + jr, n, lastRows, TILE_COLS, I, io + jr, iRow, S, bOff + jr * kc, kc, blockScale);
          }
        }
        edgeTile(O, o + lastJr, n, last ? lastRows : TILE_ROWS, lastCols, I, io + lastJr, iRow, S,
          bOff + lastJr * kc, kc, blockScale);
      }
    }
  }
}

/** `tile` for the block at out[o] of which rows × cols lie inside out, through the buffer `edge`. */
function edgeTile(
  O: Float64Array, o: number, n: number, rows: number, cols: number,
  I: Float64Array, io: number, iRow: number, S: number[], qb: number, kc: number, scale: number,
): void {
  const E = edge;
  E[0] = 0; E[1] = 0; E[2] = 0; E[3] = 0; E[4] = 0; E[5] = 0; E[6] = 0; E[7] = 0;
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) E[r * TILE_COLS + c] = I[io + r * iRow + c]!;
  tile(E, 0, TILE_COLS, E, 0, TILE_COLS, S, qb, kc, scale);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) O[o + r * n + c] = E[r * TILE_COLS + c]!;
}

// Packing. The four unrolled packers copy full panels (nearly all of them); the two general ones
// handle the panel at a ragged edge, padding it with zeros. In all of them S[dst + p·width + r]
// receives element r of the panel at step p. Indices are below MAX_ELEMENTS = 2²⁸, so (x | 0)
// never wraps; it only tells V8 to skip the overflow check.

/** A full panel of 4 rows of X (row stride ld) starting at X[src], kc steps along the row. */
function packRows4(S: number[], dst: number, X: Float64Array, ld: number, src: number, kc: number): void {
  const end = (dst + 4 * kc) | 0;
  const l2 = 2 * ld, l3 = 3 * ld;
  let d = dst, q = src;
  while (d < end) {
    S[d] = X[q]!;
    S[(d + 1) | 0] = X[(q + ld) | 0]!;
    S[(d + 2) | 0] = X[(q + l2) | 0]!;
    S[(d + 3) | 0] = X[(q + l3) | 0]!;
    d = (d + 4) | 0;
    q = (q + 1) | 0;
  }
}

/** A full panel of 2 rows of X (row stride ld) starting at X[src], kc steps along the row. */
function packRows2(S: number[], dst: number, X: Float64Array, ld: number, src: number, kc: number): void {
  const end = (dst + 2 * kc) | 0;
  const ld1 = ld + 1;
  let d = dst, q = src;
  // two steps per turn of the loop halve its fixed cost (the checks on S and X)
  while (d + 3 < end) {
    S[d] = X[q]!;
    S[(d + 1) | 0] = X[(q + ld) | 0]!;
    S[(d + 2) | 0] = X[(q + 1) | 0]!;
    S[(d + 3) | 0] = X[(q + ld1) | 0]!;
    d = (d + 4) | 0;
    q = (q + 2) | 0;
  }
  if (d < end) {
    S[d] = X[q]!;
    S[(d + 1) | 0] = X[(q + ld) | 0]!;
  }
}

/** A full panel of 4 adjacent columns of X (row stride ld) starting at X[src], kc steps down. */
function packCols4(S: number[], dst: number, X: Float64Array, ld: number, src: number, kc: number): void {
  const end = (dst + 4 * kc) | 0;
  let d = dst, q = src;
  while (d < end) {
    S[d] = X[q]!;
    S[(d + 1) | 0] = X[(q + 1) | 0]!;
    S[(d + 2) | 0] = X[(q + 2) | 0]!;
    S[(d + 3) | 0] = X[(q + 3) | 0]!;
    d = (d + 4) | 0;
    q = (q + ld) | 0;
  }
}

/** A full panel of 2 adjacent columns of X (row stride ld) starting at X[src], kc steps down. */
function packCols2(S: number[], dst: number, X: Float64Array, ld: number, src: number, kc: number): void {
  const end = (dst + 2 * kc) | 0;
  const ld1 = ld + 1, ld2 = 2 * ld;
  let d = dst, q = src;
  // two steps at a time, as in packRows2
  while (d + 3 < end) {
    S[d] = X[q]!;
    S[(d + 1) | 0] = X[(q + 1) | 0]!;
    S[(d + 2) | 0] = X[(q + ld) | 0]!;
    S[(d + 3) | 0] = X[(q + ld1) | 0]!;
    d = (d + 4) | 0;
    q = (q + ld2) | 0;
  }
  if (d < end) {
    S[d] = X[q]!;
    S[(d + 1) | 0] = X[(q + 1) | 0]!;
  }
}

/** S[dst + p·width + r] = X[(first + r)·ld + p0 + p] for r < count, 0 for count ≤ r < width. */
function packByRow(
  S: number[], dst: number, X: Float64Array, ld: number,
  first: number, count: number, width: number, p0: number, kc: number,
): void {
  // zeros first, then the rows: no branch that only ragged panels would take
  const end = dst + width * kc;
  for (let d = dst; d < end; d++) S[d] = 0;
  for (let r = 0; r < count; r++) {
    const src = (first + r) * ld + p0;
    let d = dst + r;
    for (let p = 0; p < kc; p++) {
      S[d] = X[src + p]!;
      d += width;
    }
  }
}

/** S[dst + p·width + r] = X[(p0 + p)·ld + first + r] for r < count, 0 for count ≤ r < width. */
function packByCol(
  S: number[], dst: number, X: Float64Array, ld: number,
  first: number, count: number, width: number, p0: number, kc: number,
): void {
  const end = dst + width * kc;
  for (let d = dst; d < end; d++) S[d] = 0;
  let d = dst;
  for (let p = 0; p < kc; p++) {
    const src = (p0 + p) * ld + first;
    for (let r = 0; r < count; r++) S[d + r] = X[src + r]!;
    d += width;
  }
}

/**
 * One 4 × 2 block: c[r][c] = I[io + r·iRow + c] + Σ_p S[4p + r] · S[qb + 2p + c] over kc steps,
 * then D[o + r·ld + c] = scale · c[r][c]. D is out itself (ld = n) or, for a block at a ragged edge,
 * the 4 × 2 buffer `edge` (ld = 2). I holds the starting values: bias or zeros (iRow = 0), or the
 * partial sums of the previous block of steps in D itself.
 *
 * Deliberately free of branches: V8 compiles this function once it is hot, and a branch first taken
 * after that (say, the first ragged edge) sends each call that reaches it back to the interpreter,
 * call after call, until V8 recompiles the function (measured: thousands of times in one benchmark).
 */
function tile(
  D: Float64Array, o: number, ld: number, I: Float64Array, io: number, iRow: number,
  S: number[], qb: number, kc: number, scale: number,
): void {
  const i1 = io + iRow, i2 = io + 2 * iRow, i3 = io + 3 * iRow;
  let c00 = I[io]!, c01 = I[io + 1]!;
  let c10 = I[i1]!, c11 = I[i1 + 1]!;
  let c20 = I[i2]!, c21 = I[i2 + 1]!;
  let c30 = I[i3]!, c31 = I[i3 + 1]!;
  // The hot loop. (x | 0) keeps the index arithmetic in plain 32-bit integers (no overflow
  // checks), and qa (the A panel is always at the start of S) doubles as the loop counter.
  let qa = 0;
  const end = TILE_ROWS * kc;
  while (qa < end) {
    const x0 = S[qa]!, x1 = S[(qa + 1) | 0]!, x2 = S[(qa + 2) | 0]!, x3 = S[(qa + 3) | 0]!;
    const y0 = S[qb]!, y1 = S[(qb + 1) | 0]!;
    c00 += x0 * y0; c01 += x0 * y1;
    c10 += x1 * y0; c11 += x1 * y1;
    c20 += x2 * y0; c21 += x2 * y1;
    c30 += x3 * y0; c31 += x3 * y1;
    qa = (qa + TILE_ROWS) | 0;
    qb = (qb + TILE_COLS) | 0;
  }
  const o1 = o + ld, o2 = o + 2 * ld, o3 = o + 3 * ld;
  D[o] = scale * c00; D[o + 1] = scale * c01;
  D[o1] = scale * c10; D[o1 + 1] = scale * c11;
  D[o2] = scale * c20; D[o2 + 1] = scale * c21;
  D[o3] = scale * c30; D[o3 + 1] = scale * c31;
}

// ---------------------------------------------------------------------------------------------
// NT: out (m × n) = a (m × k) · bᵀ (b: n × k), plus bias[j] on every row when given
// ---------------------------------------------------------------------------------------------

export function matmulNT(out: Matrix, a: Matrix, b: Matrix, bias?: Float64Array): void {
  const m = a.rows, k = a.cols, n = b.rows;
  gemm(out.data, m, n, k, a.data, k, false, b.data, k, false, bias, 1);
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
  const m = a.rows, k = a.cols, n = b.cols;
  gemm(out.data, m, n, k, a.data, k, false, b.data, n, true, undefined, 1);
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
  const k = a.rows, m = a.cols, n = b.cols;
  gemm(out.data, m, n, k, a.data, m, true, b.data, n, true, undefined, scale);
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
    for (let j = 0; j < n; j++) out[j] = out[j]! + A[base + j]!;
  }
  if (scale !== 1) for (let j = 0; j < n; j++) out[j] = out[j]! * scale;
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

// ---------------------------------------------------------------------------------------------
// The SGD update: W ← W − α·g − λ·W, B ← B − α·g
// ---------------------------------------------------------------------------------------------

/**
 * values[i] ← values[i] − learningRate·grads[i] − weightDecay·values[i], both terms from the same
 * old value, evaluated left to right. When `backup` is given the old values are written there in
 * the same pass. Returns whether every new value is finite. `start` skips the elements before it
 * (in both SGD loops: the wasm kernels step the pairs and leave an odd last element here).
 */
export function sgdUpdate(
  values: Float64Array, grads: Float64Array, learningRate: number, weightDecay: number, backup?: Float64Array, start = 0,
): boolean {
  // v · 0 is 0 for every finite v and NaN for NaN or ±Infinity, so the sum stays 0 exactly
  // when every new value is finite.
  let s = 0;
  const n = values.length;
  for (let i = start; i < n; i++) {
    const w = values[i]!;
    if (backup !== undefined) backup[i] = w;
    const v = w - learningRate * grads[i]! - weightDecay * w;
    values[i] = v;
    s += v * 0;
  }
  return s === 0;
}

/**
 * values[i] ← values[i] − learningRate·grads[i] (biases: never decayed). Not `sgdUpdate` with
 * weightDecay 0: that subtracts 0·w, which turns a −0 into +0.
 */
export function sgdUpdateNoDecay(
  values: Float64Array, grads: Float64Array, learningRate: number, backup?: Float64Array, start = 0,
): boolean {
  let s = 0;
  const n = values.length;
  for (let i = start; i < n; i++) {
    const w = values[i]!;
    if (backup !== undefined) backup[i] = w;
    const v = w - learningRate * grads[i]!;
    values[i] = v;
    s += v * 0;
  }
  return s === 0;
}

// ---------------------------------------------------------------------------------------------
// The Adam step (optim/adam.ts), one segment of θ at a time
// ---------------------------------------------------------------------------------------------

/**
 * One Adam step of a segment: for every i, with w = values[i], g = grads[i], saving w, m[i] and v[i]
 * to oldValues, oldM and oldV first,
 *
 *   m ← m·β₁ + (1 − β₁)·g,   v ← v·β₂ + (1 − β₂)·(g·g),
 *   update = stepSize · (m / (√v / c2Root + ε)),
 *   w ← decay === 0 ? w − update : w − update − decay·w
 *
 * evaluated left to right (PyTorch's order; optim/adam.ts computes stepSize and c2Root). Returns
 * whether every new w and v is finite. Every element is updated even after a non-finite one.
 * `start` skips the elements before it (the wasm kernel steps the pairs and leaves an odd last
 * element to this loop).
 */
export function adamUpdate(
  values: Float64Array, grads: Float64Array, m: Float64Array, v: Float64Array,
  oldValues: Float64Array, oldM: Float64Array, oldV: Float64Array,
  beta1: number, beta2: number, oneMinusBeta1: number, oneMinusBeta2: number,
  stepSize: number, c2Root: number, epsilon: number, decay: number, start = 0,
): boolean {
  let s = 0;
  const n = values.length;
  for (let i = start; i < n; i++) {
    const w = values[i]!, g = grads[i]!;
    oldValues[i] = w;
    oldM[i] = m[i]!;
    oldV[i] = v[i]!;
    const mi = m[i]! * beta1 + oneMinusBeta1 * g;
    const vi = v[i]! * beta2 + oneMinusBeta2 * (g * g);
    m[i] = mi;
    v[i] = vi;
    const update = stepSize * (mi / (Math.sqrt(vi) / c2Root + epsilon));
    const next = decay === 0 ? w - update : w - update - decay * w;
    values[i] = next;
    s += next * 0 + vi * 0;
  }
  return s === 0;
}

// ---------------------------------------------------------------------------------------------
// SGD with momentum and RMSprop (optim/sgd.ts, optim/rmsprop.ts), one segment of θ at a time
// ---------------------------------------------------------------------------------------------

/**
 * One step of SGD with momentum μ > 0 on a segment: for every i, with w = values[i], g = grads[i],
 * saving w and velocity[i] to oldValues and oldVelocity first,
 *
 *   v ← first ? g : μ·v + g,   u = nesterov ? g + μ·v : v,
 *   w ← decay === 0 ? w − α·u : w − α·u − decay·w
 *
 * evaluated left to right (PyTorch's order: the first step takes the gradient as the velocity).
 * Returns whether every new w and v is finite; every element is updated even after a non-finite
 * one. `start` skips the elements before it (the wasm kernel leaves an odd last element to this loop).
 */
export function momentumUpdate(
  values: Float64Array, grads: Float64Array, velocity: Float64Array, oldValues: Float64Array, oldVelocity: Float64Array,
  learningRate: number, momentum: number, nesterov: boolean, first: boolean, decay: number, start = 0,
): boolean {
  let s = 0;
  const n = values.length;
  for (let i = start; i < n; i++) {
    const w = values[i]!, g = grads[i]!;
    oldValues[i] = w;
    oldVelocity[i] = velocity[i]!;
    const v = first ? g : momentum * velocity[i]! + g;
    velocity[i] = v;
    const u = nesterov ? g + momentum * v : v;
    const next = decay === 0 ? w - learningRate * u : w - learningRate * u - decay * w;
    values[i] = next;
    s += next * 0 + v * 0;
  }
  return s === 0;
}

/**
 * One RMSprop step of a segment: for every i, with w = values[i], g = grads[i], saving w, square[i]
 * (and buffer[i] when μ > 0) to oldValues, oldSquare (and oldBuffer) first,
 *
 *   s ← s·ρ + (1 − ρ)·(g·g),   d = √s + ε,
 *   μ > 0:  b ← b·μ + g / d,  update = α·b;     μ = 0:  update = α·(g / d)
 *   w ← decay === 0 ? w − update : w − update − decay·w
 *
 * evaluated left to right (PyTorch's order). `buffer` and `oldBuffer` are not read when μ = 0 (they
 * may be empty). Returns whether every new w and s is finite; every element is updated even after
 * a non-finite one. `start` skips the elements before it.
 */
export function rmspropUpdate(
  values: Float64Array, grads: Float64Array, square: Float64Array, buffer: Float64Array,
  oldValues: Float64Array, oldSquare: Float64Array, oldBuffer: Float64Array,
  learningRate: number, rho: number, oneMinusRho: number, epsilon: number, momentum: number, decay: number, start = 0,
): boolean {
  let s = 0;
  const n = values.length;
  for (let i = start; i < n; i++) {
    const w = values[i]!, g = grads[i]!;
    oldValues[i] = w;
    oldSquare[i] = square[i]!;
    const sq = square[i]! * rho + oneMinusRho * (g * g);
    square[i] = sq;
    const avg = Math.sqrt(sq) + epsilon;
    let update: number;
    if (momentum > 0) {
      oldBuffer[i] = buffer[i]!;
      const b = buffer[i]! * momentum + g / avg;
      buffer[i] = b;
      update = learningRate * b;
    } else {
      update = learningRate * (g / avg);
    }
    const next = decay === 0 ? w - update : w - update - decay * w;
    values[i] = next;
    s += next * 0 + sq * 0;
  }
  return s === 0;
}

// ---------------------------------------------------------------------------------------------
// Element-wise activations without transcendental functions (the same code as model/activations)
// ---------------------------------------------------------------------------------------------

/** out = relu(a) = a > 0 ? a : 0 (NaN and −0 give +0). */
export function reluForward(out: Float64Array, a: Float64Array): void {
  const n = out.length;
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    out[i] = x > 0 ? x : 0;
  }
}

/** out = dZ ⊙ relu'(a) = a > 0 ? dZ : 0. `out` may be `dZ`. */
export function reluBackward(out: Float64Array, dZ: Float64Array, a: Float64Array): void {
  const n = out.length;
  for (let i = 0; i < n; i++) out[i] = a[i]! > 0 ? dZ[i]! : 0;
}

/** out = a > 0 ? a : slope·a. */
export function leakyReluForward(out: Float64Array, a: Float64Array, slope: number): void {
  const n = out.length;
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    out[i] = x > 0 ? x : slope * x;
  }
}

/** out = a > 0 ? dZ : slope·dZ. `out` may be `dZ`. */
export function leakyReluBackward(out: Float64Array, dZ: Float64Array, a: Float64Array, slope: number): void {
  const n = out.length;
  for (let i = 0; i < n; i++) out[i] = a[i]! > 0 ? dZ[i]! : slope * dZ[i]!;
}
