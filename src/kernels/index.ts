/**
 * The backend switch: which kernels the arenas made from now on use.
 *
 *   setBackend('auto')   the default: WebAssembly SIMD when it is available and compiling is
 *                        allowed, otherwise the JavaScript kernels, silently
 *   setBackend('wasm')   WebAssembly SIMD, or a DeltapropError saying why it is not available
 *   setBackend('js')     the JavaScript kernels
 *   getBackend()         'wasm' or 'js': what the next `createArena` will use
 *
 * Both backends return the same bits; the choice changes speed only. See ./arena.ts for arenas.
 */
import { DeltapropError, describe } from '../core/errors.js';
import { Arena, type Backend, type Kernels } from './arena.js';
import { jsKernels, registerArena } from './memory.js';
import { createWasmArena, wasmSupport } from './wasm.js';

export { Arena, jsKernels };
export type { Backend, Kernels };

let requested: Backend | 'auto' = 'auto';

export function setBackend(backend: Backend | 'auto'): void {
  if (backend !== 'auto' && backend !== 'wasm' && backend !== 'js') {
    throw new DeltapropError(`setBackend: argument "backend" must be 'auto', 'wasm' or 'js', got ${describe(backend)}`);
  }
  if (backend === 'wasm') {
    const s = wasmSupport();
    if (!s.ok) throw new DeltapropError(`setBackend: the 'wasm' backend is not available: ${s.reason}`);
  }
  requested = backend;
}

export function getBackend(): Backend {
  if (requested === 'auto') return wasmSupport().ok ? 'wasm' : 'js';
  return requested;
}


/**
 * An arena of `float64Count` float64 slots on the current backend (or the one given), with its
 * kernels. Its size never changes; see ./arena.ts for what may be taken from it.
 */
export function createArena(float64Count: number, backend: Backend = getBackend()): Arena {
  if (!Number.isSafeInteger(float64Count) || float64Count < 0 || float64Count > MAX_ARENA_SLOTS) {
    throw new DeltapropError(
      `createArena: argument "float64Count" must be an integer from 0 to ${MAX_ARENA_SLOTS}, got ${describe(float64Count)}`,
    );
  }
  if (backend === 'wasm') {
    const s = wasmSupport();
    if (!s.ok) throw new DeltapropError(`createArena: the 'wasm' backend is not available: ${s.reason}`);
    const arena = createWasmArena(s.modules, float64Count);
    registerArena(arena);
    return arena;
  }
  const arena = new Arena('js', new ArrayBuffer(float64Count * 8), 0, float64Count, jsKernels, () => undefined);
  registerArena(arena);
  return arena;
}

/** Most slots of one arena: a WebAssembly memory holds at most 4 GiB, scratch included. */
export const MAX_ARENA_SLOTS = 2 ** 29 - 2 ** 16;
