/**
 * Mini-batch gradient descent with weight decay, exactly as the seed writes it:
 *
 *   W_n ← W_n − (α/k) Σ ΔW_n − λ W_n
 *   B_n ← B_n − (α/k) Σ ΔB_n            (biases are not decayed)
 *
 * The gradients passed in are already the batch means (1/k) Σ ΔW_n (what `Network.backward`
 * returns), so a step is `W ← W − α·g − λ·W`. Note that λ is not multiplied by α (decoupled
 * weight decay): it equals an L2 penalty (λ / 2α)‖W‖² added to the loss.
 */
import { fail } from '../core/errors.js';
import { Matrix } from '../core/matrix.js';
import { Network } from '../network.js';
import { checkOptionNames, nonNegativeFinite, positiveFinite, toOptions } from '../core/schema.js';

export interface SgdOptions {
  /** α, the step size. @default 0.01 */
  readonly learningRate?: number;
  /** λ, the fraction of every weight removed at each step (not multiplied by α). @default 0 */
  readonly weightDecay?: number;
}

export interface ParameterGradients {
  readonly weightGradients: readonly Matrix[];
  readonly biasGradients: readonly Float64Array[];
}

export interface Optimizer {
  readonly learningRate: number;
  readonly weightDecay: number;
  /** Applies one update to `net` from batch-mean gradients shaped like its parameters. */
  step(net: Network, gradients: ParameterGradients): void;
}

export const DEFAULT_LEARNING_RATE = 0.01;

/** Stochastic gradient descent with the seed's weight decay. */
export function sgd(options?: SgdOptions): Optimizer {
  const where = 'sgd';
  const o = toOptions(where, 'options', options);
  checkOptionNames(where, 'options', o, ['learningRate', 'weightDecay']);
  const learningRate =
    o['learningRate'] === undefined ? DEFAULT_LEARNING_RATE : positiveFinite(where, 'options.learningRate', o['learningRate']);
  const weightDecay = o['weightDecay'] === undefined ? 0 : nonNegativeFinite(where, 'options.weightDecay', o['weightDecay']);
  if (weightDecay >= 1) fail(where, 'options.weightDecay', 'less than 1 (it is the fraction of each weight removed per step)', weightDecay);
  return {
    learningRate,
    weightDecay,
    step(net, gradients) {
      checkGradientShapes('Optimizer.step', net, gradients);
      sgdStep(net, gradients, learningRate, weightDecay);
    },
  };
}

/**
 * The update itself, without checks (the training loop calls it once per batch):
 *   W ← W − α·g − λ·W,   B ← B − α·g_B.
 * When `backup` is given (two arrays per layer: weights, biases), the values of before the step are
 * written there in the same pass, so that a diverging step can be undone. Returns whether every
 * new parameter is finite.
 */
export function sgdStep(
  net: Network,
  g: ParameterGradients,
  learningRate: number,
  weightDecay: number,
  backup?: readonly Float64Array[],
): boolean {
  // v · 0 is 0 for every finite v and NaN for NaN or ±Infinity, so the sum stays 0 exactly
  // when every new parameter is finite.
  let s = 0;
  const layers = net.layers;
  for (let n = 0; n < layers.length; n++) {
    const layer = layers[n]!;
    const W = layer.weights.data, dW = g.weightGradients[n]!.data;
    const oldW = backup === undefined ? undefined : backup[2 * n]!;
    for (let i = 0; i < W.length; i++) {
      const w = W[i]!;
      if (oldW !== undefined) oldW[i] = w;
      const v = w - learningRate * dW[i]! - weightDecay * w;
      W[i] = v;
      s += v * 0;
    }
    const B = layer.biases, dB = g.biasGradients[n]!;
    const oldB = backup === undefined ? undefined : backup[2 * n + 1]!;
    for (let i = 0; i < B.length; i++) {
      const b = B[i]!;
      if (oldB !== undefined) oldB[i] = b;
      const v = b - learningRate * dB[i]!;
      B[i] = v;
      s += v * 0;
    }
  }
  return s === 0;
}

function checkGradientShapes(where: string, net: Network, g: ParameterGradients): void {
  if (!((net as unknown) instanceof Network)) fail(where, 'net', 'a Network', net);
  const gw: unknown = (g as Partial<ParameterGradients> | null)?.weightGradients;
  const gb: unknown = (g as Partial<ParameterGradients> | null)?.biasGradients;
  if (!Array.isArray(gw) || !Array.isArray(gb)) {
    fail(where, 'gradients', 'an object with weightGradients and biasGradients arrays', g);
  }
  const k = net.layers.length;
  if (gw.length !== k || gb.length !== k) {
    fail(where, 'gradients', `${k} weight and ${k} bias gradients`, `${gw.length} and ${gb.length}`);
  }
  for (let n = 0; n < k; n++) {
    const layer = net.layers[n]!;
    const w: unknown = gw[n];
    if (!(w instanceof Matrix) || w.rows !== layer.units || w.cols !== layer.inputs || w.data.length !== w.rows * w.cols) {
      fail(where, `gradients.weightGradients[${n}]`, `a ${layer.units} × ${layer.inputs} Matrix`, w instanceof Matrix ? `${w.rows} × ${w.cols}` : w);
    }
    const b: unknown = gb[n];
    if (!(b instanceof Float64Array) || b.length !== layer.units) {
      fail(where, `gradients.biasGradients[${n}]`, `a Float64Array of length ${layer.units}`, b);
    }
    for (const v of w.data) if (!Number.isFinite(v)) fail(where, `gradients.weightGradients[${n}]`, 'finite values', v);
    for (const v of b) if (!Number.isFinite(v)) fail(where, `gradients.biasGradients[${n}]`, 'finite values', v);
  }
}
