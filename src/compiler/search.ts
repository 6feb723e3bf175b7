/**
 * Choosing the layout by the cost model: wider dot rows mean fewer rows but more advice columns; smaller
 * range tables (T below the default s + 1) mean more limbs per check but can lower k. Each candidate is laid
 * out once (`onLayout` is told of each). Only circuits small enough to lay out quickly search; larger ones
 * keep the defaults. A width or table width given by the caller is kept; the other one is searched.
 */
import type { QuantizedModel } from '../model/int-eval.ts';
import { predictCost } from './cost-model.ts';
import { layoutCost, type LayoutCost } from './estimate.ts';
import { defaultTableBits } from './options.ts';
import type { Visibility } from './visibility.ts';

/** One layout (dot-product width, range-table bits) priced when choosing. */
export interface WidthChoice {
  width: number;
  tableBits: number;
  rows: number;
  k: number;
  predicted_prove_ms: number;
}

/** The compiler's default dot-product width, and the widths tried when none is given. */
const DEFAULT_WIDTH = 8;
const WIDTH_CANDIDATES = [4, 8, 16];
const SEARCH_MAX_ROWS = 1 << 17;

export interface LayoutChoice {
  /** The chosen layout, measured. */
  readonly layout: LayoutCost;
  /** The width and table bits to record with the compiled model (undefined: the compiler's default). */
  readonly width: number | undefined;
  readonly tableBits: number | undefined;
  /** Every candidate priced (empty when nothing was searched). */
  readonly choices: WidthChoice[];
}

export function chooseLayout(
  model: QuantizedModel,
  opts: { width?: number; tableBits?: number; visibility?: Readonly<Record<string, Visibility>>; committedWeights?: boolean; actBits?: number; weightBits?: number; onLayout?: () => void } = {},
): LayoutChoice {
  const vis = {
    ...(opts.visibility ? { visibility: opts.visibility } : {}),
    ...(opts.committedWeights ? { committedWeights: true } : {}),
    ...(opts.actBits !== undefined ? { actBits: opts.actBits } : {}),
    ...(opts.weightBits !== undefined ? { weightBits: opts.weightBits } : {}),
  };
  const T0 = opts.tableBits ?? defaultTableBits(model.settings.scaleBits);
  const lay = (w: number | undefined, t: number) => layoutCost(model, { ...(w !== undefined ? { width: w } : {}), tableBits: t, ...vis }, opts.onLayout);
  const first = lay(opts.width, T0);
  const choices: WidthChoice[] = [];
  if (first.stats.rows > SEARCH_MAX_ROWS || (opts.width !== undefined && opts.tableBits !== undefined))
    return { layout: first, width: opts.width, tableBits: opts.tableBits, choices };
  const price = (w: number, t: number, c: LayoutCost) => {
    const ms = predictCost(c.stats, c.shape).prove_ms;
    choices.push({ width: w, tableBits: t, rows: c.stats.rows, k: c.stats.k, predicted_prove_ms: ms });
    return ms;
  };
  let best = { width: opts.width ?? DEFAULT_WIDTH, tableBits: T0, layout: first, ms: price(opts.width ?? DEFAULT_WIDTH, T0, first) };
  const consider = (w: number, t: number) => {
    const c = lay(w, t);
    const ms = price(w, t, c);
    if (ms < best.ms) best = { width: w, tableBits: t, layout: c, ms };
  };
  if (opts.width === undefined) for (const w of WIDTH_CANDIDATES) if (w !== DEFAULT_WIDTH) consider(w, T0);
  if (opts.tableBits === undefined) for (const t of [T0 - 1, T0 - 2]) if (t >= 8) consider(best.width, t);
  return {
    layout: best.layout,
    width: best.width !== DEFAULT_WIDTH || opts.width !== undefined ? best.width : undefined,
    tableBits: best.tableBits !== T0 || opts.tableBits !== undefined ? best.tableBits : undefined,
    choices,
  };
}
