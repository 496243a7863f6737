// `npm run bench`: the project's standard benchmark, on the built dist/ (run with --expose-gc).
//
//   1. Training speed on the js and the wasm backend: MLP 784-128-10 (relu, softmax + categorical
//      cross-entropy), batches of 32, 8,000 MNIST digits per epoch, with SGD lr 0.1 and with Adam
//      lr 0.001; samples/s from the median of epochs 2-4 (epoch 1 is the warm-up), test accuracy on
//      the 2,000 held-out digits after epoch 5. Then the wide workload (784-512-512-10, batch 128,
//      SGD, the first 2,000 digits, median of epochs 2-3) and the tiny one (2-16-16-2, batch 32,
//      SGD, 8,000 random points, median of epochs 2-4), on both backends.
//   2. GFLOP/s of every product shape of that workload (bench/kernels.ts, run through tsx).
//   3. Heap: allocations of 1,000 training batches (SGD and Adam, both backends), read with process.memoryUsage().
//
// It prints figures; it asserts nothing (the tests never time anything).
import os from 'node:os';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { Matrix, Network, Random, adam, distFile, setBackend, sgd } from './deltaprop.mjs';
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

const OPTIMIZERS = {
  sgd: { label: `SGD lr ${WORKLOAD.learningRate}`, make: () => sgd({ learningRate: WORKLOAD.learningRate }) },
  adam: { label: 'Adam lr 0.001', make: () => adam({ learningRate: 0.001 }) },
};

const fitOptions = (epochs, onEpoch, optimizer = 'sgd') => ({
  loss: 'categoricalCrossEntropy',
  optimizer: OPTIMIZERS[optimizer].make(),
  batchSize: WORKLOAD.batchSize,
  epochs,
  shuffle: true,
  seed: 1,
  onEpoch,
});

const BACKENDS = ['js', 'wasm'];
const speeds = {};
console.log(`1. training: MNIST ${WORKLOAD.layers}, batch ${WORKLOAD.batchSize}, ${fmt(TRAIN)} train / ${fmt(test.labels.length)} test (split seed ${SPLIT_SEED})`);
for (const backend of BACKENDS) for (const name of Object.keys(OPTIMIZERS)) {
  setBackend(backend);
  const net = createNetwork();
  const marks = [];
  const t0 = performance.now();
  net.fit(x, y, fitOptions(WORKLOAD.epochs, () => void marks.push(performance.now()), name));
  const epochMs = marks.map((t, i) => t - (i === 0 ? t0 : marks[i - 1]));
  const timed = epochMs.slice(WORKLOAD.warmupEpochs, WORKLOAD.warmupEpochs + WORKLOAD.timedEpochs);
  const samplesPerSecond = (TRAIN * 1000) / median(timed);
  const testAccuracy = accuracy(net.predict(testX).data, test.labels);
  speeds[`standard ${name} ${backend}`] = samplesPerSecond;
  console.log(`   ${OPTIMIZERS[name].label}, ${backend} backend`);
  console.log(`     epoch times (ms)    ${epochMs.map((t) => fmt(t)).join('  ')}   (epoch 1 = warm-up)`);
  console.log(`     samples/s           ${fmt(samplesPerSecond)}   (8,000 / median of epochs 2-4)`);
  console.log(`     per batch of 32     ${fmt((median(timed) / BATCHES_PER_EPOCH) * 1000, 0)} µs`);
  console.log(`     test accuracy       ${(testAccuracy * 100).toFixed(2)}% after ${WORKLOAD.epochs} epochs`);
}

/** samples/s of SGD on `layers` (relu hidden, softmax output): N / median of the epochs after the first. */
function samplesPerSecondOf(layers, batchSize, X, Y, epochs) {
  const net = Network.create({
    input: layers[0],
    layers: layers.slice(1).map((units, i, all) => ({ units, activation: i === all.length - 1 ? 'softmax' : 'relu' })),
    seed: 1,
  });
  const marks = [];
  const t0 = performance.now();
  net.fit(X, Y, { loss: 'categoricalCrossEntropy', optimizer: sgd({ learningRate: 0.01 }), batchSize, epochs, seed: 1, onEpoch: () => void marks.push(performance.now()) });
  const ms = marks.map((t, i) => t - (i === 0 ? t0 : marks[i - 1]));
  return { samplesPerSecond: (X.rows * 1000) / median(ms.slice(1)), ms };
}

const WIDE_ROWS = 2000;
const wideX = new Matrix(WIDE_ROWS, PIXELS, x.data.subarray(0, WIDE_ROWS * PIXELS));
const wideY = new Matrix(WIDE_ROWS, CLASSES, y.data.subarray(0, WIDE_ROWS * CLASSES));
const random = new Random(3);
const tinyX = new Matrix(TRAIN, 2), tinyY = new Matrix(TRAIN, 2);
for (let i = 0; i < TRAIN; i++) {
  const a = random.uniform(-1, 1), b = random.uniform(-1, 1);
  tinyX.data[2 * i] = a;
  tinyX.data[2 * i + 1] = b;
  tinyY.data[2 * i + (a * b > 0 ? 0 : 1)] = 1;
}
const others = [
  ['wide', '784-512-512-10, batch 128, SGD, 2,000 digits, median of epochs 2-3', [784, 512, 512, 10], 128, wideX, wideY, 3],
  ['tiny', '2-16-16-2, batch 32, SGD, 8,000 random points, median of epochs 2-4', [2, 16, 16, 2], 32, tinyX, tinyY, 4],
];
for (const [key, label, layers, batchSize, X, Y, epochs] of others) {
  console.log(`   ${key}: ${label}`);
  for (const backend of BACKENDS) {
    setBackend(backend);
    const r = samplesPerSecondOf(layers, batchSize, X, Y, epochs);
    speeds[`${key} ${backend}`] = r.samplesPerSecond;
    console.log(`     ${backend.padEnd(5)} samples/s ${fmt(r.samplesPerSecond).padStart(9)}   epoch times (ms) ${r.ms.map((t) => fmt(t)).join('  ')}`);
  }
}
setBackend('auto');
console.log('   wasm / js, samples/s: ' + ['standard sgd', 'standard adam', 'wide', 'tiny']
  .map((k) => `${k} ${(speeds[`${k} wasm`] / speeds[`${k} js`]).toFixed(2)}×`).join(', '));
console.log('');

// ---------------------------------------------------------------------------------------------
// 2. Kernels (bench/kernels.ts measures src/kernels/ through tsx: JavaScript and WebAssembly)
// ---------------------------------------------------------------------------------------------

let kernels;
try {
  const { tsImport } = await import('tsx/esm/api');
  const mod = await tsImport('./kernels.ts', import.meta.url);
  kernels = mod.benchKernels(['standard', 'wide']);
} catch (error) {
  console.log(`2. kernels: could not run bench/kernels.ts (${error instanceof Error ? error.message : String(error)})`);
}
if (kernels !== undefined) {
  const cell = (median, best) => (Number.isNaN(median) ? '—' : `${median.toFixed(2)}${best === undefined ? '' : ` (${best.toFixed(2)})`}`).padStart(15);
  console.log('2. products of one batch (GFLOP/s = 2·m·n·k / time; median of repetitions, best in brackets)');
  console.log(`   ${'product'.padEnd(17)}${'shape'.padEnd(26)}${'js'.padStart(15)}${'wasm'.padStart(15)}${'naive'.padStart(15)}`);
  for (const k of kernels) {
    console.log(`   ${(k.workload + ' ' + k.name).padEnd(17)}${k.shape.padEnd(26)}${cell(k.gflopsFast, k.gflopsFastBest)}${cell(k.gflopsWasm, k.gflopsWasmBest)}${cell(k.gflopsNaive, k.gflopsNaiveBest)}`);
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

async function heapOfFit(heapNet, epochs, optimizer) {
  gc();
  gc();
  const before = process.memoryUsage();
  const t0 = performance.now();
  heapNet.fit(x, y, fitOptions(epochs, undefined, optimizer));
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

const rows = [];
const steady = [];
for (const backend of BACKENDS) for (const name of Object.keys(OPTIMIZERS)) {
  setBackend(backend);
  const tag = `${name} ${backend}`;
  await heapOfFit(createNetwork(), 4, name); // warm-up: every function compiled before the measured runs
  const heapNet = createNetwork();
  const first = { label: `${tag}: first fit, 250 b.`, ...(await heapOfFit(heapNet, 1, name)) };
  const short = { label: `${tag}: next fit, 250 b.`, ...(await heapOfFit(heapNet, 1, name)) };
  const long = { label: `${tag}: next fit, 1,000 b.`, ...(await heapOfFit(heapNet, 4, name)) };
  rows.push(first, short, long);
  steady.push([tag, short, long]);
}
setBackend('auto');
observer.disconnect();

const kb = (bytes) => `${bytes >= 0 ? '+' : ''}${fmt(bytes / 1024, 1)} KB`;
const cols = [
  ['fit call on one network', 31, (r) => r.label],
  ['heapUsed during', 17, (r) => kb(r.allocated)],
  ['arrayBuffers during', 21, (r) => kb(r.allocatedBuffers)],
  ['GCs during', 12, (r) => String(r.gcDuring)],
  ['heapUsed after gc', 19, (r) => kb(r.retained)],
  ['arrayBuffers after gc', 23, (r) => kb(r.retainedBuffers)],
];
console.log('3. heap (process.memoryUsage(), --expose-gc, gc() before each reading; "during" = read right after fit returns, before any gc)');
console.log(`   ${cols.map(([h, w], i) => (i === 0 ? h.padEnd(w) : h.padStart(w))).join('')}`);
for (const r of rows) console.log(`   ${cols.map(([, w, f], i) => (i === 0 ? f(r).padEnd(w) : f(r).padStart(w))).join('')}`);
for (const [name, short, long] of steady) {
  const perBatch = (long.allocated - short.allocated) / (long.batches - short.batches);
  const perBatchBuffers = (long.allocatedBuffers - short.allocatedBuffers) / (long.batches - short.batches);
  const exact = long.gcDuring === 0 && short.gcDuring === 0;
  console.log(
    `   ${name}, steady state, per batch: ${fmt(perBatch, 0)} bytes of heap, ${fmt(perBatchBuffers, 0)} bytes of array buffers ` +
      `(difference of the two runs over ${fmt(long.batches - short.batches)} batches` +
      `${exact ? '; no garbage collection ran during either, so nothing allocated was missed' : '; a GC ran during a run, so this undercounts'})`,
  );
}
console.log('   each fit makes a Trainer, which allocates every buffer (batch, trace, deltas, optimizer state) before its');
console.log('   first batch and frees them when it is dropped: the difference of two fits is what the batches themselves allocate');
console.log('   (on wasm the Trainer\'s arena is a WebAssembly.Memory: its bytes count in arrayBuffers, once per fit)');
