/**
 * Stochastic gradient descent, with the course's weight decay and, optionally, momentum:
 *
 *   μ = 0 (the seed):   W ← W − α·g − λ·W                 B ← B − α·g_B
 *   momentum μ:         v ← μ·v + g  (v = g at the first step),   θ ← θ − α·v − λ·θ
 *   Nesterov:           v ← μ·v + g,                               θ ← θ − α·(g + μ·v) − λ·θ
 *
 * g is the batch mean (1/k) Σ ΔW, so with μ = 0 a step is the course's W ← W − (α/k) Σ ΔW − λW.
 * λ is not multiplied by α (decoupled weight decay; it equals an L2 penalty (λ / 2α)‖W‖²) and
 * applies to weights only. Momentum is PyTorch's `SGD(momentum, nesterov)` (dampening 0).
 */
import { fail } from '../core/errors.js';
import { encodeFloat64 } from '../core/codec.js';
import { booleanOption, checkOptionNames, positiveFinite, toOptions } from '../core/schema.js';
import { allocateFloat64 } from '../kernels/memory.js';
import type { Params } from '../model/params.js';
import {
  checkStepArguments,
  segmentViews,
  type SegmentViews,
  DEFAULT_LEARNING_RATE,
  type Optimizer,
  type OptimizerState,
  readBuffer,
  readState,
  readStepCount,
  unitInterval,
  weightDecayOption,
} from './optimizer.js';

export interface SgdOptions {
  /** α, the step size. @default 0.01 */
  readonly learningRate?: number;
  /** μ ∈ [0, 1), the momentum; 0 is the course's plain gradient descent. @default 0 */
  readonly momentum?: number;
  /** Nesterov's momentum (needs momentum > 0). @default false */
  readonly nesterov?: boolean;
  /** λ ∈ [0, 1), the fraction of every weight removed at each step (not multiplied by α). @default 0 */
  readonly weightDecay?: number;
}

export class Sgd implements Optimizer {
  readonly name = 'sgd';
  readonly learningRate: number;
  readonly weightDecay: number;
  readonly momentum: number;
  readonly nesterov: boolean;
  private params: Params | undefined;
  /** Whether the last step succeeded and has not been undone. */
  private canUndo = false;
  /** θ before the last step. */
  private before = new Float64Array(0);
  /** The velocity v, and its value before the last step. */
  private velocity = new Float64Array(0);
  private velocityBefore = new Float64Array(0);
  private steps = 0;
  private stepsBefore = 0;
  /** Per segment: views of θ, g, `before` and the velocity, made once for the store they were cut from. */
  private views: SegmentViews<'backup' | 'velocity' | 'velocityBackup'> | undefined;

  constructor(options: { learningRate: number; momentum: number; nesterov: boolean; weightDecay: number }) {
    this.learningRate = options.learningRate;
    this.momentum = options.momentum;
    this.nesterov = options.nesterov;
    this.weightDecay = options.weightDecay;
  }

  /** The options it was made with (written into checkpoints). */
  get options(): Required<SgdOptions> {
    return { learningRate: this.learningRate, momentum: this.momentum, nesterov: this.nesterov, weightDecay: this.weightDecay };
  }

  init(params: Params): void {
    checkStepArguments('Optimizer.init', params, params, 1, 0);
    this.canUndo = false;
    this.params = params;
    this.before = allocateFloat64(params.length, params.values);
    const n = this.momentum > 0 ? params.length : 0;
    this.velocity = allocateFloat64(n, params.values);
    this.velocityBefore = allocateFloat64(n, params.values);
    this.views = undefined;
    this.steps = 0;
    this.stepsBefore = 0;
  }

  step(params: Params, learningRate: number, weightDecay: number): boolean {
    const p = checkStepArguments('Optimizer.step', this.params, params, learningRate, weightDecay);
    this.stepsBefore = this.steps;
    const ok = this.momentum > 0 ? this.stepMomentum(p, learningRate, weightDecay) : this.stepPlain(p, learningRate, weightDecay);
    this.canUndo = true;
    if (!ok) this.undo();
    else this.steps++;
    return ok;
  }

  /**
   * W ← W − α·g − λ·W, B ← B − α·g_B, saving θ first; returns whether every new value is finite.
   * Runs the kernels of the store's arena (WebAssembly SIMD when it lives in one), segment by segment;
   * every segment is updated even after a non-finite one, so that `undo` restores all of θ.
   */
  private stepPlain(p: Params, lr: number, wd: number): boolean {
    const views = this.viewsOf(p);
    const k = views.kernels, list = views.segments;
    let ok = true;
    for (let i = 0; i < list.length; i++) {
      const s = list[i]!;
      const finite = s.decay ? k.sgdUpdate(s.values, s.grads, lr, wd, s.backup) : k.sgdUpdateNoDecay(s.values, s.grads, lr, s.backup);
      ok = finite && ok;
    }
    return ok;
  }

  private viewsOf(p: Params): SegmentViews<'backup' | 'velocity' | 'velocityBackup'> {
    if (this.views?.store === p.values) return this.views;
    // the velocity arrays are empty without momentum
    return (this.views = segmentViews(p, { backup: this.before, velocity: this.velocity, velocityBackup: this.velocityBefore }));
  }

  /**
   * v ← μ·v + g (v ← g on the first step), u = Nesterov ? g + μ·v : v, W ← W − α·u − λ·W, B ← B − α·u_B,
   * saving θ and v first; segment by segment on the kernels of the store's arena, like stepPlain.
   */
  private stepMomentum(p: Params, lr: number, wd: number): boolean {
    const views = this.viewsOf(p);
    const k = views.kernels, list = views.segments;
    const mu = this.momentum, nesterov = this.nesterov, first = this.steps === 0;
    let ok = true;
    for (let i = 0; i < list.length; i++) {
      const s = list[i]!;
      const finite = k.momentumUpdate(s.values, s.grads, s.velocity, s.backup, s.velocityBackup, lr, mu, nesterov, first, s.decay ? wd : 0);
      ok = finite && ok;
    }
    return ok;
  }

  undo(): void {
    if (this.params === undefined || !this.canUndo) return;
    this.canUndo = false;
    this.params.values.set(this.before);
    if (this.momentum > 0) this.velocity.set(this.velocityBefore);
    this.steps = this.stepsBefore;
  }

  state(): OptimizerState {
    return { name: 'sgd', steps: this.steps, velocity: encodeFloat64(this.velocity) };
  }

  load(state: OptimizerState): void {
    const where = 'Optimizer.load';
    if (this.params === undefined) fail(where, 'this', 'an optimizer after init(params)', 'one before init');
    const s = readState(where, 'sgd', state, ['steps', 'velocity']);
    const steps = readStepCount(where, 'state.steps', s['steps']);
    const velocity = readBuffer(where, 'state.velocity', s['velocity'], this.velocity.length);
    this.steps = steps;
    this.velocity.set(velocity);
    this.canUndo = false;
  }
}

/** SGD as the seed writes it, with optional momentum: see `SgdOptions`. */
export function sgd(options?: SgdOptions): Sgd {
  const where = 'sgd';
  const o = toOptions(where, 'options', options);
  checkOptionNames(where, 'options', o, ['learningRate', 'momentum', 'nesterov', 'weightDecay']);
  const learningRate = o['learningRate'] === undefined ? DEFAULT_LEARNING_RATE : positiveFinite(where, 'options.learningRate', o['learningRate']);
  const momentum = o['momentum'] === undefined ? 0 : unitInterval(where, 'options.momentum', o['momentum']);
  const nesterov = o['nesterov'] === undefined ? false : booleanOption(where, 'options.nesterov', o['nesterov']);
  if (nesterov && momentum === 0) fail(where, 'options.momentum', 'greater than 0 when nesterov is true', momentum);
  const weightDecay = o['weightDecay'] === undefined ? 0 : weightDecayOption(where, 'options.weightDecay', o['weightDecay']);
  return new Sgd({ learningRate, momentum, nesterov, weightDecay });
}
