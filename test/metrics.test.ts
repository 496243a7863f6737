/**
 * Evaluation figures: every figure of a hand-made prediction set derived in the comments, then
 * scikit-learn's own figures on larger random cases (test/fixtures/metrics-sklearn.json, written by
 * scripts/fixtures/make-metrics-fixtures.py).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classificationReport, confusionMatrix, DeltapropError, fitScaling, Matrix, regressionReport, applyScaling } from '../src/index.js';
import type { ClassificationReport, RegressionReport } from '../src/index.js';
import { expectClose } from './helpers/numeric.js';

const classes = ['cat', 'dog', 'bird', 'fish'];
// sample:     0      1      2      3      4      5       6       7       8       9
const actual = ['cat', 'cat', 'cat', 'dog', 'dog', 'bird', 'bird', 'fish', 'fish', 'fish'];
const predicted = ['cat', 'cat', 'dog', 'dog', 'cat', 'bird', 'dog', 'bird', 'cat', 'dog'];

describe('classification by hand', () => {
  it('confusion matrix, indexed [true][predicted]', () => {
    expect(confusionMatrix(actual, predicted, classes)).toEqual([
      // predicted: cat dog bird fish
      [2, 1, 0, 0], // cat:  samples 0, 1 right; 2 as dog
      [1, 1, 0, 0], // dog:  3 right; 4 as cat
      [0, 1, 1, 0], // bird: 5 right; 6 as dog
      [1, 1, 1, 0], // fish: never predicted; 7 as bird, 8 as cat, 9 as dog
    ]);
  });

  it('accuracy, precision, recall, f1, support, macro and weighted f1', () => {
    const r = classificationReport(actual, predicted, classes);
    // accuracy: the diagonal 2 + 1 + 1 + 0 = 4 of 10
    expect(r.accuracy).toBe(0.4);
    // predicted counts (column sums): cat 4, dog 4, bird 2, fish 0; supports (row sums): 3, 2, 2, 3
    // cat:  tp 2, fp 2, fn 1 → precision 2/4, recall 2/3, f1 = 2·2 / (2·2 + 2 + 1) = 4/7
    // dog:  tp 1, fp 3, fn 1 → precision 1/4, recall 1/2, f1 = 2 / (2 + 3 + 1) = 1/3
    // bird: tp 1, fp 1, fn 1 → precision 1/2, recall 1/2, f1 = 2 / 4 = 1/2
    // fish: tp 0, never predicted → precision 0 (zero_division = 0), recall 0/3 = 0, f1 0
    expect(r.perClass).toEqual([
      { label: 'cat', precision: 0.5, recall: 2 / 3, f1: 4 / 7, support: 3 },
      { label: 'dog', precision: 0.25, recall: 0.5, f1: 2 / 6, support: 2 },
      { label: 'bird', precision: 0.5, recall: 0.5, f1: 0.5, support: 2 },
      { label: 'fish', precision: 0, recall: 0, f1: 0, support: 3 },
    ]);
    // f1 is the harmonic mean of precision and recall: cat 2·(1/2)(2/3) / (1/2 + 2/3) = 4/7
    expect(Math.abs(r.perClass[0]!.f1 - (2 * 0.5 * (2 / 3)) / (0.5 + 2 / 3))).toBeLessThan(1e-15);
    // macro f1 = (4/7 + 1/3 + 1/2 + 0) / 4 = 59/168; weighted = (3·4/7 + 2·1/3 + 2·1/2 + 3·0) / 10 = 71/210
    expect(Math.abs(r.macroF1 - 59 / 168)).toBeLessThan(1e-16);
    expect(Math.abs(r.weightedF1 - 71 / 210)).toBeLessThan(1e-16);
    expect(r.confusion).toEqual(confusionMatrix(actual, predicted, classes));
  });

  it('takes network outputs directly: the argmax of each row (the first on a tie)', () => {
    const outputs = Matrix.from([
      [0.7, 0.2, 0.1], // 0
      [0.1, 0.1, 0.8], // 2
      [0.4, 0.4, 0.2], // tie → 0
      [0.2, 0.5, 0.3], // 1
    ]);
    const targets = [[1, 0, 0], [0, 0, 1], [0, 1, 0], [0, 1, 0]]; // one-hot: 0, 2, 1, 1
    expect(confusionMatrix(targets, outputs)).toEqual([
      [1, 0, 0],
      [1, 1, 0],
      [0, 0, 1],
    ]);
    expect(confusionMatrix(['a', 'c', 'b', 'b'], outputs, ['a', 'b', 'c'])).toEqual(confusionMatrix(targets, outputs));
  });

  it('takes one sigmoid output: class 1 when the value is ≥ 0.5', () => {
    const outputs = [[0.2], [0.5], [0.7], [0.49999]]; // → 0, 1, 1, 0
    expect(confusionMatrix(['no', 'no', 'yes', 'yes'], outputs, ['no', 'yes'])).toEqual([
      [1, 1],
      [1, 1],
    ]);
    // y as a 0/1 column; classes default to 2 for one column
    const r = classificationReport([[0], [0], [1], [1]], outputs);
    expect(r.accuracy).toBe(0.5);
    expect(r.perClass.map((c) => c.label)).toEqual([0, 1]);
  });

  it('without classes, the labels are the sorted union of both arrays (like scikit-learn)', () => {
    const r = classificationReport(['b', 'a', 'b'], ['b', 'c', 'a']);
    expect(r.perClass.map((c) => c.label)).toEqual(['a', 'b', 'c']);
    expect(r.confusion).toEqual([
      [0, 0, 1],
      [1, 1, 0],
      [0, 0, 0],
    ]);
    expect(classificationReport([10, 2], [2, 2]).perClass.map((c) => c.label)).toEqual([2, 10]);
    // a class that never occurs: recall 0 (zero_division = 0), support 0, still counted in the macro mean
    const c = r.perClass[2]!;
    expect([c.precision, c.recall, c.f1, c.support]).toEqual([0, 0, 0, 0]);
    expect(r.macroF1).toBe((0 + 2 / 3 + 0) / 3); // b: tp 1, fp 0, fn 1 → 2/3
  });
});

describe('regression by hand', () => {
  it('mae, rmse and r2 of one output', () => {
    // errors y − z: 1, −1, 0, 2 → |e| sum 4, e² sum 6; ȳ = (1 + 2 + 3 + 6)/4 = 3, Σ(y − ȳ)² = 4 + 1 + 0 + 9 = 14
    const r = regressionReport([[1], [2], [3], [6]], [[0], [3], [3], [4]]);
    expect(r.mae).toBe(1); // 4/4
    expect(r.rmse).toBe(Math.sqrt(1.5)); // √(6/4)
    expect(r.r2).toBe(1 - 6 / 14);
  });

  it('averages each figure over the outputs (uniform average); rmse is the mean of per-output rmse', () => {
    // column 0: errors 1, −1 → mae 1, rmse 1, ȳ = 1, Σ(y − ȳ)² = 2, r2 = 1 − 2/2 = 0
    // column 1: errors 0, 4 → mae 2, rmse √8, ȳ = 2, Σ(y − ȳ)² = 8, r2 = 1 − 16/8 = −1
    const r = regressionReport([[0, 0], [2, 4]], [[-1, 0], [3, 0]]);
    expect(r.perOutput).toEqual([
      { mae: 1, rmse: 1, r2: 0 },
      { mae: 2, rmse: Math.sqrt(8), r2: -1 },
    ]);
    expect([r.mae, r.rmse, r.r2]).toEqual([1.5, (1 + Math.sqrt(8)) / 2, -0.5]);
  });

  it('a constant target column scores r2 = 1 when predicted exactly, else 0 (scikit-learn’s force_finite)', () => {
    // 0.1 three times: Σy/3 is not 0.1 in float64, yet Σ(y − ȳ)² is 0, not a rounding residue
    expect(regressionReport([[0.1], [0.1], [0.1]], [[0.1], [0.1], [0.1]]).r2).toBe(1);
    expect(regressionReport([[0.1], [0.1], [0.1]], [[0.1], [0.2], [0.1]]).r2).toBe(0);
  });

  it('r2 is NaN for one sample (undefined, as in scikit-learn)', () => {
    const r = regressionReport([[1, 2]], [[1, 3]]);
    expect(r.r2).toBeNaN();
    expect(r.mae).toBe(0.5);
  });
});

// ---------------------------------------------------------------------------------------------
// scikit-learn
// ---------------------------------------------------------------------------------------------

interface Fixture {
  classification: Array<{ classes: number | string[]; actual: Array<number | string>; predicted: Array<number | string>; expected: ClassificationReport }>;
  regression: Array<{ actual: number[][]; predicted: number[][]; expected: RegressionReport }>;
  scaling: {
    x: number[][];
    standard: { mean: number[]; scale: number[]; transformed: number[][] };
    minMax: { min: number[]; range: number[]; transformed: number[][] };
  };
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/metrics-sklearn.json', import.meta.url), 'utf8')) as Fixture;

describe('against scikit-learn 1.2 (committed fixture)', () => {
  it('classification_report with zero_division = 0: integer labels with a class never predicted and one never present', () => {
    const [ints, strings] = fixture.classification;
    for (const c of [ints!, strings!]) {
      const r = classificationReport(c.actual, c.predicted, c.classes);
      expect(r.confusion).toEqual(c.expected.confusion);
      expect(r.perClass.map((p) => [p.label, p.support])).toEqual(c.expected.perClass.map((p) => [p.label, p.support]));
      // scikit-learn computes f1 from precision and recall, deltaprop from counts: equal up to rounding
      expectClose(r.perClass.flatMap((p) => [p.precision, p.recall, p.f1]), c.expected.perClass.flatMap((p) => [p.precision, p.recall, p.f1]), 1e-15);
      expectClose([r.accuracy, r.macroF1, r.weightedF1], [c.expected.accuracy, c.expected.macroF1, c.expected.weightedF1], 1e-15);
    }
    expect(ints!.expected.perClass[4]!.precision).toBe(0); // the case the fixture is made for
    expect(ints!.expected.perClass[5]!.support).toBe(0);
  });

  it('mean_absolute_error, mean_squared_error(squared = False), r2_score: per output and uniform average', () => {
    for (const c of fixture.regression) {
      const r = regressionReport(c.actual, c.predicted);
      expectClose([r.mae, r.rmse, r.r2], [c.expected.mae, c.expected.rmse, c.expected.r2], 1e-13);
      expectClose(r.perOutput.flatMap((o) => [o.mae, o.rmse, o.r2]), c.expected.perOutput.flatMap((o) => [o.mae, o.rmse, o.r2]), 1e-13);
    }
    expect(fixture.regression[1]!.expected.perOutput.map((o) => o.r2).slice(1)).toEqual([0, 1]);
  });

  it('StandardScaler and MinMaxScaler statistics and transforms, constant column included', () => {
    const { x, standard, minMax } = fixture.scaling;
    const s = fitScaling('standard', x);
    expectClose(s.shift, standard.mean, 1e-14);
    expectClose(s.divisor, standard.scale, 1e-14);
    // the constant column: scikit-learn leaves its mean's rounding residue (about −4e-17), deltaprop gives exactly 0
    expectClose(applyScaling(new Matrix(x.length, 4), Matrix.from(x), s).data, standard.transformed.flat(), 1e-12, 1e-4);
    const m = fitScaling('minMax', x);
    expect(Array.from(m.shift)).toEqual(minMax.min);
    expect(Array.from(m.divisor)).toEqual(minMax.range.map((r) => (r === 0 ? 1 : r)));
    // scikit-learn multiplies by 1/range, deltaprop divides by the range: equal to an ulp or so
    expectClose(applyScaling(new Matrix(x.length, 4), Matrix.from(x), m).data, minMax.transformed.flat(), 1e-15, 1e-15);
  });
});

describe('bad arguments', () => {
  it('lengths that differ, unknown labels, widths that fit no class count', () => {
    const bad: Array<[() => unknown, RegExp]> = [
      [() => confusionMatrix(['cat', 'dog'], ['cat'], classes), /^confusionMatrix: argument "predicted" must be 2 labels \(one per sample\), got 1$/],
      [() => classificationReport(['cat'], [[1, 0, 0, 0], [1, 0, 0, 0]], classes), /^classificationReport: argument "predicted" must be 1 rows \(one per sample, like actual\), got 2$/],
      [() => classificationReport(['cat', 'cow'], ['cat', 'cat'], classes), /^classificationReport: argument "actual\[1\]" must be one of the classes "cat", "dog", "bird", "fish", got "cow"$/],
      [() => classificationReport(['cat'], [[1, 0]], classes), /"predicted" must be rows of 4 values \(one per class\), or an array of labels, got rows of 2 values/],
      [() => classificationReport([], [], classes), /"actual" must be a non-empty array of samples/],
      [() => classificationReport(['a'], [1]), /labels of one type/],
      [() => classificationReport(['a'], ['a'], ['a', 'a']), /"classes" must hold distinct labels/],
      [() => classificationReport(['a'], ['a'], []), /"classes" must be a non-empty array/],
      [() => classificationReport([[NaN, 1]], [[1, 0]]), /"actual" must hold finite numbers, got NaN/],
      [() => regressionReport([[1, 2]], [[1]]), /^regressionReport: argument "predicted" must be 1 rows of 2 values \(the shape of actual\), got 1 rows of 1 values$/],
      [() => regressionReport([[1]], [[Infinity]]), /^regressionReport: argument "predicted" must hold finite numbers/],
      [() => regressionReport([1, 2] as never, [[1]]), /^regressionReport: argument "actual\[0\]" must be an array/],
    ];
    for (const [call, message] of bad) {
      expect(call).toThrow(DeltapropError);
      expect(call).toThrow(message);
    }
  });
});
