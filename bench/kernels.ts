/**
 * GFLOP/s of the three training products on both backends (the JavaScript kernel, the
 * WebAssembly SIMD kernel) and the naive reference, at the shapes one batch produces:
 *   standard  batch 32 through 784-128-10
 *   wide      batch 128 through 784-512-512-10 (the naive reference is skipped here: too slow)
 *
 *   npx tsx bench/kernels.ts            both workloads
 *   npx tsx bench/kernels.ts standard   one of them
 *
 * A product of an m × k and a k × n matrix counts 2·m·n·k flops. Each kernel is warmed up, then
 * timed in repetitions of at least MIN_REP_MS; the kernels' repetitions alternate so that load
 * from other processes falls on all of them, and the median repetition is reported. The wasm
 * kernels run on operands in one arena (WebAssembly memory), as training will.
 */
import { pathToFileURL } from 'node:url';
import {
  matmulNN, matmulNNNaive, matmulNT, matmulNTNaive, matmulTN, matmulTNNaive,
} from '../src/kernels/js.js';
import { type Arena, createArena } from '../src/kernels/index.js';
import { Matrix } from '../src/core/matrix.js';
import { Random } from '../src/core/random.js';

export type Workload = 'standard' | 'wide';

export interface KernelBench {
  workload: Workload;
  name: string;
  shape: string;
  /** Median repetition of the JavaScript kernel. */
  gflopsFast: number;
  /** Median repetition of the WebAssembly kernel. */
  gflopsWasm: number;
  /** Median repetition of the naive reference (NaN when skipped). */
  gflopsNaive: number;
  /** Fastest repetitions: what the kernels do when nothing else competes for the core. */
  gflopsFastBest: number;
  gflopsWasmBest: number;
  gflopsNaiveBest: number;
}

const WARMUP_MS = 150;
const MIN_REP_MS = 15;
const REPS = 15;

interface Case {
  name: string;
  shape: string;
  flops: number;
  fast: () => void;
  wasm: () => void;
  naive: (() => void) | undefined;
}

function randomMatrix(rng: Random, rows: number, cols: number): Matrix {
  const m = new Matrix(rows, cols);
  for (let i = 0; i < m.data.length; i++) m.data[i] = rng.uniform(-1, 1);
  return m;
}

/** A copy of `m` in the arena. */
function into(arena: Arena, m: Matrix): Matrix {
  const c = arena.takeMatrix(m.rows, m.cols);
  c.data.set(m.data);
  return c;
}

/** Float64 slots the wasm operands of a product take: a, b, out and a bias. */
const slots = (m: number, k: number, n: number): number => m * k + k * n + m * n + n;

/** out (m × n) = a (m × k) · bᵀ (b: n × k) + bias. */
function ntCase(rng: Random, m: number, k: number, n: number, withNaive: boolean): Case {
  const a = randomMatrix(rng, m, k), b = randomMatrix(rng, n, k), out = new Matrix(m, n);
  const bias = randomMatrix(rng, 1, n).data;
  const ar = createArena(slots(m, k, n), 'wasm');
  const wa = into(ar, a), wb = into(ar, b), wo = ar.takeMatrix(m, n), wbias = into(ar, new Matrix(1, n, bias)).data;
  return {
    name: 'NT', shape: `${m}×${k} · (${n}×${k})ᵀ`, flops: 2 * m * n * k,
    fast: () => matmulNT(out, a, b, bias),
    wasm: () => ar.kernels.matmulNT(wo, wa, wb, wbias),
    naive: withNaive ? () => matmulNTNaive(out, a, b, bias) : undefined,
  };
}

/** out (m × n) = a (m × k) · b (k × n). */
function nnCase(rng: Random, m: number, k: number, n: number, withNaive: boolean): Case {
  const a = randomMatrix(rng, m, k), b = randomMatrix(rng, k, n), out = new Matrix(m, n);
  const ar = createArena(slots(m, k, n), 'wasm');
  const wa = into(ar, a), wb = into(ar, b), wo = ar.takeMatrix(m, n);
  return {
    name: 'NN', shape: `${m}×${k} · ${k}×${n}`, flops: 2 * m * n * k,
    fast: () => matmulNN(out, a, b),
    wasm: () => ar.kernels.matmulNN(wo, wa, wb),
    naive: withNaive ? () => matmulNNNaive(out, a, b) : undefined,
  };
}

/** out (m × n) = scale · aᵀ (a: k × m) · b (k × n). */
function tnCase(rng: Random, k: number, m: number, n: number, withNaive: boolean): Case {
  const a = randomMatrix(rng, k, m), b = randomMatrix(rng, k, n), out = new Matrix(m, n);
  const ar = createArena(slots(m, k, n), 'wasm');
  const wa = into(ar, a), wb = into(ar, b), wo = ar.takeMatrix(m, n);
  return {
    name: 'TN', shape: `(${k}×${m})ᵀ · ${k}×${n}`, flops: 2 * m * n * k,
    fast: () => matmulTN(out, a, b, 1 / k),
    wasm: () => ar.kernels.matmulTN(wo, wa, wb, 1 / k),
    naive: withNaive ? () => matmulTNNaive(out, a, b, 1 / k) : undefined,
  };
}

/** The products of one training batch (no δ for the input layer: training never computes it). */
function cases(workload: Workload): Case[] {
  const rng = new Random(2024);
  if (workload === 'standard') {
    return [
      ntCase(rng, 32, 784, 128, true), // forward, hidden layer
      ntCase(rng, 32, 128, 10, true), // forward, output layer
      nnCase(rng, 32, 10, 128, true), // delta, output → hidden
      nnCase(rng, 32, 128, 784, true), // delta, hidden → input (not needed in training; the largest NN)
      tnCase(rng, 32, 128, 784, true), // weight gradient, hidden layer
      tnCase(rng, 32, 10, 128, true), // weight gradient, output layer
    ];
  }
  return [
    ntCase(rng, 128, 784, 512, false), // forward, hidden layer 1
    ntCase(rng, 128, 512, 512, false), // forward, hidden layer 2
    ntCase(rng, 128, 512, 10, false), // forward, output layer
    nnCase(rng, 128, 10, 512, false), // delta, output → hidden 2
    nnCase(rng, 128, 512, 512, false), // delta, hidden 2 → hidden 1
    tnCase(rng, 128, 512, 784, false), // weight gradient, hidden layer 1
    tnCase(rng, 128, 512, 512, false), // weight gradient, hidden layer 2
    tnCase(rng, 128, 10, 512, false), // weight gradient, output layer
  ];
}

/** Calls per repetition so that one repetition lasts at least MIN_REP_MS. */
function callsPerRep(fn: () => void): number {
  const start = performance.now();
  let calls = 0;
  while (performance.now() - start < WARMUP_MS) {
    fn();
    calls++;
  }
  const msPerCall = (performance.now() - start) / calls;
  return Math.max(1, Math.ceil(MIN_REP_MS / msPerCall));
}

function timeRep(fn: () => void, calls: number): number {
  const start = performance.now();
  for (let c = 0; c < calls; c++) fn();
  return (performance.now() - start) / calls;
}

function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function benchKernels(workloads: readonly Workload[] = ['standard']): KernelBench[] {
  const results: KernelBench[] = [];
  for (const workload of workloads) {
    for (const c of cases(workload)) {
      const fns = [c.fast, c.wasm, ...(c.naive === undefined ? [] : [c.naive])];
      const calls = fns.map(callsPerRep);
      const ms: number[][] = fns.map(() => []);
      for (let r = 0; r < REPS; r++) fns.forEach((fn, i) => ms[i]!.push(timeRep(fn, calls[i]!)));
      const gflops = (t: number[] | undefined): number => (t === undefined ? Number.NaN : c.flops / (median(t) * 1e6));
      const best = (t: number[] | undefined): number => (t === undefined ? Number.NaN : c.flops / (Math.min(...t) * 1e6));
      results.push({
        workload,
        name: c.name,
        shape: c.shape,
        gflopsFast: gflops(ms[0]), gflopsWasm: gflops(ms[1]), gflopsNaive: gflops(ms[2]),
        gflopsFastBest: best(ms[0]), gflopsWasmBest: best(ms[1]), gflopsNaiveBest: best(ms[2]),
      });
    }
  }
  return results;
}

export interface LinearBench {
  name: string;
  size: string;
  /** Median µs per call, JavaScript and WebAssembly kernels. */
  usJs: number;
  usWasm: number;
}

/** The linear kernels of one batch of the standard workload, both backends, operands in arenas. */
export function benchLinear(): LinearBench[] {
  const P = 784 * 128 + 128 + 128 * 10 + 10; // parameters of 784-128-10
  const make = (backend: 'js' | 'wasm') => {
    const ar = createArena(9 * P + 4 * 32 * 128 + 8000 * 2, backend);
    const rng = new Random(9);
    const w = ar.take(P), g = ar.take(P), backup = ar.take(P);
    // optimizer state: a velocity or first moment, a square average, a buffer, and their saved copies
    const m = ar.take(P), v = ar.take(P), b = ar.take(P), old1 = ar.take(P), old2 = ar.take(P), old3 = ar.take(P);
    for (let i = 0; i < P; i++) { w[i] = rng.uniform(-1, 1); g[i] = rng.uniform(-1, 1) * 1e-3; }
    const a = ar.takeMatrix(32, 128), z = ar.takeMatrix(32, 128), d = ar.takeMatrix(32, 128), sums = ar.take(128);
    for (let i = 0; i < a.data.length; i++) { a.data[i] = rng.uniform(-1, 1); d.data[i] = rng.uniform(-1, 1); }
    const k = ar.kernels;
    return [
      ['sgdUpdate + backup', `${P} values`, () => void k.sgdUpdate(w, g, 1e-9, 0, backup)],
      ['momentumUpdate', `${P} values`, () => void k.momentumUpdate(w, g, m, backup, old1, 1e-9, 0.9, false, false, 0)],
      ['adamUpdate', `${P} values`, () => void k.adamUpdate(w, g, m, v, backup, old1, old2, 0.9, 0.999, 0.1, 0.001, 1e-9, 0.03, 1e-8, 0)],
      ['rmspropUpdate (μ 0.9)', `${P} values`, () => void k.rmspropUpdate(w, g, v, b, backup, old1, old3, 1e-9, 0.99, 0.01, 1e-8, 0.9, 0)],
      ['reluForward', '32 × 128', () => k.reluForward(z.data, a.data)],
      ['reluBackward', '32 × 128', () => k.reluBackward(z.data, d.data, a.data)],
      ['columnSums', '32 × 128', () => k.columnSums(sums, d, 1 / 32)],
    ] as const;
  };
  const js = make('js'), wasm = make('wasm');
  return js.map(([name, size, fjs], i) => {
    const fwasm = wasm[i]![2];
    const cj = callsPerRep(fjs), cw = callsPerRep(fwasm);
    const tj: number[] = [], tw: number[] = [];
    for (let r = 0; r < REPS; r++) { tj.push(timeRep(fjs, cj)); tw.push(timeRep(fwasm, cw)); }
    return { name, size, usJs: median(tj) * 1000, usWasm: median(tw) * 1000 };
  });
}

function main(): void {
  const arg = process.argv[2];
  const workloads: Workload[] = arg === 'standard' || arg === 'wide' ? [arg] : ['standard', 'wide'];
  console.log(`deltaprop kernels, Node ${process.version}: GFLOP/s, median of ${REPS} repetitions (best in brackets)`);
  const cell = (median: number, best: number): string =>
    (Number.isNaN(median) ? '—' : `${median.toFixed(2)} (${best.toFixed(2)})`).padStart(15);
  let last = '';
  for (const r of benchKernels(workloads)) {
    if (r.workload !== last) {
      last = r.workload;
      console.log(`\n${r.workload === 'standard' ? 'standard: batch 32, 784-128-10' : 'wide: batch 128, 784-512-512-10'}`);
      console.log(`${'product'.padEnd(8)}${'shape'.padEnd(28)}${'js'.padStart(15)}${'wasm'.padStart(15)}${'wasm/js'.padStart(9)}${'naive'.padStart(15)}`);
    }
    console.log(
      `${r.name.padEnd(8)}${r.shape.padEnd(28)}${cell(r.gflopsFast, r.gflopsFastBest)}${cell(r.gflopsWasm, r.gflopsWasmBest)}` +
        `${(r.gflopsWasm / r.gflopsFast).toFixed(2).padStart(8)}×${cell(r.gflopsNaive, r.gflopsNaiveBest)}`,
    );
  }
  console.log(`\nlinear kernels of one standard batch: µs per call, median`);
  console.log(`${'kernel'.padEnd(22)}${'size'.padEnd(16)}${'js'.padStart(10)}${'wasm'.padStart(10)}${'js/wasm'.padStart(9)}`);
  for (const r of benchLinear()) {
    console.log(`${r.name.padEnd(22)}${r.size.padEnd(16)}${r.usJs.toFixed(2).padStart(10)}${r.usWasm.toFixed(2).padStart(10)}${(r.usJs / r.usWasm).toFixed(1).padStart(8)}×`);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
