/**
 * The kernels in a real browser (Debian's Chromium, playwright-core): a page built from
 * test/helpers/kernel-scenario.ts runs every kernel on a fixed seed and reports a hash of the bits.
 *
 * 1. A plain page: 'auto' picks wasm, and the wasm and js backends give the hash Node gives.
 * 2. A page whose Content-Security-Policy lacks 'wasm-unsafe-eval': 'auto' falls back to js, the
 *    hash is the same, setBackend('wasm') says why it cannot, and the console stays silent.
 * Both pages also train the fixed-seed scenario of test/helpers/determinism.mjs with the library
 * (on 'auto') and report its weights hash.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { build } from 'tsup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DETERMINISM_HASH } from './helpers/determinism.mjs';
import { kernelScenario } from './helpers/kernel-scenario.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

const MAIN = `import * as s from './kernel-scenario.js';
import * as deltaprop from './deltaprop.js';
import { runDeterminismScenario } from './determinism.mjs';
const result = { auto: s.getBackend() };
try {
  const t = runDeterminismScenario(deltaprop);
  result.training = { backend: deltaprop.getBackend(), hash: t.hash, moved: t.moved };
} catch (e) {
  result.training = String(e && e.message);
}
try {
  result.wasm = s.kernelScenario('wasm');
} catch (e) {
  result.wasm = String(e && e.message);
}
result.js = s.kernelScenario('js');
result.autoRun = s.kernelScenario();
try {
  s.setBackend('wasm');
  result.setWasm = 'ok';
} catch (e) {
  result.setWasm = String(e && e.message);
}
document.body.dataset.result = JSON.stringify(result);
`;
const PAGE = '<!doctype html><meta charset="utf-8"><title>kernels</title><body><script type="module" src="main.js"></script></body>';

interface PageResult {
  auto: string;
  wasm: { backend: string; hash: string; fallbacks: number } | string;
  js: { backend: string; hash: string };
  autoRun: { backend: string; hash: string };
  setWasm: string;
  training: { backend: string; hash: string; moved: boolean } | string;
}

let dir: string;
let server: Server;
let origin: string;
let context: BrowserContext;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'deltaprop-browser-wasm-'));
  await build({
    config: false, entry: { 'kernel-scenario': 'test/helpers/kernel-scenario.ts', deltaprop: 'src/index.ts' }, outDir: dir,
    format: ['esm'], platform: 'browser', target: 'es2022', dts: false, silent: true,
  });
  writeFileSync(join(dir, 'main.js'), MAIN);
  server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const csp = path === '/csp.html';
    if (path === '/plain.html' || csp) {
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        // script-src 'self' without 'wasm-unsafe-eval': compiling WebAssembly is refused
        ...(csp ? { 'content-security-policy': "default-src 'self'; script-src 'self'" } : {}),
      });
      res.end(PAGE);
    } else if (/^\/[\w-]+\.js$/.test(path) && existsSync(join(dir, path.slice(1)))) {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
      res.end(readFileSync(join(dir, path.slice(1))));
    } else if (path === '/determinism.mjs') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
      res.end(readFileSync('test/helpers/determinism.mjs'));
    } else if (path === '/favicon.ico') {
      res.writeHead(204);
      res.end();
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  origin = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  context = await chromium.launchPersistentContext(join(dir, 'profile'), { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}, 60_000);

afterAll(async () => {
  await context?.close();
  await new Promise((resolve) => server?.close(resolve));
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

async function run(page: string): Promise<{ result: PageResult; messages: string[] }> {
  const tab = await context.newPage();
  const messages: string[] = [];
  tab.on('console', (m) => messages.push(`${m.type()}: ${m.text()}`));
  tab.on('pageerror', (e) => messages.push(`page error: ${e.message}`));
  await tab.goto(`${origin}/${page}`);
  await tab.waitForSelector('body[data-result]', { state: 'attached', timeout: 30_000 });
  const result = JSON.parse((await tab.getAttribute('body', 'data-result'))!) as PageResult;
  await tab.close();
  return { result, messages };
}

describe('kernels in Chromium', () => {
  const node = kernelScenario('wasm');

  it('a plain page uses wasm and gets the bits Node gets, on both backends', async () => {
    expect(kernelScenario('js').hash).toBe(node.hash);
    const { result, messages } = await run('plain.html');
    expect(result.auto).toBe('wasm');
    expect(result.wasm).toEqual({ backend: 'wasm', fallbacks: 0, hash: node.hash });
    expect(result.js).toEqual({ backend: 'js', fallbacks: 0, hash: node.hash });
    expect(result.autoRun.backend).toBe('wasm');
    expect(result.setWasm).toBe('ok');
    expect(result.training).toEqual({ backend: 'wasm', hash: DETERMINISM_HASH, moved: true });
    expect(messages).toEqual([]); // (a missing resource shows here as "error: Failed to load resource…")
  }, 60_000);

  it("a page whose CSP lacks 'wasm-unsafe-eval' falls back to js silently, with the same bits", async () => {
    const { result, messages } = await run('csp.html');
    expect(result.auto).toBe('js');
    expect(result.autoRun).toEqual({ backend: 'js', fallbacks: 0, hash: node.hash });
    expect(result.js.hash).toBe(node.hash);
    expect(result.wasm).toMatch(/createArena: the 'wasm' backend is not available: WebAssembly cannot compile here/);
    expect(result.setWasm).toMatch(/setBackend: the 'wasm' backend is not available/);
    // It trains, on the JavaScript kernels (nothing moved), to the recorded hash.
    expect(result.training).toEqual({ backend: 'js', hash: DETERMINISM_HASH, moved: false });
    expect(messages).toEqual([]);
  }, 60_000);
});
