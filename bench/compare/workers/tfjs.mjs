// TensorFlow.js 4.22 (float32), backend from argv[2]: 'cpu' (plain JavaScript kernels) or 'wasm'
// (XNNPACK, its .wasm files loaded from node_modules). The usual Layers API: a sequential model,
// model.fit with batches of 32, shuffled every epoch; each epoch ends at onEpochEnd. With
// TFJS_API=loop, a hand-written loop instead (tf.gather of each shuffled batch,
// optimizer.minimize of tf.losses.softmaxCrossEntropy on the same layers without the softmax).
import { createRequire } from 'node:module';
import path from 'node:path';
import { Random } from '../../deltaprop.mjs';
import { CLASSES, PIXELS, oneHotFlat } from '../../mnist.mjs';
import { TRAIN, WORKLOAD, activeWorkload, epochCount, loadMnistSplit, reportFailure, runWorkload } from '../harness.mjs';

const shape = activeWorkload();

const backend = process.argv[2] ?? 'cpu';
const library = `tfjs-${backend}`;
const require = createRequire(import.meta.url);

try {
  const tf = await import('@tensorflow/tfjs');
  const notes = [
    process.env.TFJS_API === 'loop'
      ? `hand-written loop: tf.gather of a shuffled batch of ${shape.batchSize}, optimizer.minimize(softmaxCrossEntropy)`
      : `tf.LayersModel.fit, batches of ${shape.batchSize}, shuffled every epoch`,
  ];
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
      ...shape.hidden.map((units, i) =>
        tf.layers.dense({ ...(i === 0 ? { inputShape: [PIXELS] } : {}), units, activation: 'relu', kernelInitializer: 'heUniform' })),
      tf.layers.dense({ units: CLASSES, activation: 'softmax', kernelInitializer: 'glorotUniform' }),
    ],
  });
  model.compile({ optimizer: tf.train.sgd(WORKLOAD.learningRate), loss: 'categoricalCrossentropy' });
  // TFJS_API=loop: the same layers without the softmax, trained with tf.losses.softmaxCrossEntropy.
  const logits = tf.sequential({ layers: [...model.layers.slice(0, -1), tf.layers.dense({ units: CLASSES, kernelInitializer: 'glorotUniform' })] });

  await runWorkload({
    library,
    precision: 'float32',
    notes,
    epochs: epochCount(shape.epochs),
    train: async (epochs, endOfEpoch) => {
      if (process.env.TFJS_API !== 'loop') {
        await model.fit(x, y, {
          batchSize: shape.batchSize,
          epochs,
          shuffle: true,
          verbose: 0,
          callbacks: { onEpochEnd: endOfEpoch },
        });
        return;
      }
      // A hand-written loop: gather a shuffled batch, optimizer.minimize on the model's loss.
      const optimizer = tf.train.sgd(WORKLOAD.learningRate);
      const order = new Int32Array(TRAIN);
      for (let i = 0; i < TRAIN; i++) order[i] = i;
      const random = new Random(1);
      for (let e = 0; e < epochs; e++) {
        random.shuffle(order);
        for (let start = 0; start < TRAIN; start += shape.batchSize) {
          const idx = order.subarray(start, Math.min(start + shape.batchSize, TRAIN));
          tf.tidy(() => {
            const i = tf.tensor1d(idx, 'int32');
            const xb = tf.gather(x, i);
            const yb = tf.gather(y, i);
            optimizer.minimize(() => tf.losses.softmaxCrossEntropy(yb, logits.apply(xb)));
          });
        }
        endOfEpoch();
      }
    },
    testScores: () => tf.tidy(() => (process.env.TFJS_API === 'loop' ? logits : model).predict(testX).dataSync()),
    testLabels: test.labels,
  });
} catch (error) {
  reportFailure(library, 'float32', error instanceof Error ? error.message : String(error));
}
