/**
 * Small synthetic data sets for the examples, all drawn from deltaprop's seeded Random so that
 * every run sees the same points.
 */
import { Matrix, oneHot, Random } from '../src/index.js';

/** A standard normal draw (Box–Muller) from a seeded generator. */
export function gaussian(random: Random): number {
  const u = 1 - random.next(); // in (0, 1], so log(u) is finite
  const v = random.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export interface SpiralsOptions {
  /** Number of interleaved arms, one class each. @default 3 */
  readonly classes?: number;
  /** Points per arm. @default 100 */
  readonly perClass?: number;
  /** Turns each arm makes around the centre. @default 1 */
  readonly turns?: number;
  /** Standard deviation of the angular noise, in radians. @default 0.2 */
  readonly noise?: number;
  readonly seed: number;
}

/**
 * Interleaved spirals in the square [−1, 1]²: arm c starts at the centre and winds outwards,
 * rotated by c · 2π / classes from the others. Returns the points, one-hot targets and labels.
 */
export function spirals(options: SpiralsOptions): { x: Matrix; y: Matrix; labels: Uint8Array } {
  const { classes = 3, perClass = 100, turns = 1, noise = 0.2, seed } = options;
  const random = new Random(seed);
  const n = classes * perClass;
  const x = new Matrix(n, 2);
  const labels = new Uint8Array(n);
  for (let c = 0; c < classes; c++) {
    for (let i = 0; i < perClass; i++) {
      const t = random.next(); // position along the arm: 0 at the centre, 1 at the tip
      const angle = (2 * Math.PI * c) / classes + 2 * Math.PI * turns * t + noise * gaussian(random);
      const r = 0.05 + 0.95 * t;
      const row = c * perClass + i;
      x.data[2 * row] = r * Math.cos(angle);
      x.data[2 * row + 1] = r * Math.sin(angle);
      labels[row] = c;
    }
  }
  return { x, y: oneHot(labels, classes), labels };
}
