/**
 * Elementary functions used by training (exp, expm1, log, log1p, tanh), built only from
 * + − × ÷, comparisons, Math.abs / Math.floor and exact bit manipulation of float64 values,
 * so that every JavaScript engine computes the same bits. (Engines round Math.exp, Math.log,
 * Math.tanh their own way; the four basic operations are exactly rounded everywhere and
 * JavaScript never fuses a multiply-add.)
 *
 * Each function stays within 1 ulp of the exact result (test/math.test.ts checks this against
 * Math.* and against an arbitrary-precision reference). The methods:
 *
 * - exp: x = (64·q + j)·ln2/64 + r with |r| ≤ ln2/128, where ln2/64 = LN2_64_HI + LN2_64_LO
 *   (LN2_64_HI has 32 significant bits, so k·LN2_64_HI is exact). exp(x) = 2^q·2^(j/64)·exp(r):
 *   2^(j/64) comes from a 64-entry table as a correctly rounded head plus a tail, exp(r) − 1
 *   from a degree-6 polynomial whose r² … r^6 part is a minimax fit; the head is added last, so
 *   the result is off by little more than its final rounding. 2^q is a table load; a subnormal
 *   result is rounded once, from the unrounded head + tail.
 * - log: x = 2^k·m with m in [√2/2, √2), f = m − 1, s = f/(2 + f). log(m) = 2·atanh(s) =
 *   f − (f²/2 − s·(f²/2 + R(s²))), R a degree-7 minimax fit (no constant term) of
 *   2·atanh(s)/s − 2 (absolute error below 2^-58). Subnormals are scaled by 2^54 first.
 * - log1p: same kernel. For √2/2 − 1 < x < √2 − 1, f = x exactly; otherwise u = 1 + x is
 *   reduced as in log and the rounding error of 1 + x, recovered exactly, enters as a
 *   first-order correction ((1 + x) − u)/u.
 * - expm1: for |x| < ln2/2, with R1(x) = (6/x)·(coth(x/2) − 2/x) fitted as 1 + z·Q(z), z = x²/2
 *   (error below 2^-61): expm1(x) = x + x²/2 − x·E, E = (x²/2)·(R1 − t)/(6 − x·t),
 *   t = 3 − R1·x/2, an algebraic identity in which only R1 is approximated. Otherwise the exp
 *   reduction gives exp(x) = T + S with T = 2^q·2^(j/64) (table head) and S small; T − 1 and
 *   its rounding error are formed exactly and S is added to them, so nothing cancels.
 * - tanh: |x| < 0.55: x + x·z·T(z), z = x², T a degree-10 minimax fit (error below 2^-60).
 *   0.55 ≤ |x| < 22: 1 − 2/(expm1(2|x|) + 2), where the rounding errors of the sum and of the
 *   quotient are recovered exactly (Fast2Sum, Veltkamp/Dekker product) and folded back, so
 *   the only sizable errors are the final rounding and the error of expm1 scaled by at most
 *   1/2. |x| ≥ 22: ±1.
 *
 * No function allocates; the bit view below is one shared 8-byte buffer, read through an
 * index of the high word chosen once from the host's byte order.
 */

const BITS = new ArrayBuffer(8);
const F64 = new Float64Array(BITS);
const U32 = new Uint32Array(BITS);
F64[0] = 1;
/** Index in U32 of the high (sign, exponent, top fraction) word of F64[0]. */
const HI = U32[1] === 0x3ff00000 ? 1 : 0;

/**
 * POW2[k + 1074] = 2^k for every integer k in [-1074, 1023], built by exact doublings and
 * halvings of 1 (a table load is cheaper than assembling the bits of 2^k for each call).
 */
const POW2 = new Float64Array(2098);
{
  let v = 1;
  for (let k = 0; k <= 1023; k++, v *= 2) POW2[k + 1074] = v;
  v = 1;
  for (let k = 0; k >= -1074; k--, v /= 2) POW2[k + 1074] = v;
}

// ln2 = LN2_HI + LN2_LO; LN2_HI = 0x1.62e42feep-1 has 32 significant bits.
const LN2_HI = 0.6931471803691238;
const LN2_LO = 1.9082149292705877e-10;
const HALF_LN2 = 0.34657359027997264;
const TWO_M28 = 3.725290298461914e-9; // 2^-28
const TWO_M54 = 5.551115123125783e-17; // 2^-54
const TWO54 = 18014398509481984; // 2^54
const TWO1023 = 8.98846567431158e307; // 2^1023

/** Largest x with exp(x) finite. */
const EXP_MAX = 709.782712893384;
/** exp(x) rounds to 0 for every x below this. */
const EXP_MIN = -745.2;

// exp: x = (64·q + j)·ln2/64 + r, |r| ≤ ln2/128; exp(x) = 2^q · 2^(j/64) · exp(r).
const INV_LN2_64 = 92.33248261689366; // 64/ln2
const LN2_64_HI = 0.01083042469326756; // LN2_HI/64, 32 significant bits
const LN2_64_LO = 2.9815858269852933e-12; // LN2_LO/64
// (exp(r) − 1 − r)/r² ≈ E2 + E3·r + … + E6·r^4 on |r| ≤ ln2/128 (relative error below 2^-52.9,
// so r²·(…) is off by less than 2^-68).
const E2 = 0.5;
const E3 = 0.1666666666666133;
const E4 = 0.04166666666667778;
const E5 = 0.008333340609191435;
const E6 = 0.0013888891920495032;
/** 2^(j/64) = EXP_HI[j] + EXP_LO[j], j = 0…63 (EXP_HI[j] correctly rounded). */
const EXP_HI = new Float64Array([
  1.0, 1.0108892860517005, 1.0218971486541166, 1.0330248790212284, 1.0442737824274138,
  1.0556451783605572, 1.0671404006768237, 1.0787607977571199, 1.0905077326652577,
  1.102382583307841, 1.1143867425958924, 1.1265216186082418, 1.1387886347566916,
  1.1511892299529827, 1.1637248587775775, 1.1763969916502812, 1.189207115002721, 1.202156731452703,
  1.215247359980469, 1.22848053610687, 1.241857812073484, 1.255380757024691, 1.2690509571917332,
  1.2828700160787783, 1.2968395546510096, 1.3109612115247644, 1.3252366431597413,
  1.339667524053303, 1.3542555469368927, 1.3690024229745905, 1.383909881963832, 1.3989796725383112,
  1.4142135623730951, 1.42961333839197, 1.4451808069770467, 1.460917794180647, 1.4768261459394993,
  1.4929077282912648, 1.5091644275934228, 1.5255981507445384, 1.5422108254079407,
  1.559004400237837, 1.5759808451078865, 1.593142151342267, 1.6104903319492543, 1.6280274218573478,
  1.645755478153965, 1.6636765803267364, 1.681792830507429, 1.7001063537185235, 1.718619298122478,
  1.7373338352737062, 1.7562521603732995, 1.7753764925265212, 1.7947090750031072,
  1.8142521755003989, 1.8340080864093424, 1.8539791250833855, 1.8741676341103, 1.8945759815869656,
  1.9152065613971474, 1.9360617934922943, 1.9571441241754002, 1.978456026387951,
]);
const EXP_LO = new Float64Array([
  0.0, -1.5234778603368577e-17, 5.109225028973444e-17, 7.600838874027088e-18,
  8.551889705537965e-17, 1.759325738772092e-18, -7.899853966841582e-17, -6.656660436056593e-17,
  -3.046782079812471e-17, 5.2660368715706944e-17, 1.0410278456845571e-16, 5.165856758795457e-17,
  8.912812676025408e-17, 3.250710218863827e-17, 3.8292048369240935e-17, 5.554203254218079e-17,
  3.982015231465646e-17, 6.644981499252301e-17, -7.712630692681488e-17, -1.89878163130253e-17,
  4.658027591836937e-17, -6.7113898212968784e-18, 2.667932131342186e-18, 1.713594918243561e-17,
  2.5382502794888315e-17, -7.181536135519454e-17, -2.8587312100388614e-17, 8.927282594831732e-17,
  7.70094837980299e-17, 9.593797919118849e-17, -6.770511658794786e-17, -9.614213209051323e-17,
  -9.667293313452913e-17, -1.2031642489053655e-17, -3.0237581349939873e-17, -5.600377186075216e-17,
  -3.483994556892796e-17, 1.4192920154284036e-17, -1.016455327754295e-16, -1.1024941712342561e-16,
  7.949834809697621e-17, 3.7812070533575275e-17, -1.0136916471278304e-17, -1.0094406542311964e-16,
  2.4707192569797888e-17, -6.712955084707084e-17, -1.0125679913674773e-16, 5.8909926967131e-17,
  8.199010020581497e-17, -8.0237193703977e-18, -1.851380418263111e-17, 3.164389299292957e-17,
  2.960140695448873e-17, 6.429731796556572e-17, 1.8227458427912087e-17, -9.969531538920349e-17,
  3.283107224245627e-17, 9.761887490727594e-17, -6.122763413004143e-17, 3.4034035352165297e-17,
  -1.0619946056195963e-16, 1.0332385960676326e-16, 8.960767791036668e-17, 4.0388753109278167e-17,
]);

/** exp(x), within 1 ulp. */
export function exp(x: number): number {
  // The rare cases are in a function of their own: returning the small integer 0 beside double
  // results made V8 box every result of the inlined exp (about 16 bytes of heap per call).
  if (!(x <= EXP_MAX && x >= EXP_MIN)) return expOutsideRange(x);
  const k = Math.floor(x * INV_LN2_64 + 0.5);
  const r = (x - k * LN2_64_HI) - k * LN2_64_LO; // x − k·LN2_64_HI is exact
  const j = k & 63;
  const q = k >> 6;
  const t = EXP_HI[j]!;
  const r2 = r * r;
  const p = r + r2 * (E2 + r * E3 + r2 * (E4 + r * E5 + r2 * E6)); // exp(r) − 1
  const s = EXP_LO[j]! + t * p;
  const y = t + s;
  if (q > -1022) {
    if (q <= 1023) return y * POW2[q + 1074]!;
    return y * 2 * TWO1023; // q = 1024
  }
  if (q === -1022 && y >= 1) return y * POW2[52]!;
  return expSubnormal(t, s, q);
}

/** exp(x) for x above EXP_MAX (+Infinity), below EXP_MIN (+0) or NaN (NaN). */
function expOutsideRange(x: number): number {
  return x > EXP_MAX ? Infinity : x < EXP_MIN ? 0 : x;
}

const TWO52 = 4503599627370496;
const THREE_TWO51 = 6755399441055744; // 1.5·2^52

/**
 * (t + s)·2^q rounded once to a multiple of 2^-1074, for a result below 2^-1022 (q ≤ -1022).
 * Rounding y = t + s first and scaling after would round twice (up to 3/4 ulp off).
 */
function expSubnormal(t: number, s: number, q: number): number {
  const scale = POW2[q + 2148]!; // 2^(q + 1074): result = (t + s)·scale ulps of 2^-1074
  const T = t * scale; // exact, and so is S
  const S = s * scale;
  const A = T + S; // in [0, 2^52)
  const e1 = S - (A - T); // T + S = A + e1 exactly (Fast2Sum, |T| ≥ |S|)
  const I = (A + TWO52) - TWO52; // A rounded to an integer
  const frac = (A - I) + e1; // in about [-1/2, 1/2]
  const n = I + ((frac + THREE_TWO51) - THREE_TWO51);
  return n * POW2[0]!; // n·2^-1074, exact
}

// log, log1p: 2·atanh(s)/s − 2 ≈ z·(L1 + L2·z + … + L7·z^6), z = s² ≤ ((√2 − 1)/(√2 + 1))².
const L1 = 0.6666666666666735;
const L2 = 0.3999999999940935;
const L3 = 0.28571428743686583;
const L4 = 0.22222198428973552;
const L5 = 0.1818357235407875;
const L6 = 0.1531383223311051;
const L7 = 0.14798257451402494;

/** High word of the fraction at or above which a mantissa counts as ≥ √2. */
const SQRT2_FRACTION_HI = 0x6a09e;
const SQRT2_M1 = 0.41421356237309503; // just below √2 − 1
const SQRT1_2_M1 = -0.2928932188134524; // just above √2/2 − 1

/**
 * log(1 + f) for f in [√2/2 − 1, √2 − 1], plus k·ln2 and the correction `c` (an absolute
 * term added to the result), in one expression so the large terms add last.
 */
function logKernel(f: number, k: number, c: number): number {
  const s = f / (2 + f);
  const z = s * s;
  const z2 = z * z;
  const R = z * (L1 + z * L2 + z2 * (L3 + z * L4 + z2 * (L5 + z * L6 + z2 * L7)));
  const hfsq = 0.5 * f * f;
  return k * LN2_HI - ((hfsq - (s * (hfsq + R) + (k * LN2_LO + c))) - f);
}

/**
 * The exponent k with x = 2^k·m, m in [√2/2, √2), of a positive normal x whose high word is
 * hx; then m = x·2^-k exactly.
 */
function logExponent(hx: number): number {
  const k = (hx >>> 20) - 1023;
  return (hx & 0x000fffff) >= SQRT2_FRACTION_HI ? k + 1 : k;
}

/** Natural logarithm, within 1 ulp. */
export function log(x: number): number {
  F64[0] = x;
  const hx = U32[HI]!;
  if (hx >= 0x00100000 && hx < 0x7ff00000) {
    const k = logExponent(hx);
    return logKernel(x * POW2[1074 - k]! - 1, k, 0);
  }
  // Zero, subnormal, negative, infinite or NaN.
  if (x !== x || x < 0) return NaN;
  if (x === 0) return -Infinity;
  if (x === Infinity) return x;
  const y = x * TWO54; // subnormal: make it normal, exactly
  F64[0] = y;
  const k = logExponent(U32[HI]!);
  return logKernel(y * POW2[1074 - k]! - 1, k - 54, 0);
}

/** log(1 + x), within 1 ulp. */
export function log1p(x: number): number {
  if (x < SQRT2_M1 && x > SQRT1_2_M1) {
    if (Math.abs(x) < TWO_M54) return x; // also keeps −0
    return logKernel(x, 0, 0);
  }
  if (!(x > -1)) return x === -1 ? -Infinity : NaN;
  if (x === Infinity) return x;
  const u = 1 + x;
  // (1 + x) − u exactly: for x < 1, u − 1 is exact (u ≥ 1/2 or 1 + x was exact); for x ≥ 1,
  // u − x is exact and so is 1 − (u − x).
  const c = (x < 1 ? x - (u - 1) : 1 - (u - x)) / u;
  F64[0] = u;
  const k = logExponent(U32[HI]!);
  return logKernel(u * POW2[1074 - k]! - 1, k, c);
}

// expm1: R1 = (6/r)·(coth(r/2) − 2/r) ≈ 1 + z·(Q1 + Q2·z + … + Q5·z^4), z = r²/2.
const Q1 = -0.03333333333333314;
const Q2 = 0.0015873015872553914;
const Q3 = -7.93650758155772e-5;
const Q4 = 4.008218410931023e-6;
const Q5 = -2.0110334460921373e-7;

/** Below this, expm1(x) rounds to −1 (exp(x) < 2^-54). */
const EXPM1_MIN = -38;

/** exp(x) − 1, within 1 ulp. */
export function expm1(x: number): number {
  // The rare cases are out of line, as in exp: a small-integer return (−1) beside double results
  // makes V8 box every result.
  if (!(x <= EXP_MAX && x >= EXPM1_MIN)) return expm1OutsideRange(x);
  const ax = Math.abs(x);
  if (ax < HALF_LN2) {
    if (ax < TWO_M54) return x; // also keeps −0
    // x + x²/2 − x·E, where only R1 is approximated and x·E is O(x³).
    const hfx = 0.5 * x;
    const hxs = x * hfx;
    const h2 = hxs * hxs;
    const r1 = 1 + hxs * (Q1 + hxs * Q2 + h2 * (Q3 + hxs * Q4 + h2 * Q5));
    const t = 3 - r1 * hfx;
    const e = hxs * ((r1 - t) / (6 - x * t));
    return x - (x * e - hxs);
  }
  // As in exp: exp(x) = 2^q·(t + s) with t = EXP_HI[j] and s small, so
  // exp(x) − 1 = (T − 1) + S with T = t·2^q, S = s·2^q, both exact. T − 1 and its rounding
  // error are computed exactly, so only S (under 2% of the result here) and the final sum
  // are rounded.
  const k = Math.floor(x * INV_LN2_64 + 0.5);
  const r = (x - k * LN2_64_HI) - k * LN2_64_LO;
  const j = k & 63;
  const q = k >> 6;
  const t = EXP_HI[j]!;
  const r2 = r * r;
  const p = r + r2 * (E2 + r * E3 + r2 * (E4 + r * E5 + r2 * E6));
  const s = EXP_LO[j]! + t * p;
  if (q > 1023) return (t + s) * 2 * TWO1023; // q = 1024: the −1 is far below the last place
  const scale = POW2[q + 1074]!;
  const T = t * scale;
  const S = s * scale;
  const u = T - 1;
  const uErr = T >= 1 ? (T - u) - 1 : T - (u + 1); // (T − 1) − u exactly (Fast2Sum)
  return u + (uErr + S);
}

// tanh, |x| < 0.55: (tanh(x)/x − 1)/x² ≈ T0 + T1·z + … + T10·z^10, z = x².
const T0 = -0.333333333333333;
const T1 = 0.1333333333332656;
const T2 = -0.053968253963715344;
const T3 = 0.021869488384283906;
const T4 = -0.008863232571443447;
const T5 = 0.0035920916869516093;
const T6 = -0.0014555403864212838;
const T7 = 0.0005884333949865329;
const T8 = -0.0002333509717903873;
const T9 = 8.326932624083912e-5;
const T10 = -1.9463649525315057e-5;

const TANH_POLY_MAX = 0.55; // tanh(0.55) > 1/2
const TANH_SATURATE = 22; // tanh(22) rounds to 1
const SPLITTER = 134217729; // 2^27 + 1

/** expm1(x) for x above EXP_MAX (+Infinity), below EXPM1_MIN (−1) or NaN (NaN). */
function expm1OutsideRange(x: number): number {
  return x > EXP_MAX ? Infinity : x < EXPM1_MIN ? -1 : x;
}

/** tanh(x) for |x| ≥ TANH_SATURATE (±1) or NaN (NaN), out of line for the reason given in exp. */
function tanhSaturated(x: number): number {
  return x !== x ? x : x > 0 ? 1 : -1;
}

/** Hyperbolic tangent, within 1 ulp. */
export function tanh(x: number): number {
  const ax = Math.abs(x);
  if (ax < TANH_POLY_MAX) {
    if (ax < TWO_M28) return x; // also keeps −0
    const z = x * x;
    const z2 = z * z;
    const z4 = z2 * z2;
    const p =
      T0 + z * T1 + z2 * (T2 + z * T3) +
      z4 * (T4 + z * T5 + z2 * (T6 + z * T7) + z4 * (T8 + z * T9 + z2 * T10));
    return x + x * (z * p);
  }
  if (!(ax < TANH_SATURATE)) return tanhSaturated(x);
  // tanh|x| = 1 − 2/(E + 2), E = expm1(2|x|) ≥ expm1(1.1) > 2.
  const E = expm1(2 * ax);
  const d = E + 2;
  const dErr = 2 - (d - E); // (E + 2) − d, exact (Fast2Sum, E > 2)
  const q = 2 / d;
  // q·d = p + pErr exactly (Veltkamp split, Dekker product).
  const p = q * d;
  let t = SPLITTER * q;
  const qh = t - (t - q);
  const ql = q - qh;
  t = SPLITTER * d;
  const dh = t - (t - d);
  const dl = d - dh;
  const pErr = ((qh * dh - p) + qh * dl + ql * dh) + ql * dl;
  // 2/(d + dErr) = q + qCorr to first order; 2 − p is exact (Sterbenz).
  const qCorr = ((2 - p) - pErr - q * dErr) / d;
  const s = 1 - q;
  const sErr = (1 - s) - q; // (1 − q) − s, exact (Fast2Sum, q < 1)
  const res = s + (sErr - qCorr);
  return x > 0 ? res : -res;
}
