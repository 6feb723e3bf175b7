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
 * into advice cells, and read by the lowering through copies (dot/advice rows). A tensor read by two slots
 * (tied weights) is committed once per slot.
 *
 * The commitment ({@link WEIGHTS_PACKING}): every weight is a signed integer of a width fixed by the
 * options — `weightBits` at 2^s, weightBits + s for a bias at 2^2s — range-checked in its own row
 * (gadgets.ts rangedInput: u = w + 2^(c−1) ∈ [0, 2^c)). In plan order the u's are packed greedily into
 * field elements of at most {@link PACK_BITS} bits, little end first (element = Σ u_i·2^(offset_i)); the
 * packed elements are hashed as one tensor under a private salt (src/commit/tensor-commitment.ts; circuit:
 * chips/commitment.ts), and that commitment is the public value named {@link WEIGHTS_COMMITMENT_NAME}.
 * The bit ranges do not overlap and stay below 2^250 < r, so packing is injective on range-checked
 * weights: the commitment binds every weight. About 15 weights share one absorbed element, so Poseidon
 * costs ~0.9 rows per weight instead of ~12.6 (plus the range row and ~0.2 packing rows).
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
import { CircuitError } from '../errors.ts';
import { LoweringError } from './errors.ts';

/** Packing of the committed weights (written in openings and the verifying key's label). */
export const WEIGHTS_PACKING = 'signed-offset-greedy-250-v1';
/** Bits per packed field element. */
export const PACK_BITS = 250;
/** Signed bits of a committed weight at 2^s when none is given (|w| < 2^(15 − s) in real terms). */
export const DEFAULT_WEIGHT_BITS = 16;

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

/** One packed element: the weights (indices into the plan-order list) it holds and their bit offsets. */
export interface PackGroup {
  readonly first: number;
  readonly widths: readonly number[];
  readonly offsets: readonly number[];
}

/** Greedy packing of values of the given widths into elements of at most PACK_BITS bits, in order. */
export function packGroups(widths: readonly number[]): PackGroup[] {
  const out: PackGroup[] = [];
  let cur: { first: number; widths: number[]; offsets: number[]; used: number } | undefined;
  widths.forEach((c, i) => {
    if (!cur || cur.used + c > PACK_BITS) {
      if (cur) out.push(cur);
      cur = { first: i, widths: [], offsets: [], used: 0 };
    }
    cur.widths.push(c);
    cur.offsets.push(cur.used);
    cur.used += c;
  });
  if (cur) out.push(cur);
  return out;
}

/** The packed elements of range-checked weights (the reference of the circuit's packing rows). */
export function packWeights(values: readonly bigint[], widths: readonly number[]): bigint[] {
  return packGroups(widths).map((g) => g.widths.reduce((acc, c, j) => acc + ((values[g.first + j]! + (1n << BigInt(c - 1))) << BigInt(g.offsets[j]!)), 0n));
}

/** Signed bit width of each weight of a slot: weightBits at 2^s, plus the slot's extra scale (biases at 2^2s). */
export const slotWidth = (slot: WeightSlot, s: number, weightBits: number): number => weightBits + slot.bits - s;

/**
 * Every committed weight of a model, in commitment order, with the slots they come from, their widths and
 * the packed elements the commitment hashes. A weight outside its width is refused, naming the tensor.
 */
export function committedWeightValues(model: QuantizedModel, weightBits = DEFAULT_WEIGHT_BITS): { slots: WeightSlot[]; values: bigint[]; widths: number[]; packed: bigint[] } {
  const s = model.settings.scaleBits;
  if (!Number.isInteger(weightBits) || weightBits < 2 || weightBits + s > 120) throw new CircuitError(`weight bits ${weightBits} must be an integer in [2, ${120 - s}]`);
  const slots = planWeights(model.graph, s);
  const values: bigint[] = [];
  const widths: number[] = [];
  for (const slot of slots) {
    const c = slotWidth(slot, s, weightBits);
    const half = 2 ** (c - 1);
    slotValues(model.graph, slot).forEach((v, i) => {
      if (v < -half || v >= half)
        throw new CircuitError(
          `committed weights: ${slot.tensor}[${i}] (read by ${slot.op} '${slot.node}') is ${v} at scale 2^${slot.bits}, outside the ${c}-bit range ` +
            `[${-half}, ${half}); compile with a larger --weight-bits (now ${weightBits})`,
        );
      values.push(BigInt(v));
      widths.push(c);
    });
  }
  return { slots, values, widths, packed: packWeights(values, widths) };
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

/** The model label a committed-weights verifying key carries: scheme, packing and architecture, never the weights. */
export function committedWeightsLabel(model: QuantizedModel, weightBits = DEFAULT_WEIGHT_BITS): string {
  return `committed-weights ${TENSOR_COMMITMENT_SCHEME} ${WEIGHTS_PACKING} w${weightBits} architecture-sha256:${architectureDigest(model)}`;
}
