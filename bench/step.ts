/**
 * Training batches through the kernels alone, on each backend: what the wasm kernels can give a
 * whole batch once Params and workspaces live in an arena (the wiring of the training engine is
 * not used here). One arena per backend holds the parameters, their gradients and every buffer;
 * the training data stays in JavaScript memory and is gathered into the batch.
 *
 *   npx tsx bench/step.ts
 *
 * Per batch: gather, forward (NT + bias, relu; softmax in JS), Δ = Z − Y, backward (TN, column
 * sums, NN, relu backward), SGD update. Random data; both backends must end with the same weights
 * hash, and the median time per batch over repetitions is reported.
 */
import { pathToFileURL } from 'node:url';
import { exp } from '../src/core/math.js';
import { Matrix } from '../src/core/matrix.js';
import { Random } from '../src/core/random.js';
import { type Backend, createArena } from '../src/kernels/index.js';

interface Layer { W: Matrix; b: Float64Array; dW: Matrix; db: Float64Array; A: Matrix; Z: Matrix; D: Matrix }

function setup(backend: Backend, sizes: number[], batch: number, samples: number) {
  const rng = new Random(3);
  const X = new Matrix(samples, sizes[0]!), Y = new Matrix(samples, sizes[sizes.length - 1]!);
  for (let i = 0; i < X.data.length; i++) X.data[i] = rng.uniform(0, 1);
  for (let i = 0; i < samples; i++) Y.data[i * Y.cols + Math.floor(rng.uniform(0, Y.cols))] = 1;
  let params = 0, buffers = batch * (sizes[0]! + sizes[sizes.length - 1]!);
  for (let n = 1; n < sizes.length; n++) {
    params += sizes[n]! * sizes[n - 1]! + sizes[n]!;
    buffers += 3 * batch * sizes[n]!;
  }
  const arena = createArena(2 * params + buffers + Math.ceil(samples / 2), backend);
  const values = arena.take(params), grads = arena.take(params);
  const layers: Layer[] = [];
  let off = 0;
  for (let n = 1; n < sizes.length; n++) {
    const out = sizes[n]!, inp = sizes[n - 1]!;
    const W = new Matrix(out, inp, values.subarray(off, off + out * inp));
    const dW = new Matrix(out, inp, grads.subarray(off, off + out * inp));
    off += out * inp;
    const b = values.subarray(off, off + out), db = grads.subarray(off, off + out);
    off += out;
    const limit = Math.sqrt(6 / inp);
    for (let i = 0; i < W.data.length; i++) W.data[i] = rng.uniform(-limit, limit);
    layers.push({ W, b, dW, db, A: arena.takeMatrix(batch, out), Z: arena.takeMatrix(batch, out), D: arena.takeMatrix(batch, out) });
  }
  const xb = arena.takeMatrix(batch, sizes[0]!), yb = arena.takeMatrix(batch, Y.cols);
  const order = arena.takeIndices(samples);
  for (let i = 0; i < samples; i++) order[i] = (i * 7919) % samples;
  return { arena, X, Y, xb, yb, order, layers, values, batch };
}

type Setup = ReturnType<typeof setup>;

function step(s: Setup, start: number, lr: number): void {
  const k = s.arena.kernels, L = s.layers, last = L.length - 1;
  k.gatherRows(s.xb, s.X, s.order, start);
  k.gatherRows(s.yb, s.Y, s.order, start);
  let input = s.xb;
  for (let n = 0; n <= last; n++) {
    const l = L[n]!;
    k.matmulNT(l.A, input, l.W, l.b);
    if (n < last) k.reluForward(l.Z.data, l.A.data);
    input = l.Z;
  }
  // softmax rows, then the fused Δ = Z − Y of softmax + categorical cross-entropy
  const out = L[last]!, cols = out.A.cols, A = out.A.data, Z = out.Z.data, D = out.D.data, T = s.yb.data;
  for (let r = 0; r < s.batch; r++) {
    const o = r * cols;
    let max = A[o]!;
    for (let j = 1; j < cols; j++) if (A[o + j]! > max) max = A[o + j]!;
    let sum = 0;
    for (let j = 0; j < cols; j++) sum += Z[o + j] = exp(A[o + j]! - max);
    for (let j = 0; j < cols; j++) {
      Z[o + j] = Z[o + j]! / sum;
      D[o + j] = Z[o + j]! - T[o + j]!;
    }
  }
  const scale = 1 / s.batch;
  for (let n = last; n >= 0; n--) {
    const l = L[n]!, below = n === 0 ? s.xb : L[n - 1]!.Z;
    k.matmulTN(l.dW, l.D, below, scale);
    k.columnSums(l.db, l.D, scale);
    if (n > 0) {
      const lb = L[n - 1]!;
      k.matmulNN(lb.D, l.D, l.W);
      k.reluBackward(lb.D.data, lb.D.data, lb.A.data);
    }
  }
  for (const l of L) {
    k.sgdUpdate(l.W.data, l.dW.data, lr, 0);
    k.sgdUpdateNoDecay(l.b, l.db, lr);
  }
}

function hash(values: Float64Array): string {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[s.length >> 1]! : (s[(s.length >> 1) - 1]! + s[s.length >> 1]!) / 2;
}

export function benchSteps(sizes: number[], batch: number, batchesPerRep: number, reps: number) {
  const samples = batch * batchesPerRep;
  const runs = (['js', 'wasm'] as const).map((b) => ({ backend: b, s: setup(b, sizes, batch, samples), ms: [] as number[] }));
  for (let r = 0; r < reps + 1; r++) {
    for (const run of runs) {
      const t0 = performance.now();
      for (let i = 0; i < batchesPerRep; i++) step(run.s, i * batch, 0.05);
      if (r > 0) run.ms.push((performance.now() - t0) / batchesPerRep); // repetition 0 warms up
    }
  }
  return runs.map((run) => ({
    backend: run.backend,
    msPerBatch: median(run.ms),
    samplesPerSecond: (batch * 1000) / median(run.ms),
    hash: hash(run.s.values),
    fallbacks: run.s.arena.fallbacks,
  }));
}

function main(): void {
  console.log(`deltaprop: batches through the kernels alone, Node ${process.version} (median of repetitions)`);
  for (const [label, sizes, batch, perRep, reps] of [
    ['standard 784-128-10, batch 32', [784, 128, 10], 32, 50, 9],
    ['wide 784-512-512-10, batch 128', [784, 512, 512, 10], 128, 6, 9],
  ] as const) {
    const [jsRun, wasmRun] = benchSteps([...sizes], batch, perRep, reps);
    console.log(`\n${label}`);
    for (const r of [jsRun!, wasmRun!]) {
      console.log(`  ${r.backend.padEnd(5)} ${r.msPerBatch.toFixed(3).padStart(8)} ms/batch ${Math.round(r.samplesPerSecond).toString().padStart(8)} samples/s   weights ${r.hash}   fallbacks ${r.fallbacks}`);
    }
    console.log(`  wasm / js: ${(jsRun!.msPerBatch / wasmRun!.msPerBatch).toFixed(2)}× samples/s; same weights: ${jsRun!.hash === wasmRun!.hash}`);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
