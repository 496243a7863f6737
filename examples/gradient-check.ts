/**
 * Is backpropagation right? The course derives, for every weight and bias,
 *
 *     ∂h/∂w_{n,ij} = δ_{n,i} · z_{n-1,j}        ∂h/∂b_{n,i} = δ_{n,i}
 *     δ_{k-1} = ∇h(Z_{k-1}) · J(f_{k-1})(A_{k-1}),   δ_n = δ_{n+1} · W_{n+1} · J(f_n)(A_n)
 *
 * and a derivative can also be measured without any of that algebra, by nudging one parameter θ
 * both ways and watching the loss g (central differences):
 *
 *     ∂g/∂θ ≈ (g(θ + ε) − g(θ − ε)) / 2ε        (error of order ε², here ε = 1e-5)
 *
 * This example does it once by hand for one weight, then with `checkGradients` for every
 * parameter of three 3-layer networks, and finally on an activation whose derivative is wrong,
 * to show what a bug looks like.
 *
 *     npx tsx examples/gradient-check.ts [--quick]
 */
import {
  type ActivationName,
  checkGradients,
  elementwiseActivation,
  type LossName,
  losses,
  Matrix,
  Network,
  oneHot,
  Random,
} from '../src/index.js';
import { gaussian } from './data.js';
import { printResult, round } from './progress.js';

const random = new Random(7);
const samples = 8; // --quick changes nothing: the checks take milliseconds
const input = 4;
const x = new Matrix(samples, input);
for (let i = 0; i < x.data.length; i++) x.data[i] = gaussian(random);

/** Targets that suit each loss: one-hot classes, 0/1 labels, or real values. */
function targets(loss: LossName, outputs: number): Matrix {
  if (loss === 'categoricalCrossEntropy') {
    return oneHot(Array.from({ length: samples }, () => random.int(outputs)), outputs);
  }
  const y = new Matrix(samples, outputs);
  for (let i = 0; i < y.data.length; i++) y.data[i] = loss === 'binaryCrossEntropy' ? random.int(2) : gaussian(random);
  return y;
}

// 1. One weight by hand: layer 1, row i = 2, column j = 3.
{
  const net = Network.create({
    input,
    layers: [{ units: 5, activation: 'tanh' }, { units: 4, activation: 'sigmoid' }, { units: 3, activation: 'softmax' }],
    seed: 1,
  });
  const y = targets('categoricalCrossEntropy', 3);
  const h = losses.categoricalCrossEntropy;
  const trace = net.forward(x); // sums A_n and activations Z_{n-1} of every layer
  const { deltas, weightGradients } = net.backward(trace, y, h);
  const [n, i, j] = [1, 2, 3];
  // ∂g/∂w_{n,ij} for the batch-mean loss g: the mean over samples of δ_{n,i} · z_{n-1,j}.
  // (activations[n] is the input of layer n, Z_{n-1}.)
  let byFormula = 0;
  for (let s = 0; s < samples; s++) byFormula += deltas[n]!.get(s, i) * trace.activations[n]!.get(s, j);
  byFormula /= samples;
  const w = net.layers[n]!.weights;
  const original = w.get(i, j);
  const g = (): number => h.value(net.forward(x).activations[net.layers.length]!, y);
  const epsilon = 1e-5;
  w.set(i, j, original + epsilon);
  const plus = g();
  w.set(i, j, original - epsilon);
  const minus = g();
  w.set(i, j, original);
  const numeric = (plus - minus) / (2 * epsilon);
  console.log(`One weight, w_{${n},${i}${j}} of a 4-5-4-3 tanh/sigmoid/softmax network, ${samples} samples:`);
  const line = (label: string, v: number): void => console.log(`  ${label.padEnd(40)}${v.toExponential(10)}`);
  line(`mean of δ_{${n},${i}} · z_{${n - 1},${j}} (the course)`, byFormula);
  line('backward().weightGradients', weightGradients[n]!.get(i, j));
  line('(g(w + ε) − g(w − ε)) / 2ε', numeric);
  console.log(`  ${'relative difference'.padEnd(40)}${(Math.abs(byFormula - numeric) / Math.abs(numeric)).toExponential(2)}\n`);
}

// 2. Every parameter of three networks, each ending with a different output and loss.
const cases: Array<{ hidden: [ActivationName, ActivationName]; output: ActivationName; loss: LossName; outputs: number }> = [
  { hidden: ['tanh', 'sigmoid'], output: 'softmax', loss: 'categoricalCrossEntropy', outputs: 3 },
  { hidden: ['relu', 'softplus'], output: 'sigmoid', loss: 'binaryCrossEntropy', outputs: 2 },
  { hidden: ['leakyRelu', 'tanh'], output: 'identity', loss: 'l2', outputs: 2 },
];
const checks: Array<{ network: string; loss: LossName; maxRelativeError: number; perLayer: Array<{ weights: number; biases: number }> }> = [];
console.log('Every parameter against central differences (largest relative error |a − n| / max(|a|, |n|, 1e-4)):');
for (const c of cases) {
  const net = Network.create({
    input,
    layers: [{ units: 5, activation: c.hidden[0] }, { units: 4, activation: c.hidden[1] }, { units: c.outputs, activation: c.output }],
    seed: 2,
  });
  const result = checkGradients(net, x, targets(c.loss, c.outputs), c.loss);
  const name = `4-5-4-${c.outputs} ${c.hidden.join('/')}/${c.output}`;
  console.log(`  ${name}, ${c.loss} (${net.parameterCount} parameters): max ${result.maxRelativeError.toExponential(2)}`);
  result.perLayer.forEach((e, n) => {
    console.log(`    layer ${n}: weights ${e.weights.toExponential(2)}   biases ${e.biases.toExponential(2)}`);
  });
  checks.push({ network: name, loss: c.loss, maxRelativeError: result.maxRelativeError, perLayer: result.perLayer.map((e) => ({ ...e })) });
}

// 3. A bug: a home-made softplus, log(1 + eˣ), whose derivative forgot a factor (it should be
// the sigmoid eˣ / (1 + eˣ)). Training would still "work", just worse; the check points at it.
const buggy = elementwiseActivation(
  'mySoftplus',
  (a) => Math.log1p(Math.exp(a)),
  (a) => Math.exp(a) / (2 + Math.exp(a)), // wrong
);
const buggyNet = Network.create({
  input,
  layers: [{ units: 5, activation: buggy }, { units: 4, activation: 'tanh' }, { units: 3, activation: 'softmax' }],
  seed: 3,
});
const bug = checkGradients(buggyNet, x, targets('categoricalCrossEntropy', 3), 'categoricalCrossEntropy');
console.log('\nWith a wrong derivative in layer 0:');
bug.perLayer.forEach((e, n) => console.log(`    layer ${n}: weights ${e.weights.toExponential(2)}   biases ${e.biases.toExponential(2)}`));
console.log(`  worst: layer ${bug.layer} ${bug.parameter}[${bug.index}], backprop ${bug.analytic.toExponential(4)} vs numeric ${bug.numeric.toExponential(4)}`);
console.log('\nA correct backprop agrees with finite differences to about 1e-8 or better; an error near 1e-2 or');
console.log("above means a wrong derivative. Layers above the bug stay exact: their deltas don't pass through it.");

printResult({
  maxRelativeError: Math.max(...checks.map((c) => c.maxRelativeError)),
  checks,
  buggy: { maxRelativeError: round(bug.maxRelativeError), layer: bug.layer, perLayer: bug.perLayer },
});
