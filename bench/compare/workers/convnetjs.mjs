// convnetjs 0.3.0 (float64: its Vol stores Float64Array): input 1×1×784, fc 128 + relu, softmax
// 10, Trainer 'sgd' with batch_size 32 (it averages 32 per-sample gradients, then steps),
// momentum 0, no decay. Samples visited in a fresh deltaprop-Random order every epoch; one
// input Vol reused.
import { createRequire } from 'node:module';
import { Random } from '../../deltaprop.mjs';
import { PIXELS } from '../../mnist.mjs';
import { TRAIN, WORKLOAD, epochCount, loadMnistSplit, reportFailure, runWorkload } from '../harness.mjs';

const require = createRequire(import.meta.url);

try {
  const convnetjs = require('convnetjs');
  const { train, test } = loadMnistSplit();
  const net = new convnetjs.Net();
  net.makeLayers([
    { type: 'input', out_sx: 1, out_sy: 1, out_depth: PIXELS },
    { type: 'fc', num_neurons: 128, activation: 'relu' },
    { type: 'softmax', num_classes: 10 },
  ]);
  const trainer = new convnetjs.Trainer(net, {
    method: 'sgd',
    learning_rate: WORKLOAD.learningRate,
    batch_size: WORKLOAD.batchSize,
    momentum: 0,
    l2_decay: 0,
  });
  const input = new convnetjs.Vol(1, 1, PIXELS, 0);
  const order = new Uint32Array(TRAIN);
  for (let i = 0; i < TRAIN; i++) order[i] = i;
  const random = new Random(1);

  await runWorkload({
    library: 'convnetjs',
    precision: 'float64',
    notes: ['Trainer sgd, batch_size 32 (per-sample forward/backward, one step per 32)'],
    epochs: epochCount(),
    train: (epochs, endOfEpoch) => {
      for (let e = 0; e < epochs; e++) {
        random.shuffle(order);
        for (let r = 0; r < TRAIN; r++) {
          const i = order[r];
          input.w.set(train.x.subarray(i * PIXELS, (i + 1) * PIXELS));
          trainer.train(input, train.labels[i]);
        }
        endOfEpoch();
      }
    },
    testScores: () => {
      const n = test.labels.length;
      const scores = new Float64Array(n * 10);
      for (let i = 0; i < n; i++) {
        input.w.set(test.x.subarray(i * PIXELS, (i + 1) * PIXELS));
        scores.set(net.forward(input, false).w, i * 10);
      }
      return scores;
    },
    testLabels: test.labels,
  });
} catch (error) {
  reportFailure('convnetjs', 'float64', error instanceof Error ? error.message : String(error));
}
