/**
 * When the engine refuses another WebAssembly memory (V8 runs out of address space near 13,000
 * live ones), a wasm Trainer leaves the network where it is and trains on the JavaScript kernels,
 * with the same bits (src/model/memory.ts).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';

vi.mock('../src/kernels/index.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/kernels/index.js')>();
  return {
    ...original,
    createArena: (n: number, backend?: 'wasm' | 'js') => {
      if (backend === 'wasm') throw new RangeError('WebAssembly.Memory(): could not allocate memory');
      return original.createArena(n, backend);
    },
  };
});

const { Network, setBackend } = await import('../src/index.js');
const { arenaOf } = await import('../src/kernels/memory.js');
const { parameterBits } = await import('./helpers/weights.js');

afterEach(() => setBackend('auto'));

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
});
