import { DeltapropError, describe } from './errors.js';

/**
 * A dense row-major matrix of float64 values: element (i, j) is `data[i * cols + j]`.
 *
 * `new Matrix(rows, cols, data?)` wraps `data` without copying it (it must hold exactly
 * `rows × cols` values) or allocates zeros. Rows are samples everywhere in deltaprop.
 */
export class Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;

  constructor(rows: number, cols: number, data?: Float64Array) {
    if (!Number.isSafeInteger(rows) || rows < 0) {
      throw new DeltapropError(`new Matrix: argument "rows" must be a non-negative integer, got ${describe(rows)}`);
    }
    if (!Number.isSafeInteger(cols) || cols < 0) {
      throw new DeltapropError(`new Matrix: argument "cols" must be a non-negative integer, got ${describe(cols)}`);
    }
    if (rows * cols > MAX_ELEMENTS) {
      throw new DeltapropError(
        `new Matrix: rows × cols must be at most ${MAX_ELEMENTS} values, got ${rows} × ${cols} = ${rows * cols}`,
      );
    }
    if (data === undefined) {
      this.data = new Float64Array(rows * cols);
    } else {
      if (!(data instanceof Float64Array)) {
        throw new DeltapropError(`new Matrix: argument "data" must be a Float64Array, got ${describe(data)}`);
      }
      if (data.length !== rows * cols) {
        throw new DeltapropError(
          `new Matrix: argument "data" must hold rows × cols = ${rows} × ${cols} = ${rows * cols} values, got ${data.length}`,
        );
      }
      this.data = data;
    }
    this.rows = rows;
    this.cols = cols;
  }

  /** Copies an array of equal-length rows into a new matrix. */
  static from(rows: ArrayLike<ArrayLike<number>>): Matrix {
    if (rows === null || typeof rows !== 'object' || typeof rows.length !== 'number') {
      throw new DeltapropError(`Matrix.from: argument "rows" must be an array of rows, got ${describe(rows)}`);
    }
    const n = rows.length;
    if (n === 0) return new Matrix(0, 0);
    const first = rows[0];
    if (first === null || typeof first !== 'object' || typeof first.length !== 'number') {
      throw new DeltapropError(`Matrix.from: argument "rows[0]" must be an array of numbers, got ${describe(first)}`);
    }
    const cols = first.length;
    const out = new Matrix(n, cols);
    for (let i = 0; i < n; i++) {
      const row = rows[i];
      if (row === null || typeof row !== 'object' || typeof row.length !== 'number') {
        throw new DeltapropError(`Matrix.from: argument "rows[${i}]" must be an array of numbers, got ${describe(row)}`);
      }
      if (row.length !== cols) {
        throw new DeltapropError(
          `Matrix.from: argument "rows[${i}]" must have ${cols} values (like rows[0]), got ${row.length}`,
        );
      }
      for (let j = 0; j < cols; j++) {
        const v = row[j];
        if (typeof v !== 'number') {
          throw new DeltapropError(`Matrix.from: argument "rows[${i}][${j}]" must be a number, got ${describe(v)}`);
        }
        out.data[i * cols + j] = v;
      }
    }
    return out;
  }

  get(i: number, j: number): number {
    this.checkIndex('get', i, j);
    return this.data[i * this.cols + j]!;
  }

  set(i: number, j: number, value: number): void {
    this.checkIndex('set', i, j);
    if (typeof value !== 'number') {
      throw new DeltapropError(`Matrix.set: argument "value" must be a number, got ${describe(value)}`);
    }
    this.data[i * this.cols + j] = value;
  }

  /** Row `i` as a view (not a copy) sharing this matrix's storage. */
  row(i: number): Float64Array {
    if (!Number.isInteger(i) || i < 0 || i >= this.rows) {
      throw new DeltapropError(`Matrix.row: argument "i" must be an integer in [0, ${this.rows - 1}], got ${describe(i)}`);
    }
    return this.data.subarray(i * this.cols, (i + 1) * this.cols);
  }

  /** A deep copy. */
  clone(): Matrix {
    return new Matrix(this.rows, this.cols, this.data.slice());
  }

  /** The values as plain nested arrays, rows first. */
  toArray(): number[][] {
    const out: number[][] = [];
    for (let i = 0; i < this.rows; i++) out.push(Array.from(this.data.subarray(i * this.cols, (i + 1) * this.cols)));
    return out;
  }

  private checkIndex(method: string, i: number, j: number): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.rows) {
      throw new DeltapropError(
        `Matrix.${method}: argument "i" must be an integer in [0, ${this.rows - 1}], got ${describe(i)}`,
      );
    }
    if (!Number.isInteger(j) || j < 0 || j >= this.cols) {
      throw new DeltapropError(
        `Matrix.${method}: argument "j" must be an integer in [0, ${this.cols - 1}], got ${describe(j)}`,
      );
    }
  }
}

/** The largest matrix deltaprop will allocate (2^28 values = 2 GiB of float64). */
export const MAX_ELEMENTS = 2 ** 28;
