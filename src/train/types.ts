/** The shapes the Trainer takes and returns: its options, its history, its checkpoints. */
import type { MatrixLike } from '../core/schema.js';
import type { Label } from '../data/labels.js';
import type { ModelData } from '../data/model-data.js';
import type { FromJSONOptions, NetworkJSON } from '../io/json.js';
import type { Dense } from '../model/layer.js';
import type { Loss, LossName } from '../model/losses.js';
import type { Params } from '../model/params.js';
import type { Optimizer } from '../optim/optimizer.js';
import type { Schedule, ScheduleFunction } from '../optim/schedules.js';
import type { EarlyStopping } from './callbacks.js';

/** Targets: rows (one per sample), or for a classifier a plain array of labels (strings or integers). */
export type Targets = MatrixLike | ArrayLike<Label>;

export interface EpochStats {
  /** 1-based epoch number. */
  readonly epoch: number;
  /**
   * Mean loss over the epoch's training samples (each batch measured before its update), in training
   * units: against the scaled targets under outputScaling, and with the dropout masks of training.
   */
  readonly loss: number;
  /** Mean loss over the validation set after the epoch, when there is validation data. */
  readonly validationLoss?: number;
  /** Training accuracy over the epoch, for classification outputs (softmax, or one sigmoid unit). */
  readonly accuracy?: number;
  /** Validation accuracy after the epoch, for classification outputs. */
  readonly validationAccuracy?: number;
}

export interface BatchStats {
  /** 1-based epoch number. */
  readonly epoch: number;
  /** 1-based batch number within the epoch. */
  readonly batch: number;
  /** Mean loss of the batch, measured before its update. */
  readonly loss: number;
}

export interface History {
  /** One entry per completed epoch. */
  readonly epochs: EpochStats[];
  /** True when a callback (onEpoch, onBatch, earlyStopping) or `stop()` ended training before the last epoch. */
  readonly stoppedEarly: boolean;
  /** True when `options.signal` aborted training. */
  readonly aborted: boolean;
  /** With earlyStopping and restoreBest: the epoch whose parameters the network was left with. */
  readonly restoredEpoch?: number;
  /** What looked wrong during training, each with a reason and a remedy (they never change the results). */
  readonly warnings: string[];
}

/** The part of an AbortSignal the Trainer reads. */
export interface AbortSignalLike {
  readonly aborted: boolean;
}

export type OptimizerName = 'sgd' | 'adam' | 'adamw' | 'rmsprop';

export interface TrainerOptions {
  /**
   * The loss h. @default 'categoricalCrossEntropy' after a softmax output,
   * 'binaryCrossEntropy' after a sigmoid output, 'l2' otherwise
   */
  readonly loss?: LossName | Loss;
  /** An optimizer object (`sgd()`, `adam()`, …, or your own) or a name with default settings. @default 'sgd' */
  readonly optimizer?: Optimizer | OptimizerName;
  /** α, when the optimizer is given by name or not at all. @default the optimizer's (0.01 for SGD) */
  readonly learningRate?: number;
  /** λ in W ← W − α·update − λW (not multiplied by α; biases are not decayed), with a named optimizer. @default 0 */
  readonly weightDecay?: number;
  /** A multiplier of the learning rate per batch: `schedules.*` or `(batch, epoch) => multiplier`. @default constant */
  readonly schedule?: Schedule | ScheduleFunction;
  /** k, samples per batch; the last batch of an epoch may be shorter. @default 32 */
  readonly batchSize?: number;
  /** Passes over the training set. @default 10 */
  readonly epochs?: number;
  /** Visit the samples in a fresh seeded random order every epoch. @default true */
  readonly shuffle?: boolean;
  /** Seed of the shuffling, of validationSplit and of the dropout masks (a stream of their own). @default 0 on a network's first unseeded fit, then 1, 2, … */
  readonly seed?: number;
  /** Data to measure after every epoch (never trained on); for a classifier, y may be labels. */
  readonly validation?: { readonly x: MatrixLike; readonly y: Targets };
  /** The fraction of (x, y) held out as validation data, in (0, 1): the last part after one seeded permutation, stratified by class for classifiers. */
  readonly validationSplit?: number;
  /** `earlyStopping(...)`. */
  readonly callbacks?: readonly EarlyStopping[];
  /** Called after every batch; return `false` to stop training after it. */
  readonly onBatch?: (stats: BatchStats) => boolean | void;
  /** Called after every epoch; return `false` to stop training. */
  readonly onEpoch?: (stats: EpochStats) => boolean | void;
  /** Training stops before the next batch once `signal.aborted` is true (an AbortSignal). */
  readonly signal?: AbortSignalLike;
}

export interface FitOptions extends TrainerOptions {
  /** fitAsync only: the longest stretch of training between two yields to the event loop, in ms. @default 16 */
  readonly yieldEveryMs?: number;
}

/** Options of `Trainer.resume`: what a checkpoint cannot hold (functions, data, your own objects). */
export interface ResumeOptions {
  readonly validation?: { readonly x: MatrixLike; readonly y: Targets };
  readonly onBatch?: TrainerOptions['onBatch'];
  readonly onEpoch?: TrainerOptions['onEpoch'];
  readonly signal?: AbortSignalLike;
  /** Your own loss, optimizer or schedule, when the checkpoint was made with one. */
  readonly loss?: Loss;
  readonly optimizer?: Optimizer;
  readonly schedule?: Schedule | ScheduleFunction;
  /** Your own activations, by name, as for `Network.fromJSON`. */
  readonly activations?: FromJSONOptions['activations'];
}

/** What the Trainer needs of a network (the Network class is one). */
export interface TrainingModel {
  readonly input: number;
  readonly output: number;
  readonly layers: readonly Dense[];
  readonly params: Params;
  /** @internal */
  readonly state: { trainer: object | undefined; unseededFits: number; readonly model: ModelData };
  toJSON(): NetworkJSON;
}

/** A Trainer's whole state as plain JSON values: `JSON.stringify` it, and `Trainer.resume` continues exactly. */
export interface Checkpoint {
  readonly format: 'deltaprop-checkpoint';
  readonly version: 1;
  readonly [field: string]: unknown;
}

