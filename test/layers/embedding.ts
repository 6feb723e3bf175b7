/** A test graph: token ids (int64) → embedding Gather → mean over the sequence → Gemm. */
import { attr, floatTensor, type Graph } from '../../src/graph/ir.ts';

/**
 * ids int64 [1, T] → Gather(E [V, D], ids) [1, T, D] → ReduceMean over T → Gemm(D → 2) → y [1, 2]; also a
 * second output z = Gather(P [3, V, 2], ids, axis 1) [3, 1, T, 2] (a runtime index on a middle axis).
 */
export function embeddingGraph(T: number, V: number, D: number, values: (n: number) => number[]): Graph {
  return {
    name: 'embedding',
    opset: 13,
    inputs: [{ name: 'ids', dtype: 'int64', shape: [1, T] }],
    outputs: [
      { name: 'y', dtype: 'float32', shape: [1, 2] },
      { name: 'z', dtype: 'float32', shape: [3, 1, T, 2] },
    ],
    nodes: [
      { op: 'Gather', name: 'emb', inputs: ['E', 'ids'], outputs: ['e'], attrs: {} },
      { op: 'ReduceMean', name: 'mean', inputs: ['e'], outputs: ['m'], attrs: { axes: attr.ints([1]), keepdims: attr.int(0) } },
      { op: 'Gemm', name: 'fc', inputs: ['m', 'W', 'b'], outputs: ['y'], attrs: { transB: attr.int(1) } },
      { op: 'Gather', name: 'mid', inputs: ['P', 'ids'], outputs: ['z'], attrs: { axis: attr.int(1) } },
    ],
    initializers: {
      E: floatTensor([V, D], values(V * D)),
      W: floatTensor([2, D], values(2 * D)),
      b: floatTensor([2], values(2)),
      P: floatTensor([3, V, 2], values(3 * V * 2)),
    },
    valueInfo: {},
  };
}
