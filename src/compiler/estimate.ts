/** The size of a model's circuit without a real input: rows, columns, lookups, copies and k. */
import type { QuantizedModel } from '../model/int-eval.ts';
import { buildModelCircuit, type CircuitStats } from './build.ts';
import { costShapeOf, type CostShape } from './cost-model.ts';
import type { CompileOptions, LayoutParams } from './options.ts';
import { layoutInputs } from './samples.ts';

/** One layout of a model, measured: its size, the shape the cost model prices, and the widths it used. */
export interface LayoutCost {
  readonly stats: CircuitStats & { k: number };
  readonly shape: CostShape;
  readonly params: LayoutParams;
}

/**
 * Lays the model out once (on {@link layoutInputs}) and returns everything a cost estimate or a report
 * needs, so that nothing has to lay it out again. `onLayout` is told of each layout (progress, counting).
 */
export function layoutCost(model: QuantizedModel, opts: CompileOptions = {}, onLayout?: () => void): LayoutCost {
  onLayout?.();
  const c = buildModelCircuit(model, layoutInputs(model), opts);
  return { stats: { ...c.stats, k: c.k }, shape: costShapeOf(c.cs, c.k), params: c.params };
}

/** Cost of the circuit (built on {@link layoutInputs}; the layout does not depend on the values). */
export function estimateModelCost(model: QuantizedModel, opts: CompileOptions = {}): CircuitStats & { k: number } {
  const c = buildModelCircuit(model, layoutInputs(model), opts);
  return { ...c.stats, k: c.k };
}
