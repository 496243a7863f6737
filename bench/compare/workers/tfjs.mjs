// TensorFlow.js 4.22 (float32), backend from argv[2]: 'cpu' (plain JavaScript kernels) or 'wasm'
// (XNNPACK, its .wasm files loaded from node_modules). The usual Layers API: a sequential model,
// model.fit with batches of 32, shuffled every epoch; each epoch ends at onEpochEnd.
import { createRequire } from 'node:module';
import path from 'node:path';
import { CLASSES, PIXELS, oneHotFlat } from '../../mnist.mjs';
import { TRAIN, WORKLOAD, epochCount, loadMnistSplit, reportFailure, runWorkload } from '../harness.mjs';

const backend = process.argv[2] ?? 'cpu';
const library = `tfjs-${backend}`;
const require = createRequire(import.meta.url);

try {
  const tf = await import('@tensorflow/tfjs');
  const notes = ['tf.LayersModel.fit, batches of 32, shuffled every epoch'];
  if (backend === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const dir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
    wasm.setWasmPaths(dir + path.sep);
  }
  if (!(await tf.setBackend(backend))) throw new Error(`tf.setBackend('${backend}') failed`);
  await tf.ready();
  if (backend === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    notes.push(`SIMD ${simd ? 'on' : 'off'}, ${wasm.getThreadsCount()} thread(s)`);
  }

  const { train, test } = loadMnistSplit();
  const x = tf.tensor2d(Float32Array.from(train.x), [TRAIN, PIXELS]);
  const y = tf.tensor2d(oneHotFlat(train.labels, Float32Array), [TRAIN, CLASSES]);
  const testX = tf.tensor2d(Float32Array.from(test.x), [test.labels.length, PIXELS]);

  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [PIXELS], units: 128, activation: 'relu', kernelInitializer: 'heUniform' }),
      tf.layers.dense({ units: CLASSES, activation: 'softmax', kernelInitializer: 'glorotUniform' }),
    ],
  });
  model.compile({ optimizer: tf.train.sgd(WORKLOAD.learningRate), loss: 'categoricalCrossentropy' });

  await runWorkload({
    library,
    precision: 'float32',
    notes,
    epochs: epochCount(),
    train: async (epochs, endOfEpoch) => {
      await model.fit(x, y, {
        batchSize: WORKLOAD.batchSize,
        epochs,
        shuffle: true,
        verbose: 0,
        callbacks: { onEpochEnd: endOfEpoch },
      });
    },
    testScores: () => tf.tidy(() => model.predict(testX).dataSync()),
    testLabels: test.labels,
  });
} catch (error) {
  reportFailure(library, 'float32', error instanceof Error ? error.message : String(error));
}
