/**
 * The Trainer: the only training loop. `fit`, `fitAsync`, a page's animation frames and a worker all
 * drive it. One epoch visits every training sample once, in a fresh seeded order when shuffling is on
 * (the course's "roulement des valeurs d'entraînement"), in mini-batches of k samples (the last may be
 * shorter and is averaged over its own size). Each batch is the course's forward pass, backpropagation
 * and one optimizer step:
 *
 *   θ ← θ − α_t · update(g) − λ_t · θ,    α_t = α · m_t,   λ_t = λ · m_t   (m_t: the schedule)
 *
 * Every buffer (workspaces, gradients, validation, optimizer state, best parameters) is allocated
 * when the Trainer is made; a batch allocates nothing.
 */
import { decodeFloat64, decodeUint32, encodeFloat64, encodeUint32 } from '../core/codec.js';
import { DeltapropError, TrainingError, describe, fail } from '../core/errors.js';
import type { Matrix } from '../core/matrix.js';
import { Random } from '../core/random.js';
import { booleanOption, checkOptionNames, integerSeed, type MatrixLike, member, positiveInteger, toMatrix, toOptions } from '../core/schema.js';
import type { FromJSONOptions } from '../io/json.js';
import { kernelsFor } from '../kernels/memory.js';
import { backward, createWorkspace, forward, type GradientViews, gradientViews, type Workspace } from '../model/backprop.js';
import { createDropout, drawMasks, type DropoutBuffers, hasDropout } from '../model/dropout.js';
import { checkTargets, fusedDelta, type Loss, losses, resolveLoss } from '../model/losses.js';
import { moveForTraining } from '../model/memory.js';
import { Adam, adam, adamw } from '../optim/adam.js';
import type { Optimizer, OptimizerState } from '../optim/optimizer.js';
import { Rmsprop, rmsprop } from '../optim/rmsprop.js';
import { resolveSchedule, type Schedule, scheduleFromJSON } from '../optim/schedules.js';
import { Sgd, sgd } from '../optim/sgd.js';
import { type Scorer, scorerFor } from './accuracy.js';
import { type EarlyStopping, earlyStopping } from './callbacks.js';
import {
  checkFree,
  checkMonitors,
  checkOptimizer,
  defaultLoss,
  errorMessage,
  functionOption,
  ownMatrix,
  type Resolved,
  resolveCallbacks,
  resolveOptimizer,
  resolveValidation,
  signalOption,
  splitValidation,
} from './options.js';
import { scaleInPlace, targetRows, trainingScaling } from './targets.js';
import type { AbortSignalLike, Checkpoint, EpochStats, FitOptions, History, ResumeOptions, Targets, TrainerOptions, TrainingModel } from './types.js';
import { Watch } from './warnings.js';

const TRAINER_KEYS = [
  'loss', 'optimizer', 'learningRate', 'weightDecay', 'schedule', 'batchSize', 'epochs', 'shuffle', 'seed',
  'validation', 'validationSplit', 'callbacks', 'onBatch', 'onEpoch', 'signal',
] as const;
const FIT_ASYNC_KEYS = [...TRAINER_KEYS, 'yieldEveryMs'] as const;
const RESUME_KEYS = ['validation', 'onBatch', 'onEpoch', 'signal', 'loss', 'optimizer', 'schedule', 'activations'] as const;

/** How a checkpoint's network becomes a Network again (set by network.ts, which this module cannot import). */
let readNetwork: ((json: unknown, options?: FromJSONOptions) => TrainingModel) | undefined;
/** @internal */
export function setNetworkReader(reader: (json: unknown, options?: FromJSONOptions) => TrainingModel): void {
  readNetwork = reader;
}

/** The unfinished Trainer using each optimizer object: one optimizer trains one run at a time. */
const optimizerOwners = new WeakMap<Optimizer, object>();

export class Trainer {
  /** The network being trained. */
  readonly network: TrainingModel;
  private readonly where: string;
  private readonly loss: Loss;
  private readonly fused: ReturnType<typeof fusedDelta>;
  private readonly score: Scorer | undefined;
  private readonly optimizer: Optimizer;
  private readonly schedule: Schedule | undefined;
  private readonly callbacks: EarlyStopping[];
  private readonly onBatch: TrainerOptions['onBatch'];
  private readonly onEpoch: TrainerOptions['onEpoch'];
  private readonly signal: AbortSignalLike | undefined;
  private readonly x: Matrix;
  private readonly y: Matrix;
  private readonly validation: { x: Matrix; y: Matrix; ws: Workspace } | undefined;
  private readonly explicitValidation: boolean;
  private readonly validationSplit: number | undefined;
  private readonly batchSize: number;
  /** Epochs of the whole run, batches per epoch, and T = their product. */
  readonly epochs: number;
  private readonly batches: number;
  private readonly totalBatches: number;
  private readonly shuffle: boolean;
  private readonly seed: number;
  private random: Random;
  private readonly order: Uint32Array;
  private readonly full: Workspace;
  private readonly tail: Workspace | undefined;
  private readonly grads: GradientViews;
  /** Dropout masks of the full and the tail batch, and their own seeded stream (undefined without dropout). */
  private readonly dropFull: DropoutBuffers | undefined;
  private readonly dropTail: DropoutBuffers | undefined;
  private dropRandom: Random | undefined;
  private readonly watch: Watch;
  /** Whether the optimizer is a built-in one (they undo their own steps). */
  private readonly builtinOptimizer: boolean;
  /** θ before the current step, for a user's optimizer. */
  private readonly backup: Float64Array;
  private readonly history: EpochStats[] = [];
  /** Completed epochs, the next batch's index in its epoch, and batches done in all (t). */
  private epochsDone = 0;
  private batchIndex = 0;
  private t = 0;
  private lossSum = 0;
  private hits = 0;
  private lastLoss = NaN;
  private finished = false;
  private running = false;
  private stoppedEarly = false;
  private aborted = false;
  private restoredEpoch: number | undefined;

  private constructor(net: TrainingModel, r: Resolved, where: string) {
    this.network = net;
    this.where = where;
    this.loss = r.loss;
    const out = net.layers[net.layers.length - 1]!;
    this.fused = fusedDelta(r.loss, out.activation);
    this.score = scorerFor(out.activation, out.units);
    this.optimizer = r.optimizer;
    this.schedule = r.schedule;
    this.callbacks = r.callbacks;
    this.onBatch = r.onBatch;
    this.onEpoch = r.onEpoch;
    this.signal = r.signal;
    this.explicitValidation = r.validation !== undefined && r.validationSplit === undefined;
    this.validationSplit = r.validationSplit;
    this.batchSize = r.batchSize;
    this.epochs = r.epochs;
    this.shuffle = r.shuffle;
    this.seed = r.seed;
    const N = r.x.rows;
    this.batches = Math.ceil(N / r.batchSize);
    this.totalBatches = this.batches * r.epochs;
    this.random = new Random(r.seed);
    // On the wasm backend the network's store moves into this run's arena here (model/memory.ts),
    // with copies of x and y and the sample order, so that each batch is gathered in wasm.
    const moved = moveForTraining(
      net, N % r.batchSize > 0 ? [r.batchSize, N % r.batchSize] : [r.batchSize], r.validation === undefined ? [] : [r.validation.x.rows], [r.x, r.y], N,
    );
    [this.x, this.y] = moved.data as [Matrix, Matrix];
    this.order = moved.indices;
    for (let i = 0; i < N; i++) this.order[i] = i;
    const store = net.params.values;
    this.full = createWorkspace(net.input, net.layers, r.batchSize, true, store);
    this.tail = N % r.batchSize > 0 ? createWorkspace(net.input, net.layers, N % r.batchSize, true, store) : undefined;
    this.grads = gradientViews(net.layers, net.params);
    const rates = net.state.model.dropout;
    const dropping = hasDropout(rates);
    this.dropFull = dropping ? createDropout(net.layers, rates, r.batchSize) : undefined;
    this.dropTail = dropping && this.tail !== undefined ? createDropout(net.layers, rates, N % r.batchSize) : undefined;
    // A stream of its own, so that dropout leaves the shuffling (and validationSplit) as they were.
    this.dropRandom = dropping ? new Random(new Random(r.seed).nextUint32() * 2 + 2) : undefined;
    this.watch = new Watch(net.layers);
    this.builtinOptimizer = r.optimizer instanceof Sgd || r.optimizer instanceof Adam || r.optimizer instanceof Rmsprop;
    this.backup = new Float64Array(this.builtinOptimizer ? 0 : net.params.length);
    this.validation = r.validation === undefined ? undefined : { ...r.validation, ws: createWorkspace(net.input, net.layers, r.validation.x.rows, false, store) };
    for (const c of r.callbacks) c.init(net.params.length);
    r.optimizer.init(net.params);
  }

  /** @internal Validates everything, then makes a Trainer that holds `net` until it finishes. */
  static create(net: TrainingModel, x: MatrixLike, y: Targets, options: FitOptions | undefined, where: string): Trainer {
    const o = toOptions(where, 'options', options);
    checkOptionNames(where, 'options', o, where === 'Network.fitAsync' ? FIT_ASYNC_KEYS : TRAINER_KEYS);
    checkFree(where, net);
    const loss = o['loss'] === undefined ? defaultLoss(net) : resolveLoss(where, 'options.loss', o['loss']);
    const optimizer = resolveOptimizer(where, o);
    if (optimizerOwners.has(optimizer)) {
      throw new DeltapropError(
        `${where}: argument "options.optimizer" is used by another Trainer that has not finished; an optimizer holds the state of one run — ` +
          'make a new one (sgd(), adam(), …) for each run, or stop() the other Trainer first',
      );
    }
    const schedule = o['schedule'] === undefined ? undefined : resolveSchedule(where, 'options.schedule', o['schedule']);
    const batchSize = o['batchSize'] === undefined ? 32 : positiveInteger(where, 'options.batchSize', o['batchSize']);
    const epochs = o['epochs'] === undefined ? 10 : positiveInteger(where, 'options.epochs', o['epochs']);
    const shuffle = o['shuffle'] === undefined ? true : booleanOption(where, 'options.shuffle', o['shuffle']);
    const explicitSeed = o['seed'] === undefined ? undefined : integerSeed(where, 'options.seed', o['seed']);
    const callbacks = resolveCallbacks(where, o['callbacks']);
    const onBatch = functionOption<TrainerOptions['onBatch']>(where, 'options.onBatch', o['onBatch']);
    const onEpoch = functionOption<TrainerOptions['onEpoch']>(where, 'options.onEpoch', o['onEpoch']);
    const signal = signalOption(where, o['signal']);
    let validationSplit: number | undefined;
    if (o['validationSplit'] !== undefined) {
      const f = o['validationSplit'];
      if (typeof f !== 'number' || !(f > 0 && f < 1)) fail(where, 'options.validationSplit', 'a number in (0, 1)', f);
      if (o['validation'] !== undefined) throw new DeltapropError(`${where}: argument "options" must give either "validation" or "validationSplit", not both`);
      validationSplit = f;
    }
    let X = ownMatrix(where, 'x', x, net.input);
    let Y = targetRows(where, 'y', net, y, X.rows);
    if (Y.rows !== X.rows) throw new DeltapropError(`${where}: argument "y" must have ${X.rows} rows (one per sample of x), got ${Y.rows}`);
    checkTargets(where, 'y', loss, Y);
    let validation = o['validation'] === undefined ? undefined : resolveValidation(where, 'options.validation', net, loss, o['validation']);
    const seed = explicitSeed ?? net.state.unseededFits;
    if (validationSplit !== undefined) {
      const out = net.layers[net.layers.length - 1]!;
      const split = splitValidation(where, X, Y, validationSplit, seed, scorerFor(out.activation, out.units) !== undefined);
      [X, Y] = split.train;
      validation = { x: split.validation[0], y: split.validation[1] };
    }
    checkMonitors(where, schedule?.monitor, callbacks, validation !== undefined, scorerFor(net.layers[net.layers.length - 1]!.activation, net.output) !== undefined);
    // Scaling: statistics of the training part (when not adapted yet), applied once to the Trainer's own copies.
    const model = net.state.model;
    const scaling = trainingScaling(net, X, Y);
    const rawX = model.inputKind === 'none' ? X : undefined;
    scaleInPlace(X, scaling.input);
    scaleInPlace(Y, scaling.output);
    if (validation !== undefined) {
      scaleInPlace(validation.x, scaling.input);
      scaleInPlace(validation.y, scaling.output);
    }
    model.input = scaling.input;
    model.output = scaling.output;
    const trainer = new Trainer(net, { loss, optimizer, schedule, batchSize: Math.min(batchSize, X.rows), epochs, shuffle, seed, x: X, y: Y, validation, validationSplit, callbacks, onBatch, onEpoch, signal }, where);
    if (rawX !== undefined) trainer.watch.checkInputs(rawX);
    if (explicitSeed === undefined) net.state.unseededFits++;
    schedule?.reset?.();
    net.state.trainer = trainer;
    optimizerOwners.set(optimizer, trainer);
    return trainer;
  }

  /** True once training is over: all epochs done, stopped, aborted or failed. */
  get done(): boolean {
    return this.finished;
  }

  /** Completed epochs so far. */
  get epoch(): number {
    return this.epochsDone;
  }

  /** Batches completed in the current epoch. */
  get batch(): number {
    return this.batchIndex;
  }

  /** The history so far (a copy). */
  get result(): History {
    return {
      epochs: this.history.slice(),
      stoppedEarly: this.stoppedEarly,
      aborted: this.aborted,
      ...(this.restoredEpoch !== undefined ? { restoredEpoch: this.restoredEpoch } : {}),
      warnings: this.watch.warnings.slice(),
    };
  }

  /** Runs one batch (and, after an epoch's last batch, the end of that epoch). Returns whether training goes on. */
  step(): boolean {
    this.enter('Trainer.step');
    try {
      this.runBatch();
    } finally {
      this.running = false;
    }
    return !this.finished;
  }

  /** Runs to the end and returns the history. */
  run(): History {
    if (this.finished) return this.result;
    this.enter('Trainer.run');
    try {
      while (!this.finished) this.runBatch();
    } finally {
      this.running = false;
    }
    return this.result;
  }

  /** Runs whole batches until `ms` milliseconds have passed (at least one batch). Returns whether training goes on. */
  runFor(ms: number): boolean {
    if (typeof ms !== 'number' || !(ms >= 0) || ms === Infinity) fail('Trainer.runFor', 'ms', 'a non-negative finite number of milliseconds', ms);
    this.enter('Trainer.runFor');
    try {
      const start = Date.now();
      do this.runBatch();
      while (!this.finished && Date.now() - start < ms);
    } finally {
      this.running = false;
    }
    return !this.finished;
  }

  /** Ends training now (between batches); earlyStopping's restoreBest still applies. */
  stop(): History {
    if (this.running) throw new DeltapropError('Trainer.stop: cannot stop from inside one of its own callbacks; return false from onBatch or onEpoch instead');
    if (!this.finished) {
      this.stoppedEarly = this.epochsDone < this.epochs;
      this.finish();
    }
    return this.result;
  }

  private enter(where: string): void {
    if (this.running) throw new DeltapropError(`${where}: the trainer is already running (called from one of its own callbacks)`);
    if (this.finished) throw new DeltapropError(`${where}: training is over (${this.epochsDone} of ${this.epochs} epochs${this.aborted ? ', aborted' : this.stoppedEarly ? ', stopped early' : ''}); make a new Trainer to train more`);
    this.running = true;
  }

  private release(): void {
    this.finished = true;
    if (this.network.state.trainer === this) this.network.state.trainer = undefined;
    if (optimizerOwners.get(this.optimizer) === this) optimizerOwners.delete(this.optimizer);
  }

  private finish(): void {
    this.release();
    for (const c of this.callbacks) {
      if (c.finish(this.epochsDone, this.network.params.values)) this.restoredEpoch = c.bestEpochSoFar;
    }
  }

  private fail(error: unknown): never {
    this.release();
    throw error;
  }

  /** Restores θ (and the optimizer's state) to before the last step. */
  private rollback(): void {
    const undo = member(this.optimizer, 'undo');
    if (typeof undo === 'function') (undo as () => void).call(this.optimizer);
    if (!this.builtinOptimizer) this.network.params.values.set(this.backup);
  }

  private diverged(what: string, batch: number, lastLoss: number, lr: number): TrainingError {
    return new TrainingError(
      `${this.where}: training diverged at epoch ${this.epochsDone + 1}, batch ${batch}: ${what} (last finite batch loss ${describe(lastLoss)}). ` +
        `The weights were restored to their values before that batch. Try a smaller learningRate (it is ${lr}).`,
      this.epochsDone + 1,
      batch,
      lastLoss,
    );
  }

  private runBatch(): void {
    if (this.signal !== undefined && this.signal.aborted === true) {
      this.aborted = true;
      this.finish();
      return;
    }
    const net = this.network, params = net.params, layers = net.layers, last = layers.length;
    const N = this.x.rows, b = this.batchIndex;
    const epoch = this.epochsDone + 1;
    let lr = this.optimizer.learningRate;
    try {
      if (b === 0 && this.shuffle) this.random.shuffle(this.order);
      const start = b * this.batchSize;
      const ws = start + this.batchSize <= N ? this.full : this.tail!;
      const k = kernelsFor(ws.targets.data);
      k.gatherRows(ws.activations[0]!, this.x, this.order, start);
      k.gatherRows(ws.targets, this.y, this.order, start);
      const drop = ws === this.full ? this.dropFull : this.dropTail;
      if (drop !== undefined) drawMasks(drop, this.dropRandom!);
      forward(layers, ws, drop);
      this.watch.observe(ws);
      const z = ws.activations[last]!;
      const batchLoss = this.loss.value(z, ws.targets);
      if (typeof batchLoss !== 'number') {
        throw new TrainingError(`${this.where}: the loss '${this.loss.name}' returned ${describe(batchLoss)} at epoch ${epoch}, batch ${b + 1}, not a number. Training stopped; the weights are those before that batch.`, epoch, b + 1, this.lastLoss);
      }
      if (!Number.isFinite(batchLoss)) throw this.diverged(`the loss became ${describe(batchLoss)}`, b + 1, this.lastLoss, lr);
      this.lossSum += batchLoss * (ws.rows / N); // weighted by the batch's share, so the sum cannot overflow
      if (this.score !== undefined) this.hits += this.score(z, ws.targets);
      backward(layers, ws, this.loss, this.fused, this.grads, drop);
      let m = 1;
      if (this.schedule !== undefined) {
        const name = this.schedule.name;
        try {
          m = this.schedule.factor(this.t, this.epochsDone, this.totalBatches);
        } catch (error) {
          throw this.stopped(`the schedule '${name}' threw for ${this.at(b)}: ${errorMessage(error)}`, b);
        }
        if (typeof m !== 'number' || !Number.isFinite(m) || m < 0) {
          throw this.stopped(`the schedule '${name}' returned ${describe(m)} for ${this.at(b)}; a multiplier must be a finite number ≥ 0`, b);
        }
      }
      lr = m === 1 ? this.optimizer.learningRate : this.optimizer.learningRate * m;
      const wd = m === 1 ? this.optimizer.weightDecay : this.optimizer.weightDecay * m;
      if (!Number.isFinite(lr) || !(wd < 1)) {
        throw this.stopped(
          `the schedule '${this.schedule!.name}' multiplier ${m} for ${this.at(b)} makes the learning rate ${lr} and the weight decay ${wd}; ` +
            'the learning rate must stay finite and the weight decay below 1',
          b,
        );
      }
      if (!this.builtinOptimizer) this.backup.set(params.values);
      let ok: boolean;
      try {
        ok = this.optimizer.step(params, lr, wd);
      } catch (error) {
        if (!this.builtinOptimizer) params.values.set(this.backup);
        throw this.stopped(`the optimizer '${this.optimizer.name}' threw in step() at ${this.at(b)}: ${errorMessage(error)} (its own state may not be restored)`, b);
      }
      if (ok !== true) {
        if (!this.builtinOptimizer) params.values.set(this.backup);
        throw this.diverged('a weight became non-finite', b + 1, batchLoss, lr);
      }
      this.lastLoss = batchLoss;
      this.t++;
      this.batchIndex++;
      if (this.onBatch !== undefined) {
        const answer = this.callUser('onBatch', () => this.onBatch!({ epoch, batch: b + 1, loss: batchLoss }), epoch, b + 1, `before batch ${b + 2}`);
        if (answer === false && this.batchIndex < this.batches) {
          this.stoppedEarly = true;
          this.finish();
          return;
        }
      }
      if (this.batchIndex === this.batches) this.endEpoch(epoch, lr);
    } catch (error) {
      if (this.finished && !(error instanceof TrainingError)) throw error;
      if (error instanceof TrainingError) this.fail(error);
      // Thrown by a user's loss or activation, before this batch's step (or in the validation pass).
      const inValidation = this.batchIndex === this.batches;
      const at = inValidation ? `the validation pass after epoch ${epoch}` : `epoch ${epoch}, batch ${b + 1}`;
      this.fail(
        new TrainingError(
          `${this.where}: the loss or an activation threw at ${at}: ${errorMessage(error)}. ` +
            `Training stopped; the weights are those ${inValidation ? `after epoch ${epoch}` : 'before that batch'}.`,
          epoch,
          inValidation ? 0 : b + 1,
          this.lastLoss,
          error,
        ),
      );
    }
  }

  /** Where batch b of the current epoch is, for messages: its index t in the run, its epoch and its place. */
  private at(b: number): string {
    return `batch ${this.t} (epoch ${this.epochsDone + 1}, batch ${b + 1})`;
  }

  /** A TrainingError for a stop before batch b's step: the weights are those before it. */
  private stopped(what: string, b: number): TrainingError {
    return new TrainingError(`${this.where}: ${what}. Training stopped; the weights are those before that batch.`, this.epochsDone + 1, b + 1, this.lastLoss);
  }

  /** Calls a user callback; whatever it throws becomes a TrainingError. */
  private callUser<T>(name: string, call: () => T, epoch: number, batch: number, weights: string): T {
    try {
      return call();
    } catch (error) {
      this.fail(
        new TrainingError(
          `${this.where}: the ${name} callback threw after epoch ${epoch}${name === 'onBatch' ? `, batch ${batch}` : ''}: ${errorMessage(error)}. Training stopped; the weights are those ${weights}.`,
          epoch,
          name === 'onBatch' ? batch : 0,
          this.lastLoss,
          error,
        ),
      );
    }
  }

  private endEpoch(epoch: number, lr: number): void {
    const net = this.network, last = net.layers.length, N = this.x.rows;
    const stats: { -readonly [K in keyof EpochStats]: EpochStats[K] } = { epoch, loss: this.lossSum };
    if (this.score !== undefined) stats.accuracy = this.hits / N;
    const v = this.validation;
    if (v !== undefined) {
      v.ws.activations[0]!.data.set(v.x.data);
      forward(net.layers, v.ws);
      const z = v.ws.activations[last]!;
      stats.validationLoss = this.loss.value(z, v.y);
      if (!Number.isFinite(stats.validationLoss)) {
        // The last step made the validation loss non-finite: undo it, as for a training loss.
        this.rollback();
        this.fail(this.diverged(`the validation loss after it became ${describe(stats.validationLoss)}`, this.batches, this.lastLoss, lr));
      }
      if (this.score !== undefined) stats.validationAccuracy = this.score(z, v.y) / v.y.rows;
    }
    this.watch.endEpoch(epoch);
    this.history.push(stats);
    this.epochsDone = epoch;
    this.batchIndex = 0;
    this.lossSum = 0;
    this.hits = 0;
    let stop = false;
    if (this.schedule?.epochEnd !== undefined) this.schedule.epochEnd(stats[this.schedule.monitor!]!);
    for (const c of this.callbacks) {
      if (c.epochEnd(epoch, stats[c.monitor]!, net.params.values)) stop = true;
    }
    if (this.onEpoch !== undefined) {
      const answer = this.callUser('onEpoch', () => this.onEpoch!(stats), epoch, 0, `after epoch ${epoch}`);
      if (answer === false) stop = true;
    }
    if (epoch === this.epochs) {
      this.finish();
    } else if (stop) {
      this.stoppedEarly = true;
      this.finish();
    }
  }

  /** The whole state as plain JSON values; `Trainer.resume(JSON.parse(JSON.stringify(c)), x, y)` continues with the same bits. */
  checkpoint(): Checkpoint {
    if (this.running) throw new DeltapropError('Trainer.checkpoint: cannot be called from inside one of the trainer\'s own callbacks; call it between steps');
    const opt = this.optimizer as Optimizer & { options?: unknown };
    const builtinLoss = Object.values<Loss>(losses).includes(this.loss);
    return {
      format: 'deltaprop-checkpoint',
      version: 1,
      network: this.network.toJSON(),
      parameters: encodeFloat64(this.network.params.values),
      options: {
        loss: builtinLoss ? this.loss.name : { custom: this.loss.name },
        batchSize: this.batchSize,
        epochs: this.epochs,
        shuffle: this.shuffle,
        seed: this.seed,
        validation: this.explicitValidation,
        validationSplit: this.validationSplit ?? null,
        samples: this.x.rows + (this.validationSplit !== undefined ? this.validation!.x.rows : 0),
      },
      optimizer: { name: opt.name, options: opt.options ?? null, state: this.optimizer.state() },
      schedule: this.schedule === undefined ? null : this.schedule.toJSON(),
      callbacks: this.callbacks.map((c) => c.toJSON()),
      random: this.random.state(),
      dropoutRandom: this.dropRandom === undefined ? null : this.dropRandom.state(),
      watch: this.watch.toJSON(),
      order: encodeUint32(this.order),
      position: { epoch: this.epochsDone, batch: this.batchIndex, t: this.t },
      partial: { lossSum: this.lossSum, hits: this.hits, lastLoss: Number.isFinite(this.lastLoss) ? this.lastLoss : null },
      history: this.history.map((s) => ({ ...s })),
      finished: this.finished,
      stoppedEarly: this.stoppedEarly,
    };
  }

  /** A Trainer that continues a checkpoint exactly; the data must be the same (x, y) it was trained on. */
  static resume(checkpoint: Checkpoint | string, x: MatrixLike, y: Targets, options?: ResumeOptions): Trainer {
    return resumeTrainer(checkpoint, x, y, options);
  }
}

function resumeTrainer(checkpoint: unknown, x: MatrixLike, y: Targets, options: ResumeOptions | undefined): Trainer {
  const where = 'Trainer.resume';
  const o = toOptions(where, 'options', options);
  checkOptionNames(where, 'options', o, RESUME_KEYS);
  let doc: unknown = checkpoint;
  if (typeof checkpoint === 'string') {
    try {
      doc = JSON.parse(checkpoint);
    } catch {
      fail(where, 'checkpoint', 'a checkpoint object or its JSON text', 'a string that does not parse as JSON');
    }
  }
  const c = toOptions(where, 'checkpoint', doc);
  const own = (obj: Record<string, unknown>, k: string): unknown => (Object.prototype.hasOwnProperty.call(obj, k) ? obj[k] : undefined);
  if (own(c, 'format') !== 'deltaprop-checkpoint') fail(where, 'checkpoint.format', "'deltaprop-checkpoint'", own(c, 'format'));
  if (own(c, 'version') !== 1) fail(where, 'checkpoint.version', '1', own(c, 'version'));
  if (readNetwork === undefined) throw new DeltapropError(`${where}: import Network from 'deltaprop' before resuming`);
  const activations = o['activations'] as FromJSONOptions['activations'];
  const net = readNetwork(own(c, 'network'), activations !== undefined ? { activations } : undefined);
  net.params.values.set(decodeFloat64(where, 'checkpoint.parameters', own(c, 'parameters'), net.params.length));
  const opts = toOptions(where, 'checkpoint.options', own(c, 'options'));
  const lossSpec = opts['loss'];
  let loss: Loss;
  if (typeof lossSpec === 'string') loss = resolveLoss(where, 'checkpoint.options.loss', lossSpec);
  else {
    if (o['loss'] === undefined) throw new DeltapropError(`${where}: the checkpoint was trained with your own loss ${describe((lossSpec as { custom?: unknown } | null)?.custom)}; pass it again as options.loss`);
    loss = resolveLoss(where, 'options.loss', o['loss']);
  }
  const optJSON = toOptions(where, 'checkpoint.optimizer', own(c, 'optimizer'));
  let optimizer: Optimizer;
  if (o['optimizer'] !== undefined) optimizer = checkOptimizer(where, 'options.optimizer', o['optimizer']);
  else {
    const name = optJSON['name'];
    const settings = optJSON['options'];
    if (settings === null || settings === undefined) throw new DeltapropError(`${where}: the checkpoint was trained with your own optimizer ${describe(name)}; pass it again as options.optimizer`);
    switch (name) {
      case 'sgd':
        optimizer = sgd(settings);
        break;
      case 'adam': {
        const { weightDecay: _ignored, ...rest } = settings as Record<string, unknown>;
        void _ignored;
        optimizer = adam(rest);
        break;
      }
      case 'adamw':
        optimizer = adamw(settings);
        break;
      case 'rmsprop':
        optimizer = rmsprop(settings);
        break;
      default:
        return fail(where, 'checkpoint.optimizer.name', "'sgd', 'adam', 'adamw' or 'rmsprop'", name);
    }
  }
  const scheduleJSON = own(c, 'schedule');
  let schedule: Schedule | undefined;
  if (o['schedule'] !== undefined) {
    schedule = resolveSchedule(where, 'options.schedule', o['schedule']);
  } else if (scheduleJSON !== null && scheduleJSON !== undefined) {
    schedule = scheduleFromJSON(where, 'checkpoint.schedule', scheduleJSON);
  }
  const callbacksJSON = own(c, 'callbacks');
  if (!Array.isArray(callbacksJSON)) fail(where, 'checkpoint.callbacks', 'an array', callbacksJSON);
  const callbacks = callbacksJSON.map((j: unknown, i) => {
    const cj = toOptions(where, `checkpoint.callbacks[${i}]`, j);
    if (cj['name'] !== 'earlyStopping') fail(where, `checkpoint.callbacks[${i}].name`, "'earlyStopping'", cj['name']);
    return earlyStopping(cj['options'] as never);
  });
  const fitOptions: Record<string, unknown> = {
    loss,
    optimizer,
    batchSize: opts['batchSize'],
    epochs: opts['epochs'],
    shuffle: opts['shuffle'],
    seed: opts['seed'],
    callbacks,
  };
  if (schedule !== undefined) fitOptions['schedule'] = schedule;
  if (opts['validationSplit'] !== null && opts['validationSplit'] !== undefined) fitOptions['validationSplit'] = opts['validationSplit'];
  if (opts['validation'] === true) {
    if (o['validation'] === undefined) throw new DeltapropError(`${where}: the checkpoint was trained with validation data; pass it again as options.validation`);
    fitOptions['validation'] = o['validation'];
  }
  for (const k of ['onBatch', 'onEpoch', 'signal'] as const) if (o[k] !== undefined) fitOptions[k] = o[k];
  const samples = opts['samples'];
  const X = toMatrix(where, 'x', x, net.input);
  if (X.rows !== samples) throw new DeltapropError(`${where}: argument "x" must be the ${describe(samples)} samples the checkpoint was trained on, got ${X.rows}`);
  const trainer = Trainer.create(net, X, y, fitOptions, where);
  const scheduleState = (scheduleJSON as { state?: unknown } | null | undefined)?.state;
  if (schedule?.load !== undefined && scheduleState !== undefined) schedule.load(scheduleState);
  // The state of the run, exactly as the checkpoint left it.
  const t = trainer as unknown as {
    random: Random; dropRandom: Random | undefined; watch: Watch; order: Uint32Array; epochsDone: number; batchIndex: number; t: number;
    lossSum: number; hits: number; lastLoss: number; history: EpochStats[]; stoppedEarly: boolean; batches: number; epochs: number;
  };
  t.random = Random.fromState(own(c, 'random') as number[]);
  const dropState = own(c, 'dropoutRandom');
  if (t.dropRandom !== undefined) {
    if (!Array.isArray(dropState)) fail(where, 'checkpoint.dropoutRandom', 'the state of the dropout stream (the network has dropout)', dropState);
    t.dropRandom = Random.fromState(dropState as number[]);
  }
  t.watch.load(own(c, 'watch'));
  t.order.set(decodeUint32(where, 'checkpoint.order', own(c, 'order'), t.order.length));
  const pos = toOptions(where, 'checkpoint.position', own(c, 'position'));
  const partial = toOptions(where, 'checkpoint.partial', own(c, 'partial'));
  const epoch = pos['epoch'], batch = pos['batch'], step = pos['t'];
  if (typeof epoch !== 'number' || !Number.isInteger(epoch) || epoch < 0 || epoch >= t.epochs) fail(where, 'checkpoint.position.epoch', `an integer in [0, ${t.epochs - 1}] (a finished run cannot be resumed)`, epoch);
  if (typeof batch !== 'number' || !Number.isInteger(batch) || batch < 0 || batch >= t.batches) fail(where, 'checkpoint.position.batch', `an integer in [0, ${t.batches - 1}]`, batch);
  if (step !== epoch * t.batches + batch) fail(where, 'checkpoint.position.t', `${epoch * t.batches + batch}`, step);
  const lossSum = partial['lossSum'], hits = partial['hits'], lastLoss = partial['lastLoss'];
  if (typeof lossSum !== 'number' || !Number.isFinite(lossSum)) fail(where, 'checkpoint.partial.lossSum', 'a finite number', lossSum);
  if (typeof hits !== 'number' || !Number.isInteger(hits) || hits < 0) fail(where, 'checkpoint.partial.hits', 'a non-negative integer', hits);
  if (lastLoss !== null && (typeof lastLoss !== 'number' || !Number.isFinite(lastLoss))) fail(where, 'checkpoint.partial.lastLoss', 'a finite number or null', lastLoss);
  const history = own(c, 'history');
  if (!Array.isArray(history) || history.length !== epoch) fail(where, 'checkpoint.history', `an array of ${epoch} epoch entries`, history);
  t.epochsDone = epoch;
  t.batchIndex = batch;
  t.t = step;
  t.lossSum = lossSum;
  t.hits = hits;
  t.lastLoss = lastLoss === null ? NaN : lastLoss;
  t.history.push(...(history as EpochStats[]).map((s) => ({ ...s })));
  t.stoppedEarly = false;
  optimizer.load(toOptions(where, 'checkpoint.optimizer.state', optJSON['state']) as OptimizerState);
  callbacks.forEach((cb, i) => cb.load(where, `checkpoint.callbacks[${i}].state`, (callbacksJSON[i] as Record<string, unknown>)['state']));
  return trainer;
}

/** `Network.fitAsync`: the Trainer in slices of `yieldEveryMs`, yielding to the event loop between them. */
export async function fitAsync(net: TrainingModel, x: MatrixLike, y: Targets, options?: FitOptions): Promise<History> {
  const where = 'Network.fitAsync';
  const o = toOptions(where, 'options', options);
  const every = o['yieldEveryMs'] === undefined ? 16 : o['yieldEveryMs'];
  if (typeof every !== 'number' || !(every >= 0) || every === Infinity) fail(where, 'options.yieldEveryMs', 'a non-negative finite number of milliseconds', every);
  const { yieldEveryMs: _skip, ...rest } = o;
  void _skip;
  const trainer = Trainer.create(net, x, y, rest, where);
  while (trainer.runFor(every)) await nextTask();
  return trainer.result;
}

declare function setTimeout(callback: () => void, ms: number): unknown;

/** Resolves in a later task of the event loop (a page renders between tasks). */
function nextTask(): Promise<void> {
  return new Promise((resolve) => void setTimeout(resolve, 0));
}
