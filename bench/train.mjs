// `npm run bench`: the project's standard benchmark, on the built dist/ (run with --expose-gc).
//
//   1. Training speed: MLP 784-128-10 (relu, softmax + categorical cross-entropy), SGD lr 0.1,
//      batches of 32, 8,000 MNIST digits per epoch; samples/s from the median of epochs 2-4
//      (epoch 1 is the warm-up), test accuracy on the 2,000 held-out digits after epoch 5.
//   2. GFLOP/s of every product shape of that workload (bench/kernels.ts, run through tsx).
//   3. Heap: allocations of 1,000 training batches, read with process.memoryUsage().
//
// It prints figures; it asserts nothing (the tests never time anything).
import os from 'node:os';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { Matrix, Network, distFile } from './deltaprop.mjs';
import { CLASSES, PIXELS, SPLIT_SEED, TRAIN, WORKLOAD, accuracy, loadMnistSplit, median, oneHotFlat } from './mnist.mjs';

const gc = globalThis.gc;
if (typeof gc !== 'function') {
  console.error('Run with --expose-gc (npm run bench does).');
  process.exit(1);
}

const BATCHES_PER_EPOCH = Math.ceil(TRAIN / WORKLOAD.batchSize);
const fmt = (n, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

console.log(`deltaprop benchmark of ${distFile}`);
console.log(`date   ${new Date().toISOString()}`);
console.log(`node   ${process.version} (${process.arch})`);
console.log(`cpu    ${os.cpus()[0]?.model ?? 'unknown'} × ${os.cpus().length}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log('');

// ---------------------------------------------------------------------------------------------
// 1. The workload
// ---------------------------------------------------------------------------------------------

const { train, test } = loadMnistSplit();
const x = new Matrix(TRAIN, PIXELS, train.x);
const y = new Matrix(TRAIN, CLASSES, oneHotFlat(train.labels));
const testX = new Matrix(test.labels.length, PIXELS, test.x);

function createNetwork() {
  return Network.create({
    input: PIXELS,
    layers: [
      { units: 128, activation: 'relu' },
      { units: CLASSES, activation: 'softmax' },
    ],
    seed: 1,
  });
}

const fitOptions = (epochs, onEpoch) => ({
  loss: 'categoricalCrossEntropy',
  learningRate: WORKLOAD.learningRate,
  batchSize: WORKLOAD.batchSize,
  epochs,
  shuffle: true,
  seed: 1,
  onEpoch,
});

const net = createNetwork();
const marks = [];
const t0 = performance.now();
net.fit(x, y, fitOptions(WORKLOAD.epochs, () => void marks.push(performance.now())));
const epochMs = marks.map((t, i) => t - (i === 0 ? t0 : marks[i - 1]));
const timed = epochMs.slice(WORKLOAD.warmupEpochs, WORKLOAD.warmupEpochs + WORKLOAD.timedEpochs);
const samplesPerSecond = (TRAIN * 1000) / median(timed);
const testAccuracy = accuracy(net.predict(testX).data, test.labels);

console.log(`1. training: MNIST ${WORKLOAD.layers}, SGD lr ${WORKLOAD.learningRate}, batch ${WORKLOAD.batchSize}, ${fmt(TRAIN)} train / ${fmt(test.labels.length)} test (split seed ${SPLIT_SEED})`);
console.log(`   epoch times (ms)    ${epochMs.map((t) => fmt(t)).join('  ')}   (epoch 1 = warm-up)`);
console.log(`   samples/s           ${fmt(samplesPerSecond)}   (8,000 / median of epochs 2-4)`);
console.log(`   per batch of 32     ${fmt((median(timed) / BATCHES_PER_EPOCH) * 1000, 0)} µs`);
console.log(`   test accuracy       ${(testAccuracy * 100).toFixed(2)}% after ${WORKLOAD.epochs} epochs`);
console.log('');

// ---------------------------------------------------------------------------------------------
// 2. Kernels (bench/kernels.ts measures src/kernels/ through tsx: JavaScript and WebAssembly)
// ---------------------------------------------------------------------------------------------

let kernels;
try {
  const { tsImport } = await import('tsx/esm/api');
  const mod = await tsImport('./kernels.ts', import.meta.url);
  kernels = mod.benchKernels();
} catch (error) {
  console.log(`2. kernels: could not run bench/kernels.ts (${error instanceof Error ? error.message : String(error)})`);
}
if (kernels !== undefined) {
  const cell = (median, best) => (Number.isNaN(median) ? '—' : `${median.toFixed(2)}${best === undefined ? '' : ` (${best.toFixed(2)})`}`).padStart(15);
  console.log('2. products of one batch (GFLOP/s = 2·m·n·k / time; median of repetitions, best in brackets)');
  console.log(`   ${'product'.padEnd(8)}${'shape'.padEnd(26)}${'js'.padStart(15)}${'wasm'.padStart(15)}${'naive'.padStart(15)}`);
  for (const k of kernels) {
    console.log(`   ${k.name.padEnd(8)}${k.shape.padEnd(26)}${cell(k.gflopsFast, k.gflopsFastBest)}${cell(k.gflopsWasm, k.gflopsWasmBest)}${cell(k.gflopsNaive, k.gflopsNaiveBest)}`);
  }
  const big = kernels.filter((k) => k.shape === '32×784 · (128×784)ᵀ' || k.shape === '(32×128)ᵀ · 32×784');
  if (big.length === 2) {
    console.log(`   the two large products (forward NT, gradient TN): js ${big.map((k) => k.gflopsFast.toFixed(2)).join(' and ')}, wasm ${big.map((k) => k.gflopsWasm.toFixed(2)).join(' and ')} GFLOP/s (median)`);
  }
  console.log('');
}

// ---------------------------------------------------------------------------------------------
// 3. Heap: allocations of whole fit calls, read before and after with process.memoryUsage()
// ---------------------------------------------------------------------------------------------

// V8 garbage collections are counted while the batches run: with none, the heap difference
// read without a collection is every byte those batches allocated.
// Entries arrive asynchronously, so each is placed by its start time.
const collections = [];
const observer = new PerformanceObserver((list) => void collections.push(...list.getEntries().map((e) => e.startTime)));
observer.observe({ entryTypes: ['gc'] });
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

async function heapOfFit(heapNet, epochs) {
  gc();
  gc();
  const before = process.memoryUsage();
  const t0 = performance.now();
  heapNet.fit(x, y, fitOptions(epochs));
  const t1 = performance.now();
  const during = process.memoryUsage();
  await settle();
  const gcDuring = collections.filter((t) => t >= t0 && t <= t1).length;
  gc();
  gc();
  const after = process.memoryUsage();
  return {
    batches: epochs * BATCHES_PER_EPOCH,
    allocated: during.heapUsed - before.heapUsed,
    allocatedBuffers: during.arrayBuffers - before.arrayBuffers,
    retained: after.heapUsed - before.heapUsed,
    retainedBuffers: after.arrayBuffers - before.arrayBuffers,
    gcDuring,
  };
}

await heapOfFit(createNetwork(), 4); // warm-up: every function compiled before the measured runs
const heapNet = createNetwork();
const first = { label: 'first fit, 250 batches', ...(await heapOfFit(heapNet, 1)) };
const short = { label: 'next fit, 250 batches', ...(await heapOfFit(heapNet, 1)) };
const long = { label: 'next fit, 1,000 batches', ...(await heapOfFit(heapNet, 4)) };
observer.disconnect();

const kb = (bytes) => `${bytes >= 0 ? '+' : ''}${fmt(bytes / 1024, 1)} KB`;
const cols = [
  ['fit call on one network', 26, (r) => r.label],
  ['heapUsed during', 17, (r) => kb(r.allocated)],
  ['arrayBuffers during', 21, (r) => kb(r.allocatedBuffers)],
  ['GCs during', 12, (r) => String(r.gcDuring)],
  ['heapUsed after gc', 19, (r) => kb(r.retained)],
  ['arrayBuffers after gc', 23, (r) => kb(r.retainedBuffers)],
];
console.log('3. heap (process.memoryUsage(), --expose-gc, gc() before each reading; "during" = read right after fit returns, before any gc)');
console.log(`   ${cols.map(([h, w], i) => (i === 0 ? h.padEnd(w) : h.padStart(w))).join('')}`);
for (const r of [first, short, long]) console.log(`   ${cols.map(([, w, f], i) => (i === 0 ? f(r).padEnd(w) : f(r).padStart(w))).join('')}`);
const perBatch = (long.allocated - short.allocated) / (long.batches - short.batches);
const perBatchBuffers = (long.allocatedBuffers - short.allocatedBuffers) / (long.batches - short.batches);
const exact = long.gcDuring === 0 && short.gcDuring === 0;
console.log(
  `   steady state, per batch: ${fmt(perBatch, 0)} bytes of heap, ${fmt(perBatchBuffers, 0)} bytes of array buffers ` +
    `(difference of the two runs over ${fmt(long.batches - short.batches)} batches` +
    `${exact ? '; no garbage collection ran during either, so nothing allocated was missed' : '; a GC ran during a run, so this undercounts'})`,
);
console.log('   a network\'s first fit allocates its training buffers (batch, trace, deltas, gradients, backup) once, before its');
console.log('   first batch; they stay with the network (the "after gc" column) and its next fits with the same batch size reuse them');
