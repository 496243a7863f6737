// The fixed-seed training run whose final weights must hash to the same value in every
// JavaScript engine (Node and Chromium). Plain ESM JavaScript so that the browser test can load
// it without a bundler: pass it the deltaprop module namespace.
//
// The data comes from deltaprop's own seeded generator and the network uses every activation
// built on the library's elementary functions (tanh, sigmoid, softplus, softmax), so the hash
// changes if any engine-dependent rounding leaks into training.

/**
 * The weights hash of the scenario below, recorded once: the Node test (test/determinism.test.ts)
 * and the Chromium test (test/browser.test.ts) both require it. If a deliberate change to the
 * arithmetic of training (the order of a sum, an elementary function, initialisation, shuffling)
 * moves it, re-record it and say why in the commit; any other change that moves it is a bug.
 */
export const DETERMINISM_HASH = 'eb09caa8004e78f4';

/** FNV-1a (32-bit, two seeds → 64 bits as 16 hex digits) over the bytes of every parameter. */
export function hashNetwork(net) {
  let h1 = 0x811c9dc5 | 0;
  let h2 = 0x01000193 ^ 0x5bd1e995;
  for (const layer of net.layers) {
    for (const values of [layer.weights.data, layer.biases]) {
      const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
      for (let i = 0; i < bytes.length; i++) {
        h1 = Math.imul(h1 ^ bytes[i], 0x01000193);
        h2 = Math.imul(h2 ^ bytes[i], 0x01000193) ^ (h2 >>> 15);
      }
    }
  }
  const hex = (h) => (h >>> 0).toString(16).padStart(8, '0');
  return hex(h1) + hex(h2);
}

/**
 * Trains the fixed-seed network and returns { hash, loss, moved }. With `backend` ('js' or 'wasm')
 * it trains on that backend and sets the library back to 'auto' afterwards; `moved` tells whether
 * making the Trainer moved the store into a WebAssembly arena (an array held before reads as
 * length 0 then), i.e. whether training ran on the wasm kernels.
 */
export function runDeterminismScenario(deltaprop, backend) {
  return withBackend(deltaprop, backend, () => {
    const { net, x, y } = scenario(deltaprop);
    const held = net.layers[0].weights.data;
    const history = net.fit(x, y, FIT_OPTIONS);
    return { hash: hashNetwork(net), loss: history.epochs[history.epochs.length - 1].loss, moved: held.length === 0 };
  });
}

/** The same scenario through fitAsync (yielding to the event loop every millisecond): the same bits. */
export async function runDeterminismScenarioAsync(deltaprop) {
  const { net, x, y } = scenario(deltaprop);
  const history = await net.fitAsync(x, y, { ...FIT_OPTIONS, yieldEveryMs: 1 });
  return { hash: hashNetwork(net), loss: history.epochs[history.epochs.length - 1].loss };
}

function withBackend(deltaprop, backend, run) {
  if (backend === undefined) return run();
  deltaprop.setBackend(backend);
  try {
    return run();
  } finally {
    deltaprop.setBackend('auto');
  }
}

const FIT_OPTIONS = {
  loss: 'categoricalCrossEntropy',
  learningRate: 0.3,
  weightDecay: 1e-4,
  batchSize: 16,
  epochs: 25,
  shuffle: true,
  seed: 11,
};

function scenario(deltaprop) {
  const { Network, Random } = deltaprop;
  const random = new Random(2024);
  const x = [];
  const y = [];
  for (let i = 0; i < 200; i++) {
    const a = random.uniform(-3, 3);
    const b = random.uniform(-3, 3);
    x.push([a, b]);
    y.push(a * b > 0 ? [1, 0] : [0, 1]);
  }
  const net = Network.create({
    input: 2,
    layers: [
      { units: 8, activation: 'tanh' },
      { units: 8, activation: 'softplus' },
      { units: 6, activation: 'sigmoid' },
      { units: 2, activation: 'softmax' },
    ],
    seed: 7,
  });
  return { net, x, y };
}
