/**
 * The WebAssembly SIMD kernels: loading the generated module (./wasm-bytes.ts, made by
 * scripts/gen-wasm.mjs) and binding it to an arena's memory (see ./arena.ts for the contract).
 *
 * Two modules, each under the 4 KB that engines compile synchronously on a page's main thread:
 * the products, gather and activations, and the optimizer steps. Compiled once, they serve every
 * arena; each arena is one instance of each on its own memory, of a fixed size (initial = maximum pages). Byte offsets of operands are their `byteOffset`
 * in that memory; the first HEAP_BASE bytes are the kernels' scratch (packed panels, zeros).
 * Every kernel returns the bits of its twin in ./js.ts.
 */
import type { Matrix } from '../core/matrix.js';
import { Arena, type Kernels } from './arena.js';
import * as js from './js.js';
import { HEAP_BASE, WASM_BASE64, WASM_OPTIM_BASE64 } from './wasm-bytes.js';

// The few WebAssembly types used here: `lib` is ES2022 only (no DOM), on purpose.
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: unknown };
  Memory: new (descriptor: { initial: number; maximum: number }) => WasmMemory;
}
declare const WebAssembly: WasmApi;

/** The module's exports; pointers are byte offsets in the arena's memory. */
interface Exports {
  gemm(o: number, m: number, n: number, k: number, a: number, lda: number, aCol: number,
    b: number, ldb: number, bCol: number, bias: number, scale: number): void;
  columnSums(out: number, a: number, m: number, n: number, scale: number): void;
  gatherRows(out: number, src: number, order: number, rows: number, n: number): void;
  sgd(p: number, g: number, backup: number, len: number, lr: number, wd: number): number;
  sgdNoDecay(p: number, g: number, backup: number, len: number, lr: number): number;
  adam(p: number, g: number, m: number, v: number, oldP: number, oldM: number, oldV: number, len: number,
    b1: number, b2: number, omb1: number, omb2: number, stepSize: number, c2Root: number, eps: number, decay: number): number;
  momentum(p: number, g: number, v: number, oldP: number, oldV: number, len: number,
    lr: number, mu: number, nesterov: number, first: number, decay: number): number;
  rmsprop(p: number, g: number, s: number, b: number, oldP: number, oldS: number, oldB: number, len: number,
    lr: number, rho: number, omr: number, eps: number, mu: number, decay: number): number;
  relu(out: number, len: number, a: number): void;
  reluBackward(out: number, len: number, g: number, a: number): void;
  leakyRelu(out: number, len: number, a: number, slope: number): void;
  leakyReluBackward(out: number, len: number, g: number, a: number, slope: number): void;
}

const PAGE = 65536;

// ---------------------------------------------------------------------------------------------
// Loading

/** Decodes base64 without `atob` (not an ES2022 global). */
export function decodeBase64(text: string): Uint8Array {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const value = new Uint8Array(128);
  for (let i = 0; i < 64; i++) value[alphabet.charCodeAt(i)] = i;
  const clean = text.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0, count = 0, o = 0;
  for (let i = 0; i < clean.length; i++) {
    bits = (bits << 6) | value[clean.charCodeAt(i)]!;
    count += 6;
    if (count >= 8) {
      count -= 8;
      out[o++] = (bits >> count) & 0xff;
    }
  }
  return out;
}

/** The compiled modules (kernels, optimizer steps), or why there are none. */
export type WasmSupport = { readonly ok: true; readonly modules: readonly [object, object] } | { readonly ok: false; readonly reason: string };

let support: WasmSupport | undefined;

/**
 * Compiles the kernels once: needs `WebAssembly`, SIMD (the module validates) and permission to
 * compile (a page whose Content-Security-Policy lacks 'wasm-unsafe-eval' throws here). Never
 * throws and prints nothing: a failure is a reason to use the JavaScript kernels.
 */
export function wasmSupport(): WasmSupport {
  if (support === undefined) support = detect();
  return support;
}

function detect(): WasmSupport {
  try {
    if (typeof WebAssembly !== 'object' || WebAssembly === null) return { ok: false, reason: 'WebAssembly is not available' };
    const bytes = decodeBase64(WASM_BASE64), optim = decodeBase64(WASM_OPTIM_BASE64);
    if (!WebAssembly.validate(bytes) || !WebAssembly.validate(optim)) return { ok: false, reason: 'WebAssembly SIMD is not supported' };
    return { ok: true, modules: [new WebAssembly.Module(bytes), new WebAssembly.Module(optim)] };
  } catch (e) {
    return { ok: false, reason: `WebAssembly cannot compile here (${e instanceof Error ? e.message : String(e)})` };
  }
}

// ---------------------------------------------------------------------------------------------
// Kernels bound to one instance

class WasmKernels implements Kernels {
  fallbacks = 0;
  private readonly x: Exports;
  private readonly buffer: ArrayBuffer;

  constructor(x: Exports, buffer: ArrayBuffer) {
    this.x = x;
    this.buffer = buffer;
  }

  matmulNT(out: Matrix, a: Matrix, b: Matrix, bias?: Float64Array): void {
    const buf = this.buffer;
    if (out.data.buffer !== buf || a.data.buffer !== buf || b.data.buffer !== buf || (bias !== undefined && bias.buffer !== buf)) {
      this.fallbacks++;
      js.matmulNT(out, a, b, bias);
      return;
    }
    const k = a.cols;
    this.x.gemm(out.data.byteOffset, a.rows, b.rows, k, a.data.byteOffset, k, 0, b.data.byteOffset, k, 0,
      bias === undefined ? 0 : bias.byteOffset, 1);
  }

  matmulNN(out: Matrix, a: Matrix, b: Matrix): void {
    const buf = this.buffer;
    if (out.data.buffer !== buf || a.data.buffer !== buf || b.data.buffer !== buf) {
      this.fallbacks++;
      js.matmulNN(out, a, b);
      return;
    }
    this.x.gemm(out.data.byteOffset, a.rows, b.cols, a.cols, a.data.byteOffset, a.cols, 0, b.data.byteOffset, b.cols, 1, 0, 1);
  }

  matmulTN(out: Matrix, a: Matrix, b: Matrix, scale = 1): void {
    const buf = this.buffer;
    if (out.data.buffer !== buf || a.data.buffer !== buf || b.data.buffer !== buf) {
      this.fallbacks++;
      js.matmulTN(out, a, b, scale);
      return;
    }
    this.x.gemm(out.data.byteOffset, a.cols, b.cols, a.rows, a.data.byteOffset, a.cols, 1, b.data.byteOffset, b.cols, 1, 0, scale);
  }

  columnSums(out: Float64Array, a: Matrix, scale = 1): void {
    const buf = this.buffer;
    if (out.buffer !== buf || a.data.buffer !== buf) {
      this.fallbacks++;
      js.columnSums(out, a, scale);
      return;
    }
    this.x.columnSums(out.byteOffset, a.data.byteOffset, a.rows, a.cols, scale);
  }

  gatherRows(out: Matrix, src: Matrix, order: Uint32Array, start: number): void {
    const buf = this.buffer;
    if (out.data.buffer !== buf || src.data.buffer !== buf || order.buffer !== buf) {
      // Training data that got no room in the arena stays in JavaScript memory: copying it into
      // the arena's batch is the expected path then, not a fallback. Only an `out` outside counts.
      if (out.data.buffer !== buf) this.fallbacks++;
      js.gatherRows(out, src, order, start);
      return;
    }
    this.x.gatherRows(out.data.byteOffset, src.data.byteOffset, order.byteOffset + 4 * start, out.rows, src.cols);
  }

  sgdUpdate(values: Float64Array, grads: Float64Array, learningRate: number, weightDecay: number, backup?: Float64Array): boolean {
    const buf = this.buffer;
    if (values.buffer !== buf || grads.buffer !== buf || (backup !== undefined && backup.buffer !== buf)) {
      this.fallbacks++;
      return js.sgdUpdate(values, grads, learningRate, weightDecay, backup);
    }
    // The pairs in wasm; an odd last element through the same loop in JavaScript (same bits).
    const n = values.length;
    const ok = this.x.sgd(values.byteOffset, grads.byteOffset, backup === undefined ? 0 : backup.byteOffset, n, learningRate, weightDecay) === 1;
    return (n & 1) === 0 ? ok : js.sgdUpdate(values, grads, learningRate, weightDecay, backup, n - 1) && ok;
  }

  sgdUpdateNoDecay(values: Float64Array, grads: Float64Array, learningRate: number, backup?: Float64Array): boolean {
    const buf = this.buffer;
    if (values.buffer !== buf || grads.buffer !== buf || (backup !== undefined && backup.buffer !== buf)) {
      this.fallbacks++;
      return js.sgdUpdateNoDecay(values, grads, learningRate, backup);
    }
    const n = values.length;
    const ok = this.x.sgdNoDecay(values.byteOffset, grads.byteOffset, backup === undefined ? 0 : backup.byteOffset, n, learningRate) === 1;
    return (n & 1) === 0 ? ok : js.sgdUpdateNoDecay(values, grads, learningRate, backup, n - 1) && ok;
  }

  adamUpdate(
    values: Float64Array, grads: Float64Array, m: Float64Array, v: Float64Array,
    oldValues: Float64Array, oldM: Float64Array, oldV: Float64Array,
    beta1: number, beta2: number, oneMinusBeta1: number, oneMinusBeta2: number,
    stepSize: number, c2Root: number, epsilon: number, decay: number,
  ): boolean {
    const buf = this.buffer;
    if (values.buffer !== buf || grads.buffer !== buf || m.buffer !== buf || v.buffer !== buf ||
      oldValues.buffer !== buf || oldM.buffer !== buf || oldV.buffer !== buf) {
      this.fallbacks++;
      return js.adamUpdate(values, grads, m, v, oldValues, oldM, oldV, beta1, beta2, oneMinusBeta1, oneMinusBeta2, stepSize, c2Root, epsilon, decay);
    }
    // The pairs in wasm; an odd last element through the same loop in JavaScript (same bits).
    const n = values.length, pairs = n & ~1;
    const ok = this.x.adam(values.byteOffset, grads.byteOffset, m.byteOffset, v.byteOffset, oldValues.byteOffset, oldM.byteOffset, oldV.byteOffset,
      pairs, beta1, beta2, oneMinusBeta1, oneMinusBeta2, stepSize, c2Root, epsilon, decay) === 1;
    if (pairs === n) return ok;
    return js.adamUpdate(values, grads, m, v, oldValues, oldM, oldV, beta1, beta2, oneMinusBeta1, oneMinusBeta2, stepSize, c2Root, epsilon, decay, pairs) && ok;
  }

  momentumUpdate(
    values: Float64Array, grads: Float64Array, velocity: Float64Array, oldValues: Float64Array, oldVelocity: Float64Array,
    learningRate: number, momentum: number, nesterov: boolean, first: boolean, decay: number,
  ): boolean {
    const buf = this.buffer;
    if (values.buffer !== buf || grads.buffer !== buf || velocity.buffer !== buf || oldValues.buffer !== buf || oldVelocity.buffer !== buf) {
      this.fallbacks++;
      return js.momentumUpdate(values, grads, velocity, oldValues, oldVelocity, learningRate, momentum, nesterov, first, decay);
    }
    // The pairs in wasm; an odd last element through the same loop in JavaScript (same bits).
    const n = values.length, pairs = n & ~1;
    const ok = this.x.momentum(values.byteOffset, grads.byteOffset, velocity.byteOffset, oldValues.byteOffset, oldVelocity.byteOffset,
      pairs, learningRate, momentum, nesterov ? 1 : 0, first ? 1 : 0, decay) === 1;
    if (pairs === n) return ok;
    return js.momentumUpdate(values, grads, velocity, oldValues, oldVelocity, learningRate, momentum, nesterov, first, decay, pairs) && ok;
  }

  rmspropUpdate(
    values: Float64Array, grads: Float64Array, square: Float64Array, buffer: Float64Array,
    oldValues: Float64Array, oldSquare: Float64Array, oldBuffer: Float64Array,
    learningRate: number, rho: number, oneMinusRho: number, epsilon: number, momentum: number, decay: number,
  ): boolean {
    const buf = this.buffer;
    // buffer and oldBuffer only count with momentum (they are empty without)
    if (values.buffer !== buf || grads.buffer !== buf || square.buffer !== buf || oldValues.buffer !== buf || oldSquare.buffer !== buf ||
      (momentum > 0 && (buffer.buffer !== buf || oldBuffer.buffer !== buf))) {
      this.fallbacks++;
      return js.rmspropUpdate(values, grads, square, buffer, oldValues, oldSquare, oldBuffer, learningRate, rho, oneMinusRho, epsilon, momentum, decay);
    }
    const n = values.length, pairs = n & ~1;
    const b = momentum > 0 ? buffer.byteOffset : 0, oldB = momentum > 0 ? oldBuffer.byteOffset : 0;
    const ok = this.x.rmsprop(values.byteOffset, grads.byteOffset, square.byteOffset, b, oldValues.byteOffset, oldSquare.byteOffset, oldB,
      pairs, learningRate, rho, oneMinusRho, epsilon, momentum, decay) === 1;
    if (pairs === n) return ok;
    return js.rmspropUpdate(values, grads, square, buffer, oldValues, oldSquare, oldBuffer, learningRate, rho, oneMinusRho, epsilon, momentum, decay, pairs) && ok;
  }

  reluForward(out: Float64Array, a: Float64Array): void {
    if (out.buffer !== this.buffer || a.buffer !== this.buffer) {
      this.fallbacks++;
      js.reluForward(out, a);
      return;
    }
    this.x.relu(out.byteOffset, out.length, a.byteOffset);
  }

  reluBackward(out: Float64Array, dZ: Float64Array, a: Float64Array): void {
    const buf = this.buffer;
    if (out.buffer !== buf || dZ.buffer !== buf || a.buffer !== buf) {
      this.fallbacks++;
      js.reluBackward(out, dZ, a);
      return;
    }
    this.x.reluBackward(out.byteOffset, out.length, dZ.byteOffset, a.byteOffset);
  }

  leakyReluForward(out: Float64Array, a: Float64Array, slope: number): void {
    if (out.buffer !== this.buffer || a.buffer !== this.buffer) {
      this.fallbacks++;
      js.leakyReluForward(out, a, slope);
      return;
    }
    this.x.leakyRelu(out.byteOffset, out.length, a.byteOffset, slope);
  }

  leakyReluBackward(out: Float64Array, dZ: Float64Array, a: Float64Array, slope: number): void {
    const buf = this.buffer;
    if (out.buffer !== buf || dZ.buffer !== buf || a.buffer !== buf) {
      this.fallbacks++;
      js.leakyReluBackward(out, dZ, a, slope);
      return;
    }
    this.x.leakyReluBackward(out.byteOffset, out.length, dZ.byteOffset, a.byteOffset, slope);
  }
}

/** An arena of `float64Count` slots in new instances of the compiled modules, on one memory. */
export function createWasmArena(modules: readonly [object, object], float64Count: number): Arena {
  const pages = Math.max(1, Math.ceil((HEAP_BASE + float64Count * 8) / PAGE));
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
  const imports = { env: { memory } };
  const exports = { ...(new WebAssembly.Instance(modules[0], imports).exports as object), ...(new WebAssembly.Instance(modules[1], imports).exports as object) };
  const buffer = memory.buffer;
  const kernels = new WasmKernels(exports as Exports, buffer);
  // grow(0) detaches the old buffer (and every view of it) without changing the memory's size
  return new Arena('wasm', buffer, HEAP_BASE, float64Count, kernels, () => void memory.grow(0));
}
