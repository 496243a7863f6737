/**
 * Activations f, each with its derivative written right below it.
 *
 * Every activation has three faces:
 *   forward(Z, A)            Z = f(A), row by row                         (the course's Z_n = f_n(A_n))
 *   backward(dA, dZ, A, Z)   dA = dZ · J(f)(A), row by row                (the vector-Jacobian product)
 *   jacobian(a)              the full matrix J(f)(a) of one sample        (the course's J(f)(A))
 * Element-wise activations have a diagonal Jacobian, so `backward` is dZ ⊙ f'(A); training
 * never builds the full matrix. `backward` may be called with `dA === dZ` (in place).
 */
import { DeltapropError, describe } from '../core/errors.js';
import { exp, log1p, tanh as tanhScalar } from '../core/math.js';
import { Matrix } from '../core/matrix.js';
import { member } from '../core/schema.js';
import { arenaOf } from '../kernels/memory.js';

/** How an activation is written in a saved model: its name, plus its parameters if it has any. */
export type ActivationJSON = string | { readonly name: string; readonly [parameter: string]: number | string };

export interface Activation {
  /** The name used in layer specs and saved models. */
  readonly name: string;
  /** out = f(a), row by row (out and a have the same shape and are distinct). */
  forward(out: Matrix, a: Matrix): void;
  /** out = dZ · J(f)(a) for every row; `z` is f(a) as computed by `forward`. `out` may be `dZ`. */
  backward(out: Matrix, dZ: Matrix, a: Matrix, z: Matrix): void;
  /** The full Jacobian J(f)(a) of one sample: entry (i, j) is ∂f_i/∂a_j. */
  jacobian(a: Float64Array): Matrix;
  /** The form written by `Network.toJSON`. */
  toJSON(): ActivationJSON;
}

/** Builds the diagonal Jacobian of an element-wise activation from its derivative. */
function diagonalJacobian(a: Float64Array, derivative: (x: number) => number): Matrix {
  const n = a.length;
  const J = new Matrix(n, n);
  for (let i = 0; i < n; i++) J.data[i * n + i] = derivative(a[i]!);
  return J;
}

// ---------------------------------------------------------------------------------------------
// identity: f(x) = x,  f'(x) = 1
// ---------------------------------------------------------------------------------------------

const identity: Activation = {
  name: 'identity',
  forward(out, a) {
    out.data.set(a.data);
  },
  backward(out, dZ) {
    if (out !== dZ) out.data.set(dZ.data);
  },
  jacobian: (a) => diagonalJacobian(a, () => 1),
  toJSON: () => 'identity',
};

// ---------------------------------------------------------------------------------------------
// sigmoid: f(x) = 1 / (1 + e^−x),  f'(x) = f(x)(1 − f(x))
// ---------------------------------------------------------------------------------------------

/** σ(x) without overflow: for x < 0 it is e^x / (1 + e^x). */
export function sigmoidScalar(x: number): number {
  if (x >= 0) return 1 / (1 + exp(-x));
  const e = exp(x);
  return e / (1 + e);
}

const sigmoid: Activation = {
  name: 'sigmoid',
  forward(out, a) {
    const A = a.data, Z = out.data, n = A.length;
    for (let i = 0; i < n; i++) Z[i] = sigmoidScalar(A[i]!);
  },
  backward(out, dZ, _a, z) {
    const G = dZ.data, Z = z.data, O = out.data, n = O.length;
    for (let i = 0; i < n; i++) {
      const s = Z[i]!;
      O[i] = G[i]! * s * (1 - s);
    }
  },
  jacobian: (a) =>
    diagonalJacobian(a, (x) => {
      const s = sigmoidScalar(x);
      return s * (1 - s);
    }),
  toJSON: () => 'sigmoid',
};

// ---------------------------------------------------------------------------------------------
// tanh: f(x) = tanh(x),  f'(x) = 1 − f(x)²
// ---------------------------------------------------------------------------------------------

const tanh: Activation = {
  name: 'tanh',
  forward(out, a) {
    const A = a.data, Z = out.data, n = A.length;
    for (let i = 0; i < n; i++) Z[i] = tanhScalar(A[i]!);
  },
  backward(out, dZ, _a, z) {
    const G = dZ.data, Z = z.data, O = out.data, n = O.length;
    for (let i = 0; i < n; i++) {
      const t = Z[i]!;
      O[i] = G[i]! * (1 - t * t);
    }
  },
  jacobian: (a) =>
    diagonalJacobian(a, (x) => {
      const t = tanhScalar(x);
      return 1 - t * t;
    }),
  toJSON: () => 'tanh',
};

// ---------------------------------------------------------------------------------------------
// relu: f(x) = max(x, 0),  f'(x) = 1 if x > 0 else 0 (0 at the kink)
// ---------------------------------------------------------------------------------------------

// In WebAssembly memory (a network trained on the wasm backend), relu and leakyRelu run the arena's
// SIMD kernels: the same comparisons and products (kernels/js.ts is their twin), so the same bits.

const relu: Activation = {
  name: 'relu',
  forward(out, a) {
    const arena = arenaOf(out.data);
    if (arena !== undefined) return arena.kernels.reluForward(out.data, a.data);
    const A = a.data, Z = out.data, n = A.length;
    for (let i = 0; i < n; i++) {
      const x = A[i]!;
      Z[i] = x > 0 ? x : 0;
    }
  },
  backward(out, dZ, a) {
    const arena = arenaOf(out.data);
    if (arena !== undefined) return arena.kernels.reluBackward(out.data, dZ.data, a.data);
    const G = dZ.data, A = a.data, O = out.data, n = O.length;
    for (let i = 0; i < n; i++) O[i] = A[i]! > 0 ? G[i]! : 0;
  },
  jacobian: (a) => diagonalJacobian(a, (x) => (x > 0 ? 1 : 0)),
  toJSON: () => 'relu',
};

// ---------------------------------------------------------------------------------------------
// leakyRelu: f(x) = x if x > 0 else slope·x,  f'(x) = 1 if x > 0 else slope
// ---------------------------------------------------------------------------------------------

/** Every leaky ReLU made by `leakyRelu(slope)`: built-ins, although each slope is a new object. */
const leakyReluInstances = new WeakSet<Activation>();

/** A leaky ReLU with the given negative-side slope (default 0.01). */
export function leakyRelu(slope = 0.01): Activation {
  if (typeof slope !== 'number' || !Number.isFinite(slope)) {
    throw new DeltapropError(`leakyRelu: argument "slope" must be a finite number, got ${describe(slope)}`);
  }
  const f: Activation = {
    name: 'leakyRelu',
    forward(out, a) {
      const arena = arenaOf(out.data);
      if (arena !== undefined) return arena.kernels.leakyReluForward(out.data, a.data, slope);
      const A = a.data, Z = out.data, n = A.length;
      for (let i = 0; i < n; i++) {
        const x = A[i]!;
        Z[i] = x > 0 ? x : slope * x;
      }
    },
    backward(out, dZ, a) {
      const arena = arenaOf(out.data);
      if (arena !== undefined) return arena.kernels.leakyReluBackward(out.data, dZ.data, a.data, slope);
      const G = dZ.data, A = a.data, O = out.data, n = O.length;
      for (let i = 0; i < n; i++) O[i] = A[i]! > 0 ? G[i]! : slope * G[i]!;
    },
    jacobian: (a) => diagonalJacobian(a, (x) => (x > 0 ? 1 : slope)),
    toJSON: () => ({ name: 'leakyRelu', slope }),
  };
  leakyReluInstances.add(f);
  return f;
}

// ---------------------------------------------------------------------------------------------
// softplus: f(x) = log(1 + e^x),  f'(x) = σ(x)
// ---------------------------------------------------------------------------------------------

/** log(1 + e^x) without overflow: max(x, 0) + log1p(e^−|x|). */
export function softplusScalar(x: number): number {
  return (x > 0 ? x : 0) + log1p(exp(-Math.abs(x)));
}

const softplus: Activation = {
  name: 'softplus',
  forward(out, a) {
    const A = a.data, Z = out.data, n = A.length;
    for (let i = 0; i < n; i++) Z[i] = softplusScalar(A[i]!);
  },
  backward(out, dZ, a) {
    const G = dZ.data, A = a.data, O = out.data, n = O.length;
    for (let i = 0; i < n; i++) O[i] = G[i]! * sigmoidScalar(A[i]!);
  },
  jacobian: (a) => diagonalJacobian(a, sigmoidScalar),
  toJSON: () => 'softplus',
};

// ---------------------------------------------------------------------------------------------
// softmax: s_i = e^{a_i} / Σ_j e^{a_j},  J = diag(s) − s sᵀ,  δ·J = s ⊙ (δ − ⟨δ, s⟩)
// ---------------------------------------------------------------------------------------------

/** out = softmax(a) of one row, shifted by the row's maximum so that no exponential overflows. */
function softmaxRow(O: Float64Array, A: Float64Array, base: number, n: number): void {
  let max = -Infinity;
  for (let j = 0; j < n; j++) if (A[base + j]! > max) max = A[base + j]!;
  let sum = 0;
  for (let j = 0; j < n; j++) {
    const e = exp(A[base + j]! - max);
    O[base + j] = e;
    sum += e;
  }
  const inv = 1 / sum;
  for (let j = 0; j < n; j++) O[base + j] = O[base + j]! * inv;
}

const softmax: Activation = {
  name: 'softmax',
  forward(out, a) {
    const n = a.cols;
    for (let i = 0; i < a.rows; i++) softmaxRow(out.data, a.data, i * n, n);
  },
  backward(out, dZ, _a, z) {
    const G = dZ.data, S = z.data, O = out.data, n = z.cols;
    for (let i = 0; i < z.rows; i++) {
      const base = i * n;
      let dot = 0;
      for (let j = 0; j < n; j++) dot += G[base + j]! * S[base + j]!;
      for (let j = 0; j < n; j++) O[base + j] = S[base + j]! * (G[base + j]! - dot);
    }
  },
  jacobian(a) {
    const n = a.length;
    const s = new Float64Array(n);
    softmaxRow(s, a, 0, n);
    const J = new Matrix(n, n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) J.data[i * n + j] = (i === j ? s[i]! : 0) - s[i]! * s[j]!;
    }
    return J;
  },
  toJSON: () => 'softmax',
};

// ---------------------------------------------------------------------------------------------
// Registry of the built-in activations
// ---------------------------------------------------------------------------------------------

/** The built-in activations by name. `activations.leakyRelu` has slope 0.01; call `leakyRelu(s)` for another. */
export const activations = Object.freeze({
  identity,
  sigmoid,
  tanh,
  relu,
  leakyRelu: leakyRelu(0.01),
  softplus,
  softmax,
});

export type ActivationName = keyof typeof activations;

const BUILTIN_NAMES: readonly string[] = Object.keys(activations);

export function isBuiltinActivationName(name: string): name is ActivationName {
  return BUILTIN_NAMES.includes(name);
}

/** True for the library's own softmax and sigmoid objects (the fused loss paths rely on their exact math). */
export function isBuiltinSoftmax(f: Activation): boolean {
  return f === softmax;
}
export function isBuiltinSigmoid(f: Activation): boolean {
  return f === sigmoid;
}

/**
 * Resolves an activation given by name, by saved JSON form, or as an object.
 * `where`/`arg` name the caller for error messages; `custom` holds user activations by name.
 */
export function resolveActivation(
  where: string,
  arg: string,
  spec: unknown,
  custom?: Readonly<Record<string, Activation>>,
): Activation {
  if (typeof spec === 'string') {
    if (custom !== undefined && Object.prototype.hasOwnProperty.call(custom, spec)) return custom[spec]!;
    if (isBuiltinActivationName(spec)) return activations[spec];
    throw new DeltapropError(
      `${where}: argument "${arg}" must be one of ${BUILTIN_NAMES.map((n) => `'${n}'`).join(', ')} or an Activation object, got ${describe(spec)}`,
    );
  }
  if (spec !== null && typeof spec === 'object') {
    const o = spec as Record<string, unknown>;
    // Only the caller's own members (or their class's) count: never a polluted Object.prototype.
    const hasMethods =
      typeof member(o, 'forward') === 'function' && typeof member(o, 'backward') === 'function' && typeof member(o, 'jacobian') === 'function';
    if (hasMethods) {
      const name = member(o, 'name');
      if (typeof name !== 'string' || name.length === 0) {
        throw new DeltapropError(`${where}: argument "${arg}.name" must be a non-empty string, got ${describe(name)}`);
      }
      if (typeof member(o, 'toJSON') !== 'function') {
        throw new DeltapropError(`${where}: argument "${arg}.toJSON" must be a function, got ${describe(member(o, 'toJSON'))}`);
      }
      const isBuiltin = Object.values<Activation>(activations).includes(spec as Activation) || leakyReluInstances.has(spec as Activation);
      if (!isBuiltin && isBuiltinActivationName(name)) {
        throw new DeltapropError(
          `${where}: argument "${arg}" is a custom activation named '${name}', which is a built-in name; give it another name`,
        );
      }
      return spec as Activation;
    }
    // The saved form of a parameterised activation: { name: 'leakyRelu', slope }.
    if (o['name'] === 'leakyRelu') {
      const keys = Object.keys(o);
      for (const key of keys) {
        if (key !== 'name' && key !== 'slope') {
          throw new DeltapropError(`${where}: argument "${arg}" has an unknown field "${key}" (leakyRelu takes "slope")`);
        }
      }
      const slope = o['slope'];
      if (typeof slope !== 'number' || !Number.isFinite(slope)) {
        throw new DeltapropError(`${where}: argument "${arg}.slope" must be a finite number, got ${describe(slope)}`);
      }
      return leakyRelu(slope);
    }
    if (typeof o['name'] === 'string') {
      // { name } alone; any other field is a typo or a half-written Activation object, not to be ignored.
      for (const key of Object.keys(o)) {
        if (key !== 'name') {
          throw new DeltapropError(
            `${where}: argument "${arg}" has an unknown field ${describe(key)} (an activation is a name, { name }, or an Activation object with forward, backward, jacobian and toJSON)`,
          );
        }
      }
      return resolveActivation(where, arg, o['name'], custom);
    }
  }
  throw new DeltapropError(
    `${where}: argument "${arg}" must be an activation name or an Activation object, got ${describe(spec)}`,
  );
}

/**
 * Builds an element-wise activation from f and its derivative f', for users' own activations.
 * The derivative receives the sum `a` (not f(a)).
 */
export function elementwiseActivation(
  name: string,
  f: (x: number) => number,
  derivative: (x: number) => number,
): Activation {
  if (typeof name !== 'string' || name.length === 0) {
    throw new DeltapropError(`elementwiseActivation: argument "name" must be a non-empty string, got ${describe(name)}`);
  }
  if (isBuiltinActivationName(name)) {
    throw new DeltapropError(`elementwiseActivation: argument "name" must not be a built-in name, got '${name}'`);
  }
  if (typeof f !== 'function') {
    throw new DeltapropError(`elementwiseActivation: argument "f" must be a function, got ${describe(f)}`);
  }
  if (typeof derivative !== 'function') {
    throw new DeltapropError(`elementwiseActivation: argument "derivative" must be a function, got ${describe(derivative)}`);
  }
  return {
    name,
    forward(out, a) {
      const A = a.data, Z = out.data, n = A.length;
      for (let i = 0; i < n; i++) Z[i] = f(A[i]!);
    },
    backward(out, dZ, a) {
      const G = dZ.data, A = a.data, O = out.data, n = O.length;
      for (let i = 0; i < n; i++) O[i] = G[i]! * derivative(A[i]!);
    },
    jacobian: (a) => diagonalJacobian(a, derivative),
    toJSON: () => name,
  };
}
