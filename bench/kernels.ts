/**
 * GFLOP/s of the three training products, fast kernel beside its naive reference, at the shapes
 * one batch of 32 MNIST samples through a 784-128-10 network produces.
 *
 *   npx tsx bench/kernels.ts
 *
 * A product of an m × k and a k × n matrix counts 2·m·n·k flops. Each kernel is warmed up, then
 * timed in repetitions of at least MIN_REP_MS; fast and naive repetitions alternate so that load
 * from other processes falls on both, and the median repetition is reported.
 */
import { pathToFileURL } from 'node:url';
import {
  matmulNN, matmulNNNaive, matmulNT, matmulNTNaive, matmulTN, matmulTNNaive,
} from '../src/kernels/js.js';
import { Matrix } from '../src/core/matrix.js';
import { Random } from '../src/core/random.js';

export interface KernelBench {
  name: string;
  shape: string;
  /** Median repetition. */
  gflopsFast: number;
  gflopsNaive: number;
  /** Fastest repetition: what the kernel does when nothing else competes for the core. */
  gflopsFastBest: number;
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
  naive: () => void;
}

function randomMatrix(rng: Random, rows: number, cols: number): Matrix {
  const m = new Matrix(rows, cols);
  for (let i = 0; i < m.data.length; i++) m.data[i] = rng.uniform(-1, 1);
  return m;
}

/** out (m × n) = a (m × k) · bᵀ (b: n × k) + bias. */
function ntCase(rng: Random, m: number, k: number, n: number): Case {
  const a = randomMatrix(rng, m, k), b = randomMatrix(rng, n, k), out = new Matrix(m, n);
  const bias = randomMatrix(rng, 1, n).data;
  return {
    name: 'NT', shape: `${m}×${k} · (${n}×${k})ᵀ`, flops: 2 * m * n * k,
    fast: () => matmulNT(out, a, b, bias), naive: () => matmulNTNaive(out, a, b, bias),
  };
}

/** out (m × n) = a (m × k) · b (k × n). */
function nnCase(rng: Random, m: number, k: number, n: number): Case {
  const a = randomMatrix(rng, m, k), b = randomMatrix(rng, k, n), out = new Matrix(m, n);
  return {
    name: 'NN', shape: `${m}×${k} · ${k}×${n}`, flops: 2 * m * n * k,
    fast: () => matmulNN(out, a, b), naive: () => matmulNNNaive(out, a, b),
  };
}

/** out (m × n) = scale · aᵀ (a: k × m) · b (k × n). */
function tnCase(rng: Random, k: number, m: number, n: number): Case {
  const a = randomMatrix(rng, k, m), b = randomMatrix(rng, k, n), out = new Matrix(m, n);
  return {
    name: 'TN', shape: `(${k}×${m})ᵀ · ${k}×${n}`, flops: 2 * m * n * k,
    fast: () => matmulTN(out, a, b, 1 / k), naive: () => matmulTNNaive(out, a, b, 1 / k),
  };
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
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function benchKernels(): KernelBench[] {
  const rng = new Random(2024);
  const cases = [
    ntCase(rng, 32, 784, 128), // forward, hidden layer
    ntCase(rng, 32, 128, 10), // forward, output layer
    nnCase(rng, 32, 10, 128), // delta, output → hidden
    nnCase(rng, 32, 128, 784), // delta, hidden → input (not needed in training; the largest NN)
    tnCase(rng, 32, 128, 784), // weight gradient, hidden layer
    tnCase(rng, 32, 10, 128), // weight gradient, output layer
  ];
  const results: KernelBench[] = [];
  for (const c of cases) {
    const fastCalls = callsPerRep(c.fast);
    const naiveCalls = callsPerRep(c.naive);
    const fastMs: number[] = [], naiveMs: number[] = [];
    for (let r = 0; r < REPS; r++) {
      fastMs.push(timeRep(c.fast, fastCalls));
      naiveMs.push(timeRep(c.naive, naiveCalls));
    }
    results.push({
      name: c.name,
      shape: c.shape,
      gflopsFast: c.flops / (median(fastMs) * 1e6),
      gflopsNaive: c.flops / (median(naiveMs) * 1e6),
      gflopsFastBest: c.flops / (Math.min(...fastMs) * 1e6),
      gflopsNaiveBest: c.flops / (Math.min(...naiveMs) * 1e6),
    });
  }
  return results;
}

function main(): void {
  console.log(`deltaprop kernels, Node ${process.version}: GFLOP/s, median of ${REPS} repetitions (best in brackets)`);
  console.log(`${'product'.padEnd(8)}${'shape'.padEnd(26)}${'fast'.padStart(15)}${'naive'.padStart(15)}${'speedup'.padStart(9)}`);
  const cell = (median: number, best: number): string => `${median.toFixed(2)} (${best.toFixed(2)})`.padStart(15);
  for (const r of benchKernels()) {
    console.log(
      `${r.name.padEnd(8)}${r.shape.padEnd(26)}${cell(r.gflopsFast, r.gflopsFastBest)}` +
        `${cell(r.gflopsNaive, r.gflopsNaiveBest)}${(r.gflopsFast / r.gflopsNaive).toFixed(1).padStart(8)}×`,
    );
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
