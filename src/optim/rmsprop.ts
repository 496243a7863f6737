/**
 * RMSprop, as PyTorch's `RMSprop(alpha = ρ, eps, momentum)` computes it (not centered), with the
 * course's decoupled weight decay. For every parameter θ with gradient g:
 *
 *   s ← ρ·s + (1 − ρ)·g²
 *   μ = 0:   θ ← θ − α · g / (√s + ε) − λ·θ
 *   μ > 0:   b ← μ·b + g / (√s + ε),   θ ← θ − α·b − λ·θ
 *
 * (λ on weights only.)
 */
import { fail } from '../core/errors.js';
import { encodeFloat64 } from '../core/codec.js';
import { checkOptionNames, positiveFinite, toOptions } from '../core/schema.js';
import { allocateFloat64 } from '../kernels/memory.js';
import type { Params } from '../model/params.js';
import {
  checkStepArguments,
  segmentViews,
  type SegmentViews,
  type Optimizer,
  type OptimizerState,
  readBuffer,
  readState,
  unitInterval,
  weightDecayOption,
} from './optimizer.js';

export interface RmspropOptions {
  /** α. @default 0.01 */
  readonly learningRate?: number;
  /** ρ ∈ [0, 1), the decay of the mean square (PyTorch's `alpha`). @default 0.99 */
  readonly rho?: number;
  /** ε > 0, added to √s. @default 1e-8 */
  readonly epsilon?: number;
  /** μ ∈ [0, 1). @default 0 */
  readonly momentum?: number;
  /** λ ∈ [0, 1), the fraction of each weight removed per step. @default 0 */
  readonly weightDecay?: number;
}

export class Rmsprop implements Optimizer {
  readonly name = 'rmsprop';
  readonly learningRate: number;
  readonly rho: number;
  readonly epsilon: number;
  readonly momentum: number;
  readonly weightDecay: number;
  private params: Params | undefined;
  /** Whether the last step succeeded and has not been undone. */
  private canUndo = false;
  private before = new Float64Array(0);
  private square = new Float64Array(0);
  private squareBefore = new Float64Array(0);
  private buffer = new Float64Array(0);
  private bufferBefore = new Float64Array(0);
  /** Per segment: views of θ, g, the square averages and the buffer, made once for the store they were cut from. */
  private views: SegmentViews<'square' | 'buffer' | 'oldValues' | 'oldSquare' | 'oldBuffer'> | undefined;

  constructor(o: Required<RmspropOptions>) {
    this.learningRate = o.learningRate;
    this.rho = o.rho;
    this.epsilon = o.epsilon;
    this.momentum = o.momentum;
    this.weightDecay = o.weightDecay;
  }

  /** The options it was made with (written into checkpoints). */
  get options(): Required<RmspropOptions> {
    return { learningRate: this.learningRate, rho: this.rho, epsilon: this.epsilon, momentum: this.momentum, weightDecay: this.weightDecay };
  }

  init(params: Params): void {
    checkStepArguments('Optimizer.init', params, params, 1, 0);
    this.canUndo = false;
    const n = params.length, nb = this.momentum > 0 ? n : 0;
    this.params = params;
    this.before = allocateFloat64(n, params.values);
    this.square = allocateFloat64(n, params.values);
    this.squareBefore = allocateFloat64(n, params.values);
    this.buffer = allocateFloat64(nb, params.values);
    this.bufferBefore = allocateFloat64(nb, params.values);
    this.views = undefined;
  }

  step(params: Params, learningRate: number, weightDecay: number): boolean {
    const p = checkStepArguments('Optimizer.step', this.params, params, learningRate, weightDecay);
    const rho = this.rho, oneMinusRho = 1 - rho, eps = this.epsilon, mu = this.momentum;
    // Segment by segment on the kernels of the store's arena (WebAssembly SIMD when it lives in one;
    // kernels/js.ts rmspropUpdate is the same loop in JavaScript); every segment is updated even
    // after a non-finite one, so that `undo` restores all of θ.
    const views = this.viewsOf(p);
    const k = views.kernels, list = views.segments;
    let ok = true;
    for (let i = 0; i < list.length; i++) {
      const g = list[i]!;
      const finite = k.rmspropUpdate(g.values, g.grads, g.square, g.buffer, g.oldValues, g.oldSquare, g.oldBuffer,
        learningRate, rho, oneMinusRho, eps, mu, g.decay ? weightDecay : 0);
      ok = finite && ok;
    }
    this.canUndo = true;
    if (!ok) {
      this.undo();
      return false;
    }
    return true;
  }

  private viewsOf(p: Params): SegmentViews<'square' | 'buffer' | 'oldValues' | 'oldSquare' | 'oldBuffer'> {
    if (this.views?.store === p.values) return this.views;
    // the buffers are empty without momentum
    return (this.views = segmentViews(p, { square: this.square, buffer: this.buffer, oldValues: this.before, oldSquare: this.squareBefore, oldBuffer: this.bufferBefore }));
  }

  undo(): void {
    if (this.params === undefined || !this.canUndo) return;
    this.canUndo = false;
    this.params.values.set(this.before);
    this.square.set(this.squareBefore);
    this.buffer.set(this.bufferBefore);
  }

  state(): OptimizerState {
    return { name: 'rmsprop', square: encodeFloat64(this.square), buffer: encodeFloat64(this.buffer) };
  }

  load(state: OptimizerState): void {
    const where = 'Optimizer.load';
    if (this.params === undefined) fail(where, 'this', 'an optimizer after init(params)', 'one before init');
    const s = readState(where, 'rmsprop', state, ['square', 'buffer']);
    const square = readBuffer(where, 'state.square', s['square'], this.square.length);
    const buffer = readBuffer(where, 'state.buffer', s['buffer'], this.buffer.length);
    for (let i = 0; i < square.length; i++) if (square[i]! < 0) fail(where, 'state.square', 'non-negative values', `${square[i]} at index ${i}`);
    this.square.set(square);
    this.buffer.set(buffer);
    this.canUndo = false;
  }
}

/** RMSprop: see `RmspropOptions`. */
export function rmsprop(options?: RmspropOptions): Rmsprop {
  const where = 'rmsprop';
  const o = toOptions(where, 'options', options);
  checkOptionNames(where, 'options', o, ['learningRate', 'rho', 'epsilon', 'momentum', 'weightDecay']);
  return new Rmsprop({
    learningRate: o['learningRate'] === undefined ? 0.01 : positiveFinite(where, 'options.learningRate', o['learningRate']),
    rho: o['rho'] === undefined ? 0.99 : unitInterval(where, 'options.rho', o['rho']),
    epsilon: o['epsilon'] === undefined ? 1e-8 : positiveFinite(where, 'options.epsilon', o['epsilon']),
    momentum: o['momentum'] === undefined ? 0 : unitInterval(where, 'options.momentum', o['momentum']),
    weightDecay: o['weightDecay'] === undefined ? 0 : weightDecayOption(where, 'options.weightDecay', o['weightDecay']),
  });
}
