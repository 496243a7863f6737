/**
 * No code from strings: deltaprop must run under a strict Content-Security-Policy (no
 * 'unsafe-eval'), so neither its sources nor its published bundles may contain eval(...),
 * new Function(...), Function(...), a string handed to setTimeout/setInterval, or a call
 * through .constructor(...) (the usual way to reach Function without naming it).
 *
 * What is scanned, and why this is robust:
 *   1. src/**: always (what we write).
 *   2. A fresh build: `npm test` runs vitest before `npm run build`, so dist/ may be missing or
 *      stale here. The test therefore builds the ESM and CJS bundles itself with tsup (the
 *      project's tsup.config.ts) into a temporary folder — exactly what would be published,
 *      including anything a bundler might inject — and scans them.
 *   3. dist/: also scanned when it exists (it is what `npm pack` would ship right now).
 * Comments are scanned too: a false alarm in a comment costs a rewording, a miss costs users.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

const FORBIDDEN: ReadonlyArray<readonly [string, RegExp]> = [
  ['eval(', /(?<![\w$])eval\s*\(/],
  ['new Function', /\bnew\s+Function\b/],
  ['Function(', /(?<![\w$.])(?<!new\s+)Function\s*\(/],
  ['setTimeout/setInterval with a string', /\bset(?:Timeout|Interval)\s*\(\s*['"`]/],
  ['.constructor(', /\.constructor\s*\(/],
];

/** Every forbidden construct in `text`, as "name at line N: the line". */
function findForbidden(text: string): string[] {
  const hits: string[] = [];
  text.split('\n').forEach((line, i) => {
    for (const [name, pattern] of FORBIDDEN) if (pattern.test(line)) hits.push(`${name} at line ${i + 1}: ${line.trim().slice(0, 120)}`);
  });
  return hits;
}

function files(dir: string, ext: RegExp): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...files(path, ext));
    else if (ext.test(name)) out.push(path);
  }
  return out;
}

function scan(paths: string[]): Record<string, string[]> {
  const found: Record<string, string[]> = {};
  for (const path of paths) {
    const hits = findForbidden(readFileSync(path, 'utf8'));
    if (hits.length > 0) found[relative(root, path)] = hits;
  }
  return found;
}

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
    const sources = files(join(root, 'src'), /\.ts$/);
    expect(sources.length).toBeGreaterThan(10);
    expect(scan(sources)).toEqual({});
  });

  it('a fresh ESM + CJS build (the project\'s tsup config) is clean', () => {
    const bundles = files(buildDir, /\.(c?js|mjs)$/);
    expect(bundles.map((p) => relative(buildDir, p)).sort()).toEqual(['index.cjs', 'index.js']);
    // The bundles really hold the library (not an empty shell).
    for (const p of bundles) expect(readFileSync(p, 'utf8')).toContain('deltaprop-network');
    expect(scan(bundles)).toEqual({});
  });

  it('dist/, when present, is clean', () => {
    const dist = join(root, 'dist');
    if (!existsSync(dist)) {
      console.log('no-eval: dist/ does not exist yet (npm test builds it after vitest); the fresh build above stands in for it');
      return;
    }
    const bundles = files(dist, /\.(c?js|mjs)$/);
    expect(scan(bundles)).toEqual({});
  });
});
