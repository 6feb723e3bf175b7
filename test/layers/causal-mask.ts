/** A test graph: attention scores masked the way GPT-style ONNX exports build a causal mask from shapes. */
import { attr, floatTensor, intTensor, type Graph } from '../../src/graph/ir.ts';

/**
 * Scores x [1, T, T]: Shape → Gather → Range → Unsqueeze ×2 → Greater (future positions) → Expand to x's
 * shape → Where(mask, ConstantOfShape(−100), x) → Tile ×2 on the last axis → Div by the number of masked
 * entries (NonZero → Shape → Slice → Cast). Everything but Where, Tile and Div folds on import.
 */
export function causalMaskGraph(T: number): Graph {
  return {
    name: 'causal-mask',
    opset: 13,
    inputs: [{ name: 'x', dtype: 'float32', shape: [1, T, T] }],
    outputs: [{ name: 'y', dtype: 'float32' }],
    nodes: [
      { op: 'Shape', name: 'sh', inputs: ['x'], outputs: ['sh'], attrs: {} },
      { op: 'Gather', name: 'n', inputs: ['sh', 'two'], outputs: ['n'], attrs: { axis: attr.int(0) } },
      { op: 'Range', name: 'rg', inputs: ['zero', 'n', 'one'], outputs: ['r'], attrs: {} },
      { op: 'Unsqueeze', name: 'row', inputs: ['r', 'ax1'], outputs: ['rr'], attrs: {} },
      { op: 'Unsqueeze', name: 'col', inputs: ['r', 'ax0'], outputs: ['rc'], attrs: {} },
      { op: 'Greater', name: 'future', inputs: ['rc', 'rr'], outputs: ['fut'], attrs: {} },
      { op: 'Expand', name: 'mexp', inputs: ['fut', 'sh'], outputs: ['mask'], attrs: {} },
      { op: 'ConstantOfShape', name: 'neg', inputs: ['sh'], outputs: ['negs'], attrs: { value: attr.tensor(floatTensor([1], [-100])) } },
      { op: 'NonZero', name: 'nz', inputs: ['fut'], outputs: ['nz'], attrs: {} },
      { op: 'Shape', name: 'nzs', inputs: ['nz'], outputs: ['nzs'], attrs: {} },
      { op: 'Slice', name: 'cnt', inputs: ['nzs', 'one1', 'two1'], outputs: ['cnt'], attrs: {} },
      { op: 'Cast', name: 'cntf', inputs: ['cnt'], outputs: ['cntf'], attrs: { to: attr.int(1) } },
      { op: 'Where', name: 'apply', inputs: ['mask', 'negs', 'x'], outputs: ['masked'], attrs: {} },
      { op: 'Tile', name: 'tile', inputs: ['masked', 'reps'], outputs: ['tiled'], attrs: {} },
      { op: 'Div', name: 'per', inputs: ['tiled', 'cntf'], outputs: ['y'], attrs: {} },
    ],
    initializers: {
      two: intTensor([], [2]),
      zero: intTensor([], [0]),
      one: intTensor([], [1]),
      one1: intTensor([1], [1]),
      two1: intTensor([1], [2]),
      ax0: intTensor([1], [0]),
      ax1: intTensor([1], [1]),
      reps: intTensor([3], [1, 1, 2]),
    },
    valueInfo: {},
  };
}
