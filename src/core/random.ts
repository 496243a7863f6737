import { DeltapropError, describe } from './errors.js';

/**
 * The seeded generator behind every random choice deltaprop makes (initial weights, shuffling).
 *
 * xoshiro128** seeded through splitmix32. It uses only 32-bit integer operations
 * (`Math.imul`, shifts, xor), which every JavaScript engine computes exactly, so the same seed
 * gives the same stream, bit for bit, in Node and in every browser.
 */
export class Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) {
      throw new DeltapropError(`new Random: argument "seed" must be a safe integer, got ${describe(seed)}`);
    }
    // Fold the seed's high and low 32 bits into a splitmix32 state; the high bits also enter s3, so
    // that every safe integer gives its own state (seeds 0 … 2^32 − 1 are unchanged by it).
    const hi = Math.floor(seed / 4294967296) >>> 0;
    let x = (seed >>> 0) ^ Math.imul(hi, 0x9e3779b1);
    const next = (): number => {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next() ^ hi;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** The generator's position: four 32-bit integers (JSON-safe). `Random.fromState(r.state())` continues the same stream. */
  state(): [number, number, number, number] {
    return [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0];
  }

  /** A generator at the position `state()` returned. */
  static fromState(state: readonly number[]): Random {
    const where = 'Random.fromState';
    if (!Array.isArray(state) || state.length !== 4) {
      throw new DeltapropError(`${where}: argument "state" must be an array of 4 integers from Random.state(), got ${describe(state)}`);
    }
    const s = state.slice(0, 4);
    for (let i = 0; i < 4; i++) {
      const v: unknown = s[i];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 4294967295) {
        throw new DeltapropError(`${where}: argument "state[${i}]" must be an integer in [0, 2^32 − 1], got ${describe(v)}`);
      }
    }
    if ((s[0]! | s[1]! | s[2]! | s[3]!) === 0) {
      throw new DeltapropError(`${where}: argument "state" must not be all zeros (xoshiro128** never reaches that state), got [0, 0, 0, 0]`);
    }
    const r = new Random(0);
    r.s0 = s[0]! | 0;
    r.s1 = s[1]! | 0;
    r.s2 = s[2]! | 0;
    r.s3 = s[3]! | 0;
    return r;
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const s0 = this.s0, s1 = this.s1, s2 = this.s2, s3 = this.s3;
    const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    let n2 = s2 ^ s0;
    let n3 = s3 ^ s1;
    const n1 = s1 ^ n2;
    const n0 = s0 ^ n3;
    n2 ^= t;
    n3 = rotl(n3, 11);
    this.s0 = n0 | 0;
    this.s1 = n1 | 0;
    this.s2 = n2 | 0;
    this.s3 = n3 | 0;
    return r;
  }

  /** A uniform float64 in [0, 1) with 53 random bits. */
  next(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** A uniform float64 in [lo, hi). */
  uniform(lo: number, hi: number): number {
    if (typeof lo !== 'number' || !Number.isFinite(lo)) {
      throw new DeltapropError(`Random.uniform: argument "lo" must be a finite number, got ${describe(lo)}`);
    }
    if (typeof hi !== 'number' || !Number.isFinite(hi - lo)) {
      throw new DeltapropError(`Random.uniform: argument "hi" must be a finite number with hi − lo finite, got ${describe(hi)}`);
    }
    return lo + (hi - lo) * this.next();
  }

  /** A uniform integer in [0, n), without modulo bias. `n` must be in [1, 2^32]. */
  int(n: number): number {
    // Outside [1, 2^32] the rejection loop below would never end (n > 2^32) or give NaN (n < 1).
    if (!(Number.isInteger(n) && n >= 1 && n <= 4294967296)) {
      throw new DeltapropError(`Random.int: argument "n" must be an integer in [1, 2^32], got ${describe(n)}`);
    }
    const limit = 4294967296 - (4294967296 % n);
    let r = this.nextUint32();
    while (r >= limit) r = this.nextUint32();
    return r % n;
  }

  /** Fisher–Yates shuffle of `order` in place. */
  shuffle(order: Uint32Array | Int32Array | number[]): void {
    if (!(Array.isArray(order) || order instanceof Uint32Array || order instanceof Int32Array) || Object.isFrozen(order)) {
      throw new DeltapropError(`Random.shuffle: argument "order" must be a writable array, Uint32Array or Int32Array, got ${describe(order)}`);
    }
    for (let i = order.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
