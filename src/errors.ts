/**
 * The one error type deltaprop throws for misuse and for training that cannot go on.
 *
 * Every message names the function, the argument, what was expected and what was given,
 * e.g. `Network.fit: argument "y" must have 4 rows (one per sample of x), got 3`.
 */
export class DeltapropError extends Error {
  override readonly name = 'DeltapropError';
  constructor(message: string) {
    super(message);
    // Keep `instanceof` working when compiled to ES5-style classes by a user's bundler.
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/** Throws `DeltapropError` with `where: argument "arg" must be <expected>, got <given>`. */
export function fail(where: string, arg: string, expected: string, given: unknown): never {
  throw new DeltapropError(`${where}: argument "${arg}" must be ${expected}, got ${describe(given)}`);
}

/** A short, safe description of any value for an error message (never calls user code). */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  switch (typeof value) {
    case 'number':
      return Number.isNaN(value) ? 'NaN' : String(value);
    case 'string':
      return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
    case 'boolean':
    case 'bigint':
      return `${typeof value} ${String(value)}`;
    case 'function':
      return 'a function';
    case 'symbol':
      return 'a symbol';
    default:
      break;
  }
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (value instanceof Float64Array) return `a Float64Array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a typed array of length ${(value as unknown as ArrayLike<number>).length}`;
  return 'an object';
}
