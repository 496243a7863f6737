/**
 * Same seed, same bits. The fixed-seed scenario of test/helpers/determinism.mjs (the one the
 * browser test also runs in Chromium) trains a 4-layer tanh/softplus/sigmoid/softmax network
 * and hashes every final weight; the hash must equal the constant recorded here, run after run,
 * on every machine and in every JavaScript engine. This holds because training uses only
 * + − × ÷, Math.sqrt, exact integer and bit operations, and deltaprop's own exp/log/tanh
 * (src/math.ts), never the engine's Math.exp and friends.
 *
 * The constant (DETERMINISM_HASH in the helper) was recorded with src/ at the commit that made
 * math.ts portable (ec1a6aa) and later. If a deliberate change to the arithmetic of training (the order of a sum, an
 * elementary function, initialisation, shuffling) moves it, re-record it and say why in the
 * commit; any other change that moves it is a bug.
 */
import { describe, expect, it } from 'vitest';
import * as deltaprop from '../src/index.js';
// A plain .mjs shared with the browser page; its types are in determinism.d.mts.
import * as helper from './helpers/determinism.mjs';

const { DETERMINISM_HASH } = helper;

/** The library with Network.create's seed shifted by `delta` (data and fit seeds unchanged). */
function withCreateSeedShift(delta: number): unknown {
  return {
    ...deltaprop,
    Network: {
      create: (spec: deltaprop.NetworkSpec) => deltaprop.Network.create({ ...spec, seed: (spec.seed ?? 0) + delta }),
    },
  };
}

/** The library with the scenario's data generator seeded differently (weights seed unchanged). */
function withDataSeedShift(delta: number): unknown {
  class ShiftedRandom extends deltaprop.Random {
    constructor(seed: number) {
      super(seed + delta);
    }
  }
  return { ...deltaprop, Random: ShiftedRandom };
}

describe('determinism: same seed, same bits', () => {
  it(`the fixed-seed scenario hashes to ${DETERMINISM_HASH}`, () => {
    const { hash, loss } = helper.runDeterminismScenario(deltaprop);
    expect(hash).toMatch(/^[0-9a-f]{16}$/);
    expect(hash).toBe(DETERMINISM_HASH);
    // It trained: the final epoch's loss is far below the ≈ ln 2 of an untrained 2-class softmax.
    expect(loss).toBeLessThan(0.3);
  });

  it('through fitAsync, which yields to the event loop between slices: the same hash', async () => {
    const { hash } = await helper.runDeterminismScenarioAsync(deltaprop);
    expect(hash).toBe(DETERMINISM_HASH);
  });

  it.each(['js', 'wasm'] as const)('the same hash and loss on the %s backend', (backend) => {
    const auto = helper.runDeterminismScenario(deltaprop);
    const run = helper.runDeterminismScenario(deltaprop, backend);
    expect(run.hash).toBe(DETERMINISM_HASH);
    expect(Object.is(run.loss, auto.loss)).toBe(true);
    // It really trained on that backend: only a wasm Trainer moves the store (and detaches old views).
    expect(run.moved).toBe(backend === 'wasm');
    expect(deltaprop.getBackend()).toBe('wasm'); // 'auto' again afterwards, and wasm is available in Node
  });

  it('twice in the same process: the same hash and the same loss, bit for bit', () => {
    const a = helper.runDeterminismScenario(deltaprop);
    const b = helper.runDeterminismScenario(deltaprop);
    expect(b.hash).toBe(a.hash);
    expect(Object.is(b.loss, a.loss)).toBe(true);
    // Two networks from the same spec and seed have identical bytes before any training, too.
    const spec = { input: 3, layers: [{ units: 5, activation: 'tanh' as const }, { units: 2, activation: 'softmax' as const }], seed: 42 };
    expect(helper.hashNetwork(deltaprop.Network.create(spec))).toBe(helper.hashNetwork(deltaprop.Network.create(spec)));
  });

  it('another seed gives another hash (the weights seed, or the data seed)', () => {
    const base = helper.runDeterminismScenario(deltaprop).hash;
    const otherWeights = helper.runDeterminismScenario(withCreateSeedShift(1)).hash;
    const otherData = helper.runDeterminismScenario(withDataSeedShift(1)).hash;
    expect(new Set([base, otherWeights, otherData]).size).toBe(3);
    // The shifted runs are themselves reproducible.
    expect(helper.runDeterminismScenario(withCreateSeedShift(1)).hash).toBe(otherWeights);
  });

  it('the hash sees one flipped bit in one parameter (so that equal hashes mean something)', () => {
    const net = deltaprop.Network.create({ input: 2, layers: [{ units: 3, activation: 'sigmoid' }], seed: 1 });
    const before = helper.hashNetwork(net);
    const w = net.layers[0]!.weights.data;
    const bytes = new Uint8Array(w.buffer, w.byteOffset, w.byteLength);
    bytes[8]! ^= 1; // one mantissa bit of weight 1 (its lowest on a little-endian machine)
    expect(helper.hashNetwork(net)).not.toBe(before);
    bytes[8]! ^= 1;
    expect(helper.hashNetwork(net)).toBe(before);
    net.layers[0]!.biases[2] = -0; // 0 and −0 differ in bits
    expect(helper.hashNetwork(net)).not.toBe(before);
  });
});
