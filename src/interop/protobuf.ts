/**
 * A small protocol-buffers encoder and a bounded decoder, enough for ONNX files.
 *
 * The decoder treats its input as hostile: every declared length is checked against the bytes
 * present before anything is read or allocated, varints stop at 10 bytes, groups and unknown
 * wire types are refused, and nesting is bounded by the caller's explicit depth. Decoded
 * length-delimited fields are views of the input (no copy). Every failure is a DeltapropError.
 */
import { DeltapropError } from '../core/errors.js';

// Wire types.
export const VARINT = 0;
export const FIXED64 = 1;
export const LEN = 2;
export const FIXED32 = 5;

/** Deepest message nesting the decoder accepts (ONNX needs 6: model, graph, value info, type, shape, dim). */
export const MAX_DEPTH = 16;

// ---------------------------------------------------------------------------------------------
// Encoding
// ---------------------------------------------------------------------------------------------

export class ProtoWriter {
  private readonly chunks: Uint8Array[] = [];
  private size = 0;

  private push(bytes: Uint8Array): void {
    this.chunks.push(bytes);
    this.size += bytes.length;
  }

  private rawVarint(value: number): void {
    // Non-negative safe integers only (all the ONNX writer needs; negative int64s use int64()).
    const out: number[] = [];
    let v = value;
    while (v >= 0x80) {
      out.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    out.push(v);
    this.push(Uint8Array.from(out));
  }

  private key(field: number, wire: number): void {
    this.rawVarint(field * 8 + wire);
  }

  /** A varint field holding a non-negative integer (int32, int64, enum, bool). */
  uint(field: number, value: number): this {
    this.key(field, VARINT);
    this.rawVarint(value);
    return this;
  }

  /** A varint field holding any int64 (negative values take 10 bytes, two's complement). */
  int64(field: number, value: number): this {
    if (value >= 0) return this.uint(field, value);
    this.key(field, VARINT);
    let v = BigInt.asUintN(64, BigInt(value));
    const out: number[] = [];
    while (v >= 0x80n) {
      out.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    out.push(Number(v));
    this.push(Uint8Array.from(out));
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.key(field, LEN);
    this.rawVarint(value.length);
    this.push(value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, utf8Encode(value));
  }

  message(field: number, value: ProtoWriter): this {
    return this.bytes(field, value.finish());
  }

  /** A float field (fixed32). */
  float(field: number, value: number): this {
    this.key(field, FIXED32);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.push(b);
    return this;
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

// ---------------------------------------------------------------------------------------------
// Decoding
// ---------------------------------------------------------------------------------------------

/** One decoded field: a varint (as a number, or a bigint beyond 2^53), fixed bytes, or a view of a LEN field. */
export interface ProtoField {
  readonly field: number;
  readonly wire: number;
  /** varint: the unsigned value as a number when it is below 2^53, otherwise as a bigint. */
  readonly int: number | bigint;
  /** LEN, FIXED32, FIXED64: the bytes (a view of the input). */
  readonly data: Uint8Array;
}

/** A message decoded one level deep; sub-messages stay as bytes until asked for. */
export class ProtoMessage {
  readonly fields: readonly ProtoField[];
  readonly depth: number;
  /** Names the message in error messages, e.g. "model.graph.node[3]". */
  readonly path: string;
  private readonly where: string;

  constructor(where: string, path: string, fields: readonly ProtoField[], depth: number) {
    this.where = where;
    this.path = path;
    this.fields = fields;
    this.depth = depth;
  }

  error(what: string): DeltapropError {
    return new DeltapropError(`${this.where}: argument "bytes" is not a valid ONNX file: ${this.path} ${what}`);
  }

  private all(field: number): ProtoField[] {
    return this.fields.filter((f) => f.field === field);
  }

  private last(field: number): ProtoField | undefined {
    let found: ProtoField | undefined;
    for (const f of this.fields) if (f.field === field) found = f;
    return found;
  }

  private expectWire(f: ProtoField, wire: number, name: string): void {
    if (f.wire !== wire) throw this.error(`has field ${name} (${f.field}) with wire type ${f.wire}, expected ${wire}`);
  }

  /** A varint field as a signed int64 number; `undefined` when absent. Values beyond ±2^53 are refused. */
  int(field: number, name: string): number | undefined {
    const f = this.last(field);
    return f === undefined ? undefined : this.toInt(f, name);
  }

  private toInt(f: ProtoField, name: string): number {
    this.expectWire(f, VARINT, name);
    if (typeof f.int === 'number') return f.int;
    const signed = BigInt.asIntN(64, f.int);
    if (signed > BigInt(Number.MAX_SAFE_INTEGER) || signed < BigInt(-Number.MAX_SAFE_INTEGER)) {
      throw this.error(`has ${name} = ${signed.toString()}, beyond the integers deltaprop reads`);
    }
    return Number(signed);
  }

  /** Every value of a repeated int64 field, packed or not. */
  ints(field: number, name: string, max: number): number[] {
    const out: number[] = [];
    for (const f of this.all(field)) {
      if (f.wire === LEN) {
        const inner = decodeFields(this.where, `${this.path}.${name}`, f.data, max - out.length);
        for (const g of inner) {
          if (g.wire !== VARINT) throw this.error(`has a packed ${name} that holds wire type ${g.wire}`);
          out.push(this.toInt(g, name));
        }
      } else {
        out.push(this.toInt(f, name));
      }
      if (out.length > max) throw this.error(`has more than ${max} values in ${name}`);
    }
    return out;
  }

  bytes(field: number, name: string): Uint8Array | undefined {
    const f = this.last(field);
    if (f === undefined) return undefined;
    this.expectWire(f, LEN, name);
    return f.data;
  }

  string(field: number, name: string): string | undefined {
    const b = this.bytes(field, name);
    if (b === undefined) return undefined;
    const s = utf8Decode(b);
    if (s === undefined) throw this.error(`has a ${name} that is not valid UTF-8`);
    return s;
  }

  strings(field: number, name: string): string[] {
    return this.all(field).map((f) => {
      this.expectWire(f, LEN, name);
      const s = utf8Decode(f.data);
      if (s === undefined) throw this.error(`has a ${name} that is not valid UTF-8`);
      return s;
    });
  }

  /** A float (fixed32) field. */
  float(field: number, name: string): number | undefined {
    const f = this.last(field);
    if (f === undefined) return undefined;
    this.expectWire(f, FIXED32, name);
    return new DataView(f.data.buffer, f.data.byteOffset, 4).getFloat32(0, true);
  }

  /** The sub-message of a singular field (the last occurrence wins). */
  message(field: number, name: string): ProtoMessage | undefined {
    const f = this.last(field);
    if (f === undefined) return undefined;
    this.expectWire(f, LEN, name);
    return this.child(f.data, `${this.path}.${name}`);
  }

  /** Every sub-message of a repeated field; at most `max` of them. */
  messages(field: number, name: string, max: number): ProtoMessage[] {
    const fs = this.all(field);
    if (fs.length > max) throw this.error(`has ${fs.length} ${name} entries, more than the ${max} deltaprop reads`);
    return fs.map((f, i) => {
      this.expectWire(f, LEN, name);
      return this.child(f.data, `${this.path}.${name}[${i}]`);
    });
  }

  /** Every LEN or fixed value of a repeated field, as views (for packed float/double data). */
  raw(field: number): ProtoField[] {
    return this.all(field);
  }

  private child(bytes: Uint8Array, path: string): ProtoMessage {
    if (this.depth + 1 > MAX_DEPTH) throw this.error(`nests messages deeper than ${MAX_DEPTH} levels`);
    return new ProtoMessage(this.where, path, decodeFields(this.where, path, bytes), this.depth + 1);
  }
}

/** Decodes the top-level message of `bytes`. */
export function decodeMessage(where: string, path: string, bytes: Uint8Array): ProtoMessage {
  return new ProtoMessage(where, path, decodeFields(where, path, bytes), 0);
}

/** Reads the fields of one message (one level). At most `maxFields` fields. */
function decodeFields(where: string, path: string, bytes: Uint8Array, maxFields = Infinity): ProtoField[] {
  const fail = (what: string, at: number): never => {
    throw new DeltapropError(`${where}: argument "bytes" is not a valid ONNX file: ${path} ${what} at byte ${at} of ${bytes.length}`);
  };
  const out: ProtoField[] = [];
  const n = bytes.length;
  let at = 0;
  // Returns the varint at `at` (advancing it) as a number below 2^53, or a bigint.
  const varint = (): number | bigint => {
    const start = at;
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (at >= n) return fail('ends inside a varint', start);
      const b = bytes[at++]!;
      if (i < 7) {
        value += (b & 0x7f) * scale;
        scale *= 128;
        if (b < 0x80) return value;
      } else {
        // Past 49 bits: redo it exactly with bigints.
        let big = 0n;
        for (let j = start; j < at; j++) big |= BigInt(bytes[j]! & 0x7f) << BigInt(7 * (j - start));
        while (bytes[at - 1]! >= 0x80) {
          if (at - start >= 10) return fail('has a varint longer than 10 bytes', start);
          if (at >= n) return fail('ends inside a varint', start);
          big |= BigInt(bytes[at]! & 0x7f) << BigInt(7 * (at - start));
          at++;
        }
        big = BigInt.asUintN(64, big);
        return big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
      }
    }
    return fail('has a varint longer than 10 bytes', start);
  };
  while (at < n) {
    if (out.length >= maxFields) fail(`has more than ${maxFields} values`, at);
    const keyAt = at;
    const key = varint();
    if (typeof key !== 'number' || key > 0xffffffff) return fail('has a field key out of range', keyAt);
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (field === 0) fail('has a field numbered 0', keyAt);
    switch (wire) {
      case VARINT:
        out.push({ field, wire, int: varint(), data: EMPTY });
        break;
      case FIXED64:
        if (n - at < 8) fail('declares an 8-byte value past the end', at);
        out.push({ field, wire, int: 0, data: bytes.subarray(at, at + 8) });
        at += 8;
        break;
      case FIXED32:
        if (n - at < 4) fail('declares a 4-byte value past the end', at);
        out.push({ field, wire, int: 0, data: bytes.subarray(at, at + 4) });
        at += 4;
        break;
      case LEN: {
        const lenAt = at;
        const len = varint();
        if (typeof len !== 'number' || len > n - at) {
          return fail(`declares a length of ${len.toString()} bytes with only ${n - at} left`, lenAt);
        }
        out.push({ field, wire, int: 0, data: bytes.subarray(at, at + len) });
        at += len;
        break;
      }
      default:
        return fail(`has field ${field} with wire type ${wire} (groups and unknown wire types are not read)`, keyAt);
    }
  }
  return out;
}

const EMPTY = new Uint8Array(0);

// ---------------------------------------------------------------------------------------------
// UTF-8 (own code: no TextEncoder/TextDecoder needed)
// ---------------------------------------------------------------------------------------------

export function utf8Encode(s: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d < 0xe000) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      }
    }
    if (c >= 0xd800 && c < 0xe000) c = 0xfffd; // a lone surrogate
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

/** Strict UTF-8 decoding; `undefined` for malformed input (overlong forms, surrogates, truncation). */
export function utf8Decode(b: Uint8Array): string | undefined {
  let s = '';
  for (let i = 0; i < b.length; ) {
    const c = b[i]!;
    let cp: number;
    let extra: number;
    let min: number;
    if (c < 0x80) { cp = c; extra = 0; min = 0; }
    else if (c >= 0xc2 && c < 0xe0) { cp = c & 31; extra = 1; min = 0x80; }
    else if (c >= 0xe0 && c < 0xf0) { cp = c & 15; extra = 2; min = 0x800; }
    else if (c >= 0xf0 && c < 0xf5) { cp = c & 7; extra = 3; min = 0x10000; }
    else return undefined;
    for (let k = 1; k <= extra; k++) {
      const d = b[i + k];
      if (d === undefined || (d & 0xc0) !== 0x80) return undefined;
      cp = (cp << 6) | (d & 63);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000)) return undefined;
    s += String.fromCodePoint(cp);
    i += extra + 1;
  }
  return s;
}
