/**
 * How much of the quotient's working set the prover holds twice (prover.ts round 5): whole-coset leaf values
 * up to this size get a second set, so the expression threads evaluate one coset while the main thread
 * transforms the next. The cost model counts the second set in its predicted peak (compiler/cost-model.ts).
 */
export const PIPELINE_MAX_BYTES = 256 * 2 ** 20;
