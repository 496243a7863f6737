/**
 * The portable cos of src/core/math.ts (what cosineDecay uses, so that a schedule gives the same bits
 * on every engine): against an arbitrary-precision BigInt reference, against Math.cos, at the
 * points a cosine schedule uses (πt/T), its exact values and its range (NaN outside ±2^20·π/2).
 */
import { describe, expect, it } from 'vitest';
import { cos } from '../src/core/trig.js';
import { Random } from '../src/core/random.js';
import { bitLength, decompose, ulpDistance } from './helpers/ulp.js';

// ---------------------------------------------------------------------------------------------
// The reference: fixed point with W fraction bits in BigInt. π from Machin's formula
// π = 16·atan(1/5) − 4·atan(1/239); x reduced exactly by the nearest multiple k of π/2; then the
// Taylor series of cos r and sin r (|r| ≤ π/4, so the terms fall fast). Every truncation is at
// 2^-W, far below the 2^-53 relative precision being tested for the values met here (|cos| > 2^-100).

const W = 320;
const ONE = 1n << BigInt(W);

/** atan(1/n) with W fraction bits. */
function atanInverse(n: bigint): bigint {
  const n2 = n * n;
  let power = ONE / n; // 1/n^(2k+1)
  let sum = 0n;
  for (let k = 0n; power !== 0n; k++) {
    const term = power / (2n * k + 1n);
    sum += k % 2n === 0n ? term : -term;
    power /= n2;
  }
  return sum;
}

const PI = 16n * atanInverse(5n) - 4n * atanInverse(239n);
const HALF_PI = PI / 2n;

/** x exactly, in fixed point (truncated below 2^-W, which the values used here never reach). */
function toFixed(x: number): bigint {
  const { m, e } = decompose(x);
  const mag = m < 0n ? -m : m, shift = e + W;
  const fixed = shift >= 0 ? mag << BigInt(shift) : mag >> BigInt(-shift);
  return m < 0n ? -fixed : fixed;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
}

/** Σ (−1)^n r^(2n + s) / (2n + s)!  for s = 0 (cos) or 1 (sin). */
function series(r: bigint, s: 0 | 1): bigint {
  const r2 = (r * r) >> BigInt(W);
  let term = s === 0 ? ONE : r;
  let sum = term;
  for (let n = 1n; term !== 0n; n++) {
    const a = 2n * n - 1n + BigInt(s), b = 2n * n + BigInt(s);
    term = -((term * r2) >> BigInt(W)) / (a * b);
    sum += term;
  }
  return sum;
}

/** cos(x) with W fraction bits. */
function cosRef(x: number): bigint {
  const xf = toFixed(x);
  const k = floorDiv(2n * xf + HALF_PI, 2n * HALF_PI); // nearest integer to x / (π/2)
  const r = xf - k * HALF_PI;
  switch (Number(((k % 4n) + 4n) % 4n)) {
    case 0:
      return series(r, 0);
    case 1:
      return -series(r, 1);
    case 2:
      return -series(r, 0);
    default:
      return series(r, 1);
  }
}

/** |d − t| in units of the last place of t (the true value, in fixed point). */
function ulpError(d: number, t: bigint): number {
  const diff = toFixed(d) - t;
  const shift = bitLength(t) - 53; // ulp(t) = 2^(bitLength(t) − 53) fixed units
  const a = diff < 0n ? -diff : diff;
  return shift >= 32 ? Number(a >> BigInt(shift - 32)) / 2 ** 32 : Number(a << BigInt(32 - shift)) / 2 ** 32;
}

/** |d − t| as a number (absolute error). */
function absError(d: number, t: bigint): number {
  return Math.abs(Number(toFixed(d) - t)) / 2 ** W;
}

// ---------------------------------------------------------------------------------------------

function uniformPoints(seed: number, n: number, lo: number, hi: number): Float64Array {
  const r = new Random(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = r.uniform(lo, hi);
  return out;
}

describe('the BigInt reference itself', () => {
  it('has π right to 1e-60 and gives cos(1), cos(π/3 as a double) as known', () => {
    // π = 3.14159265358979323846264338327950288419716939937510582097494459230781640628620899862803…
    const digits = 31415926535897932384626433832795028841971693993751058209749445923078164062862089986280n;
    const scaled = (PI * 10n ** 85n) >> BigInt(W);
    expect(scaled - digits === 0n || scaled - digits === -1n).toBe(true);
    // cos(1) = 0.54030230586813971740093660744297660373231042061792…
    const c1 = (cosRef(1) * 10n ** 45n) >> BigInt(W);
    expect(c1).toBe(540302305868139717400936607442976603732310420n);
    // and it agrees with Math.cos to within an ulp at a few points
    for (const x of [0.5, 1, 2, 3, -4, 7.25]) expect(ulpError(Math.cos(x), cosRef(x))).toBeLessThanOrEqual(1);
  });
});

describe('cos against the reference and Math.cos', () => {
  // "Within about 1 ulp": measured against the exact value, the largest error is 1.20 ulps on these
  // points and 1.39 at the schedule's points (the reduced argument r is rounded and, unlike fdlibm's
  // kernel, its rounding error is not carried into the polynomial: up to ~0.4 ulp more). Bound: 1.5.
  const EXACT_BOUND = 1.5;

  it('is within 1.5 ulps of the exact cosine on 2,000 points in [−10, 10]', () => {
    let worst = 0;
    for (const x of uniformPoints(11, 2000, -10, 10)) worst = Math.max(worst, ulpError(cos(x), cosRef(x)));
    expect(worst).toBeLessThanOrEqual(EXACT_BOUND);
    expect(worst).toBeGreaterThan(0.5); // the measure is not trivially 0 (it is 1.20)
  });

  it('is within 1 ulp of Math.cos on 100,000 points in [−10, 10], and exactly even', () => {
    let worst = 0, equal = 0, odd = 0;
    for (const x of uniformPoints(7, 100_000, -10, 10)) {
      const c = cos(x), m = Math.cos(x);
      if (c === m) equal++;
      else worst = Math.max(worst, ulpDistance(c, m));
      if (cos(-x) !== c) odd++;
    }
    expect(worst).toBeLessThanOrEqual(1);
    expect(odd).toBe(0);
    expect(equal).toBeGreaterThan(80_000); // measured: 84,261 identical to Math.cos
  });

  it('is within 1 ulp of Math.cos on 10,000 points in [−1e5, 1e5] (the documented accurate range)', () => {
    let worst = 0;
    for (const x of uniformPoints(8, 10_000, -1e5, 1e5)) worst = Math.max(worst, ulpDistance(cos(x), Math.cos(x)));
    expect(worst).toBeLessThanOrEqual(1);
  });

  it('at the cosine schedule’s points x = πt/T: 1 ulp of Math.cos, 1.5 of the exact value where |cos x| ≥ 1e-9, tiny absolute error elsewhere', () => {
    let worstMath = 0, worstUlp = 0, worstAbs = 0, near = 0, outside = 0;
    for (let T = 1; T <= 300; T++) {
      for (let t = 0; t < T; t++) {
        const x = (Math.PI * t) / T; // as schedules.cosineDecay computes it
        const c = cos(x);
        if (!(c >= -1 && c <= 1)) outside++;
        if (Math.abs(c) < 1e-9) {
          near++;
          worstAbs = Math.max(worstAbs, absError(c, cosRef(x)));
          continue;
        }
        worstMath = Math.max(worstMath, ulpDistance(c, Math.cos(x)));
        if (T <= 60) worstUlp = Math.max(worstUlp, ulpError(c, cosRef(x)));
      }
    }
    expect(outside).toBe(0);
    expect(worstMath).toBeLessThanOrEqual(1);
    expect(worstUlp).toBeLessThanOrEqual(EXACT_BOUND);
    expect(near).toBe(150); // t = T/2 for every even T
    // Near π/2 the result is ~6e-17; whatever its error, it vanishes in the schedule's 1 + cos.
    expect(worstAbs).toBeLessThan(1e-26);
    expect(1 + cos(Math.PI / 2)).toBe(1);
  });

  // π/2 in three parts (fdlibm's reduction) keeps the relative error small even where cos is near 0.
  it('is within 1 ulp of the exact value at fl(π/2) and fl(3π/2)', () => {
    for (const x of [Math.PI / 2, (3 * Math.PI) / 2, -Math.PI / 2]) {
      expect(ulpError(cos(x), cosRef(x))).toBeLessThanOrEqual(1);
    }
  });
});

describe('exact values and range', () => {
  it('cos(0) = cos(−0) = 1 exactly, cos(π) = −1 within 1 ulp, cos of tiny x is 1', () => {
    expect(cos(0)).toBe(1);
    expect(cos(-0)).toBe(1);
    expect(cos(5e-324)).toBe(1);
    expect(cos(1e-9)).toBe(1); // 1 − 5e-19 rounds to 1
    // cos(fl(π)) = −1 + (π − fl(π))²/2 ≈ −1 + 7.5e-33: −1 is the correctly rounded value
    expect(ulpDistance(cos(Math.PI), -1)).toBeLessThanOrEqual(1);
    expect(cos(Math.PI)).toBe(-1);
    expect(cos(-Math.PI)).toBe(-1);
    expect(cos(2 * Math.PI)).toBe(1);
  });

  it('is NaN for NaN, ±Infinity and |x| beyond 2^20·π/2; finite up to it', () => {
    for (const x of [NaN, Infinity, -Infinity, 1647099.33, -1647099.33, 1e7, -1e300, Number.MAX_VALUE]) {
      expect(cos(x), String(x)).toBeNaN();
    }
    const edge = 1647099.3291652855; // the last double the code accepts
    for (const x of [edge, -edge]) {
      expect(Number.isFinite(cos(x))).toBe(true);
      expect(ulpDistance(cos(x), Math.cos(x))).toBeLessThanOrEqual(1);
    }
  });
});
