/**
 * When the engine refuses another WebAssembly memory (V8 runs out of address space near 13,000
 * live ones), a wasm Trainer leaves the network where it is and trains on the JavaScript kernels,
 * with the same bits (src/model/memory.ts). When it refuses only a memory large enough for the
 * Trainer's copies of x and y as well, the arena is made without them: the batches are gathered
 * from JavaScript memory, every other kernel runs on wasm, with the same bits.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';

/** WebAssembly arenas of more float64 slots than this are refused (-1: every one). */
const limit = vi.hoisted(() => ({ slots: -1, asked: [] as number[] }));

vi.mock('../src/kernels/index.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/kernels/index.js')>();
  return {
    ...original,
    createArena: (n: number, backend?: 'wasm' | 'js') => {
      if (backend === 'wasm') limit.asked.push(n);
      if (backend === 'wasm' && n > limit.slots) throw new RangeError('WebAssembly.Memory(): could not allocate memory');
      return original.createArena(n, backend);
    },
  };
});

const { Network, setBackend } = await import('../src/index.js');
const { arenaOf } = await import('../src/kernels/memory.js');
const { parameterBits } = await import('./helpers/weights.js');

afterEach(() => {
  setBackend('auto');
  limit.slots = -1;
  limit.asked.length = 0;
});

describe('a refused WebAssembly memory', () => {
  it('trains in place on the JavaScript kernels, with the same bits', () => {
    const spec = { input: 2, layers: [{ units: 5, activation: 'relu' as const }, { units: 1 }], seed: 3 };
    const x = [[0, 1], [1, 0], [1, 1], [0, 0], [0.5, 0.2]], y = [[1], [1], [0], [0], [0.7]];
    setBackend('wasm');
    const net = Network.create(spec);
    const held = net.layers[0]!.weights.data;
    net.fit(x, y, { loss: 'l2', batchSize: 2, epochs: 5 });
    expect(net.layers[0]!.weights.data).toBe(held); // not moved, not detached
    expect(arenaOf(held)).toBeUndefined();
    setBackend('js');
    const ref = Network.create(spec);
    ref.fit(x, y, { loss: 'l2', batchSize: 2, epochs: 5 });
    expect(parameterBits(net)).toBe(parameterBits(ref));
  });

  it('too large for the copies of x and y: the arena is made without them, gathers run in JavaScript, same bits', () => {
    const spec = { input: 3, layers: [{ units: 6, activation: 'relu' as const }, { units: 2, activation: 'softmax' as const }], seed: 7 };
    const x = Array.from({ length: 41 }, (_, i) => [Math.sin(i), (i % 7) / 7, i / 41]);
    const y = x.map(([a]) => (a! > 0 ? [1, 0] : [0, 1]));
    setBackend('wasm');
    const probe = Network.create(spec);
    probe.fit(x, y, { batchSize: 8, epochs: 1 });
    const [withData] = limit.asked;
    limit.slots = withData! - 1; // everything but the data fits
    limit.asked.length = 0;
    const net = Network.create(spec);
    const trainer = net.trainer(x, y, { batchSize: 8, epochs: 4, seed: 2 });
    expect(limit.asked).toEqual([withData, withData! - (41 * 3 + 41 * 2 + Math.ceil(41 / 2))]);
    const arena = arenaOf(net.params.values)!;
    expect(arena.backend).toBe('wasm');
    const own = trainer as unknown as { x: { data: Float64Array }; y: { data: Float64Array }; order: Uint32Array };
    for (const a of [own.x.data, own.y.data, own.order]) expect(arena.contains(a)).toBe(false);
    trainer.run();
    expect(arena.fallbacks).toBe(0); // gathering from outside into the batch is the expected path, not a fallback
    setBackend('js');
    const ref = Network.create(spec);
    ref.fit(x, y, { batchSize: 8, epochs: 4, seed: 2 });
    expect(parameterBits(net)).toBe(parameterBits(ref));
  });
});
