/**
 * Adam (Kingma & Ba, with bias correction, as PyTorch's `Adam` computes it) and AdamW (the same
 * with the course's decoupled weight decay). At step t = 1, 2, …, for every parameter θ with gradient g:
 *
 *   m ← β₁·m + (1 − β₁)·g              v ← β₂·v + (1 − β₂)·g²
 *   m̂ = m / (1 − β₁ᵗ)                  v̂ = v / (1 − β₂ᵗ)
 *   θ ← θ − α · m̂ / (√v̂ + ε) − λ·θ      (λ on weights only; λ = 0 for adam)
 *
 * computed as θ − (α / (1 − β₁ᵗ)) · (m / (√v / √(1 − β₂ᵗ) + ε)) − λ·θ, PyTorch's order. β₁ᵗ and β₂ᵗ
 * are running products (no Math.pow), so every engine gives the same bits.
 * PyTorch's `AdamW(lr, weight_decay = wd)` is `adamw({ learningRate: lr, weightDecay: lr · wd })`.
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
  readStepCount,
  unitInterval,
  weightDecayOption,
} from './optimizer.js';

export interface AdamOptions {
  /** α. @default 0.001 */
  readonly learningRate?: number;
  /** β₁ ∈ [0, 1), the decay of the first moment. @default 0.9 */
  readonly beta1?: number;
  /** β₂ ∈ [0, 1), the decay of the second moment. @default 0.999 */
  readonly beta2?: number;
  /** ε > 0, added to √v̂. @default 1e-8 */
  readonly epsilon?: number;
}

export interface AdamWOptions extends AdamOptions {
  /** λ ∈ [0, 1), the fraction of each weight removed per step (PyTorch's lr · weight_decay). @default 1e-5 */
  readonly weightDecay?: number;
}

export class Adam implements Optimizer {
  readonly name: 'adam' | 'adamw';
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly weightDecay: number;
  private params: Params | undefined;
  /** Whether the last step succeeded and has not been undone. */
  private canUndo = false;
  private before = new Float64Array(0);
  private m = new Float64Array(0);
  private v = new Float64Array(0);
  private mBefore = new Float64Array(0);
  private vBefore = new Float64Array(0);
  /** t, and β₁ᵗ, β₂ᵗ as running products. */
  private t = 0;
  private beta1Power = 1;
  private beta2Power = 1;
  private saved = { t: 0, beta1Power: 1, beta2Power: 1 };
  /** Per segment: views of θ, g and the moments, made once for the store they were cut from. */
  private views: SegmentViews<'m' | 'v' | 'oldValues' | 'oldM' | 'oldV'> | undefined;

  constructor(name: 'adam' | 'adamw', o: { learningRate: number; beta1: number; beta2: number; epsilon: number; weightDecay: number }) {
    this.name = name;
    this.learningRate = o.learningRate;
    this.beta1 = o.beta1;
    this.beta2 = o.beta2;
    this.epsilon = o.epsilon;
    this.weightDecay = o.weightDecay;
  }

  /** The options it was made with (written into checkpoints). */
  get options(): Required<AdamWOptions> {
    return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, weightDecay: this.weightDecay };
  }

  init(params: Params): void {
    checkStepArguments('Optimizer.init', params, params, 1, 0);
    this.canUndo = false;
    const n = params.length;
    this.params = params;
    this.before = allocateFloat64(n, params.values);
    this.m = allocateFloat64(n, params.values);
    this.v = allocateFloat64(n, params.values);
    this.mBefore = allocateFloat64(n, params.values);
    this.vBefore = allocateFloat64(n, params.values);
    this.views = undefined;
    this.t = 0;
    this.beta1Power = 1;
    this.beta2Power = 1;
  }

  step(params: Params, learningRate: number, weightDecay: number): boolean {
    const p = checkStepArguments('Optimizer.step', this.params, params, learningRate, weightDecay);
    this.saved.t = this.t;
    this.saved.beta1Power = this.beta1Power;
    this.saved.beta2Power = this.beta2Power;
    const b1 = this.beta1, b2 = this.beta2, eps = this.epsilon;
    const b1Power = this.beta1Power * b1, b2Power = this.beta2Power * b2;
    const stepSize = learningRate / (1 - b1Power);
    const c2Root = Math.sqrt(1 - b2Power);
    const oneMinusB1 = 1 - b1, oneMinusB2 = 1 - b2;
    // Segment by segment on the kernels of the store's arena (WebAssembly SIMD when it lives in one;
    // kernels/js.ts adamUpdate is the same loop in JavaScript); every segment is updated even
    // after a non-finite one, so that `undo` restores all of θ.
    const views = this.viewsOf(p);
    const k = views.kernels, list = views.segments;
    let ok = true;
    for (let i = 0; i < list.length; i++) {
      const g = list[i]!;
      const finite = k.adamUpdate(g.values, g.grads, g.m, g.v, g.oldValues, g.oldM, g.oldV,
        b1, b2, oneMinusB1, oneMinusB2, stepSize, c2Root, eps, g.decay ? weightDecay : 0);
      ok = finite && ok;
    }
    this.t++;
    this.beta1Power = b1Power;
    this.beta2Power = b2Power;
    this.canUndo = true;
    if (!ok) {
      this.undo();
      return false;
    }
    return true;
  }

  /** Views of every segment in θ, ∂h/∂θ and the state, made once per store (not per step). */
  private viewsOf(p: Params): SegmentViews<'m' | 'v' | 'oldValues' | 'oldM' | 'oldV'> {
    if (this.views?.store === p.values) return this.views;
    return (this.views = segmentViews(p, { m: this.m, v: this.v, oldValues: this.before, oldM: this.mBefore, oldV: this.vBefore }));
  }

  undo(): void {
    if (this.params === undefined || !this.canUndo) return;
    this.canUndo = false;
    this.params.values.set(this.before);
    this.m.set(this.mBefore);
    this.v.set(this.vBefore);
    this.t = this.saved.t;
    this.beta1Power = this.saved.beta1Power;
    this.beta2Power = this.saved.beta2Power;
  }

  state(): OptimizerState {
    return { name: this.name, t: this.t, beta1Power: this.beta1Power, beta2Power: this.beta2Power, m: encodeFloat64(this.m), v: encodeFloat64(this.v) };
  }

  load(state: OptimizerState): void {
    const where = 'Optimizer.load';
    if (this.params === undefined) fail(where, 'this', 'an optimizer after init(params)', 'one before init');
    const s = readState(where, this.name, state, ['t', 'beta1Power', 'beta2Power', 'm', 'v']);
    const t = readStepCount(where, 'state.t', s['t']);
    const p1 = s['beta1Power'], p2 = s['beta2Power'];
    if (typeof p1 !== 'number' || !(p1 >= 0 && p1 <= 1)) fail(where, 'state.beta1Power', 'a number in [0, 1]', p1);
    if (typeof p2 !== 'number' || !(p2 >= 0 && p2 <= 1)) fail(where, 'state.beta2Power', 'a number in [0, 1]', p2);
    const m = readBuffer(where, 'state.m', s['m'], this.m.length);
    const v = readBuffer(where, 'state.v', s['v'], this.v.length);
    for (let i = 0; i < v.length; i++) if (v[i]! < 0) fail(where, 'state.v', 'non-negative values', `${v[i]} at index ${i}`);
    this.t = t;
    this.beta1Power = p1;
    this.beta2Power = p2;
    this.m.set(m);
    this.v.set(v);
    this.canUndo = false;
  }
}

const ADAM_KEYS = ['learningRate', 'beta1', 'beta2', 'epsilon'];

function adamOptions(where: string, options: unknown, withDecay: boolean): { learningRate: number; beta1: number; beta2: number; epsilon: number; weightDecay: number } {
  const o = toOptions(where, 'options', options);
  checkOptionNames(where, 'options', o, withDecay ? [...ADAM_KEYS, 'weightDecay'] : ADAM_KEYS);
  return {
    learningRate: o['learningRate'] === undefined ? 0.001 : positiveFinite(where, 'options.learningRate', o['learningRate']),
    beta1: o['beta1'] === undefined ? 0.9 : unitInterval(where, 'options.beta1', o['beta1']),
    beta2: o['beta2'] === undefined ? 0.999 : unitInterval(where, 'options.beta2', o['beta2']),
    epsilon: o['epsilon'] === undefined ? 1e-8 : positiveFinite(where, 'options.epsilon', o['epsilon']),
    weightDecay: !withDecay ? 0 : o['weightDecay'] === undefined ? 1e-5 : weightDecayOption(where, 'options.weightDecay', o['weightDecay']),
  };
}

/** Adam with bias correction: see `AdamOptions`. */
export function adam(options?: AdamOptions): Adam {
  return new Adam('adam', adamOptions('adam', options, false));
}

/** Adam with the course's decoupled weight decay λ: see `AdamWOptions`. */
export function adamw(options?: AdamWOptions): Adam {
  return new Adam('adamw', adamOptions('adamw', options, true));
}
