/**
 * Committed weights (compile option `committedWeights`): the model's weights leave the verifying key.
 *
 * Which constants are weights — the operands a linear layer reads as numbers, chosen from the graph alone
 * ({@link planWeights}), in node order:
 *   Conv        W (input 1) at 2^s, bias (input 2) at 2^2s
 *   Gemm        α·B (input 1) at 2^s, β·C (input 2) at 2^2s         (A must be a runtime tensor)
 *   MatMul      the constant operand at 2^s                          (the other one runtime)
 *   Add / Sub   the constant operand at 2^s                          (the other one runtime, at 2^s)
 * Each such slot is quantized exactly as the lowering would have put it in fixed columns, assigned once
 * into advice cells, and read by the lowering through copies (dot/advice rows). All slots, concatenated in
 * plan order, are hashed as one tensor under a private salt (src/commit/tensor-commitment.ts; circuit:
 * chips/commitment.ts), and that one commitment is the public value named {@link WEIGHTS_COMMITMENT_NAME}.
 * A tensor read by two slots (tied weights) is committed once per slot.
 *
 * Every other float constant of more than one element that an op reads is refused in this mode (its values
 * would go into fixed columns, i.e. into the verifying key); float scalars (a Div by 255, Clip bounds, a Pow
 * exponent) stay public: they are part of the architecture. The weights are not range-checked: the
 * statement is about the field elements the commitment opens to, which the opening's holder can read.
 *
 * The layout must then be a function of the architecture and the compile options only: the activation
 * width B comes from the options (options.ts), the scale from the options (api compile), and models whose
 * ops need calibrated lookup-table domains (which depend on the weights) are refused
 * ({@link checkCommittedWeightsModel}).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { Graph } from '../graph/ir.ts';
import { graphToJson } from '../graph/json/graph.ts';
import { attrFloat } from '../layers/attrs.ts';
import { quantize } from '../layers/int-math.ts';
import type { QuantizedModel } from '../model/int-eval.ts';
import { tensorValues } from '../model/simplify.ts';
import { TENSOR_COMMITMENT_SCHEME } from '../commit/tensor-commitment.ts';
import { LoweringError } from './errors.ts';

/** The name of the weights commitment among a proof's public values (not a legal graph-input name here). */
export const WEIGHTS_COMMITMENT_NAME = '#weights';

/** One operand of one node that is committed as weights. */
export interface WeightSlot {
  /** The node that reads it, its op and input index. */
  readonly node: string;
  readonly op: string;
  readonly input: number;
  /** The initializer it quantizes. */
  readonly tensor: string;
  readonly shape: readonly number[];
  /** Quantized as round(mult · value · 2^bits). */
  readonly bits: number;
  readonly mult: number;
}

const isFloatConst = (g: Graph, name: string | undefined): boolean => !!name && g.initializers[name]?.dtype === 'float32';
const isRuntime = (g: Graph, name: string | undefined): boolean => !!name && !g.initializers[name];

/** The committed weight slots of a graph at scale 2^s, in the order the commitment absorbs them. */
export function planWeights(graph: Graph, s: number): WeightSlot[] {
  const out: WeightSlot[] = [];
  for (const node of graph.nodes) {
    const slot = (input: number, bits: number, mult = 1) => {
      const tensor = node.inputs[input]!;
      out.push({ node: node.name, op: node.op, input, tensor, shape: [...graph.initializers[tensor]!.shape], bits, mult });
    };
    const [a, b, c] = node.inputs;
    switch (node.op) {
      case 'Conv':
        if (isFloatConst(graph, b)) slot(1, s);
        if (isFloatConst(graph, c)) slot(2, 2 * s);
        break;
      case 'Gemm':
        if (!isRuntime(graph, a)) break;
        if (isFloatConst(graph, b)) slot(1, s, attrFloat(node, 'alpha', 1));
        if (isFloatConst(graph, c)) slot(2, 2 * s, attrFloat(node, 'beta', 1));
        break;
      case 'MatMul':
      case 'Add':
      case 'Sub':
        if (isFloatConst(graph, a) && isRuntime(graph, b)) slot(0, s);
        if (isFloatConst(graph, b) && isRuntime(graph, a)) slot(1, s);
        break;
    }
  }
  return out;
}

/** The quantized values of one slot (what the circuit's weight cells hold). */
export function slotValues(graph: Graph, slot: WeightSlot): Float64Array {
  const v = tensorValues(graph.initializers[slot.tensor]!);
  return quantize(slot.mult === 1 ? v : v.map((x) => x * slot.mult), slot.bits);
}

/** Every committed weight of a model, in commitment order, with the slots they come from. */
export function committedWeightValues(model: QuantizedModel): { slots: WeightSlot[]; values: bigint[] } {
  const slots = planWeights(model.graph, model.settings.scaleBits);
  const values: bigint[] = [];
  for (const slot of slots) for (const v of slotValues(model.graph, slot)) values.push(BigInt(v));
  return { slots, values };
}

/**
 * Refuses a model whose layout would depend on its weights in committed-weights mode: lookup tables with
 * calibrated domains (their size and contents follow the calibrated activations, hence the weights).
 */
export function checkCommittedWeightsModel(model: QuantizedModel): void {
  for (const [nodeName, kinds] of Object.entries(model.settings.tables)) {
    const node = model.graph.nodes.find((n) => n.name === nodeName);
    throw new LoweringError(
      nodeName,
      node?.op ?? '?',
      `needs a '${Object.keys(kinds)[0]}' lookup table whose domain is calibrated on the activations, which depend on the weights; ` +
        'committed weights support models whose non-linearities need no function table (ReLU, Clip, MaxPool, …)',
    );
  }
  if (model.graph.inputs.some((v) => v.name === WEIGHTS_COMMITMENT_NAME))
    throw new LoweringError(WEIGHTS_COMMITMENT_NAME, 'input', `a graph input named '${WEIGHTS_COMMITMENT_NAME}' would be confused with the weights commitment`);
}

/**
 * A digest of the architecture: the graph as JSON with the committed slots' tensors reduced to dtype and
 * shape, and the scale. The verifying key names the model by it (instead of the model file's name), so two
 * models that differ only in their weights get byte-identical keys.
 */
export function architectureDigest(model: QuantizedModel): string {
  const slots = new Set(planWeights(model.graph, model.settings.scaleBits).map((w) => w.tensor));
  const json = graphToJson(model.graph) as { initializers: Record<string, unknown>; name?: unknown };
  const inits: Record<string, unknown> = {};
  for (const [name, t] of Object.entries(json.initializers)) {
    const g = model.graph.initializers[name]!;
    inits[name] = slots.has(name) ? { dtype: g.dtype, shape: g.shape } : t;
  }
  const text = JSON.stringify({ graph: { ...json, initializers: inits }, scaleBits: model.settings.scaleBits });
  return bytesToHex(sha256(new TextEncoder().encode(text)));
}

/** The model label a committed-weights verifying key carries: scheme and architecture, never the weights. */
export function committedWeightsLabel(model: QuantizedModel): string {
  return `committed-weights ${TENSOR_COMMITMENT_SCHEME} architecture-sha256:${architectureDigest(model)}`;
}
