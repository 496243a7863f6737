/**
 * Losses h(Z, Y), each with its gradient ∇h(Z) written right below it.
 *
 *   value(Z, Y)          the batch-mean loss: (1/k) Σ_rows h(z, y)
 *   gradient(G, Z, Y)    G = ∇h(z) for every row (per sample: not divided by the batch size)
 *
 * The cross-entropies clip predictions to [EPSILON, 1 − EPSILON] before taking logarithms, so no
 * `log(0)` ever happens; the gradient is taken of the clipped expression.
 * Softmax + categorical cross-entropy and sigmoid + binary cross-entropy have fused deltas
 * (see `fusedDelta`) that skip the Jacobian and are exact where the general path would clip.
 */
import { type Activation, isBuiltinSigmoid, isBuiltinSoftmax } from './activations.js';
import { DeltapropError, describe } from '../core/errors.js';
import { log } from '../core/math.js';
import { member } from '../core/schema.js';
import type { Matrix } from '../core/matrix.js';

export interface Loss {
  /** The name used in `fit` options and error messages. */
  readonly name: string;
  /** The batch-mean loss (1/k) Σ_i h(z_i, y_i) over the k rows. */
  value(z: Matrix, y: Matrix): number;
  /** out = ∇h(z_i) for every row i (per sample, not divided by k). `out` has the shape of `z`. */
  gradient(out: Matrix, z: Matrix, y: Matrix): void;
  /** Optional check of the targets, called once before training; returns a problem or undefined. */
  checkTargets?(y: Matrix): string | undefined;
}

/** Predictions are clipped to [EPSILON, 1 − EPSILON] inside the cross-entropy logarithms. */
export const EPSILON = 1e-12;

function clip(z: number): number {
  return z < EPSILON ? EPSILON : z > 1 - EPSILON ? 1 - EPSILON : z;
}

// ---------------------------------------------------------------------------------------------
// L2: h = ½ ‖Z − Y‖²,  ∇h = Z − Y
// ---------------------------------------------------------------------------------------------

const l2: Loss = {
  name: 'l2',
  value(z, y) {
    const Z = z.data, Y = y.data, n = Z.length;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const d = Z[i]! - Y[i]!;
      sum += d * d;
    }
    return (0.5 * sum) / z.rows;
  },
  gradient(out, z, y) {
    const Z = z.data, Y = y.data, O = out.data, n = Z.length;
    for (let i = 0; i < n; i++) O[i] = Z[i]! - Y[i]!;
  },
};

// ---------------------------------------------------------------------------------------------
// L1: h = ‖Z − Y‖₁,  ∇h = sign(Z − Y)  (0 where Z = Y)
// ---------------------------------------------------------------------------------------------

const l1: Loss = {
  name: 'l1',
  value(z, y) {
    const Z = z.data, Y = y.data, n = Z.length;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += Math.abs(Z[i]! - Y[i]!);
    return sum / z.rows;
  },
  gradient(out, z, y) {
    const Z = z.data, Y = y.data, O = out.data, n = Z.length;
    for (let i = 0; i < n; i++) {
      const d = Z[i]! - Y[i]!;
      O[i] = d > 0 ? 1 : d < 0 ? -1 : 0;
    }
  },
};

// ---------------------------------------------------------------------------------------------
// Binary cross-entropy (the course's formula): h = −Σ [ Y log Z + (1 − Y) log(1 − Z) ],
// ∇h = (Z − Y) / (Z (1 − Z))
// ---------------------------------------------------------------------------------------------

function checkUnitInterval(y: Matrix): string | undefined {
  const Y = y.data;
  for (let i = 0; i < Y.length; i++) {
    const v = Y[i]!;
    if (!(v >= 0 && v <= 1)) {
      return `targets in [0, 1], got ${describe(v)} at row ${Math.floor(i / y.cols)}, column ${i % y.cols}`;
    }
  }
  return undefined;
}

const binaryCrossEntropy: Loss = {
  name: 'binaryCrossEntropy',
  value(z, y) {
    const Z = z.data, Y = y.data, n = Z.length;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const p = clip(Z[i]!), t = Y[i]!;
      sum -= t * log(p) + (1 - t) * log(1 - p);
    }
    return sum / z.rows;
  },
  gradient(out, z, y) {
    const Z = z.data, Y = y.data, O = out.data, n = Z.length;
    for (let i = 0; i < n; i++) {
      const p = clip(Z[i]!);
      O[i] = (p - Y[i]!) / (p * (1 - p));
    }
  },
  checkTargets: checkUnitInterval,
};

// ---------------------------------------------------------------------------------------------
// Categorical cross-entropy: h = −Σ_j Y_j log Z_j,  ∇h = −Y / Z
// ---------------------------------------------------------------------------------------------

const categoricalCrossEntropy: Loss = {
  name: 'categoricalCrossEntropy',
  value(z, y) {
    const Z = z.data, Y = y.data, n = Z.length;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const t = Y[i]!;
      if (t !== 0) sum -= t * log(clip(Z[i]!));
    }
    return sum / z.rows;
  },
  gradient(out, z, y) {
    const Z = z.data, Y = y.data, O = out.data, n = Z.length;
    for (let i = 0; i < n; i++) O[i] = -Y[i]! / clip(Z[i]!);
  },
  checkTargets(y) {
    const Y = y.data;
    for (let i = 0; i < Y.length; i++) {
      if (!(Y[i]! >= 0)) {
        return `non-negative targets, got ${describe(Y[i])} at row ${Math.floor(i / y.cols)}, column ${i % y.cols}`;
      }
    }
    return undefined;
  },
};

// ---------------------------------------------------------------------------------------------
// Fused deltas: δ_{k-1} = ∇h(Z) · J(f)(A) in closed form
// ---------------------------------------------------------------------------------------------

/** out = δ of the last layer for every row, computed directly from Z and Y. */
export type FusedDelta = (out: Matrix, z: Matrix, y: Matrix) => void;

/** Softmax + categorical CE: δ = (Σ_j Y_j)·Z − Y per row (Z − Y for one-hot rows). */
function softmaxCrossEntropyDelta(out: Matrix, z: Matrix, y: Matrix): void {
  const Z = z.data, Y = y.data, O = out.data, n = z.cols;
  for (let i = 0; i < z.rows; i++) {
    const base = i * n;
    let total = 0;
    for (let j = 0; j < n; j++) total += Y[base + j]!;
    for (let j = 0; j < n; j++) O[base + j] = total * Z[base + j]! - Y[base + j]!;
  }
}

/** Sigmoid + binary CE: δ = Z − Y element by element. */
function sigmoidBinaryCrossEntropyDelta(out: Matrix, z: Matrix, y: Matrix): void {
  const Z = z.data, Y = y.data, O = out.data, n = Z.length;
  for (let i = 0; i < n; i++) O[i] = Z[i]! - Y[i]!;
}

/** The fused last-layer delta for (loss, activation), or undefined when the pair has none. */
export function fusedDelta(loss: Loss, activation: Activation): FusedDelta | undefined {
  if (loss === categoricalCrossEntropy && isBuiltinSoftmax(activation)) return softmaxCrossEntropyDelta;
  if (loss === binaryCrossEntropy && isBuiltinSigmoid(activation)) return sigmoidBinaryCrossEntropyDelta;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Registry
// ---------------------------------------------------------------------------------------------

/** The built-in losses by name; `crossEntropy` is the course's name for `binaryCrossEntropy`. */
export const losses = Object.freeze({
  l2,
  l1,
  binaryCrossEntropy,
  crossEntropy: binaryCrossEntropy,
  categoricalCrossEntropy,
});

export type LossName = keyof typeof losses;

const LOSS_NAMES: readonly string[] = Object.keys(losses);

/** Resolves a loss given by name or as an object; throws a DeltapropError naming `where` and `arg`. */
export function resolveLoss(where: string, arg: string, spec: unknown): Loss {
  if (typeof spec === 'string') {
    if (LOSS_NAMES.includes(spec)) return losses[spec as LossName];
  } else if (spec !== null && typeof spec === 'object') {
    // Only the caller's own members (or their class's) count: never a polluted Object.prototype.
    const value = member(spec, 'value'), gradient = member(spec, 'gradient'), name = member(spec, 'name'), check = member(spec, 'checkTargets');
    if (typeof value === 'function' && typeof gradient === 'function') {
      if (typeof name !== 'string' || name.length === 0) {
        throw new DeltapropError(`${where}: argument "${arg}.name" must be a non-empty string, got ${describe(name)}`);
      }
      if (check !== undefined && typeof check !== 'function') {
        throw new DeltapropError(`${where}: argument "${arg}.checkTargets" must be a function, got ${describe(check)}`);
      }
      return spec as Loss;
    }
  }
  throw new DeltapropError(
    `${where}: argument "${arg}" must be one of ${LOSS_NAMES.map((n) => `'${n}'`).join(', ')} or a Loss object, got ${describe(spec)}`,
  );
}


/** Throws when the loss rejects the targets (e.g. binary cross-entropy targets outside [0, 1]). */
export function checkTargets(where: string, arg: string, loss: Loss, y: Matrix): void {
  const check = member(loss, 'checkTargets') as Loss['checkTargets'];
  if (check === undefined) return;
  const problem = check.call(loss, y);
  if (problem !== undefined) {
    throw new DeltapropError(`${where}: argument "${arg}" must hold ${problem} (loss '${loss.name}')`);
  }
}
