// numpy float64 on one thread, as a reference (not a JavaScript library): mlp-numpy.py trains the
// workload in python3. Runs only when `python3` with numpy is present; OPENBLAS_CORETYPE and
// OPENBLAS_L2_SIZE are unset and OPENBLAS_NUM_THREADS=1 for that one command.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLASSES, PIXELS, oneHotFlat } from '../../mnist.mjs';
import { TRAIN, WORKLOAD, accuracy, activeWorkload, epochCount, loadMnistSplit, median, reportFailure } from '../harness.mjs';

const library = 'numpy';
const here = path.dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(path.join(os.tmpdir(), 'deltaprop-numpy-'));
try {
  const { train, test } = loadMnistSplit();
  const file = (name, values) => {
    const p = path.join(dir, name);
    writeFileSync(p, Buffer.from(Float64Array.from(values).buffer));
    return p;
  };
  const shape = activeWorkload();
  const epochs = epochCount(shape.epochs);
  const spec = {
    train: TRAIN, test: test.labels.length, pixels: PIXELS, classes: CLASSES, hidden: shape.hidden,
    batchSize: shape.batchSize, learningRate: WORKLOAD.learningRate, epochs,
    x: file('x', train.x), y: file('y', oneHotFlat(train.labels)), testX: file('testX', test.x),
  };
  const env = { ...process.env, OPENBLAS_NUM_THREADS: '1' };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const child = spawnSync('python3', [path.join(here, 'mlp-numpy.py'), JSON.stringify(spec)], { env, encoding: 'utf8', maxBuffer: 1 << 24 });
  if (child.error !== undefined || child.status !== 0) {
    throw new Error(child.error?.message ?? (child.stderr.trim().split('\n').pop() || `python3 exited with ${child.status}`));
  }
  const out = JSON.parse(child.stdout.trim().split('\n').pop());
  const timed = (list) => median(list.slice(WORKLOAD.warmupEpochs, WORKLOAD.warmupEpochs + WORKLOAD.timedEpochs));
  const scores = new Float64Array(test.labels.length * 10);
  out.predicted.forEach((c, i) => void (scores[i * 10 + c] = 1));
  const result = {
    library,
    precision: 'float64',
    samplesPerSecond: (TRAIN * 1000) / timed(out.epochMs),
    cpuSamplesPerSecond: (TRAIN * 1000) / timed(out.epochCpuMs),
    epochMs: out.epochMs.map((t) => Math.round(t)),
    epochs,
    testAccuracy: accuracy(scores, test.labels),
    notes: [`numpy ${out.numpy}, OPENBLAS_NUM_THREADS=1, a plain loop (reference, not JavaScript)`],
    node: process.version,
    cpu: os.cpus()[0]?.model ?? 'unknown',
  };
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
} catch (error) {
  reportFailure(library, 'float64', `python3 with numpy is not available or failed: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
