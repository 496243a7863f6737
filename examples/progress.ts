/**
 * The little terminal plumbing the examples share: the `--quick` flag, a text progress bar and the
 * final `RESULT {...}` line (the example's key figures as JSON, read by test/examples.test.ts).
 * Plain `process.stdout.write`, no terminal library.
 */

/** True when the example was started with `--quick`: a reduced run for the tests. */
export const quick = process.argv.slice(2).includes('--quick');

/** Live `\r` redraws only make sense on a terminal; in a pipe only finished lines are printed. */
export const live = process.stdout.isTTY === true;

/** `[██████░░░░░░]` for a fraction in [0, 1]. */
export function bar(fraction: number, width = 24): string {
  const full = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `[${'█'.repeat(full)}${'░'.repeat(width - full)}]`;
}

/** Redraws the current line (on a terminal; elsewhere does nothing). */
export function redraw(text: string): void {
  if (live) process.stdout.write(`\r${text}\x1b[K`);
}

/** Ends the current line with its final text. */
export function finish(text: string): void {
  process.stdout.write(live ? `\r${text}\x1b[K\n` : `${text}\n`);
}

/** Seconds since `start` (a `performance.now()` reading). */
export function secondsSince(start: number): number {
  return (performance.now() - start) / 1000;
}

/** The last line of every example: its key figures, machine-readable. */
export function printResult(figures: Record<string, unknown>): void {
  console.log(`RESULT ${JSON.stringify(figures)}`);
}

/** A number rounded to `digits` decimals, for the RESULT line and tables. */
export function round(x: number, digits = 4): number {
  const p = 10 ** digits;
  return Math.round(x * p) / p;
}
