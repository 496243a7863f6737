import { describe, it, expect } from 'vitest';
import { exp, expm1, log, log1p, tanh } from '../src/core/math.js';
import { Random } from '../src/core/random.js';
import { type Big, bitLength, decompose, ulpDistance } from './helpers/ulp.js';

// Bits of a double, for hashing results.
const F = new Float64Array(1);
const B = new BigInt64Array(F.buffer);

// ---------------------------------------------------------------------------------------------
// Arbitrary-precision reference values with BigInt: a value is m·2^e.

const W = 256; // working fraction bits of the series

/** a·b/2^w, truncated toward zero (so the series below end on 0n for either sign). */
function mulFixed(a: bigint, b: bigint, w: number): bigint {
  return (a * b) / (1n << BigInt(w));
}

/** Σ s^(2n+1)/(2n+1) = atanh(s), s and the result with w fraction bits. */
function atanhFixed(s: bigint, w: number): bigint {
  const s2 = mulFixed(s, s, w);
  let term = s;
  let sum = 0n;
  for (let n = 1n; term !== 0n; n += 2n) {
    sum += term / n;
    term = mulFixed(term, s2, w);
  }
  return sum;
}

const ln2Cache = new Map<number, bigint>();
/** ln2 = 2·atanh(1/3) with w fraction bits. */
function ln2Fixed(w: number): bigint {
  let v = ln2Cache.get(w);
  if (v === undefined) {
    v = (2n * atanhFixed((1n << BigInt(w + 16)) / 3n, w + 16)) >> 16n;
    ln2Cache.set(w, v);
  }
  return v;
}

/** m·2^(e+w), rounded toward −∞ (exact when e + w ≥ 0). */
function toFixed(v: Big, w: number): bigint {
  const sh = v.e + w;
  return sh >= 0 ? v.m << BigInt(sh) : v.m >> BigInt(-sh);
}

function expRef(x: number): Big {
  const k = Math.round(x / Math.LN2); // any nearby integer does
  const r = toFixed(decompose(x), W) - BigInt(k) * ln2Fixed(W);
  let term = 1n << BigInt(W);
  let sum = 0n;
  for (let n = 1n; term !== 0n; n++) {
    sum += term;
    term = mulFixed(term, r, W) / n;
  }
  return { m: sum, e: k - W };
}

function expm1Ref(x: number): Big {
  if (Math.abs(x) < 1) {
    // Σ_{n≥1} x^n/n! with as many fraction bits as x needs, so tiny x keep full precision.
    const d = decompose(x);
    const w = W - d.e;
    const xf = d.m << BigInt(W);
    let term = xf;
    let sum = 0n;
    for (let n = 2n; term !== 0n; n++) {
      sum += term;
      term = mulFixed(term, xf, w) / n;
    }
    return { m: sum, e: -w };
  }
  const v = expRef(x);
  return v.e <= 0 ? { m: v.m - (1n << BigInt(-v.e)), e: v.e } : v;
}

/** log(v) for v > 0. */
function logRef(v: Big): Big {
  const l = bitLength(v.m) + v.e - 1; // floor(log2 v)
  const j = l === 0 || l === -1 ? 0 : l; // v/2^j in [1/2, 2) when j = 0, else in [1, 2)
  const lo = Math.min(v.e, j);
  const n = v.m << BigInt(v.e - lo);
  const d = 1n << BigInt(j - lo);
  const num = n - d;
  const den = n + d;
  if (num === 0n && j === 0) return { m: 0n, e: 0 };
  const w = W + Math.max(0, bitLength(den) - bitLength(num)) + 8;
  const s = (num << BigInt(w)) / den; // (v − 2^j)/(v + 2^j), |s| ≤ 1/3
  return { m: 2n * atanhFixed(s, w) + BigInt(j) * ln2Fixed(w), e: -w };
}

function log1pRef(x: number): Big {
  const d = decompose(x);
  const v = d.e >= 0 ? { m: (d.m << BigInt(d.e)) + 1n, e: 0 } : { m: d.m + (1n << BigInt(-d.e)), e: d.e };
  return logRef(v);
}

/** tanh(x) = expm1(2x)/(expm1(2x) + 2), for 0 < |x| < 22. */
function tanhRef(x: number): Big {
  const v = expm1Ref(2 * x); // v.e < 0 here
  const den = v.m + (1n << BigInt(1 - v.e));
  const w = W + Math.max(0, bitLength(den) - bitLength(v.m)) + 8;
  return { m: (v.m << BigInt(w)) / den, e: -w };
}

/** |d − t| in units of the last place of t's binade (subnormal spacing below 2^-1022). */
function ulpError(d: number, t: Big): number {
  if (t.m === 0n) return d === 0 ? 0 : Infinity;
  const dd = decompose(d);
  const lo = Math.min(dd.e, t.e);
  let diff = (dd.m << BigInt(dd.e - lo)) - (t.m << BigInt(t.e - lo));
  if (diff < 0n) diff = -diff;
  const ue = Math.max(bitLength(t.m) + t.e - 1 - 52, -1074);
  const sh = lo - ue;
  return sh >= 0 ? Number(diff << BigInt(sh)) : Number((diff << 64n) >> BigInt(-sh)) / 2 ** 64;
}

// ---------------------------------------------------------------------------------------------
// Deterministic inputs.

/** (1 + frac)·2^e exactly, for frac in [0, 1) and integer e in [-1022, 1023]. */
function scaled(frac: number, e: number): number {
  let v = 1 + frac;
  let k = e;
  while (k > 0) {
    const s = Math.min(k, 60);
    v *= 2 ** s;
    k -= s;
  }
  while (k < 0) {
    const s = Math.min(-k, 60);
    v /= 2 ** s;
    k += s;
  }
  return v;
}

type Gen = (r: Random) => number;
/** `n` points, drawn from the generators in turn. */
function points(seed: number, n: number, gens: Gen[]): Float64Array {
  const rng = new Random(seed);
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) xs[i] = gens[i % gens.length]!(rng);
  return xs;
}

/** A point near 0: uniform sign and fraction, exponent down to 2^-maxShift. */
const nearZero = (maxShift: number): Gen => (r) => r.uniform(-1, 1) * 2 ** -r.int(maxShift + 1);

const N = 1_000_000;

const expPoints = points(1, N, [
  (r) => r.uniform(-745, 709.7),
  (r) => r.uniform(-745, 709.7),
  nearZero(60),
  (r) => r.uniform(-3, 3),
  (r) => r.uniform(-745.2, -708), // subnormal results
]);
const logPoints = points(2, N, [
  (r) => scaled(r.next(), r.int(2046) - 1023), // log-uniform over [2^-1023, 2^1023)
  (r) => scaled(r.next(), r.int(2046) - 1023),
  (r) => r.next() * 2.2250738585072014e-308, // subnormals
  (r) => 1 + r.uniform(-0.5, 0.5) * 2 ** -r.int(53), // near 1
  (r) => r.uniform(0.5, 2),
]);
const log1pPoints = points(3, N, [
  nearZero(60),
  (r) => r.uniform(-1, 1),
  (r) => scaled(r.next(), r.int(93) - 60), // log-uniform positive up to 2^33 ≈ 8.6e9
  (r) => -1 + scaled(r.next(), -r.int(53) - 1) / 2, // just above −1
  (r) => r.uniform(-0.5, 3),
]);
const expm1Points = points(4, N, [
  (r) => r.uniform(-40, 709),
  nearZero(60),
  (r) => r.uniform(-3, 3),
  (r) => r.uniform(-40, 40),
]);
const tanhPoints = points(5, N, [
  (r) => r.uniform(-25, 25),
  nearZero(40),
  (r) => r.uniform(-2, 2),
  (r) => r.uniform(-0.6, 0.6),
]);

interface Stats {
  max: number;
  worstX: number;
  differing: number;
  /** Inputs where ours and Math.* are more than 1 ulp apart. */
  far: number[];
}

function compare(f: (x: number) => number, g: (x: number) => number, xs: Float64Array): Stats {
  let max = 0;
  let worstX = NaN;
  let differing = 0;
  const far: number[] = [];
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    const d = ulpDistance(f(x), g(x));
    if (d !== 0) {
      differing++;
      if (d > max) {
        max = d;
        worstX = x;
      }
      if (d > 1) far.push(x);
    }
  }
  return { max, worstX, differing, far };
}

/** Max error of `f` in ulps against the reference, over every `stride`-th point. */
function refError(f: (x: number) => number, ref: (x: number) => Big, xs: ArrayLike<number>, stride: number) {
  let max = 0;
  let worstX = NaN;
  for (let i = 0; i < xs.length; i += stride) {
    const x = xs[i]!;
    const e = ulpError(f(x), ref(x));
    if (e > max) {
      max = e;
      worstX = x;
    }
  }
  return { max, worstX };
}

function report(name: string, s: Stats, ref: { max: number; worstX: number }): void {
  console.log(
    `${name}: max ${s.max} ulp from Math.${name} (at ${s.worstX}), ${((100 * s.differing) / N).toFixed(4)}% differ; ` +
      `max ${ref.max.toFixed(3)} ulp from the exact value (at ${ref.worstX})`,
  );
}

// ---------------------------------------------------------------------------------------------

describe('reference arithmetic', () => {
  it('matches correctly rounded known values', () => {
    expect(ulpError(Math.E, expRef(1))).toBeLessThan(0.5);
    expect(ulpError(Math.LN2, logRef(decompose(2)))).toBeLessThan(0.5);
    expect(ulpError(Math.LN10, logRef(decompose(10)))).toBeLessThan(0.5);
    expect(ulpError(1.0000050000166668e-5, expm1Ref(1e-5))).toBeLessThan(0.5);
    expect(ulpError(9.999950000333332e-6, log1pRef(1e-5))).toBeLessThan(0.5);
    expect(ulpError(0.46211715726000974, tanhRef(0.5))).toBeLessThan(0.5);
    expect(ulpError(5e-324, expRef(-745.1332191019411))).toBeLessThan(0.5);
  });
});

describe('exp', () => {
  it('is within 1 ulp of Math.exp and of the exact value', () => {
    const s = compare(exp, Math.exp, expPoints);
    const ref = refError(exp, expRef, expPoints, 401);
    report('exp', s, ref);
    expect(s.max).toBeLessThanOrEqual(1);
    expect(ref.max).toBeLessThan(1);
  });

  it('handles the edges', () => {
    expect(exp(0)).toBe(1);
    expect(exp(-0)).toBe(1);
    expect(exp(NaN)).toBeNaN();
    expect(exp(-Infinity)).toBe(0);
    expect(exp(Infinity)).toBe(Infinity);
    expect(exp(1)).toBe(Math.E);
    expect(exp(709.782712893384)).toBe(1.7976931348622732e308); // largest finite argument
    expect(exp(709.7827128933841)).toBe(Infinity);
    expect(exp(710)).toBe(Infinity);
    expect(exp(1e300)).toBe(Infinity);
    expect(exp(-745.1332191019411)).toBe(5e-324); // above ln(2^-1075): rounds up to 2^-1074
    expect(exp(-745.1332191019412)).toBe(0);
    expect(exp(-746)).toBe(0);
    expect(exp(-1e300)).toBe(0);
    expect(exp(-740)).toBe(4.2e-322);
    expect(exp(-708.5)).toBe(2.006132305331306e-308);
    for (const x of [-745.13, -744, -730, -720.5, -709, -708.4]) {
      expect(ulpError(exp(x), expRef(x))).toBeLessThan(1);
    }
    expect(exp(1e-300)).toBe(1);
    expect(exp(-1e-300)).toBe(1);
  });
});

describe('log', () => {
  it('is within 1 ulp of Math.log and of the exact value', () => {
    const s = compare(log, Math.log, logPoints);
    const ref = refError(log, (x) => logRef(decompose(x)), logPoints, 401);
    report('log', s, ref);
    expect(s.max).toBeLessThanOrEqual(1);
    expect(ref.max).toBeLessThan(1);
  });

  it('handles the edges', () => {
    expect(log(0)).toBe(-Infinity);
    expect(log(-0)).toBe(-Infinity);
    expect(log(-1)).toBeNaN();
    expect(log(-5e-324)).toBeNaN();
    expect(log(-Infinity)).toBeNaN();
    expect(log(NaN)).toBeNaN();
    expect(Object.is(log(1), 0)).toBe(true);
    expect(log(Infinity)).toBe(Infinity);
    expect(log(2)).toBe(Math.LN2);
    expect(log(10)).toBe(Math.LN10);
    expect(log(5e-324)).toBe(-744.4400719213812);
    expect(log(1e-310)).toBe(-713.8013788281542);
    expect(log(2.2250738585072014e-308)).toBe(-708.3964185322641);
    expect(log(Number.MAX_VALUE)).toBe(709.782712893384);
    expect(log(1 + 2 ** -52)).toBe(2 ** -52 - 2 ** -105); // ε − ε²/2 + …
    expect(log(1 - 2 ** -53)).toBe(-(2 ** -53));
  });
});

describe('log1p', () => {
  it('is within 1 ulp of Math.log1p and of the exact value', () => {
    const s = compare(log1p, Math.log1p, log1pPoints);
    const ref = refError(log1p, log1pRef, log1pPoints, 401);
    report('log1p', s, ref);
    expect(s.max).toBeLessThanOrEqual(1);
    expect(ref.max).toBeLessThan(1);
  });

  it('handles the edges', () => {
    expect(log1p(-1)).toBe(-Infinity);
    expect(log1p(-1.5)).toBeNaN();
    expect(log1p(-1 - 2 ** -52)).toBeNaN();
    expect(log1p(-Infinity)).toBeNaN();
    expect(log1p(NaN)).toBeNaN();
    expect(Object.is(log1p(0), 0)).toBe(true);
    expect(Object.is(log1p(-0), -0)).toBe(true);
    expect(log1p(1e-300)).toBe(1e-300);
    expect(log1p(-1e-300)).toBe(-1e-300);
    expect(log1p(5e-324)).toBe(5e-324);
    expect(log1p(2 ** -60)).toBe(2 ** -60);
    expect(log1p(1e-5)).toBe(9.999950000333332e-6);
    expect(log1p(1)).toBe(Math.LN2);
    expect(log1p(Infinity)).toBe(Infinity);
    expect(log1p(Number.MAX_VALUE)).toBe(709.782712893384);
    expect(log1p(-1 + 2 ** -53)).toBe(-36.7368005696771);
  });
});

describe('expm1', () => {
  it('is within 1 ulp of Math.expm1 and of the exact value', () => {
    const s = compare(expm1, Math.expm1, expm1Points);
    const ref = refError(expm1, expm1Ref, expm1Points, 401);
    report('expm1', s, ref);
    expect(s.max).toBeLessThanOrEqual(1);
    expect(ref.max).toBeLessThan(1);
  });

  it('handles the edges', () => {
    expect(Object.is(expm1(0), 0)).toBe(true);
    expect(Object.is(expm1(-0), -0)).toBe(true);
    expect(expm1(1e-300)).toBe(1e-300);
    expect(expm1(-1e-300)).toBe(-1e-300);
    expect(expm1(5e-324)).toBe(5e-324);
    expect(expm1(2 ** -60)).toBe(2 ** -60);
    expect(expm1(1e-5)).toBe(1.0000050000166668e-5);
    expect(expm1(NaN)).toBeNaN();
    expect(expm1(Infinity)).toBe(Infinity);
    expect(expm1(710)).toBe(Infinity);
    expect(expm1(709.782712893384)).toBe(1.7976931348622732e308);
    expect(expm1(-Infinity)).toBe(-1);
    expect(expm1(-40)).toBe(-1);
    expect(expm1(-1000)).toBe(-1);
    expect(expm1(-37)).toBe(-0.9999999999999999); // exp(−37) ≈ 8.5e-17 > 2^-54
    for (const x of [-38.5, -37.5, -36.7, -20, -0.35, 0.35, 0.7, 1.04, 13.9, 38.9, 700]) {
      expect(ulpError(expm1(x), expm1Ref(x))).toBeLessThan(1);
    }
  });
});

describe('tanh', () => {
  it('is within 1 ulp of the exact value, and of Math.tanh except where Math.tanh is off', () => {
    const s = compare(tanh, Math.tanh, tanhPoints);
    const ref = refError(tanh, (x) => tanhRef(x), tanhPoints.filter((x) => x !== 0 && Math.abs(x) < 22), 401);
    report('tanh', s, ref);
    // Engines' Math.tanh (fdlibm's algorithm in V8) can be about 2 ulp off, so the two may
    // differ by 2. Every such point is checked against the exact value instead.
    expect(s.max).toBeLessThanOrEqual(2);
    let farMax = 0;
    let mathFarMin = Infinity;
    for (const x of s.far) {
      const t = tanhRef(x);
      farMax = Math.max(farMax, ulpError(tanh(x), t));
      mathFarMin = Math.min(mathFarMin, ulpError(Math.tanh(x), t));
    }
    console.log(
      `tanh: ${s.far.length} points 2 ulp from Math.tanh; there ours is at most ${farMax.toFixed(3)} ulp ` +
        `from the exact value and Math.tanh at least ${mathFarMin.toFixed(3)} ulp`,
    );
    expect(farMax).toBeLessThan(1);
    expect(ref.max).toBeLessThan(1);
  });

  it('handles the edges', () => {
    expect(Object.is(tanh(0), 0)).toBe(true);
    expect(Object.is(tanh(-0), -0)).toBe(true);
    expect(tanh(Infinity)).toBe(1);
    expect(tanh(-Infinity)).toBe(-1);
    expect(tanh(NaN)).toBeNaN();
    expect(tanh(1e-300)).toBe(1e-300);
    expect(tanh(-5e-324)).toBe(-5e-324);
    expect(tanh(2 ** -30)).toBe(2 ** -30);
    expect(tanh(0.5)).toBe(0.46211715726000974);
    expect(tanh(19)).toBe(0.9999999999999999);
    expect(tanh(-19)).toBe(-0.9999999999999999);
    expect(tanh(22)).toBe(1);
    expect(tanh(-30)).toBe(-1);
    expect(tanh(1e300)).toBe(1);
    for (const x of [0.54999, 0.55, 0.5493061443340548, 0.9, 1.5, 5, 18.5, 21.9]) {
      expect(ulpError(tanh(x), tanhRef(x))).toBeLessThan(1);
      expect(ulpError(-tanh(x), tanhRef(-x))).toBeLessThan(1);
    }
  });
});

describe('bit patterns', () => {
  // A fingerprint of the exact output bits over fixed inputs: the same in every engine, since
  // the functions use only exactly rounded operations. A change of any output bit (even a
  // legitimate improvement) shows up here and needs the new fingerprint recorded.
  it('are fixed', () => {
    const fingerprint = (f: (x: number) => number, xs: Float64Array): string => {
      let h = 0xcbf29ce484222325n;
      for (let i = 0; i < xs.length; i += 97) {
        F[0] = f(xs[i]!);
        h = ((h ^ BigInt.asUintN(64, B[0]!)) * 0x100000001b3n) & 0xffffffffffffffffn;
      }
      return h.toString(16);
    };
    expect({
      exp: fingerprint(exp, expPoints),
      expm1: fingerprint(expm1, expm1Points),
      log: fingerprint(log, logPoints),
      log1p: fingerprint(log1p, log1pPoints),
      tanh: fingerprint(tanh, tanhPoints),
    }).toEqual({
      exp: 'dbb9c3692965abd2',
      expm1: '6c33aaed11bace70',
      log: 'e6d7af8787ee4f6b',
      log1p: '665f3ed9e726488a',
      tanh: '1d1eedeeb709a3c7',
    });
  });
});
