/**
 * The layers of src/: no import circle anywhere (type-only imports included), and the seed's two
 * passes live in one file that nothing but the model layer and its users reach.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Each file's relative imports, as paths relative to src/. */
function graph(): Map<string, string[]> {
  const g = new Map<string, string[]>();
  for (const f of sources(src)) {
    const text = readFileSync(f, 'utf8');
    const deps = [...text.matchAll(/from '(\.[^']+)\.js'/g)].map((m) => relative(src, normalize(join(dirname(f), `${m[1]!}.ts`))));
    g.set(relative(src, f), deps);
  }
  return g;
}

function cycles(g: Map<string, string[]>): string[] {
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const found: string[] = [];
  const visit = (n: string): void => {
    state.set(n, 1);
    stack.push(n);
    for (const d of g.get(n) ?? []) {
      if (state.get(d) === 1) found.push([...stack.slice(stack.indexOf(d)), d].join(' → '));
      else if (state.get(d) === undefined) visit(d);
    }
    stack.pop();
    state.set(n, 2);
  };
  for (const n of g.keys()) if (state.get(n) === undefined) visit(n);
  return found;
}

/** The layers, lowest first: a file may import only from its own layer or lower ones. */
const LAYERS = ['core', 'kernels', 'model', 'data', 'optim', 'train', 'io', 'network.ts', 'interop', 'index.ts'];
const layerOf = (file: string): number => LAYERS.indexOf(file.split('/')[0]!);

describe('architecture of src/', () => {
  const g = graph();

  it('has no import circle', () => {
    expect(g.size).toBeGreaterThan(20);
    expect(cycles(g)).toEqual([]);
    // The checker itself finds a planted circle.
    expect(cycles(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']]]))).toEqual(['a → b → c → a']);
  });

  it('imports only downwards: core ← kernels ← model ← data ← optim ← train ← io ← network ← interop ← index', () => {
    const upward: string[] = [];
    for (const [file, deps] of g) {
      for (const d of deps) {
        // io/json.ts is read by the Trainer for the types of checkpoints only (type imports).
        if (layerOf(d) > layerOf(file) && !(file.startsWith('train/') && d === 'io/json.ts')) upward.push(`${file} → ${d}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('keeps the seed’s feed-forward and backward passes in model/backprop.ts', () => {
    const text = readFileSync(join(src, 'model', 'backprop.ts'), 'utf8');
    expect(text).toMatch(/δ_n {5}= δ_{n\+1} · W_{n\+1} · J\(f_n\)\(A_n\)/);
    expect(text).toMatch(/export function forward\(/);
    expect(text).toMatch(/export function backward\(/);
  });
});
