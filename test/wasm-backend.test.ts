/**
 * The WebAssembly backend around the kernels: the generated module is what the generator makes,
 * the backend switch picks wasm when it can and falls back silently when it cannot, and arenas
 * keep their promises (fixed size, zero-filled views, detached on dispose).
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { generate } from '../scripts/gen-wasm.mjs';
import { DeltapropError } from '../src/core/errors.js';
import { Matrix } from '../src/core/matrix.js';
import { createArena, getBackend, setBackend } from '../src/kernels/index.js';
import * as js from '../src/kernels/js.js';
import { decodeBase64 } from '../src/kernels/wasm.js';
import { HEAP_BASE, WASM_BASE64, WASM_OPTIM_BASE64, WASM_OPTIM_SIZE, WASM_SIZE } from '../src/kernels/wasm-bytes.js';
import { kernelScenario } from './helpers/kernel-scenario.js';

const read = (path: string): string => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

describe('the generated module', () => {
  it('is exactly what scripts/gen-wasm.mjs makes (bytes and review text)', async () => {
    const { wat, optimWat, ts, bytes, optimBytes } = await generate();
    expect(read('src/kernels/wasm-bytes.ts')).toBe(ts);
    expect(read('src/kernels/wasm-kernels.wat')).toBe(wat);
    expect(read('src/kernels/wasm-optim.wat')).toBe(optimWat);
    expect(Array.from(decodeBase64(WASM_BASE64))).toEqual(Array.from(bytes));
    expect(Array.from(decodeBase64(WASM_OPTIM_BASE64))).toEqual(Array.from(optimBytes));
    expect(bytes.length).toBe(WASM_SIZE);
    expect(optimBytes.length).toBe(WASM_OPTIM_SIZE);
  });

  it('uses plain SIMD multiplies and adds: no fused multiply-add, no relaxed SIMD', () => {
    for (const file of ['src/kernels/wasm-kernels.wat', 'src/kernels/wasm-optim.wat']) {
      const wat = read(file);
      expect(wat).toMatch(/f64x2\.mul/);
      expect(wat).not.toMatch(/relaxed|madd|fma|nmadd/);
    }
    // each under 4 KB: some engines refuse to compile larger modules synchronously on a page's main thread
    expect(WASM_SIZE).toBeLessThan(4096);
    expect(WASM_OPTIM_SIZE).toBeLessThan(4096);
  });

  it('decodeBase64 reads what Node encodes', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 255]) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + 11) & 0xff);
      expect(Array.from(decodeBase64(Buffer.from(bytes).toString('base64')))).toEqual(Array.from(bytes));
    }
  });
});

describe('the backend switch', () => {
  afterEach(() => setBackend('auto'));

  it('auto picks wasm here; js can be forced; arenas follow the backend of the moment', () => {
    expect(getBackend()).toBe('wasm');
    expect(createArena(4).backend).toBe('wasm');
    setBackend('js');
    expect(getBackend()).toBe('js');
    const a = createArena(4);
    expect(a.backend).toBe('js');
    expect(a.kernels.matmulNT === js.matmulNT).toBe(true); // the very JavaScript kernels
    setBackend('wasm');
    expect(getBackend()).toBe('wasm');
    expect(createArena(4, 'js').backend).toBe('js');
  });

  it('rejects anything but auto, wasm and js', () => {
    expect(() => setBackend('gpu' as 'js')).toThrow(DeltapropError);
    expect(() => setBackend('gpu' as 'js')).toThrow(/setBackend: argument "backend" must be 'auto', 'wasm' or 'js', got "gpu"/);
    expect(getBackend()).toBe('wasm');
  });

  it('every kernel on a fixed seed: both backends give the same hash of the bits (the browser test checks Chromium against it)', () => {
    const wasm = kernelScenario('wasm'), jsRun = kernelScenario('js');
    expect(wasm.backend).toBe('wasm');
    expect(wasm.fallbacks).toBe(0);
    expect(jsRun.backend).toBe('js');
    expect(wasm.hash).toBe(jsRun.hash);
  });

  it('both backends return the same bits', () => {
    const w = createArena(100, 'wasm'), j = createArena(100, 'js');
    const results = [w, j].map((ar) => {
      const a = ar.takeMatrix(5, 7), b = ar.takeMatrix(3, 7), out = ar.takeMatrix(5, 3);
      for (let i = 0; i < a.data.length; i++) a.data[i] = Math.sin(i + 1) * 10 ** (i % 7);
      for (let i = 0; i < b.data.length; i++) b.data[i] = Math.cos(i + 2);
      ar.kernels.matmulNT(out, a, b);
      return out.data;
    });
    expect(Buffer.from(results[0]!.buffer, results[0]!.byteOffset, 120)).toEqual(Buffer.from(results[1]!.buffer, results[1]!.byteOffset, 120));
  });
});

describe('falling back to the JavaScript kernels when WebAssembly cannot be used', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
    vi.resetModules();
  });

  const real = WebAssembly;
  const cases: [string, unknown, RegExp][] = [
    ['a page whose CSP forbids compiling (new WebAssembly.Module throws)', {
      ...real,
      validate: real.validate,
      Module: function Module() {
        throw new real.CompileError("WebAssembly.Module(): Refused to compile or instantiate WebAssembly module because 'wasm-unsafe-eval' is not an allowed source");
      },
    }, /cannot compile here.*wasm-unsafe-eval/],
    ['an engine without SIMD (the module does not validate)', { ...real, validate: () => false, Module: real.Module }, /SIMD is not supported/],
    ['an engine without WebAssembly', undefined, /WebAssembly is not available/],
  ];

  for (const [what, fake, reason] of cases) {
    it(`${what}: auto is js, silently; wasm is refused with the reason`, async () => {
      const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) => vi.spyOn(console, m));
      vi.stubGlobal('WebAssembly', fake);
      vi.resetModules();
      const k = await import('../src/kernels/index.js');
      expect(k.getBackend()).toBe('js');
      const ar = k.createArena(30);
      expect(ar.backend).toBe('js');
      const a = ar.takeMatrix(2, 3), b = ar.takeMatrix(4, 3), out = ar.takeMatrix(2, 4);
      a.data.set([1, 2, 3, 4, 5, 6]);
      b.data.set([1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1]);
      ar.kernels.matmulNT(out, a, b);
      expect(Array.from(out.data)).toEqual([1, 2, 3, 6, 4, 5, 6, 15]);
      expect(() => k.setBackend('wasm')).toThrow(reason);
      expect(() => k.createArena(4, 'wasm')).toThrow(reason);
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    });
  }
});

describe('arenas', () => {
  for (const backend of ['wasm', 'js'] as const) {
    it(`${backend}: views are zero-filled, disjoint, in one buffer; the capacity is exact`, () => {
      const ar = createArena(10, backend);
      expect(ar.capacity).toBe(10);
      const x = ar.take(3), m = ar.takeMatrix(2, 2), idx = ar.takeIndices(3); // 3 + 4 + ⌈3/2⌉ = 9 slots
      expect(ar.used).toBe(9);
      expect([...x, ...m.data, ...idx]).toEqual(new Array(10).fill(0));
      x.fill(1);
      m.data.fill(2);
      idx.fill(3);
      expect(Array.from(x)).toEqual([1, 1, 1]);
      expect(Array.from(m.data)).toEqual([2, 2, 2, 2]);
      expect([ar.contains(x), ar.contains(m.data), ar.contains(idx), ar.contains(new Float64Array(1))]).toEqual([true, true, true, false]);
      expect(ar.take(1).length).toBe(1);
      expect(() => ar.take(1)).toThrow(/Arena.take: 1 float64 slots requested but only 0 of 10 are left/);
      expect(() => createArena(-1, backend)).toThrow(DeltapropError);
      expect(() => ar.take(1.5)).toThrow(DeltapropError);
      if (backend === 'wasm') expect(x.byteOffset).toBe(HEAP_BASE);
    });
  }

  it('wasm: dispose detaches every view taken from the arena, so stale data cannot pass for live', () => {
    const ar = createArena(16, 'wasm');
    const w = new Matrix(2, 2, ar.take(4));
    w.data.set([1, 2, 3, 4]);
    const sub = w.data.subarray(1, 3);
    ar.dispose();
    expect(w.data.length).toBe(0);
    expect(sub.length).toBe(0);
    expect(w.data[0]).toBeUndefined();
    expect(() => ar.take(1)).toThrow(/Arena.take: the arena was disposed/);
    ar.dispose(); // twice is harmless
  });

  it('wasm: the memory is sized up front and never grows (a view taken first stays valid to the end)', () => {
    const ar = createArena(100_000, 'wasm');
    const first = ar.take(10);
    first.fill(5);
    for (let i = 0; i < 8; i++) ar.take(10_000);
    const big = ar.takeMatrix(30, 300), bT = ar.takeMatrix(20, 300), out = ar.takeMatrix(30, 20);
    ar.kernels.matmulNT(out, big, bT);
    expect(first.length).toBe(10);
    expect(Array.from(first)).toEqual(new Array(10).fill(5));
    expect(ar.fallbacks).toBe(0);
  });
});
