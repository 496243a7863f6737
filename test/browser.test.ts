/**
 * The playground in a real browser: Debian's Chromium driven by playwright-core, the page served by
 * scripts/playground.mjs with a bundle freshly built from src/ by tsup (into a temporary folder, so
 * the test never reads a stale or half-written dist/).
 *
 * 1. Spirals, Train: the page must report a training accuracy ≥ 0.9, and the longest gap between
 *    consecutive requestAnimationFrame timestamps while training must stay ≤ 200 ms (the page trains
 *    in slices between frames). A screenshot goes to test-results/playground.png.
 * 2. The fixed-seed scenario of test/helpers/determinism.mjs run in the page must give the same
 *    weights hash as the same scenario run here in Node (with src/ and with the same bundle).
 *
 * Chromium missing is a failure, not a skip: .ci/run installs it.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { build } from 'tsup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Playground, repoRoot, startPlayground } from '../scripts/playground.mjs';
import * as deltaprop from '../src/index.js';
import * as helper from './helpers/determinism.mjs';

const CHROMIUM = '/usr/bin/chromium';
/** Flags from TOOLCHAIN.md: without them Chromium keeps trying to reach the (closed) network. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const TARGET_ACCURACY = 0.9;
const MAX_FRAME_GAP_MS = 200;
const SCREENSHOT = join(repoRoot, 'test-results', 'playground.png');

interface TrainingReport {
  accuracy: number;
  epoch: number;
  maxFrameGap: number;
  maxSliceTime: number;
  frames: number;
}

let tempDir: string;
let distDir: string;
let playground: Playground | undefined;
let context: BrowserContext | undefined;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM}: the browser test needs it. Install it with ` +
        '"apt-get update && apt-get install -y chromium" (as root; .ci/run does this when it is missing).',
    );
  }
  tempDir = mkdtempSync(join(tmpdir(), 'deltaprop-browser-'));
  distDir = join(tempDir, 'dist');
  // The ESM bundle as `npm run build` makes it (same tsup.config.ts), without the type declarations.
  await build({ outDir: distDir, format: ['esm'], dts: false, silent: true });
  playground = await startPlayground({ distDir });
  context = await chromium.launchPersistentContext(join(tempDir, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  page = context.pages()[0] ?? (await context.newPage());
  await page.setViewportSize({ width: 1280, height: 820 });
  page.on('pageerror', (error) => pageErrors.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(`console error: ${message.text()}`);
  });
}, 60_000);

afterAll(async () => {
  await context?.close();
  await playground?.close();
  if (tempDir !== undefined) rmSync(tempDir, { recursive: true, force: true });
});

describe('browser playground (Chromium)', () => {
  it(`trains spirals to accuracy ≥ ${TARGET_ACCURACY} without blocking the page for more than ${MAX_FRAME_GAP_MS} ms`, async () => {
    await page.goto(playground!.pageUrl);
    await page.waitForSelector('body[data-state="ready"]', { timeout: 15_000 });
    await page.selectOption('#dataset', 'spirals');
    await page.waitForSelector('body[data-state="ready"]');
    await page.click('#train');
    await page.waitForSelector('body[data-state="training"]');

    const reached = await page.waitForFunction(
      (target) => {
        const value = Number(document.getElementById('accuracy')!.dataset['value']);
        return value >= target ? value : false;
      },
      TARGET_ACCURACY,
      { timeout: 60_000, polling: 100 },
    );
    const accuracyReached = (await reached.jsonValue()) as number;
    await page.click('#stop');
    await page.waitForSelector('body[data-state="stopped"]');
    const report = await page.evaluate((): TrainingReport => {
      const w = window as unknown as Record<string, number>;
      return {
        accuracy: Number(document.getElementById('accuracy')!.dataset['value']),
        epoch: Number(document.getElementById('epoch')!.dataset['value']),
        maxFrameGap: w['__maxFrameGap']!,
        maxSliceTime: w['__maxSliceTime']!,
        frames: w['__frames']!,
      };
    });
    mkdirSync(join(repoRoot, 'test-results'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    console.log(
      `browser: accuracy ${accuracyReached} reached (${report.accuracy} at stop, epoch ${report.epoch}); ` +
        `${report.frames} frame gaps, longest ${report.maxFrameGap.toFixed(1)} ms, ` +
        `longest frame callback ${report.maxSliceTime.toFixed(1)} ms; screenshot ${SCREENSHOT}`,
    );

    expect(pageErrors).toEqual([]);
    expect(accuracyReached).toBeGreaterThanOrEqual(TARGET_ACCURACY);
    expect(report.epoch).toBeGreaterThan(0);
    // At least one gap between two training frames was measured, so the bound below means something.
    expect(report.frames).toBeGreaterThan(0);
    expect(
      report.maxFrameGap,
      `longest rAF gap while training (the longest frame callback took ${report.maxSliceTime.toFixed(1)} ms)`,
    ).toBeLessThanOrEqual(MAX_FRAME_GAP_MS);
    expect(existsSync(SCREENSHOT)).toBe(true);
  }, 120_000);

  it('gives the same fixed-seed weights hash in Chromium as in Node', async () => {
    await page.goto(`${playground!.url}/examples/browser/determinism.html`);
    await page.waitForSelector('body[data-state="done"], body[data-state="error"]', { timeout: 30_000 });
    const state = await page.getAttribute('body', 'data-state');
    const message = await page.textContent('#message');
    expect(state, `determinism page failed: ${message}`).toBe('done');
    const browserHash = (await page.textContent('#hash'))!.trim();
    const browserAsyncHash = (await page.textContent('#async-hash'))!.trim();
    const browserJs = (await page.textContent('#hash-js'))!.trim();
    const browserWasm = (await page.textContent('#hash-wasm'))!.trim();
    expect(await page.textContent('#backend')).toBe('wasm');
    expect(browserJs, 'Chromium, js backend').toBe(helper.DETERMINISM_HASH);
    expect(browserWasm, 'Chromium, wasm backend').toBe(helper.DETERMINISM_HASH);

    const nodeHash = helper.runDeterminismScenario(deltaprop).hash;
    const bundle: unknown = await import(pathToFileURL(join(distDir, 'index.js')).href);
    const nodeBundleHash = helper.runDeterminismScenario(bundle).hash;
    console.log(`determinism: Chromium ${browserHash} (js ${browserJs}, wasm ${browserWasm}), Node (src) ${nodeHash}, Node (bundle) ${nodeBundleHash}`);

    expect(browserHash).toMatch(/^[0-9a-f]{16}$/);
    expect(nodeBundleHash).toBe(nodeHash);
    expect(browserHash).toBe(nodeHash);
    expect(browserHash).toBe(helper.DETERMINISM_HASH);
    // fitAsync in the page (setTimeout between slices) gives fit's bits.
    expect(browserAsyncHash).toBe(helper.DETERMINISM_HASH);
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
