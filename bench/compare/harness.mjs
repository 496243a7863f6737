// What every worker of the comparison shares: the data split, the epoch protocol and the
// result line that compare.mjs reads.
//
// Protocol (the same for every library): train `epochs` epochs of the 8,000 training digits;
// time each whole epoch with performance.now(); epoch 1 is the warm-up, the median of epochs
// 2, 3 and 4 gives samples/s; test accuracy is measured on the 2,000 test digits after the last
// epoch (5 unless the worker says otherwise).
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { TRAIN, WORKLOAD, accuracy, loadMnistSplit, median } from '../mnist.mjs';

export { TRAIN, WORKLOAD, accuracy, loadMnistSplit, median };

/**
 * The workload's shape, from COMPARE_WORKLOAD (set by compare.mjs --workload): 'standard'
 * (784-128-10, batch 32, 5 epochs) or 'wide' (784-512-512-10, batch 128, 4 epochs).
 */
export function activeWorkload() {
  const name = process.env.COMPARE_WORKLOAD ?? 'standard';
  if (name === 'standard') return { name, hidden: [128], batchSize: WORKLOAD.batchSize, epochs: WORKLOAD.epochs };
  if (name === 'wide') return { name, hidden: [512, 512], batchSize: 128, epochs: WORKLOAD.warmupEpochs + WORKLOAD.timedEpochs };
  throw new Error(`COMPARE_WORKLOAD must be 'standard' or 'wide', got ${name}`);
}

/** Epochs to train: WORKLOAD.epochs, or EPOCHS from the environment (at least warm-up + timed). */
export function epochCount(defaultEpochs = WORKLOAD.epochs) {
  const e = process.env.EPOCHS === undefined ? defaultEpochs : Number(process.env.EPOCHS);
  const min = WORKLOAD.warmupEpochs + WORKLOAD.timedEpochs;
  if (!Number.isInteger(e) || e < min) throw new Error(`EPOCHS must be an integer >= ${min}, got ${process.env.EPOCHS}`);
  return e;
}

/**
 * Runs the protocol. `train(epochs, endOfEpoch)` (may be async) trains all epochs and calls
 * `endOfEpoch()` as each one ends: an epoch's time is the span between two such calls (the first
 * from just before `train`). `testScores()` (may be async) returns the 2,000 × 10 test outputs as
 * a flat array.
 */
export async function runWorkload({ library, precision, notes = [], epochs, train, testScores, testLabels }) {
  const marks = [];
  const cpuMarks = [];
  const cpuMs = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const t0 = performance.now();
  const c0 = cpuMs();
  await train(epochs, () => {
    marks.push(performance.now());
    cpuMarks.push(cpuMs());
  });
  if (marks.length !== epochs) throw new Error(`${library}: ${marks.length} epoch marks for ${epochs} epochs`);
  const spans = (list, start) => list.map((t, i) => t - (i === 0 ? start : list[i - 1]));
  const timedMedian = (list) => median(list.slice(WORKLOAD.warmupEpochs, WORKLOAD.warmupEpochs + WORKLOAD.timedEpochs));
  const epochMs = spans(marks, t0);
  const epochCpuMs = spans(cpuMarks, c0);
  const result = {
    library,
    precision,
    samplesPerSecond: (TRAIN * 1000) / timedMedian(epochMs),
    // Secondary, to judge noise: the same median from the process's CPU time (user + system) rather
    // than the wall clock. Time spent waiting for a core taken by another process is not in it.
    cpuSamplesPerSecond: (TRAIN * 1000) / timedMedian(epochCpuMs),
    epochMs: epochMs.map((t) => Math.round(t)),
    epochs,
    testAccuracy: accuracy(await testScores(), testLabels),
    notes,
    node: process.version,
    cpu: os.cpus()[0]?.model ?? 'unknown',
  };
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
  return result;
}

/** Prints a RESULT line for a library that could not be installed or run. */
export function reportFailure(library, precision, reason) {
  process.stdout.write(`RESULT ${JSON.stringify({ library, precision, error: reason, node: process.version, cpu: os.cpus()[0]?.model ?? 'unknown' })}\n`);
}
