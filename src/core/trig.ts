/**
 * The portable cosine of the cosine learning-rate schedule: built from + − × ÷ only, so that every
 * engine gives the same bits (engines round Math.cos differently).
 */

// ---------------------------------------------------------------------------------------------
// cos(x): x = n·π/2 + r with |r| ≤ π/4, π/2 split in three parts (the first two of 33 bits, so that
// n·PIO2_1 and n·PIO2_2 are exact for |n| < 2^20, as in fdlibm's reduction), then the minimax
// polynomials of sin and cos on [−π/4, π/4] (fdlibm's coefficients).
// ---------------------------------------------------------------------------------------------

const INV_PIO2 = 6.36619772367581382433e-1;
const PIO2_1 = 1.57079632673412561417; // the first 33 bits of π/2
const PIO2_2 = 6.07710050630396597660e-11; // the next 33 bits
const PIO2_2T = 2.02226624879595063154e-21; // π/2 − PIO2_1 − PIO2_2
const C1 = 4.16666666666666019037e-2, C2 = -1.38888888888741095749e-3, C3 = 2.48015872894767294178e-5;
const C4 = -2.75573143513906633035e-7, C5 = 2.08757232129817482790e-9, C6 = -1.13596475577881948265e-11;
const S1 = -1.66666666666666324348e-1, S2 = 8.33333333332248946124e-3, S3 = -1.98412698298579493134e-4;
const S4 = 2.75573137070700676789e-6, S5 = -2.50507602534068634195e-8, S6 = 1.58969099521155010221e-10;

function cosKernel(r: number): number {
  const z = r * r;
  const p = z * (C1 + z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * C6)))));
  const hz = 0.5 * z;
  const w = 1 - hz;
  return w + (((1 - w) - hz) + z * p);
}

function sinKernel(r: number): number {
  const z = r * r;
  return r + r * z * (S1 + z * (S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)))));
}

/** cos(x), within 1.5 ulp for |x| ≤ 2^20·π/2 (the cosine learning-rate schedule uses x ∈ [0, π]); NaN beyond. */
export function cos(x: number): number {
  if (!(Math.abs(x) <= 1647099.3291652855)) return NaN; // beyond 2^20 · π/2, or NaN / ±Infinity
  const n = Math.floor(x * INV_PIO2 + 0.5);
  const t = x - n * PIO2_1;
  const w = n * PIO2_2;
  const head = t - w;
  const r = head - (n * PIO2_2T - ((t - head) - w));
  switch (n & 3) {
    case 0:
      return cosKernel(r);
    case 1:
      return -sinKernel(r);
    case 2:
      return -cosKernel(r);
    default:
      return sinKernel(r);
  }
}
