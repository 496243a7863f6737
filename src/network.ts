/**
 * The Network facade: creating, predicting, training and saving a feed-forward network of dense
 * layers. The course's two passes are in model/backprop.ts; the only training loop is the Trainer
 * (train/trainer.ts); this file validates, converts and delegates.
 */
import { DeltapropError, describe, fail } from './core/errors.js';
import { MAX_LAYERS, MAX_WORKING_VALUES } from './core/limits.js';
import { MAX_ELEMENTS, Matrix } from './core/matrix.js';
import { Random } from './core/random.js';
import {
  checkFinite,
  checkOptionNames,
  integerSeed,
  isMatrix,
  isSample,
  type MatrixLike,
  positiveInteger,
  toMatrix,
  toOptions,
  toSample,
} from './core/schema.js';
import { type ClassesSpec, type Label, readClasses } from './data/labels.js';
import {
  checkClasses,
  checkOutputLayer,
  classifierKind,
  classLabels,
  copyModelData,
  type InputScalingName,
  type ModelData,
  type OutputScalingName,
  plainModelData,
  readDropout,
  scalingName,
} from './data/model-data.js';
import { fitScaling, type Scaling, scaleRows, unscaleRows } from './data/scaling.js';
import { type NetworkJSON, type NetworkPlan, networkFromJSON, networkToJSON, type FromJSONOptions } from './io/json.js';
import { summaryText } from './io/summary.js';
import { type Activation, type ActivationName, resolveActivation } from './model/activations.js';
import { backward, createGradients, createWorkspace, forward, type Trace, type Workspace } from './model/backprop.js';
import { createDropout, drawMasks, type DropoutBuffers, hasDropout } from './model/dropout.js';
import { Dense } from './model/layer.js';
import { checkTargets, fusedDelta, type Loss, type LossName, resolveLoss } from './model/losses.js';
import { workspaceIsStale } from './model/memory.js';
import { Params } from './model/params.js';
import { checkAdapted, type Classification, classify, type Evaluation, evaluate, type EvaluateOptions } from './train/evaluate.js';
import { checkFree } from './train/options.js';
import { fitAsync, setNetworkReader, Trainer } from './train/trainer.js';
import type { FitOptions, History, Targets, TrainerOptions, TrainingModel } from './train/types.js';

export type { Trace } from './model/backprop.js';

/** How a layer's weights are drawn: Glorot/Xavier uniform or He uniform. Biases start at zero. */
export type Init = 'glorot' | 'he';

export interface LayerSpec {
  /** Number of units (outputs) of the layer. */
  readonly units: number;
  /** Activation by name or as an object. @default 'identity' */
  readonly activation?: ActivationName | Activation;
  /** Weight initialisation. @default 'he' for relu and leakyRelu, 'glorot' otherwise */
  readonly init?: Init;
  /** p of inverted dropout on this layer's output, in training only (hidden layers). @default 0 */
  readonly dropout?: number;
}

/** Options of `net.forward`. */
export interface ForwardOptions {
  /** The training-mode pass: dropout masks drawn from `seed`. @default false */
  readonly training?: boolean;
  /** Seed of the dropout masks of a training-mode pass. @default 0 */
  readonly seed?: number;
}

export interface NetworkSpec {
  /** Width of one input sample. */
  readonly input: number;
  /** The layers, from the first hidden layer to the output layer. */
  readonly layers: readonly LayerSpec[];
  /** Seed of the weight initialisation: the same seed gives the same weights, bit for bit. @default 0 */
  readonly seed?: number;
  /**
   * Feature scaling inside the model, x' = (x − shift) / divisor: 'standard' (mean, standard deviation)
   * or 'minMax' (min, max − min), from the first training x or `adapt`. @default 'none'
   */
  readonly inputScaling?: InputScalingName;
  /** Regression targets trained as (y − mean) / sd; `predict` answers z · sd + mean, in original units. @default 'none' */
  readonly outputScaling?: OutputScalingName;
  /** A classifier's labels (strings or integers), or their count n (labels 0 … n − 1). */
  readonly classes?: ClassesSpec;
}

/** What backpropagation returns: per-sample deltas and the gradients of the batch-mean loss. */
export interface Gradients {
  /** δ_0 … δ_{k-1}: deltas[n] is k × units of layer n, one row per sample. */
  readonly deltas: Matrix[];
  /** (1/k) Σ ΔW_n: same shape as layer n's weights. */
  readonly weightGradients: Matrix[];
  /** (1/k) Σ ΔB_n: same length as layer n's biases. */
  readonly biasGradients: Float64Array[];
}

const LAYER_KEYS = ['units', 'activation', 'init', 'dropout'] as const;
const SPEC_KEYS = ['input', 'layers', 'seed', 'inputScaling', 'outputScaling', 'classes'] as const;

/** `predict` keeps its buffers between calls only up to this many values (larger batches release them). */
const PREDICT_CACHE_LIMIT = 1 << 20;

/** A layer's shape and activation, before its parameters exist. */
interface LayerPlan {
  readonly inputs: number;
  readonly units: number;
  readonly activation: Activation;
}

/** Mutable state kept out of the (freezable) network object itself. */
interface NetworkState {
  predict: Workspace | undefined;
  /** The Trainer that is training this network now, if any. */
  trainer: object | undefined;
  /** How many fits without an explicit seed have started (their default seeds are 0, 1, 2, …). */
  unseededFits: number;
  /** Scaling, classes and dropout. */
  model: ModelData;
  /** The masks of each training-mode trace that forward() returned, for backward(). */
  readonly masked: WeakMap<Trace, DropoutBuffers>;
}

let adopting: { params: Params; layers: Dense[] } | undefined;

export class Network implements TrainingModel {
  /** Width of one input sample. */
  readonly input: number;
  /** The layers, input side first. Their weights and biases are views into `params.values`. */
  readonly layers: readonly Dense[];
  /** Every weight and bias in one Float64Array (with a gradient array of the same layout). */
  readonly params: Params;
  /** @internal */
  readonly state: NetworkState = { predict: undefined, trainer: undefined, unseededFits: 0, model: plainModelData(0), masked: new WeakMap() };

  /**
   * A network made of copies of the given layers (`Network.create` and `Network.fromJSON` are the
   * usual ways in). Each layer's `inputs` must equal the previous layer's `units`.
   */
  constructor(input: number, layers: readonly Dense[]) {
    if (adopting !== undefined) {
      this.input = input;
      this.params = adopting.params;
      this.layers = Object.freeze(adopting.layers);
      this.state.model = plainModelData(this.layers.length);
      adopting = undefined;
      return;
    }
    const where = 'new Network';
    if (input !== null && typeof input === 'object') {
      throw new DeltapropError(
        `${where}: argument "input" must be the input width (a positive integer), got an object; to build a network from a spec, call Network.create({ input, layers })`,
      );
    }
    const inputs = positiveInteger(where, 'input', input, MAX_ELEMENTS);
    if (!Array.isArray(layers) || layers.length === 0) fail(where, 'layers', 'a non-empty array of Dense layers', layers);
    if (layers.length > MAX_LAYERS) fail(where, 'layers', `at most ${MAX_LAYERS} layers`, `${layers.length}`);
    const list = (layers as readonly unknown[]).slice();
    const plans: LayerPlan[] = [];
    let width = inputs;
    let total = 0;
    for (let n = 0; n < list.length; n++) {
      const l = list[n];
      if (!(l instanceof Dense)) fail(where, `layers[${n}]`, 'a Dense layer', l);
      if (l.inputs !== width) fail(where, `layers[${n}].inputs`, `${width} (the width of what comes before it)`, l.inputs);
      if (!(l.weights instanceof Matrix) || l.weights.rows !== l.units || l.weights.cols !== l.inputs || l.weights.data.length !== l.units * l.inputs) {
        fail(where, `layers[${n}].weights`, `a ${l.units} × ${l.inputs} Matrix`, l.weights);
      }
      if (!(l.biases instanceof Float64Array) || l.biases.length !== l.units) fail(where, `layers[${n}].biases`, `a Float64Array of ${l.units} values`, l.biases);
      checkFinite(where, `layers[${n}].weights`, l.weights);
      checkFinite(where, `layers[${n}].biases`, new Matrix(1, l.units, l.biases));
      total += l.units * l.inputs + l.units;
      if (total > MAX_ELEMENTS) fail(where, 'layers', `at most ${MAX_ELEMENTS} parameters in all`, `${total} or more`);
      plans.push({ inputs: l.inputs, units: l.units, activation: resolveActivation(where, `layers[${n}].activation`, l.activation) });
      width = l.units;
    }
    const built = buildLayers(plans);
    list.forEach((l, n) => {
      built.layers[n]!.weights.data.set((l as Dense).weights.data);
      built.layers[n]!.biases.set((l as Dense).biases);
    });
    this.input = inputs;
    this.params = built.params;
    this.layers = Object.freeze(built.layers);
    this.state.model = plainModelData(this.layers.length);
  }

  /** The class labels of a classifier (those given at create, else 0 … K − 1); undefined for regression. */
  get classes(): Label[] | undefined {
    const out = this.layers[this.layers.length - 1]!;
    return classLabels(this.state.model, out.activation, out.units)?.slice();
  }

  /** The input scaling's statistics (a copy), once adapted; undefined without input scaling. */
  get inputScaling(): Scaling | undefined {
    const s = this.state.model.input;
    return s === undefined ? undefined : { kind: s.kind, shift: s.shift.slice(), divisor: s.divisor.slice() };
  }

  /** The output scaling's statistics (a copy), once adapted; undefined without output scaling. */
  get outputScaling(): Scaling | undefined {
    const s = this.state.model.output;
    return s === undefined ? undefined : { kind: s.kind, shift: s.shift.slice(), divisor: s.divisor.slice() };
  }

  /** Width of one output sample. */
  get output(): number {
    return this.layers[this.layers.length - 1]!.units;
  }

  /** The number of trainable values (weights and biases). */
  get parameterCount(): number {
    return this.params.length;
  }

  /** Builds a network with seeded random weights and zero biases. */
  static create(spec: NetworkSpec): Network {
    const where = 'Network.create';
    const s = toOptions(where, 'spec', spec);
    checkOptionNames(where, 'spec', s, SPEC_KEYS);
    const input = positiveInteger(where, 'spec.input', s['input'], MAX_ELEMENTS);
    const seed = s['seed'] === undefined ? 0 : integerSeed(where, 'spec.seed', s['seed']);
    const inputKind = scalingName(s['inputScaling'], where, 'spec.inputScaling', false);
    const outputKind = scalingName(s['outputScaling'], where, 'spec.outputScaling', true) as OutputScalingName;
    const dropout: number[] = [];
    const specs = s['layers'];
    if (!Array.isArray(specs) || specs.length === 0) fail(where, 'spec.layers', 'a non-empty array of layers', specs);
    if (specs.length > MAX_LAYERS) fail(where, 'spec.layers', `at most ${MAX_LAYERS} layers`, `${specs.length}`);
    const plans: LayerPlan[] = [];
    const inits: Init[] = [];
    let inputs = input;
    let total = 0;
    for (let n = 0; n < specs.length; n++) {
      const arg = `spec.layers[${n}]`;
      const raw: unknown = specs[n];
      if (typeof raw === 'number') {
        throw new DeltapropError(`${where}: argument "${arg}" must be a layer object such as { units: ${describe(raw)}, activation: 'relu' }, got ${describe(raw)}`);
      }
      const l = toOptions(where, arg, raw);
      checkOptionNames(where, arg, l, LAYER_KEYS);
      const units = positiveInteger(where, `${arg}.units`, l['units'], MAX_ELEMENTS);
      const activation = resolveActivation(where, `${arg}.activation`, l['activation'] ?? 'identity');
      const init = l['init'] === undefined ? defaultInit(activation) : l['init'];
      if (init !== 'glorot' && init !== 'he') fail(where, `${arg}.init`, "'glorot' or 'he'", init);
      total += units * inputs + units;
      if (total > MAX_ELEMENTS) fail(where, 'spec.layers', `at most ${MAX_ELEMENTS} parameters in all`, `${total} or more`);
      dropout.push(readDropout(where, `${arg}.dropout`, l['dropout'], n === specs.length - 1));
      if (n === specs.length - 1) checkOutputLayer(where, arg, activation, units);
      plans.push({ inputs, units, activation });
      inits.push(init);
      inputs = units;
    }
    const out = plans[plans.length - 1]!;
    const classes = s['classes'] === undefined ? undefined : readClasses(where, 'spec.classes', s['classes']);
    if (classes !== undefined) checkClasses(where, 'spec.classes', classes, out.activation, out.units);
    if (outputKind !== 'none' && classifierKind(out.activation, out.units) !== undefined) {
      fail(where, 'spec.outputScaling', "'none' for a classifier (output scaling is for regression targets)", outputKind);
    }
    const net = adopt(input, buildLayers(plans));
    net.state.model = { inputKind, outputKind, input: undefined, output: undefined, classes, dropout };
    const random = new Random(seed);
    net.layers.forEach((layer, n) => {
      // Glorot: U(±√(6 / (in + out))); He: U(±√(6 / in)). Drawn row by row, layer by layer.
      const limit = inits[n] === 'he' ? Math.sqrt(6 / layer.inputs) : Math.sqrt(6 / (layer.inputs + layer.units));
      const W = layer.weights.data;
      for (let i = 0; i < W.length; i++) W[i] = random.uniform(-limit, limit);
    });
    return net;
  }

  /**
   * The feed-forward pass on a batch, keeping every sum and activation (the course's Sums and Acts).
   * Returns new matrices. `x` is in original units; the trace is in the space the network computes in:
   * `activations[0]` is the scaled input under inputScaling, the last activation the scaled output under
   * outputScaling. `{ training: true, seed }` runs the training-mode pass (dropout masks drawn from `seed`;
   * each activation is then the masked Z̃_n the next layer reads).
   */
  forward(x: MatrixLike, options?: ForwardOptions): Trace {
    const where = 'Network.forward';
    const o = toOptions(where, 'options', options);
    checkOptionNames(where, 'options', o, ['training', 'seed']);
    const training = o['training'] === undefined ? false : o['training'];
    if (typeof training !== 'boolean') fail(where, 'options.training', 'true or false', training);
    const seed = o['seed'] === undefined ? 0 : integerSeed(where, 'options.seed', o['seed']);
    const m = toMatrix(where, 'x', x, this.input);
    checkWorkingMemory(where, this, m.rows);
    checkAdapted(where, this);
    const ws = createWorkspace(this.input, this.layers, m.rows, false);
    this.scaleInput(ws.activations[0]!.data, m.data);
    const rates = this.state.model.dropout;
    if (training && hasDropout(rates)) {
      const drop = createDropout(this.layers, rates, m.rows);
      drawMasks(drop, new Random(seed));
      forward(this.layers, ws, drop);
      const trace = { sums: ws.sums, activations: ws.activations };
      this.state.masked.set(trace, drop);
      return trace;
    }
    forward(this.layers, ws);
    return { sums: ws.sums, activations: ws.activations };
  }

  /**
   * Computes the scaling statistics from (x, y) now: x for inputScaling, y (rows) for outputScaling.
   * Training adapts a network by itself the first time; `adapt` recomputes them.
   */
  adapt(x: MatrixLike, y?: MatrixLike): this {
    const where = 'Network.adapt';
    checkFree(where, this);
    const d = this.state.model;
    if (d.inputKind === 'none' && d.outputKind === 'none') {
      throw new DeltapropError(`${where}: the network has no scaling to adapt (create it with inputScaling or outputScaling)`);
    }
    const X = toMatrix(where, 'x', x, this.input);
    if (X.rows === 0) fail(where, 'x', 'at least one sample', 'no rows');
    let Y: Matrix | undefined;
    if (d.outputKind !== 'none') {
      if (y === undefined) fail(where, 'y', `the targets (rows of ${this.output} values) for outputScaling '${d.outputKind}'`, y);
      Y = toMatrix(where, 'y', y, this.output);
      if (Y.rows !== X.rows) throw new DeltapropError(`${where}: argument "y" must have ${X.rows} rows (one per sample of x), got ${Y.rows}`);
    } else if (y !== undefined) {
      fail(where, 'y', 'undefined (the network has no output scaling)', y);
    }
    checkFinite(where, 'x', X);
    if (Y !== undefined) checkFinite(where, 'y', Y);
    const input = d.inputKind === 'none' ? undefined : fitScaling(d.inputKind, X);
    const output = Y === undefined ? undefined : fitScaling('standard', Y);
    d.input = input;
    d.output = output;
    return this;
  }

  /** x' = (x − shift) / divisor into `out` under inputScaling, else a copy. */
  private scaleInput(out: Float64Array, x: Float64Array): void {
    const s = this.state.model.input;
    if (s === undefined) out.set(x);
    else scaleRows(out, x, s.shift, s.divisor);
  }

  /**
   * Backpropagation from a trace of `forward`: the deltas of every layer and the gradients of the
   * batch-mean loss `(1/k) Σ h(Z_{k-1}, Y)`. Nothing in the network changes.
   */
  backward(trace: Trace, y: MatrixLike, loss: LossName | Loss): Gradients {
    const where = 'Network.backward';
    const lossFn = resolveLoss(where, 'loss', loss);
    const k = this.layers.length;
    if (trace === null || typeof trace !== 'object' || !Array.isArray(trace.sums) || !Array.isArray(trace.activations)) {
      fail(where, 'trace', 'the { sums, activations } returned by forward()', trace);
    }
    const sums = trace.sums.slice(), acts = trace.activations.slice();
    if (sums.length !== k || acts.length !== k + 1) {
      fail(where, 'trace', `${k} sums and ${k + 1} activations (from this network's forward())`, `${sums.length} sums and ${acts.length} activations`);
    }
    const rows = (acts[0] as unknown) instanceof Matrix ? acts[0]!.rows : -1;
    for (let n = 0; n <= k; n++) {
      const width = n === 0 ? this.input : this.layers[n - 1]!.units;
      const a = acts[n];
      if (!(a instanceof Matrix) || a.rows !== rows || a.cols !== width || !(a.data instanceof Float64Array) || a.data.length !== rows * width) {
        fail(where, `trace.activations[${n}]`, `a ${rows} × ${width} Matrix`, a instanceof Matrix ? `${a.rows} × ${a.cols}` : a);
      }
      checkFinite(where, `trace.activations[${n}]`, a);
      if (n < k) {
        const s = sums[n];
        const units = this.layers[n]!.units;
        if (!(s instanceof Matrix) || s.rows !== rows || s.cols !== units || !(s.data instanceof Float64Array) || s.data.length !== rows * units) {
          fail(where, `trace.sums[${n}]`, `a ${rows} × ${units} Matrix`, s instanceof Matrix ? `${s.rows} × ${s.cols}` : s);
        }
        checkFinite(where, `trace.sums[${n}]`, s);
      }
    }
    let targets = toMatrix(where, 'y', y, this.output);
    if (targets.rows !== rows) {
      throw new DeltapropError(`${where}: argument "y" must have ${rows} rows (one per sample of the trace), got ${targets.rows}`);
    }
    checkTargets(where, 'y', lossFn, targets);
    const so = this.state.model.output;
    if (so !== undefined) {
      const scaled = new Matrix(targets.rows, targets.cols);
      scaleRows(scaled.data, targets.data, so.shift, so.divisor);
      targets = scaled;
    }
    const ws: Workspace = {
      rows,
      sums: sums.map((s) => s.clone()),
      activations: acts.map((a) => a.clone()),
      deltas: this.layers.map((l) => new Matrix(rows, l.units)),
      targets,
    };
    const grads = createGradients(this.layers);
    backward(this.layers, ws, lossFn, fusedDelta(lossFn, this.layers[k - 1]!.activation), grads, this.state.masked.get(trace));
    for (let n = 0; n < k; n++) {
      // A bias gradient is a mean of deltas, so this also catches every non-finite delta.
      for (const [name, values] of [['weightGradients', grads.weightGradients[n]!.data], ['biasGradients', grads.biasGradients[n]!]] as const) {
        const i = firstNonFinite(values);
        if (i >= 0) {
          throw new DeltapropError(
            `${where}: argument "trace" gives non-finite gradients (${describe(values[i])} in ${name}[${n}] at index ${i}): ` +
              'the inputs, targets or weights are too large for float64',
          );
        }
      }
    }
    return { deltas: ws.deltas, weightGradients: grads.weightGradients, biasGradients: grads.biasGradients };
  }

  /**
   * The network's output. One sample (`number[]` or `Float64Array`) gives a `Float64Array`;
   * a batch (`number[][]`, `Float64Array[]` or `Matrix`) gives a `Matrix` with a row per sample.
   */
  predict(x: ArrayLike<number>): Float64Array;
  predict(x: MatrixLike): Matrix;
  predict(x: ArrayLike<number> | MatrixLike): Float64Array | Matrix {
    const where = 'Network.predict';
    const single = !isMatrix(x) && isSample(x);
    const m = single ? toSample(where, 'x', x, this.input) : toMatrix(where, 'x', x, this.input);
    checkWorkingMemory(where, this, m.rows);
    checkAdapted(where, this);
    let ws = this.state.predict;
    if (ws === undefined || ws.rows !== m.rows || workspaceIsStale(ws, this.params)) {
      ws = createWorkspace(this.input, this.layers, m.rows, false, this.params.values);
      let size = 0;
      for (const a of ws.activations) size += a.data.length;
      this.state.predict = 2 * size <= PREDICT_CACHE_LIMIT ? ws : undefined;
    }
    this.scaleInput(ws.activations[0]!.data, m.data);
    forward(this.layers, ws);
    const out = ws.activations[this.layers.length]!;
    const bad = firstNonFinite(out.data);
    if (bad >= 0) {
      throw new DeltapropError(
        `${where}: argument "x" gives a non-finite output (${describe(out.data[bad])} at row ${Math.floor(bad / out.cols)}, column ${bad % out.cols}): ` +
          'the input or the weights are too large for float64',
      );
    }
    const answer = single ? new Matrix(1, out.cols, out.data.slice()) : out.clone();
    const so = this.state.model.output;
    // Original units: z · divisor + shift, in this order (the standalone module does the same).
    if (so !== undefined) unscaleRows(answer.data, answer.data, so.shift, so.divisor);
    return single ? answer.data : answer;
  }

  /**
   * A classifier's answer: `{ label, probability, probabilities }` for one sample, an array of them for
   * a batch. The label is the argmax (one sigmoid unit: the second class when p ≥ 0.5).
   */
  classify(x: ArrayLike<number>): Classification;
  classify(x: MatrixLike): Classification[];
  classify(x: ArrayLike<number> | MatrixLike): Classification | Classification[] {
    return classify(this, x);
  }

  /**
   * Figures on (x, y), y as rows or labels. A classifier gives loss, accuracy, the confusion matrix
   * [true][predicted], per-class precision, recall, f1, support, and macro and weighted f1; a regression
   * gives loss, mae, rmse and r2 (in original units; the loss in training units, as in the history).
   */
  evaluate(x: MatrixLike, y: Targets, options?: EvaluateOptions): Evaluation {
    return evaluate(this, x, y, options);
  }

  /** A text table of the layers (type, output width, activation, dropout, parameters) and totals. */
  summary(): string {
    return summaryText(this);
  }

  /** Trains on (x, y) and returns the per-epoch history; see `FitOptions`. It is `this.trainer(x, y, options).run()`. */
  fit(x: MatrixLike, y: Targets, options?: FitOptions): History {
    return Trainer.create(this, x, y, options, 'Network.fit').run();
  }

  /**
   * `fit` that yields to the event loop between batches (at least every `yieldEveryMs`), so a page
   * keeps rendering. It gives the same bits as `fit`. When `options.signal` aborts, it resolves after
   * the batch under way with `history.aborted === true`; a training error rejects it.
   */
  fitAsync(x: MatrixLike, y: Targets, options?: FitOptions): Promise<History> {
    return fitAsync(this, x, y, options);
  }

  /** A Trainer on (x, y): run it batch by batch (`step`), in time slices (`runFor`) or to the end (`run`). */
  trainer(x: MatrixLike, y: Targets, options?: TrainerOptions): Trainer {
    return Trainer.create(this, x, y, options, 'Network.trainer');
  }

  /** A deep copy (weights copied, activations shared). */
  clone(): Network {
    const built = buildLayers(this.layers);
    built.params.values.set(this.params.values);
    const copy = adopt(this.input, built);
    copy.state.model = copyModelData(this.state.model);
    return copy;
  }

  /** A plain-JSON description of the network (architecture and every weight, exactly). */
  toJSON(): NetworkJSON {
    return networkToJSON(this, this.state.model);
  }

  /** Rebuilds a network from `toJSON()` output (an object or its JSON text), validating everything. */
  static fromJSON(json: unknown, options?: FromJSONOptions): Network {
    return fromPlan(networkFromJSON(json, options));
  }
}

setNetworkReader((json, options) => Network.fromJSON(json, options));

/** A network from a validated plan of layers with their values (the readers of saved models use it). */
export function fromPlan(plan: NetworkPlan): Network {
  const built = buildLayers(plan.layers);
  plan.layers.forEach((l, n) => {
    built.layers[n]!.weights.data.set(l.weights);
    built.layers[n]!.biases.set(l.biases);
  });
  const net = adopt(plan.input, built);
  if (plan.model !== undefined) net.state.model = plan.model;
  return net;
}

/** One parameter store for the planned layers, and Dense layers whose weights and biases are views into it. */
function buildLayers(plans: readonly LayerPlan[]): { params: Params; layers: Dense[] } {
  const params = new Params(plans);
  const v = params.values;
  const layers = plans.map((p, n) => {
    const w = params.segments[2 * n]!, b = params.segments[2 * n + 1]!;
    return new Dense(p.inputs, p.units, p.activation, new Matrix(p.units, p.inputs, v.subarray(w.offset, w.offset + w.length)), v.subarray(b.offset, b.offset + b.length));
  });
  return { params, layers };
}

function adopt(input: number, built: { params: Params; layers: Dense[] }): Network {
  adopting = built;
  return new Network(input, built.layers);
}

/** Refuses a batch whose working memory (input, sums and activations) would pass MAX_WORKING_VALUES. */
function checkWorkingMemory(where: string, net: Network, rows: number): void {
  let width = net.input;
  for (const l of net.layers) width += 2 * l.units;
  if (rows * width > MAX_WORKING_VALUES) {
    const most = Math.floor(MAX_WORKING_VALUES / width);
    fail(where, 'x', `at most ${most} samples at once (${width} working values per sample, ${MAX_WORKING_VALUES} at most); split the batch`, `${rows} samples`);
  }
}

/** The index of the first NaN or ±Infinity in `values`, or −1. */
function firstNonFinite(values: Float64Array): number {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i]!)) return i;
  return -1;
}

function defaultInit(f: Activation): Init {
  return f.name === 'relu' || f.name === 'leakyRelu' ? 'he' : 'glorot';
}
