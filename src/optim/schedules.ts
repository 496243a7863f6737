/**
 * Learning-rate schedules: a multiplier m_t of the optimizer's learning rate for every batch,
 * t = 0, 1, … counting batches across epochs (T batches in the whole run), e = 0, 1, … the epoch:
 *
 *   constant()                          m = 1
 *   stepDecay({ every, factor })        m = factor^⌊e / every⌋
 *   exponentialDecay({ factor })        m = factor^e
 *   cosineDecay({ minFactor = 0 })      m = minFactor + (1 − minFactor)·(1 + cos(π t / T)) / 2
 *   warmup({ batches, then })           m = (t + 1) / batches for t < batches, then `then` from t − batches
 *   reduceOnPlateau({ monitor, … })     m ← max(m · factor, minFactor) when `monitor` has not improved
 *                                       for more than `patience` epochs
 *
 * The step is α_t = α · m_t and the weight decay λ_t = λ · m_t. Powers are running products and
 * cos is the library's own, so the same run gives the same bits on every engine.
 * A schedule may also be a function `(batch, epoch) => multiplier`.
 */
import { DeltapropError, fail } from '../core/errors.js';
import { cos } from '../core/trig.js';
import { checkOptionNames, nonNegativeFinite, positiveFinite, positiveInteger, toOptions } from '../core/schema.js';
import { unitInterval } from './optimizer.js';

/** A user's own schedule: the multiplier of batch t (from 0, across epochs) in epoch e (from 0). */
export type ScheduleFunction = (batch: number, epoch: number) => number;

/** What a Trainer can monitor at the end of an epoch. */
export type Monitor = 'loss' | 'validationLoss' | 'accuracy' | 'validationAccuracy';
export const MONITORS: readonly Monitor[] = ['loss', 'validationLoss', 'accuracy', 'validationAccuracy'];

/** A built-in schedule, as the Trainer drives it. */
export interface Schedule {
  readonly name: string;
  /** The multiplier of batch t of epoch e, in a run of T batches. */
  factor(t: number, epoch: number, T: number): number;
  /** reduceOnPlateau: what it watches (the Trainer checks that it will exist). */
  readonly monitor?: Monitor;
  /** Called by the Trainer after every epoch with the figure of `monitor`. */
  epochEnd?(value: number): void;
  /** The JSON form of its options (and, for stateful schedules, its state) for checkpoints. */
  toJSON(): ScheduleJSON;
  /** Resets the state of a stateful schedule (at the start of a run). */
  reset?(): void;
  /** Restores a state from `toJSON().state`. */
  load?(state: unknown): void;
}

export interface ScheduleJSON {
  readonly name: string;
  readonly options: Readonly<Record<string, unknown>>;
  readonly state?: unknown;
}

/** x^n for a non-negative integer n, by repeated multiplication (the same bits everywhere). */
function power(x: number, n: number): number {
  let p = 1;
  for (let i = 0; i < n; i++) p *= x;
  return p;
}

export function constant(): Schedule {
  return { name: 'constant', factor: () => 1, toJSON: () => ({ name: 'constant', options: {} }) };
}

export function stepDecay(options: { readonly every: number; readonly factor: number }): Schedule {
  const where = 'schedules.stepDecay';
  const o = toOptions(where, 'options', options);
  checkOptionNames(where, 'options', o, ['every', 'factor']);
  const every = positiveInteger(where, 'options.every', o['every']);
  const factor = positiveFinite(where, 'options.factor', o['factor']);
  let epochSeen = -1, value = 1;
  return {
    name: 'stepDecay',
    factor(_t, epoch) {
      if (epoch !== epochSeen) {
        epochSeen = epoch;
        value = power(factor, Math.floor(epoch / every));
      }
      return value;
    },
    toJSON: () => ({ name: 'stepDecay', options: { every, factor } }),
  };
}

export function exponentialDecay(options: { readonly factor: number }): Schedule {
  const where = 'schedules.exponentialDecay';
  const o = toOptions(where, 'options', options);
  checkOptionNames(where, 'options', o, ['factor']);
  const factor = positiveFinite(where, 'options.factor', o['factor']);
  let epochSeen = -1, value = 1;
  return {
    name: 'exponentialDecay',
    factor(_t, epoch) {
      if (epoch !== epochSeen) {
        epochSeen = epoch;
        value = power(factor, epoch);
      }
      return value;
    },
    toJSON: () => ({ name: 'exponentialDecay', options: { factor } }),
  };
}

export function cosineDecay(options?: { readonly minFactor?: number }): Schedule {
  const where = 'schedules.cosineDecay';
  const o = toOptions(where, 'options', options);
  checkOptionNames(where, 'options', o, ['minFactor']);
  const minFactor = o['minFactor'] === undefined ? 0 : unitIntervalClosed(where, 'options.minFactor', o['minFactor']);
  return {
    name: 'cosineDecay',
    factor: (t, _epoch, T) => minFactor + (1 - minFactor) * (1 + cos((Math.PI * t) / T)) / 2,
    toJSON: () => ({ name: 'cosineDecay', options: { minFactor } }),
  };
}

export function warmup(options: { readonly batches: number; readonly then?: Schedule | ScheduleFunction }): Schedule {
  const where = 'schedules.warmup';
  const o = toOptions(where, 'options', options);
  checkOptionNames(where, 'options', o, ['batches', 'then']);
  const batches = positiveInteger(where, 'options.batches', o['batches']);
  const then = o['then'] === undefined ? constant() : resolveSchedule(where, 'options.then', o['then']);
  return {
    name: 'warmup',
    factor: (t, epoch, T) => (t < batches ? (t + 1) / batches : then.factor(t - batches, epoch, Math.max(T - batches, 1))),
    ...(then.monitor !== undefined ? { monitor: then.monitor } : {}),
    ...(then.epochEnd !== undefined ? { epochEnd: (v: number) => then.epochEnd!(v) } : {}),
    ...(then.reset !== undefined ? { reset: () => then.reset!() } : {}),
    ...(then.load !== undefined ? { load: (s: unknown) => then.load!(s) } : {}),
    toJSON: () => {
      const inner = then.toJSON();
      return { name: 'warmup', options: { batches, then: { name: inner.name, options: inner.options } }, ...(inner.state !== undefined ? { state: inner.state } : {}) };
    },
  };
}

export interface ReduceOnPlateauOptions {
  /** The figure watched after every epoch. @default 'validationLoss' */
  readonly monitor?: Monitor;
  /** The multiplier's factor on a plateau, in (0, 1). @default 0.1 */
  readonly factor?: number;
  /** Epochs in a row without improvement that are tolerated. @default 10 */
  readonly patience?: number;
  /** The smallest multiplier. @default 0 */
  readonly minFactor?: number;
  /** The least change that counts as an improvement. @default 0 */
  readonly minDelta?: number;
}

export function reduceOnPlateau(options?: ReduceOnPlateauOptions): Schedule {
  const where = 'schedules.reduceOnPlateau';
  const o = toOptions(where, 'options', options);
  checkOptionNames(where, 'options', o, ['monitor', 'factor', 'patience', 'minFactor', 'minDelta']);
  const monitor = o['monitor'] === undefined ? 'validationLoss' : monitorOption(where, 'options.monitor', o['monitor']);
  const factor = o['factor'] === undefined ? 0.1 : unitInterval(where, 'options.factor', o['factor']);
  if (factor === 0) fail(where, 'options.factor', 'a number in (0, 1)', factor);
  const patience = o['patience'] === undefined ? 10 : nonNegativeInteger(where, 'options.patience', o['patience']);
  const minFactor = o['minFactor'] === undefined ? 0 : unitIntervalClosed(where, 'options.minFactor', o['minFactor']);
  const minDelta = o['minDelta'] === undefined ? 0 : nonNegativeFinite(where, 'options.minDelta', o['minDelta']);
  const maximize = monitor === 'accuracy' || monitor === 'validationAccuracy';
  let multiplier = 1, best = maximize ? -Infinity : Infinity, wait = 0;
  return {
    name: 'reduceOnPlateau',
    monitor,
    factor: () => multiplier,
    epochEnd(value) {
      const better = maximize ? value > best + minDelta : value < best - minDelta;
      if (better) {
        best = value;
        wait = 0;
      } else if (++wait > patience) {
        multiplier = Math.max(multiplier * factor, minFactor);
        wait = 0;
      }
    },
    reset() {
      multiplier = 1;
      best = maximize ? -Infinity : Infinity;
      wait = 0;
    },
    load(state) {
      const s = toOptions('Trainer.resume', 'checkpoint.schedule.state', state);
      const m = s['multiplier'], w = s['wait'], b = s['best'];
      if (typeof m !== 'number' || !(m >= 0 && m <= 1)) fail('Trainer.resume', 'checkpoint.schedule.state.multiplier', 'a number in [0, 1]', m);
      if (typeof w !== 'number' || !Number.isSafeInteger(w) || w < 0) fail('Trainer.resume', 'checkpoint.schedule.state.wait', 'a non-negative integer', w);
      if (b !== null && (typeof b !== 'number' || !Number.isFinite(b))) fail('Trainer.resume', 'checkpoint.schedule.state.best', 'a finite number or null', b);
      multiplier = m;
      wait = w;
      best = b === null ? (maximize ? -Infinity : Infinity) : b;
    },
    toJSON: () => ({
      name: 'reduceOnPlateau',
      options: { monitor, factor, patience, minFactor, minDelta },
      state: { multiplier, wait, best: Number.isFinite(best) ? best : null },
    }),
  };
}

/** The built-in schedules. */
export const schedules = Object.freeze({ constant, stepDecay, exponentialDecay, cosineDecay, warmup, reduceOnPlateau });

/** A schedule given as a built-in object or as a user's function (its multipliers are checked when used). */
export function resolveSchedule(where: string, arg: string, value: unknown): Schedule {
  if (typeof value === 'function') {
    const f = value as ScheduleFunction;
    return { name: 'custom', factor: (t, epoch) => f(t, epoch), toJSON: () => ({ name: 'custom', options: {} }) };
  }
  if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o['factor'] === 'function' && typeof o['toJSON'] === 'function' && typeof o['name'] === 'string') return value as Schedule;
  }
  return fail(where, arg, 'a schedule from schedules.* or a function (batch, epoch) => multiplier', value);
}

/** Rebuilds a built-in schedule from its JSON form (checkpoints). */
export function scheduleFromJSON(where: string, arg: string, json: unknown): Schedule {
  const j = toOptions(where, arg, json);
  const name = j['name'];
  const options = j['options'] as Record<string, unknown> | undefined;
  let s: Schedule;
  switch (name) {
    case 'constant':
      s = constant();
      break;
    case 'stepDecay':
      s = stepDecay(options as never);
      break;
    case 'exponentialDecay':
      s = exponentialDecay(options as never);
      break;
    case 'cosineDecay':
      s = cosineDecay(options);
      break;
    case 'reduceOnPlateau':
      s = reduceOnPlateau(options);
      break;
    case 'warmup': {
      const o = toOptions(where, `${arg}.options`, options);
      s = warmup({ batches: o['batches'] as number, then: scheduleFromJSON(where, `${arg}.options.then`, o['then']) });
      break;
    }
    default:
      throw new DeltapropError(`${where}: argument "${arg}" is a '${String(name)}' schedule, which a checkpoint cannot rebuild; pass the schedule again in the options`);
  }
  if (j['state'] !== undefined && s.load !== undefined) s.load(j['state']);
  return s;
}

export function monitorOption(where: string, arg: string, v: unknown): Monitor {
  if (typeof v !== 'string' || !(MONITORS as readonly string[]).includes(v)) fail(where, arg, MONITORS.map((m) => `'${m}'`).join(', ').replace(/, ([^,]*)$/, ' or $1'), v);
  return v as Monitor;
}

export function nonNegativeInteger(where: string, arg: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) fail(where, arg, 'a non-negative integer', v);
  return v;
}

function unitIntervalClosed(where: string, arg: string, v: unknown): number {
  if (typeof v !== 'number' || !(v >= 0 && v <= 1)) fail(where, arg, 'a number in [0, 1]', v);
  return v;
}
