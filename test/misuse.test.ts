/**
 * The bad-input catalogue: distinct misuses of every public function, each checked for
 *   1. a DeltapropError whose message starts with the function's name and quotes the argument;
 *   2. every network and every input involved unchanged afterwards (deep snapshots, compared
 *      bit for bit: weights, biases, the caller's arrays, matrices, option objects, generators).
 * The table is data: one line per misuse. A final test counts the lines.
 */
import { describe, expect, it } from 'vitest';
import {
  activations,
  adam,
  checkGradients,
  DeltapropError,
  elementwiseActivation,
  leakyRelu,
  type Loss,
  losses,
  Matrix,
  Network,
  oneHot,
  Random,
  sgd,
  TrainingError,
} from '../src/index.js';
import { applyStep } from './helpers/step.js';

// ---------------------------------------------------------------------------------------------
// Deep snapshots
// ---------------------------------------------------------------------------------------------

/** The exact bits of a number: String() is the shortest round-trip form; −0 is told apart. */
function num(v: number): string {
  return Object.is(v, -0) ? '-0' : String(v);
}

/**
 * A canonical string of everything reachable from `value` through own properties, without
 * calling any getter. A Network is described by its input width and its layers only (its
 * private prediction buffers are scratch space, not state).
 */
function snap(value: unknown, seen: Map<object, number> = new Map()): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'number':
      return num(value);
    case 'string':
      return JSON.stringify(value);
    case 'undefined':
      return 'undefined';
    case 'boolean':
    case 'bigint':
    case 'symbol':
      return String(value);
    case 'function':
      return `fn ${(value as { name?: string }).name ?? ''}`;
    default:
      break;
  }
  const obj = value;
  const id = seen.get(obj);
  if (id !== undefined) return `#${id}`;
  seen.set(obj, seen.size);
  if (ArrayBuffer.isView(obj)) {
    const list = obj as unknown as ArrayLike<number>;
    const out: string[] = [];
    for (let i = 0; i < list.length; i++) out.push(num(list[i]!));
    return `${obj.constructor.name}[${out.join(',')}]`;
  }
  if (obj instanceof Network) {
    return `Network{input:${obj.input},layers:${snap(obj.layers, seen)}}`;
  }
  const parts: string[] = [];
  for (const [key, d] of Object.entries(Object.getOwnPropertyDescriptors(obj))) {
    parts.push(`${key}:${'value' in d ? snap(d.value, seen) : 'accessor'}`);
  }
  return `${Array.isArray(obj) ? 'Array' : (Object.getPrototypeOf(obj) as { constructor?: { name?: string } } | null)?.constructor?.name ?? 'null'}{${parts.join(',')}}`;
}

// ---------------------------------------------------------------------------------------------
// Subjects: fresh networks and data for every misuse
// ---------------------------------------------------------------------------------------------

interface Subjects {
  /** 2 → 3 tanh → 1 sigmoid (binary cross-entropy by default). */
  readonly net: Network;
  /** 2 → 4 relu → 3 softmax. */
  readonly soft: Network;
  readonly x: number[][];
  readonly y: number[][];
  /** Registers another value whose deep state must survive the call. */
  track<T>(value: T): T;
  readonly tracked: unknown[];
}

function subjects(): Subjects {
  const tracked: unknown[] = [];
  return {
    net: Network.create({ input: 2, layers: [{ units: 3, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], seed: 1 }),
    soft: Network.create({ input: 2, layers: [{ units: 4, activation: 'relu' }, { units: 3, activation: 'softmax' }], seed: 2 }),
    x: [[0, 0], [0, 1], [1, 0], [1, 1], [0.5, -0.5]],
    y: [[0], [1], [1], [0], [1]],
    track<T>(value: T): T {
      tracked.push(value);
      return value;
    },
    tracked,
  };
}

/** A Matrix whose fields lie about its size, built without the constructor's checks. */
function forgedMatrix(rows: number, cols: number, data: unknown): Matrix {
  const m = Object.create(Matrix.prototype) as Matrix;
  Object.defineProperties(m, {
    rows: { value: rows, enumerable: true },
    cols: { value: cols, enumerable: true },
    data: { value: data, enumerable: true },
  });
  return m;
}

/** A user loss (l2) whose `value` throws on its `n`-th call. */
function lossThrowingOnCall(n: number, error: unknown): Loss {
  let calls = 0;
  return {
    name: 'fragileL2',
    value(z, y) {
      calls++;
      if (calls === n) throw error;
      return losses.l2.value(z, y);
    },
    gradient: (out, z, y) => losses.l2.gradient(out, z, y),
  };
}

// ---------------------------------------------------------------------------------------------
// The catalogue: [description, function, argument, (subjects) => the misuse]
// The argument is checked as `argument "<arg>"` in the message unless it starts with '=' (then
// the rest is checked verbatim).
// ---------------------------------------------------------------------------------------------

type Misuse = readonly [string, string, string, (s: Subjects) => () => unknown];

const huge = new Float64Array(2 ** 20);

const catalogue: readonly Misuse[] = [
  // Network.create ------------------------------------------------------------------------
  ['spec is a number', 'Network.create', 'spec', () => () => Network.create(5 as never)],
  ['spec is null', 'Network.create', 'spec', () => () => Network.create(null as never)],
  ['spec is an array', 'Network.create', 'spec', () => () => Network.create([] as never)],
  ['input 0', 'Network.create', 'spec.input', () => () => Network.create({ input: 0, layers: [{ units: 1 }] })],
  ['fractional input', 'Network.create', 'spec.input', () => () => Network.create({ input: 2.5, layers: [{ units: 1 }] })],
  ['input as a string', 'Network.create', 'spec.input', () => () => Network.create({ input: '2' as never, layers: [{ units: 1 }] })],
  ['input NaN', 'Network.create', 'spec.input', () => () => Network.create({ input: NaN, layers: [{ units: 1 }] })],
  ['no layers', 'Network.create', 'spec.layers', () => () => Network.create({ input: 2, layers: [] })],
  ['layers not an array', 'Network.create', 'spec.layers', () => () => Network.create({ input: 2, layers: { units: 1 } as never })],
  ['a layer that is null', 'Network.create', 'spec.layers[0]', () => () => Network.create({ input: 2, layers: [null as never] })],
  ['units 0', 'Network.create', 'spec.layers[0].units', () => () => Network.create({ input: 2, layers: [{ units: 0 }] })],
  ['negative units', 'Network.create', 'spec.layers[0].units', () => () => Network.create({ input: 2, layers: [{ units: -3 }] })],
  ['fractional units in a later layer', 'Network.create', 'spec.layers[1].units', () => () => Network.create({ input: 2, layers: [{ units: 2 }, { units: 1.5 }] })],
  ['units Infinity', 'Network.create', 'spec.layers[0].units', () => () => Network.create({ input: 2, layers: [{ units: Infinity }] })],
  ['2^27 × 4 parameters (huge)', 'Network.create', 'spec.layers', () => () => Network.create({ input: 4, layers: [{ units: 2 ** 27 }] })],
  ['unknown activation name', 'Network.create', 'spec.layers[0].activation', () => () => Network.create({ input: 2, layers: [{ units: 1, activation: 'sigmod' as never }] })],
  ['custom activation under a built-in name', 'Network.create', 'spec.layers[0].activation', () => () =>
    Network.create({ input: 2, layers: [{ units: 1, activation: { ...activations.tanh, name: 'relu', toJSON: () => 'relu' } }] })],
  ['activation object without jacobian', 'Network.create', 'spec.layers[0].activation', () => () =>
    Network.create({ input: 2, layers: [{ units: 1, activation: { name: 'tanh', forward: () => undefined, backward: () => undefined } as never }] })],
  ['unknown init', 'Network.create', 'spec.layers[0].init', () => () => Network.create({ input: 2, layers: [{ units: 1, init: 'xavier' as never }] })],
  ['typo in a layer option', 'Network.create', 'spec.layers[0]', () => () => Network.create({ input: 2, layers: [{ units: 1, activations: 'tanh' } as never] })],
  ['typo in a spec option', 'Network.create', 'spec', () => () => Network.create({ input: 2, layers: [{ units: 1 }], seeds: 3 } as never)],
  ['fractional seed', 'Network.create', 'spec.seed', () => () => Network.create({ input: 2, layers: [{ units: 1 }], seed: 1.5 })],
  ['seed beyond 2^53', 'Network.create', 'spec.seed', () => () => Network.create({ input: 2, layers: [{ units: 1 }], seed: 2 ** 53 })],

  // Network.forward -----------------------------------------------------------------------
  ['jagged rows', 'Network.forward', 'x[1]', (s) => { const x = s.track([[1, 2], [3]]); return () => s.net.forward(x); }],
  ['NaN in x', 'Network.forward', 'x', (s) => { const x = s.track([[1, 2], [3, NaN]]); return () => s.net.forward(x); }],
  ['a flat Float64Array instead of rows', 'Network.forward', 'x', (s) => { const x = s.track(new Float64Array([1, 2])); return () => s.net.forward(x as never); }],
  ['wrong width', 'Network.forward', 'x', (s) => { const x = s.track([[1, 2, 3]]); return () => s.net.forward(x); }],
  ['Matrix whose data is shorter than rows × cols', 'Network.forward', 'x', (s) => { const x = s.track(forgedMatrix(3, 2, new Float64Array(4))); return () => s.net.forward(x); }],
  ['empty array', 'Network.forward', 'x', (s) => () => s.net.forward([])],
  ['Matrix with no rows', 'Network.forward', 'x', (s) => () => s.net.forward(new Matrix(0, 2))],
  ['a Float64Array row of the wrong length', 'Network.forward', 'x[1]', (s) => { const x = s.track([new Float64Array(2), new Float64Array(3)]); return () => s.net.forward(x); }],

  // Network.backward ----------------------------------------------------------------------
  ['trace null', 'Network.backward', 'trace', (s) => () => s.net.backward(null as never, s.y, 'l2')],
  ['trace of another network', 'Network.backward', 'trace.sums[0]', (s) => { const t = s.track(s.soft.forward(s.x)); return () => s.net.backward(t, s.y, 'l2'); }],
  ['trace with a sum of the wrong shape', 'Network.backward', 'trace.sums[0]', (s) => {
    const t = s.net.forward(s.x);
    t.sums[0] = new Matrix(5, 2);
    s.track(t);
    return () => s.net.backward(t, s.y, 'l2');
  }],
  ['trace holding NaN', 'Network.backward', 'trace.sums[0]', (s) => {
    const t = s.net.forward(s.x);
    t.sums[0]!.data[4] = NaN;
    s.track(t);
    return () => s.net.backward(t, s.y, 'l2');
  }],
  ['trace holding Infinity in an activation', 'Network.backward', 'trace.activations[1]', (s) => {
    const t = s.net.forward(s.x);
    t.activations[1]!.data[0] = Infinity;
    s.track(t);
    return () => s.net.backward(t, s.y, 'l2');
  }],
  ['y with one row too few', 'Network.backward', 'y', (s) => { const t = s.track(s.net.forward(s.x)); return () => s.net.backward(t, s.y.slice(1), 'l2'); }],
  ['y holding -Infinity', 'Network.backward', 'y', (s) => { const t = s.track(s.net.forward(s.x)); const y = s.track([[0], [1], [-Infinity], [0], [1]]); return () => s.net.backward(t, y, 'l2'); }],
  ['unknown loss name', 'Network.backward', 'loss', (s) => { const t = s.track(s.net.forward(s.x)); return () => s.net.backward(t, s.y, 'mse' as never); }],
  ['loss object without a name', 'Network.backward', 'loss.name', (s) => { const t = s.track(s.net.forward(s.x)); return () => s.net.backward(t, s.y, { ...losses.l2, name: '' }); }],
  ['binary cross-entropy target 2', 'Network.backward', 'y', (s) => { const t = s.track(s.net.forward(s.x)); const y = s.track([[0], [1], [2], [0], [1]]); return () => s.net.backward(t, y, 'binaryCrossEntropy'); }],

  // Network.predict -----------------------------------------------------------------------
  ['Float64Array sample of the wrong length', 'Network.predict', 'x', (s) => { const x = s.track(new Float64Array(3)); return () => s.net.predict(x); }],
  ['sample holding NaN', 'Network.predict', 'x', (s) => () => s.net.predict([1, NaN])],
  ['sample holding +Infinity', 'Network.predict', 'x', (s) => () => s.net.predict(new Float64Array([Infinity, 0]))],
  ['sample holding a string', 'Network.predict', 'x[1]', (s) => () => s.net.predict([1, '2'] as never)],
  ['sparse sample', 'Network.predict', 'x[1]', (s) => () => s.net.predict([1, , ] as never)],
  ['Matrix whose rows were changed after construction', 'Network.predict', 'x', (s) => {
    const m = new Matrix(2, 2);
    (m as { rows: number }).rows = 3;
    s.track(m);
    return () => s.net.predict(m);
  }],
  ['Matrix whose data is a plain array', 'Network.predict', 'x.data', (s) => { const m = s.track(forgedMatrix(1, 2, [1, 2])); return () => s.net.predict(m); }],
  ['undefined', 'Network.predict', 'x', (s) => () => s.net.predict(undefined as never)],
  ['512 rows of 2^20 values (huge)', 'Network.predict', 'x', (s) => { const x = new Array<Float64Array>(512).fill(huge); return () => s.net.predict(x); }],
  ['a Matrix of the wrong width', 'Network.predict', 'x', (s) => { const m = s.track(new Matrix(1, 3)); return () => s.net.predict(m); }],

  // Network.fit: options ------------------------------------------------------------------
  ['typo "learningrate"', 'Network.fit', 'options', (s) => () => s.net.fit(s.x, s.y, { learningrate: 0.1 } as never)],
  ['typo "epoch"', 'Network.fit', 'options', (s) => () => s.net.fit(s.x, s.y, { epoch: 3 } as never)],
  ['negative learningRate', 'Network.fit', 'options.learningRate', (s) => () => s.net.fit(s.x, s.y, { learningRate: -0.1 })],
  ['learningRate NaN', 'Network.fit', 'options.learningRate', (s) => () => s.net.fit(s.x, s.y, { learningRate: NaN })],
  ['learningRate Infinity', 'Network.fit', 'options.learningRate', (s) => () => s.net.fit(s.x, s.y, { learningRate: Infinity })],
  ['learningRate 0', 'Network.fit', 'options.learningRate', (s) => () => s.net.fit(s.x, s.y, { learningRate: 0 })],
  ['learningRate as a string', 'Network.fit', 'options.learningRate', (s) => () => s.net.fit(s.x, s.y, { learningRate: '0.1' as never })],
  ['negative weightDecay', 'Network.fit', 'options.weightDecay', (s) => () => s.net.fit(s.x, s.y, { weightDecay: -1e-3 })],
  ['weightDecay 1', 'Network.fit', 'options.weightDecay', (s) => () => s.net.fit(s.x, s.y, { weightDecay: 1 })],
  ['fractional batchSize', 'Network.fit', 'options.batchSize', (s) => () => s.net.fit(s.x, s.y, { batchSize: 2.5 })],
  ['batchSize 0', 'Network.fit', 'options.batchSize', (s) => () => s.net.fit(s.x, s.y, { batchSize: 0 })],
  ['negative epochs', 'Network.fit', 'options.epochs', (s) => () => s.net.fit(s.x, s.y, { epochs: -1 })],
  ['epochs NaN', 'Network.fit', 'options.epochs', (s) => () => s.net.fit(s.x, s.y, { epochs: NaN })],
  ['seed NaN', 'Network.fit', 'options.seed', (s) => () => s.net.fit(s.x, s.y, { seed: NaN })],
  ['shuffle 1', 'Network.fit', 'options.shuffle', (s) => () => s.net.fit(s.x, s.y, { shuffle: 1 as never })],
  ['onEpoch not a function', 'Network.fit', 'options.onEpoch', (s) => () => s.net.fit(s.x, s.y, { onEpoch: 'log' as never })],
  ['options a string', 'Network.fit', 'options', (s) => () => s.net.fit(s.x, s.y, 'fast' as never)],
  ['options an array', 'Network.fit', 'options', (s) => () => s.net.fit(s.x, s.y, [] as never)],
  ['optimizer and learningRate together', 'Network.fit', 'options', (s) => () => s.net.fit(s.x, s.y, { optimizer: sgd(), learningRate: 0.1 })],
  ['optimizer without step', 'Network.fit', 'options.optimizer', (s) => () => s.net.fit(s.x, s.y, { optimizer: { learningRate: 0.1, weightDecay: 0 } as never })],
  ['unknown loss "crossentropy"', 'Network.fit', 'options.loss', (s) => () => s.net.fit(s.x, s.y, { loss: 'crossentropy' as never })],
  ['validation without y', 'Network.fit', 'options.validation.y', (s) => { const v = s.track({ x: [[1, 1]] }); return () => s.net.fit(s.x, s.y, { validation: v as never }); }],
  ['NaN in validation.x', 'Network.fit', 'options.validation.x', (s) => { const v = s.track({ x: [[1, NaN]], y: [[1]] }); return () => s.net.fit(s.x, s.y, { validation: v }); }],
  ['-Infinity in validation.y', 'Network.fit', 'options.validation.y', (s) => { const v = s.track({ x: [[1, 1]], y: [[-Infinity]] }); return () => s.net.fit(s.x, s.y, { validation: v, loss: 'l2' }); }],
  ['typo "Y" in validation', 'Network.fit', 'options.validation', (s) => { const v = s.track({ x: [[1, 1]], Y: [[1]] }); return () => s.net.fit(s.x, s.y, { validation: v as never }); }],
  ['validation.y with a row too many', 'Network.fit', 'options.validation.y', (s) => { const v = s.track({ x: [[1, 1]], y: [[1], [0]] }); return () => s.net.fit(s.x, s.y, { validation: v }); }],

  // Network.fit: data ---------------------------------------------------------------------
  ['y with a row too few', 'Network.fit', 'y', (s) => () => s.net.fit(s.x, s.y.slice(1))],
  ['x empty', 'Network.fit', 'x', (s) => () => s.net.fit([], [])],
  ['NaN in y', 'Network.fit', 'y', (s) => { const y = s.track([[0], [1], [NaN], [0], [1]]); return () => s.net.fit(s.x, y, { loss: 'l2' }); }],
  ['jagged y', 'Network.fit', 'y[2]', (s) => { const y = s.track([[0], [1], [1, 0], [0], [1]]); return () => s.net.fit(s.x, y); }],
  ['+Infinity in x (last cell)', 'Network.fit', 'x', (s) => { const x = s.track([[0, 0], [0, 1], [1, 0], [1, 1], [0.5, Infinity]]); return () => s.net.fit(x, s.y); }],
  ['a Matrix x whose data is shorter than rows × cols', 'Network.fit', 'x', (s) => { const x = s.track(forgedMatrix(5, 2, new Float64Array(9))); return () => s.net.fit(x, s.y); }],
  ['negative categorical cross-entropy target', 'Network.fit', 'y', (s) => { const y = s.track([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0], [0, -1, 2]]); return () => s.soft.fit(s.x, y); }],
  ['binary cross-entropy target -0.5 (default loss of a sigmoid output)', 'Network.fit', 'y', (s) => { const y = s.track([[0], [1], [-0.5], [0], [1]]); return () => s.net.fit(s.x, y); }],
  ['x of the softmax network one column short', 'Network.fit', 'x', (s) => { const x = s.track([[1], [2]]); return () => s.soft.fit(x, [[1, 0, 0], [0, 1, 0]]); }],

  // Network.fromJSON / toJSON -------------------------------------------------------------
  ['text that is not JSON', 'Network.fromJSON', 'json', () => () => Network.fromJSON('{"format": deltaprop')],
  ['an empty object', 'Network.fromJSON', 'json.format', () => () => Network.fromJSON({})],
  ['weights one value short', 'Network.fromJSON', 'json.layers[0].weights', (s) => { const j = s.track(s.net.toJSON()); j.layers[0]!.weights.pop(); return () => Network.fromJSON(j); }],
  ['a string where a bias belongs', 'Network.fromJSON', 'json.layers[1].biases[0]', (s) => {
    const j = s.net.toJSON();
    (j.layers[1]!.biases as unknown[])[0] = '0';
    s.track(j);
    return () => Network.fromJSON(j);
  }],
  ['typo in the options', 'Network.fromJSON', 'options', (s) => () => Network.fromJSON(s.net.toJSON(), { activation: {} } as never)],
  ['a custom activation that is not an Activation', 'Network.fromJSON', 'options.activations.mine', (s) => {
    const j = s.net.toJSON();
    (j.layers as { activation: unknown }[])[0]!.activation = 'mine';
    const options = s.track({ activations: { mine: 5 as never } });
    s.track(j);
    return () => Network.fromJSON(j, options);
  }],
  ['toJSON of a network holding NaN', 'Network.toJSON', 'this.layers[0].weights', (s) => {
    s.net.layers[0]!.weights.data[2] = NaN;
    return () => s.net.toJSON();
  }],

  // sgd and Optimizer.step ----------------------------------------------------------------
  ['sgd learningRate -1', 'sgd', 'options.learningRate', () => () => sgd({ learningRate: -1 })],
  ['sgd typo "learning_rate"', 'sgd', 'options', () => () => sgd({ learning_rate: 0.1 } as never)],
  ['sgd weightDecay NaN', 'sgd', 'options.weightDecay', () => () => sgd({ weightDecay: NaN })],
  ['sgd options a string', 'sgd', 'options', () => () => sgd('fast' as never)],
  ['step before init', 'Optimizer.step', 'params', (s) => () => sgd().step(s.net.params, 0.1, 0)],
  ['step on the store of another network', 'Optimizer.step', 'params', (s) => { const o = sgd(); o.init(s.soft.params); return () => o.step(s.net.params, 0.1, 0); }],
  ['step with a NaN learning rate', 'Optimizer.step', 'learningRate', (s) => { const o = sgd(); o.init(s.net.params); return () => o.step(s.net.params, NaN, 0); }],
  ['step with weight decay 1', 'Optimizer.step', 'weightDecay', (s) => { const o = adam(); o.init(s.net.params); return () => o.step(s.net.params, 0.1, 1); }],
  ['step on null instead of a store', 'Optimizer.step', 'params', () => () => sgd().step(null as never, 0.1, 0)],
  ['load a state of another kind', 'Optimizer.load', 'state.name', (s) => { const o = sgd(); o.init(s.net.params); const st = adam().state(); return () => o.load(st); }],

  // checkGradients ------------------------------------------------------------------------
  ['net not a Network', 'checkGradients', 'net', (s) => { const j = s.track(s.net.toJSON()); return () => checkGradients(j as never, s.x, s.y, 'l2'); }],
  ['epsilon 0', 'checkGradients', 'options.epsilon', (s) => () => checkGradients(s.net, s.x, s.y, 'l2', { epsilon: 0 })],
  ['epsilon NaN', 'checkGradients', 'options.epsilon', (s) => () => checkGradients(s.net, s.x, s.y, 'l2', { epsilon: NaN })],
  ['floor -1', 'checkGradients', 'options.floor', (s) => () => checkGradients(s.net, s.x, s.y, 'l2', { floor: -1 })],
  ['typo "eps"', 'checkGradients', 'options', (s) => () => checkGradients(s.net, s.x, s.y, 'l2', { eps: 1e-4 } as never)],
  ['NaN in x', 'checkGradients', 'x', (s) => { const x = s.track([[NaN, 0]]); return () => checkGradients(s.net, x, [[1]], 'l2'); }],
  ['y with a row too many', 'checkGradients', 'y', (s) => () => checkGradients(s.net, [[0, 0]], [[1], [0]], 'l2')],
  ['unknown loss', 'checkGradients', 'loss', (s) => () => checkGradients(s.net, s.x, s.y, 'hinge' as never)],
  ['a loss that overflows to Infinity', 'checkGradients', 'loss', (s) => {
    const big: Loss = { name: 'cubeOfTheSum', value: () => Infinity, gradient: (out) => out.data.fill(1) };
    return () => checkGradients(s.net, s.x, s.y, big);
  }],

  // oneHot --------------------------------------------------------------------------------
  ['labels not an array', 'oneHot', 'labels', () => () => oneHot(3 as never, 4)],
  ['fractional label', 'oneHot', 'labels[0]', () => () => oneHot([1.5], 3)],
  ['label equal to classes', 'oneHot', 'labels[1]', () => () => oneHot([0, 3], 3)],
  ['label NaN', 'oneHot', 'labels[0]', () => () => oneHot([NaN], 3)],
  ['negative label', 'oneHot', 'labels[2]', (s) => { const labels = s.track(new Int32Array([0, 1, -1])); return () => oneHot(labels, 3); }],
  ['classes 0', 'oneHot', 'classes', () => () => oneHot([0], 0)],
  ['fractional classes', 'oneHot', 'classes', () => () => oneHot([0], 2.5)],
  ['10^5 labels × 10^4 classes (huge)', 'oneHot', 'labels', (s) => { const labels = s.track(new Uint8Array(1e5)); return () => oneHot(labels, 1e4); }],

  // Matrix --------------------------------------------------------------------------------
  ['negative rows', 'new Matrix', 'rows', () => () => new Matrix(-1, 2)],
  ['fractional cols', 'new Matrix', 'cols', () => () => new Matrix(2, 1.5)],
  ['data one value short', 'new Matrix', 'data', (s) => { const d = s.track(new Float64Array(3)); return () => new Matrix(2, 2, d); }],
  ['data a plain array', 'new Matrix', 'data', () => () => new Matrix(2, 2, [1, 2, 3, 4] as never)],
  ['data a Float32Array', 'new Matrix', 'data', (s) => { const d = s.track(new Float32Array(4)); return () => new Matrix(2, 2, d as never); }],
  ['2^20 × 2^20 (huge)', 'new Matrix', '=rows × cols must be at most', () => () => new Matrix(2 ** 20, 2 ** 20)],
  ['Matrix.from of jagged rows', 'Matrix.from', 'rows[1]', (s) => { const r = s.track([[1, 2], [3]]); return () => Matrix.from(r); }],
  ['Matrix.from of null', 'Matrix.from', 'rows', () => () => Matrix.from(null as never)],
  ['Matrix.from of a string value', 'Matrix.from', 'rows[0][1]', () => () => Matrix.from([[1, '2']] as never)],
  ['Matrix.from of a row that is a number', 'Matrix.from', 'rows[1]', () => () => Matrix.from([[1], 2] as never)],
  ['get beyond the last row', 'Matrix.get', 'i', (s) => { const m = s.track(new Matrix(2, 2)); return () => m.get(2, 0); }],
  ['get at column -1', 'Matrix.get', 'j', (s) => { const m = s.track(new Matrix(2, 2)); return () => m.get(0, -1); }],
  ['get at a fractional row', 'Matrix.get', 'i', (s) => { const m = s.track(new Matrix(2, 2)); return () => m.get(0.5, 0); }],
  ['set a string value', 'Matrix.set', 'value', (s) => { const m = s.track(new Matrix(2, 2)); return () => m.set(0, 0, '1' as never); }],
  ['set at row NaN', 'Matrix.set', 'i', (s) => { const m = s.track(new Matrix(2, 2)); return () => m.set(NaN, 0, 1); }],
  ['row beyond the last', 'Matrix.row', 'i', (s) => { const m = s.track(new Matrix(2, 2)); return () => m.row(2); }],

  // leakyRelu and elementwiseActivation ----------------------------------------------------
  ['leakyRelu slope NaN', 'leakyRelu', 'slope', () => () => leakyRelu(NaN)],
  ['leakyRelu slope as a string', 'leakyRelu', 'slope', () => () => leakyRelu('0.1' as never)],
  ['leakyRelu slope -Infinity', 'leakyRelu', 'slope', () => () => leakyRelu(-Infinity)],
  ['elementwiseActivation with an empty name', 'elementwiseActivation', 'name', () => () => elementwiseActivation('', Math.sin, Math.cos)],
  ['elementwiseActivation under a built-in name', 'elementwiseActivation', 'name', () => () => elementwiseActivation('relu', Math.sin, Math.cos)],
  ['elementwiseActivation with a number as name', 'elementwiseActivation', 'name', () => () => elementwiseActivation(5 as never, Math.sin, Math.cos)],
  ['elementwiseActivation without f', 'elementwiseActivation', 'f', () => () => elementwiseActivation('sine', undefined as never, Math.cos)],
  ['elementwiseActivation without its derivative', 'elementwiseActivation', 'derivative', () => () => elementwiseActivation('sine', Math.sin, 'cos' as never)],

  // Random --------------------------------------------------------------------------------
  ['fractional seed', 'new Random', 'seed', () => () => new Random(1.5)],
  ['seed as a string', 'new Random', 'seed', () => () => new Random('1' as never)],
  ['seed NaN', 'new Random', 'seed', () => () => new Random(NaN)],
  ['int(0)', 'Random.int', 'n', (s) => { const r = s.track(new Random(1)); return () => r.int(0); }],
  ['int(2^33)', 'Random.int', 'n', (s) => { const r = s.track(new Random(1)); return () => r.int(2 ** 33); }],
  ['uniform from NaN', 'Random.uniform', 'lo', (s) => { const r = s.track(new Random(1)); return () => r.uniform(NaN, 1); }],
  ['uniform to Infinity', 'Random.uniform', 'hi', (s) => { const r = s.track(new Random(1)); return () => r.uniform(0, Infinity); }],
  ['shuffle of null', 'Random.shuffle', 'order', (s) => { const r = s.track(new Random(1)); return () => r.shuffle(null as never); }],
  ['shuffle of a string', 'Random.shuffle', 'order', (s) => { const r = s.track(new Random(1)); return () => r.shuffle('abc' as never); }],
];

// ---------------------------------------------------------------------------------------------

function state(s: Subjects): string {
  return snap([s.net, s.soft, s.x, s.y, s.tracked]);
}

function expectMisuse(where: string, arg: string, make: (s: Subjects) => () => unknown): void {
  const s = subjects();
  const call = make(s);
  const before = state(s);
  let error: unknown;
  try {
    call();
  } catch (e) {
    error = e;
  }
  expect(error, 'the call must throw').toBeInstanceOf(DeltapropError);
  const message = (error as Error).message;
  expect(message.startsWith(`${where}: `), message).toBe(true);
  if (arg.startsWith('=')) expect(message).toContain(arg.slice(1));
  else expect(message).toContain(`argument "${arg}"`);
  expect(state(s)).toBe(before);
}

describe('the bad-input catalogue', () => {
  it.each(catalogue.map(([what, where, arg, make]) => ({ what, where, arg, make })))(
    '$where: $what',
    ({ where, arg, make }) => expectMisuse(where, arg, make),
  );

  it('has at least 40 distinct misuses, touching every public function', () => {
    const names = catalogue.map(([what, where]) => `${where}: ${what}`);
    expect(new Set(names).size).toBe(names.length);
    expect(names.length).toBeGreaterThanOrEqual(40);
    const functions = new Set(catalogue.map(([, where]) => where));
    for (const f of [
      'Network.create', 'Network.forward', 'Network.backward', 'Network.predict', 'Network.fit', 'Network.fromJSON',
      'Network.toJSON', 'sgd', 'Optimizer.step', 'checkGradients', 'oneHot', 'new Matrix', 'Matrix.from', 'Matrix.get',
      'Matrix.set', 'leakyRelu', 'elementwiseActivation', 'new Random', 'Random.int', 'Random.uniform', 'Random.shuffle',
    ]) {
      expect(functions.has(f), f).toBe(true);
    }
  });

  it('the snapshot sees a change of one bit, of a sign of zero, and of an option', () => {
    // The harness above is only as good as its snapshots: show that they notice small changes.
    const s = subjects();
    const before = state(s);
    s.net.layers[1]!.biases[0] = -0;
    expect(state(s)).not.toBe(before);
    const s2 = subjects();
    const t = s2.track({ validation: { x: [[1, 2]] } });
    const b2 = state(s2);
    t.validation.x[0]![1] = 2.0000000000000004;
    expect(state(s2)).not.toBe(b2);
    const s3 = subjects();
    const r = s3.track(new Random(5));
    const b3 = state(s3);
    r.nextUint32();
    expect(state(s3)).not.toBe(b3);
  });
});

// ---------------------------------------------------------------------------------------------
// User code that throws: the callback's error is reported, and the network is left in a
// documented, reproducible state (fit: the state after the last completed step or epoch).
// ---------------------------------------------------------------------------------------------

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return expect.fail('the call did not throw');
}

describe('callbacks and user functions that throw', () => {
  const options = { learningRate: 0.3, batchSize: 2, shuffle: true, seed: 9, epochs: 4 } as const;

  it('a user loss that throws during the 3rd batch: TrainingError with the cause, weights of before that batch', () => {
    const s = subjects();
    const boom = new RangeError('out of cheese');
    // fit calls value once per batch: batches 1 and 2 succeed, the 3rd throws.
    const err = catchError(() => s.net.fit(s.x, s.y, { ...options, loss: lossThrowingOnCall(3, boom) }));
    expect(err).toBeInstanceOf(TrainingError);
    const t = err as TrainingError;
    expect(t.message.startsWith('Network.fit: ')).toBe(true);
    expect(t.message).toContain('out of cheese');
    expect(t.cause).toBe(boom);
    // 5 samples in batches of 2: three batches per epoch, so the 3rd batch is epoch 1, batch 3.
    expect([t.epoch, t.batch]).toEqual([1, 3]);
    // Replay the two completed steps by hand: the same shuffled order, forward, backward, sgd.
    const expected = subjects();
    const order = new Uint32Array([0, 1, 2, 3, 4]);
    new Random(options.seed).shuffle(order);
    const step = sgd({ learningRate: options.learningRate });
    let lastLoss = NaN;
    for (const start of [0, 2]) {
      const rows = [order[start]!, order[start + 1]!];
      const trace = expected.net.forward(rows.map((i) => expected.x[i]!));
      const yb = rows.map((i) => expected.y[i]!);
      lastLoss = losses.l2.value(trace.activations[2]!, Matrix.from(yb));
      applyStep(step, expected.net, expected.net.backward(trace, yb, 'l2'));
    }
    expect(snap(s.net)).toBe(snap(expected.net));
    expect(t.lastLoss).toBe(lastLoss);
    // And that state is not the initial one: two steps really happened.
    expect(snap(s.net)).not.toBe(snap(subjects().net));
  });

  it('a user activation whose forward throws at once: TrainingError, network unchanged', () => {
    const s = subjects();
    const broken = elementwiseActivation('broken', () => { throw new Error('nope'); }, () => 1);
    const net = Network.create({ input: 2, layers: [{ units: 2, activation: broken }], seed: 3 });
    const before = snap(net);
    const err = catchError(() => net.fit(s.x, s.x, { loss: 'l2' }));
    expect(err).toBeInstanceOf(TrainingError);
    expect([(err as TrainingError).epoch, (err as TrainingError).batch]).toEqual([1, 1]);
    expect((err as TrainingError).message).toContain('nope');
    expect(snap(net)).toBe(before);
  });

  it('checkGradients with a loss that throws part-way: the error passes through and every weight is restored', () => {
    const s = subjects();
    const before = snap(s.net);
    const boom = new Error('flaky');
    // backward never calls value; the probes call it twice per parameter, so the 6th call is the
    // second probe of the 3rd weight, made while that weight is shifted by −ε.
    const err = catchError(() => checkGradients(s.net, s.x, s.y, lossThrowingOnCall(6, boom)));
    expect(err).toBe(boom);
    expect(snap(s.net)).toBe(before);
  });

  it('predict with a user activation that throws: the error passes through, network unchanged', () => {
    const broken = elementwiseActivation('broken', () => { throw new Error('nope'); }, () => 1);
    const net = Network.create({ input: 2, layers: [{ units: 2, activation: broken }], seed: 3 });
    const before = snap(net);
    expect(() => net.predict([1, 2])).toThrow('nope');
    expect(snap(net)).toBe(before);
  });
});
