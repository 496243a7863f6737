/** White-box access to a Trainer's buffers, for the tests that check they are allocated once and reused. */
import type { Matrix, Trainer } from '../../src/index.js';

export interface WorkspaceView {
  readonly rows: number;
  readonly sums: Matrix[];
  readonly activations: Matrix[];
  readonly deltas: Matrix[];
  readonly targets: Matrix;
}

export interface TrainerInternals {
  readonly full: WorkspaceView;
  readonly tail: WorkspaceView | undefined;
  readonly grads: { readonly weightGradients: Matrix[]; readonly biasGradients: Float64Array[] };
  readonly order: Uint32Array;
  readonly validation: { readonly ws: WorkspaceView } | undefined;
}

export function trainerInternals(trainer: Trainer): TrainerInternals {
  return trainer as unknown as TrainerInternals;
}
