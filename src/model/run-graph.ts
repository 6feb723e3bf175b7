/**
 * Walks a simplified graph in node order, feeding each op its inputs (runtime values, or constants) and
 * storing its outputs. Shared by the float and the integer evaluator, which differ only in `step`.
 */
import { ModelError, UnsupportedOpError } from '../graph/errors.ts';
import type { Graph, Node } from '../graph/ir.ts';
import { opDef } from '../layers/registry.ts';
import type { Arr, OpDef, OpInput } from '../layers/types.ts';
import { tensorValues } from './simplify.ts';

/** One evaluation step: run `def` on `node` with `inputs`. */
export type Step<T extends Arr> = (def: OpDef, node: Node, inputs: OpInput[]) => T[];

const EMPTY: OpInput = { shape: [0], data: new Float64Array(0), bits: 0 };

/**
 * Evaluates `graph` with runtime `values` (graph inputs, already converted) and returns every value.
 * `constInput(name, floatValues, tensorIsInt)` converts a constant for the step; `onValue` sees each result.
 */
export function runGraph<T extends Arr>(
  graph: Graph,
  values: Map<string, T>,
  step: Step<T>,
  constInput: (floatValues: Float64Array, shape: number[], isInt: boolean) => OpInput,
  onValue?: (name: string, v: T, node: Node) => void,
): Map<string, T> {
  const constCache = new Map<string, OpInput>();
  for (const node of graph.nodes) {
    const def = opDef(node.op, node.domain);
    if (!def) throw new UnsupportedOpError([{ op: node.op, node: node.name }]);
    const inputs: OpInput[] = node.inputs.map((name) => {
      if (name === '') return EMPTY;
      const v = values.get(name);
      if (v) return { bits: 0, ...v };
      let c = constCache.get(name);
      if (!c) {
        const t = graph.initializers[name];
        if (!t) throw new ModelError(node.name, `input '${name}' has no value (missing graph input or initializer)`);
        c = constInput(tensorValues(t), t.shape, t.dtype !== 'float32');
        constCache.set(name, c);
      }
      return c;
    });
    const outs = step(def, node, inputs);
    node.outputs.forEach((o, k) => {
      if (!o || !outs[k]) return;
      values.set(o, outs[k]!);
      onValue?.(o, outs[k]!, node);
    });
  }
  return values;
}
