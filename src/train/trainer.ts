/**
 * The training loop of the seed's conclusion: epochs over the training set in a fresh shuffled
 * order ("roulement des valeurs d'entraînement"), mini-batches of k samples, one SGD step per
 * batch with the batch-mean gradient. The last batch of an epoch may be shorter; it is averaged
 * over its own size.
 *
 * Everything is validated and converted once, before the first step; the loop itself allocates
 * nothing: batch buffers, trace, deltas and gradients are allocated once per batch size.
 */
import { isBuiltinSigmoid, isBuiltinSoftmax } from '../model/activations.js';
import { DeltapropError, TrainingError, describe, fail } from '../core/errors.js';
import { gatherRows } from '../kernels/js.js';
import { fusedDelta, type Loss, type LossName, losses, resolveLoss } from '../model/losses.js';
import type { Matrix } from '../core/matrix.js';
import {
  backwardPass,
  checkTargets,
  createGradients,
  createWorkspace,
  forwardPass,
  type Network,
  type Workspace,
} from '../network.js';
import { DEFAULT_LEARNING_RATE, type Optimizer, sgdStep } from '../optim/sgd.js';
import { Random } from '../core/random.js';
import {
  booleanOption,
  checkOptionNames,
  integerSeed,
  type MatrixLike,
  nonNegativeFinite,
  positiveFinite,
  positiveInteger,
  toMatrix,
  toOptions,
} from '../core/schema.js';

export interface EpochStats {
  /** 1-based epoch number. */
  readonly epoch: number;
  /** Mean loss over the epoch's training samples (each batch measured before its update). */
  readonly loss: number;
  /** Mean loss over the validation set after the epoch, when `validation` is given. */
  readonly validationLoss?: number;
  /** Training accuracy over the epoch, for classification outputs (softmax, or one sigmoid unit). */
  readonly accuracy?: number;
  /** Validation accuracy after the epoch, for classification outputs. */
  readonly validationAccuracy?: number;
}

export interface History {
  /** One entry per completed epoch. */
  readonly epochs: EpochStats[];
  /** True when `onEpoch` returned `false` before the last epoch. */
  readonly stoppedEarly: boolean;
}

export interface FitOptions {
  /**
   * The loss h. @default 'categoricalCrossEntropy' after a softmax output,
   * 'binaryCrossEntropy' after a sigmoid output, 'l2' otherwise
   */
  readonly loss?: LossName | Loss;
  /** α, the SGD step size. @default 0.01 */
  readonly learningRate?: number;
  /** λ in W ← W − α·mean(ΔW) − λW (not multiplied by α; biases are not decayed). @default 0 */
  readonly weightDecay?: number;
  /** An optimizer (e.g. `sgd({...})`) instead of `learningRate`/`weightDecay`. */
  readonly optimizer?: Optimizer;
  /** k, samples per batch; the last batch of an epoch may be shorter. @default 32 */
  readonly batchSize?: number;
  /** Passes over the training set. @default 10 */
  readonly epochs?: number;
  /** Visit the samples in a fresh seeded random order every epoch. @default true */
  readonly shuffle?: boolean;
  /** Seed of the shuffling. @default 0 */
  readonly seed?: number;
  /** Data to measure after every epoch (never trained on). */
  readonly validation?: { readonly x: MatrixLike; readonly y: MatrixLike };
  /** Called after every epoch; return `false` to stop training. */
  readonly onEpoch?: (stats: EpochStats) => boolean | void;
}

const FIT_KEYS = [
  'loss',
  'learningRate',
  'weightDecay',
  'optimizer',
  'batchSize',
  'epochs',
  'shuffle',
  'seed',
  'validation',
  'onEpoch',
] as const;

/** The loss a network's output suggests when none is given. */
export function defaultLoss(net: Network): Loss {
  const f = net.layers[net.layers.length - 1]!.activation;
  if (isBuiltinSoftmax(f)) return losses.categoricalCrossEntropy;
  if (isBuiltinSigmoid(f)) return losses.binaryCrossEntropy;
  return losses.l2;
}

/** How outputs are scored as classes, or undefined for regression outputs. */
type Scorer = (z: Matrix, y: Matrix) => number;

/** Softmax: the predicted class is the argmax of a row, the true one the argmax of the target row. */
function countArgmaxHits(z: Matrix, y: Matrix): number {
  const Z = z.data, Y = y.data, n = z.cols;
  let hits = 0;
  for (let i = 0; i < z.rows; i++) {
    const base = i * n;
    let bz = 0, by = 0;
    for (let j = 1; j < n; j++) {
      if (Z[base + j]! > Z[base + bz]!) bz = j;
      if (Y[base + j]! > Y[base + by]!) by = j;
    }
    if (bz === by) hits++;
  }
  return hits;
}

/** One sigmoid output: predicted 1 when z ≥ 0.5, true 1 when y ≥ 0.5. */
function countThresholdHits(z: Matrix, y: Matrix): number {
  const Z = z.data, Y = y.data;
  let hits = 0;
  for (let i = 0; i < Z.length; i++) if (Z[i]! >= 0.5 === Y[i]! >= 0.5) hits++;
  return hits;
}

export function scorerFor(net: Network): Scorer | undefined {
  const f = net.layers[net.layers.length - 1]!.activation;
  if (isBuiltinSoftmax(f) && net.output > 1) return countArgmaxHits;
  if (isBuiltinSigmoid(f) && net.output === 1) return countThresholdHits;
  return undefined;
}

/** `Network.fit`: validates everything, then runs the epochs. */
export function fitNetwork(net: Network, x: MatrixLike, y: MatrixLike, options?: FitOptions): History {
  const where = 'Network.fit';
  const o = toOptions(where, 'options', options);
  checkOptionNames(where, 'options', o, FIT_KEYS);

  const loss = o['loss'] === undefined ? defaultLoss(net) : resolveLoss(where, 'options.loss', o['loss']);
  let learningRate: number;
  let weightDecay: number;
  if (o['optimizer'] !== undefined) {
    if (o['learningRate'] !== undefined || o['weightDecay'] !== undefined) {
      throw new DeltapropError(`${where}: argument "options" must give either "optimizer" or "learningRate"/"weightDecay", not both`);
    }
    const opt = toOptions(where, 'options.optimizer', o['optimizer']);
    if (typeof opt['step'] !== 'function') fail(where, 'options.optimizer', 'an optimizer made by sgd()', opt);
    learningRate = positiveFinite(where, 'options.optimizer.learningRate', opt['learningRate']);
    weightDecay = nonNegativeFinite(where, 'options.optimizer.weightDecay', opt['weightDecay']);
  } else {
    learningRate = o['learningRate'] === undefined ? DEFAULT_LEARNING_RATE : positiveFinite(where, 'options.learningRate', o['learningRate']);
    weightDecay = o['weightDecay'] === undefined ? 0 : nonNegativeFinite(where, 'options.weightDecay', o['weightDecay']);
  }
  if (weightDecay >= 1) fail(where, 'options.weightDecay', 'less than 1 (it is the fraction of each weight removed per step)', weightDecay);
  const batchSize = o['batchSize'] === undefined ? 32 : positiveInteger(where, 'options.batchSize', o['batchSize']);
  const epochs = o['epochs'] === undefined ? 10 : positiveInteger(where, 'options.epochs', o['epochs']);
  const shuffle = o['shuffle'] === undefined ? true : booleanOption(where, 'options.shuffle', o['shuffle']);
  const seed = o['seed'] === undefined ? 0 : integerSeed(where, 'options.seed', o['seed']);
  const onEpoch = o['onEpoch'];
  if (onEpoch !== undefined && typeof onEpoch !== 'function') fail(where, 'options.onEpoch', 'a function', onEpoch);

  const X = toMatrix(where, 'x', x, net.input);
  const Y = toMatrix(where, 'y', y, net.output);
  if (Y.rows !== X.rows) {
    throw new DeltapropError(`${where}: argument "y" must have ${X.rows} rows (one per sample of x), got ${Y.rows}`);
  }
  checkTargets(where, 'y', loss, Y);

  let validation: { x: Matrix; y: Matrix } | undefined;
  if (o['validation'] !== undefined) {
    const v = toOptions(where, 'options.validation', o['validation']);
    checkOptionNames(where, 'options.validation', v, ['x', 'y']);
    const vx = toMatrix(where, 'options.validation.x', v['x'], net.input);
    const vy = toMatrix(where, 'options.validation.y', v['y'], net.output);
    if (vy.rows !== vx.rows) {
      throw new DeltapropError(
        `${where}: argument "options.validation.y" must have ${vx.rows} rows (one per sample of validation.x), got ${vy.rows}`,
      );
    }
    checkTargets(where, 'options.validation.y', loss, vy);
    validation = { x: vx, y: vy };
  }

  return runEpochs(net, X, Y, {
    loss,
    learningRate,
    weightDecay,
    batchSize: Math.min(batchSize, X.rows),
    epochs,
    shuffle,
    seed,
    validation,
    onEpoch: onEpoch as FitOptions['onEpoch'],
  });
}

interface ResolvedOptions {
  readonly loss: Loss;
  readonly learningRate: number;
  readonly weightDecay: number;
  readonly batchSize: number;
  readonly epochs: number;
  readonly shuffle: boolean;
  readonly seed: number;
  readonly validation: { x: Matrix; y: Matrix } | undefined;
  readonly onEpoch: FitOptions['onEpoch'];
}

/** Buffers of training, allocated once per (samples, batch size) and reused by every batch. */
export interface TrainingBuffers {
  /** Workspace of the full batches. */
  readonly full: Workspace;
  /** Workspace of the last, shorter batch (undefined when the batch size divides the set). */
  readonly tail: Workspace | undefined;
  readonly gradients: ReturnType<typeof createGradients>;
  /** Copies of the weights and biases from before the current batch, to undo a diverging step. */
  readonly backup: Float64Array[];
  /** The visiting order of the samples. */
  readonly order: Uint32Array;
}

function createTrainingBuffers(net: Network, samples: number, batchSize: number): TrainingBuffers {
  const tailRows = samples % batchSize;
  const backup: Float64Array[] = [];
  for (const l of net.layers) backup.push(new Float64Array(l.weights.data.length), new Float64Array(l.biases.length));
  return {
    full: createWorkspace(net, batchSize),
    tail: tailRows > 0 ? createWorkspace(net, tailRows) : undefined,
    gradients: createGradients(net),
    backup,
    order: new Uint32Array(samples),
  };
}

/**
 * Each network's training buffers, kept while the network lives, so that repeated `fit` calls on
 * the same data and batch size (training in slices, as a page between animation frames does)
 * allocate nothing either.
 */
const trainingBuffers = new WeakMap<Network, TrainingBuffers>();

/** The buffers `fit` uses for `net` (undefined before its first fit). Exposed for the buffer-reuse tests. */
export function trainingBuffersOf(net: Network): TrainingBuffers | undefined {
  return trainingBuffers.get(net);
}

function runEpochs(net: Network, X: Matrix, Y: Matrix, opt: ResolvedOptions): History {
  const where = 'Network.fit';
  const { loss, learningRate, weightDecay, batchSize, validation, onEpoch } = opt;
  const N = X.rows;
  const layers = net.layers;
  const last = layers.length;
  const fused = fusedDelta(loss, layers[last - 1]!.activation);
  const score = scorerFor(net);
  let buffers = trainingBuffers.get(net);
  if (buffers === undefined || buffers.order.length !== N || buffers.full.rows !== batchSize) {
    buffers = createTrainingBuffers(net, N, batchSize);
    trainingBuffers.set(net, buffers);
  }
  const { order, gradients, backup } = buffers;
  // Every fit starts from the same order, so its shuffles depend on its seed alone.
  for (let i = 0; i < N; i++) order[i] = i;
  const evalWs = validation === undefined ? undefined : createWorkspace(net, validation.x.rows, false);
  const random = new Random(opt.seed);
  const batches = Math.ceil(N / batchSize);
  const history: EpochStats[] = [];
  let lastLoss = NaN;

  // Where training is, for the report of an error thrown by a user's loss or activation.
  let epoch = 0;
  let batch = 0;
  try {
    for (epoch = 1; epoch <= opt.epochs; epoch++) {
      if (opt.shuffle) random.shuffle(order);
      let lossSum = 0;
      let hits = 0;
      for (let b = 0; b < batches; b++) {
        batch = b + 1;
        const start = b * batchSize;
        const ws = start + batchSize <= N ? buffers.full : buffers.tail!;
        gatherRows(ws.activations[0]!, X, order, start);
        gatherRows(ws.targets, Y, order, start);
        forwardPass(net, ws);
        const z = ws.activations[last]!;
        const batchLoss = loss.value(z, ws.targets);
        if (!Number.isFinite(batchLoss)) throw diverged(epoch, b + 1, `the loss became ${describe(batchLoss)}`, lastLoss, learningRate);
        lossSum += batchLoss * (ws.rows / N); // weighted by the batch's share, so the sum cannot overflow
        if (score !== undefined) hits += score(z, ws.targets);
        backwardPass(net, ws, loss, fused, gradients);
        if (!sgdStep(net, gradients, learningRate, weightDecay, backup)) {
          for (let n = 0; n < last; n++) {
            layers[n]!.weights.data.set(backup[2 * n]!);
            layers[n]!.biases.set(backup[2 * n + 1]!);
          }
          throw diverged(epoch, b + 1, 'a weight became non-finite', batchLoss, learningRate);
        }
        lastLoss = batchLoss;
      }

      batch = 0;
      const stats: { -readonly [K in keyof EpochStats]: EpochStats[K] } = { epoch, loss: lossSum };
      if (score !== undefined) stats.accuracy = hits / N;
      if (validation !== undefined && evalWs !== undefined) {
        evalWs.activations[0]!.data.set(validation.x.data);
        forwardPass(net, evalWs);
        const z = evalWs.activations[last]!;
        stats.validationLoss = loss.value(z, validation.y);
        if (!Number.isFinite(stats.validationLoss)) {
          // The last step made the validation loss non-finite: undo it, as for a training loss.
          for (let n = 0; n < last; n++) {
            layers[n]!.weights.data.set(backup[2 * n]!);
            layers[n]!.biases.set(backup[2 * n + 1]!);
          }
          throw diverged(epoch, batches, `the validation loss after it became ${describe(stats.validationLoss)}`, lastLoss, learningRate);
        }
        if (score !== undefined) stats.validationAccuracy = score(z, validation.y) / validation.y.rows;
      }
      history.push(stats);
      if (onEpoch !== undefined) {
        let answer: boolean | void;
        try {
          answer = onEpoch(stats);
        } catch (error) {
          throw new TrainingError(
            `${where}: the onEpoch callback threw after epoch ${epoch}: ${errorMessage(error)}. Training stopped; the weights are those after epoch ${epoch}.`,
            epoch,
            0,
            lastLoss,
            error,
          );
        }
        if (answer === false) return { epochs: history, stoppedEarly: epoch < opt.epochs };
      }
    }
  } catch (error) {
    if (error instanceof TrainingError) throw error;
    // Thrown by a user's loss or activation, before this batch's step (or in the validation pass).
    const at = batch > 0 ? `epoch ${epoch}, batch ${batch}` : `the validation pass after epoch ${epoch}`;
    throw new TrainingError(
      `${where}: the loss or an activation threw at ${at}: ${errorMessage(error)}. ` +
        `Training stopped; the weights are those ${batch > 0 ? 'before that batch' : `after epoch ${epoch}`}.`,
      epoch,
      batch,
      lastLoss,
      error,
    );
  }
  return { epochs: history, stoppedEarly: false };
}

/** What a thrown value says, without running any of its code (a thrown value may be anything). */
function errorMessage(error: unknown): string {
  return error instanceof Error ? String(error.message) : typeof error === 'string' ? error : describe(error);
}

function diverged(epoch: number, batch: number, what: string, lastLoss: number, learningRate: number): TrainingError {
  return new TrainingError(
    `Network.fit: training diverged at epoch ${epoch}, batch ${batch}: ${what} (last finite batch loss ${describe(lastLoss)}). ` +
      `The weights were restored to their values before that batch. Try a smaller learningRate (it is ${learningRate}).`,
    epoch,
    batch,
    lastLoss,
  );
}
