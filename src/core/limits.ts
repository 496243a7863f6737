/**
 * The one set of size limits shared by every way a network comes to exist (Network.create,
 * new Network, Network.fromJSON, the importers), so that every network that can be made can be
 * saved and loaded back, and by the calls whose working memory grows with a batch.
 */
export { MAX_ELEMENTS } from './matrix.js';

/** The most layers a network may have. */
export const MAX_LAYERS = 10_000;

/**
 * The most float64 values one `predict` or `forward` call may hold in its working memory
 * (the input and every layer's sums and activations of the batch): 2^27 values, 1 GiB.
 */
export const MAX_WORKING_VALUES = 2 ** 27;
