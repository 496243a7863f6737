/** The public surface: exactly these names, and these types, from the entry point. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as deltaprop from '../src/index.js';

/** The type-only exports the docs describe (Network, Matrix and the other runtime names are types too, and are not listed). */
const TYPES = [
  'AbortSignalLike',
  'Activation',
  'ActivationJSON',
  'ActivationName',
  'Adam',
  'AdamOptions',
  'AdamWOptions',
  'Backend',
  'BatchStats',
  'Checkpoint',
  'ClassFigures',
  'ClassesSpec',
  'Classification',
  'ClassificationReport',
  'ClassifierEvaluation',
  'EarlyStopping',
  'EarlyStoppingOptions',
  'EpochStats',
  'EvaluateOptions',
  'Evaluation',
  'FitOptions',
  'ForwardOptions',
  'FromJSONOptions',
  'GradientCheckOptions',
  'GradientCheckResult',
  'Gradients',
  'History',
  'Init',
  'InputScalingName',
  'Label',
  'LayerJSON',
  'LayerSpec',
  'Loss',
  'LossName',
  'MatrixLike',
  'Monitor',
  'NetworkJSON',
  'NetworkSpec',
  'Optimizer',
  'OptimizerName',
  'OptimizerState',
  'OutputFigures',
  'OutputScalingName',
  'Params',
  'ReduceOnPlateauOptions',
  'RegressionEvaluation',
  'RegressionReport',
  'ResumeOptions',
  'Rmsprop',
  'RmspropOptions',
  'Scaling',
  'ScalingJSON',
  'ScalingKind',
  'Schedule',
  'ScheduleFunction',
  'ScheduleJSON',
  'Segment',
  'Sgd',
  'SgdOptions',
  'Split',
  'SplitOptions',
  'TFJSArtifacts',
  'TFJSInput',
  'TFJSWeightSpec',
  'Targets',
  'ToModuleOptions',
  'ToONNXOptions',
  'Trace',
  'TrainerOptions',
];

/**
 * The names src/index.ts exports, split into values and type-only names, read from its syntax: the
 * entry point lists every export by name, and under `verbatimModuleSyntax` a type must be exported
 * with `type`, so the keyword decides (`export type { Adam }` exports a class as a type only).
 */
function entryPointExports(): { values: string[]; types: string[] } {
  const file = fileURLToPath(new URL('../src/index.ts', import.meta.url));
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022);
  const values: string[] = [];
  const types: string[] = [];
  for (const statement of source.statements) {
    if (!ts.isExportDeclaration(statement)) {
      const exported = ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
      if (exported) throw new Error(`src/index.ts must only re-export by name, found: ${statement.getText(source).slice(0, 80)}`);
      continue;
    }
    const clause = statement.exportClause;
    if (clause === undefined || !ts.isNamedExports(clause)) throw new Error(`src/index.ts must list its exports by name, found: ${statement.getText(source)}`);
    for (const element of clause.elements) (statement.isTypeOnly || element.isTypeOnly ? types : values).push(element.name.text);
  }
  return { values: values.sort(), types: types.sort() };
}

describe('exports', () => {
  it('exports exactly the documented runtime names', () => {
    expect(Object.keys(deltaprop).sort()).toEqual(
      [
        'DeltapropError',
        'Dense',
        'Matrix',
        'Network',
        'Random',
        'Trainer',
        'TrainingError',
        'activations',
        'adam',
        'adamw',
        'applyScaling',
        'checkGradients',
        'classificationReport',
        'confusionMatrix',
        'decodeLabels',
        'elementwiseActivation',
        'encodeLabels',
        'fitScaling',
        'invertScaling',
        'labelTargets',
        'fromONNX',
        'fromTFJS',
        'getBackend',
        'leakyRelu',
        'losses',
        'earlyStopping',
        'oneHot',
        'rmsprop',
        'schedules',
        'regressionReport',
        'scalingFromJSON',
        'scalingToJSON',
        'setBackend',
        'sgd',
        'trainTestSplit',
        'toModule',
        'toONNX',
        'toTFJS',
      ].sort(),
    );
  });

  it('exports exactly the documented types, and nothing else type-only', () => {
    const { values, types } = entryPointExports();
    expect(types).toEqual([...TYPES].sort());
    expect(values).toEqual(Object.keys(deltaprop).sort());
  });

  it('has the error hierarchy the docs describe', () => {
    const e = new deltaprop.TrainingError('m', 3, 2, 0.5);
    expect(e).toBeInstanceOf(deltaprop.DeltapropError);
    expect(e).toBeInstanceOf(Error);
    expect(new deltaprop.DeltapropError('m').name).toBe('DeltapropError');
    expect([e.epoch, e.batch, e.lastLoss]).toEqual([3, 2, 0.5]);
    expect('cause' in e).toBe(false);
    expect(new deltaprop.TrainingError('m', 1, 0, NaN, 'why').cause).toBe('why');
  });

  it('the documented entry points work together (the README usage)', () => {
    const { Network, oneHot } = deltaprop;
    const net = Network.create({ input: 2, layers: [{ units: 8, activation: 'tanh' }, { units: 2, activation: 'softmax' }], seed: 1 });
    const history = net.fit([[0, 1], [1, 0]], oneHot([0, 1], 2), { epochs: 2, batchSize: 2 });
    expect(history.epochs).toHaveLength(2);
    expect(net.predict([0, 1])).toBeInstanceOf(Float64Array);
    expect(net.predict([[0, 1], [1, 1]])).toBeInstanceOf(deltaprop.Matrix);
    expect(net.output).toBe(2);
    expect(net.parameterCount).toBe(2 * 8 + 8 + 8 * 2 + 2);
  });
});
