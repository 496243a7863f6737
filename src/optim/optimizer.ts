/**
 * The optimizer interface. An optimizer updates the parameter store θ from the gradient of the
 * batch-mean loss g = (1/k) Σ ∂h/∂θ (`params.grads`), once per batch:
 *
 *   θ ← θ − α_t · update(g, state) − λ_t · θ     (the λ term on weights only, both terms from the same θ)
 *
 * α_t is the learning rate of this batch (α times the schedule's multiplier) and λ_t = λ · α_t / α,
 * so that without a schedule λ is exactly the course's: the fraction of each weight removed per step.
 */
import { DeltapropError, describe, fail } from '../core/errors.js';
import { decodeFloat64 } from '../core/codec.js';
import type { Kernels } from '../kernels/arena.js';
import { kernelsFor } from '../kernels/memory.js';
import { Params } from '../model/params.js';

/** What `Optimizer.state()` returns: plain JSON values only, so that it survives `JSON.stringify`. */
export interface OptimizerState {
  readonly name: string;
  readonly [key: string]: unknown;
}

export interface Optimizer {
  /** A short name ('sgd', 'adam', …), written into checkpoints. */
  readonly name: string;
  /** α, the base learning rate (a schedule multiplies it). */
  readonly learningRate: number;
  /** λ, the fraction of each weight removed per step (not multiplied by α; biases are never decayed). */
  readonly weightDecay: number;
  /** Allocates the optimizer's buffers for `params` and resets its state. Called once per training run. */
  init(params: Params): void;
  /**
   * One update of `params.values` from `params.grads` with α_t = `learningRate`, λ_t = `weightDecay`.
   * Returns whether every new value is finite; when one is not, the built-in optimizers restore the
   * parameters and their own state to before the step and return false.
   */
  step(params: Params, learningRate: number, weightDecay: number): boolean;
  /**
   * Restores the parameters and the state of before the last `step`, when that step succeeded and has not
   * been undone yet; otherwise does nothing (optional; the built-ins have it).
   */
  undo?(): void;
  /** The state (moments, step count) as plain JSON values. */
  state(): OptimizerState;
  /** Restores a state returned by `state()` of an optimizer of the same kind, after `init`. */
  load(state: OptimizerState): void;
}

export const DEFAULT_LEARNING_RATE = 0.01;

/** Checks the arguments of a built-in optimizer's `step` (cheap: no loop over the values). */
export function checkStepArguments(where: string, bound: Params | undefined, params: unknown, learningRate: unknown, weightDecay: unknown): Params {
  if (!(params instanceof Params)) fail(where, 'params', 'a Params store (network.params)', params);
  if (bound === undefined) fail(where, 'params', 'a store given to init(params) first (this optimizer has no buffers yet)', params);
  if (params !== bound) fail(where, 'params', 'the Params store given to init()', 'another one');
  if (typeof learningRate !== 'number' || !Number.isFinite(learningRate) || learningRate < 0) fail(where, 'learningRate', 'a non-negative finite number', learningRate);
  if (typeof weightDecay !== 'number' || !(weightDecay >= 0 && weightDecay < 1)) fail(where, 'weightDecay', 'a number in [0, 1)', weightDecay);
  return params;
}

/** One segment of θ (a weight matrix or a bias vector) cut from θ, g and an optimizer's state arrays. */
export type Segment<K extends string> = { readonly [name in K | 'values' | 'grads']: Float64Array } & { readonly decay: boolean };

/** The segments of a store, for the per-segment kernels of the built-in optimizers. */
export interface SegmentViews<K extends string> {
  /** The store they were cut from: views of a store that moved (to or from an arena) are stale. */
  readonly store: Float64Array;
  /** The kernels of the arena the store lives in (the JavaScript kernels for ordinary arrays). */
  readonly kernels: Kernels;
  readonly segments: ReadonlyArray<Segment<K>>;
}

/**
 * Cuts θ (`values`), g (`grads`) and each array of `state` (as long as θ, or empty: an unused
 * buffer stays empty) into the segments of `p`. Made once per store: keep the result while
 * `p.values` is `views.store`.
 */
export function segmentViews<K extends string>(p: Params, state: { readonly [name in K]: Float64Array }): SegmentViews<K> {
  const names = Object.keys(state) as K[];
  return {
    store: p.values,
    kernels: kernelsFor(p.values),
    segments: p.segments.map((s) => {
      const cut = (a: Float64Array): Float64Array => a.subarray(s.offset, s.offset + s.length);
      const segment: Record<string, Float64Array | boolean> = { values: cut(p.values), grads: cut(p.grads), decay: s.decay };
      for (const name of names) segment[name] = cut(state[name]);
      return segment as Segment<K>;
    }),
  };
}

/** Validates the common part of a `load(state)` argument and returns it as a record. */
export function readState(where: string, name: string, state: unknown, keys: readonly string[]): Record<string, unknown> {
  if (state === null || typeof state !== 'object' || Array.isArray(state)) fail(where, 'state', `the object returned by a ${name} optimizer's state()`, state);
  const s = state as Record<string, unknown>;
  const own = (k: string): unknown => (Object.prototype.hasOwnProperty.call(s, k) ? s[k] : undefined);
  if (own('name') !== name) fail(where, 'state.name', `'${name}'`, own('name'));
  for (const k of Object.keys(s)) {
    if (k !== 'name' && !keys.includes(k)) throw new DeltapropError(`${where}: argument "state" has an unknown field ${describe(k)}; expected ${['name', ...keys].join(', ')}`);
  }
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = own(k);
  return out;
}

export function readBuffer(where: string, arg: string, text: unknown, length: number): Float64Array {
  return decodeFloat64(where, arg, text, length);
}

export function readStepCount(where: string, arg: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) fail(where, arg, 'a non-negative integer', v);
  return v;
}

/** Checks an optimizer option that must lie in [0, 1). */
export function unitInterval(where: string, arg: string, v: unknown): number {
  if (typeof v !== 'number' || !(v >= 0 && v < 1)) fail(where, arg, 'a number in [0, 1)', v);
  return v;
}

export function weightDecayOption(where: string, arg: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) fail(where, arg, 'a non-negative finite number', v);
  if (v >= 1) fail(where, arg, 'less than 1 (it is the fraction of each weight removed per step)', v);
  return v;
}
