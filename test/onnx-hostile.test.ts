/**
 * fromONNX on hostile input: truncated files, lengths past the end, huge declared dims, unknown wire
 * types, deep nesting and 200 random mutations of a valid file. Every one must end in a
 * DeltapropError (or, for a harmless mutation, a Network), quickly: never a raw error or a hang.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeltapropError, fromONNX, Network, toONNX } from '../src/index.js';
import { decodeMessage, MAX_DEPTH, ProtoWriter } from '../src/interop/protobuf.js';
import { makeNet } from './helpers/interop.js';

const valid = toONNX(makeNet('softplus', 2));

/** Runs fromONNX and returns 'network', or the error; fails the test on anything but a DeltapropError. */
function outcome(bytes: Uint8Array): 'network' | DeltapropError {
  const start = Date.now();
  try {
    const net = fromONNX(bytes);
    expect(net).toBeInstanceOf(Network);
    return 'network';
  } catch (error) {
    if (!(error instanceof DeltapropError)) throw new Error(`raw error: ${String(error)}`, { cause: error });
    expect(error.message).toMatch(/^(fromONNX|Network\.fromJSON): /);
    return error;
  } finally {
    expect(Date.now() - start).toBeLessThan(2000);
  }
}

function refused(bytes: Uint8Array, message?: RegExp): void {
  const r = outcome(bytes);
  expect(r).toBeInstanceOf(DeltapropError);
  if (message !== undefined) expect((r as Error).message).toMatch(message);
}

/** A model whose graph field holds `graph` bytes as given. */
function withGraph(graph: Uint8Array): Uint8Array {
  return new ProtoWriter().uint(1, 7).bytes(7, graph).message(8, new ProtoWriter().uint(2, 13)).finish();
}

describe('fromONNX on hostile files', () => {
  it(`every truncation of a valid file (${valid.length} prefixes) is a DeltapropError`, () => {
    expect(outcome(valid)).toBe('network');
    for (let n = 0; n < valid.length; n++) refused(valid.subarray(0, n));
  });

  it('lengths past the end', () => {
    // graph (field 7, LEN) declaring 2^31 bytes, with 3 present
    refused(Uint8Array.from([0x08, 0x07, 0x3a, 0x80, 0x80, 0x80, 0x80, 0x08, 1, 2, 3]), /declares a length of 2147483648 bytes with only 3 left/);
    // a length varint of 10 bytes (2^63)
    refused(Uint8Array.from([0x3a, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]), /declares a length/);
    // a varint that never ends
    refused(Uint8Array.from([0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]), /varint longer than 10 bytes/);
    refused(Uint8Array.from([0x08, 0xff]), /ends inside a varint/);
    // a fixed64 and a fixed32 cut short
    refused(Uint8Array.from([0x09, 1, 2, 3]), /8-byte value past the end/);
    refused(Uint8Array.from([0x0d, 1, 2]), /4-byte value past the end/);
  });

  it('huge declared dims are refused before anything is allocated', () => {
    const tensorWithDims = (dims: number[]): ProtoWriter => {
      const t = new ProtoWriter();
      for (const d of dims) t.uint(1, d);
      return t.uint(2, 11).string(8, 'W').bytes(9, new Uint8Array(16));
    };
    for (const dims of [[1e9, 1e9], [2 ** 40], [2 ** 28 + 1], [65536, 65536, 65536]]) {
      refused(withGraph(new ProtoWriter().message(5, tensorWithDims(dims)).finish()), /declares (a dimension|\d+ or more values)/);
    }
    // a dim of 2^63 (a 10-byte varint) and a negative one
    const huge = new ProtoWriter().int64(1, -1).uint(2, 11).string(8, 'W');
    refused(withGraph(new ProtoWriter().message(5, huge).finish()), /dimension of -1/);
    const big = Uint8Array.from([0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]);
    refused(withGraph(new ProtoWriter().bytes(5, big).finish()), /beyond the integers deltaprop reads/);
    // an input declaring a dimension of 2^40
    const shape = new ProtoWriter().message(1, new ProtoWriter().uint(1, 2 ** 40));
    const info = new ProtoWriter().string(1, 'x').message(2, new ProtoWriter().message(1, new ProtoWriter().uint(1, 11).message(2, shape)));
    refused(withGraph(new ProtoWriter().message(11, info).message(12, new ProtoWriter().string(1, 'y')).finish()), /dim_value 1099511627776/);
  });

  it('unknown wire types and groups', () => {
    for (const wire of [3, 4, 6, 7]) refused(Uint8Array.from([(1 << 3) | wire, 0]), new RegExp(`wire type ${wire}`));
    // the right field with the wrong wire type: graph as a varint
    refused(Uint8Array.from([0x42, 0x02, 0x10, 0x0d, 0x38, 0x05]), /graph \(7\) with wire type 0, expected 2/);
    // field number 0
    refused(Uint8Array.from([0x02, 0x00]), /field numbered 0/);
  });

  it('deep nesting: a million-byte tower of nested messages neither recurses nor hangs', () => {
    let inner: Uint8Array = new Uint8Array(0);
    const depth = 20_000;
    for (let i = 0; i < depth; i++) inner = new ProtoWriter().bytes(1, inner).finish();
    refused(withGraph(inner));
    refused(inner);
    // The decoder's own bound: asking for message after message stops at MAX_DEPTH.
    let m = decodeMessage('fromONNX', 'model', inner);
    expect(() => {
      for (let i = 0; i < depth; i++) m = m.message(1, 'inner')!;
    }).toThrow(new RegExp(`deeper than ${MAX_DEPTH} levels`));
  });

  it('invalid UTF-8 in a name is a DeltapropError', () => {
    const nodeBytes = new ProtoWriter().bytes(4, Uint8Array.from([0xc0, 0x80])).finish(); // overlong NUL as op_type
    refused(withGraph(new ProtoWriter().bytes(1, nodeBytes).finish()), /not valid UTF-8/);
  });

  it('200 random mutations of a valid file: each a Network or a DeltapropError', () => {
    let networks = 0;
    let errors = 0;
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), value: fc.constant(0) }),
      fc.record({ kind: fc.constant('cut' as const), at: fc.nat(), value: fc.constant(0) }),
    );
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
        let b = Array.from(valid);
        for (const { kind, at, value } of mutations) {
          const i = at % b.length;
          if (kind === 'flip') b[i] = value;
          else if (kind === 'insert') b.splice(i, 0, value);
          else if (kind === 'delete') b.splice(i, 1);
          else b = b.slice(0, i);
          if (b.length === 0) b = [0];
        }
        if (outcome(Uint8Array.from(b)) === 'network') networks++;
        else errors++;
      }),
      { numRuns: 200, seed: 20261201 },
    );
    expect(networks + errors).toBe(200);
    expect(errors).toBeGreaterThan(20); // the mutations do break files
  });
});
