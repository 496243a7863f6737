// brain.js 1.6.1 (float32: Float32Array weights). brain.js trains per sample only (no
// mini-batches): every sample is one weight update. NeuralNetwork with one hidden layer of 128,
// its 'sigmoid' activation on every layer (it has no softmax; its error is target − output),
// learning rate 0.1, momentum 1e-30 (brain.js rejects 0; a term ~30 orders of magnitude below
// the step is plain SGD). One train() call per epoch with iterations: 1; brain.js does not
// shuffle, so the samples are given in a fresh deltaprop-Random order every epoch.
import { createRequire } from 'node:module';
import { Random } from '../../deltaprop.mjs';
import { PIXELS } from '../../mnist.mjs';
import { TRAIN, WORKLOAD, epochCount, loadMnistSplit, reportFailure, runWorkload } from '../harness.mjs';

const require = createRequire(import.meta.url);
const activation = process.env.BRAIN_ACTIVATION ?? 'sigmoid';
const MOMENTUM = 1e-30;

try {
  const brain = require('brain.js');
  const { train, test } = loadMnistSplit();
  const samples = [];
  for (let i = 0; i < TRAIN; i++) {
    const output = new Array(10).fill(0);
    output[train.labels[i]] = 1;
    samples.push({ input: Array.from(train.x.subarray(i * PIXELS, (i + 1) * PIXELS)), output });
  }
  const net = new brain.NeuralNetwork({ hiddenLayers: [128], activation });
  const random = new Random(1);
  const epochs = epochCount(Number(process.env.BRAIN_EPOCHS ?? 5));

  await runWorkload({
    library: 'brain.js',
    precision: 'float32',
    notes: [`per-sample updates only (no mini-batches), ${activation} on every layer, no softmax`],
    epochs,
    train: (n, endOfEpoch) => {
      for (let e = 0; e < n; e++) {
        random.shuffle(samples);
        net.train(samples, { iterations: 1, errorThresh: 1e-12, learningRate: WORKLOAD.learningRate, momentum: MOMENTUM, log: false });
        endOfEpoch();
      }
    },
    testScores: () => {
      const n = test.labels.length;
      const scores = new Float64Array(n * 10);
      for (let i = 0; i < n; i++) scores.set(net.run(Array.from(test.x.subarray(i * PIXELS, (i + 1) * PIXELS))), i * 10);
      return scores;
    },
    testLabels: test.labels,
  });
} catch (error) {
  reportFailure('brain.js', 'float32', error instanceof Error ? error.message : String(error));
}
