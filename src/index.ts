/**
 * deltaprop: fully connected neural networks trained with the exact backpropagation of the course,
 * on Float64Array, with zero dependencies, in Node and in browsers.
 */
export { Network } from './network.js';
export type { Gradients, Init, LayerSpec, NetworkSpec, Trace } from './network.js';
export { Dense } from './model/layer.js';
export { Matrix } from './core/matrix.js';
export { activations, elementwiseActivation, leakyRelu } from './model/activations.js';
export type { Activation, ActivationJSON, ActivationName } from './model/activations.js';
export { losses } from './model/losses.js';
export type { Loss, LossName } from './model/losses.js';
export { sgd } from './optim/sgd.js';
export type { Optimizer, ParameterGradients, SgdOptions } from './optim/sgd.js';
export type { EpochStats, FitOptions, History } from './train/trainer.js';
export type { FromJSONOptions, LayerJSON, NetworkJSON } from './io/json.js';
export { checkGradients } from './train/gradcheck.js';
export type { GradientCheckOptions, GradientCheckResult } from './train/gradcheck.js';
export { oneHot } from './data/encoding.js';
export { Random } from './core/random.js';
export { DeltapropError, TrainingError } from './core/errors.js';
export type { MatrixLike } from './core/schema.js';
export { toONNX } from './io/onnx.js';
export { fromONNX } from './io/onnx-import.js';
export type { ToONNXOptions } from './io/onnx.js';
export { fromTFJS, toTFJS } from './io/tfjs.js';
export type { TFJSArtifacts, TFJSInput, TFJSWeightSpec } from './io/tfjs.js';
export { toModule } from './io/module.js';
export type { ToModuleOptions } from './io/module.js';
