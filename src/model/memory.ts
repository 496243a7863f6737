/**
 * Where a network's parameter store lives (README, "Backends and memory").
 *
 * WebAssembly kernels only see their own instance's memory, and a WebAssembly memory cannot grow
 * without detaching every view of it. So, when the 'wasm' backend is active, making a Trainer
 * moves the network's store into a new arena sized once for everything the run needs:
 *
 *   θ and ∂h/∂θ (2P) · the batch workspaces {A, Z, δ, Y} · the validation workspace ·
 *   optimizer state (up to 6P) · a forward workspace of up to PREDICT_ROWS rows for `predict` ·
 *   the Trainer's own copies of the training x and y (so that each batch's gather runs in wasm)
 *
 * When the engine refuses a memory that large, the arena is made without the copies of x and y
 * (the Trainer then gathers its batches from JavaScript memory, in JavaScript); when it refuses
 * that too, the network stays where it is and trains on the JavaScript kernels. Same bits in all
 * three cases: the gather is a copy.
 *
 * The move happens in the Trainer's constructor, after every argument is checked, and only then:
 * θ is copied, `net.params.values` / `net.params.grads`, every `layer.weights.data` and every
 * `layer.biases` are replaced by views of the arena, and the old store is detached (its arena is
 * disposed, or a plain buffer is transferred away), so arrays taken from the network before the
 * move read as length 0 instead of silently holding old values. The `Params` and `Matrix`
 * objects stay the same. The network stays in that arena after training (prediction then runs on
 * the WebAssembly kernels too) until the next WebAssembly Trainer moves it again.
 * On the 'js' backend a network in WebAssembly memory moves back to plain arrays the same way
 * (so that the js backend runs the JavaScript kernels only); a plain store does not move.
 */
import { Matrix } from '../core/matrix.js';
import { createArena, getBackend, MAX_ARENA_SLOTS } from '../kernels/index.js';
import { arenaOf } from '../kernels/memory.js';
import type { Workspace } from './backprop.js';
import type { Dense } from './layer.js';
import type { Params } from './params.js';

/** Rows of the forward workspace kept free in a training arena for `predict`. */
export const PREDICT_ROWS = 256;
/** Float64 slots per parameter kept for optimizer state (Adam: m, v and three copies for undo). */
const OPTIMIZER_SLOTS = 6;

/** Float64 slots of `createWorkspace(input, layers, rows, withDeltas)`. */
export function workspaceSlots(input: number, layers: readonly Dense[], rows: number, withDeltas: boolean): number {
  let n = rows * input;
  for (const l of layers) n += rows * l.units * (withDeltas ? 3 : 2);
  return n + (withDeltas ? rows * layers[layers.length - 1]!.units : 0);
}

declare function structuredClone(value: unknown, options: { transfer: unknown[] }): unknown;

/** Whether a plain ArrayBuffer can be detached here (structuredClone with transfer). */
function canDetach(): boolean {
  return typeof structuredClone === 'function';
}

/**
 * On the 'wasm' backend, moves `net`'s store into a new arena with room for workspaces of the
 * given row counts (training batches with deltas, forward-only passes without) and for copies of
 * the `data` matrices (the Trainer's x and y), and returns those copies; where an old plain store
 * could not be detached, or the engine refuses the memory, it stays, and training runs on the
 * JavaScript kernels with the same bits. On the 'js' backend, moves a store that is in an arena
 * to plain arrays. Returns `data` itself (not copied) whenever the copies are not in an arena,
 * and a zero-filled Uint32Array of `indices` entries (the Trainer's sample order), in the arena
 * with the copies.
 */
export function moveForTraining(
  net: { readonly input: number; readonly layers: readonly Dense[]; readonly params: Params },
  trainingRows: readonly number[],
  forwardRows: readonly number[],
  data: readonly Matrix[] = [],
  indices = 0,
): { data: Matrix[]; indices: Uint32Array } {
  const inPlace = (): { data: Matrix[]; indices: Uint32Array } => ({ data: data.slice(), indices: new Uint32Array(indices) });
  const params = net.params, P = params.length;
  const old = arenaOf(params.values);
  if (getBackend() !== 'wasm') {
    if (old === undefined) return inPlace();
    const values = params.values.slice(), grads = params.grads.slice();
    repoint(net.layers, params, values, grads);
    old.dispose();
    return inPlace();
  }
  if (old === undefined && !canDetach()) return inPlace();
  let slots = 2 * P + OPTIMIZER_SLOTS * P;
  for (const r of trainingRows) slots += workspaceSlots(net.input, net.layers, r, true);
  for (const r of forwardRows) slots += workspaceSlots(net.input, net.layers, r, false);
  slots += workspaceSlots(net.input, net.layers, PREDICT_ROWS, false);
  let dataSlots = Math.ceil(indices / 2);
  for (const m of data) dataSlots += m.data.length;
  // The engine refused another memory (each reserves address space: V8 on x64 runs out near
  // 13,000 live ones, e.g. as many trained networks kept at once) or one this large: try without
  // the data, then train in place.
  const arena = (dataSlots > 0 ? tryArena(slots + dataSlots) : undefined) ?? tryArena(slots);
  if (arena === undefined) return inPlace();
  const values = arena.take(P), grads = arena.take(P);
  values.set(params.values);
  grads.set(params.grads);
  const before = [params.values.buffer, params.grads.buffer];
  repoint(net.layers, params, values, grads);
  if (old !== undefined) old.dispose();
  else detach(before);
  if (arena.capacity < slots + dataSlots) return inPlace();
  const copies = data.map((m) => {
    const copy = new Matrix(m.rows, m.cols, arena.take(m.data.length));
    copy.data.set(m.data);
    return copy;
  });
  return { data: copies, indices: arena.takeIndices(indices) };
}

/** A wasm arena of `slots` float64 slots, or undefined when the engine refuses the memory. */
function tryArena(slots: number): ReturnType<typeof createArena> | undefined {
  if (slots > MAX_ARENA_SLOTS) return undefined;
  try {
    return createArena(slots, 'wasm');
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}

/** Points the store and every layer's views at `values` and `grads`. */
function repoint(layers: readonly Dense[], params: Params, values: Float64Array, grads: Float64Array): void {
  const p = params as { values: Float64Array; grads: Float64Array };
  p.values = values;
  p.grads = grads;
  layers.forEach((layer, n) => {
    const w = params.segments[2 * n]!, b = params.segments[2 * n + 1]!;
    (layer.weights as { data: Float64Array }).data = values.subarray(w.offset, w.offset + w.length);
    (layer as { biases: Float64Array }).biases = values.subarray(b.offset, b.offset + b.length);
  });
}

/** Detaches plain buffers (every view of them reads as length 0 afterwards). */
function detach(buffers: readonly ArrayBufferLike[]): void {
  for (const b of new Set(buffers)) {
    if (b.byteLength > 0) structuredClone(b, { transfer: [b] });
  }
}

/**
 * Whether a cached forward workspace must be made again for `params`: its arrays were detached by
 * a move, or the store moved into an arena that has room for the workspace and it is outside.
 */
export function workspaceIsStale(ws: Workspace, params: Params): boolean {
  const z: Matrix = ws.activations[0]!;
  if (z.data.length !== z.rows * z.cols) return true;
  const arena = arenaOf(params.values);
  return arena !== undefined && !arena.contains(z.data) && z.rows <= PREDICT_ROWS && arena.available >= workspaceSlotsOf(ws);
}

function workspaceSlotsOf(ws: Workspace): number {
  let n = 0;
  for (const a of ws.activations) n += a.data.length;
  for (const s of ws.sums) n += s.data.length;
  return n;
}
