/**
 * deltaprop: fully connected neural networks trained with the exact backpropagation of the course,
 * on Float64Array, with zero dependencies, in Node and in browsers.
 */
export { Network } from './network.js';
export type { Gradients, Init, LayerSpec, NetworkSpec, Trace } from './network.js';
export { Dense } from './layer.js';
export { Matrix } from './matrix.js';
export { activations, elementwiseActivation, leakyRelu } from './activations.js';
export type { Activation, ActivationJSON, ActivationName } from './activations.js';
export { losses } from './losses.js';
export type { Loss, LossName } from './losses.js';
export { sgd } from './optimizer.js';
export type { Optimizer, ParameterGradients, SgdOptions } from './optimizer.js';
export type { EpochStats, FitOptions, History } from './train.js';
export type { FromJSONOptions, LayerJSON, NetworkJSON } from './serialize.js';
export { checkGradients } from './gradcheck.js';
export type { GradientCheckOptions, GradientCheckResult } from './gradcheck.js';
export { oneHot } from './encoding.js';
export { Random } from './random.js';
export { DeltapropError, TrainingError } from './errors.js';
export type { MatrixLike } from './validate.js';
