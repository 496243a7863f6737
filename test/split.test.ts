/** trainTestSplit: seeded and deterministic, stratified counts by largest remainder, forms kept, misuse. */
import { describe, expect, it } from 'vitest';
import { DeltapropError, Matrix, Random, trainTestSplit } from '../src/index.js';
import { stratifiedCounts } from '../src/data/split.js';

/** n rows [i, 10·i] so that every row names its sample. */
function rows(n: number): number[][] {
  return Array.from({ length: n }, (_, i) => [i, 10 * i]);
}
function labelsOf(sizes: number[], names = ['a', 'b', 'c', 'd', 'e', 'f']): string[] {
  return sizes.flatMap((s, c) => new Array<string>(s).fill(names[c]!));
}
function count(labels: ArrayLike<string | number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (let i = 0; i < labels.length; i++) out[String(labels[i])] = (out[String(labels[i])] ?? 0) + 1;
  return out;
}

describe('determinism', () => {
  it('the same seed gives the same split; another seed another', () => {
    const x = rows(50), y = labelsOf([25, 25]);
    const a = trainTestSplit(x, y, { seed: 4 });
    expect(trainTestSplit(x, y, { seed: 4 })).toEqual(a);
    expect(trainTestSplit(x, y, { seed: 5 }).test.x).not.toEqual(a.test.x);
  });

  it('unstratified, the test side is the first round(N·f) samples of Random(seed).shuffle(0 … N − 1)', () => {
    const x = rows(20);
    const y = x.map((r) => [r[0]! / 2 + 0.25]); // not classes: a plain permutation
    const order = Array.from({ length: 20 }, (_, i) => i);
    new Random(7).shuffle(order);
    const s = trainTestSplit(x, y, { seed: 7, testFraction: 0.25 });
    expect(s.test.x.map((r) => r[0])).toEqual(order.slice(0, 5));
    expect(s.train.x.map((r) => r[0])).toEqual(order.slice(5));
    expect(trainTestSplit(x, labelsOf([10, 10]), { seed: 7, testFraction: 0.25, stratify: false }).test.x.map((r) => r[0])).toEqual(order.slice(0, 5));
  });

  it('default seed is 0 and default testFraction 0.2', () => {
    const x = rows(10);
    expect(trainTestSplit(x, labelsOf([10]))).toEqual(trainTestSplit(x, labelsOf([10]), { seed: 0, testFraction: 0.2 }));
    expect(trainTestSplit(x, labelsOf([10])).test.x).toHaveLength(2);
  });
});

describe('every sample once, pairs kept', () => {
  it('train and test together hold each row of x once, with its own y', () => {
    const x = rows(37), y = labelsOf([20, 10, 7]);
    const s = trainTestSplit(x, y, { testFraction: 0.3, seed: 2 });
    const seen = [...s.train.x, ...s.test.x].map((r) => r[0]!).sort((p, q) => p - q);
    expect(seen).toEqual(x.map((r) => r[0]));
    for (const side of [s.train, s.test]) side.x.forEach((r, k) => expect(side.y[k]).toBe(y[r[0]!]));
    for (const side of [s.train, s.test]) side.x.forEach((r) => expect(r[1]).toBe(10 * r[0]!));
  });
});

describe('stratification', () => {
  it('Iris-like: 50/50/50 at 0.2 gives 10 of each class to test', () => {
    const s = trainTestSplit(rows(150), labelsOf([50, 50, 50]), { seed: 1 });
    expect(count(s.test.y)).toEqual({ a: 10, b: 10, c: 10 });
    expect(count(s.train.y)).toEqual({ a: 40, b: 40, c: 40 });
  });

  it('largest remainder: sizes 7, 2, 1 at 0.3 → T = 3: floors 2, 0, 0; remainders 1, 6, 3 → class b', () => {
    // 7·3 = 21 = 2·10 + 1; 2·3 = 6 = 0·10 + 6; 1·3 = 3 = 0·10 + 3
    expect(stratifiedCounts([7, 2, 1], 10, 3)).toEqual([2, 1, 0]);
    const s = trainTestSplit(rows(10), labelsOf([7, 2, 1]), { testFraction: 0.3 });
    expect(count(s.test.y)).toEqual({ a: 2, b: 1 });
    expect(count(s.train.y)).toEqual({ a: 5, b: 1, c: 1 }); // the class of one sample stays in training
  });

  it('each class of 2 or more keeps one sample on each side, the difference taken from the furthest class', () => {
    // sizes 18, 2 at 0.1 → T = 2: floors 1, 0, remainders 16, 4 → [2, 0]; class b needs 1 → [2, 1], one too many;
    // class a is furthest above its share (2·20 − 18·2 = 4) → [1, 1]
    expect(stratifiedCounts([18, 2], 20, 2)).toEqual([1, 1]);
    // sizes 3, 3, 3, 1 at 0.9 → T = 9: floors 2, 2, 2, 0 (remainders 7, 7, 7, 9) → [2, 2, 2, 1] → class d must be 0, and
    // a, b, c at most 2 each: only 6 places, fewer than 9 → no counts exist
    expect(stratifiedCounts([3, 3, 3, 1], 10, 9)).toBeUndefined();
    // ties go to the earlier class: sizes 5, 5 with T = 5 → remainders 5, 5 → [3, 2]
    expect(stratifiedCounts([5, 5], 10, 5)).toEqual([3, 2]);
  });

  it('the rules hold for many random class sizes: total T, bounds, each class of 2 or more within 2 of its share', () => {
    const random = new Random(11);
    let unbound = 0;
    for (let trial = 0; trial < 300; trial++) {
      const K = 1 + random.int(6);
      const sizes = Array.from({ length: K }, () => 1 + random.int(30));
      const N = sizes.reduce((s, v) => s + v, 0);
      const T = 1 + random.int(N - 1 || 1);
      const t = stratifiedCounts(sizes, N, T);
      const low = sizes.filter((s) => s >= 2).length, high = sizes.reduce((s, v) => s + (v >= 2 ? v - 1 : 0), 0);
      if (T < low || T > high) {
        expect(t).toBeUndefined();
        continue;
      }
      expect(t!.reduce((s, v) => s + v, 0)).toBe(T);
      t!.forEach((v, c) => {
        expect(v).toBeGreaterThanOrEqual(sizes[c]! >= 2 ? 1 : 0);
        expect(v).toBeLessThanOrEqual(sizes[c]! >= 2 ? sizes[c]! - 1 : 0);
        // largest remainder alone is within 1 of the share; the bounds can push one class a little further
        if (sizes[c]! >= 2) expect(Math.abs(v - (sizes[c]! * T) / N)).toBeLessThan(2);
      });
      // when no bound binds (every share in [1, n_c − 1]), each count is its share rounded down or up
      const shares = sizes.map((n) => (n * T) / N);
      if (shares.every((q, c) => q >= 1 && q <= sizes[c]! - 1)) {
        unbound++;
        t!.forEach((v, c) => expect(Math.abs(v - shares[c]!)).toBeLessThan(1));
      }
    }
    expect(unbound).toBeGreaterThan(20);
  });

  it('stratifies one-hot rows and one 0/1 column the same way as labels', () => {
    const labels = labelsOf([8, 2]);
    const oneHotY = labels.map((l) => (l === 'a' ? [1, 0] : [0, 1]));
    const column = labels.map((l) => [l === 'a' ? 0 : 1]);
    const byLabels = trainTestSplit(rows(10), labels, { seed: 3 });
    const byOneHot = trainTestSplit(rows(10), oneHotY, { seed: 3 });
    const byColumn = trainTestSplit(rows(10), column, { seed: 3 });
    expect(byOneHot.test.x).toEqual(byLabels.test.x);
    expect(byColumn.test.x).toEqual(byLabels.test.x);
    // T = 2: floors 1, 0; remainders 6, 4 → [2, 0]; b needs one → [2, 1]; a furthest above its share → [1, 1]
    expect(count(byLabels.test.y)).toEqual({ a: 1, b: 1 });
    expect(byOneHot.test.y.map((r) => r[1]).sort()).toEqual([0, 1]);
  });

  it('integer labels are classes; non-integer numbers are values (a plain permutation)', () => {
    const s = trainTestSplit(rows(10), [0, 0, 0, 0, 0, 0, 0, 0, 1, 1], { testFraction: 0.2 });
    expect(s.test.y.slice().sort()).toEqual([0, 1]);
    const values = Array.from({ length: 10 }, (_, i) => i + 0.5);
    const order = Array.from({ length: 10 }, (_, i) => i);
    new Random(0).shuffle(order);
    expect(trainTestSplit(rows(10), values).test.y).toEqual(order.slice(0, 2).map((i) => i + 0.5));
  });

  it('classes too many for the test side are an error that suggests stratify: false', () => {
    expect(() => trainTestSplit(rows(10), labelsOf([2, 2, 2, 2, 2]))).toThrow(
      /^trainTestSplit: argument "options.testFraction" gives 2 test samples of 10, which cannot keep one sample of each of the 5 classes.*stratify: false$/,
    );
    expect(trainTestSplit(rows(10), labelsOf([2, 2, 2, 2, 2]), { stratify: false }).test.x).toHaveLength(2);
  });
});

describe('forms are kept', () => {
  it('Matrix in, Matrix out; Float64Array rows in, Float64Array rows out; typed labels in, same type out', () => {
    const x = Matrix.from(rows(10));
    const y = new Matrix(10, 1, new Float64Array(10).map((_, i) => i / 10));
    const s = trainTestSplit(x, y);
    expect(s.train.x).toBeInstanceOf(Matrix);
    expect(s.test.y).toBeInstanceOf(Matrix);
    expect([s.train.x.rows, s.test.x.rows, s.test.x.cols, s.test.y.cols]).toEqual([8, 2, 2, 1]);
    for (let i = 0; i < 2; i++) expect(s.test.y.get(i, 0)).toBe(s.test.x.get(i, 0) / 10);

    const f = trainTestSplit(rows(10).map((r) => Float64Array.from(r)), new Uint8Array(10).map((_, i) => i % 2));
    expect(f.train.x[0]).toBeInstanceOf(Float64Array);
    expect(f.test.y).toBeInstanceOf(Uint8Array);
    expect(Array.from(f.test.y).sort()).toEqual([0, 1]);

    const a = trainTestSplit(rows(10), labelsOf([5, 5]));
    expect(Array.isArray(a.test.x) && Array.isArray(a.test.x[0])).toBe(true);
    expect(typeof a.test.y[0]).toBe('string');
  });

  it('returns copies: changing a side leaves the input as it was', () => {
    const x = rows(10);
    const s = trainTestSplit(x, labelsOf([5, 5]));
    s.test.x[0]![0] = -1;
    expect(x).toEqual(rows(10));
  });
});

describe('bad arguments', () => {
  it('each names the function and the argument, and nothing changes', () => {
    const x = rows(10), y = labelsOf([5, 5]);
    const options = { testFraction: 0.2 };
    const bad: Array<[() => unknown, RegExp]> = [
      [() => trainTestSplit(x, y, { testFraction: 0 }), /^trainTestSplit: argument "options.testFraction" must be a number in \(0, 1\), got 0$/],
      [() => trainTestSplit(x, y, { testFraction: 1 }), /"options.testFraction" must be a number in \(0, 1\), got 1$/],
      [() => trainTestSplit(x, y, { testFraction: -0.1 }), /"options.testFraction" must be a number in \(0, 1\)/],
      [() => trainTestSplit(x, y, { testFraction: NaN }), /"options.testFraction" must be a number in \(0, 1\), got NaN/],
      [() => trainTestSplit(x, y, { testFraction: '0.2' as never }), /got "0.2"/],
      [() => trainTestSplit(rows(3), ['a', 'a', 'b'], { testFraction: 0.1 }), /must leave at least one sample on each side: round\(3 × 0.1\) = 0 test samples of 3/],
      [() => trainTestSplit(rows(3), ['a', 'a', 'b'], { testFraction: 0.9 }), /round\(3 × 0.9\) = 3 test samples of 3/],
      [() => trainTestSplit(x, y.slice(1)), /^trainTestSplit: argument "y" must be 10 labels \(one per row of x\), got 9$/],
      [() => trainTestSplit(x, rows(9)), /^trainTestSplit: argument "y" must be 10 rows \(one per row of x\), got 9$/],
      [() => trainTestSplit(x, ['a', 1, ...y.slice(2)] as never), /^trainTestSplit: argument "y\[1\]" must be a string \(like y\[0\]\), got 1$/],
      [() => trainTestSplit(x, [0, NaN, ...y.slice(2)] as never), /"y\[1\]" must be a finite number/],
      [() => trainTestSplit([], []), /"x" must be a non-empty array/],
      [() => trainTestSplit([[1, NaN]], ['a']), /"x" must hold finite numbers/],
      [() => trainTestSplit(x, y, { seed: 1.5 }), /"options.seed" must be a safe integer, got 1.5/],
      [() => trainTestSplit(x, y, { stratify: 'yes' as never }), /"options.stratify" must be true or false/],
      [() => trainTestSplit(x, y, { testfraction: 0.3 } as never), /unknown option "testfraction" \(did you mean "testFraction"\?\)/],
      [() => trainTestSplit(x, y, 0.2 as never), /"options" must be an options object/],
    ];
    for (const [call, message] of bad) {
      expect(call).toThrow(DeltapropError);
      expect(call).toThrow(message);
    }
    expect(x).toEqual(rows(10));
    expect(y).toEqual(labelsOf([5, 5]));
    expect(options).toEqual({ testFraction: 0.2 });
  });
});
