/**
 * Elementary functions used by training, built only from + − × ÷ and Math.sqrt so that
 * every JavaScript engine computes the same bits (engines round Math.exp, Math.log, Math.tanh
 * their own way).
 *
 * PLACEHOLDER: delegates to Math.* until the portable versions land.
 */
export function exp(x: number): number {
  return Math.exp(x);
}

export function expm1(x: number): number {
  return Math.expm1(x);
}

export function log(x: number): number {
  return Math.log(x);
}

export function log1p(x: number): number {
  return Math.log1p(x);
}

export function tanh(x: number): number {
  return Math.tanh(x);
}
