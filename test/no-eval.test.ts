/**
 * No code from strings: deltaprop must run under a strict Content-Security-Policy (no
 * 'unsafe-eval'), so neither its sources nor its built modules may contain eval(...),
 * new Function(...), Function(...), a string handed to setTimeout/setInterval, or a call
 * through .constructor(...) (the usual way to reach Function without naming it).
 *
 * Scanned here: src/, and a fresh ESM + CJS build made with the project's tsup.config.ts into a
 * temporary folder (dist/ may be missing or stale when vitest runs: `npm test` builds after the
 * unit tests). test/package.test.ts runs the same scanner over the installed tarball.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesBelow, findForbidden, scanFiles } from './helpers/forbidden.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'src');

let buildDir: string;

beforeAll(async () => {
  buildDir = mkdtempSync(join(tmpdir(), 'deltaprop-no-eval-'));
  await build({ outDir: buildDir, format: ['esm', 'cjs'], dts: false, silent: true });
}, 120_000);

afterAll(() => {
  if (buildDir !== undefined) rmSync(buildDir, { recursive: true, force: true });
});

describe('no eval, new Function or other code from strings', () => {
  it('the scanner finds each construct it looks for (so that a clean result means something)', () => {
    const planted = [
      'const a = eval("1 + 1");',
      'const f = new Function("x", "return x");',
      'const g = Function("return this")();',
      'setTimeout("tick()", 10);',
      'const h = (() => 0).constructor("return 1");',
      'const i = globalThis.eval ? 1 : 0; window.eval("2");',
    ].join('\n');
    expect(findForbidden(planted).map((h) => h.split(' at ')[0])).toEqual([
      'eval(',
      'new Function',
      'Function(',
      'setTimeout/setInterval with a string',
      '.constructor(',
      'eval(',
    ]);
    // And it does not cry wolf on ordinary names that contain the words.
    expect(findForbidden('const evalWs = 1; retrieval(x); isFunction(f); typeof f === "function"; new FunctionLike();')).toEqual([]);
  });

  it('src/ is clean', () => {
    const sources = filesBelow(src, /\.ts$/);
    expect(sources.length).toBeGreaterThan(10);
    expect(scanFiles(sources, root)).toEqual({});
  });

  it("a fresh ESM + CJS build (the project's tsup config) has one module per source file, and is clean", () => {
    const modules = filesBelow(src, /\.ts$/).map((p) => relative(src, p).split(sep).join('/').slice(0, -'.ts'.length));
    const built = filesBelow(buildDir, /\.(c?js|mjs)$/);
    expect(built.map((p) => relative(buildDir, p).split(sep).join('/'))).toEqual(modules.flatMap((m) => [`${m}.cjs`, `${m}.js`]).sort());
    // The build really holds the library (not empty shells): the model file's format tag, in both formats.
    for (const format of [/\.js$/, /\.cjs$/]) {
      expect(built.filter((p) => format.test(p)).map((p) => readFileSync(p, 'utf8')).join('\n')).toContain('deltaprop-network');
    }
    expect(scanFiles(built, buildDir)).toEqual({});
  });
});
