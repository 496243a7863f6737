/**
 * Exact, JSON-safe text for typed arrays (checkpoints): the little-endian bytes in base64.
 * Every float64 comes back with the same bits, −0 and all.
 */
import { fail } from './errors.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < 64; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

function toBase64(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += ALPHABET[n >>> 18]! + ALPHABET[(n >>> 12) & 63]! + ALPHABET[(n >>> 6) & 63]! + ALPHABET[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += ALPHABET[n >>> 18]! + ALPHABET[(n >>> 12) & 63]! + '==';
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += ALPHABET[n >>> 18]! + ALPHABET[(n >>> 12) & 63]! + ALPHABET[(n >>> 6) & 63]! + '=';
  }
  return out;
}

/** Decodes base64 text of exactly `byteLength` bytes (length checked before allocating). */
function fromBase64(where: string, arg: string, text: unknown, byteLength: number): Uint8Array {
  const expected = 4 * Math.ceil(byteLength / 3);
  if (typeof text !== 'string' || text.length !== expected) {
    fail(where, arg, `base64 text of ${byteLength} bytes (${expected} characters)`, typeof text === 'string' ? `${text.length} characters` : text);
  }
  const pad = byteLength % 3 === 0 ? 0 : 3 - (byteLength % 3);
  const out = new Uint8Array(byteLength);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    let n = 0;
    for (let j = 0; j < 4; j++) {
      const c = text.charCodeAt(i + j);
      const isPad = i + j >= text.length - pad && c === 61;
      const v = isPad ? 0 : c < 128 ? LOOKUP[c]! : -1;
      if (v < 0) fail(where, arg, 'base64 text', `a string with ${JSON.stringify(text[i + j])} at ${i + j}`);
      n = (n << 6) | v;
    }
    if (o < byteLength) out[o++] = n >>> 16;
    if (o < byteLength) out[o++] = (n >>> 8) & 255;
    if (o < byteLength) out[o++] = n & 255;
  }
  return out;
}

export function encodeFloat64(values: Float64Array): string {
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat64(8 * i, values[i]!, true);
  return toBase64(bytes);
}

/** `length` float64 values from `encodeFloat64` text; each must be finite when `finite` is set. */
export function decodeFloat64(where: string, arg: string, text: unknown, length: number, finite = true): Float64Array {
  const bytes = fromBase64(where, arg, text, length * 8);
  const view = new DataView(bytes.buffer);
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const v = view.getFloat64(8 * i, true);
    if (finite && !Number.isFinite(v)) fail(where, arg, 'finite values', `${String(v)} at index ${i}`);
    out[i] = v;
  }
  return out;
}

export function encodeUint32(values: Uint32Array): string {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setUint32(4 * i, values[i]!, true);
  return toBase64(bytes);
}

export function decodeUint32(where: string, arg: string, text: unknown, length: number): Uint32Array {
  const bytes = fromBase64(where, arg, text, length * 4);
  const view = new DataView(bytes.buffer);
  const out = new Uint32Array(length);
  for (let i = 0; i < length; i++) out[i] = view.getUint32(4 * i, true);
  return out;
}
