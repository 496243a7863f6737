/**
 * Exact bits of doubles, for the tests of the portable elementary functions: distances in units in the
 * last place, and a double as m·2^e in BigInt (the start of their arbitrary-precision references).
 */

const F = new Float64Array(1);
const B = new BigInt64Array(F.buffer);
const MAG = 0x7fffffffffffffffn;

/** Position of x on the ordered line of doubles (−0 and +0 both at 0). */
function ordinal(x: number): bigint {
  F[0] = x;
  const v = B[0]!;
  return v < 0n ? -(v & MAG) : v;
}

/** The number of doubles between a and b: 0 when equal (or both NaN), Infinity when only one is NaN. */
export function ulpDistance(a: number, b: number): number {
  if (a === b) return 0;
  if (a !== a || b !== b) return a !== a && b !== b ? 0 : Infinity;
  const d = ordinal(a) - ordinal(b);
  return Number(d < 0n ? -d : d);
}

/** A double's exact value m·2^e (m a BigInt). */
export interface Big {
  m: bigint;
  e: number;
}

/** x = m·2^e exactly (x finite). */
export function decompose(x: number): Big {
  F[0] = x;
  const v = B[0]!;
  const mag = v & MAG;
  const ebits = Number(mag >> 52n);
  const frac = mag & 0xfffffffffffffn;
  const m = ebits === 0 ? frac : frac | 0x10000000000000n;
  const e = ebits === 0 ? -1074 : ebits - 1075;
  return { m: v < 0n ? -m : m, e };
}

/** The number of bits of |n| (0 for 0). */
export function bitLength(n: bigint): number {
  return n === 0n ? 0 : (n < 0n ? -n : n).toString(2).length;
}
