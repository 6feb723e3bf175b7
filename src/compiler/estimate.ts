/** The size of a model's circuit without a real input: rows, columns, lookups, copies and k. */
import type { QuantizedModel } from '../model/int-eval.ts';
import { buildModelCircuit, type CircuitStats } from './build.ts';
import type { CompileOptions } from './options.ts';
import { layoutInputs } from './samples.ts';

/** Cost of the circuit (built on {@link layoutInputs}; the layout does not depend on the values). */
export function estimateModelCost(model: QuantizedModel, opts: CompileOptions = {}): CircuitStats & { k: number } {
  const c = buildModelCircuit(model, layoutInputs(model), opts);
  return { ...c.stats, k: c.k };
}
