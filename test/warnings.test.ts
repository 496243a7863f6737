/** history.warnings (a reason and a remedy, never a change of results) and net.summary(). */
import { describe, expect, it } from 'vitest';
import { leakyRelu, Matrix, Network } from '../src/index.js';
import type { Trace } from '../src/model/backprop.js';
import { Watch } from '../src/train/warnings.js';
import { parameterBits } from './helpers/weights.js';

describe('history.warnings', () => {
  it('inputs far outside unit scale with inputScaling none: reported with the remedy; none once scaled', () => {
    const x = [[0, 255], [128, 0], [255, 64], [30, 200]], y = [[0], [1], [1], [0]];
    const plain = Network.create({ input: 2, layers: [{ units: 1, activation: 'sigmoid' }], seed: 1 });
    const h = plain.fit(x, y, { epochs: 1, seed: 1 });
    expect(h.warnings).toHaveLength(1);
    expect(h.warnings[0]).toContain('|x| = 255');
    expect(h.warnings[0]).toContain("inputScaling: 'standard'");
    const scaled = Network.create({ input: 2, layers: [{ units: 1, activation: 'sigmoid' }], seed: 1, inputScaling: 'standard' });
    expect(scaled.fit(x, y, { epochs: 1, seed: 1 }).warnings).toEqual([]);
    expect(plain.fit([[0, 1]], [[1]], { epochs: 1 }).warnings).toEqual([]);
  });

  it('a ReLU layer with units never active during an epoch is reported once; results are the same bits as without the report', () => {
    const make = (activation: 'relu' | ReturnType<typeof leakyRelu>): Network => {
      const net = Network.create({ input: 2, layers: [{ units: 4, activation }, { units: 1 }], seed: 3 });
      // Unit 2 gets a large negative bias: its sum is never above 0 on these inputs.
      net.layers[0]!.biases[2] = -100;
      return net;
    };
    const x = [[0.1, 0.2], [0.3, -0.4], [-0.5, 0.6], [0.7, 0.8]], y = [[1], [0], [1], [0]];
    const relu = make('relu');
    const h = relu.fit(x, y, { epochs: 3, batchSize: 2, seed: 2, learningRate: 0.05 });
    expect(h.warnings).toHaveLength(1);
    expect(h.warnings[0]).toMatch(/layer 0 \(relu\): 1 of 4 units were never active during epoch 1/);
    expect(h.warnings[0]).toContain('leakyRelu');
    // leakyRelu(0) is the same function and is not watched: the same bits, with no report.
    const same = make(leakyRelu(0));
    const quiet = same.fit(x, y, { epochs: 3, batchSize: 2, seed: 2, learningRate: 0.05 });
    expect(quiet.warnings).toEqual([]);
    expect(parameterBits(relu)).toBe(parameterBits(same));
  });
});

describe('the dead-ReLU watch', () => {
  const layers = Network.create({ input: 2, layers: [{ units: 3, activation: 'relu' }, { units: 4, activation: 'relu' }, { units: 1 }], seed: 1 }).layers;
  /** A trace whose ReLU sums are `a` (3 units) and `b` (4 units), one row per sample. */
  const trace = (a: number[][], b: number[][]): Trace => ({ sums: [Matrix.from(a), Matrix.from(b)] }) as unknown as Trace;
  const positive = [[1, 1, 1, 1]];

  it('marks a unit active when any of its rows is above 0, in any batch of the epoch; −0, 0 and NaN are not', () => {
    const w = new Watch(layers);
    w.observe(trace([[0, -1, NaN], [-0, 2, 0]], positive)); // unit 1 only
    w.observe(trace([[0, 0, -3], [5, 0, 0]], positive)); // unit 0
    w.endEpoch(1);
    expect(w.warnings).toHaveLength(1);
    expect(w.warnings[0]).toMatch(/^layer 0 \(relu\): 1 of 3 units were never active during epoch 1/);
    // Marks start again each epoch; layer 0 is reported once only; layer 1 is still watched.
    w.observe(trace([[0, 0, 0]], [[1, 0, 0, 0], [0, 0, 1, 0]]));
    w.observe(trace([[0, 0, 0]], [[0, 0, 0, 0], [0, 1e-300, 0, 0]]));
    w.endEpoch(2);
    expect(w.warnings).toHaveLength(2);
    expect(w.warnings[1]).toMatch(/^layer 1 \(relu\): 1 of 4 units were never active during epoch 2/);
  });

  it('a watch loaded from toJSON mid-epoch continues the same count', () => {
    const a = new Watch(layers), b = new Watch(layers);
    a.observe(trace([[1, 0, 0]], [[1, 1, 0, 0]]));
    b.load(JSON.parse(JSON.stringify(a.toJSON())));
    for (const w of [a, b]) {
      w.observe(trace([[0, 2, 0]], [[0, 0, 1, 1]])); // layer 1 now complete, layer 0 still misses unit 2
      w.endEpoch(1);
    }
    expect(b.warnings).toEqual(a.warnings);
    expect(a.warnings).toHaveLength(1);
    expect(a.warnings[0]).toMatch(/^layer 0 \(relu\): 1 of 3 units/);
  });
});

describe('net.summary()', () => {
  it('a table of layers (type, output width, activation, dropout, parameters) and the totals', () => {
    const net = Network.create({
      input: 4,
      layers: [{ units: 8, activation: 'relu', dropout: 0.2 }, { units: 3, activation: 'softmax' }],
      inputScaling: 'standard',
      classes: ['a', 'b', 'c'],
    });
    const text = net.summary();
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^Layer \(type\)\s+Output\s+Activation\s+Dropout\s+Params$/);
    expect(lines[3]).toMatch(/^dense_0 \(Dense\)\s+8\s+relu\s+0\.2\s+40$/);
    expect(lines[4]).toMatch(/^dense_1 \(Dense\)\s+3\s+softmax\s+27$/);
    expect(text).toContain(`Total parameters: ${net.parameterCount} (all trainable)`);
    expect(net.parameterCount).toBe(67);
    expect(text).toContain('Classes: "a", "b", "c"');
    expect(text).toContain('Input scaling: standard (not adapted yet)');
  });
});
