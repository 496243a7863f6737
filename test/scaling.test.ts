/** Feature scaling: the statistics and their application, derived by hand on a tiny table. */
import { describe, expect, it } from 'vitest';
import { applyScaling, DeltapropError, fitScaling, invertScaling, Matrix, scalingFromJSON, scalingToJSON } from '../src/index.js';
import { Random } from '../src/index.js';

// Column 0: 0, 0, 4, 4    Column 1: constant 10    Column 2: −1, 5, 2, 2
const table = [
  [0, 10, -1],
  [0, 10, 5],
  [4, 10, 2],
  [4, 10, 2],
];

describe('standard scaling', () => {
  it('shift is the mean and divisor the population standard deviation (ddof = 0), by hand', () => {
    const s = fitScaling('standard', table);
    // means: (0 + 0 + 4 + 4)/4 = 2; 10; (−1 + 5 + 2 + 2)/4 = 2
    expect(Array.from(s.shift)).toEqual([2, 10, 2]);
    // col 0: deviations −2, −2, 2, 2 → Σd² = 16, /4 = 4 → 2
    // col 1: constant → 1 (not 0, so no NaN)
    // col 2: deviations −3, 3, 0, 0 → Σd² = 18, /4 = 4.5 → √4.5 (the population std; ddof = 1 would give √6)
    expect(Array.from(s.divisor)).toEqual([2, 1, Math.sqrt(4.5)]);
    expect(s.kind).toBe('standard');
  });

  it('maps x to (x − mean) / std, column by column', () => {
    const s = fitScaling('standard', table);
    const out = applyScaling(new Matrix(4, 3), Matrix.from(table), s);
    const r = Math.sqrt(4.5);
    expect(out.toArray()).toEqual([
      [(0 - 2) / 2, 0, (-1 - 2) / r],
      [-1, 0, 3 / r],
      [1, 0, 0],
      [1, 0, 0],
    ]);
  });
});

describe('min-max scaling', () => {
  it('shift is the minimum and divisor max − min, by hand', () => {
    const s = fitScaling('minMax', table);
    expect(Array.from(s.shift)).toEqual([0, 10, -1]);
    expect(Array.from(s.divisor)).toEqual([4, 1, 6]); // 4 − 0; constant → 1; 5 − (−1)
  });

  it('maps the training table into [0, 1]: (x − min) / (max − min)', () => {
    const s = fitScaling('minMax', table);
    const out = applyScaling(new Matrix(4, 3), Matrix.from(table), s);
    // col 2: (−1 + 1)/6 = 0, (5 + 1)/6 = 1, (2 + 1)/6 = 0.5
    expect(out.toArray()).toEqual([
      [0, 0, 0],
      [0, 0, 1],
      [1, 0, 0.5],
      [1, 0, 0.5],
    ]);
  });

  it('never leaves [0, 1] on its own training data, whatever the values', () => {
    const random = new Random(3);
    const x = new Matrix(200, 3);
    for (let i = 0; i < x.data.length; i++) x.data[i] = random.uniform(-1e6, 1e6) * random.next();
    const out = applyScaling(new Matrix(200, 3), x, fitScaling('minMax', x));
    expect(Math.min(...out.data)).toBe(0);
    expect(Math.max(...out.data)).toBe(1);
  });
});

describe('constant columns', () => {
  it('map to exactly 0 with divisor 1, even when the mean would round away from the value', () => {
    // 0.1 + 0.1 + 0.1 = 0.30000000000000004, and /3 is not 0.1: the shift must still be 0.1 exactly.
    const x = [[0.1, 7], [0.1, 7], [0.1, 7]];
    for (const kind of ['standard', 'minMax'] as const) {
      const s = fitScaling(kind, x);
      expect(Array.from(s.shift)).toEqual([0.1, 7]);
      expect(Array.from(s.divisor)).toEqual([1, 1]);
      expect(Array.from(applyScaling(new Matrix(3, 2), Matrix.from(x), s).data)).toEqual([0, 0, 0, 0, 0, 0]);
    }
  });

  it('a single sample is a table of constant columns', () => {
    const s = fitScaling('standard', [[3, -4]]);
    expect([Array.from(s.shift), Array.from(s.divisor)]).toEqual([[3, -4], [1, 1]]);
  });

  it('a spread that underflows to a zero standard deviation gets divisor 1 too', () => {
    const s = fitScaling('standard', [[0], [5e-324]]);
    expect(s.divisor[0]).toBe(1);
  });
});

describe('applying and inverting', () => {
  it('scales in place when out is x, and returns out', () => {
    const x = Matrix.from(table);
    const s = fitScaling('minMax', x);
    expect(applyScaling(x, x, s)).toBe(x);
    expect(x.toArray()[2]).toEqual([1, 0, 0.5]);
  });

  it('inverts exactly: z · divisor + shift, and back to the table where the arithmetic is exact', () => {
    const s = fitScaling('minMax', table);
    const z = applyScaling(new Matrix(4, 3), Matrix.from(table), s);
    expect(invertScaling(new Matrix(4, 3), z, s).toArray()).toEqual(table);
    // by hand: z = 0.5 in column 2 → 0.5 · 6 + (−1) = 2
    const one = invertScaling(new Matrix(1, 3), Matrix.from([[0.25, 3, 0.5]]), s);
    expect(Array.from(one.data)).toEqual([0.25 * 4 + 0, 3 * 1 + 10, 2]);
  });

  it('inverts standard scaling on random data to within an ulp or two', () => {
    const random = new Random(5);
    const x = new Matrix(100, 4);
    for (let i = 0; i < x.data.length; i++) x.data[i] = random.uniform(-50, 50);
    const s = fitScaling('standard', x);
    const back = invertScaling(new Matrix(100, 4), applyScaling(new Matrix(100, 4), x, s), s);
    for (let i = 0; i < x.data.length; i++) expect(Math.abs(back.data[i]! - x.data[i]!)).toBeLessThanOrEqual(4e-16 * 50 * 2);
  });

  it('standardised columns have mean 0 and population variance 1', () => {
    const random = new Random(6);
    const x = new Matrix(500, 2);
    for (let i = 0; i < x.data.length; i++) x.data[i] = 1000 + random.uniform(0, 3);
    const z = applyScaling(new Matrix(500, 2), x, fitScaling('standard', x));
    for (let j = 0; j < 2; j++) {
      let m = 0, v = 0;
      for (let i = 0; i < 500; i++) m += z.data[i * 2 + j]! / 500;
      for (let i = 0; i < 500; i++) v += (z.data[i * 2 + j]! - m) ** 2 / 500;
      expect(Math.abs(m)).toBeLessThan(1e-10); // rounding of Σx near 1000·N, not a formula error
      expect(Math.abs(v - 1)).toBeLessThan(1e-12);
    }
  });
});

describe('JSON', () => {
  it('round-trips every bit through JSON text', () => {
    const random = new Random(8);
    const x = new Matrix(20, 3);
    for (let i = 0; i < x.data.length; i++) x.data[i] = random.uniform(-1, 1) / 3;
    for (const kind of ['standard', 'minMax'] as const) {
      const s = fitScaling(kind, x);
      const again = scalingFromJSON(JSON.parse(JSON.stringify(scalingToJSON(s))), 3);
      expect(again.kind).toBe(kind);
      expect(again.shift).toEqual(s.shift);
      expect(again.divisor).toEqual(s.divisor);
    }
  });

  it('rejects damaged or hostile values', () => {
    const good = { kind: 'standard', shift: [0, 1], divisor: [1, 2] };
    const bad: Array<[unknown, RegExp]> = [
      [null, /"json" must be an object/],
      [[1], /"json" must be an object/],
      [{ ...good, kind: 'robust' }, /"json.kind" must be one of "standard", "minMax"/],
      [{ ...good, extra: 1 }, /unknown option "extra"/],
      [{ ...good, shift: [0] }, /"json.shift" must be an array of 2 finite numbers/],
      [{ ...good, shift: '0,1' }, /"json.shift" must be an array/],
      [{ ...good, shift: [] }, /"json.shift"/],
      [{ ...good, shift: [0, NaN] }, /"json.shift\[1\]" must be a finite number, got NaN/],
      [{ ...good, shift: [0, '1'] }, /"json.shift\[1\]" must be a finite number, got "1"/],
      [{ ...good, divisor: [1] }, /"json.divisor" must be an array of 2 positive/],
      [{ ...good, divisor: [1, 0] }, /"json.divisor\[1\]" must be a positive finite number, got 0/],
      [{ ...good, divisor: [-1, 2] }, /"json.divisor\[0\]" must be a positive finite number, got -1/],
      [{ ...good, divisor: [1, Infinity] }, /"json.divisor\[1\]" must be a positive finite number, got Infinity/],
      [{ kind: 'standard', divisor: [1, 2] }, /"json.shift"/],
    ];
    for (const [value, message] of bad) {
      expect(() => scalingFromJSON(value, 2)).toThrow(DeltapropError);
      expect(() => scalingFromJSON(value, 2)).toThrow(message);
    }
    expect(() => scalingFromJSON(good, 3)).toThrow(/"json.shift" must be an array of 3 finite numbers/);
    expect(() => scalingFromJSON(good, 0)).toThrow(/"features" must be a positive integer/);
  });
});

describe('bad arguments', () => {
  it('fitScaling names the argument and changes nothing', () => {
    const x = [[1, 2], [3, 4]];
    expect(() => fitScaling('robust' as 'standard', x)).toThrow(/^fitScaling: argument "kind" must be one of "standard", "minMax", got "robust"$/);
    expect(() => fitScaling('standard', [])).toThrow(/fitScaling: argument "x" must be a non-empty array/);
    expect(() => fitScaling('standard', [[1, NaN]])).toThrow(/finite numbers, got NaN at row 0, column 1/);
    expect(() => fitScaling('minMax', [[1e308], [-1e308]])).toThrow(/fitScaling: argument "x" must have column statistics that are finite.*range.*column 0/);
    expect(() => fitScaling('standard', [[1e308], [-1e308]])).toThrow(DeltapropError);
    expect(() => fitScaling('standard', [[], []])).toThrow(/at least one feature/);
    expect(x).toEqual([[1, 2], [3, 4]]);
  });

  it('applyScaling and invertScaling check shapes and write nothing on a mismatch', () => {
    const s = fitScaling('standard', table);
    const out = new Matrix(4, 3);
    out.data.fill(7);
    expect(() => applyScaling(out, new Matrix(4, 2), s)).toThrow(/^applyScaling: argument "x" must be a Matrix of 3 columns/);
    expect(() => applyScaling(new Matrix(3, 3), Matrix.from(table), s)).toThrow(/^applyScaling: argument "out" must be a Matrix of 4 × 3/);
    expect(() => applyScaling(out, table as unknown as Matrix, s)).toThrow(/"x" must be a Matrix/);
    expect(() => invertScaling(out, Matrix.from(table), { kind: 'standard', shift: new Float64Array(3) } as never)).toThrow(/^invertScaling: argument "s.divisor"/);
    expect(() => invertScaling(out, new Matrix(4, 1), s)).toThrow(/^invertScaling: argument "z" must be a Matrix of 3 columns/);
    const f = (shift: number[], divisor: number[]) => ({ kind: 'standard' as const, shift: Float64Array.from(shift), divisor: Float64Array.from(divisor) });
    expect(() => applyScaling(out, Matrix.from(table), f([0, 0, 0], [1, 0, 1]))).toThrow(/^applyScaling: argument "s.divisor\[1\]" must be a positive finite number, got 0$/);
    expect(() => applyScaling(out, Matrix.from(table), f([0, NaN, 0], [1, 1, 1]))).toThrow(/"s.shift\[1\]" must be a finite number, got NaN/);
    expect(() => invertScaling(out, Matrix.from(table), f([0, 0, 0], [1, 1, -2]))).toThrow(/"s.divisor\[2\]" must be a positive finite number, got -2/);
    expect(() => applyScaling(out, Matrix.from(table), { ...f([0, 0, 0], [1, 1, 1]), kind: 'none' } as never)).toThrow(/"s.kind" must be one of/);
    expect(Array.from(out.data).every((v) => v === 7)).toBe(true);
  });
});
