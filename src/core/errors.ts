/**
 * The one error type deltaprop throws for misuse and for training that cannot go on.
 *
 * Every message names the function, the argument, what was expected and what was given,
 * e.g. `Network.fit: argument "y" must have 4 rows (one per sample of x), got 3`.
 */
export class DeltapropError extends Error {
  override readonly name: string = 'DeltapropError';
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

/**
 * Untrusted text (a thrown value's message, a name from a file) made safe for a message: control
 * characters and line separators escaped, and at most `max` characters kept.
 */
export function sanitize(text: string, max = 200): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return cut.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
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
  try {
    if (Array.isArray(value)) return `an array of length ${value.length}`;
    if (value instanceof Float64Array) return `a Float64Array of length ${value.length}`;
    if (ArrayBuffer.isView(value)) return `a typed array of length ${(value as unknown as ArrayLike<number>).length}`;
  } catch {
    return 'an object that cannot be read (a revoked Proxy?)';
  }
  return 'an object';
}

/**
 * Thrown by `Network.fit` when training cannot go on: the loss or a weight became non-finite
 * (the weights are restored to their values before that batch), or the `onEpoch` callback threw
 * (the weights stay as they were after the last complete epoch; the callback's error is the `cause`).
 */
export class TrainingError extends DeltapropError {
  /** The epoch (1-based) during which training stopped. */
  readonly epoch: number;
  /** The batch (1-based) of that epoch at which training stopped; 0 when the callback threw. */
  readonly batch: number;
  /** The last finite batch loss seen before stopping, or NaN if there was none. */
  readonly lastLoss: number;
  constructor(message: string, epoch: number, batch: number, lastLoss: number, cause?: unknown) {
    super(message);
    this.epoch = epoch;
    this.batch = batch;
    this.lastLoss = lastLoss;
    if (cause !== undefined) Object.defineProperty(this, 'cause', { value: cause, enumerable: false, writable: true, configurable: true });
  }
}
