/**
 * A feed-forward network of dense layers, and the two passes of the seed:
 *
 *   feed-forward, keeping every value:  sums = {A_0 … A_{k-1}},  activations = {Z_{-1} = X, Z_0 … Z_{k-1}}
 *   backpropagation:                    δ_{k-1} = ∇h(Z_{k-1}) · J(f_{k-1})(A_{k-1})
 *                                       δ_n     = δ_{n+1} · W_{n+1} · J(f_n)(A_n)
 *                                       ΔW_n = δ_nᵀ Z_{n-1}ᵀ,   ΔB_n = δ_nᵀ
 *
 * Both run on a whole batch at once (rows are samples); gradients are of the batch-mean loss.
 */
import { type Activation, type ActivationName, resolveActivation } from './model/activations.js';
import { DeltapropError, describe, fail } from './core/errors.js';
import { Dense } from './model/layer.js';
import { fusedDelta, type Loss, type LossName, resolveLoss } from './model/losses.js';
import { MAX_ELEMENTS, Matrix } from './core/matrix.js';
import { Random } from './core/random.js';
import { type NetworkJSON, networkFromJSON, networkToJSON, type FromJSONOptions } from './io/json.js';
import { fitNetwork, type FitOptions, type History } from './train/trainer.js';
import {
  checkFinite,
  checkOptionNames,
  integerSeed,
  isSample,
  type MatrixLike,
  positiveInteger,
  toMatrix,
  toOptions,
  toSample,
} from './core/schema.js';

/** How a layer's weights are drawn: Glorot/Xavier uniform or He uniform. Biases start at zero. */
export type Init = 'glorot' | 'he';

export interface LayerSpec {
  /** Number of units (outputs) of the layer. */
  readonly units: number;
  /** Activation by name or as an object. @default 'identity' */
  readonly activation?: ActivationName | Activation;
  /** Weight initialisation. @default 'he' for relu and leakyRelu, 'glorot' otherwise */
  readonly init?: Init;
}

export interface NetworkSpec {
  /** Width of one input sample. */
  readonly input: number;
  /** The layers, from the first hidden layer to the output layer. */
  readonly layers: readonly LayerSpec[];
  /** Seed of the weight initialisation: the same seed gives the same weights, bit for bit. @default 0 */
  readonly seed?: number;
}

/** The values kept by the feed-forward pass. */
export interface Trace {
  /** A_0 … A_{k-1}: sums[n] is k × units of layer n. */
  readonly sums: Matrix[];
  /** Z_{-1} … Z_{k-1}: activations[0] is the input, activations[n + 1] = f_n(sums[n]). */
  readonly activations: Matrix[];
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

/** Buffers for one batch size: the trace, the deltas and a target batch. Allocated once, reused. */
export interface Workspace extends Trace {
  readonly rows: number;
  readonly deltas: Matrix[];
  readonly targets: Matrix;
}

const LAYER_KEYS = ['units', 'activation', 'init'] as const;
const SPEC_KEYS = ['input', 'layers', 'seed'] as const;

export class Network {
  /** Width of one input sample. */
  readonly input: number;
  /** The layers, input side first. */
  readonly layers: readonly Dense[];
  private predictWorkspace: Workspace | undefined;

  /** Use `Network.create` or `Network.fromJSON`; this constructor trusts its arguments. */
  constructor(input: number, layers: readonly Dense[]) {
    this.input = input;
    this.layers = Object.freeze(layers.slice());
  }

  /** Width of one output sample. */
  get output(): number {
    return this.layers[this.layers.length - 1]!.units;
  }

  /** The number of trainable values (weights and biases). */
  get parameterCount(): number {
    let n = 0;
    for (const layer of this.layers) n += layer.weights.data.length + layer.biases.length;
    return n;
  }

  /** Builds a network with seeded random weights and zero biases. */
  static create(spec: NetworkSpec): Network {
    const where = 'Network.create';
    const s = toOptions(where, 'spec', spec);
    checkOptionNames(where, 'spec', s, SPEC_KEYS);
    const input = positiveInteger(where, 'spec.input', s['input'], MAX_ELEMENTS);
    const seed = s['seed'] === undefined ? 0 : integerSeed(where, 'spec.seed', s['seed']);
    const specs = s['layers'];
    if (!Array.isArray(specs) || specs.length === 0) fail(where, 'spec.layers', 'a non-empty array of layers', specs);
    const plan: Array<{ units: number; activation: Activation; init: Init }> = [];
    let inputs = input;
    let total = 0;
    for (let n = 0; n < specs.length; n++) {
      const arg = `spec.layers[${n}]`;
      const l = toOptions(where, arg, specs[n]);
      checkOptionNames(where, arg, l, LAYER_KEYS);
      const units = positiveInteger(where, `${arg}.units`, l['units'], MAX_ELEMENTS);
      const activation = resolveActivation(where, `${arg}.activation`, l['activation'] ?? 'identity');
      const init = l['init'] === undefined ? defaultInit(activation) : l['init'];
      if (init !== 'glorot' && init !== 'he') fail(where, `${arg}.init`, "'glorot' or 'he'", init);
      total += units * inputs + units;
      if (total > MAX_ELEMENTS) fail(where, 'spec.layers', `at most ${MAX_ELEMENTS} parameters in all`, `${total} or more`);
      plan.push({ units, activation, init });
      inputs = units;
    }
    const random = new Random(seed);
    const layers: Dense[] = [];
    inputs = input;
    for (const p of plan) {
      const layer = new Dense(inputs, p.units, p.activation);
      // Glorot: U(±√(6 / (in + out))); He: U(±√(6 / in)). Drawn row by row, layer by layer.
      const limit = p.init === 'he' ? Math.sqrt(6 / inputs) : Math.sqrt(6 / (inputs + p.units));
      const W = layer.weights.data;
      for (let i = 0; i < W.length; i++) W[i] = random.uniform(-limit, limit);
      layers.push(layer);
      inputs = p.units;
    }
    return new Network(input, layers);
  }

  /**
   * The feed-forward pass on a batch, keeping every sum and activation (the seed's Sums and Acts).
   * Returns new matrices; the input is copied into `activations[0]`.
   */
  forward(x: MatrixLike): Trace {
    const m = toMatrix('Network.forward', 'x', x, this.input);
    const ws = createWorkspace(this, m.rows);
    ws.activations[0]!.data.set(m.data);
    forwardPass(this, ws);
    return { sums: ws.sums, activations: ws.activations };
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
    if (trace.sums.length !== k || trace.activations.length !== k + 1) {
      fail(where, 'trace', `${k} sums and ${k + 1} activations (from this network's forward())`, `${trace.sums.length} sums and ${trace.activations.length} activations`);
    }
    const rows = (trace.activations[0] as unknown) instanceof Matrix ? trace.activations[0]!.rows : -1;
    for (let n = 0; n <= k; n++) {
      const width = n === 0 ? this.input : this.layers[n - 1]!.units;
      const a = trace.activations[n];
      if (!(a instanceof Matrix) || a.rows !== rows || a.cols !== width || !(a.data instanceof Float64Array) || a.data.length !== rows * width) {
        fail(where, `trace.activations[${n}]`, `a ${rows} × ${width} Matrix`, a instanceof Matrix ? `${a.rows} × ${a.cols}` : a);
      }
      checkFinite(where, `trace.activations[${n}]`, a);
      if (n < k) {
        const s = trace.sums[n];
        const units = this.layers[n]!.units;
        if (!(s instanceof Matrix) || s.rows !== rows || s.cols !== units || !(s.data instanceof Float64Array) || s.data.length !== rows * units) {
          fail(where, `trace.sums[${n}]`, `a ${rows} × ${units} Matrix`, s instanceof Matrix ? `${s.rows} × ${s.cols}` : s);
        }
        checkFinite(where, `trace.sums[${n}]`, s);
      }
    }
    const targets = toMatrix(where, 'y', y, this.output);
    if (targets.rows !== rows) {
      throw new DeltapropError(`${where}: argument "y" must have ${rows} rows (one per sample of the trace), got ${targets.rows}`);
    }
    checkTargets(where, 'y', lossFn, targets);
    const ws: Workspace = {
      rows,
      sums: trace.sums,
      activations: trace.activations,
      deltas: this.layers.map((l) => new Matrix(rows, l.units)),
      targets,
    };
    const grads = createGradients(this);
    backwardPass(this, ws, lossFn, fusedDelta(lossFn, this.layers[k - 1]!.activation), grads);
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
    const single = !(x instanceof Matrix) && isSample(x);
    const m = single ? toSample(where, 'x', x, this.input) : toMatrix(where, 'x', x, this.input);
    let ws = this.predictWorkspace;
    if (ws === undefined || ws.rows !== m.rows) ws = this.predictWorkspace = createWorkspace(this, m.rows, false);
    ws.activations[0]!.data.set(m.data);
    forwardPass(this, ws);
    const out = ws.activations[this.layers.length]!;
    const bad = firstNonFinite(out.data);
    if (bad >= 0) {
      throw new DeltapropError(
        `${where}: argument "x" gives a non-finite output (${describe(out.data[bad])} at row ${Math.floor(bad / out.cols)}, column ${bad % out.cols}): ` +
          'the input or the weights are too large for float64',
      );
    }
    return single ? out.data.slice() : out.clone();
  }

  /** Trains with mini-batch SGD; see `FitOptions`. Returns the per-epoch history. */
  fit(x: MatrixLike, y: MatrixLike, options?: FitOptions): History {
    return fitNetwork(this, x, y, options);
  }

  /** A deep copy (weights copied, activations shared). */
  clone(): Network {
    return new Network(
      this.input,
      this.layers.map((l) => new Dense(l.inputs, l.units, l.activation, l.weights.clone(), l.biases.slice())),
    );
  }

  /** A plain-JSON description of the network (architecture and every weight, exactly). */
  toJSON(): NetworkJSON {
    return networkToJSON(this);
  }

  /** Rebuilds a network from `toJSON()` output (an object or its JSON text), validating everything. */
  static fromJSON(json: unknown, options?: FromJSONOptions): Network {
    return networkFromJSON(json, options);
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

/** Throws when the loss rejects the targets (e.g. binary cross-entropy targets outside [0, 1]). */
export function checkTargets(where: string, arg: string, loss: Loss, y: Matrix): void {
  if (loss.checkTargets === undefined) return;
  const problem = loss.checkTargets(y);
  if (problem !== undefined) {
    throw new DeltapropError(`${where}: argument "${arg}" must hold ${problem} (loss '${loss.name}')`);
  }
}

// ---------------------------------------------------------------------------------------------
// The two passes, on preallocated buffers (no allocation)
// ---------------------------------------------------------------------------------------------

/** Allocates the buffers of one batch size (deltas only when `withDeltas`). */
export function createWorkspace(net: Network, rows: number, withDeltas = true): Workspace {
  const activations = [new Matrix(rows, net.input)];
  const sums: Matrix[] = [];
  const deltas: Matrix[] = [];
  for (const layer of net.layers) {
    sums.push(new Matrix(rows, layer.units));
    activations.push(new Matrix(rows, layer.units));
    if (withDeltas) deltas.push(new Matrix(rows, layer.units));
  }
  return { rows, sums, activations, deltas, targets: new Matrix(withDeltas ? rows : 0, net.output) };
}

/** Gradient buffers shaped like the network's parameters. */
export function createGradients(net: Network): { weightGradients: Matrix[]; biasGradients: Float64Array[] } {
  return {
    weightGradients: net.layers.map((l) => new Matrix(l.units, l.inputs)),
    biasGradients: net.layers.map((l) => new Float64Array(l.units)),
  };
}

/** Feed-forward: for n = 0 … k-1, A_n = Z_{n-1} · W_nᵀ + B_n and Z_n = f_n(A_n). Reads ws.activations[0]. */
export function forwardPass(net: Network, ws: Trace): void {
  const layers = net.layers;
  for (let n = 0; n < layers.length; n++) {
    layers[n]!.forward(ws.sums[n]!, ws.activations[n + 1]!, ws.activations[n]!);
  }
}

/**
 * Backpropagation on a batch whose trace is in `ws` and whose targets are `ws.targets`:
 *   δ_{k-1} = ∇h(Z_{k-1}) · J(f_{k-1})(A_{k-1})     (or the fused closed form)
 *   δ_n     = δ_{n+1} · W_{n+1} · J(f_n)(A_n)
 * and the batch-mean gradients (1/k) Σ ΔW_n, (1/k) Σ ΔB_n into `grads`.
 */
export function backwardPass(
  net: Network,
  ws: Workspace,
  loss: Loss,
  fused: ((out: Matrix, z: Matrix, y: Matrix) => void) | undefined,
  grads: { weightGradients: Matrix[]; biasGradients: Float64Array[] },
): void {
  const layers = net.layers;
  const last = layers.length - 1;
  const zLast = ws.activations[last + 1]!;
  const dLast = ws.deltas[last]!;
  if (fused !== undefined) {
    fused(dLast, zLast, ws.targets);
  } else {
    loss.gradient(dLast, zLast, ws.targets); //                          ∇h(Z_{k-1})
    layers[last]!.activation.backward(dLast, dLast, ws.sums[last]!, zLast); // · J(f_{k-1})(A_{k-1})
  }
  for (let n = last; n >= 0; n--) {
    const layer = layers[n]!;
    const below = n > 0 ? ws.deltas[n - 1]! : undefined;
    // ΔW_n, ΔB_n, and δ_n · W_n into the buffer of δ_{n-1} (none for the first layer).
    layer.backward(grads.weightGradients[n]!, grads.biasGradients[n]!, below, ws.deltas[n]!, ws.activations[n]!);
    if (below !== undefined) {
      // δ_{n-1} = (δ_n · W_n) · J(f_{n-1})(A_{n-1}), in place.
      layers[n - 1]!.activation.backward(below, below, ws.sums[n - 1]!, ws.activations[n]!);
    }
  }
}
