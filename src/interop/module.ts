/**
 * A standalone prediction module: the source text of an ES or CommonJS module (optionally
 * TypeScript) with the weights inlined exactly and a `predict(x)` that performs the same
 * operations in the same order as `Network.predict`, so that it returns the same bits.
 *
 * It uses the library's own elementary functions (src/interop/module-runtime.ts, generated from
 * src/core/math.ts and src/model/activations.ts), sums each unit as the kernels do (start from
 * the bias, add input p = 0, 1, …), and needs no imports, no code from strings and no globals
 * beyond JavaScript's own (Float64Array, Math.abs, Math.floor), so a strict CSP page can load it.
 */
import { fail } from '../core/errors.js';
import { checkOptionNames, toOptions } from '../core/schema.js';
import type { Network } from '../network.js';
import { DELTAPROP_VERSION, extrasOf, describeShapes, type ModelExtras, viewModel } from './model-view.js';
import { RUNTIME_JS, RUNTIME_TS } from './module-runtime.js';

export interface ToModuleOptions {
  /** `esm` writes `export` statements, `cjs` assigns `module.exports`. @default 'esm' */
  readonly format?: 'esm' | 'cjs';
  /** Write TypeScript (typed declarations) instead of JavaScript. @default false */
  readonly typescript?: boolean;
}

/** The source of a standalone module whose `predict` gives the bits `net.predict` gives. */
export function toModule(net: Network, options?: ToModuleOptions): string {
  return exportModule('toModule', net, options, extrasOf('toModule', net));
}

/** A float64 as a literal that reads back to the same bits (the shortest one; −0 kept). */
function literal(v: number): string {
  return Object.is(v, -0) ? '-0' : String(v);
}

function array(values: ArrayLike<number>): string {
  const parts: string[] = [];
  for (let i = 0; i < values.length; i += 8) {
    const row: string[] = [];
    for (let j = i; j < Math.min(i + 8, values.length); j++) row.push(literal(values[j]!));
    parts.push(row.join(', '));
  }
  return `new Float64Array([\n  ${parts.join(',\n  ')},\n])`;
}

/** toModule with the model's extras (scaling, class labels). */
export function exportModule(where: string, net: unknown, options: unknown, extras: ModelExtras): string {
  const o = toOptions(where, 'options', options);
  checkOptionNames(where, 'options', o, ['format', 'typescript']);
  const format = o['format'] ?? 'esm';
  if (format !== 'esm' && format !== 'cjs') fail(where, 'options.format', "'esm' or 'cjs'", format);
  const typescript = o['typescript'] ?? false;
  if (typeof typescript !== 'boolean') fail(where, 'options.typescript', 'true or false', typescript);
  const view = viewModel(where, net, 'a standalone module', extras);
  const classes = view.extras.classes;
  if (classes !== undefined) {
    if (classes.length !== view.output) fail(where, 'net.classes', `${view.output} labels (one per output)`, `${classes.length}`);
    for (const c of classes) if (typeof c !== 'string' && !(typeof c === 'number' && Number.isFinite(c))) fail(where, 'net.classes', 'strings or finite numbers', c);
  }
  const ts = typescript;
  const T = (annotation: string): string => (ts ? annotation : '');
  const exported = format === 'esm' ? 'export ' : '';
  const L: string[] = [];
  L.push(`// A deltaprop ${DELTAPROP_VERSION} network, ${describeShapes(view)}, as a standalone module written by toModule.`);
  L.push('// predict(x) returns exactly the bits that deltaprop\'s net.predict(x) returns: the weights are inlined');
  L.push('// exactly and the arithmetic is deltaprop\'s own (portable exp, log1p, tanh; sums in the same order).');
  L.push('// Self-contained: no dependencies, no code built from strings; it uses only JavaScript\'s own built-ins.');
  if (format === 'cjs') L.push("'use strict';");
  if (format === 'cjs' && ts) L.push('declare const module: { exports: unknown };');
  L.push('');
  L.push('// ---- deltaprop runtime (generated from its src/core/math.ts and src/model/activations.ts) ----');
  L.push(ts ? RUNTIME_TS : RUNTIME_JS);
  if (ts) L.push('void [log, tanh, sigmoidScalar, softplusScalar, softmaxRow]; // not every network uses all of them');
  L.push('// ---- the model ----');
  L.push('');
  L.push(`/** Width of one input sample. */\n${exported}const input = ${view.input};`);
  L.push(`/** Width of one output sample. */\n${exported}const output = ${view.output};`);
  const kinds: string[] = [];
  view.layers.forEach((l, n) => {
    L.push(`// layer ${n}: ${l.units} units × ${l.inputs} inputs, ${l.activation}${l.activation === 'leakyRelu' ? ` (slope ${literal(l.slope)})` : ''}`);
    L.push(`const layer${n}Weights = ${array(l.weights)};`);
    L.push(`const layer${n}Biases = ${array(l.biases)};`);
    kinds.push(l.activation);
  });
  const sIn = view.extras.input;
  const sOut = view.extras.output;
  if (sIn !== undefined) L.push(`const inputShift = ${array(sIn.shift)};\nconst inputDivisor = ${array(sIn.divisor)};`);
  if (sOut !== undefined) L.push(`const outputShift = ${array(sOut.shift)};\nconst outputDivisor = ${array(sOut.divisor)};`);
  if (classes !== undefined) L.push(`/** The class of each output. */\n${exported}const classes${T(': readonly (string | number)[]')} = Object.freeze(${JSON.stringify(classes)});`);
  L.push('');
  L.push(`/** z = f(b + W·x) for one sample, summed from the bias, inputs in order (as deltaprop's kernels). */
function dense(W${T(': Float64Array')}, B${T(': Float64Array')}, inputs${T(': number')}, units${T(': number')}, x${T(': Float64Array')})${T(': Float64Array')} {
  const a = new Float64Array(units);
  for (let j = 0; j < units; j++) {
    let s = B[j]${T('!')};
    for (let p = 0; p < inputs; p++) s += x[p]${T('!')} * W[j * inputs + p]${T('!')};
    a[j] = s;
  }
  return a;
}`);
  // The forward pass of one sample, unrolled by layer.
  const body: string[] = [];
  body.push(`  let z${T(': Float64Array')} = new Float64Array(input);`);
  body.push(sIn !== undefined ? '  for (let j = 0; j < input; j++) z[j] = (x[j]' + T('!') + ' - inputShift[j]' + T('!') + ') / inputDivisor[j]' + T('!') + ';' : '  z.set(x);');
  view.layers.forEach((l, n) => {
    body.push(`  const a${n} = dense(layer${n}Weights, layer${n}Biases, ${l.inputs}, ${l.units}, z);`);
    const el = (expr: string): void => {
      body.push(`  for (let j = 0; j < ${l.units}; j++) { const v = a${n}[j]${T('!')}; a${n}[j] = ${expr}; }`);
    };
    switch (l.activation) {
      case 'identity': break;
      case 'relu': el('v > 0 ? v : 0'); break;
      case 'leakyRelu': el(`v > 0 ? v : ${literal(l.slope)} * v`); break;
      case 'sigmoid': el('sigmoidScalar(v)'); break;
      case 'tanh': el('tanh(v)'); break;
      case 'softplus': el('softplusScalar(v)'); break;
      case 'softmax': body.push(`  const s${n} = new Float64Array(${l.units});\n  softmaxRow(s${n}, a${n}, 0, ${l.units});\n  z = s${n};`); return;
    }
    body.push(`  z = a${n};`);
  });
  if (sOut !== undefined) body.push(`  for (let j = 0; j < output; j++) z[j] = z[j]${T('!')} * outputDivisor[j]${T('!')} + outputShift[j]${T('!')};`);
  body.push('  for (let j = 0; j < output; j++) if (!(z[j]' + T('!') + ' - z[j]' + T('!') + ' === 0)) throw new Error(`predict: the output is not finite (${z[j]' + T('!') + '} at column ${j}): the input is too large`);');
  body.push('  return z;');
  L.push(`function forward(x${T(': ArrayLike<number>')})${T(': Float64Array')} {\n${body.join('\n')}\n}`);
  L.push(`
function sample(x${T(': unknown')}, where${T(': string')})${T(': ArrayLike<number>')} {
  const s = x${T(' as ArrayLike<unknown>')};
  if (s === null || typeof s !== 'object' || typeof s.length !== 'number' || s.length !== input) {
    throw new Error('predict: ' + where + ' must be a sample of ' + input + ' numbers');
  }
  for (let j = 0; j < input; j++) {
    const v = s[j];
    if (typeof v !== 'number' || !(v - v === 0)) throw new Error('predict: ' + where + '[' + j + '] must be a finite number, got ' + String(v));
  }
  return s${T(' as ArrayLike<number>')};
}

function isSample(x${T(': unknown')})${T(': boolean')} {
  if (x === null || typeof x !== 'object') return false;
  if (ArrayBuffer.isView(x)) return true;
  const s = x${T(' as ArrayLike<unknown>')};
  return typeof s.length === 'number' && (s.length === 0 || s[0] === null || typeof s[0] !== 'object');
}`);
  L.push(`
/** One sample (numbers) gives a Float64Array; a batch (an array of samples) gives an array of them. */
${ts ? `${exported}function predict(x: ArrayLike<number>): Float64Array;\n${exported}function predict(x: ArrayLike<ArrayLike<number>>): Float64Array[];\n` : ''}${exported}function predict(x${T(': ArrayLike<number> | ArrayLike<ArrayLike<number>>')})${T(': Float64Array | Float64Array[]')} {
  if (isSample(x)) return forward(sample(x, 'x'));
  if (x === null || typeof x !== 'object' || typeof x.length !== 'number') throw new Error('predict: x must be a sample or an array of samples');
  const out${T(': Float64Array[]')} = [];
  for (let i = 0; i < x.length; i++) out.push(forward(sample(x[i], 'x[' + i + ']')));
  return out;
}`);
  const names = ['input', 'output', 'predict'];
  if (classes !== undefined) {
    names.push('classes', 'classify');
    L.push(`
/** The class of the largest output (the first one on ties), for one sample or for each of a batch. */
${ts ? `${exported}function classify(x: ArrayLike<number>): string | number;\n${exported}function classify(x: ArrayLike<ArrayLike<number>>): (string | number)[];\n` : ''}${exported}function classify(x${T(': ArrayLike<number> | ArrayLike<ArrayLike<number>>')})${T(': string | number | (string | number)[]')} {
  const best = (z${T(': Float64Array')})${T(': string | number')} => {
    let k = 0;
    for (let j = 1; j < output; j++) if (z[j]${T('!')} > z[k]${T('!')}) k = j;
    return classes[k]${T('!')};
  };
  const y = predict(x${T(' as ArrayLike<number>')})${T(' as Float64Array | Float64Array[]')};
  return Array.isArray(y) ? y.map(best) : best(y${T(' as Float64Array')});
}`);
  }
  L.push('');
  if (format === 'cjs') L.push(`module.exports = { ${names.join(', ')} };`);
  L.push(`// kinds of the layers: ${kinds.join(', ')}`);
  return L.join('\n') + '\n';
}
