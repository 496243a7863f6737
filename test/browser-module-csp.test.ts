/**
 * The module toModule writes, in Chromium, on a page served with a strict Content-Security-Policy
 * (`default-src 'self'; script-src 'self'`: no 'unsafe-eval', no inline script): it loads, and its
 * predictions are bit-identical to net.predict in Node. The page first shows that the policy is
 * enforced (new Function throws), so a pass means the module needs no code from strings.
 *
 * Debian's Chromium driven by playwright-core, as in test/browser.test.ts; Chromium missing is a failure.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leakyRelu, Network, toModule } from '../src/index.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const CSP = "default-src 'self'; script-src 'self'";

const net = Network.create({
  input: 5,
  layers: [
    { units: 9, activation: 'tanh' }, { units: 8, activation: 'sigmoid' }, { units: 8, activation: leakyRelu(0.2) },
    { units: 7, activation: 'softplus' }, { units: 7, activation: 'relu' }, { units: 6, activation: 'identity' }, { units: 4, activation: 'softmax' },
  ],
  seed: 11,
});

/** Samples reaching the branches of the portable functions (tiny, moderate, large). */
const x: number[][] = [];
for (let i = 0; i < 80; i++) x.push(Array.from({ length: 5 }, (_, j) => [1e-9, 0.05, 0.7, 2, 9, 40][i % 6]! * Math.sin(7.1 * i + 1.3 * j + 0.2)));

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>toModule under CSP</title></head>
<body data-state="loading"><pre id="out"></pre><script type="module" src="./main.mjs"></script></body></html>`;

// Runs in the page: checks the policy, predicts, writes every float64 as the hex of its bits.
const MAIN = `import { predict } from './model.mjs';
let csp = 'not enforced';
try { new Function('return 1'); } catch (e) { csp = 'enforced: ' + e.name; }
const x = await (await fetch('./x.json')).json();
const bytes = new DataView(new ArrayBuffer(8));
const hex = (v) => { bytes.setFloat64(0, v); return bytes.getBigUint64(0).toString(16).padStart(16, '0'); };
const out = predict(x).map((row) => Array.from(row, hex));
document.getElementById('out').textContent = JSON.stringify({ csp, out });
document.body.dataset.state = 'done';
`;

let server: Server;
let url: string;
let context: BrowserContext | undefined;
let tempDir: string;
const errors: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is missing at ${CHROMIUM}: install it with "apt-get install -y chromium" (as root)`);
  const files: Record<string, [string, string]> = {
    '/': ['text/html', PAGE],
    '/main.mjs': ['text/javascript', MAIN],
    '/model.mjs': ['text/javascript', toModule(net)],
    '/x.json': ['application/json', JSON.stringify(x)],
  };
  server = createServer((req, res) => {
    const file = files[req.url ?? ''];
    if (req.url === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    if (file === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': file[0], 'Content-Security-Policy': CSP, 'Cache-Control': 'no-store' }).end(file[1]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  tempDir = mkdtempSync(join(tmpdir(), 'deltaprop-csp-'));
  context = await chromium.launchPersistentContext(join(tempDir, 'profile'), { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}, 60_000);

afterAll(async () => {
  await context?.close();
  await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
  if (tempDir !== undefined) rmSync(tempDir, { recursive: true, force: true });
});

function hexOf(v: number): string {
  const b = Buffer.alloc(8);
  b.writeDoubleBE(v);
  return b.toString('hex');
}

describe('toModule in Chromium under a strict CSP', () => {
  it('loads with script-src \'self\' only and predicts exactly the bits of net.predict in Node', async () => {
    const page = context!.pages()[0] ?? (await context!.newPage());
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      // The page's own probe of the policy is expected to log a CSP violation; nothing else may.
      if (m.type() === 'error' && !/Content Security Policy/.test(m.text())) errors.push(`console error: ${m.text()}`);
    });
    await page.goto(url);
    await page.waitForSelector('body[data-state="done"]', { timeout: 20_000 });
    const result = JSON.parse((await page.textContent('#out'))!) as { csp: string; out: string[][] };
    expect(errors).toEqual([]);
    expect(result.csp).toBe('enforced: EvalError');
    const want = net.predict(x);
    const expected = x.map((_, i) => Array.from(want.data.subarray(i * want.cols, (i + 1) * want.cols), hexOf));
    expect(result.out).toEqual(expected);
  }, 60_000);
});
