/**
 * toModule: the generated module, imported from a temporary file, returns exactly the bits of
 * predict (ESM, CommonJS, TypeScript), holds no eval, Function( or import, and its runtime is the one
 * scripts/make-module-runtime.mjs derives from src/core/math.ts today.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { DeltapropError, elementwiseActivation, leakyRelu, Network, toModule } from '../src/index.js';
import { exportModule } from '../src/interop/module.js';
import { generateRuntimeFile, runtimePath } from '../scripts/make-module-runtime.mjs';
import { ACTIVATIONS, inputs, makeNet, predictScaled, sameBits, withScaling } from './helpers/interop.js';
import { extrasOf } from '../src/interop/model-view.js';

interface Generated {
  predict(x: ArrayLike<number>): Float64Array;
  predict(x: ArrayLike<ArrayLike<number>>): Float64Array[];
  classify?: (x: ArrayLike<number> | ArrayLike<ArrayLike<number>>) => unknown;
  classes?: readonly unknown[];
  input: number;
  output: number;
}

const dir = mkdtempSync(join(tmpdir(), 'deltaprop-module-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let count = 0;

async function load(source: string, format: 'esm' | 'cjs' = 'esm', typescript = false): Promise<Generated> {
  let js = source;
  if (typescript) js = ts.transpileModule(source, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: format === 'esm' ? ts.ModuleKind.ESNext : ts.ModuleKind.CommonJS } }).outputText;
  const file = join(dir, `model${count++}.${format === 'esm' ? 'mjs' : 'cjs'}`);
  writeFileSync(file, js);
  if (format === 'cjs') return createRequire(import.meta.url)(file) as Generated;
  return (await import(pathToFileURL(file).href)) as Generated;
}

/** Wide-ranging samples that reach every branch of exp, expm1, tanh, log1p and the softmax shift. */
function samples(): number[][] {
  const rows = inputs();
  let s = 12345;
  const next = (): number => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let i = 0; i < 60; i++) {
    const scale = [1e-10, 0.01, 0.3, 1, 5, 30, 300][i % 7]!;
    rows.push(Array.from({ length: 5 }, () => (2 * next() - 1) * scale));
  }
  return rows;
}

function expectSameBits(got: Float64Array[], net: Network, x: number[][]): void {
  const want = net.predict(x);
  for (let i = 0; i < x.length; i++) {
    const row = want.data.subarray(i * want.cols, (i + 1) * want.cols);
    if (!sameBits(got[i]!, row)) expect(Array.from(got[i]!), `row ${i}`).toEqual(Array.from(row));
  }
}

describe('toModule', () => {
  it('src/interop/module-runtime.ts is what scripts/make-module-runtime.mjs derives from src/core/math.ts now', () => {
    expect(readFileSync(runtimePath, 'utf8')).toBe(generateRuntimeFile());
  });

  for (const [label, activation] of ACTIVATIONS) {
    it(`${label}: bit-identical to predict at depths 1–4 (ESM; CommonJS at depth 2)`, async () => {
      const x = samples();
      for (let depth = 1; depth <= 4; depth++) {
        const net = makeNet(activation, depth, depth);
        net.layers[0]!.weights.data[0] = -0;
        const m = await load(toModule(net));
        expect([m.input, m.output]).toEqual([net.input, net.output]);
        expectSameBits(m.predict(x), net, x);
        expect(sameBits(m.predict(x[3]!), net.predict(x[3]!))).toBe(true); // one sample
        if (depth === 2) expectSameBits((await load(toModule(net, { format: 'cjs' }), 'cjs')).predict(x), net, x);
      }
    });
  }

  it('TypeScript output type-checks under strict settings and is bit-identical too', async () => {
    const net = Network.create({
      input: 5,
      layers: [
        { units: 6, activation: 'tanh' }, { units: 6, activation: 'sigmoid' }, { units: 6, activation: leakyRelu(0.2) },
        { units: 6, activation: 'softplus' }, { units: 6, activation: 'relu' }, { units: 6, activation: 'identity' }, { units: 4, activation: 'softmax' },
      ],
      seed: 5,
    });
    const source = exportModule('toModule', net, { typescript: true }, { classes: ['a', 'b', 'c', 'd'] });
    const file = join(dir, 'typed.ts');
    writeFileSync(file, source);
    const program = ts.createProgram([file], {
      strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, lib: ['lib.es2022.d.ts'], types: [],
      noUnusedLocals: true, noUnusedParameters: true, noUncheckedIndexedAccess: true, exactOptionalPropertyTypes: true, noImplicitReturns: true,
    });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(diagnostics).toEqual([]);
    const x = samples();
    expectSameBits((await load(source, 'esm', true)).predict(x), net, x);
    const cjs = exportModule('toModule', net, { typescript: true, format: 'cjs' }, {});
    expectSameBits((await load(cjs, 'cjs', true)).predict(x), net, x);
  });

  it('input and output scaling and class labels: bit-identical to (x − s)/d → predict → z·d + s', async () => {
    for (const [, activation] of ACTIVATIONS) {
      const net = withScaling(makeNet(activation, 3, 9));
      const classes = ['cat', 'dog', 7, 'bird'];
      const k = net.output;
      expect(k).toBe(4);
      const m = await load(exportModule('toModule', net, {}, { ...extrasOf('toModule', net), classes }));
      const x = samples();
      const want = predictScaled(net, x);
      const got = m.predict(x);
      for (let i = 0; i < x.length; i++) expect(sameBits(got[i]!, want.subarray(i * k, i * k + k)), `row ${i}`).toBe(true);
      const labels = m.classify!(x) as unknown[];
      labels.forEach((label, i) => {
        const row = Array.from(want.subarray(i * k, i * k + k));
        expect(label).toBe(classes[row.indexOf(Math.max(...row))]);
      });
      expect(m.classes).toEqual(classes);
    }
  });

  it("the public toModule carries the network's own scaling and classes; an unadapted network is refused", async () => {
    const x = [[5.1, 3.5], [6.2, 2.9], [7.7, 3.0], [4.9, 3.1]];
    const net = Network.create({ input: 2, layers: [{ units: 4, activation: 'tanh' }, { units: 3, activation: 'softmax' }], inputScaling: 'standard', classes: ['a', 'b', 'c'], seed: 3 });
    expect(() => toModule(net)).toThrow(/toModule: .*no statistics yet/);
    net.adapt(x);
    const m = await load(toModule(net));
    const got = m.predict(x);
    x.forEach((row, i) => expect(sameBits(got[i]!, net.predict(row))).toBe(true));
    expect(m.classes).toEqual(['a', 'b', 'c']);
    expect(m.classify!(x)).toEqual(net.classify(x).map((c) => c.label));
  });

  it('holds no eval, Function(, import, require or host globals, and inlines every float64 exactly', () => {
    const net = makeNet('softplus', 4);
    net.layers[1]!.weights.data[2] = -0;
    net.layers[1]!.weights.data[3] = 5e-324;
    net.layers[1]!.weights.data[4] = -1.7976931348623157e308;
    for (const source of [toModule(net), toModule(net, { format: 'cjs' }), toModule(net, { typescript: true })]) {
      for (const pattern of [/(?<![\w$])eval\s*\(/, /\bFunction\s*\(/, /\bimport\b/, /\brequire\s*\(/, /\.constructor\s*\(/, /\b(globalThis|window|self|document|process|Buffer|atob|TextDecoder)\b/]) {
        expect(source).not.toMatch(pattern);
      }
      expect(source).toContain('-0, 5e-324, -1.7976931348623157e+308');
    }
  });

  it('predict checks its argument; toModule refuses custom activations and bad options', async () => {
    const m = await load(toModule(makeNet('relu', 2)));
    expect(() => m.predict([1, 2, 3])).toThrow(/predict: x must be a sample of 5 numbers/);
    expect(() => m.predict([1, 2, 3, 4, NaN])).toThrow(/predict: x\[4\] must be a finite number, got NaN/);
    expect(() => m.predict([[1, 2, 3, 4, 5], [1]])).toThrow(/x\[1\] must be a sample of 5 numbers/);
    expect(m.predict(Float64Array.from([1, 2, 3, 4, 5]))).toBeInstanceOf(Float64Array);
    const swish = elementwiseActivation('swish', (x) => x, () => 1);
    expect(() => toModule(Network.create({ input: 2, layers: [{ units: 1, activation: swish }] }))).toThrow(/toModule: argument "net.layers\[0\].activation" .*'swish'/);
    expect(() => toModule(makeNet('relu', 1), { format: 'umd' as 'esm' })).toThrow(/toModule: argument "options.format" must be 'esm' or 'cjs', got "umd"/);
    expect(() => toModule(makeNet('relu', 1), { typescript: 1 as unknown as boolean })).toThrow(DeltapropError);
  });
});
