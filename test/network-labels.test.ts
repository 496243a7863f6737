/**
 * Class labels in and out: `classes` checked against the output at create, labels encoded by fit
 * (and validation data, and validationSplit), classify, evaluate on a hand-made case.
 */
import { describe, expect, it } from 'vitest';
import { Network, Trainer } from '../src/index.js';
import { expectDeltapropError } from './helpers/numeric.js';
import { parameterBits, setLayer } from './helpers/weights.js';

const x = [[0, 0], [0, 1], [1, 0], [1, 1], [0.2, 0.1], [0.9, 0.8]];
const names = ['no', 'yes', 'yes', 'no', 'no', 'no'];

function softmax3(classes?: unknown): Network {
  return Network.create({ input: 3, layers: [{ units: 3, activation: 'softmax' }], seed: 1, ...(classes === undefined ? {} : { classes: classes as string[] }) });
}

describe('classes at create', () => {
  it('n softmax units ↔ n classes, one sigmoid unit ↔ 2 classes; a count n means labels 0 … n − 1', () => {
    expect(softmax3(['a', 'b', 'c']).classes).toEqual(['a', 'b', 'c']);
    expect(softmax3(3).classes).toEqual([0, 1, 2]);
    expect(softmax3().classes).toEqual([0, 1, 2]); // a classifier without classes: 0 … K − 1
    const binary = Network.create({ input: 2, layers: [{ units: 1, activation: 'sigmoid' }], classes: ['cat', 'dog'] });
    expect(binary.classes).toEqual(['cat', 'dog']);
    expect(Network.create({ input: 2, layers: [{ units: 1 }] }).classes).toBeUndefined();
  });

  it('bad classes are DeltapropErrors: duplicated, empty, mixed, the wrong count, on a regression output', () => {
    expectDeltapropError(() => softmax3(['a', 'b', 'a']), 'Network.create', '"spec.classes"', 'distinct');
    expectDeltapropError(() => softmax3([]), 'Network.create', '"spec.classes"', 'non-empty');
    expectDeltapropError(() => softmax3(['a', 1, 'c']), 'Network.create', '"spec.classes[1]"');
    expectDeltapropError(() => softmax3(['a', 'b']), 'Network.create', '"spec.classes"', '3 classes', '2 classes');
    expectDeltapropError(() => softmax3(0), 'Network.create', '"spec.classes"');
    expectDeltapropError(() => Network.create({ input: 2, layers: [{ units: 1, activation: 'sigmoid' }], classes: 3 }), 'Network.create', '2 classes');
    expectDeltapropError(() => Network.create({ input: 2, layers: [{ units: 2 }], classes: 2 }), 'Network.create', '"spec.classes"', 'softmax');
  });

  it('a softmax output of one unit is refused, suggesting a sigmoid', () => {
    const e = expectDeltapropError(() => Network.create({ input: 2, layers: [{ units: 4 }, { units: 1, activation: 'softmax' }] }), 'Network.create', '"spec.layers[1]"', "activation: 'sigmoid'");
    expect(e.message).toContain('always outputs 1');
  });
});

describe('labels as targets', () => {
  it('fit on string labels gives the same bits as fit on the one-hot rows (and a 0/1 column for one sigmoid unit)', () => {
    const make = (units: number, classes?: string[]): Network =>
      Network.create({ input: 2, layers: [{ units: 4, activation: 'tanh' }, { units, activation: units === 1 ? 'sigmoid' : 'softmax' }], seed: 5, ...(classes ? { classes } : {}) });
    const a = make(2, ['no', 'yes']), b = make(2);
    a.fit(x, names, { epochs: 5, batchSize: 2, seed: 1 });
    b.fit(x, names.map((n) => (n === 'yes' ? [0, 1] : [1, 0])), { epochs: 5, batchSize: 2, seed: 1 });
    expect(parameterBits(a)).toBe(parameterBits(b));
    const c = make(1, ['no', 'yes']), d = make(1);
    c.fit(x, names, { epochs: 5, batchSize: 2, seed: 1 });
    d.fit(x, names.map((n) => [n === 'yes' ? 1 : 0]), { epochs: 5, batchSize: 2, seed: 1 });
    expect(parameterBits(c)).toBe(parameterBits(d));
  });

  it('integer labels without classes mean class indices; validation data and validationSplit take labels too', () => {
    const a = Network.create({ input: 2, layers: [{ units: 2, activation: 'softmax' }], seed: 2 });
    const b = a.clone();
    const ints = names.map((n) => (n === 'yes' ? 1 : 0));
    const ha = a.fit(x, ints, { epochs: 3, batchSize: 3, seed: 1, validation: { x, y: ints } });
    const hb = b.fit(x, ints.map((c) => (c === 1 ? [0, 1] : [1, 0])), { epochs: 3, batchSize: 3, seed: 1, validation: { x, y: ints.map((c) => (c === 1 ? [0, 1] : [1, 0])) } });
    expect(ha.epochs).toEqual(hb.epochs);
    const c = Network.create({ input: 2, layers: [{ units: 2, activation: 'softmax' }], seed: 2, classes: ['no', 'yes'] });
    const split = c.fit(x, names, { epochs: 2, validationSplit: 0.34, seed: 3 });
    expect(split.epochs[0]!.validationAccuracy).toBeDefined();
  });

  it('wrong length, unknown labels and labels for a regression output are DeltapropErrors; the weights stay', () => {
    const net = Network.create({ input: 2, layers: [{ units: 2, activation: 'softmax' }], seed: 2, classes: ['no', 'yes'] });
    const before = parameterBits(net);
    expectDeltapropError(() => net.fit(x, names.slice(1)), 'Network.fit', '"y"', '6 labels');
    const e = expectDeltapropError(() => net.fit(x, [...names.slice(1), 'maybe']), 'Network.fit', '"y[5]"', '"maybe"');
    expect(e.message).toContain('"no", "yes"');
    expectDeltapropError(() => net.fit(x, names.map((_, i) => i % 2)), 'Network.fit', '"y[0]"', 'the classes are strings');
    expectDeltapropError(() => net.trainer(x, names, { validation: { x, y: ['no'] } }), 'Network.trainer', '"options.validation.y"', '6 labels');
    expectDeltapropError(() => Network.create({ input: 2, layers: [{ units: 1 }] }).fit(x, [1, 2, 3, 4, 5, 6]), 'Network.fit', '"y"', 'labels need a classifier');
    expect(parameterBits(net)).toBe(before);
  });
});

describe('classify and evaluate on a hand-made case', () => {
  // W = 10·I, B = 0: the softmax of 10·x, so the predicted class is the largest input.
  const net = softmax3(['red', 'green', 'blue']);
  setLayer(net, 0, [[10, 0, 0], [0, 10, 0], [0, 0, 10]], [0, 0, 0]);
  const X = [
    [1, 0, 0], // red → red
    [1, 0, 0], // green → red
    [0, 1, 0], // green → green
    [0, 1, 0], // blue → green
    [1, 0, 0], // blue → red
  ];
  const truth = ['red', 'green', 'green', 'blue', 'blue'];

  it('classify: label, its probability and every probability, for one sample and a batch', () => {
    const one = net.classify([0, 1, 0]);
    const p = Array.from(net.predict([0, 1, 0]));
    expect(one).toEqual({ label: 'green', probability: p[1], probabilities: p });
    expect(net.classify(X).map((c) => c.label)).toEqual(['red', 'red', 'green', 'green', 'red']);
    const sig = Network.create({ input: 1, layers: [{ units: 1, activation: 'sigmoid' }], classes: ['off', 'on'] });
    setLayer(sig, 0, [[1]], [0]);
    const q = sig.predict([2])[0]!;
    expect(sig.classify([2])).toEqual({ label: 'on', probability: q, probabilities: [1 - q, q] });
    expectDeltapropError(() => Network.create({ input: 1, layers: [{ units: 1 }] }).classify([1]), 'Network.classify', 'not a classifier');
  });

  it('evaluate: every figure by hand, blue never predicted (precision 0 by zero_division = 0)', () => {
    const e = net.evaluate(X, truth);
    if (!('confusion' in e)) throw new Error('a classifier report was expected');
    // confusion[true][predicted] over red, green, blue
    expect(e.confusion).toEqual([[1, 0, 0], [1, 1, 0], [1, 1, 0]]);
    expect(e.accuracy).toBe(2 / 5);
    // red: tp 1, fp 2, fn 0 → p 1/3, r 1, f1 2/4; green: tp 1, fp 1, fn 1 → 1/2, 1/2, 2/4; blue: tp 0 → 0, 0, 0
    expect(e.perClass).toEqual([
      { label: 'red', precision: 1 / 3, recall: 1, f1: 0.5, support: 1 },
      { label: 'green', precision: 0.5, recall: 0.5, f1: 0.5, support: 2 },
      { label: 'blue', precision: 0, recall: 0, f1: 0, support: 2 },
    ]);
    expect(e.macroF1).toBe((0.5 + 0.5 + 0) / 3);
    expect(e.weightedF1).toBe((0.5 * 1 + 0.5 * 2 + 0 * 2) / 5);
    // loss: the mean categorical cross-entropy −(1/N) Σ log p(true class) of predict's outputs
    const P = net.predict(X).toArray();
    const idx = { red: 0, green: 1, blue: 2 } as const;
    const byHand = -truth.reduce((a, t, i) => a + Math.log(P[i]![idx[t as keyof typeof idx]]!), 0) / 5;
    expect(e.loss).toBeCloseTo(byHand, 12);
    // Rows give the same report.
    const rows = truth.map((t) => [0, 1, 2].map((c) => (c === idx[t as keyof typeof idx] ? 1 : 0)));
    expect(net.evaluate(X, rows)).toEqual(e);
  });
});

describe('checkpoints and failed calls', () => {
  const X = [[5.1, 3.5], [6.2, 2.9], [7.7, 3.0], [4.9, 3.1], [6.4, 3.2], [5.0, 3.6], [6.9, 3.1], [5.8, 2.7]];
  const Y = ['s', 'v', 'g', 's', 'v', 's', 'g', 'v'];
  const make = (): Network =>
    Network.create({ input: 2, layers: [{ units: 5, activation: 'tanh', dropout: 0.2 }, { units: 3, activation: 'softmax' }], inputScaling: 'standard', classes: ['s', 'v', 'g'], seed: 4 });

  it('a checkpoint carries scaling, classes and dropout; resuming on the raw x and the labels gives the same bits', () => {
    const whole = make();
    whole.fit(X, Y, { epochs: 4, batchSize: 3, seed: 2 });
    const t = make().trainer(X, Y, { epochs: 4, batchSize: 3, seed: 2 });
    for (let i = 0; i < 5; i++) t.step();
    const c = JSON.parse(JSON.stringify(t.checkpoint())) as { network: { classes: string[]; inputScaling: { kind: string } } };
    expect(c.network.classes).toEqual(['s', 'v', 'g']);
    expect(c.network.inputScaling.kind).toBe('standard');
    t.stop();
    const resumed = Trainer.resume(c as never, X, Y);
    const history = resumed.run();
    expect(parameterBits(resumed.network as Network)).toBe(parameterBits(whole));
    expect((resumed.network as Network).inputScaling).toEqual(whole.inputScaling);
    expect(history.epochs).toHaveLength(4);
  });

  it('a fit refused for its labels or options leaves the network unadapted and its weights unchanged', () => {
    const net = make();
    const before = parameterBits(net);
    expectDeltapropError(() => net.fit(X, [...Y.slice(1), 'x']), 'Network.fit', '"y[7]"');
    expectDeltapropError(() => net.fit(X, Y, { validation: { x: X, y: Y.slice(2) } }), 'Network.fit', '"options.validation.y"');
    expectDeltapropError(() => net.fit(X, Y, { epochs: 0 }), 'Network.fit', '"options.epochs"');
    expect(net.inputScaling).toBeUndefined();
    expect(parameterBits(net)).toBe(before);
  });
});

describe('evaluate and classify: bad arguments', () => {
  it('are DeltapropErrors naming the argument', async () => {
    const net = Network.create({ input: 2, layers: [{ units: 2, activation: 'softmax' }], seed: 2, classes: ['no', 'yes'] });
    expectDeltapropError(() => net.evaluate(x, names.slice(2)), 'Network.evaluate', '"y"', '6 labels');
    expectDeltapropError(() => net.evaluate(x, ['no', 'yes', 'no', 'yes', 'no', 'perhaps']), 'Network.evaluate', '"y[5]"', '"perhaps"');
    expectDeltapropError(() => net.evaluate(x, names, { loss: 'l3' as never }), 'Network.evaluate', '"options.loss"');
    expectDeltapropError(() => net.evaluate(x, names, { lossy: 1 } as never), 'Network.evaluate', '"options"');
    expectDeltapropError(() => net.evaluate([], []), 'Network.evaluate', '"x"');
    expectDeltapropError(() => net.classify([1, 2, 3]), 'Network.classify', '"x"');
    // fitAsync takes labels too.
    const h = await net.fitAsync(x, names, { epochs: 2, seed: 1 });
    expect(h.epochs).toHaveLength(2);
  });
});
