/**
 * What a lowering sees: the builder, the layout widths, the node with its reference inputs/outputs, the
 * runtime cells of its inputs, and the shared helpers of the compiler. The model-wide part
 * ({@link ModelScope}) is made once per circuit by {@link modelScope}; the graph walk (../build.ts) adds
 * the node's part for each node.
 */
import type { CircuitBuilder, Value } from '../../circuit/builder.ts';
import { dotProduct } from '../../circuit/chips/dot.ts';
import { rescaleActivation, type RescaleActivation } from '../../circuit/chips/rescale-act.ts';
import type { QuantSettings } from '../../model/settings.ts';
import type { Node } from '../../graph/ir.ts';
import type { OpDef, OpInput, QArr } from '../../layers/types.ts';
import { divRoundConst, selectCmp } from '../gadgets.ts';

/** A tensor laid out in the circuit: one cell per element (row-major), at scale 2^bits. */
export interface Cells {
  shape: number[];
  bits: number;
  cells: Value[];
}

export interface LowerCtx {
  readonly b: CircuitBuilder;
  /** Model scale bits s, dot-chip width W, outputs per dot row C, range-table bits T, activation bits B. */
  readonly s: number;
  readonly W: number;
  readonly C: number;
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
  /** The runtime cells of input i at the model scale 2^s; fails naming `what` otherwise. */
  runtimeAtScale(i: number, what: string): Cells;
  /**
   * Committed weights: the advice cells of constant input i when it is a committed weight slot
   * (../weights.ts planWeights, quantized at the slot's scale `bits`), undefined otherwise (then the
   * lowering may read the constant as numbers).
   */
  committed(i: number): Cells | undefined;
  /** Throws LoweringError naming the node. */
  fail(why: string): never;
  /**
   * rdiv(acc, 2^s) into the B-bit activation range (rescale chip). For a node whose output only feeds an
   * activation the compiler fuses (build.ts), the activation is computed in the same row
   * (chips/rescale-act.ts) and {@link activated} gives it.
   */
  rescaleOut(acc: Value): Value;
  /** The activation `act` of cell v when a fused rescale computed it (undefined: lay it out). */
  activated(v: Value, act: RescaleActivation): Value | undefined;
  /**
   * The activation fused into this node's rescale (its only reader is that Relu or Clip(0, hi)), for a
   * lowering that rescales in a chip of its own; it then records each output q with
   * {@link recordActivation}.
   */
  readonly fusedActivation: RescaleActivation | undefined;
  /** Records y = act(q), computed in q's row, for the activation node ({@link activated}). */
  recordActivation(q: Value, act: RescaleActivation, y: Value): void;
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

/** Bits of an unsigned magnitude up to maxAbs (at least 1). */
export const bitsFor = (maxAbs: number): number => Math.max(1, Math.ceil(Math.log2(Math.max(maxAbs, 1) + 1)));

/**
 * Most rows a function table may have: 2^22 (a circuit of k ≥ 23 holds it; zkml's own MobileNet tail runs
 * at k = 23). A domain over a fixed real interval doubles with each scale bit, so a table that does not
 * fit names the largest scale at which it would.
 */
export const MAX_TABLE_ROWS = 2 ** 22;

/** Fails the lowering when table `what` over [lo, hi] has more than MAX_TABLE_ROWS rows. */
export function checkTableRows(ctx: Pick<LowerCtx, 's' | 'fail'>, what: string, lo: number, hi: number): void {
  const rows = hi - lo + 1;
  if (rows <= MAX_TABLE_ROWS) return;
  const fits = ctx.s - Math.ceil(Math.log2(rows / MAX_TABLE_ROWS));
  ctx.fail(
    `${what} domain [${lo}, ${hi}] needs ${rows} rows, more than 2^${Math.log2(MAX_TABLE_ROWS)}; ` +
      (fits >= 1 ? `it fits at scale 2^${fits} (--scale-bits ${fits}) or below` : 'no scale makes it fit'),
  );
}

/** The key of an activation, for matching a fused one. */
const activationKey = (act: RescaleActivation): string => (act.kind === 'clip' ? `clip${act.hi}` : act.kind);

/**
 * The part of {@link LowerCtx} shared by every node of one model, and the fused rescale a node whose
 * output feeds activation `act` uses as its rescaleOut.
 */
export type ModelScope = { fusedRescale(act: RescaleActivation): (acc: Value) => Value } & Pick<
  LowerCtx,
  'b' | 's' | 'W' | 'C' | 'T' | 'B' | 'freivalds' | 'settings' | 'rescaleOut' | 'activated' | 'recordActivation' | 'cmpBits' | 'clampCells' | 'meanOf' | 'sumOf'
>;

/** The model-wide helpers over builder `b` with scale bits s, dot width W, table bits T and activation bits B. */
export function modelScope(
  b: CircuitBuilder,
  widths: { s: number; W: number; C: number; T: number; B: number },
  settings: QuantSettings,
  freivalds: boolean,
): ModelScope {
  const { s, W, C, T, B } = widths;
  // Comparison width: differences of two activations (B-bit, with one bit of headroom for Add outputs).
  const cmpBits = (...consts: number[]): number => Math.max(B + 1, ...consts.map((c) => bitsFor(Math.abs(c)) + 2));
  // q cell of each fused rescale → its activation (the same Value objects travel to the activation node).
  const fused = new Map<Value, { key: string; y: Value }>();
  const recordActivation = (q: Value, act: RescaleActivation, y: Value): void => void fused.set(q, { key: activationKey(act), y });
  const sumOf = (vals: Value[]): Value => (vals.length === 1 ? vals[0]! : dotProduct(b, vals, vals.map(() => 1), 0, { width: W }));
  return {
    b,
    s,
    W,
    C,
    T,
    B,
    freivalds,
    settings,
    // The rescale alone in one row (range checks by limbs in the row itself).
    rescaleOut: (acc) => rescaleActivation(b, acc, s, B, T, { kind: 'none' }).q,
    fusedRescale: (act) => {
      const key = activationKey(act);
      return (acc) => {
        const { q, y } = rescaleActivation(b, acc, s, B, T, act);
        fused.set(q, { key, y });
        return q;
      };
    },
    recordActivation,
    activated: (v, act) => {
      const f = fused.get(v);
      return f && f.key === activationKey(act) ? f.y : undefined;
    },
    cmpBits,
    clampCells: (v, lo, hi) => {
      // Each bound by its own sign-bit comparison, wide enough for the constants.
      const K = cmpBits(lo ?? 0, hi ?? 0);
      let y = v;
      if (lo !== undefined) y = selectCmp(b, y, b.constant(lo), 'max', K, T);
      if (hi !== undefined) y = selectCmp(b, y, b.constant(hi), 'min', K, T);
      return y;
    },
    sumOf,
    // The sum by the dot chip (weights 1), then the rounded division by the public n.
    meanOf: (vals, n) => divRoundConst(b, sumOf(vals), n, B + 1, T),
  };
}
