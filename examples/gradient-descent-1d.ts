/**
 * The course's first slide: to find a minimum of f: ℝ → ℝ, repeat
 *
 *     x_{n+1} = x_n − α · f'(x_n)        (α > 0 is a hyperparameter: the step size)
 *
 * Here f(x) = (x − 2)² + 1, whose minimum is f(2) = 1, and f'(x) = 2(x − 2). For this f one step
 * multiplies the distance to the minimum by (1 − 2α):
 *
 *     x_{n+1} − 2 = x_n − 2 − 2α(x_n − 2) = (1 − 2α)(x_n − 2)
 *
 * so the iteration converges when |1 − 2α| < 1, i.e. 0 < α < 1: slowly for a tiny α, in one step
 * for α = 0.5, oscillating around 2 for 0.5 < α < 1, and it diverges for α > 1.
 * No network here: the same rule, applied to every weight at once, is what training does.
 *
 *     npx tsx examples/gradient-descent-1d.ts [--quick]
 */
import { printResult } from './progress.js';

const f = (x: number): number => (x - 2) ** 2 + 1;
const df = (x: number): number => 2 * (x - 2); // f'(x)
const minimum = 2;

const x0 = -3;
const steps = 50; // instant either way: --quick changes nothing here
const alphas = [0.01, 0.1, 0.5, 0.9, 1.1];

console.log(`f(x) = (x − 2)² + 1, minimum at x = ${minimum}; start x₀ = ${x0}; ${steps} steps of x ← x − α·f'(x)\n`);

const shown = [0, 1, 2, 3, 5, 10, steps];
console.log(`${'α'.padStart(5)}  ${shown.map((n) => `x_${n}`.padStart(11)).join('')}   verdict`);

const runs: Array<{ alpha: number; x: number; distance: number; f: number; verdict: string }> = [];
for (const alpha of alphas) {
  let x = x0;
  const path = [x];
  for (let n = 1; n <= steps; n++) {
    x = x - alpha * df(x);
    path.push(x);
  }
  const distance = Math.abs(x - minimum);
  const start = Math.abs(x0 - minimum);
  const oscillates = (path[1]! - minimum) * (path[2]! - minimum) < 0; // jumps across the minimum
  const verdict =
    distance < 1e-3 * start ? (oscillates ? 'converged, oscillating' : 'converged')
    : distance < start ? 'converging slowly'
    : 'diverged';
  const cells = shown.map((n) => {
    const v = path[n]!;
    return (Math.abs(v) < 1e4 ? v.toFixed(4) : v.toExponential(2)).padStart(11);
  });
  console.log(`${alpha.toString().padStart(5)}  ${cells.join('')}   ${verdict}`);
  runs.push({ alpha, x, distance, f: f(x), verdict });
}

console.log(`
Each step multiplies the distance to the minimum by |1 − 2α|:
${alphas.map((a) => `  α = ${a}: |1 − 2α| = ${Math.abs(1 - 2 * a).toFixed(2)}`).join('\n')}
Too small an α wastes steps, too large an α overshoots and diverges: choosing α is the first
of the hyperparameters the course lists (see hyperparameters.ts).`);

printResult({ x0, minimum, steps, runs });
