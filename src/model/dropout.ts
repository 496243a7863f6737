/**
 * Inverted dropout on a layer's output, in training only:
 *
 *   forward    Z̃_n = Z_n ⊙ m / (1 − p),   m_i ~ Bernoulli(1 − p)   (the next layer reads Z̃_n)
 *   backward   (δ_{n+1} · W_{n+1}) ⊙ m / (1 − p), then · J(f_n)(A_n) with the UNMASKED Z_n
 *
 * so that predicting (no mask) sees the same expected activation as training. The masks are drawn
 * from a generator the caller owns (the Trainer's own stream); nothing here allocates after creation.
 */
import { Matrix } from '../core/matrix.js';
import type { Random } from '../core/random.js';
import { allocateFloat64 } from '../kernels/memory.js';

/** Mask and unmasked-output buffers of one batch size (per layer; undefined where p = 0). */
export interface DropoutBuffers {
  /** p of each layer (0: no dropout). */
  readonly rates: readonly number[];
  /** m of each layer with dropout, rows × units: 1 kept, 0 dropped. */
  readonly masks: ReadonlyArray<Uint8Array | undefined>;
  /** Z_n before the mask (what f_n' needs), rows × units. */
  readonly unmasked: ReadonlyArray<Matrix | undefined>;
}

/** True when some layer has a dropout rate above 0. */
export function hasDropout(rates: readonly number[]): boolean {
  for (const p of rates) if (p > 0) return true;
  return false;
}

/** Buffers for `rows` samples; `masks` shares another set's masks (the same draw seen by two workspaces). */
export function createDropout(layers: ReadonlyArray<{ readonly units: number }>, rates: readonly number[], rows: number, masks?: ReadonlyArray<Uint8Array | undefined>): DropoutBuffers {
  return {
    rates: rates.slice(),
    masks: layers.map((l, n) => (rates[n]! > 0 ? (masks?.[n] ?? new Uint8Array(rows * l.units)) : undefined)),
    unmasked: layers.map((l, n) => (rates[n]! > 0 ? new Matrix(rows, l.units, allocateFloat64(rows * l.units)) : undefined)),
  };
}

/** Draws every mask, layer by layer, row by row: m_i = 1 when u_i < 1 − p (u_i uniform in [0, 1)). */
export function drawMasks(d: DropoutBuffers, random: Random): void {
  for (let n = 0; n < d.masks.length; n++) {
    const m = d.masks[n];
    if (m === undefined) continue;
    const keep = 1 - d.rates[n]!;
    for (let i = 0; i < m.length; i++) m[i] = random.next() < keep ? 1 : 0;
  }
}

/** out ← x ⊙ m / (1 − p) (out may be x). A dropped value is +0. */
export function applyMask(out: Float64Array, x: Float64Array, m: Uint8Array, p: number): void {
  const keep = 1 - p;
  for (let i = 0; i < x.length; i++) out[i] = m[i] === 1 ? x[i]! / keep : 0;
}
