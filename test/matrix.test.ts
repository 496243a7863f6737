/** Matrix: row-major storage, construction, element access and its errors; oneHot. */
import { describe, expect, it } from 'vitest';
import { Matrix, oneHot } from '../src/index.js';
import { MAX_ELEMENTS } from '../src/core/matrix.js';
import { expectDeltapropError } from './helpers/numeric.js';

describe('Matrix', () => {
  it('allocates zeros of rows × cols', () => {
    const m = new Matrix(2, 3);
    expect(m.rows).toBe(2);
    expect(m.cols).toBe(3);
    expect(m.data).toBeInstanceOf(Float64Array);
    expect(Array.from(m.data)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(new Matrix(0, 5).data.length).toBe(0);
  });

  it('wraps a Float64Array without copying it, row-major', () => {
    const data = Float64Array.of(1, 2, 3, 4, 5, 6);
    const m = new Matrix(2, 3, data);
    expect(m.data).toBe(data);
    expect(m.get(0, 2)).toBe(3);
    expect(m.get(1, 0)).toBe(4);
    data[4] = 50;
    expect(m.get(1, 1)).toBe(50);
    m.set(0, 1, -2);
    expect(data[1]).toBe(-2);
  });

  it('rejects bad shapes and data', () => {
    expectDeltapropError(() => new Matrix(-1, 2), 'new Matrix', '"rows"', '-1');
    expectDeltapropError(() => new Matrix(1.5, 2), 'new Matrix', '"rows"');
    expectDeltapropError(() => new Matrix(NaN, 2), 'new Matrix', '"rows"', 'NaN');
    expectDeltapropError(() => new Matrix(2, -3), 'new Matrix', '"cols"');
    expectDeltapropError(() => new Matrix(2, 2, new Float64Array(3)), 'new Matrix', '"data"', '2 × 2 = 4', 'got 3');
    expectDeltapropError(() => new Matrix(1, 2, [1, 2] as unknown as Float64Array), 'new Matrix', '"data"', 'Float64Array');
    expectDeltapropError(() => new Matrix(1, 2, new Float32Array(2) as unknown as Float64Array), 'new Matrix', '"data"');
    // Too large: refused before allocating.
    expectDeltapropError(() => new Matrix(2 ** 14 + 1, 2 ** 14), 'new Matrix', String(MAX_ELEMENTS));
  });

  it('from copies rows of arrays or Float64Arrays', () => {
    const rows = [
      [1, 2],
      [3, 4],
      [5, 6],
    ];
    const m = Matrix.from(rows);
    expect([m.rows, m.cols]).toEqual([3, 2]);
    expect(Array.from(m.data)).toEqual([1, 2, 3, 4, 5, 6]);
    rows[0]![0] = 100;
    expect(m.get(0, 0)).toBe(1);
    expect(Array.from(Matrix.from([Float64Array.of(7, 8)]).data)).toEqual([7, 8]);
    const empty = Matrix.from([]);
    expect([empty.rows, empty.cols]).toEqual([0, 0]);
  });

  it('from rejects ragged rows and non-numbers, naming the place', () => {
    expectDeltapropError(() => Matrix.from([[1, 2], [3]]), 'Matrix.from', '"rows[1]"', '2 values', 'got 1');
    expectDeltapropError(() => Matrix.from([[1, 'x']] as unknown as number[][]), 'Matrix.from', '"rows[0][1]"', 'a number', '"x"');
    expectDeltapropError(() => Matrix.from([[1], null] as unknown as number[][]), 'Matrix.from', '"rows[1]"', 'null');
    expectDeltapropError(() => Matrix.from([5] as unknown as number[][]), 'Matrix.from', '"rows[0]"');
    expectDeltapropError(() => Matrix.from(null as unknown as number[][]), 'Matrix.from', '"rows"');
  });

  it('get and set check their indices and values', () => {
    const m = new Matrix(2, 3);
    expectDeltapropError(() => m.get(2, 0), 'Matrix.get', '"i"', '[0, 1]', 'got 2');
    expectDeltapropError(() => m.get(0, 3), 'Matrix.get', '"j"', '[0, 2]');
    expectDeltapropError(() => m.get(-1, 0), 'Matrix.get', '"i"');
    expectDeltapropError(() => m.get(0.5, 0), 'Matrix.get', '"i"');
    expectDeltapropError(() => m.set(0, 5, 1), 'Matrix.set', '"j"');
    expectDeltapropError(() => m.set(0, 0, '1' as unknown as number), 'Matrix.set', '"value"');
    expect(Array.from(m.data)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('row is a view, clone a deep copy, toArray nested rows', () => {
    const m = Matrix.from([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const r = m.row(1);
    expect(Array.from(r)).toEqual([4, 5, 6]);
    r[0] = 40;
    expect(m.get(1, 0)).toBe(40);
    expectDeltapropError(() => m.row(2), 'Matrix.row', '"i"');
    const c = m.clone();
    c.set(0, 0, -1);
    expect(m.get(0, 0)).toBe(1);
    expect(c.data).not.toBe(m.data);
    expect(m.toArray()).toEqual([
      [1, 2, 3],
      [40, 5, 6],
    ]);
    expect(new Matrix(0, 3).toArray()).toEqual([]);
  });
});

describe('oneHot', () => {
  it('puts a 1 in the label column of each row', () => {
    const m = oneHot([2, 0, 1, 2], 3);
    expect(m.toArray()).toEqual([
      [0, 0, 1],
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    expect(oneHot(Uint8Array.of(1), 2).toArray()).toEqual([[0, 1]]);
  });

  it('rejects labels outside [0, classes) and bad class counts', () => {
    expectDeltapropError(() => oneHot([0, 3], 3), 'oneHot', '"labels[1]"', '[0, 2]', 'got 3');
    expectDeltapropError(() => oneHot([0.5], 3), 'oneHot', '"labels[0]"');
    expectDeltapropError(() => oneHot([-1], 3), 'oneHot', '"labels[0]"');
    expectDeltapropError(() => oneHot([0], 0), 'oneHot', '"classes"');
    expectDeltapropError(() => oneHot('01' as unknown as number[], 2), 'oneHot', '"labels"');
  });
});
