/**
 * Numerical references for the tests: central finite differences and closeness checks.
 * Nothing here uses the library's own derivatives.
 */
import { expect } from 'vitest';
import { DeltapropError, TrainingError } from '../../src/index.js';

/** (f(x + ε) − f(x − ε)) / 2ε, probing coordinate `i` of `x` (restored afterwards). */
export function centralDifference(f: (x: Float64Array) => number, x: Float64Array, i: number, epsilon = 1e-6): number {
  const original = x[i]!;
  x[i] = original + epsilon;
  const plus = f(x);
  x[i] = original - epsilon;
  const minus = f(x);
  x[i] = original;
  return (plus - minus) / (2 * epsilon);
}

/** The m × n Jacobian of f: ℝⁿ → ℝᵐ at `a`, by central differences, as rows of ∂f_i/∂a_j. */
export function numericJacobian(f: (a: Float64Array) => Float64Array, a: Float64Array, epsilon = 1e-6): number[][] {
  const x = a.slice();
  const m = f(x).length;
  const J: number[][] = [];
  for (let i = 0; i < m; i++) J.push(new Array<number>(x.length).fill(0));
  for (let j = 0; j < x.length; j++) {
    const original = x[j]!;
    x[j] = original + epsilon;
    const plus = f(x).slice();
    x[j] = original - epsilon;
    const minus = f(x).slice();
    x[j] = original;
    for (let i = 0; i < m; i++) J[i]![j] = (plus[i]! - minus[i]!) / (2 * epsilon);
  }
  return J;
}

/** |a − b| / max(|a|, |b|, floor): relative where values are large, absolute below `floor`. */
export function relativeError(a: number, b: number, floor = 1e-8): number {
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), floor);
}

/** The largest relativeError over two equally long lists. */
export function maxRelativeError(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-8): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, relativeError(a[i]!, b[i]!, floor));
  return worst;
}

/** Asserts that every value is finite and within `tolerance` (relative, absolute below `floor`). */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, floor = 1e-8): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!, e = expected[i]!;
    if (!Number.isFinite(a) || relativeError(a, e, floor) > tolerance) {
      expect.fail(`index ${i}: got ${a}, expected ${e} (tolerance ${tolerance})`);
    }
  }
}

/** Asserts a single number is within `tolerance` of `expected` (relative, absolute below `floor`). */
export function expectNear(actual: number, expected: number, tolerance: number, floor = 1e-8): void {
  expectClose([actual], [expected], tolerance, floor);
}

/** Flattens nested rows into one list. */
export function flat(rows: ArrayLike<ArrayLike<number>>): number[] {
  const out: number[] = [];
  for (let i = 0; i < rows.length; i++) out.push(...Array.from(rows[i]!));
  return out;
}

/**
 * Runs `fn`, asserts it throws a DeltapropError whose message contains every fragment, and
 * returns the error.
 */
export function expectDeltapropError(fn: () => unknown, ...fragments: string[]): DeltapropError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  if (caught === undefined) expect.fail(`expected a DeltapropError mentioning ${fragments.join(', ')}, but nothing was thrown`);
  expect(caught).toBeInstanceOf(DeltapropError);
  const message = (caught as DeltapropError).message;
  for (const fragment of fragments) expect(message).toContain(fragment);
  return caught as DeltapropError;
}

/** Runs `fn` (a training call), asserts it throws a TrainingError, and returns the error. */
export function catchTrainingError(fn: () => unknown): TrainingError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(TrainingError);
    return error as TrainingError;
  }
  return expect.fail('expected a TrainingError, but nothing was thrown');
}
