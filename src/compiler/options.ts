/**
 * Compile options and the layout parameters derived from them and from the model alone (shapes, weights,
 * calibrated bounds), never from input values: the widths every lowering lays cells out with.
 */
import { CircuitError } from '../errors.ts';
import type { QuantizedModel } from '../model/int-eval.ts';
import type { CircuitBuilder, Value } from '../circuit/builder.ts';
import { bitsFor, type Cells } from './lower/context.ts';
import type { Visibility } from './visibility.ts';
import { DEFAULT_WEIGHT_BITS } from './weights.ts';

export interface CompileOptions {
  /** Products per row of the dot-product chip (default 8). */
  width?: number;
  /**
   * Outputs per dot row C (default 1): a linear layer with constant weights lays out C outputs that read
   * the same inputs (a dense layer's outputs, a conv's output channels at one position) in one region, the
   * inputs copied in once (chips/dot-multi.ts); C·W fixed weight columns.
   */
  dotOutputs?: number;
  /** Range-table width T in bits, 2..16 (default clamp(s + 1, 8, 16)); wider ranges are checked by T-bit limbs. */
  tableBits?: number;
  /**
   * Private graph inputs range-checked per row (default 1; gadgets.ts rangedInputs): more take fewer rows but
   * more limb columns in the lookups. The compiler packs them where that lowers k.
   */
  inputsPerRow?: number;
  /** Signed activation width B in bits (default from the calibrated bounds, with 4x headroom). */
  actBits?: number;
  /** Fix k instead of choosing the smallest that fits. */
  k?: number;
  /**
   * Check MatMuls of two runtime tensors (attention) by Freivalds at a transcript challenge (second-phase
   * advice; chips/freivalds.ts) instead of one dot product per output (default false).
   */
  freivalds?: boolean;
  /**
   * Per graph input/output: 'public' (in the instance column), 'private', or for inputs 'committed' (its
   * commitment public). Default: inputs private, outputs public.
   */
  visibility?: Readonly<Record<string, Visibility>>;
  /**
   * Witness only, never the layout: the salt (a field element) of each committed input's commitment (from
   * its opening) and of each committed output's (drawn by the prover, kept in the output opening). Default
   * 0, which is for laying out (keygen, estimates); a proof needs real salts.
   */
  salts?: Readonly<Record<string, bigint>>;
  /**
   * Commit the weights (weights.ts): the linear layers' constant operands go in advice cells, hashed under
   * a private salt into one public commitment, instead of fixed columns. The layout then depends on the
   * architecture and these options only: B is `actBits` (default {@link DEFAULT_COMMITTED_ACT_BITS}), never
   * the calibrated bounds.
   */
  committedWeights?: boolean;
  /** Witness only, never the layout: the salt of the weights commitment, from its opening (default 0). */
  weightsSalt?: bigint;
  /** Committed weights: signed bits of a weight at 2^s (a bias at 2^2s gets s more); default 16. */
  weightBits?: number;
  /**
   * Laid out after the graph outputs (src/apps/audit's head): sees every graph output's cells, public or
   * not, and makes cells public as commitments (shape [1]) after the model's public tensors. It must lay
   * out the same rows for every input; only its witness may depend on values.
   */
  head?: ModelHead;
}

/** A circuit appended to a model's graph ({@link CompileOptions.head}). */
export type ModelHead = (
  b: CircuitBuilder,
  outputs: ReadonlyMap<string, Cells>,
  ctx: { params: LayoutParams; publish: (name: string, cell: Value) => void },
) => void;

/** Most outputs one dot row may hold (each adds an advice and W fixed columns). */
export const MAX_DOT_OUTPUTS = 16;
export const MAX_INPUTS_PER_ROW = 32;

/** The widths a layout uses. */
export interface LayoutParams {
  /** Products per dot-chip row W. */
  width: number;
  /** Outputs per dot row C (chips/dot-multi.ts). */
  dotOutputs: number;
  /** Range-table bits T. */
  tableBits: number;
  /** Private graph inputs per range-check row. */
  inputsPerRow: number;
  /** Signed activation bits B. */
  actBits: number;
  /** Signed bits each graph input is range-checked to (its calibrated range with slack). */
  inputBits: Record<string, number>;
  /** Model scale bits s. */
  scaleBits: number;
  /** Signed bits of a committed weight at 2^s (weights.ts; unused without committed weights). */
  weightBits: number;
}

/**
 * B with committed weights when none is given: the calibrated bounds depend on the weights, so they may not
 * size the layout. 24 signed bits hold the activations of models at scale 2^7..2^12 with room to spare;
 * an activation beyond it is reported when proving (never wrapped), and --act-bits raises it.
 */
export const DEFAULT_COMMITTED_ACT_BITS = 24;

/** Range tables of 2^T rows: T in [MIN_TABLE_BITS, MAX_TABLE_BITS]. */
export const MIN_TABLE_BITS = 2;
export const MAX_TABLE_BITS = 16;

/** The default T at scale 2^s: one limb for a rescale remainder (s + 1 bits) where that fits in 8..16. */
export function defaultTableBits(s: number): number {
  return Math.min(MAX_TABLE_BITS, Math.max(8, s + 1));
}

/** Layout parameters from the model alone (never from input values). */
export function layoutParams(model: QuantizedModel, opts: CompileOptions): LayoutParams {
  const st = model.settings;
  const s = st.scaleBits;
  const width = opts.width ?? 8;
  if (!Number.isInteger(width) || width < 1) throw new CircuitError(`chip width ${width} must be a positive integer`);
  const dotOutputs = opts.dotOutputs ?? 1;
  if (!Number.isInteger(dotOutputs) || dotOutputs < 1 || dotOutputs > MAX_DOT_OUTPUTS) throw new CircuitError(`outputs per dot row ${dotOutputs} must be an integer in [1, ${MAX_DOT_OUTPUTS}]`);
  const tableBits = opts.tableBits ?? defaultTableBits(s);
  const inputsPerRow = opts.inputsPerRow ?? 1;
  if (!Number.isInteger(inputsPerRow) || inputsPerRow < 1 || inputsPerRow > MAX_INPUTS_PER_ROW)
    throw new CircuitError(`inputs per row ${inputsPerRow} must be an integer in [1, ${MAX_INPUTS_PER_ROW}]`);
  // Every range check decomposes into limbs of at most T bits (a remainder of s + 1 bits too), so T may be
  // below s + 1: smaller tables can mean a smaller k, and scales above 2^15 need no 2^(s+1)-row table.
  if (!Number.isInteger(tableBits) || tableBits < MIN_TABLE_BITS || tableBits > MAX_TABLE_BITS)
    throw new CircuitError(`table bits ${tableBits} must be an integer in [${MIN_TABLE_BITS}, ${MAX_TABLE_BITS}]`);
  const inputNames = new Set(model.graph.inputs.map((v) => v.name));
  let maxAct = 1;
  for (const [name, v] of Object.entries(st.bounds)) if (!inputNames.has(name)) maxAct = Math.max(maxAct, v);
  const actBits = opts.actBits ?? (opts.committedWeights ? DEFAULT_COMMITTED_ACT_BITS : Math.min(60, bitsFor(maxAct) + 3));
  if (!Number.isInteger(actBits) || actBits < 2 || actBits > 60) throw new CircuitError(`activation bits ${actBits} must be an integer in [2, 60]`);
  const inputBits: Record<string, number> = {};
  for (const v of model.graph.inputs) {
    const cal = st.calibration[v.name];
    let m = st.bounds[v.name] ?? 2 ** actBits;
    if (cal) {
      const w = Math.max(cal[1] - cal[0], 1e-6);
      // Raw (integer-typed) inputs are fed unscaled.
      const scale = st.rawInputs?.includes(v.name) ? 1 : 2 ** s;
      m = Math.max(m, Math.max(Math.abs(cal[0] - st.inputRangeSlack * w), Math.abs(cal[1] + st.inputRangeSlack * w)) * scale + 1);
    }
    inputBits[v.name] = Math.min(60, bitsFor(m) + 1);
  }
  return { width, dotOutputs, tableBits, inputsPerRow, actBits, inputBits, scaleBits: s, weightBits: opts.weightBits ?? DEFAULT_WEIGHT_BITS };
}
