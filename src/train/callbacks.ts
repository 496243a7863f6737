/**
 * Early stopping: after every epoch, compare the monitored figure with the best so far; stop when
 * it has not improved by more than `minDelta` for more than `patience` epochs in a row, and (with
 * `restoreBest`) leave the network with exactly the parameters it had at the end of its best epoch.
 */
import { decodeFloat64, encodeFloat64 } from '../core/codec.js';
import { fail } from '../core/errors.js';
import { booleanOption, checkOptionNames, nonNegativeFinite, toOptions } from '../core/schema.js';
import { type Monitor, monitorOption, nonNegativeInteger } from '../optim/schedules.js';

export interface EarlyStoppingOptions {
  /** The figure watched. @default 'validationLoss' */
  readonly monitor?: Monitor;
  /** Epochs in a row without improvement that are tolerated; training stops at the next one. */
  readonly patience: number;
  /** The least change that counts as an improvement. @default 0 */
  readonly minDelta?: number;
  /** Leave the network with the parameters of its best epoch when training ends. @default true */
  readonly restoreBest?: boolean;
}

export class EarlyStopping {
  readonly name = 'earlyStopping';
  readonly monitor: Monitor;
  readonly patience: number;
  readonly minDelta: number;
  readonly restoreBest: boolean;
  private maximize: boolean;
  private best = NaN;
  private wait = 0;
  private bestEpoch = 0;
  private bestValues = new Float64Array(0);

  constructor(o: Required<EarlyStoppingOptions>) {
    this.monitor = o.monitor;
    this.patience = o.patience;
    this.minDelta = o.minDelta;
    this.restoreBest = o.restoreBest;
    this.maximize = o.monitor === 'accuracy' || o.monitor === 'validationAccuracy';
  }

  /** The epoch (1-based) with the best figure so far, 0 before the first. */
  get bestEpochSoFar(): number {
    return this.bestEpoch;
  }

  /** @internal Allocates the copy of the best parameters; resets the state. */
  init(parameterCount: number): void {
    this.bestValues = new Float64Array(this.restoreBest ? parameterCount : 0);
    this.best = NaN;
    this.wait = 0;
    this.bestEpoch = 0;
  }

  /** @internal After epoch `epoch` (1-based) with figure `value`: returns true to stop. */
  epochEnd(epoch: number, value: number, values: Float64Array): boolean {
    const better =
      this.bestEpoch === 0 || (this.maximize ? value > this.best + this.minDelta : value < this.best - this.minDelta);
    if (better) {
      this.best = value;
      this.bestEpoch = epoch;
      this.wait = 0;
      if (this.restoreBest) this.bestValues.set(values);
      return false;
    }
    return ++this.wait > this.patience;
  }

  /** @internal At the end of training: puts the best epoch's parameters back. Returns whether it did. */
  finish(lastEpoch: number, values: Float64Array): boolean {
    if (!this.restoreBest || this.bestEpoch === 0 || this.bestEpoch === lastEpoch) return false;
    values.set(this.bestValues);
    return true;
  }

  /** @internal */
  toJSON(): { name: string; options: Required<EarlyStoppingOptions>; state: Record<string, unknown> } {
    return {
      name: 'earlyStopping',
      options: { monitor: this.monitor, patience: this.patience, minDelta: this.minDelta, restoreBest: this.restoreBest },
      state: {
        best: this.bestEpoch === 0 ? null : this.best,
        wait: this.wait,
        bestEpoch: this.bestEpoch,
        bestValues: this.restoreBest && this.bestEpoch > 0 ? encodeFloat64(this.bestValues) : null,
      },
    };
  }

  /** @internal */
  load(where: string, arg: string, state: unknown): void {
    const s = toOptions(where, arg, state);
    const bestEpoch = nonNegativeInteger(where, `${arg}.bestEpoch`, s['bestEpoch']);
    const wait = nonNegativeInteger(where, `${arg}.wait`, s['wait']);
    const best = s['best'];
    if (bestEpoch > 0 && (typeof best !== 'number' || !Number.isFinite(best))) fail(where, `${arg}.best`, 'a finite number', best);
    const values = this.restoreBest && bestEpoch > 0 ? decodeFloat64(where, `${arg}.bestValues`, s['bestValues'], this.bestValues.length) : undefined;
    this.bestEpoch = bestEpoch;
    this.wait = wait;
    this.best = bestEpoch > 0 ? (best as number) : NaN;
    if (values !== undefined) this.bestValues.set(values);
  }
}

/** Stops training when `monitor` stops improving: see `EarlyStoppingOptions`. */
export function earlyStopping(options: EarlyStoppingOptions): EarlyStopping {
  const where = 'earlyStopping';
  if (options === undefined) fail(where, 'options', 'an options object with at least "patience"', options);
  const o = toOptions(where, 'options', options);
  checkOptionNames(where, 'options', o, ['monitor', 'patience', 'minDelta', 'restoreBest']);
  return new EarlyStopping({
    monitor: o['monitor'] === undefined ? 'validationLoss' : monitorOption(where, 'options.monitor', o['monitor']),
    patience: nonNegativeInteger(where, 'options.patience', o['patience']),
    minDelta: o['minDelta'] === undefined ? 0 : nonNegativeFinite(where, 'options.minDelta', o['minDelta']),
    restoreBest: o['restoreBest'] === undefined ? true : booleanOption(where, 'options.restoreBest', o['restoreBest']),
  });
}
