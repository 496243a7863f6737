/**
 * The parameter store: every trainable value of a network in one Float64Array θ, and the gradient
 * of the batch-mean loss in a second array of the same layout. Layer n owns two segments:
 *
 *   W_n   units × inputs, row by row    (decayed by weight decay)
 *   B_n   units                         (never decayed)
 *
 * `layer.weights` and `layer.biases` are views into `values`; the gradient views into `grads`.
 * Optimizers, rollback, early stopping and checkpoints work on the flat arrays.
 */
import { allocateFloat64 } from '../kernels/memory.js';

/** One contiguous run of parameters: `values.subarray(offset, offset + length)`. */
export interface Segment {
  readonly offset: number;
  readonly length: number;
  /** Whether weight decay applies (weights: true, biases: false). */
  readonly decay: boolean;
}

export class Params {
  /** θ: every weight and bias, layer by layer (W_0, B_0, W_1, B_1, …). */
  readonly values: Float64Array;
  /** ∂h/∂θ of the last backward pass, same layout as `values`. */
  readonly grads: Float64Array;
  /** The layout, in order; the segments tile `values` without gaps. */
  readonly segments: readonly Segment[];

  /** A store for layers of the given (units, inputs) shapes, all zeros. */
  constructor(shapes: ReadonlyArray<{ readonly units: number; readonly inputs: number }>) {
    const segments: Segment[] = [];
    let offset = 0;
    for (const s of shapes) {
      segments.push({ offset, length: s.units * s.inputs, decay: true });
      offset += s.units * s.inputs;
      segments.push({ offset, length: s.units, decay: false });
      offset += s.units;
    }
    this.values = allocateFloat64(offset);
    this.grads = allocateFloat64(offset);
    this.segments = Object.freeze(segments.map((s) => Object.freeze(s)));
  }

  /** The number of trainable values. */
  get length(): number {
    return this.values.length;
  }
}
