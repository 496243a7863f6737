/**
 * Property-based tests (fast-check) over random architectures — 1 to 4 layers of 1 to 9 units,
 * every activation (leaky ReLU with random slopes too), every loss with the outputs it accepts —
 * and random data:
 *   - backpropagation agrees with central finite differences (checkGradients);
 *   - fit never leaves a non-finite weight without throwing a TrainingError;
 *   - predict of a batch equals predict of each row, bit for bit;
 *   - toJSON / fromJSON round-trips every parameter exactly.
 * Every property runs with a fixed fast-check seed (no unseeded randomness in the suite) and a
 * stated number of runs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Activation,
  type ActivationName,
  checkGradients,
  type Loss,
  type LossName,
  leakyRelu,
  losses,
  Matrix,
  Network,
  TrainingError,
} from '../src/index.js';
import { parameters, bits } from './helpers/weights.js';

// ---------------------------------------------------------------------------------------------
// Arbitraries
// ---------------------------------------------------------------------------------------------

const NAMES: readonly ActivationName[] = ['identity', 'sigmoid', 'tanh', 'relu', 'leakyRelu', 'softplus', 'softmax'];

/** An activation by name, or a leaky ReLU with a random slope in [−1, 1]. */
const activation: fc.Arbitrary<ActivationName | Activation> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...NAMES) },
  { weight: 1, arbitrary: fc.double({ min: -1, max: 1, noNaN: true }).map((s) => leakyRelu(s)) },
);

interface Architecture {
  readonly input: number;
  readonly layers: ReadonlyArray<{ readonly units: number; readonly activation: ActivationName | Activation }>;
  readonly seed: number;
}

const architecture: fc.Arbitrary<Architecture> = fc.record({
  input: fc.integer({ min: 1, max: 5 }),
  layers: fc.array(fc.record({ units: fc.integer({ min: 1, max: 9 }), activation }), { minLength: 1, maxLength: 4 }),
  seed: fc.integer({ min: 0, max: 2 ** 31 }),
}).filter((a) => !(outputName(a) === 'softmax' && a.layers[a.layers.length - 1]!.units === 1)); // refused by Network.create

function build(a: Architecture): Network {
  return Network.create({ input: a.input, layers: a.layers, seed: a.seed });
}

function outputName(a: Architecture): string {
  const f = a.layers[a.layers.length - 1]!.activation;
  return typeof f === 'string' ? f : f.name;
}

/** The losses an architecture's output accepts: cross-entropies need outputs in (0, 1). */
function lossesFor(a: Architecture): LossName[] {
  const out = outputName(a);
  return out === 'sigmoid' || out === 'softmax' ? ['l2', 'l1', 'binaryCrossEntropy', 'categoricalCrossEntropy'] : ['l2', 'l1'];
}

function rows(n: number, width: number, values: fc.Arbitrary<number>): fc.Arbitrary<number[][]> {
  return fc.array(fc.array(values, { minLength: width, maxLength: width }), { minLength: n, maxLength: n });
}

/**
 * Targets a loss accepts: [0, 1] (exact 0 and 1 included) for cross-entropies; [−2, 2] otherwise,
 * away from 0 (a relu output is often exactly 0, and z = y is the kink of l1).
 */
function targets(loss: LossName, n: number, width: number): fc.Arbitrary<number[][]> {
  const unit = fc.oneof(fc.constantFrom(0, 1), fc.double({ min: 0, max: 1, noNaN: true }));
  const any = fc.double({ min: -2, max: 2, noNaN: true }).filter((v) => Math.abs(v) > 1e-2);
  return rows(n, width, loss === 'l1' || loss === 'l2' ? any : unit);
}

interface Problem {
  readonly arch: Architecture;
  readonly loss: LossName;
  readonly x: number[][];
  readonly y: number[][];
}

/** An architecture, a loss it accepts, and 1 to `maxRows` samples with targets. */
function problem(maxRows: number): fc.Arbitrary<Problem> {
  return architecture.chain((arch) =>
    fc.record({ loss: fc.constantFrom(...lossesFor(arch)), n: fc.integer({ min: 1, max: maxRows }) }).chain(({ loss, n }) =>
      fc.record({
        arch: fc.constant(arch),
        loss: fc.constant(loss),
        x: rows(n, arch.input, fc.double({ min: -2, max: 2, noNaN: true })),
        y: targets(loss, n, arch.layers[arch.layers.length - 1]!.units),
      }),
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// 1. Gradients
// ---------------------------------------------------------------------------------------------

/**
 * Central differences in float64 resolve a gradient of a loss of order 1 to about 1e-10 in
 * absolute terms (rounding of the loss over 2ε, plus ε²·h‴/6). So the relative error is taken
 * against max(|analytic|, |numeric|, 1e-3): it must be below 1e-6 relative for gradients above
 * 1e-3 and below 1e-9 absolute for smaller ones. (Measured over about 9000 random problems with
 * these options: at most 3.3e-7.)
 */
const GRADIENT_OPTIONS = { epsilon: 1e-5, floor: 1e-3 } as const;
/** The kinks (relu/leakyRelu at 0, l1 at z = y) are kept this far from every sample. */
const KINK_MARGIN = 1e-3;

/** The distance of the nearest kink, over all samples (Infinity when there is none). */
function nearestKink(net: Network, loss: LossName, x: number[][], y: number[][]): number {
  const trace = net.forward(x);
  let d = Infinity;
  net.layers.forEach((layer, n) => {
    if (layer.activation.name === 'relu' || layer.activation.name === 'leakyRelu') {
      for (const a of trace.sums[n]!.data) d = Math.min(d, Math.abs(a));
    }
  });
  if (loss === 'l1') {
    const Z = trace.activations[net.layers.length]!.data, Y = Matrix.from(y).data;
    for (let i = 0; i < Z.length; i++) d = Math.min(d, Math.abs(Z[i]! - Y[i]!));
  }
  return d;
}

describe('backpropagation agrees with finite differences', () => {
  it('on random architectures, losses and data (numRuns 300)', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(problem(6), ({ arch, loss, x, y }) => {
        const net = build(arch);
        fc.pre(nearestKink(net, loss, x, y) > KINK_MARGIN);
        const before = bits(parameters(net));
        const result = checkGradients(net, x, y, loss, GRADIENT_OPTIONS);
        expect(result.maxRelativeError).toBeLessThan(1e-6);
        expect(bits(parameters(net))).toBe(before); // the probes leave every weight as it was
        seen.add(`${outputName(arch)} ${loss}`);
        for (const l of net.layers) seen.add(l.activation.name);
      }),
      { numRuns: 300, seed: 0x5eed01 },
    );
    // Every activation and every valid (output, loss) pairing was really checked.
    for (const name of NAMES) expect(seen.has(name), name).toBe(true);
    for (const out of NAMES) for (const loss of lossesFor({ input: 1, layers: [{ units: 1, activation: out }], seed: 0 })) {
      expect(seen.has(`${out} ${loss}`), `${out} ${loss}`).toBe(true);
    }
  });

  it('the same check does catch a gradient that is off by 1% (a test that can fail)', () => {
    const wrong: Loss = {
      name: 'slightlyWrongL2',
      value: (z, y) => losses.l2.value(z, y),
      gradient(out, z, y) {
        losses.l2.gradient(out, z, y);
        for (let i = 0; i < out.data.length; i++) out.data[i]! *= 1.01;
      },
    };
    let caught = 0;
    fc.assert(
      fc.property(architecture, fc.integer({ min: 1, max: 4 }), (arch, n) => {
        const net = build(arch);
        const x = Array.from({ length: n }, (_, i) => Array.from({ length: arch.input }, (_, j) => Math.sin(3 * i + j + 1)));
        const y = x.map(() => new Array<number>(net.output).fill(3)); // far from every output: no gradient vanishes
        fc.pre(nearestKink(net, 'l2', x, y) > KINK_MARGIN);
        const result = checkGradients(net, x, y, wrong, GRADIENT_OPTIONS);
        // The largest gradient is at least of order 1e-3 for these targets; there the 1% shows.
        fc.pre(Math.max(...net.backward(net.forward(x), y, 'l2').biasGradients.flatMap((b) => [...b].map(Math.abs))) > 1e-2);
        expect(result.maxRelativeError).toBeGreaterThan(5e-3);
        caught++;
      }),
      { numRuns: 50, seed: 0x5eed02 },
    );
    expect(caught).toBe(50);
  });
});

// ---------------------------------------------------------------------------------------------
// 2. fit and non-finite weights
// ---------------------------------------------------------------------------------------------

describe('fit never leaves a non-finite weight without throwing', () => {
  it('for learning rates from 1e-3 to 1e300, any batch size, with or without shuffling and validation (numRuns 300)', () => {
    const options = fc.record({
      learningRate: fc.oneof(fc.double({ min: -3, max: 1, noNaN: true }), fc.integer({ min: 2, max: 300 })).map((e) => 10 ** e),
      weightDecay: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.5, noNaN: true })),
      epochs: fc.integer({ min: 1, max: 4 }),
      batchFraction: fc.double({ min: 0, max: 1, noNaN: true }),
      shuffle: fc.boolean(),
      seed: fc.integer({ min: 0, max: 1000 }),
      validate: fc.boolean(),
    });
    let threw = 0, returned = 0;
    fc.assert(
      fc.property(problem(8), options, ({ arch, loss, x, y }, o) => {
        const net = build(arch);
        const batchSize = 1 + Math.floor(o.batchFraction * (x.length - 1));
        let history;
        try {
          history = net.fit(x, y, {
            loss,
            learningRate: o.learningRate,
            weightDecay: o.weightDecay,
            epochs: o.epochs,
            batchSize,
            shuffle: o.shuffle,
            seed: o.seed,
            ...(o.validate ? { validation: { x, y } } : {}),
          });
        } catch (error) {
          expect(error).toBeInstanceOf(TrainingError);
          const t = error as TrainingError;
          expect(t.epoch).toBeGreaterThanOrEqual(1);
          expect(t.epoch).toBeLessThanOrEqual(o.epochs);
          expect(t.batch).toBeGreaterThanOrEqual(0);
          expect(t.batch).toBeLessThanOrEqual(Math.ceil(x.length / batchSize));
          expect(t.message).toContain(`epoch ${t.epoch}`);
          expect(parameters(net).every(Number.isFinite)).toBe(true);
          threw++;
          return;
        }
        returned++;
        expect(parameters(net).every(Number.isFinite)).toBe(true);
        expect(history.epochs).toHaveLength(o.epochs);
        for (const e of history.epochs) {
          expect(Number.isFinite(e.loss), `epoch ${e.epoch} loss ${e.loss}`).toBe(true);
          if (o.validate) expect(Number.isFinite(e.validationLoss), `epoch ${e.epoch} validation loss ${e.validationLoss}`).toBe(true);
        }
      }),
      { numRuns: 300, seed: 0x5eed03 },
    );
    // Both outcomes happened many times: the guard was really exercised.
    expect(threw).toBeGreaterThan(30);
    expect(returned).toBeGreaterThan(30);
  });
});

// ---------------------------------------------------------------------------------------------
// 3. predict: a batch is its rows
// ---------------------------------------------------------------------------------------------

describe('predict of a batch equals predict of each row, bit for bit', () => {
  it('for 1 to 70 rows given as number[][], Float64Array[] or a Matrix (numRuns 150)', () => {
    fc.assert(
      fc.property(
        architecture.chain((arch) =>
          fc.record({ arch: fc.constant(arch), x: fc.integer({ min: 1, max: 70 }).chain((n) => rows(n, arch.input, fc.double({ min: -3, max: 3, noNaN: true }))) }),
        ),
        ({ arch, x }) => {
          const net = build(arch);
          const batch = net.predict(x);
          expect(batch.rows).toBe(x.length);
          expect(batch.cols).toBe(net.output);
          const one = x.map((row) => net.predict(row));
          // Rows alone, through every accepted form of a sample and of a batch.
          const expected = bits(one.flatMap((r) => [...r]));
          expect(bits(batch.data)).toBe(expected);
          expect(bits(net.predict(x.map((r) => Float64Array.from(r))).data)).toBe(expected);
          expect(bits(net.predict(Matrix.from(x)).data)).toBe(expected);
          x.forEach((row, i) => expect(bits(net.predict([row]).data)).toBe(bits(one[i]!)));
        },
      ),
      { numRuns: 150, seed: 0x5eed04 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// 4. JSON round trip
// ---------------------------------------------------------------------------------------------

describe('toJSON / fromJSON round-trip exactly', () => {
  /** Any finite float64: subnormals, ±0, ±1.7976931348623157e308 included. */
  const finite = fc.double({ noNaN: true, noDefaultInfinity: true });

  it('every parameter bit and every activation, as an object and as JSON text (numRuns 200)', () => {
    fc.assert(
      fc.property(architecture, fc.array(finite, { minLength: 1, maxLength: 50 }), (arch, pool) => {
        const net = build(arch);
        // Overwrite the parameters with arbitrary finite values drawn (cyclically) from the pool.
        let k = 0;
        for (const l of net.layers) {
          for (const values of [l.weights.data, l.biases]) for (let i = 0; i < values.length; i++) values[i] = pool[k++ % pool.length]!;
        }
        const json = net.toJSON();
        const fromObject = Network.fromJSON(json);
        expect(bits(parameters(fromObject))).toBe(bits(parameters(net)));
        const text = JSON.stringify(net);
        const fromText = Network.fromJSON(text);
        // JSON text has no −0 (JSON.stringify(-0) is "0"): the one value a text round trip changes.
        expect(bits(parameters(fromText))).toBe(bits(parameters(net).map((v) => (v === 0 ? 0 : v))));
        expect(JSON.stringify(fromText)).toBe(text);
        expect(fromText.input).toBe(net.input);
        expect(fromText.layers.map((l) => [l.inputs, l.units, JSON.stringify(l.activation.toJSON())])).toEqual(
          net.layers.map((l) => [l.inputs, l.units, JSON.stringify(l.activation.toJSON())]),
        );
      }),
      { numRuns: 200, seed: 0x5eed05 },
    );
  });

  it('a trained network predicts the same bits after a text round trip (numRuns 100)', () => {
    fc.assert(
      fc.property(problem(6), ({ arch, loss, x, y }) => {
        const net = build(arch);
        try {
          net.fit(x, y, { loss, learningRate: 0.1, epochs: 2, batchSize: 2, seed: 1 });
        } catch (error) {
          expect(error).toBeInstanceOf(TrainingError);
        }
        const again = Network.fromJSON(JSON.stringify(net));
        expect(bits(again.predict(x).data)).toBe(bits(net.predict(x).data));
      }),
      { numRuns: 100, seed: 0x5eed06 },
    );
  });
});
