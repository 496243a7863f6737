/** Random: seeded, reproducible, in range; int without bias past its bounds; shuffle permutes. */
import { describe, expect, it } from 'vitest';
import { Random } from '../src/index.js';
import { expectDeltapropError } from './helpers/numeric.js';

const stream = (seed: number, n: number): number[] => {
  const r = new Random(seed);
  return Array.from({ length: n }, () => r.nextUint32());
};

describe('Random', () => {
  it('gives the same stream for the same seed and another for another seed', () => {
    expect(stream(42, 100)).toEqual(stream(42, 100));
    expect(stream(42, 100)).not.toEqual(stream(43, 100));
    // Seeds that differ only above 32 bits, or in sign, are different seeds.
    expect(stream(1, 20)).not.toEqual(stream(1 + 2 ** 32, 20));
    expect(stream(1, 20)).not.toEqual(stream(-1, 20));
    expect(stream(0, 20)).not.toEqual(new Array(20).fill(0));
    expect(stream(Number.MAX_SAFE_INTEGER, 5)).toEqual(stream(Number.MAX_SAFE_INTEGER, 5));
  });

  it('nextUint32 gives 32-bit unsigned integers using all bits', () => {
    const values = stream(7, 2000);
    let or = 0;
    for (const v of values) {
      expect(Number.isInteger(v) && v >= 0 && v < 2 ** 32).toBe(true);
      or |= v;
    }
    expect(or >>> 0).toBe(0xffffffff);
    expect(new Set(values).size).toBe(values.length);
  });

  it('next is in [0, 1) with mean ≈ 1/2 and variance ≈ 1/12; uniform(lo, hi) in [lo, hi)', () => {
    const r = new Random(3);
    const n = 20000;
    let sum = 0, sq = 0;
    for (let i = 0; i < n; i++) {
      const v = r.next();
      expect(v >= 0 && v < 1).toBe(true);
      sum += v;
      sq += v * v;
    }
    const mean = sum / n;
    // Standard error of the mean is √(1/12 / n) ≈ 0.002; 5 of them.
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.01);
    expect(Math.abs(sq / n - mean * mean - 1 / 12)).toBeLessThan(0.005);
    for (let i = 0; i < 1000; i++) {
      const u = r.uniform(-3, -1);
      expect(u >= -3 && u < -1).toBe(true);
    }
    // next uses 53 bits: values are multiples of 2^−53, and not all multiples of 2^−32.
    const fine = Array.from({ length: 50 }, () => r.next() * 2 ** 53);
    expect(fine.every(Number.isInteger)).toBe(true);
    expect(fine.some((v) => v % 2 ** 21 !== 0)).toBe(true);
  });

  it('int(n) stays in [0, n) and reaches every value', () => {
    const r = new Random(11);
    for (let i = 0; i < 100; i++) expect(r.int(1)).toBe(0);
    const counts = new Array<number>(7).fill(0);
    for (let i = 0; i < 7000; i++) {
      const v = r.int(7);
      expect(Number.isInteger(v) && v >= 0 && v < 7).toBe(true);
      counts[v]!++;
    }
    // Each count is about 1000 ± 30 (one standard deviation); allow 5.
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(150);
    for (let i = 0; i < 100; i++) {
      const big = r.int(2 ** 32);
      expect(Number.isInteger(big) && big >= 0 && big < 2 ** 32).toBe(true);
      const odd = r.int(3_000_000_019);
      expect(odd >= 0 && odd < 3_000_000_019).toBe(true);
    }
  });

  it('shuffle is a seeded permutation of arrays and typed arrays', () => {
    const a = Array.from({ length: 50 }, (_, i) => i);
    new Random(5).shuffle(a);
    expect([...a].sort((p, q) => p - q)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(a).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
    const b = Uint32Array.from({ length: 50 }, (_, i) => i);
    new Random(5).shuffle(b);
    expect(Array.from(b)).toEqual(a);
    const c = Array.from({ length: 50 }, (_, i) => i);
    new Random(6).shuffle(c);
    expect(c).not.toEqual(a);
    const empty: number[] = [];
    new Random(1).shuffle(empty);
    expect(empty).toEqual([]);
    const one = [9];
    new Random(1).shuffle(one);
    expect(one).toEqual([9]);
  });

  it('shuffle reaches every ordering of 3 items about equally often', () => {
    const r = new Random(8);
    const counts = new Map<string, number>();
    for (let i = 0; i < 6000; i++) {
      const p = [0, 1, 2];
      r.shuffle(p);
      counts.set(p.join(''), (counts.get(p.join('')) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    for (const c of counts.values()) expect(Math.abs(c - 1000)).toBeLessThan(150);
  });

  it('int rejects n outside [1, 2^32] instead of looping forever or giving NaN', () => {
    const r = new Random(1);
    for (const bad of [0, -1, 1.5, NaN, 2 ** 32 + 1, 2 ** 33, Infinity]) {
      expectDeltapropError(() => r.int(bad), 'Random.int', '"n"');
    }
  });

  it('rejects seeds that are not safe integers', () => {
    for (const bad of [1.5, NaN, Infinity, 2 ** 53, '1']) {
      expectDeltapropError(() => new Random(bad as number), 'new Random', '"seed"');
    }
  });
});
