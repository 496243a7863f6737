/**
 * deltaprop: fully connected neural networks trained with the exact backpropagation of the course,
 * on Float64Array, with zero dependencies, in Node and in browsers.
 */
export { Network } from './network.js';
export type { ForwardOptions, Gradients, Init, LayerSpec, NetworkSpec, Trace } from './network.js';
export type { InputScalingName, OutputScalingName } from './data/model-data.js';
export type { Classification, ClassifierEvaluation, EvaluateOptions, Evaluation, RegressionEvaluation } from './train/evaluate.js';
export { Dense } from './model/layer.js';
export type { Params, Segment } from './model/params.js';
export { Matrix } from './core/matrix.js';
export { activations, elementwiseActivation, leakyRelu } from './model/activations.js';
export type { Activation, ActivationJSON, ActivationName } from './model/activations.js';
export { losses } from './model/losses.js';
export type { Loss, LossName } from './model/losses.js';
export type { Optimizer, OptimizerState } from './optim/optimizer.js';
export { sgd } from './optim/sgd.js';
export type { Sgd, SgdOptions } from './optim/sgd.js';
export { adam, adamw } from './optim/adam.js';
export type { Adam, AdamOptions, AdamWOptions } from './optim/adam.js';
export { rmsprop } from './optim/rmsprop.js';
export type { Rmsprop, RmspropOptions } from './optim/rmsprop.js';
export { schedules } from './optim/schedules.js';
export type { Monitor, ReduceOnPlateauOptions, Schedule, ScheduleFunction, ScheduleJSON } from './optim/schedules.js';
export { Trainer } from './train/trainer.js';
export type {
  AbortSignalLike,
  BatchStats,
  Checkpoint,
  EpochStats,
  FitOptions,
  History,
  OptimizerName,
  ResumeOptions,
  Targets,
  TrainerOptions,
} from './train/types.js';
export { earlyStopping } from './train/callbacks.js';
export type { EarlyStopping, EarlyStoppingOptions } from './train/callbacks.js';
export type { FromJSONOptions, LayerJSON, NetworkJSON } from './io/json.js';
export { checkGradients } from './train/gradcheck.js';
export type { GradientCheckOptions, GradientCheckResult } from './train/gradcheck.js';
export { oneHot } from './data/encoding.js';
export { applyScaling, fitScaling, invertScaling, scalingFromJSON, scalingToJSON } from './data/scaling.js';
export type { Scaling, ScalingJSON, ScalingKind } from './data/scaling.js';
export { decodeLabels, encodeLabels, labelTargets } from './data/labels.js';
export type { ClassesSpec, Label } from './data/labels.js';
export { trainTestSplit } from './data/split.js';
export type { Split, SplitOptions } from './data/split.js';
export { classificationReport, confusionMatrix, regressionReport } from './train/metrics.js';
export type { ClassFigures, ClassificationReport, OutputFigures, RegressionReport } from './train/metrics.js';
export { getBackend, setBackend } from './kernels/index.js';
export type { Backend } from './kernels/index.js';
export { Random } from './core/random.js';
export { DeltapropError, TrainingError } from './core/errors.js';
export type { MatrixLike } from './core/schema.js';
export { toONNX } from './interop/onnx.js';
export { fromONNX } from './interop/onnx-import.js';
export type { ToONNXOptions } from './interop/onnx.js';
export { fromTFJS, toTFJS } from './interop/tfjs.js';
export type { TFJSArtifacts, TFJSInput, TFJSWeightSpec } from './interop/tfjs.js';
export { toModule } from './interop/module.js';
export type { ToModuleOptions } from './interop/module.js';
