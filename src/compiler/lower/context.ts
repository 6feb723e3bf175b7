/**
 * What a lowering sees: the builder, the layout widths, the node with its reference inputs/outputs, the
 * runtime cells of its inputs, and the shared helpers of the compiler (index.ts builds one per node).
 */
import type { CircuitBuilder, Value } from '../../circuit/builder.ts';
import type { QuantSettings } from '../../model/settings.ts';
import type { Node } from '../../model/ir.ts';
import type { OpDef, OpInput, QArr } from '../../layers/types.ts';

/** A tensor laid out in the circuit: one cell per element (row-major), at scale 2^bits. */
export interface Cells {
  shape: number[];
  bits: number;
  cells: Value[];
}

export interface LowerCtx {
  readonly b: CircuitBuilder;
  /** Model scale bits s, dot-chip width W, range-table bits T, activation bits B. */
  readonly s: number;
  readonly W: number;
  readonly T: number;
  readonly B: number;
  /** Check runtime × runtime MatMuls by Freivalds at a transcript challenge instead of dot rows. */
  readonly freivalds: boolean;
  readonly settings: QuantSettings;
  readonly def: OpDef;
  readonly node: Node;
  /** The node's inputs as the reference saw them (constants carry constFloat). */
  readonly ins: OpInput[];
  /** The reference outputs the lowered cells must equal. */
  readonly ref: QArr[];
  /** The runtime cells of input i (undefined for constants and absent inputs). */
  runtime(i: number): Cells | undefined;
  /** Throws LoweringError naming the node. */
  fail(why: string): never;
  /** rdiv(acc, 2^s) into the B-bit activation range (rescale chip). */
  rescaleOut(acc: Value): Value;
  /** Bits for a sign-bit comparison of activations (and of the given constants). */
  cmpBits(...consts: number[]): number;
  /** min(max(v, lo), hi) with constant bounds (undefined = unbounded). */
  clampCells(v: Value, lo: number | undefined, hi: number | undefined): Value;
  /** rdiv(Σ vals, n) for a public n ≥ 1. */
  meanOf(vals: Value[], n: number): Value;
  /** Σ vals (the cell itself for one value). */
  sumOf(vals: Value[]): Value;
}

export type Lowering = (ctx: LowerCtx) => Cells[];

export const bitsFor = (maxAbs: number): number => Math.max(1, Math.ceil(Math.log2(Math.max(maxAbs, 1) + 1)));
