/**
 * Float reference evaluator: the ONNX semantics of each op in float64, over a simplified graph. Checked
 * against onnxruntime-node in tests (which computes in float32).
 */
import type { Graph } from '../graph/ir.ts';
import type { Arr } from '../layers/types.ts';
import { runGraph } from './run-graph.ts';

/** Options of {@link evaluateFloat}. */
export interface FloatEvalOptions {
  /** Called with every computed value (calibration records ranges here). */
  onValue?: (name: string, value: Arr) => void;
}

/** Evaluates `graph` on float inputs (by input name); returns the graph outputs by name. */
export function evaluateFloat(graph: Graph, inputs: Record<string, Arr>, options: FloatEvalOptions = {}): Record<string, Arr> {
  const values = new Map<string, Arr>();
  for (const v of graph.inputs) {
    const x = inputs[v.name];
    if (!x) throw new Error(`evaluateFloat: missing input '${v.name}'`);
    values.set(v.name, x);
    options.onValue?.(v.name, x);
  }
  runGraph<Arr>(
    graph,
    values,
    (def, node, ins) => def.float(node, ins),
    (data, shape) => ({ shape, data, bits: 0, constFloat: data }),
    options.onValue ? (n, v) => options.onValue!(n, v) : undefined,
  );
  const out: Record<string, Arr> = {};
  for (const o of graph.outputs) {
    const v = values.get(o.name) ?? (graph.initializers[o.name] ? { shape: graph.initializers[o.name]!.shape, data: Float64Array.from(graph.initializers[o.name]!.data) } : undefined);
    if (!v) throw new Error(`evaluateFloat: output '${o.name}' was not computed`);
    out[o.name] = v;
  }
  return out;
}
