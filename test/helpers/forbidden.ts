/**
 * The scanner of test/no-eval.test.ts, shared with test/package.test.ts (which runs it over the
 * installed package): code from strings that a strict Content-Security-Policy (no 'unsafe-eval')
 * forbids. Comments are scanned too: a false alarm costs a rewording, a miss costs users.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const FORBIDDEN: ReadonlyArray<readonly [string, RegExp]> = [
  ['eval(', /(?<![\w$])eval\s*\(/],
  ['new Function', /\bnew\s+Function\b/],
  ['Function(', /(?<![\w$.])(?<!new\s+)Function\s*\(/],
  ['setTimeout/setInterval with a string', /\bset(?:Timeout|Interval)\s*\(\s*['"`]/],
  ['.constructor(', /\.constructor\s*\(/],
];

/** Every forbidden construct in `text`, as "name at line N: the line". */
export function findForbidden(text: string): string[] {
  const hits: string[] = [];
  text.split('\n').forEach((line, i) => {
    for (const [name, pattern] of FORBIDDEN) if (pattern.test(line)) hits.push(`${name} at line ${i + 1}: ${line.trim().slice(0, 120)}`);
  });
  return hits;
}

/** Every file below `dir` whose name matches `ext`, as absolute paths, sorted. */
export function filesBelow(dir: string, ext: RegExp): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesBelow(path, ext));
    else if (ext.test(name)) out.push(path);
  }
  return out.sort();
}

/** The forbidden constructs of each file that has any, keyed by its path relative to `base`. */
export function scanFiles(paths: readonly string[], base: string): Record<string, string[]> {
  const found: Record<string, string[]> = {};
  for (const path of paths) {
    const hits = findForbidden(readFileSync(path, 'utf8'));
    if (hits.length > 0) found[relative(base, path)] = hits;
  }
  return found;
}
