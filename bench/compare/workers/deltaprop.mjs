// deltaprop from the built ../../dist: Network.fit on Float64Array, one call for all epochs;
// each epoch ends at its onEpoch callback.
import { Matrix, Network } from '../../deltaprop.mjs';
import { CLASSES, PIXELS, oneHotFlat } from '../../mnist.mjs';
import { TRAIN, WORKLOAD, epochCount, loadMnistSplit, runWorkload } from '../harness.mjs';

const { train, test } = loadMnistSplit();
const x = new Matrix(TRAIN, PIXELS, train.x);
const y = new Matrix(TRAIN, CLASSES, oneHotFlat(train.labels));
const testX = new Matrix(test.labels.length, PIXELS, test.x);

const net = Network.create({
  input: PIXELS,
  layers: [
    { units: 128, activation: 'relu' },
    { units: CLASSES, activation: 'softmax' },
  ],
  seed: 1,
});

await runWorkload({
  library: 'deltaprop',
  precision: 'float64',
  notes: ['Network.fit, mini-batches of 32, shuffled every epoch'],
  epochs: epochCount(),
  train: (epochs, endOfEpoch) => {
    net.fit(x, y, {
      loss: 'categoricalCrossEntropy',
      learningRate: WORKLOAD.learningRate,
      batchSize: WORKLOAD.batchSize,
      epochs,
      shuffle: true,
      seed: 1,
      onEpoch: endOfEpoch,
    });
  },
  testScores: () => net.predict(testX).data,
  testLabels: test.labels,
});
