// Runs the standard workload with every library, one after another, each in its own Node
// process, and prints one table. Usage (from bench/compare, after `npm run build` at the root):
//
//   npm run compare                      one round of every library
//   npm run compare -- --runs 3          three rounds; the table gives per-library medians
//   npm run compare -- --only deltaprop,tfjs-wasm
//   npm run compare -- --workload wide   784-512-512-10, batch 128, 4 epochs (deltaprop on both
//                                       backends, tfjs and numpy only)
//   npm run compare -- --commit HEAD    measure a build of that commit (made in a temporary
//                                       directory) instead of ../../dist
//
// Each worker times its own epochs with performance.now() (see harness.mjs) and prints one
// RESULT line of JSON; this script only collects them. Rounds after the first rotate the order
// of the libraries so that a burst of load from elsewhere on the machine does not always fall
// on the same one.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from '../mnist.mjs';



const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');

// `wide`: the worker can run the wide workload. numpy is a reference (python3, one thread), run
// only when python3 with numpy is present (its worker reports a failure otherwise).
const LIBRARIES = [
  { name: 'deltaprop', args: ['workers/deltaprop.mjs', 'wasm'], wide: true },
  { name: 'deltaprop-js', args: ['workers/deltaprop.mjs', 'js'], wide: true },
  { name: 'tfjs-wasm', args: ['workers/tfjs.mjs', 'wasm'], wide: true },
  { name: 'tfjs-cpu', args: ['workers/tfjs.mjs', 'cpu'], wide: true },
  { name: 'convnetjs', args: ['workers/convnetjs.mjs'] },
  { name: 'brain.js', args: ['workers/brainjs.mjs'] },
  { name: 'numpy', args: ['workers/numpy.mjs'], wide: true },
];

function parseArgs(argv) {
  const options = { runs: 1, only: undefined, commit: undefined, workload: 'standard' };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--runs') options.runs = Number(argv[++i]);
    else if (argv[i] === '--only') options.only = argv[++i].split(',');
    else if (argv[i] === '--commit') options.commit = argv[++i];
    else if (argv[i] === '--workload') options.workload = argv[++i];
    else throw new Error(`unknown argument ${argv[i]} (use --runs N, --only a,b, --commit REV, --workload standard|wide)`);
  }
  if (!Number.isInteger(options.runs) || options.runs < 1) throw new Error('--runs must be a positive integer');
  if (options.workload !== 'standard' && options.workload !== 'wide') throw new Error('--workload must be standard or wide');
  return options;
}

function runWorker(lib) {
  const started = Date.now();
  const child = spawnSync(process.execPath, lib.args, { cwd: here, encoding: 'utf8', maxBuffer: 1 << 24 });
  const line = (child.stdout ?? '').split('\n').find((l) => l.startsWith('RESULT '));
  if (line === undefined) {
    const why = (child.stderr || child.stdout || `exit code ${child.status}`).trim().split('\n').slice(-3).join(' | ');
    return { library: lib.name, error: `worker failed: ${why}` };
  }
  const result = JSON.parse(line.slice('RESULT '.length));
  result.wallSeconds = (Date.now() - started) / 1000;
  return result;
}

function git(...args) {
  const r = spawnSync('git', args, { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr.trim()}`);
  return r.stdout.trim();
}

/** The repository's commit, and whether src/ differs from it (then dist/ may hold more than that commit). */
function describeWorkingTree() {
  const dirty = git('status', '--porcelain', '--', 'src') !== '';
  return `repository at ${git('log', '-1', '--format=%h %cs')}${dirty ? ', src/ has uncommitted changes' : ''}`;
}

/**
 * Builds the given commit's src/ in a temporary directory (git archive, the repository's
 * node_modules, tsup) and returns its dist/index.js: what is measured is exactly that commit,
 * whatever happens to ../../dist meanwhile.
 */
function buildCommit(rev) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'deltaprop-compare-'));
  const sha = git('rev-parse', '--short', `${rev}^{commit}`);
  const unpack = spawnSync('sh', ['-c', `git archive ${sha} | tar -x -C "${dir}"`], { cwd: root, encoding: 'utf8' });
  if (unpack.status !== 0) throw new Error(`git archive ${sha}: ${unpack.stderr}`);
  symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
  const build = spawnSync(path.join(root, 'node_modules/.bin/tsup'), [], { cwd: dir, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`tsup in ${dir}: ${build.stderr || build.stdout}`);
  return { dir, sha, dist: path.join(dir, 'dist/index.js'), what: `commit ${sha} (${git('log', '-1', '--format=%cs %s', sha)}), built in a temporary directory` };
}

const fmt = (n, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function printTable(rows) {
  const header = ['library', 'precision', 'samples/s', 'deltaprop ÷ library', 'test accuracy', 'samples/s by CPU time', 'notes'];
  const lines = [header, header.map((h) => '-'.repeat(h.length))];
  for (const r of rows) lines.push(r);
  const widths = header.map((_, c) => Math.max(...lines.map((l) => String(l[c]).length)));
  for (const l of lines) console.log(l.map((cell, c) => String(cell).padEnd(widths[c])).join('  ').trimEnd());
}

const options = parseArgs(process.argv.slice(2));
let distFile;
let measured;
let snapshot;
if (options.commit !== undefined) {
  snapshot = buildCommit(options.commit);
  distFile = snapshot.dist;
  measured = snapshot.what;
  process.env.DELTAPROP_DIST = distFile; // inherited by every worker
} else if (process.env.DELTAPROP_DIST !== undefined && process.env.DELTAPROP_DIST !== '') {
  distFile = path.resolve(process.env.DELTAPROP_DIST);
  measured = `${distFile} (DELTAPROP_DIST)`;
} else {
  distFile = path.join(root, 'dist/index.js');
  measured = `${distFile} (${describeWorkingTree()})`;
}
if (!existsSync(distFile)) {
  console.error(`${distFile} is missing: run \`npm run build\` at the repository root first.`);
  process.exit(1);
}
process.env.COMPARE_WORKLOAD = options.workload; // inherited by every worker
const wide = options.workload === 'wide';
const libs = (options.only === undefined ? LIBRARIES : LIBRARIES.filter((l) => options.only.includes(l.name))).filter((l) => !wide || l.wide);

console.log(`date        ${new Date().toISOString()}`);
console.log(`node        ${process.version}`);
console.log(`cpu         ${os.cpus()[0]?.model ?? 'unknown'} × ${os.cpus().length} (load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')})`);
console.log(`deltaprop   ${measured}`);
console.log(wide
  ? `workload    wide: MNIST 784-512-512-10 relu/softmax, SGD lr 0.1, batch 128, 4 epochs; 8,000 train / 2,000 test (split seed 1);`
  : `workload    MNIST 784-128-10 relu/softmax, SGD lr 0.1, batch 32; 8,000 train / 2,000 test (split seed 1);`);
console.log(`            samples/s = 8,000 / median time of epochs 2-4 (epoch 1 = warm-up); accuracy after the last epoch`);
console.log('');

const results = new Map(libs.map((l) => [l.name, []]));
for (let run = 0; run < options.runs; run++) {
  const order = libs.map((_, i) => libs[(i + run) % libs.length]);
  for (const lib of order) {
    const r = runWorker(lib);
    results.get(lib.name).push(r);
    const what =
      r.error !== undefined
        ? `error: ${r.error}`
        : `${fmt(r.samplesPerSecond)} samples/s (by CPU time ${fmt(r.cpuSamplesPerSecond)}), epochs ${r.epochMs.join(' ')} ms, accuracy ${(r.testAccuracy * 100).toFixed(2)}%`;
    console.log(`round ${run + 1}/${options.runs}  ${lib.name.padEnd(10)} ${what}`);
  }
}
console.log('');

const ok = (list) => list.filter((r) => r.error === undefined);
const deltaprop = ok(results.get('deltaprop') ?? []);
const ours = deltaprop.length > 0 ? median(deltaprop.map((r) => r.samplesPerSecond)) : undefined;
const rows = [];
for (const lib of libs) {
  const list = results.get(lib.name);
  const good = ok(list);
  if (good.length === 0) {
    rows.push([lib.name, list[0]?.precision ?? '?', '—', '—', '—', '—', `could not run: ${list[0]?.error}`]);
    continue;
  }
  const sps = good.map((r) => r.samplesPerSecond);
  const m = median(sps);
  const spread = good.length > 1 ? ` (${fmt(Math.min(...sps))}–${fmt(Math.max(...sps))})` : '';
  const acc = median(good.map((r) => r.testAccuracy));
  const epochs = good[0].epochs;
  const notes = [...good[0].notes];
  if (epochs !== 5) notes.push(`accuracy after ${epochs} epochs`);
  rows.push([
    lib.name,
    good[0].precision,
    `${fmt(m)}${spread}`,
    ours === undefined ? '—' : `${fmt(ours / m, 2)}×`,
    `${(acc * 100).toFixed(2)}%`,
    fmt(median(good.map((r) => r.cpuSamplesPerSecond))),
    notes.join('; '),
  ]);
}
if (options.runs > 1) console.log(`median of ${options.runs} rounds (range in parentheses); ratio = median deltaprop samples/s ÷ median library samples/s`);
printTable(rows);

// Ratios round by round (each round measures all libraries within a few minutes of each other).
if (options.runs > 1 && deltaprop.length === options.runs) {
  console.log('');
  console.log('deltaprop ÷ library, round by round:');
  for (const lib of libs) {
    if (lib.name === 'deltaprop') continue;
    const list = results.get(lib.name);
    const values = list.map((r, i) => (r.error === undefined ? deltaprop[i].samplesPerSecond / r.samplesPerSecond : NaN));
    const good = values.filter((v) => !Number.isNaN(v));
    const ratios = values.map((v) => (Number.isNaN(v) ? '—' : fmt(v, 2) + '×'));
    console.log(`  ${lib.name.padEnd(12)} ${ratios.join('  ')}${good.length > 0 ? `   median ${fmt(median(good), 2)}×` : ''}`);
  }
  // The same from CPU time: on a loaded machine the wall clock counts the time spent waiting for a core.
  console.log('the same ratios from samples/s by CPU time:');
  for (const lib of libs) {
    if (lib.name === 'deltaprop') continue;
    const values = results.get(lib.name).map((r, i) => (r.error === undefined ? deltaprop[i].cpuSamplesPerSecond / r.cpuSamplesPerSecond : NaN));
    const good = values.filter((v) => !Number.isNaN(v));
    console.log(`  ${lib.name.padEnd(12)} ${values.map((v) => (Number.isNaN(v) ? '—' : fmt(v, 2) + '×')).join('  ')}${good.length > 0 ? `   median ${fmt(median(good), 2)}×` : ''}`);
  }
}

if (snapshot !== undefined) rmSync(snapshot.dir, { recursive: true, force: true });
