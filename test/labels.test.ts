/** Class labels: the `classes` spec, encoding labels to indices and targets, decoding, and misuse. */
import { describe, expect, it } from 'vitest';
import { DeltapropError, decodeLabels, encodeLabels, labelTargets } from '../src/index.js';
import { isLabelArray, readClasses } from '../src/data/labels.js';

const species = ['setosa', 'versicolor', 'virginica'];

describe('classes', () => {
  it('a count n means the labels 0 … n − 1', () => {
    expect(readClasses('f', 'classes', 3).labels).toEqual([0, 1, 2]);
    expect(Array.from(encodeLabels([2, 0, 1, 2], 3))).toEqual([2, 0, 1, 2]);
  });

  it('an array gives each label its position, strings or integers', () => {
    expect(Array.from(encodeLabels(['virginica', 'setosa', 'versicolor'], species))).toEqual([2, 0, 1]);
    expect(Array.from(encodeLabels([7, 3, 3], [3, 7]))).toEqual([1, 0, 0]);
  });

  it('rejects empty, duplicated, mixed or non-integer classes, naming the argument', () => {
    const bad: Array<[unknown, RegExp]> = [
      [[], /^encodeLabels: argument "classes" must be a non-empty array of at most 65536 labels, got an array of length 0$/],
      [0, /^encodeLabels: argument "classes" must be a count of classes in \[1, 65536\], or an array of labels, got 0$/],
      [2.5, /"classes" must be a count of classes/],
      [NaN, /"classes" must be a count of classes.*got NaN/],
      [70000, /"classes" must be a count of classes/],
      [['a', 'b', 'a'], /^encodeLabels: argument "classes" must hold distinct labels, got "a" at positions 0 and 2$/],
      [[1, 2, 1], /must hold distinct labels, got 1 at positions 0 and 2/],
      [['a', 1], /^encodeLabels: argument "classes\[1\]" must be a string \(like classes\[0\]\), got 1$/],
      [[1, 'a'], /argument "classes\[1\]" must be a string or a safe integer, all of one type, got "a"/],
      [[0, 1.5], /argument "classes\[1\]".*got 1.5/],
      [[null], /argument "classes\[0\]".*got null/],
      ['abc', /"classes" must be a count of classes, or an array of labels \(strings or integers\), got "abc"/],
    ];
    for (const [classes, message] of bad) {
      expect(() => encodeLabels([0], classes as never)).toThrow(DeltapropError);
      expect(() => encodeLabels([0], classes as never)).toThrow(message);
    }
  });
});

describe('unknown labels', () => {
  it('name the label, its position and the known classes', () => {
    expect(() => encodeLabels(['setosa', 'rose'], species)).toThrow(
      /^encodeLabels: argument "labels\[1\]" must be one of the classes "setosa", "versicolor", "virginica", got "rose"$/,
    );
  });

  it('say when the type is the problem', () => {
    expect(() => encodeLabels(['1'], [0, 1])).toThrow(/got "1" \(a string; the classes are integers\)/);
    expect(() => encodeLabels([0], species)).toThrow(/got 0 \(a number; the classes are strings\)/);
  });

  it('escape and truncate a long label, and list at most ten classes', () => {
    const long = 'x'.repeat(100) + '"\n';
    const many = Array.from({ length: 30 }, (_, i) => `c${i}`);
    let message = '';
    try {
      encodeLabels([long], many);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain(`got "${'x'.repeat(40)}…"`);
    expect(message).not.toContain('\n');
    expect(message).toContain('"c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9", … (30 in all)');
    expect(message).not.toContain('"c10"');
  });

  it('leave the caller’s arrays unchanged', () => {
    const labels = ['setosa', 'rose'];
    const classes = [...species];
    expect(() => labelTargets(labels, classes)).toThrow(DeltapropError);
    expect(labels).toEqual(['setosa', 'rose']);
    expect(classes).toEqual(species);
  });
});

describe('targets', () => {
  it('one-hot rows for softmax outputs', () => {
    expect(labelTargets(['versicolor', 'setosa'], species).toArray()).toEqual([
      [0, 1, 0],
      [1, 0, 0],
    ]);
  });

  it('one 0/1 column for one sigmoid output and two classes', () => {
    expect(labelTargets(['yes', 'no', 'yes'], ['no', 'yes'], 1).toArray()).toEqual([[1], [0], [1]]);
    expect(labelTargets(['yes'], ['no', 'yes'], 2).toArray()).toEqual([[0, 1]]);
  });

  it('rejects a width that fits neither', () => {
    expect(() => labelTargets(['a'], ['a', 'b', 'c'], 1)).toThrow(/^labelTargets: argument "width" must be 3 \(the number of classes\), got 1$/);
    expect(() => labelTargets(['a'], ['a', 'b'], 3)).toThrow(/"width" must be 2 or 1/);
  });
});

describe('decoding', () => {
  it('maps indices back to labels, and round-trips', () => {
    expect(decodeLabels([2, 0], species)).toEqual(['virginica', 'setosa']);
    expect(decodeLabels(new Int32Array([1, 1]), [5, 9])).toEqual([9, 9]);
    const labels = ['virginica', 'setosa', 'setosa', 'versicolor'];
    expect(decodeLabels(encodeLabels(labels, species), species)).toEqual(labels);
  });

  it('rejects an index out of range', () => {
    expect(() => decodeLabels([0, 3], species)).toThrow(/^decodeLabels: argument "indices\[1\]" must be an integer in \[0, 2\], got 3$/);
    expect(() => decodeLabels([0.5], species)).toThrow(/"indices\[0\]"/);
    expect(() => decodeLabels('01' as never, species)).toThrow(/"indices" must be an array of class indices/);
  });
});

describe('telling labels from target rows', () => {
  it('a flat array of strings or numbers, or an integer typed array, is labels', () => {
    expect(isLabelArray(['a', 'b'])).toBe(true);
    expect(isLabelArray([0, 1, 1])).toBe(true);
    expect(isLabelArray(new Uint8Array([0, 1]))).toBe(true);
    expect(isLabelArray(new Int32Array([2]))).toBe(true);
  });

  it('rows, a Float64Array (one sample), an empty array and other values are not', () => {
    expect(isLabelArray([[0, 1]])).toBe(false);
    expect(isLabelArray([new Float64Array(2)])).toBe(false);
    expect(isLabelArray(new Float64Array([0, 1]))).toBe(false);
    expect(isLabelArray([])).toBe(false);
    expect(isLabelArray('ab')).toBe(false);
    expect(isLabelArray(null)).toBe(false);
  });

  it('rejects labels that are not an array', () => {
    expect(() => encodeLabels('setosa', species)).toThrow(/^encodeLabels: argument "labels" must be an array of labels/);
  });
});
