// deltaprop from the built ../../dist: Network.fit on Float64Array, one call for all epochs;
// each epoch ends at its onEpoch callback. argv[2]: the backend ('wasm', the default, or 'js').
import { Matrix, Network, getBackend, setBackend } from '../../deltaprop.mjs';
import { CLASSES, PIXELS, oneHotFlat } from '../../mnist.mjs';
import { TRAIN, WORKLOAD, activeWorkload, epochCount, loadMnistSplit, runWorkload } from '../harness.mjs';

const backend = process.argv[2] ?? 'wasm';
setBackend(backend);
const shape = activeWorkload();

const { train, test } = loadMnistSplit();
const x = new Matrix(TRAIN, PIXELS, train.x);
const y = new Matrix(TRAIN, CLASSES, oneHotFlat(train.labels));
const testX = new Matrix(test.labels.length, PIXELS, test.x);

const net = Network.create({
  input: PIXELS,
  layers: [
    ...shape.hidden.map((units) => ({ units, activation: 'relu' })),
    { units: CLASSES, activation: 'softmax' },
  ],
  seed: 1,
});

await runWorkload({
  library: backend === 'js' ? 'deltaprop-js' : 'deltaprop',
  precision: 'float64',
  notes: [`Network.fit, mini-batches of ${shape.batchSize}, shuffled every epoch, ${getBackend()} backend`],
  epochs: epochCount(shape.epochs),
  train: (epochs, endOfEpoch) => {
    net.fit(x, y, {
      loss: 'categoricalCrossEntropy',
      learningRate: WORKLOAD.learningRate,
      batchSize: shape.batchSize,
      epochs,
      shuffle: true,
      seed: 1,
      onEpoch: endOfEpoch,
    });
  },
  testScores: () => net.predict(testX).data,
  testLabels: test.labels,
});
