/** Every supported op, by ONNX op type. The only place that lists them. */
import { add } from './add.ts';
import { argMax } from './argmax.ts';
import { averagePool } from './average-pool.ts';
import { batchNorm } from './batch-norm.ts';
import { cast } from './cast.ts';
import { clip } from './clip.ts';
import { equal, greater, less } from './compare.ts';
import { concat } from './concat.ts';
import { constantOfShape } from './constant-of-shape.ts';
import { conv } from './conv.ts';
import { convTranspose } from './conv-transpose.ts';
import { div } from './div.ts';
import { elu } from './elu.ts';
import { erf } from './erf.ts';
import { exp } from './exp.ts';
import { expand } from './expand.ts';
import { flatten } from './flatten.ts';
import { gather } from './gather.ts';
import { gelu } from './gelu.ts';
import { gemm } from './gemm.ts';
import { globalAveragePool } from './global-average-pool.ts';
import { hardSigmoid } from './hard-sigmoid.ts';
import { hardSwish } from './hard-swish.ts';
import { dropout, identity } from './identity.ts';
import { layerNorm } from './layer-norm.ts';
import { leakyRelu } from './leaky-relu.ts';
import { log } from './log.ts';
import { logSoftmax } from './log-softmax.ts';
import { matmul } from './matmul.ts';
import { maxPool } from './max-pool.ts';
import { mish } from './mish.ts';
import { mul } from './mul.ts';
import { neg } from './neg.ts';
import { nonZeroOp } from './nonzero.ts';
import { pad } from './pad.ts';
import { pow } from './pow.ts';
import { prelu } from './prelu.ts';
import { range } from './range.ts';
import { reciprocal } from './reciprocal.ts';
import { reduceMax } from './reduce-max.ts';
import { reduceMean } from './reduce-mean.ts';
import { reduceSum } from './reduce-sum.ts';
import { relu } from './relu.ts';
import { reshape } from './reshape.ts';
import { resize } from './resize.ts';
import { selu } from './selu.ts';
import { shapeOf } from './shape-of.ts';
import { sigmoid } from './sigmoid.ts';
import { slice } from './slice.ts';
import { softplus } from './softplus.ts';
import { softmax } from './softmax.ts';
import { split } from './split.ts';
import { sqrt } from './sqrt.ts';
import { squeeze } from './squeeze.ts';
import { sub } from './sub.ts';
import { tanh } from './tanh.ts';
import { tile } from './tile.ts';
import { transpose } from './transpose.ts';
import { unsqueeze } from './unsqueeze.ts';
import { where } from './where.ts';
import type { OpDef } from './types.ts';

const ALL: OpDef[] = [
  add, argMax, averagePool, batchNorm, cast, clip, equal, greater, less, concat, conv, div, erf, exp, expand,
  flatten, gather, gelu, gemm, globalAveragePool, hardSigmoid, hardSwish, dropout, identity, layerNorm,
  leakyRelu, log, matmul, maxPool, mul, neg, pad, pow, reciprocal, reduceMax, reduceMean, reduceSum, relu,
  reshape, resize, shapeOf, sigmoid, slice, softmax, split, sqrt, squeeze, sub, tanh, transpose, unsqueeze,
  where, constantOfShape, range, nonZeroOp, tile, prelu, elu, selu, softplus, mish, logSoftmax,
  convTranspose,
];

/** Supported ops by ONNX op type (default domain). */
export const OPS: ReadonlyMap<string, OpDef> = new Map(ALL.map((d) => [d.op, d]));

/** The definition of `op`, or undefined when unsupported. */
export function opDef(op: string, domain = ''): OpDef | undefined {
  return domain === '' || domain === 'ai.onnx' ? OPS.get(op) : undefined;
}
