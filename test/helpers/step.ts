/**
 * One optimizer step from gradients given layer by layer (as `Network.backward` returns them):
 * they are copied into the network's gradient store, then `optimizer.step(params, α, λ)` runs.
 * Each (optimizer, network) pair is initialised once, so stateful optimizers keep their state.
 */
import type { Matrix, Network, Optimizer } from '../../src/index.js';

const initialised = new WeakMap<Optimizer, Network>();

export interface LayerGradients {
  readonly weightGradients: readonly Matrix[];
  readonly biasGradients: readonly Float64Array[];
}

export function applyStep(optimizer: Optimizer, net: Network, g: LayerGradients): boolean {
  if (initialised.get(optimizer) !== net) {
    optimizer.init(net.params);
    initialised.set(optimizer, net);
  }
  const segments = net.params.segments, grads = net.params.grads;
  net.layers.forEach((_, n) => {
    grads.set(g.weightGradients[n]!.data, segments[2 * n]!.offset);
    grads.set(g.biasGradients[n]!, segments[2 * n + 1]!.offset);
  });
  return optimizer.step(net.params, optimizer.learningRate, optimizer.weightDecay);
}
