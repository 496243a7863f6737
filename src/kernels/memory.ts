/**
 * The one place where deltaprop allocates the float64 storage its kernels work on: parameter
 * stores, training workspaces and optimizer state. An allocation may name a `near` array: when
 * that array lives in an arena (../kernels/arena.ts) with room left, the new array is taken from
 * the same arena, so that the WebAssembly kernels can work on both; otherwise it is an ordinary
 * Float64Array. `kernelsFor(view)` gives the kernels of the arena a view lives in (the JavaScript
 * kernels for an ordinary array).
 */
import type { Arena, Kernels } from './arena.js';
import * as js from './js.js';

/** The JavaScript kernels, as one arena-independent object. */
export const jsKernels: Kernels & { readonly fallbacks: number } = {
  fallbacks: 0,
  matmulNT: js.matmulNT,
  matmulNN: js.matmulNN,
  matmulTN: js.matmulTN,
  columnSums: js.columnSums,
  gatherRows: js.gatherRows,
  sgdUpdate: js.sgdUpdate,
  sgdUpdateNoDecay: js.sgdUpdateNoDecay,
  adamUpdate: js.adamUpdate,
  momentumUpdate: js.momentumUpdate,
  rmspropUpdate: js.rmspropUpdate,
  reluForward: js.reluForward,
  reluBackward: js.reluBackward,
  leakyReluForward: js.leakyReluForward,
  leakyReluBackward: js.leakyReluBackward,
};

/** Every live arena by its memory. */
const arenas = new WeakMap<ArrayBufferLike, Arena>();

/** @internal Called once for each arena made (by createArena). */
export function registerArena(arena: Arena): void {
  arenas.set(arena.buffer, arena);
}

/** The arena `view` lives in, if any (undefined once that arena is disposed). */
export function arenaOf(view: ArrayBufferView): Arena | undefined {
  const arena = arenas.get(view.buffer);
  return arena !== undefined && !arena.disposed ? arena : undefined;
}

/** The kernels that work fastest on `view`: its arena's, or the JavaScript kernels. */
export function kernelsFor(view: ArrayBufferView): Kernels {
  return arenaOf(view)?.kernels ?? jsKernels;
}

/** `length` zero float64 values: in the arena of `near` when it has room, else a new Float64Array. */
export function allocateFloat64(length: number, near?: ArrayBufferView): Float64Array<ArrayBuffer> {
  if (near !== undefined) {
    const arena = arenaOf(near);
    if (arena !== undefined && arena.available >= length) return arena.take(length);
  }
  return new Float64Array(length);
}
