/**
 * What the Trainer's options become once checked: the optimizer from a name or an object, the
 * validation data (given, or split off the training data per class), the callbacks, and the checks
 * that what a schedule or a callback watches will exist.
 */
import { DeltapropError, describe, fail, sanitize } from '../core/errors.js';
import { Matrix } from '../core/matrix.js';
import { Random } from '../core/random.js';
import { checkOptionNames, guard, isMatrix, member, nonNegativeFinite, positiveFinite, toMatrix, toOptions } from '../core/schema.js';
import { isBuiltinSigmoid, isBuiltinSoftmax } from '../model/activations.js';
import { checkTargets, type Loss, losses } from '../model/losses.js';
import { adam, adamw } from '../optim/adam.js';
import { DEFAULT_LEARNING_RATE, type Optimizer } from '../optim/optimizer.js';
import { rmsprop } from '../optim/rmsprop.js';
import type { Monitor, Schedule } from '../optim/schedules.js';
import { sgd } from '../optim/sgd.js';
import { targetClasses } from './accuracy.js';
import { EarlyStopping } from './callbacks.js';
import { targetRows } from './targets.js';
import type { AbortSignalLike, TrainerOptions, TrainingModel } from './types.js';

/** The loss a network's output suggests when none is given. */
export function defaultLoss(net: TrainingModel): Loss {
  const f = net.layers[net.layers.length - 1]!.activation;
  if (isBuiltinSoftmax(f)) return losses.categoricalCrossEntropy;
  if (isBuiltinSigmoid(f)) return losses.binaryCrossEntropy;
  return losses.l2;
}

export interface Resolved {
  loss: Loss;
  optimizer: Optimizer;
  schedule: Schedule | undefined;
  batchSize: number;
  epochs: number;
  shuffle: boolean;
  seed: number;
  x: Matrix;
  y: Matrix;
  validation: { x: Matrix; y: Matrix } | undefined;
  validationSplit: number | undefined;
  callbacks: EarlyStopping[];
  onBatch: TrainerOptions['onBatch'];
  onEpoch: TrainerOptions['onEpoch'];
  signal: AbortSignalLike | undefined;
}

/** A copy of the caller's data, so that nothing the caller does later changes the training set. */
export function ownMatrix(where: string, arg: string, value: unknown, cols: number): Matrix {
  const m = toMatrix(where, arg, value, cols);
  return isMatrix(value) ? m.clone() : m; // arrays were copied by toMatrix; a Matrix is only wrapped
}

export function resolveOptimizer(where: string, o: Record<string, unknown>): Optimizer {
  const given = o['optimizer'];
  const lr = o['learningRate'], wd = o['weightDecay'];
  if (given === undefined || typeof given === 'string') {
    const name = given ?? 'sgd';
    const learningRate = lr === undefined ? undefined : positiveFinite(where, 'options.learningRate', lr);
    const weightDecay = wd === undefined ? undefined : nonNegativeFinite(where, 'options.weightDecay', wd);
    if (weightDecay !== undefined && weightDecay >= 1) fail(where, 'options.weightDecay', 'less than 1 (it is the fraction of each weight removed per step)', weightDecay);
    const settings = { ...(learningRate !== undefined ? { learningRate } : {}), ...(weightDecay !== undefined ? { weightDecay } : {}) };
    switch (name) {
      case 'sgd':
        return sgd({ learningRate: learningRate ?? DEFAULT_LEARNING_RATE, ...(weightDecay !== undefined ? { weightDecay } : {}) });
      case 'adam':
        if (weightDecay !== undefined && weightDecay > 0) {
          throw new DeltapropError(`${where}: argument "options.weightDecay" is not an option of 'adam'; use optimizer 'adamw' for Adam with weight decay`);
        }
        return adam(learningRate !== undefined ? { learningRate } : {});
      case 'adamw':
        return adamw(settings);
      case 'rmsprop':
        return rmsprop(settings);
      default:
        return fail(where, 'options.optimizer', "'sgd', 'adam', 'adamw', 'rmsprop' or an optimizer object", name);
    }
  }
  if (lr !== undefined || wd !== undefined) {
    throw new DeltapropError(`${where}: argument "options" must give either "optimizer" or "learningRate"/"weightDecay", not both (set them on the optimizer)`);
  }
  return checkOptimizer(where, 'options.optimizer', given);
}

export function checkOptimizer(where: string, arg: string, given: unknown): Optimizer {
  return guard(where, arg, () => {
    if (given === null || typeof given !== 'object') fail(where, arg, 'an optimizer object', given);
    const read = (name: string): unknown => member(given, name);
    positiveFinite(where, `${arg}.learningRate`, read('learningRate'));
    const wd = nonNegativeFinite(where, `${arg}.weightDecay`, read('weightDecay'));
    if (wd >= 1) fail(where, `${arg}.weightDecay`, 'less than 1', wd);
    for (const m of ['init', 'step', 'state', 'load'] as const) {
      if (typeof read(m) !== 'function') {
        fail(where, arg, 'an optimizer: sgd(), adam(), adamw(), rmsprop(), or an object with init, step, state and load methods', `an object without ${m}()`);
      }
    }
    const undo = read('undo');
    if (undo !== undefined && typeof undo !== 'function') fail(where, `${arg}.undo`, 'a function or undefined', undo);
    const name = read('name');
    if (typeof name !== 'string' || name.length === 0) fail(where, `${arg}.name`, 'a non-empty string', name);
    return given as Optimizer;
  });
}

export function resolveValidation(where: string, arg: string, net: TrainingModel, loss: Loss, value: unknown): { x: Matrix; y: Matrix } {
  const v = toOptions(where, arg, value);
  checkOptionNames(where, arg, v, ['x', 'y']);
  const vx = ownMatrix(where, `${arg}.x`, v['x'], net.input);
  const vy = targetRows(where, `${arg}.y`, net, v['y'], vx.rows);
  if (vy.rows !== vx.rows) {
    throw new DeltapropError(`${where}: argument "${arg}.y" must have ${vx.rows} rows (one per sample of validation.x), got ${vy.rows}`);
  }
  checkTargets(where, `${arg}.y`, loss, vy);
  return { x: vx, y: vy };
}

export function resolveCallbacks(where: string, value: unknown): EarlyStopping[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail(where, 'options.callbacks', 'an array of earlyStopping(...) objects', value);
  const list = (value as unknown[]).slice();
  list.forEach((c, i) => {
    if (!(c instanceof EarlyStopping)) fail(where, `options.callbacks[${i}]`, 'an earlyStopping(...) object', c);
  });
  if (new Set(list).size !== list.length) fail(where, 'options.callbacks', 'distinct callback objects', 'the same object twice');
  return list as EarlyStopping[];
}

export function functionOption<T>(where: string, arg: string, v: unknown): T | undefined {
  if (v !== undefined && typeof v !== 'function') fail(where, arg, 'a function', v);
  return v as T | undefined;
}

export function signalOption(where: string, v: unknown): AbortSignalLike | undefined {
  if (v === undefined) return undefined;
  if (v === null || typeof v !== 'object' || typeof (v as { aborted?: unknown }).aborted !== 'boolean') fail(where, 'options.signal', 'an AbortSignal', v);
  return v as AbortSignalLike;
}

/** Splits (x, y): the last `fraction` of one seeded permutation is validation (per class for classifiers). */
export function splitValidation(where: string, x: Matrix, y: Matrix, fraction: number, seed: number, stratify: boolean): { train: [Matrix, Matrix]; validation: [Matrix, Matrix] } {
  const n = x.rows;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  new Random(new Random(seed).nextUint32() * 2 + 1).shuffle(order);
  const held = new Uint8Array(n);
  if (stratify) {
    const classes = targetClasses(y);
    const byClass = new Map<number, number[]>();
    for (const i of order) {
      const c = classes[i]!;
      let list = byClass.get(c);
      if (list === undefined) byClass.set(c, (list = []));
      list.push(i);
    }
    for (const list of byClass.values()) {
      const k = Math.round(list.length * fraction);
      for (let j = list.length - k; j < list.length; j++) held[list[j]!] = 1;
    }
  } else {
    const k = Math.round(n * fraction);
    for (let j = n - k; j < n; j++) held[order[j]!] = 1;
  }
  let nv = 0;
  for (let i = 0; i < n; i++) nv += held[i]!;
  if (nv === 0 || nv === n) {
    throw new DeltapropError(`${where}: argument "options.validationSplit" holds out ${nv} of ${n} samples; it must leave at least one sample on each side (use more data or another fraction)`);
  }
  const pick = (m: Matrix, keep: number, rows: number): Matrix => {
    const out = new Matrix(rows, m.cols);
    let r = 0;
    for (let i = 0; i < n; i++) if (held[i] === keep) out.data.set(m.data.subarray(i * m.cols, (i + 1) * m.cols), r++ * m.cols);
    return out;
  };
  return { train: [pick(x, 0, n - nv), pick(y, 0, n - nv)], validation: [pick(x, 1, nv), pick(y, 1, nv)] };
}

/** What a thrown value says, escaped and cut short; never fails, whatever was thrown (a revoked Proxy, a throwing getter). */
export function errorMessage(error: unknown): string {
  try {
    if (error instanceof Error) return sanitize(String(error.message));
  } catch {
    return 'an error whose message cannot be read';
  }
  return typeof error === 'string' ? sanitize(error) : describe(error);
}

export function checkFree(where: string, net: TrainingModel): void {
  const busy = net.state.trainer;
  if (busy !== undefined) {
    const t = busy as { epoch: number; epochs: number };
    throw new DeltapropError(
      `${where}: this network is being trained by another Trainer (epoch ${t.epoch + 1} of ${t.epochs}); one network trains in one loop at a time — ` +
        'wait for it to finish, or call its stop() (to train a copy in parallel, use network.clone())',
    );
  }
}

export function checkMonitors(where: string, scheduleMonitor: Monitor | undefined, callbacks: readonly EarlyStopping[], hasValidation: boolean, isClassifier: boolean): void {
  const watched: Array<[string, Monitor]> = callbacks.map((c, i) => [`options.callbacks[${i}].monitor`, c.monitor]);
  if (scheduleMonitor !== undefined) watched.push(['options.schedule.monitor', scheduleMonitor]);
  for (const [arg, m] of watched) {
    if ((m === 'validationLoss' || m === 'validationAccuracy') && !hasValidation) {
      throw new DeltapropError(`${where}: argument "${arg}" watches '${m}', but there is no validation data; give options.validation or options.validationSplit, or watch 'loss'`);
    }
    if ((m === 'accuracy' || m === 'validationAccuracy') && !isClassifier) {
      throw new DeltapropError(`${where}: argument "${arg}" watches '${m}', but the network is not a classifier (softmax output, or one sigmoid unit); watch a loss`);
    }
  }
}

