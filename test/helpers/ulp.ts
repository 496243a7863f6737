/** Distances between doubles in units in the last place, for the tests of the portable elementary functions. */

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
