/** The public surface: exactly these names, and these types, from the entry point. */
import { describe, expect, it } from 'vitest';
import * as deltaprop from '../src/index.js';
import type {
  Activation,
  ActivationJSON,
  Backend,
  ActivationName,
  ClassesSpec,
  ClassFigures,
  ClassificationReport,
  EpochStats,
  FitOptions,
  FromJSONOptions,
  GradientCheckOptions,
  GradientCheckResult,
  Gradients,
  History,
  Init,
  Label,
  LayerJSON,
  LayerSpec,
  Loss,
  LossName,
  MatrixLike,
  NetworkJSON,
  NetworkSpec,
  Optimizer,
  OutputFigures,
  RegressionReport,
  Scaling,
  ScalingJSON,
  ScalingKind,
  SgdOptions,
  Split,
  SplitOptions,
  TFJSArtifacts,
  TFJSInput,
  TFJSWeightSpec,
  ToModuleOptions,
  ToONNXOptions,
  Trace,
  AbortSignalLike,
  Adam,
  AdamOptions,
  AdamWOptions,
  BatchStats,
  Checkpoint,
  EarlyStopping,
  EarlyStoppingOptions,
  Monitor,
  OptimizerName,
  OptimizerState,
  Params,
  ReduceOnPlateauOptions,
  ResumeOptions,
  Rmsprop,
  RmspropOptions,
  Schedule,
  ScheduleFunction,
  ScheduleJSON,
  Segment,
  Sgd,
  TrainerOptions,
} from '../src/index.js';

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

  it('exports the documented types (checked by the type-checker)', () => {
    // Each type is used once so that removing one from the entry point fails `tsc`.
    type All = [
      Activation,
      ActivationJSON,
      Backend,
      ActivationName,
      ClassesSpec,
      ClassFigures,
      ClassificationReport,
      EpochStats,
      FitOptions,
      FromJSONOptions,
      GradientCheckOptions,
      GradientCheckResult,
      Gradients,
      History,
      Init,
      Label,
      LayerJSON,
      LayerSpec,
      Loss,
      LossName,
      MatrixLike,
      NetworkJSON,
      NetworkSpec,
      Optimizer,
      OutputFigures,
      RegressionReport,
      Scaling,
      ScalingJSON,
      ScalingKind,
      SgdOptions,
      Split<number[][], string[]>,
      SplitOptions,
      TFJSArtifacts,
      TFJSInput,
      TFJSWeightSpec,
      ToModuleOptions,
      ToONNXOptions,
      Trace,
      AbortSignalLike,
      Adam,
      AdamOptions,
      AdamWOptions,
      BatchStats,
      Checkpoint,
      EarlyStopping,
      EarlyStoppingOptions,
      Monitor,
      OptimizerName,
      OptimizerState,
      Params,
      ReduceOnPlateauOptions,
      ResumeOptions,
      Rmsprop,
      RmspropOptions,
      Schedule,
      ScheduleFunction,
      ScheduleJSON,
      Segment,
      Sgd,
      TrainerOptions,
    ];
    const count: All['length'] = 60;
    expect(count).toBe(60);
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
