/**
 * The compiler's one dispatch table: ONNX op type → lowering, one file per op family in this folder.
 * Ops without an entry are dispatched by their definition (src/layers): an op that tabulates one function
 * ('f' in OpDef.tables) is a table lookup (table.ts), an op with an index map is pure data movement
 * (movement.ts), so new ops of those kinds need no change here. Anything else has no lowering yet.
 */
import type { Node } from '../../graph/ir.ts';
import type { OpDef, OpInput } from '../../layers/types.ts';
import { lowerAddSub } from './add-sub.ts';
import { lowerCast, lowerCompare } from './compare.ts';
import type { Lowering } from './context.ts';
import { lowerConv } from './conv.ts';
import { lowerLayerNorm } from './layer-norm.ts';
import { lowerBatchNorm, lowerLeakyRelu } from './leaky-relu-bn.ts';
import { lowerGemm, lowerMatMul } from './matmul.ts';
import { lowerMovement } from './movement.ts';
import { lowerDiv, lowerMul, lowerNeg } from './mul-div.ts';
import { lowerGlobalAveragePool, lowerPool } from './pool.ts';
import { lowerPow } from './pow.ts';
import { lowerArgMax, lowerReduce } from './reduce.ts';
import { lowerClip, lowerRelu } from './relu-clip.ts';
import { lowerSoftmax } from './softmax.ts';
import { lowerTableOp, tableFunction } from './table.ts';
import { lowerWhere } from './where.ts';
import { lowerPRelu } from './prelu.ts';
import { lowerReluPlusTable } from './relu-plus-table.ts';
import { lowerLogSoftmax } from './log-softmax.ts';
import { lowerConvTranspose } from './conv-transpose.ts';
import { lowerGather } from './gather.ts';

/** Ops with a lowering of their own, by op type. */
export const LOWERINGS: Readonly<Record<string, Lowering>> = {
  Conv: lowerConv,
  Gemm: lowerGemm,
  MatMul: lowerMatMul,
  Relu: lowerRelu,
  Clip: lowerClip,
  LeakyRelu: lowerLeakyRelu,
  BatchNormalization: lowerBatchNorm,
  MaxPool: lowerPool,
  AveragePool: lowerPool,
  GlobalAveragePool: lowerGlobalAveragePool,
  Add: lowerAddSub,
  Sub: lowerAddSub,
  Mul: lowerMul,
  Div: lowerDiv,
  Neg: lowerNeg,
  Pow: lowerPow,
  ReduceSum: lowerReduce,
  ReduceMean: lowerReduce,
  ReduceMax: lowerReduce,
  ArgMax: lowerArgMax,
  Softmax: lowerSoftmax,
  LayerNormalization: lowerLayerNorm,
  Equal: lowerCompare,
  Less: lowerCompare,
  Greater: lowerCompare,
  Cast: lowerCast,
  Where: lowerWhere,
  PRelu: lowerPRelu,
  Elu: lowerReluPlusTable,
  Selu: lowerReluPlusTable,
  Softplus: lowerReluPlusTable,
  Mish: lowerReluPlusTable,
  LogSoftmax: lowerLogSoftmax,
  ConvTranspose: lowerConvTranspose,
  Gather: lowerGather,
};

const unsupported: Lowering = (ctx) => ctx.fail('no circuit lowering for this op yet');

/** The lowering of `node` (op `def`, inputs `ins` as the reference saw them). */
export function loweringFor(def: OpDef, node: Node, ins: readonly OpInput[]): Lowering {
  // Own properties only: an op named like an Object.prototype member must not find one.
  if (Object.hasOwn(LOWERINGS, node.op)) return LOWERINGS[node.op]!;
  if (tableFunction(def, node, ins)) return lowerTableOp;
  if (def.indexMap) return lowerMovement;
  return unsupported;
}
