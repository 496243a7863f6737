/**
 * A synthetic regression table in real-world units, for the output-scaling example: the price of a
 * flat (in thousands) from its floor area (m²), rooms, age (years) and distance to the centre (km).
 * The features span very different ranges (1 … 250) and the target is in the hundreds, so an
 * unscaled network trains badly and a scaled one well. Drawn from deltaprop's seeded Random.
 *
 *     price = 1.5 · sqrt(area) · (25 + 3 · rooms) · (1 − age / 250) · 8 / (1 + distance / 10) + noise
 */
import { Random } from '../src/index.js';
import { gaussian } from './data.js';

/** The feature names, in column order. */
export const FLAT_FEATURES: readonly string[] = ['area (m²)', 'rooms', 'age (years)', 'distance (km)'];

/** The noiseless price of one flat, in thousands. */
export function flatPrice(area: number, rooms: number, age: number, distance: number): number {
  return (1.5 * Math.sqrt(area) * (25 + 3 * rooms) * (1 - age / 250) * 8) / (1 + distance / 10) / 10;
}

/** `n` flats: `x` rows of [area, rooms, age, distance], `y` rows of [price], with noise of standard deviation `noise`. */
export function flats(n: number, seed: number, noise = 10): { x: number[][]; y: number[][] } {
  const random = new Random(seed);
  const x: number[][] = [];
  const y: number[][] = [];
  for (let i = 0; i < n; i++) {
    const rooms = 1 + random.int(6);
    const area = Math.round(18 * rooms + random.uniform(5, 40));
    const age = random.int(101);
    const distance = Math.round(random.uniform(0.2, 30) * 10) / 10;
    x.push([area, rooms, age, distance]);
    y.push([flatPrice(area, rooms, age, distance) + noise * gaussian(random)]);
  }
  return { x, y };
}
