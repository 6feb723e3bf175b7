/**
 * Choosing the layout by the cost model: wider dot rows mean fewer rows but more advice columns; more
 * outputs per dot row mean fewer rows and input copies but more weight (fixed) columns; smaller
 * range tables (T below the default s + 1) mean more limbs per check but can lower k. Each candidate is laid
 * out once (`onLayout` is told of each). Only circuits small enough to lay out quickly search; larger ones
 * get three more layouts ({@link largeLayout}). What the caller gives (width, outputs per row, table bits) is kept; the rest is searched.
 */
import type { QuantizedModel } from '../model/int-eval.ts';
import { predictCost } from './cost-model.ts';
import { layoutCost, type LayoutCost } from './estimate.ts';
import { inputsPerRowFor } from './gadgets.ts';
import { layoutInputs } from './samples.ts';
import { defaultTableBits, MAX_TABLE_BITS } from './options.ts';
import type { Visibility } from './visibility.ts';

/** One layout (dot-product width, outputs per dot row, range-table bits) priced when choosing. */
export interface WidthChoice {
  width: number;
  dotOutputs: number;
  tableBits: number;
  /** Private inputs per range-check row (gadgets.ts rangedInputs). */
  inputsPerRow: number;
  rows: number;
  k: number;
  predicted_prove_ms: number;
}

/** The compiler's default dot-product width and outputs per row, and the (W, C) pairs tried when free. */
const DEFAULT_WIDTH = 8;
const DEFAULT_OUTPUTS = 1;
const WIDTH_CANDIDATES = [4, 8, 16];
const OUTPUT_CANDIDATES = [1, 2, 4, 8];
/**
 * Most weight columns (W·C) a candidate may have: each is a fixed column the verifier opens — one more
 * commitment in its combination (~7k gas on chain), so a layout for an EVM verifier keeps to a few.
 */
const MAX_WEIGHT_COLUMNS = 64;
const EVM_MAX_WEIGHT_COLUMNS = 8;
const SEARCH_MAX_ROWS = 1 << 17;
/**
 * (W, C) pairs laid out, with range tables of B − 1 bits, for a circuit too large to search: the
 * multi-output rows at W·C = 64 weight columns, and each way of halving those — 32 fixed columns fewer
 * (each one in the proving key, keygen and the quotient) where the extra rows still fit the same k.
 * MobileNetV2 0.35/96 with one-row depthwise convs: 8×8 848,325 rows, 4×8 1,009,596, both k 20, the
 * second predicted 18 % faster with a 4.6 GB lower floor; 8×4 needs k 21.
 */
const LARGE_PAIRS: readonly (readonly [number, number])[] = [
  [8, 8],
  [4, 8],
  [8, 4],
];

export interface LayoutChoice {
  /** The chosen layout, measured. */
  readonly layout: LayoutCost;
  /** The width, outputs per row and table bits to record with the compiled model (undefined: the compiler's default). */
  readonly width: number | undefined;
  readonly dotOutputs: number | undefined;
  readonly tableBits: number | undefined;
  readonly inputsPerRow: number | undefined;
  /** Every candidate priced (empty when nothing was searched). */
  readonly choices: WidthChoice[];
}

/**
 * Prices the (W, C) pairs at the default table bits T0, each once; where a candidate's rows would fit a
 * smaller k but its range table keeps it at k (a 2^T0-row table needs k > T0), the same pair with smaller
 * tables (T0 − 1, T0 − 2, and the sizes the smallest fitting k allows: wider ranges by more limbs) is
 * priced too. Keeps the cheapest prediction.
 */
export function chooseLayout(
  model: QuantizedModel,
  opts: {
    width?: number;
    dotOutputs?: number;
    tableBits?: number;
    verifier?: 'native' | 'evm';
    visibility?: Readonly<Record<string, Visibility>>;
    committedWeights?: boolean;
    actBits?: number;
    weightBits?: number;
    /** Told before each layout: how many are laid out so far, and how many are planned (an estimate that may grow). */
    onLayout?: (laid: number, planned: number) => void;
    /** Rows above which only the large-circuit layouts are tried (default 2^17; tests lower it). */
    searchMaxRows?: number;
  } = {},
): LayoutChoice {
  const vis = {
    ...(opts.visibility ? { visibility: opts.visibility } : {}),
    ...(opts.committedWeights ? { committedWeights: true } : {}),
    ...(opts.actBits !== undefined ? { actBits: opts.actBits } : {}),
    ...(opts.weightBits !== undefined ? { weightBits: opts.weightBits } : {}),
  };
  const T0 = opts.tableBits ?? defaultTableBits(model.settings.scaleBits);
  let laid = 0;
  let planned = 1;
  const lay = (w: number | undefined, c: number | undefined, t: number, p = 1) => {
    planned = Math.max(planned, laid + 1);
    opts.onLayout?.(laid++, planned);
    return layoutCost(model, { ...(w !== undefined ? { width: w } : {}), ...(c !== undefined ? { dotOutputs: c } : {}), tableBits: t, ...(p > 1 ? { inputsPerRow: p } : {}), ...vis });
  };
  const first = lay(opts.width, opts.dotOutputs, T0);
  const choices: WidthChoice[] = [];
  const fixedAll = opts.width !== undefined && opts.dotOutputs !== undefined && opts.tableBits !== undefined;
  if (fixedAll) return { layout: first, width: opts.width, dotOutputs: opts.dotOutputs, tableBits: opts.tableBits, inputsPerRow: undefined, choices };
  if (first.stats.rows > (opts.searchMaxRows ?? SEARCH_MAX_ROWS)) {
    planned = 1 + LARGE_PAIRS.length;
    return largeLayout(first, opts, T0, lay, choices);
  }
  const W0 = opts.width ?? DEFAULT_WIDTH;
  const C0 = opts.dotOutputs ?? DEFAULT_OUTPUTS;
  let best: Candidate | undefined;
  const consider = (w: number, c: number, t: number, p = 1, laid?: LayoutCost): LayoutCost => {
    const l = laid ?? lay(w, c, t, p);
    const ms = price(choices, w, c, t, p, l);
    if (!best || ms < best.ms) best = { width: w, dotOutputs: c, tableBits: t, inputsPerRow: p, layout: l, ms };
    return l;
  };
  // Private inputs in one row each (the default) or packed: packing trades rows for limb lookups, so it is
  // laid out only where the rows it frees could bring k down.
  const inputCount = Object.values(layoutInputs(model)).reduce((a, x) => a + x.data.length, 0);
  const inputBits = Math.max(1, ...Object.values(first.params.inputBits));
  // The packing for T-bit limbs, where it would let the rows (without the range table) fit a smaller k.
  const packing = (w: number, c: number, t: number, rows: number): { p: number; rows: number } => {
    const p = inputsPerRowFor(inputBits, t, w + c);
    const packedRows = rows - (inputCount - Math.ceil(inputCount / p));
    return p > 1 && fitsK(packedRows) < fitsK(rows) ? { p, rows: packedRows } : { p: 1, rows };
  };
  const widths = opts.width !== undefined ? [opts.width] : WIDTH_CANDIDATES;
  // Committed weights are advice cells (dot/advice rows), which the multi-output rows do not take.
  const outputs = opts.dotOutputs !== undefined ? [opts.dotOutputs] : opts.committedWeights ? [DEFAULT_OUTPUTS] : OUTPUT_CANDIDATES;
  const pairs: [number, number][] = [[W0, C0]];
  const maxWeights = opts.verifier === 'evm' ? EVM_MAX_WEIGHT_COLUMNS : MAX_WEIGHT_COLUMNS;
  for (const c of outputs) for (const w of widths) if ((w !== W0 || c !== C0) && w * c <= maxWeights) pairs.push([w, c]);
  planned = pairs.length;
  for (const [w, c] of pairs) {
    const l = consider(w, c, T0, 1, w === W0 && c === C0 ? first : undefined);
    const packed = packing(w, c, T0, l.stats.rows);
    // at T0 only where the 2^T0-row table does not hold k up anyway
    if (packed.p > 1 && Math.max(fitsK(packed.rows), T0 + 1) < l.stats.k) consider(w, c, T0, packed.p);
    if (opts.tableBits !== undefined) continue;
    // Rows that would fit a smaller k but for the 2^T0-row table: smaller tables (more limbs, a few more
    // rows) may bring k down — to the smallest k the rows fit, or one above it.
    const kFit = fitsK(packed.rows);
    if (kFit < l.stats.k && T0 >= kFit)
      for (const t of new Set([T0 - 1, T0 - 2, kFit - 1, kFit]))
        if (t >= 8 && t < T0) {
          const lt = consider(w, c, t);
          const pt = packing(w, c, t, lt.stats.rows).p;
          if (pt > 1) consider(w, c, t, pt);
        }
  }
  return chosen(best!, opts, T0, choices);
}

/** The kept layout, naming only the parameters that differ from the defaults or that the caller gave. */
function chosen(
  b: Omit<Candidate, 'ms'>,
  opts: { width?: number; dotOutputs?: number; tableBits?: number },
  T0: number,
  choices: WidthChoice[],
): LayoutChoice {
  return {
    layout: b.layout,
    width: b.width !== DEFAULT_WIDTH || opts.width !== undefined ? b.width : undefined,
    dotOutputs: b.dotOutputs !== DEFAULT_OUTPUTS || opts.dotOutputs !== undefined ? b.dotOutputs : undefined,
    tableBits: b.tableBits !== T0 || opts.tableBits !== undefined ? b.tableBits : undefined,
    inputsPerRow: b.inputsPerRow > 1 ? b.inputsPerRow : undefined,
    choices,
  };
}

/** Layout l's predicted prove time, recorded among the priced choices. */
function price(choices: WidthChoice[], width: number, dotOutputs: number, tableBits: number, inputsPerRow: number, l: LayoutCost): number {
  const ms = predictCost(l.stats, l.shape).prove_ms;
  choices.push({ width, dotOutputs, tableBits, inputsPerRow, rows: l.stats.rows, k: l.stats.k, predicted_prove_ms: ms });
  return ms;
}

/** A laid-out candidate and its predicted prove time. */
interface Candidate {
  width: number;
  dotOutputs: number;
  tableBits: number;
  inputsPerRow: number;
  layout: LayoutCost;
  ms: number;
}

/** The smallest k whose usable rows (2^k less the blinding rows, ≤ 8 for these circuits) hold `rows` region rows. */
function fitsK(rows: number): number {
  let k = 1;
  while (rows > 2 ** k - 8) k++;
  return k;
}

/**
 * A circuit too large to search: besides the default layout, the {@link LARGE_PAIRS} with range tables as
 * wide as the activations need (B − 1 bits, at most 16: a table of 2^16 rows is small beside 2^17+ rows,
 * and each limb fewer is a lookup fewer per activation); the cheapest prediction is kept. What the caller
 * gives (width, outputs per row, table bits) is kept in every candidate.
 */
function largeLayout(
  first: LayoutCost,
  opts: { width?: number; dotOutputs?: number; tableBits?: number; verifier?: 'native' | 'evm'; committedWeights?: boolean },
  T0: number,
  lay: (w: number | undefined, c: number | undefined, t: number) => LayoutCost,
  choices: WidthChoice[],
): LayoutChoice {
  const W0 = opts.width ?? DEFAULT_WIDTH;
  const C0 = opts.dotOutputs ?? DEFAULT_OUTPUTS;
  const evm = opts.verifier === 'evm';
  const T = opts.tableBits ?? Math.min(MAX_TABLE_BITS, Math.max(T0, first.params.actBits - 1));
  let best: Candidate = { width: W0, dotOutputs: C0, tableBits: T0, inputsPerRow: 1, layout: first, ms: price(choices, W0, C0, T0, 1, first) };
  const tried = new Set([`${W0}x${C0}/${T0}`]);
  for (const [pw, pc] of LARGE_PAIRS) {
    const w = opts.width ?? pw;
    // Committed weights take advice weights, one output per row; an EVM verifier keeps to a few weight columns.
    const c = opts.dotOutputs ?? (opts.committedWeights ? C0 : evm ? Math.max(1, Math.floor(EVM_MAX_WEIGHT_COLUMNS / w)) : pc);
    if (tried.has(`${w}x${c}/${T}`)) continue;
    tried.add(`${w}x${c}/${T}`);
    const l = lay(w, c, T);
    const ms = price(choices, w, c, T, 1, l);
    if (ms < best.ms) best = { width: w, dotOutputs: c, tableBits: T, inputsPerRow: 1, layout: l, ms };
  }
  return chosen(best, opts, T0, choices);
}
