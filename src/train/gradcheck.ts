/**
 * Gradient checking: backpropagation against central finite differences,
 *   ∂g/∂θ ≈ (g(θ + ε) − g(θ − ε)) / 2ε,
 * on every weight and bias, where g is the batch-mean loss. Each parameter is restored to its
 * exact original value after it is probed, so the network is left as it was.
 * With `{ training: true, seed }` both sides run the training-mode pass through one fixed set of
 * dropout masks drawn from `seed`. Inputs and targets are in original units, scaled as in training.
 */
import { DeltapropError, fail } from '../core/errors.js';
import { Matrix } from '../core/matrix.js';
import { Random } from '../core/random.js';
import type { ModelData } from '../data/model-data.js';
import { scaleRows } from '../data/scaling.js';
import { createDropout, drawMasks, type DropoutBuffers, hasDropout } from '../model/dropout.js';
import { backward, createGradients, createWorkspace, forward } from '../model/backprop.js';
import type { Dense } from '../model/layer.js';
import { Params } from '../model/params.js';
import { checkTargets, fusedDelta, type Loss, type LossName, resolveLoss } from '../model/losses.js';
import { checkOptionNames, integerSeed, type MatrixLike, positiveFinite, toMatrix, toOptions } from '../core/schema.js';

export interface GradientCheckOptions {
  /** ε, the finite-difference step. @default 1e-5 */
  readonly epsilon?: number;
  /**
   * Gradients smaller than this in magnitude are compared absolutely: the relative error is
   * |a − n| / max(|a|, |n|, floor). A central difference in float64 carries a rounding noise of
   * about 1e-16 · |loss| / ε ≈ 1e-11, so a smaller floor reports that noise as error on tiny or zero
   * gradients. @default 1e-4
   */
  readonly floor?: number;
  /** Check the training-mode pass (dropout through fixed masks). @default false */
  readonly training?: boolean;
  /** Seed of the fixed dropout masks. @default 0 */
  readonly seed?: number;
}

export interface GradientCheckResult {
  /** The largest relative error over all parameters. */
  readonly maxRelativeError: number;
  /** Where it is: layer index, which parameter array, and the index in it (row-major for weights). */
  readonly layer: number;
  readonly parameter: 'weights' | 'biases';
  readonly index: number;
  /** The backpropagated and the finite-difference gradient at that place. */
  readonly analytic: number;
  readonly numeric: number;
  /** The largest relative error of each layer's weights and biases. */
  readonly perLayer: ReadonlyArray<{ readonly weights: number; readonly biases: number }>;
}

export function checkGradients(
  net: { readonly input: number; readonly output: number; readonly layers: readonly Dense[]; readonly params: Params; readonly state?: { readonly model?: ModelData } },
  x: MatrixLike,
  y: MatrixLike,
  loss: LossName | Loss,
  options?: GradientCheckOptions,
): GradientCheckResult {
  const where = 'checkGradients';
  if (net === null || typeof net !== 'object' || !((net as { params?: unknown }).params instanceof Params)) fail(where, 'net', 'a Network', net);
  const lossFn = resolveLoss(where, 'loss', loss);
  const o = toOptions(where, 'options', options);
  checkOptionNames(where, 'options', o, ['epsilon', 'floor', 'training', 'seed']);
  const training = o['training'] === undefined ? false : o['training'];
  if (typeof training !== 'boolean') fail(where, 'options.training', 'true or false', training);
  const seed = o['seed'] === undefined ? 0 : integerSeed(where, 'options.seed', o['seed']);
  const epsilon = o['epsilon'] === undefined ? 1e-5 : positiveFinite(where, 'options.epsilon', o['epsilon']);
  const floor = o['floor'] === undefined ? 1e-4 : positiveFinite(where, 'options.floor', o['floor']);
  const X = toMatrix(where, 'x', x, net.input);
  const Y = toMatrix(where, 'y', y, net.output);
  if (Y.rows !== X.rows) {
    throw new DeltapropError(`${where}: argument "y" must have ${X.rows} rows (one per sample of x), got ${Y.rows}`);
  }
  checkTargets(where, 'y', lossFn, Y);
  const model = net.state?.model;
  if (model !== undefined && ((model.inputKind !== 'none' && model.input === undefined) || (model.outputKind !== 'none' && model.output === undefined))) {
    throw new DeltapropError(`${where}: argument "net" scales its data but has no statistics yet; train it or call net.adapt(x, y) first`);
  }
  const Xs = model?.input === undefined ? X.data : scaled(X.data, model.input.shift, model.input.divisor);
  const Ys = model?.output === undefined ? Y : new Matrix(Y.rows, Y.cols, scaled(Y.data, model.output.shift, model.output.divisor));

  let dropTrace: DropoutBuffers | undefined, dropProbe: DropoutBuffers | undefined;
  if (training && model !== undefined && hasDropout(model.dropout)) {
    dropTrace = createDropout(net.layers, model.dropout, X.rows);
    drawMasks(dropTrace, new Random(seed));
    dropProbe = createDropout(net.layers, model.dropout, X.rows, dropTrace.masks);
  }
  const trace = createWorkspace(net.input, net.layers, X.rows);
  trace.activations[0]!.data.set(Xs);
  trace.targets.data.set(Ys.data);
  forward(net.layers, trace, dropTrace);
  const analytic = createGradients(net.layers);
  backward(net.layers, trace, lossFn, fusedDelta(lossFn, net.layers[net.layers.length - 1]!.activation), analytic, dropTrace);
  const ws = createWorkspace(net.input, net.layers, X.rows, false);
  ws.activations[0]!.data.set(Xs);
  const z = ws.activations[net.layers.length]!;
  const g = (): number => {
    forward(net.layers, ws, dropProbe);
    return lossFn.value(z, Ys);
  };

  let worst = { maxRelativeError: -1, layer: 0, parameter: 'weights' as 'weights' | 'biases', index: 0, analytic: 0, numeric: 0 };
  const perLayer: Array<{ weights: number; biases: number }> = [];
  for (let n = 0; n < net.layers.length; n++) {
    const layer = net.layers[n]!;
    const errors = { weights: 0, biases: 0 };
    for (const parameter of ['weights', 'biases'] as const) {
      const values = parameter === 'weights' ? layer.weights.data : layer.biases;
      const grads = parameter === 'weights' ? analytic.weightGradients[n]!.data : analytic.biasGradients[n]!;
      for (let i = 0; i < values.length; i++) {
        const original = values[i]!;
        let plus: number, minus: number;
        try {
          values[i] = original + epsilon;
          plus = g();
          values[i] = original - epsilon;
          minus = g();
        } finally {
          // Even when a user's loss or activation throws, the network is left as it was.
          values[i] = original;
        }
        const numeric = (plus - minus) / (2 * epsilon);
        if (!Number.isFinite(numeric)) {
          throw new DeltapropError(
            `${where}: argument "loss" is not finite near the network's ${parameter} (layer ${n}, index ${i}): ` +
              `the loss is ${plus} at +ε and ${minus} at −ε, so the gradient cannot be checked there`,
          );
        }
        const a = grads[i]!;
        const error = Math.abs(a - numeric) / Math.max(Math.abs(a), Math.abs(numeric), floor);
        if (error > errors[parameter]) errors[parameter] = error;
        if (error > worst.maxRelativeError) worst = { maxRelativeError: error, layer: n, parameter, index: i, analytic: a, numeric };
      }
    }
    perLayer.push(errors);
  }
  return { ...worst, perLayer };
}

function scaled(x: Float64Array, shift: Float64Array, divisor: Float64Array): Float64Array {
  const out = new Float64Array(x.length);
  scaleRows(out, x, shift, divisor);
  return out;
}
