/**
 * What a user installs. The project is copied without dist/ (as a fresh clone is) and packed with
 * `npm pack`, so `prepack` must build it; the tarball is then installed into a fresh project and used
 * there as ESM, as CommonJS and from TypeScript (strict, moduleResolution nodenext and bundler; .mts
 * and .cts files, so the project's own "type" does not decide), each training a small network. publint and @arethetypeswrong/cli check the tarball, and esbuild bundles
 * `import { oneHot } from 'deltaprop'` against the installed package to hold a size budget.
 */
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DETERMINISM_HASH, runDeterminismScenario } from './helpers/determinism.mjs';
import { filesBelow, scanFiles } from './helpers/forbidden.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (...path: string[]): string => join(root, 'node_modules', ...path);
const TSC = bin('typescript', 'bin', 'tsc');
const execFileAsync = promisify(execFile);

/**
 * The minified oneHot bundle measured 3.8 KB (1.3 KB gzipped; encoding, matrix and errors) when this
 * budget was set, against 150 KB for the whole library; 5 KB leaves room for those three modules to
 * grow, and fails if any other module (network, training, activations, kernels) is pulled in.
 */
const ONE_HOT_BUDGET_BYTES = 5_000;

let work: string;
let tarball: string;
let consumer: string;

/**
 * Runs a command and resolves to its standard output; rejects with its output when it exits
 * non-zero. Asynchronous, so that the checks below run side by side once the tarball is installed.
 */
async function run(command: string, args: string[], cwd: string): Promise<string> {
  try {
    const { stdout } = await execFileAsync(command, args, { cwd, encoding: 'utf8', timeout: 120_000, maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const e = error as Error & { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} (in ${cwd}) failed: ${e.message}\n${e.stderr ?? ''}\n${e.stdout ?? ''}`);
  }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((p) => statSync(join(dir, p)).isFile())
    .map((p) => p.split(sep).join('/'))
    .sort();
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'deltaprop-package-'));
  // The project as a fresh clone has it: no dist/, no test output; node_modules linked, not copied.
  const skip = new Set(['node_modules', 'dist', '.git', 'test-results', 'coverage']);
  const checkout = join(work, 'checkout');
  cpSync(root, checkout, { recursive: true, filter: (src) => !skip.has(relative(root, src).split(sep)[0] ?? '') });
  symlinkSync(join(root, 'node_modules'), join(checkout, 'node_modules'), 'dir');
  const packed = join(work, 'packed');
  mkdirSync(packed);
  await run('npm', ['pack', '--pack-destination', packed], checkout);
  const tarballs = readdirSync(packed);
  expect(tarballs).toEqual([expect.stringMatching(/^deltaprop-\d+\.\d+\.\d+.*\.tgz$/)]);
  tarball = join(packed, tarballs[0]!);
  // A fresh project with the tarball installed from the local file only (deltaprop has no dependencies).
  consumer = join(work, 'consumer');
  mkdirSync(consumer);
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--no-package-lock', tarball], consumer);
}, 180_000);

afterAll(() => {
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

// Concurrent: each check runs its own processes on the installed package and writes its own files.
describe.concurrent('the packed package', () => {
  it('holds the built modules (one ESM and one CJS file per source module), the two declaration files and nothing else', () => {
    const listed = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((p) => p.replace(/^package\//, ''))
      .sort();
    const modules = filesUnder(join(root, 'src'))
      .filter((p) => p.endsWith('.ts'))
      .map((p) => p.slice(0, -'.ts'.length));
    expect(modules).toContain('index');
    const expected = [
      'LICENSE',
      'README.md',
      'package.json',
      'dist/index.d.ts',
      'dist/index.d.cts',
      ...modules.flatMap((m) => [`dist/${m}.js`, `dist/${m}.cjs`]),
    ].sort();
    expect(listed).toEqual(expected);

    const installed = join(consumer, 'node_modules', 'deltaprop');
    const sizes = listed.map((p) => [p, statSync(join(installed, p)).size] as const);
    const unpacked = sizes.reduce((sum, [, size]) => sum + size, 0);
    console.log(
      `package: ${statSync(tarball).size} bytes packed, ${unpacked} unpacked, ${listed.length} files:\n` +
        sizes.map(([p, size]) => `  ${String(size).padStart(6)}  ${p}`).join('\n'),
    );
    // The library really is in there, and the CommonJS modules require each other's .cjs files.
    expect(readFileSync(join(installed, 'dist/index.d.ts'), 'utf8')).toContain('declare class Network');
    const cjs = readFileSync(join(installed, 'dist/index.cjs'), 'utf8');
    expect(cjs).toContain('require("./network.cjs")');
    expect(cjs).not.toMatch(/require\("[^"]*\.js"\)/);
    // No code from strings in what is shipped (the scanner of test/no-eval.test.ts).
    expect(scanFiles(filesBelow(join(installed, 'dist'), /\.(c?js|d\.c?ts)$/), installed)).toEqual({});
  });

  it('passes publint (strict)', async () => {
    expect(await run(process.execPath, [bin('publint', 'src', 'cli.js'), 'run', tarball, '--strict'], work)).toContain('All good!');
  });

  it('passes @arethetypeswrong/cli', async () => {
    const attw = JSON.parse(await run(process.execPath, [bin('@arethetypeswrong', 'cli', 'dist', 'index.js'), tarball, '--format', 'json'], work)) as {
      analysis: { problems: unknown[]; entrypoints: Record<string, unknown> };
    };
    expect(Object.keys(attw.analysis.entrypoints)).toContain('.');
    expect(attw.analysis.problems).toEqual([]);
  });

  it('imports and trains as ESM and as CommonJS', async () => {
    for (const file of ['checks.cjs', 'smoke.mjs', 'smoke.cjs']) copyFileSync(join(root, 'test/smoke', file), join(consumer, file));
    const installed = join(consumer, 'node_modules', 'deltaprop', 'dist');
    expect((await run(process.execPath, ['smoke.mjs'], consumer)).trim()).toBe(`smoke (ESM): ok, ${pathToFileURL(join(installed, 'index.js')).href}`);
    expect((await run(process.execPath, ['smoke.cjs'], consumer)).trim()).toBe(`smoke (CJS): ok, ${join(installed, 'index.cjs')}`);
  });

  it('gives the recorded fixed-seed weights through both entry points', async () => {
    const require = createRequire(join(consumer, 'index.js'));
    const fromCjs = require('deltaprop') as unknown;
    const fromEsm: unknown = await import(pathToFileURL(join(consumer, 'node_modules', 'deltaprop', 'dist', 'index.js')).href);
    expect(runDeterminismScenario(fromEsm).hash).toBe(DETERMINISM_HASH);
    expect(runDeterminismScenario(fromCjs).hash).toBe(DETERMINISM_HASH);
  });

  it('type-checks (strict, moduleResolution nodenext and bundler) and trains from TypeScript', async () => {
    const dir = consumer;
    for (const file of ['consumer.mts', 'consumer.cts']) copyFileSync(join(root, 'test/smoke', file), join(dir, file));
    // Neither @types/node nor the DOM library: the only globals the consumers use.
    writeFileSync(
      join(dir, 'globals.d.ts'),
      'declare const console: { log(...values: unknown[]): void };\n' +
        'declare const require: { resolve(id: string): string };\n' +
        'interface ImportMeta { resolve(specifier: string): string }\n',
    );
    // skipLibCheck off checks the shipped declarations; TypeScript's own lib files are skipped.
    const compilerOptions = { strict: true, skipLibCheck: false, skipDefaultLibCheck: true, types: [], lib: ['ES2022'], target: 'ES2022' };
    const configs = {
      nodenext: { compilerOptions: { ...compilerOptions, module: 'nodenext', moduleResolution: 'nodenext', outDir: 'out-nodenext' }, files: ['consumer.mts', 'consumer.cts', 'globals.d.ts'] },
      bundler: { compilerOptions: { ...compilerOptions, module: 'esnext', moduleResolution: 'bundler', outDir: 'out-bundler' }, files: ['consumer.mts', 'globals.d.ts'] },
    };
    await Promise.all(
      Object.entries(configs).map(([name, config]) => {
        writeFileSync(join(dir, `tsconfig.${name}.json`), JSON.stringify(config, null, 2));
        return run(process.execPath, [TSC, '-p', `tsconfig.${name}.json`], dir);
      }),
    );
    const installed = join(dir, 'node_modules', 'deltaprop', 'dist');
    const esm = `consumer (TypeScript, ESM): ok, ${pathToFileURL(join(installed, 'index.js')).href}`;
    expect((await run(process.execPath, ['out-nodenext/consumer.mjs'], dir)).trim()).toBe(esm);
    expect((await run(process.execPath, ['out-nodenext/consumer.cjs'], dir)).trim()).toBe(`consumer (TypeScript, CJS): ok, ${join(installed, 'index.cjs')}`);
    expect((await run(process.execPath, ['out-bundler/consumer.mjs'], dir)).trim()).toBe(esm);

  });

  it(`bundles \`import { oneHot } from 'deltaprop'\` with esbuild in at most ${ONE_HOT_BUDGET_BYTES} bytes (minified)`, async () => {
    const bundle = async (contents: string): Promise<string> => {
      const result = await build({
        stdin: { contents, resolveDir: consumer, sourcefile: 'entry.js' },
        bundle: true,
        minify: true,
        format: 'esm',
        platform: 'browser',
        write: false,
        logLevel: 'silent',
      });
      return result.outputFiles[0]!.text;
    };
    const oneHotOnly = await bundle("import { oneHot } from 'deltaprop';\nconsole.log(oneHot([1, 0], 2).toArray());\n");
    const everything = await bundle("import * as deltaprop from 'deltaprop';\nconsole.log(deltaprop);\n");
    const gzip = (s: string): number => gzipSync(s).length;
    console.log(
      `bundle: oneHot alone ${oneHotOnly.length} bytes minified (${gzip(oneHotOnly)} gzipped), ` +
        `the whole library ${everything.length} (${gzip(everything)} gzipped); budget ${ONE_HOT_BUDGET_BYTES}`,
    );
    expect(oneHotOnly.length).toBeLessThanOrEqual(ONE_HOT_BUDGET_BYTES);
    // What a Network needs is left out: the format tag, the kernels, the activations.
    expect(everything).toContain('deltaprop-network');
    for (const marker of ['deltaprop-network', 'softmax', 'leakyRelu']) expect(oneHotOnly).not.toContain(marker);
    // And the bundle still runs oneHot.
    writeFileSync(join(consumer, 'one-hot-bundle.mjs'), oneHotOnly);
    expect((await run(process.execPath, ['one-hot-bundle.mjs'], consumer)).trim()).toBe('[ [ 0, 1 ], [ 1, 0 ] ]');
  });
});
