/**
 * The TensorFlow.js layers format: @tensorflow/tfjs-layers (cpu backend) loads what toTFJS writes and
 * predicts within 1e-5 of predict; fromTFJS reads it back, reads models tfjs itself saved, and reads a
 * Keras model in the files the tfjs converter writes (test/fixtures/tfjs-keras/).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { DeltapropError, elementwiseActivation, fromTFJS, Network, toTFJS } from '../src/index.js';
import { ACTIVATIONS, inputs, makeNet, maxRelative, predictScaled, sameBits, withScaling } from './helpers/interop.js';

const TOLERANCE = 1e-5;
const KERAS = join(import.meta.dirname, 'fixtures', 'tfjs-keras');

beforeAll(async () => {
  await tf.setBackend('cpu');
});

async function runTFJS(artifacts: tf.io.ModelArtifacts, x: number[][]): Promise<Float64Array> {
  const model = await tfl.loadLayersModel(tf.io.fromMemory(artifacts));
  const y = model.predict(tf.tensor2d(x)) as tf.Tensor;
  const out = Float64Array.from(y.dataSync());
  y.dispose();
  model.dispose();
  return out;
}

let worst = 0;

describe('tfjs-layers loads what toTFJS writes', () => {
  for (const [label, activation] of ACTIVATIONS) {
    it(`${label}: depths 1–4 predict within ${TOLERANCE} of predict`, async () => {
      for (let depth = 1; depth <= 4; depth++) {
        const net = makeNet(activation, depth, depth);
        const x = inputs();
        const artifacts = toTFJS(net);
        const e = maxRelative(await runTFJS(artifacts, x), net.predict(x).data, 1);
        worst = Math.max(worst, e);
        expect(e, `depth ${depth}`).toBeLessThanOrEqual(TOLERANCE);
      }
    });
  }

  it('a Sequential of Dense layers (kernel = Wᵀ), with a LeakyReLU layer where needed', async () => {
    const net = makeNet('leakyRelu', 2);
    const a = toTFJS(net);
    const model = await tfl.loadLayersModel(tf.io.fromMemory(a));
    expect(model.layers.map((l) => l.getClassName())).toEqual(['Dense', 'LeakyReLU', 'Dense', 'LeakyReLU']);
    const kernel = model.layers[0]!.getWeights()[0]!;
    expect(kernel.shape).toEqual([5, 7]);
    const k = kernel.dataSync();
    const W = net.layers[0]!.weights;
    expect(k[2 * 7 + 3]).toBe(Math.fround(W.get(3, 2))); // kernel[j][i] = W[i][j]
    expect(a.format).toBe('layers-model');
    expect(a.generatedBy).toMatch(/^deltaprop \d+\.\d+\.\d+$/);
    model.dispose();
  });

  it('reports the largest precision loss of the float32 rounding, as measured independently', () => {
    const net = makeNet('tanh', 3);
    const { precisionLoss } = toTFJS(net);
    let abs = 0;
    let rel = 0;
    for (const l of net.layers) {
      for (const v of [...l.weights.data, ...l.biases]) {
        abs = Math.max(abs, Math.abs(Math.fround(v) - v));
        if (v !== 0) rel = Math.max(rel, Math.abs(Math.fround(v) - v) / Math.abs(v));
      }
    }
    expect(precisionLoss).toEqual({ maxAbsolute: abs, maxRelative: rel });
    expect(rel).toBeLessThanOrEqual(2 ** -24);
    expect(rel).toBeGreaterThan(0);
  });

  it('input and output scaling are folded into the first and last layers', async () => {
    const net = withScaling(makeNet('identity', 2));
    const x = inputs(4);
    const y = await runTFJS(toTFJS(net), x);
    expect(maxRelative(y, predictScaled(net, x), 1)).toBeLessThanOrEqual(TOLERANCE);
    const tanh = withScaling(makeNet('tanh', 2));
    expect(() => toTFJS(tanh)).toThrow(/net.scaling.output/);
  });

  it('reports the largest difference measured', () => {
    console.log(`tfjs-layers vs predict, largest relative difference (above 1): ${worst}`);
    expect(worst).toBeGreaterThan(0);
  });
});

describe('fromTFJS', () => {
  it('fromTFJS(toTFJS(net)): the same network, each weight the float32 nearest it', () => {
    for (const [label, activation] of ACTIVATIONS) {
      const net = makeNet(activation, 3);
      const back = fromTFJS(toTFJS(net));
      expect(back.layers.map((l) => l.activation.toJSON()), label).toEqual(net.layers.map((l) => l.activation.toJSON()));
      net.layers.forEach((l, n) => {
        expect(sameBits(back.layers[n]!.weights.data, l.weights.data.map(Math.fround))).toBe(true);
        expect(sameBits(back.layers[n]!.biases, l.biases.map(Math.fround))).toBe(true);
      });
    }
  });

  it('reads a model tfjs itself built and saved', async () => {
    const model = tfl.sequential();
    model.add(tfl.layers.dense({ units: 6, activation: 'relu', inputShape: [4] }));
    model.add(tfl.layers.dense({ units: 5 }));
    model.add(tfl.layers.leakyReLU({ alpha: 0.15 }));
    model.add(tfl.layers.dense({ units: 3, activation: 'softmax' }));
    let saved: tf.io.ModelArtifacts | undefined;
    await model.save(tf.io.withSaveHandler((a) => {
      saved = a;
      return Promise.resolve({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } });
    }));
    const net = fromTFJS(saved as never);
    expect(net.layers.map((l) => l.activation.toJSON())).toEqual(['relu', { name: 'leakyRelu', slope: 0.15 }, 'softmax']);
    const x = inputs().map((r) => r.slice(0, 4));
    const y = model.predict(tf.tensor2d(x)) as tf.Tensor;
    expect(maxRelative(net.predict(x).data, Float64Array.from(y.dataSync()), 1)).toBeLessThanOrEqual(TOLERANCE);
    model.dispose();
  });

  it('reads a Keras model as the tfjs converter writes it (model.json + shard), as numpy and tfjs compute it', async () => {
    const modelJSON = JSON.parse(readFileSync(join(KERAS, 'model.json'), 'utf8')) as { modelTopology: unknown; weightsManifest: unknown[] };
    const shard = readFileSync(join(KERAS, 'group1-shard1of1.bin'));
    const weightData = new Uint8Array(shard).buffer;
    const expected = JSON.parse(readFileSync(join(KERAS, 'expected.json'), 'utf8')) as { x: number[][]; y: number[][] };
    const net = fromTFJS({ modelTopology: modelJSON.modelTopology, weightsManifest: modelJSON.weightsManifest, weightData });
    expect(net.layers.map((l) => l.activation.toJSON())).toEqual(['relu', { name: 'leakyRelu', slope: 0.2 }, 'tanh', 'softmax']);
    // numpy, float64, the same float32 weights: only the summation order differs.
    expect(maxRelative(net.predict(expected.x).data, expected.y.flat(), 1e-3)).toBeLessThanOrEqual(1e-12);
    // tfjs loads the same files and agrees (float32).
    const model = await tfl.loadLayersModel(tf.io.fromMemory({
      modelTopology: modelJSON.modelTopology as tf.io.ModelJSON['modelTopology'],
      weightSpecs: (modelJSON.weightsManifest[0] as { weights: tf.io.WeightsManifestEntry[] }).weights,
      weightData,
    }));
    const y = model.predict(tf.tensor2d(expected.x)) as tf.Tensor;
    expect(maxRelative(Float64Array.from(y.dataSync()), expected.y.flat(), 1)).toBeLessThanOrEqual(TOLERANCE);
    model.dispose();
  });

  it('refuses what it cannot represent, naming the argument', () => {
    const base = toTFJS(makeNet('relu', 2));
    const topo = base.modelTopology as { config: { layers: Array<{ class_name: string; config: Record<string, unknown> }> } };
    const withLayers = (layers: unknown[]): never => ({ ...base, modelTopology: { ...base.modelTopology, config: { name: 'x', layers } } }) as never;
    expect(() => fromTFJS({ ...base, modelTopology: { class_name: 'Functional', config: {} } })).toThrow(/fromTFJS: argument "artifacts.modelTopology.class_name" must be 'Sequential'/);
    expect(() => fromTFJS(withLayers([{ class_name: 'Conv2D', config: {} }]))).toThrow(/class_name" must be 'Dense'.*got "Conv2D"/);
    expect(() => fromTFJS(withLayers([{ ...topo.config.layers[0], config: { ...topo.config.layers[0]!.config, activation: 'elu' } }, topo.config.layers[1]]))).toThrow(/activation" must be one of .*got "elu"/);
    expect(() => fromTFJS({ ...base, weightData: base.weightData.slice(4) })).toThrow(/artifacts.weightData" must be \d+ bytes/);
    expect(() => fromTFJS({ ...base, weightSpecs: base.weightSpecs.map((s) => ({ ...s, dtype: 'int32' })) })).toThrow(/dtype" must be 'float32'/);
    expect(() => fromTFJS({ ...base, weightSpecs: base.weightSpecs.map((s, i) => (i === 0 ? { ...s, name: 'other/kernel' } : s)) })).toThrow(/no weight named "dense_1\/kernel"/);
    expect(() => fromTFJS(null as never)).toThrow(DeltapropError);
    const nan = base.weightData.slice(0);
    new DataView(nan).setFloat32(0, NaN, true);
    expect(() => fromTFJS({ ...base, weightData: nan })).toThrow(/holds NaN/);
  });

  it('toTFJS refuses a custom activation, naming it', () => {
    const swish = elementwiseActivation('swish', (x) => x, () => 1);
    expect(() => toTFJS(Network.create({ input: 2, layers: [{ units: 1, activation: swish }] }))).toThrow(/toTFJS: argument "net.layers\[0\].activation" .*'swish'/);
  });
});
