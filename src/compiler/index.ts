/**
 * Compiler: lowers a quantized model graph to a PLONKish circuit (CircuitBuilder + chips) and assigns the
 * witness from the integer reference semantics.
 *
 * - build.ts: the graph walk (inputs, one lowering per node, public outputs), {@link buildModelCircuit};
 * - lower/dispatch.ts: the one table from op to lowering, one file per op family in lower/;
 * - options.ts: compile options and the layout widths derived from the model;
 * - samples.ts: inputs to lay a model out on (the layout never depends on input values);
 * - estimate.ts: circuit size without a real input; cost-model.ts: predicted prove time and memory;
 * - gadgets.ts: compiler-local gadgets (ranged inputs, sign-bit ReLU and comparisons, rounded division);
 * - visibility.ts: which graph inputs and outputs are public;
 * - weights.ts: committed weights (which constants, their order, the architecture digest).
 */
export { buildModelCircuit, type CircuitStats, type ModelCircuit } from './build.ts';
export { LoweringError } from './errors.ts';
export { estimateModelCost, layoutCost, type LayoutCost } from './estimate.ts';
export { chooseLayout, type LayoutChoice, type WidthChoice } from './search.ts';
export { divRoundConst, rangedInput, reluSigned, selectCmp } from './gadgets.ts';
export type { CompileOptions, LayoutParams, ModelHead } from './options.ts';
export { DEFAULT_COMMITTED_ACT_BITS, defaultTableBits, MAX_DOT_OUTPUTS, MAX_INPUTS_PER_ROW, MAX_TABLE_BITS, MIN_TABLE_BITS } from './options.ts';
export {
  architectureDigest,
  checkCommittedWeightsModel,
  committedWeightsLabel,
  committedWeightValues,
  DEFAULT_WEIGHT_BITS,
  packWeights,
  planWeights,
  WEIGHTS_COMMITMENT_NAME,
  WEIGHTS_PACKING,
  type WeightSlot,
} from './weights.ts';
export { calibrationInputs, layoutInputs, zeroInputs } from './samples.ts';
export { resolveVisibility, type PublicTensor, type Visibility } from './visibility.ts';
