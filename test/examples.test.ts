/**
 * Runs every example of examples/ with --quick as its own process (all at once), exactly as a user would
 * (`node --import tsx examples/<name>.ts --quick`), and checks the figures it reports on its last
 * line (`RESULT {...}`) against what the course's formulas and simple invariants say they must be.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { Network } from '../src/index.js';
import { loadDigits } from '../examples/mnist-data.js';

const execFileAsync = promisify(execFile);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = mkdtempSync(join(tmpdir(), 'deltaprop-examples-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

/**
 * Runs one example and resolves to the JSON of its RESULT line (and its whole output). Asynchronous,
 * so that the examples run side by side as separate processes (the tests below are concurrent).
 */
async function run(name: string, ...args: string[]): Promise<{ result: Record<string, unknown>; stdout: string }> {
  const script = join('examples', `${name}.ts`);
  const { stdout } = await execFileAsync(process.execPath, ['--import', 'tsx', script, '--quick', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 180_000,
    maxBuffer: 16 * 1024 * 1024,
  }).catch((error: Error & { stdout?: string; stderr?: string }) => {
    throw new Error(`examples/${name}.ts failed: ${error.message}\n${error.stderr ?? ''}\n${error.stdout ?? ''}`);
  });
  const lines = stdout.trimEnd().split('\n');
  const last = lines[lines.length - 1]!;
  expect(last.startsWith('RESULT '), `last line of examples/${name}.ts: ${last}`).toBe(true);
  return { result: JSON.parse(last.slice('RESULT '.length)) as Record<string, unknown>, stdout };
}

const TIMEOUT = 180_000;

// Concurrent: the examples are independent processes, so they share the machine's cores.
describe.concurrent('examples (--quick)', () => {
  it('gradient-descent-1d: distance to the minimum is multiplied by (1 − 2α) each step', async () => {
    const { result } = await run('gradient-descent-1d');
    const r = result as { x0: number; minimum: number; steps: number; runs: Array<{ alpha: number; x: number; verdict: string }> };
    expect(r.runs.map((x) => x.alpha)).toEqual([0.01, 0.1, 0.5, 0.9, 1.1]);
    for (const { alpha, x } of r.runs) {
      // f(x) = (x − 2)² + 1: x_N − 2 = (1 − 2α)^N (x₀ − 2)
      const expected = (1 - 2 * alpha) ** r.steps * (r.x0 - r.minimum);
      expect(Math.abs(x - r.minimum - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
    }
    const verdict = (a: number): string => r.runs.find((x) => x.alpha === a)!.verdict;
    expect(verdict(0.01)).toBe('converging slowly');
    expect(verdict(0.1)).toBe('converged');
    expect(verdict(0.5)).toBe('converged');
    expect(verdict(0.9)).toBe('converged, oscillating');
    expect(verdict(1.1)).toBe('diverged');
    expect(Math.abs(r.runs.find((x) => x.alpha === 1.1)!.x - r.minimum)).toBeGreaterThan(1e3);
  }, TIMEOUT);

  it('iris: string labels, standardised inputs, a stratified split and early stopping classify the test flowers well; the reload is identical', async () => {
    const { result, stdout } = await run('iris');
    const r = result as { testSize: number; accuracy: number; macroF1: number; confusion: number[][]; reloadIdentical: boolean; classified: string[] };
    // 150 flowers, 30% held out stratified: 15 of each species on the test side.
    expect(r.testSize).toBe(45);
    expect(r.confusion.map((row) => row.reduce((a, b) => a + b, 0))).toEqual([15, 15, 15]);
    expect(r.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(r.accuracy).toBe(r.confusion.reduce((a, row, t) => a + row[t]!, 0) / 45);
    expect(r.macroF1).toBeGreaterThanOrEqual(0.9);
    expect(r.confusion[0]).toEqual([15, 0, 0]); // setosa is linearly separable from the others
    expect(r.reloadIdentical).toBe(true);
    expect(r.classified[0]).toBe('setosa');
    expect(stdout).toContain('confusion (rows: true species, columns: predicted)');
    expect(stdout).toMatch(/versicolor\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+15/);
  }, TIMEOUT);

  it('house-prices: scaled inputs and targets reach the noise floor in original units; unscaled training does worse and says why', async () => {
    const { result } = await run('house-prices');
    const r = result as { mae: number; rmse: number; r2: number; unscaledR2: number; unscaledWarnings: number; scaledWarnings: number; noise: number; targetSd: number; reloadIdentical: boolean };
    expect(r.r2).toBeGreaterThan(0.9);
    // In thousands: no better than the noise allows, and far below the spread of the prices.
    expect(r.rmse).toBeGreaterThan(0.7 * r.noise);
    expect(r.rmse).toBeLessThan(0.3 * r.targetSd);
    expect(r.mae).toBeLessThanOrEqual(r.rmse);
    expect(r.unscaledR2).toBeLessThan(r.r2);
    expect(r.unscaledWarnings).toBeGreaterThanOrEqual(1);
    expect(r.scaledWarnings).toBe(0);
    expect(r.reloadIdentical).toBe(true);
  }, TIMEOUT);

  it('xor: solved with one hidden layer, impossible without', async () => {
    const { result, stdout } = await run('xor');
    const r = result as { solved: boolean; outputs: number[]; accuracy: number; linearLoss: number; linearAccuracy: number };
    expect(r.solved).toBe(true);
    expect(r.accuracy).toBe(1);
    [0, 1, 1, 0].forEach((y, i) => expect(Math.abs(r.outputs[i]! - y)).toBeLessThan(0.1));
    // No single sigmoid unit does better than ln 2 on XOR: its cross-entropy is convex in (w, b) and
    // unchanged by (w, b) → (−w, b + w₁ + w₂), which swaps (0,0) with (1,1) and (0,1) with (1,0); so
    // the midpoint w = 0 is at least as good, and there the best constant output is ½, loss ln 2.
    // No line separates more than 3 of the 4 points either.
    expect(r.linearLoss).toBeGreaterThanOrEqual(Math.LN2 - 1e-12);
    expect(r.linearAccuracy).toBeLessThanOrEqual(0.75);
    expect(stdout).toContain('before training');
    expect(stdout).toContain('After training');
  }, TIMEOUT);

  it('regression: with outliers, L1 stays on sin(x) while L2 is pulled towards them', async () => {
    const { result } = await run('regression');
    type Fit = { rmse: number; bias: number };
    const r = result as { outliers: number; cleanL2: Fit; outliersL2: Fit; outliersL1: Fit };
    expect(r.outliers).toBeGreaterThan(20); // about a fifth of 200
    expect(r.outliers).toBeLessThan(60);
    expect(r.cleanL2.rmse).toBeLessThan(0.15);
    // The L2 fit tends to the mean of the targets: sin(x) + 3 × (share of outliers).
    expect(r.outliersL2.bias).toBeGreaterThan(0.3);
    expect(r.outliersL1.rmse).toBeLessThan(r.outliersL2.rmse / 2);
    expect(Math.abs(r.outliersL1.bias)).toBeLessThan(0.15);
  }, TIMEOUT);

  it('spirals: ≥ 90% validation accuracy; weight decay shrinks the weights and too much of it fails', async () => {
    const { result, stdout } = await run('spirals');
    const r = result as { validationAccuracy: number; runs: Array<{ lambda: number; trainAccuracy: number; validationAccuracy: number; weightNorm: number }> };
    expect(r.validationAccuracy).toBeGreaterThanOrEqual(0.9);
    const lambdas = r.runs.map((x) => x.lambda);
    expect(lambdas).toEqual([...lambdas].sort((a, b) => a - b));
    for (let i = 1; i < r.runs.length; i++) expect(r.runs[i]!.weightNorm).toBeLessThan(r.runs[i - 1]!.weightNorm);
    const strongest = r.runs.at(-1)!;
    expect(strongest.lambda).toBeGreaterThanOrEqual(1e-3);
    expect(strongest.validationAccuracy).toBeLessThan(0.8);
    expect(stdout).toMatch(/Decision regions/);
  }, TIMEOUT);

  it('digits: ≥ 90% test accuracy in quick mode, and the saved model reproduces it', async () => {
    const { result, stdout } = await run('digits', `--out=${outDir}`);
    const r = result as {
      testAccuracy: number;
      perDigit: number[];
      trainSamples: number;
      testSamples: number;
      identicalAfterReload: boolean;
      modelFile: string;
    };
    expect(r.trainSamples).toBe(4000);
    expect(r.testSamples).toBe(1000);
    expect(r.testAccuracy).toBeGreaterThanOrEqual(0.9);
    expect(r.perDigit).toHaveLength(10);
    expect(r.identicalAfterReload).toBe(true);
    expect(stdout).toMatch(/samples\/s/);
    // Score the saved model here, independently of the example's own bookkeeping.
    expect(existsSync(r.modelFile)).toBe(true);
    const net = Network.fromJSON(readFileSync(r.modelFile, 'utf8'));
    const { testX, testLabels } = loadDigits({ train: 4000, test: 1000 });
    const z = net.predict(testX).data;
    let hits = 0;
    for (let i = 0; i < testLabels.length; i++) {
      let best = 0;
      for (let j = 1; j < 10; j++) if (z[i * 10 + j]! > z[i * 10 + best]!) best = j;
      if (best === testLabels[i]) hits++;
    }
    expect(hits / testLabels.length).toBeCloseTo(r.testAccuracy, 4);
  }, TIMEOUT);

  it('gradient-check: backprop agrees with finite differences; a wrong derivative is caught in its layer', async () => {
    const { result } = await run('gradient-check');
    type PerLayer = Array<{ weights: number; biases: number }>;
    const r = result as {
      maxRelativeError: number;
      checks: Array<{ maxRelativeError: number; perLayer: PerLayer }>;
      buggy: { maxRelativeError: number; layer: number; perLayer: PerLayer };
    };
    expect(r.checks).toHaveLength(3);
    expect(r.maxRelativeError).toBeLessThan(1e-6);
    for (const c of r.checks) {
      expect(c.perLayer).toHaveLength(3);
      for (const e of c.perLayer) {
        expect(e.weights).toBeLessThan(1e-6);
        expect(e.biases).toBeLessThan(1e-6);
      }
    }
    expect(r.buggy.layer).toBe(0);
    expect(r.buggy.maxRelativeError).toBeGreaterThan(1e-2);
    expect(r.buggy.perLayer[1]!.weights).toBeLessThan(1e-6);
    expect(r.buggy.perLayer[2]!.weights).toBeLessThan(1e-6);
  }, TIMEOUT);

  it('hyperparameters: each knob moves the result the way the course says', async () => {
    const { result } = await run('hyperparameters');
    type Row = { alpha: number; lambda: number; k: number; epochs: number; steps: number; loss: number; validationAccuracy: number };
    const r = result as { baseline: { alpha: number; lambda: number; k: number; epochs: number }; rows: Row[] };
    const b = r.baseline;
    const find = (change: Partial<Row>): Row => {
      const row = r.rows.find((x) => (Object.keys(change) as Array<keyof Row>).every((key) => x[key] === change[key]) &&
        (['alpha', 'lambda', 'k', 'epochs'] as const).every((key) => key in change || x[key] === b[key]));
      expect(row, JSON.stringify(change)).toBeDefined();
      return row!;
    };
    for (const row of r.rows) expect(row.steps).toBe(row.epochs * Math.ceil(180 / row.k)); // one step per batch
    const base = find({});
    expect(base.validationAccuracy).toBeGreaterThanOrEqual(0.9);
    expect(find({ alpha: 0.01 }).loss).toBeGreaterThan(base.loss); // too small a step
    expect(find({ alpha: 5 }).loss).toBeGreaterThan(Math.log(3)); // too large: worse than guessing
    expect(find({ lambda: 0.01 }).loss).toBeGreaterThan(base.loss);
    expect(find({ k: 1 }).loss).toBeLessThan(find({ k: 180 }).loss); // more steps per epoch
    expect(find({ epochs: 5 }).loss).toBeGreaterThan(base.loss);
  }, TIMEOUT);

  it('interop: onnxruntime, tfjs and the standalone module agree with predict; fromONNX round trip exact', async () => {
    const { result } = await run('interop');
    type Figure = { bytes: number; difference: number };
    const r = result as { onnx: { float64: Figure; float32: Figure }; roundTrip: boolean; tfjs: Figure & { weightRounding: number }; module: { characters: number; identical: boolean } };
    expect(r.onnx.float64.difference).toBeLessThanOrEqual(1e-12);
    expect(r.onnx.float32.difference).toBeLessThanOrEqual(1e-5);
    expect(r.tfjs.difference).toBeLessThanOrEqual(1e-5);
    expect(r.tfjs.weightRounding).toBeLessThanOrEqual(2 ** -24);
    expect(r.roundTrip).toBe(true);
    expect(r.module.identical).toBe(true);
    // 784·128 + 128 + 128·10 + 10 = 101,770 parameters: 8 bytes each in float64, 4 in float32, plus the graph.
    expect(r.onnx.float64.bytes).toBeGreaterThan(101_770 * 8);
    expect(r.onnx.float32.bytes).toBeGreaterThan(101_770 * 4);
    expect(r.onnx.float32.bytes).toBeLessThan(101_770 * 4 + 4096);
  }, TIMEOUT);
});

describe('examples/mnist-data', () => {
  it('splits the 10,000 digits deterministically, every digit once', () => {
    const a = loadDigits({ seed: 1, train: 8000, test: 2000 });
    const b = loadDigits({ seed: 1, train: 8000, test: 2000 });
    expect(a.trainX.rows).toBe(8000);
    expect(a.testX.rows).toBe(2000);
    expect(a.trainX.cols).toBe(784);
    expect(Buffer.from(a.trainX.data.buffer).equals(Buffer.from(b.trainX.data.buffer))).toBe(true);
    expect(a.testLabels).toEqual(b.testLabels);
    // Train and test together hold each class exactly as often as the package ships it.
    const counts = new Array<number>(10).fill(0);
    for (const l of a.trainLabels) counts[l]!++;
    for (const l of a.testLabels) counts[l]!++;
    expect(counts).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
    // One-hot targets agree with the labels.
    for (let i = 0; i < 2000; i++) expect(a.testY.data[i * 10 + a.testLabels[i]!]).toBe(1);
    // A smaller split takes the same digits from the two ends; another seed shuffles differently.
    const small = loadDigits({ seed: 1, train: 100, test: 50 });
    expect(Array.from(small.trainLabels)).toEqual(Array.from(a.trainLabels.subarray(0, 100)));
    expect(Array.from(small.testLabels)).toEqual(Array.from(a.testLabels.subarray(1950)));
    const other = loadDigits({ seed: 2, train: 100, test: 50 });
    expect(Array.from(other.trainLabels)).not.toEqual(Array.from(small.trainLabels));
  }, TIMEOUT);
});
