/**
 * The course's two passes, on a batch (rows are samples), in preallocated buffers.
 *
 *   feed-forward, keeping every value      A_n = Z_{n-1} · W_nᵀ + B_n,   Z_n = f_n(A_n)
 *                                          sums = {A_0 … A_{k-1}},  activations = {Z_{-1} = X, Z_0 … Z_{k-1}}
 *   backpropagation                        δ_{k-1} = ∇h(Z_{k-1}) · J(f_{k-1})(A_{k-1})
 *                                          δ_n     = δ_{n+1} · W_{n+1} · J(f_n)(A_n)
 *   gradients of the batch-mean loss       ΔW_n = (1/k) Σ δ_nᵀ Z_{n-1}ᵀ,   ΔB_n = (1/k) Σ δ_nᵀ
 *
 * Softmax + categorical cross-entropy and sigmoid + binary cross-entropy use their fused closed
 * forms for δ_{k-1} (see `fusedDelta`). Nothing here allocates or validates.
 */
import { Matrix } from '../core/matrix.js';
import { allocateFloat64 } from '../kernels/memory.js';
import { applyMask, type DropoutBuffers } from './dropout.js';
import type { Dense } from './layer.js';
import type { Loss } from './losses.js';
import type { Params } from './params.js';

/** The values kept by the feed-forward pass. */
export interface Trace {
  /** A_0 … A_{k-1}: sums[n] is k × units of layer n. */
  readonly sums: Matrix[];
  /** Z_{-1} … Z_{k-1}: activations[0] is the input, activations[n + 1] = f_n(sums[n]). */
  readonly activations: Matrix[];
}

/** Buffers for one batch size: the trace, the deltas and a target batch. */
export interface Workspace extends Trace {
  readonly rows: number;
  /** δ_0 … δ_{k-1}, one row per sample (empty for a forward-only workspace). */
  readonly deltas: Matrix[];
  /** Y of the batch (0 rows for a forward-only workspace). */
  readonly targets: Matrix;
}

/** Gradient buffers shaped like the parameters: ΔW_n (units × inputs) and ΔB_n (units). */
export interface GradientViews {
  readonly weightGradients: Matrix[];
  readonly biasGradients: Float64Array[];
}

function matrix(rows: number, cols: number, near: Float64Array | undefined): Matrix {
  return new Matrix(rows, cols, allocateFloat64(rows * cols, near));
}

/**
 * Allocates the buffers of one batch size (deltas and targets only when `withDeltas`); in the
 * arena of `near` (the parameter store) when it has room, see kernels/memory.ts.
 */
export function createWorkspace(input: number, layers: readonly Dense[], rows: number, withDeltas = true, near?: Float64Array): Workspace {
  const activations = [matrix(rows, input, near)];
  const sums: Matrix[] = [];
  const deltas: Matrix[] = [];
  for (const layer of layers) {
    sums.push(matrix(rows, layer.units, near));
    activations.push(matrix(rows, layer.units, near));
    if (withDeltas) deltas.push(matrix(rows, layer.units, near));
  }
  return { rows, sums, activations, deltas, targets: matrix(withDeltas ? rows : 0, layers[layers.length - 1]!.units, near) };
}

/** Fresh gradient buffers shaped like the layers' parameters. */
export function createGradients(layers: readonly Dense[]): GradientViews {
  return {
    weightGradients: layers.map((l) => new Matrix(l.units, l.inputs)),
    biasGradients: layers.map((l) => new Float64Array(l.units)),
  };
}

/** Views of `params.grads` laid out like the layers (segment 2n is ΔW_n, 2n + 1 is ΔB_n). */
export function gradientViews(layers: readonly Dense[], params: Params): GradientViews {
  const g = params.grads;
  return {
    weightGradients: layers.map((l, n) => {
      const s = params.segments[2 * n]!;
      return new Matrix(l.units, l.inputs, g.subarray(s.offset, s.offset + s.length));
    }),
    biasGradients: layers.map((_, n) => {
      const s = params.segments[2 * n + 1]!;
      return g.subarray(s.offset, s.offset + s.length);
    }),
  };
}

/**
 * Feed-forward: for n = 0 … k-1, A_n = Z_{n-1} · W_nᵀ + B_n and Z_n = f_n(A_n). Reads ws.activations[0].
 * With `dropout` (training only), a layer with a mask keeps Z_n in `dropout.unmasked[n]` and
 * activations[n + 1] = Z_n ⊙ m / (1 − p) (model/dropout.ts).
 */
export function forward(layers: readonly Dense[], ws: Trace, dropout?: DropoutBuffers): void {
  for (let n = 0; n < layers.length; n++) {
    const z = dropout?.unmasked[n];
    if (z === undefined) {
      layers[n]!.forward(ws.sums[n]!, ws.activations[n + 1]!, ws.activations[n]!);
    } else {
      layers[n]!.forward(ws.sums[n]!, z, ws.activations[n]!);
      applyMask(ws.activations[n + 1]!.data, z.data, dropout!.masks[n]!, dropout!.rates[n]!);
    }
  }
}

/**
 * Backpropagation on a batch whose trace is in `ws` and whose targets are `ws.targets`:
 *   δ_{k-1} = ∇h(Z_{k-1}) · J(f_{k-1})(A_{k-1})     (or the fused closed form)
 *   δ_n     = δ_{n+1} · W_{n+1} · J(f_n)(A_n)
 * and the batch-mean gradients (1/k) Σ ΔW_n, (1/k) Σ ΔB_n into `grads`.
 */
export function backward(
  layers: readonly Dense[],
  ws: Workspace,
  loss: Loss,
  fused: ((out: Matrix, z: Matrix, y: Matrix) => void) | undefined,
  grads: GradientViews,
  dropout?: DropoutBuffers,
): void {
  const last = layers.length - 1;
  const zLast = ws.activations[last + 1]!;
  const dLast = ws.deltas[last]!;
  if (fused !== undefined) {
    fused(dLast, zLast, ws.targets);
  } else {
    loss.gradient(dLast, zLast, ws.targets); //                                ∇h(Z_{k-1})
    layers[last]!.activation.backward(dLast, dLast, ws.sums[last]!, zLast); // · J(f_{k-1})(A_{k-1})
  }
  for (let n = last; n >= 0; n--) {
    const layer = layers[n]!;
    const below = n > 0 ? ws.deltas[n - 1]! : undefined;
    // ΔW_n, ΔB_n, and δ_n · W_n into the buffer of δ_{n-1} (none for the first layer).
    layer.backward(grads.weightGradients[n]!, grads.biasGradients[n]!, below, ws.deltas[n]!, ws.activations[n]!);
    if (below !== undefined) {
      // δ_{n-1} = (δ_n · W_n) · J(f_{n-1})(A_{n-1}), in place (through the same mask, and f' of the unmasked Z, under dropout).
      const z = dropout?.unmasked[n - 1];
      if (z !== undefined) applyMask(below.data, below.data, dropout!.masks[n - 1]!, dropout!.rates[n - 1]!);
      layers[n - 1]!.activation.backward(below, below, ws.sums[n - 1]!, z ?? ws.activations[n]!);
    }
  }
}
