/**
 * Arenas: the memory that kernels work in, and the kernels bound to it.
 *
 * WebAssembly kernels can only read and write their instance's memory, so every operand of a
 * fast call must live there. An arena is one block of memory, sized when it is made and never
 * grown (a grown WebAssembly.Memory detaches every view taken from it), from which the caller
 * takes its float64 (and index) arrays once, plus the kernels that work on them:
 *
 *   const arena = createArena(float64Count)         // backend: getBackend() at this moment
 *   const values = arena.take(P)                     // Float64Array views, zero-filled, never moved
 *   const W0 = new Matrix(out, in, values.subarray(0, out * in))   // views of views are fine
 *   const order = arena.takeIndices(samples)         // Uint32Array (gatherRows' order)
 *   arena.kernels.matmulNT(A, Z, W0, B0)             // same signatures and bits as ./js.ts
 *
 * The contract:
 * - `createArena(n)` reserves exactly n float64 slots; `take(length)` and `takeMatrix(rows, cols)`
 *   use `length` slots, `takeIndices(length)` uses ⌈length / 2⌉ (arrays are 8-byte aligned, no
 *   padding), so the sum of what is taken must be at most n; taking more throws. Taken arrays
 *   are zero-filled and stay valid (same buffer, same offset) for the life of the arena.
 * - `arena.kernels` works on any arrays, but it is fast only when every operand (out, inputs,
 *   bias, order) is a view of this arena's memory (a `subarray` of a taken array counts): one
 *   `buffer ===` comparison per operand decides, and a call with an operand outside runs the
 *   JavaScript kernel instead (the same bits, slower) and counts one in `arena.fallbacks`. Tests
 *   of wiring should assert that `fallbacks` stays 0 in training. One exception: `gatherRows`
 *   from a `src` outside the arena (training data that got no room in the arena, see
 *   ../model/memory.ts) into an `out` inside is an expected way to fill a batch; it copies in
 *   JavaScript and is not counted.
 *   On the JS backend every array is fine and `fallbacks` stays 0.
 * - Kernels neither allocate nor validate, as in ./js.ts: shapes are the caller's business. On
 *   WebAssembly a wrong shape writes over the arena's neighbouring arrays (or traps at the end of
 *   the memory) instead of being ignored as out-of-range typed-array writes are.
 * - The backend is fixed for the life of an arena; `setBackend` applies to arenas made after it.
 *   Both backends return the same bits, so a network may move between arenas of either kind.
 * - `dispose()` detaches every view taken from a WebAssembly arena (they read as length 0), so a
 *   stale `layer.weights.data` after a documented move cannot pass for live data. On the JS
 *   backend it only marks the arena disposed (the views keep their last values).
 * - Memory cost of a WebAssembly arena: n · 8 bytes plus a fixed scratch area for packing
 *   (HEAP_BASE, 265 KiB), rounded up to 64 KiB pages.
 */
import { DeltapropError } from '../core/errors.js';
import { Matrix } from '../core/matrix.js';

export type Backend = 'wasm' | 'js';

/** The kernels of one arena: the functions of ./js.ts, with the same signatures and bits. */
export interface Kernels {
  /** out (m × n) = a (m × k) · bᵀ (b: n × k) + bias[j] on every row when given. */
  matmulNT(out: Matrix, a: Matrix, b: Matrix, bias?: Float64Array): void;
  /** out (m × n) = a (m × k) · b (k × n). */
  matmulNN(out: Matrix, a: Matrix, b: Matrix): void;
  /** out (m × n) = scale · aᵀ (a: k × m) · b (k × n). */
  matmulTN(out: Matrix, a: Matrix, b: Matrix, scale?: number): void;
  /** out[j] = scale · Σ_i a[i][j]. */
  columnSums(out: Float64Array, a: Matrix, scale?: number): void;
  /** Copies rows order[start .. start + out.rows) of src into out. */
  gatherRows(out: Matrix, src: Matrix, order: Uint32Array, start: number): void;
  /** values ← values − learningRate·grads − weightDecay·values; false when a new value is not finite. */
  sgdUpdate(values: Float64Array, grads: Float64Array, learningRate: number, weightDecay: number, backup?: Float64Array): boolean;
  /** values ← values − learningRate·grads (biases); false when a new value is not finite. */
  sgdUpdateNoDecay(values: Float64Array, grads: Float64Array, learningRate: number, backup?: Float64Array): boolean;
  /** One Adam step of a segment, saving the old values, m and v: see ./js.ts. False when a new value or v is not finite. */
  adamUpdate(
    values: Float64Array, grads: Float64Array, m: Float64Array, v: Float64Array,
    oldValues: Float64Array, oldM: Float64Array, oldV: Float64Array,
    beta1: number, beta2: number, oneMinusBeta1: number, oneMinusBeta2: number,
    stepSize: number, c2Root: number, epsilon: number, decay: number,
  ): boolean;
  /** One step of SGD with momentum on a segment, saving the old values and velocity: see ./js.ts. False when a new value or velocity is not finite. */
  momentumUpdate(
    values: Float64Array, grads: Float64Array, velocity: Float64Array, oldValues: Float64Array, oldVelocity: Float64Array,
    learningRate: number, momentum: number, nesterov: boolean, first: boolean, decay: number,
  ): boolean;
  /** One RMSprop step of a segment, saving the old values, square averages and buffer: see ./js.ts. False when a new value or square average is not finite. */
  rmspropUpdate(
    values: Float64Array, grads: Float64Array, square: Float64Array, buffer: Float64Array,
    oldValues: Float64Array, oldSquare: Float64Array, oldBuffer: Float64Array,
    learningRate: number, rho: number, oneMinusRho: number, epsilon: number, momentum: number, decay: number,
  ): boolean;
  reluForward(out: Float64Array, a: Float64Array): void;
  reluBackward(out: Float64Array, dZ: Float64Array, a: Float64Array): void;
  leakyReluForward(out: Float64Array, a: Float64Array, slope: number): void;
  leakyReluBackward(out: Float64Array, dZ: Float64Array, a: Float64Array, slope: number): void;
}

export class Arena {
  /** Which kernels `kernels` runs. */
  readonly backend: Backend;
  /** Float64 slots reserved when the arena was made. */
  readonly capacity: number;
  readonly kernels: Kernels & { readonly fallbacks: number };
  /** The memory every view of this arena shares. */
  readonly buffer: ArrayBuffer;
  private cursor: number;
  private readonly end: number;
  private readonly detach: () => void;
  private ended = false;

  /** Made by `createArena`: `base` is the byte offset of slot 0 in `buffer`. */
  constructor(
    backend: Backend, buffer: ArrayBuffer, base: number, capacity: number,
    kernels: Kernels & { readonly fallbacks: number }, detach: () => void,
  ) {
    this.backend = backend;
    this.buffer = buffer;
    this.capacity = capacity;
    this.kernels = kernels;
    this.cursor = base;
    this.end = base + capacity * 8;
    this.detach = detach;
  }

  /** Float64 slots taken so far. */
  get used(): number {
    return this.capacity - (this.end - this.cursor) / 8;
  }

  /** Float64 slots that can still be taken (0 once disposed). */
  get available(): number {
    return this.ended ? 0 : (this.end - this.cursor) / 8;
  }

  /** Whether `dispose()` was called. */
  get disposed(): boolean {
    return this.ended;
  }

  /** Calls of `kernels` that ran the JavaScript kernel because an operand lay outside the arena. */
  get fallbacks(): number {
    return this.kernels.fallbacks;
  }

  /** A zero-filled view of `length` float64 slots, valid for the life of the arena. */
  take(length: number): Float64Array<ArrayBuffer> {
    return new Float64Array(this.buffer, this.reserve('take', length, length), length);
  }

  takeMatrix(rows: number, cols: number): Matrix {
    return new Matrix(rows, cols, this.take(rows * cols));
  }

  /** A zero-filled Uint32Array of `length` indices (uses ⌈length / 2⌉ float64 slots). */
  takeIndices(length: number): Uint32Array {
    return new Uint32Array(this.buffer, this.reserve('takeIndices', length, Math.ceil(length / 2)), length);
  }

  /** Whether `view` is a view of this arena's memory (so kernels run on it without a fallback). */
  contains(view: ArrayBufferView): boolean {
    return view.buffer === this.buffer;
  }

  /** Ends the arena: on WebAssembly, every view taken from it is detached (length 0). */
  dispose(): void {
    if (this.ended) return;
    this.ended = true;
    this.detach();
  }

  private reserve(where: string, length: number, slots: number): number {
    if (this.disposed) throw new DeltapropError(`Arena.${where}: the arena was disposed`);
    if (!Number.isSafeInteger(length) || length < 0) {
      throw new DeltapropError(`Arena.${where}: argument "length" must be a non-negative integer, got ${String(length)}`);
    }
    const at = this.cursor;
    if (at + slots * 8 > this.end) {
      throw new DeltapropError(
        `Arena.${where}: ${slots} float64 slots requested but only ${(this.end - at) / 8} of ${this.capacity} are left`,
      );
    }
    this.cursor = at + slots * 8;
    return at;
  }
}
