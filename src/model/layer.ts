/**
 * A dense (fully connected) layer n: weights W_n (units × inputs), biases B_n (units), activation f_n.
 *
 * Its two steps, batched (rows are samples):
 *   forward    A_n = Z_{n-1} · W_nᵀ + 1·B_nᵀ,   Z_n = f_n(A_n)
 *   backward   ΔW_n = (1/k) Δ_nᵀ · Z_{n-1},  ΔB_n = (1/k) column sums of Δ_n,
 *              and, for the layer below, Δ_n · W_n (to be multiplied by J(f_{n-1})(A_{n-1}))
 */
import { fail } from '../core/errors.js';
import { MAX_ELEMENTS } from '../core/matrix.js';
import { checkFinite, plainFloat64, positiveInteger } from '../core/schema.js';
import { type Activation, resolveActivation } from './activations.js';
import { kernelsFor } from '../kernels/memory.js';
import { Matrix } from '../core/matrix.js';

export class Dense {
  /** Width of the input Z_{n-1}. */
  readonly inputs: number;
  /** Number of units (width of A_n and Z_n). */
  readonly units: number;
  /** W_n, units × inputs: row i holds the weights into unit i. */
  readonly weights: Matrix;
  /** B_n, one per unit. */
  readonly biases: Float64Array;
  /** f_n. */
  readonly activation: Activation;

  /**
   * A layer of `units` units on inputs of width `inputs`; `weights` (units × inputs) and `biases`
   * (units) are used as they are (not copied), or zeros. Everything is checked.
   */
  constructor(inputs: number, units: number, activation: Activation, weights?: Matrix, biases?: Float64Array) {
    const where = 'new Dense';
    positiveInteger(where, 'inputs', inputs, MAX_ELEMENTS);
    positiveInteger(where, 'units', units, MAX_ELEMENTS);
    if (inputs * units > MAX_ELEMENTS) fail(where, 'units', `at most ${MAX_ELEMENTS} weights (units × inputs)`, `${units} × ${inputs}`);
    this.inputs = inputs;
    this.units = units;
    this.activation = resolveActivation(where, 'activation', activation);
    if (weights !== undefined) {
      if (!(weights instanceof Matrix) || weights.rows !== units || weights.cols !== inputs) {
        fail(where, 'weights', `a ${units} × ${inputs} Matrix (units × inputs)`, weights instanceof Matrix ? `${weights.rows} × ${weights.cols}` : weights);
      }
      checkFinite(where, 'weights', weights);
    }
    if (biases !== undefined) {
      if (!(biases instanceof Float64Array) || biases.length !== units) fail(where, 'biases', `a Float64Array of ${units} values`, biases);
      checkFinite(where, 'biases', new Matrix(1, units, plainFloat64(biases)));
    }
    this.weights = weights ?? new Matrix(units, inputs);
    this.biases = biases ?? new Float64Array(units);
  }

  /** sums = input · Wᵀ + 1·Bᵀ (k × units), acts = f(sums). */
  forward(sums: Matrix, acts: Matrix, input: Matrix): void {
    kernelsFor(this.weights.data).matmulNT(sums, input, this.weights, this.biases);
    this.activation.forward(acts, sums);
  }

  /**
   * Gradients of the batch-mean loss from this layer's deltas Δ_n (k × units):
   *   dWeights = (1/k) Δ_nᵀ · input   (units × inputs)   ΔW_n = δ_nᵀ Z_{n-1}ᵀ, averaged
   *   dBiases  = (1/k) Σ_rows Δ_n     (units)            ΔB_n = δ_nᵀ, averaged
   *   dInput   = Δ_n · W_n            (k × inputs)       when given; skipped for the first layer
   */
  backward(
    dWeights: Matrix,
    dBiases: Float64Array,
    dInput: Matrix | undefined,
    deltas: Matrix,
    input: Matrix,
  ): void {
    const scale = 1 / deltas.rows;
    const kernels = kernelsFor(this.weights.data);
    kernels.matmulTN(dWeights, deltas, input, scale);
    kernels.columnSums(dBiases, deltas, scale);
    if (dInput !== undefined) kernels.matmulNN(dInput, deltas, this.weights);
  }
}
