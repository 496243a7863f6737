/**
 * A fixed-seed run of every kernel on one backend, reduced to a hash of the output bits: the
 * same in Node and in a browser, on either backend, or a kernel returned different bits.
 * test/browser-wasm.test.ts bundles this file for the page; test/wasm-backend.test.ts runs it here.
 */
import { Random } from '../../src/core/random.js';
import { type Backend, createArena, getBackend, setBackend } from '../../src/kernels/index.js';

export { getBackend, setBackend };

export interface ScenarioResult {
  backend: Backend;
  fallbacks: number;
  /** FNV-1a (32 bits) of every output's bytes, in order, as 8 hex digits. */
  hash: string;
}

export function kernelScenario(backend: Backend = getBackend()): ScenarioResult {
  const rng = new Random(42);
  const ar = createArena(200_000, backend);
  const k = ar.kernels;
  const fill = (x: Float64Array): Float64Array => {
    for (let i = 0; i < x.length; i++) x[i] = rng.uniform(-1, 1) * (i % 11 === 0 ? 1e-300 : i % 13 === 0 ? 1e300 : 1);
    return x;
  };
  let h = 0x811c9dc5;
  const mix = (x: ArrayBufferView): void => {
    const bytes = new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
    for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193) >>> 0;
  };
  for (const [m, kk, n] of [[32, 300, 37], [7, 13, 11], [5, 1, 9], [17, 260, 131]] as const) {
    const a = ar.takeMatrix(m, kk), bT = ar.takeMatrix(n, kk), b = ar.takeMatrix(kk, n), aT = ar.takeMatrix(kk, m);
    const bias = ar.take(n), out = ar.takeMatrix(m, n), sums = ar.take(n);
    [a.data, bT.data, b.data, aT.data, bias].forEach(fill);
    k.matmulNT(out, a, bT, bias);
    mix(out.data);
    k.matmulNN(out, a, b);
    mix(out.data);
    k.matmulTN(out, aT, b, 1 / kk);
    mix(out.data);
    k.columnSums(sums, out, 0.25);
    mix(sums);
    const z = ar.take(out.data.length);
    k.reluForward(z, out.data);
    mix(z);
    k.leakyReluBackward(z, z, out.data, 0.01);
    mix(z);
    const g = fill(ar.take(out.data.length));
    const ok = k.sgdUpdate(out.data, g, 0.1, 1e-4) && k.sgdUpdateNoDecay(sums, bias, 0.5);
    mix(out.data);
    mix(sums);
    h = Math.imul(h ^ (ok ? 1 : 0), 0x01000193) >>> 0;
    // the optimizer module: momentum (Nesterov, then plain), RMSprop with momentum, Adam, on n values (odd: a JS tail too)
    const w = fill(ar.take(n)), grad = fill(ar.take(n)), vel = fill(ar.take(n)), square = ar.take(n), buffer = fill(ar.take(n));
    const o1 = ar.take(n), o2 = ar.take(n), o3 = ar.take(n);
    const steps = [
      k.momentumUpdate(w, grad, vel, o1, o2, 0.05, 0.9, true, true, 1e-4),
      k.momentumUpdate(w, grad, vel, o1, o2, 0.05, 0.9, false, false, 0),
      k.rmspropUpdate(w, grad, square, buffer, o1, o2, o3, 0.01, 0.99, 1 - 0.99, 1e-8, 0.5, 1e-4),
      k.adamUpdate(w, grad, vel, square, o1, o2, o3, 0.9, 0.999, 0.1, 1 - 0.999, 0.01, Math.sqrt(1 - 0.999), 1e-8, 1e-3),
    ];
    [w, vel, square, buffer, o1, o2, o3].forEach(mix);
    for (const finite of steps) h = Math.imul(h ^ (finite ? 1 : 0), 0x01000193) >>> 0;
  }
  return { backend: ar.backend, fallbacks: ar.fallbacks, hash: h.toString(16).padStart(8, '0') };
}
