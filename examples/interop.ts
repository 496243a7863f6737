/**
 * Moving a model elsewhere: train a digits classifier (784-128-10), then
 *   1. export it to ONNX (float64 and float32) and run the file with onnxruntime-web,
 *   2. export it to the TensorFlow.js layers format and run it with tfjs-layers,
 *   3. emit a standalone module (no dependencies, CSP-safe) and import it,
 * and print, for each, the largest difference from net.predict and the size of what was written.
 *
 *     npx tsx examples/interop.ts [--quick]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import * as ort from 'onnxruntime-web';
import { fromONNX, Network, toModule, toONNX, toTFJS } from '../src/index.js';
import { loadDigits } from './mnist-data.js';
import { printResult, quick } from './progress.js';

const { trainX, trainY, testX } = loadDigits({ train: quick ? 2000 : 8000, test: 500 });
const net = Network.create({ input: 784, layers: [{ units: 128, activation: 'relu' }, { units: 10, activation: 'softmax' }], seed: 1 });
net.fit(trainX, trainY, { loss: 'categoricalCrossEntropy', learningRate: 0.3, batchSize: 32, epochs: quick ? 1 : 3, shuffle: true, seed: 1 });
const expected = net.predict(testX).data;
const rows = testX.rows;
console.log(`Trained 784-128-10 on ${trainX.rows} digits; comparing on ${rows} test digits.\n`);

/** Largest |a − b| / max(|b|, 1e-3) (outputs are probabilities; tiny ones are compared absolutely). */
function largest(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - expected[i]!) / Math.max(Math.abs(expected[i]!), 1e-3));
  return m;
}

// 1. ONNX in onnxruntime-web (the same calls work in a browser; in Node, onnxruntime-node takes the same model).
ort.env.wasm.numThreads = 1;
const onnx: Record<string, { bytes: number; difference: number }> = {};
for (const precision of ['float64', 'float32'] as const) {
  const bytes = toONNX(net, { precision });
  const session = await ort.InferenceSession.create(bytes);
  const data = precision === 'float64' ? Float64Array.from(testX.data) : Float32Array.from(testX.data);
  const out = await session.run({ input: new ort.Tensor(precision, data, [rows, 784]) });
  onnx[precision] = { bytes: bytes.length, difference: largest(out['output']!.data as Float64Array) };
  await session.release();
  console.log(`ONNX ${precision}: ${bytes.length} bytes, onnxruntime-web differs from predict by at most ${onnx[precision].difference.toExponential(2)} (relative)`);
}
const roundTrip = fromONNX(toONNX(net)).predict(testX).data.every((v, i) => Object.is(v, expected[i]));
console.log(`fromONNX(toONNX(net)) predicts the same bits: ${roundTrip}`);

// 2. TensorFlow.js layers format.
await tf.setBackend('cpu');
const artifacts = toTFJS(net);
const model = await tfl.loadLayersModel(tf.io.fromMemory(artifacts));
const tfOut = (model.predict(tf.tensor2d(Float32Array.from(testX.data), [rows, 784])) as tf.Tensor).dataSync();
const tfjsBytes = JSON.stringify(artifacts.modelTopology).length + JSON.stringify(artifacts.weightSpecs).length + artifacts.weightData.byteLength;
const tfjsDifference = largest(tfOut);
console.log(`tfjs: ${tfjsBytes} bytes (topology + specs + float32 weights), largest weight rounding ${artifacts.precisionLoss.maxRelative.toExponential(2)} relative; tfjs-layers differs by at most ${tfjsDifference.toExponential(2)}`);

// 3. A standalone module, written to a file and imported.
const source = toModule(net);
const dir = mkdtempSync(join(tmpdir(), 'deltaprop-interop-'));
const file = join(dir, 'digits-model.mjs');
writeFileSync(file, source);
const standalone = (await import(pathToFileURL(file).href)) as { predict(x: number[][]): Float64Array[] };
const samples = Array.from({ length: rows }, (_, i) => Array.from(testX.data.subarray(i * 784, (i + 1) * 784)));
const moduleOut = standalone.predict(samples);
let identical = true;
moduleOut.forEach((row, i) => row.forEach((v, j) => (identical &&= Object.is(v, expected[i * 10 + j]))));
rmSync(dir, { recursive: true, force: true });
console.log(`standalone module: ${source.length} characters, bit-identical to predict: ${identical}`);

printResult({ onnx, roundTrip, tfjs: { bytes: tfjsBytes, difference: tfjsDifference, weightRounding: artifacts.precisionLoss.maxRelative }, module: { characters: source.length, identical } });
