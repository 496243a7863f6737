/**
 * ns per call of deltaprop's portable elementary functions (src/math.ts) next to the engine's
 * Math.* versions, over large Float64Arrays of inputs in the ranges training uses.
 *
 *   npx tsx bench/math.ts
 *
 * Every loop is its own function calling one target directly, so each call site stays
 * monomorphic; each figure is the median of several timed passes after warm-up.
 */
import { exp, expm1, log, log1p, tanh } from '../src/core/math.js';
import { Random } from '../src/core/random.js';

const N = 1 << 20;
const REPS = 21;

function fill(gen: (rng: Random) => number, seed: number): Float64Array {
  const rng = new Random(seed);
  const xs = new Float64Array(N);
  for (let i = 0; i < N; i++) xs[i] = gen(rng);
  return xs;
}

// Inputs: activations and logits for exp/expm1/tanh, probabilities and positive values for
// log, exp(−|x|)-style arguments for log1p (softplus).
const expIn = fill((r) => r.uniform(-30, 30), 1);
const expm1In = fill((r) => r.uniform(-30, 30), 2);
const logIn = fill((r) => (r.next() < 0.5 ? r.uniform(1e-12, 1) : r.uniform(1, 1e6)), 3);
const log1pIn = fill((r) => (r.next() < 0.5 ? r.uniform(0, 1) : r.uniform(-0.9, 10)), 4);
const tanhIn = fill((r) => r.uniform(-6, 6), 5);

// One loop per target, so no call site sees two different callees.
function oursExp(xs: Float64Array): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += exp(xs[i]!);
  return s;
}
function mathExp(xs: Float64Array): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += Math.exp(xs[i]!);
  return s;
}
function oursExpm1(xs: Float64Array): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += expm1(xs[i]!);
  return s;
}
function mathExpm1(xs: Float64Array): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += Math.expm1(xs[i]!);
  return s;
}
function oursLog(xs: Float64Array): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += log(xs[i]!);
  return s;
}
function mathLog(xs: Float64Array): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += Math.log(xs[i]!);
  return s;
}
function oursLog1p(xs: Float64Array): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += log1p(xs[i]!);
  return s;
}
function mathLog1p(xs: Float64Array): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += Math.log1p(xs[i]!);
  return s;
}
function oursTanh(xs: Float64Array): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += tanh(xs[i]!);
  return s;
}
function mathTanh(xs: Float64Array): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += Math.tanh(xs[i]!);
  return s;
}

let sink = 0;

/**
 * Median ns per call of `ours` and of `math` over `xs`. The two alternate pass by pass, so
 * that other load on the machine weighs on both alike.
 */
function time(
  ours: (xs: Float64Array) => number,
  math: (xs: Float64Array) => number,
  xs: Float64Array,
): [number, number] {
  for (let w = 0; w < 3; w++) sink += ours(xs) + math(xs);
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < REPS; r++) {
    let t0 = performance.now();
    sink += ours(xs);
    a.push(((performance.now() - t0) * 1e6) / xs.length);
    t0 = performance.now();
    sink += math(xs);
    b.push(((performance.now() - t0) * 1e6) / xs.length);
  }
  a.sort((u, v) => u - v);
  b.sort((u, v) => u - v);
  return [a[REPS >> 1]!, b[REPS >> 1]!];
}

const cases: [string, (xs: Float64Array) => number, (xs: Float64Array) => number, Float64Array][] = [
  ['exp', oursExp, mathExp, expIn],
  ['expm1', oursExpm1, mathExpm1, expm1In],
  ['log', oursLog, mathLog, logIn],
  ['log1p', oursLog1p, mathLog1p, log1pIn],
  ['tanh', oursTanh, mathTanh, tanhIn],
];

console.log(`${N} inputs per function, median of ${REPS} passes`);
console.log('function   ours ns/call   Math ns/call   ratio');
for (const [name, ours, math, xs] of cases) {
  const [a, b] = time(ours, math, xs);
  console.log(
    `${name.padEnd(8)} ${a.toFixed(2).padStart(14)} ${b.toFixed(2).padStart(14)} ${(a / b).toFixed(2).padStart(7)}`,
  );
}
if (sink === 42) console.log('');
