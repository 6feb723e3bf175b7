/**
 * Calibration and scale choice. Runs the float evaluator on sample inputs, records every value's range,
 * picks one power-of-two scale 2^s for the whole model, and fixes each lookup table's integer domain:
 * - s = min(maxScaleBits, activationBits − ⌈log2 R⌉) with R the largest |value| seen (so activations fit
 *   in about `activationBits` bits), lowered until every table has at most 2^maxTableBits rows;
 * - 'error' tables cover the calibrated argument range widened by `tableMargin` of its width each side
 *   (cut to where the function is defined); 'clamp' tables cover the function's saturation interval;
 * - per-value integer bounds come from running the integer evaluator on the same samples.
 */
import { InvalidArgumentError } from '../errors.ts';
import type { Graph } from '../graph/ir.ts';
import type { QuantSettings, TableDomain } from './settings.ts';
import { evaluateFloat } from './float-eval.ts';
import { evaluateIntQ, quantizeInput, type QuantizedModel } from './int-eval.ts';
import { opDef } from '../layers/registry.ts';
import type { Arr, OpInput } from '../layers/types.ts';
import { tensorValues } from './simplify.ts';

/** Default of QuantSettings.inputRangeSlack: inputs are accepted one calibrated range width beyond each end. */
export const DEFAULT_INPUT_RANGE_SLACK = 1;

/** Options of {@link quantizeModel}. */
export interface QuantizeOptions {
  /** Force the scale exponent instead of choosing it. */
  scaleBits?: number;
  /** Upper limit of the chosen scale exponent (default 12). */
  maxScaleBits?: number;
  /** Lower limit (default 4). */
  minScaleBits?: number;
  /** Target magnitude of activations in bits (default 22). */
  activationBits?: number;
  /** Largest table, as log2 of its rows (default 20). */
  maxTableBits?: number;
  /** Widening of calibrated table domains, as a fraction of the range width each side (default 0.5). */
  tableMargin?: number;
  /** Input range slack, see QuantSettings.inputRangeSlack (default 1). */
  inputRangeSlack?: number;
}

interface TableNeed {
  node: string;
  kind: string;
  outside: 'clamp' | 'error';
  range: [number, number];
  saturatesAt?: (s: number) => [number, number];
  defined?: [number, number];
}

function minMax(d: Float64Array): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < d.length; i++) {
    const v = d[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

function domainFor(t: TableNeed, s: number, margin: number): TableDomain {
  const S = 2 ** s;
  if (t.outside === 'clamp' && t.saturatesAt) {
    const [a, b] = t.saturatesAt(s);
    return { lo: Math.floor(a * S), hi: Math.ceil(b * S), outside: 'clamp' };
  }
  let [a, b] = t.range;
  if (!(a <= b)) [a, b] = [0, 0];
  const w = Math.max(b - a, Math.abs(a), Math.abs(b), 1 / S) * margin;
  let lo = Math.floor((a - w) * S);
  const hi = Math.ceil((b + w) * S);
  if (t.defined) lo = Math.max(lo, t.defined[0] > 0 ? 1 : Math.ceil(t.defined[0] * S));
  return { lo, hi: Math.max(hi, lo), outside: 'error' };
}

/** Calibrates `graph` (already simplified) on `samples` and returns the quantized model. */
export function quantizeModel(graph: Graph, samples: Record<string, Arr>[], options: QuantizeOptions = {}): QuantizedModel {
  if (samples.length === 0) throw new InvalidArgumentError('quantization needs at least one calibration sample');
  const margin = options.tableMargin ?? 0.5;
  const calibration: Record<string, [number, number]> = {};
  const tables = new Map<string, TableNeed>();
  const nodeOf = new Map(graph.nodes.flatMap((n) => n.outputs.map((o) => [o, n] as const)));
  let R = 0;
  const rawNames = new Set(graph.inputs.filter((v) => v.dtype !== 'float32').map((v) => v.name));
  for (const sample of samples) {
    const seen = new Map<string, Arr>();
    evaluateFloat(graph, sample, {
      onValue: (name, v) => {
        seen.set(name, v);
        const [lo, hi] = minMax(v.data);
        const prev = calibration[name];
        calibration[name] = prev ? [Math.min(prev[0], lo), Math.max(prev[1], hi)] : [lo, hi];
        const producer = nodeOf.get(name);
        // Raw integers (indices, masks, integer-typed inputs) do not bound the fixed-point scale.
        if (producer ? !['ArgMax', 'Equal', 'Less', 'Greater', 'Shape'].includes(producer.op) : !rawNames.has(name)) {
          R = Math.max(R, Math.abs(lo), Math.abs(hi));
        }
      },
    });
    for (const node of graph.nodes) {
      const def = opDef(node.op, node.domain)!;
      const consts = node.inputs.map((n) => (graph.initializers[n] ? tensorValues(graph.initializers[n]!) : undefined));
      const fns = def.tables?.(node, consts);
      if (!fns || Object.keys(fns).length === 0) continue;
      const ins: OpInput[] = node.inputs.map((n, i) => {
        const v = seen.get(n);
        return v ? { ...v, bits: 0 } : { shape: graph.initializers[n]?.shape ?? [0], data: consts[i] ?? new Float64Array(0), bits: 0, constFloat: consts[i] };
      });
      const ranges = def.tableArgRange?.(node, ins) ?? { f: minMax(ins[0]!.data) };
      for (const [kind, fn] of Object.entries(fns)) {
        const key = `${node.name}\u0000${kind}`;
        const r = ranges[kind] ?? minMax(ins[0]!.data);
        const prev = tables.get(key);
        tables.set(key, {
          node: node.name,
          kind,
          outside: fn.outside,
          range: prev ? [Math.min(prev.range[0], r[0]), Math.max(prev.range[1], r[1])] : r,
          saturatesAt: fn.saturatesAt,
          defined: fn.defined,
        });
      }
    }
  }
  const maxTable = 2 ** (options.maxTableBits ?? 20);
  let s = options.scaleBits ?? Math.max(options.minScaleBits ?? 4, Math.min(options.maxScaleBits ?? 12, (options.activationBits ?? 22) - Math.ceil(Math.log2(Math.max(R, 1)))));
  const domainsAt = (bits: number): Record<string, Record<string, TableDomain>> => {
    const out: Record<string, Record<string, TableDomain>> = {};
    for (const t of tables.values()) (out[t.node] ??= {})[t.kind] = domainFor(t, bits, margin);
    return out;
  };
  let domains = domainsAt(s);
  const tooBig = (d: Record<string, Record<string, TableDomain>>): boolean => Object.values(d).some((k) => Object.values(k).some((t) => t.hi - t.lo + 1 > maxTable));
  while (options.scaleBits === undefined && s > (options.minScaleBits ?? 4) && tooBig(domains)) domains = domainsAt(--s);
  const settings: QuantSettings = {
    version: 1,
    scaleBits: s,
    rounding: 'half-up',
    tables: domains,
    calibration,
    bounds: {},
    inputRangeSlack: options.inputRangeSlack ?? DEFAULT_INPUT_RANGE_SLACK,
    samples: samples.length,
  };
  if (rawNames.size > 0) settings.rawInputs = [...rawNames];
  const model: QuantizedModel = { graph, settings };
  for (const sample of samples) {
    const q = Object.fromEntries(graph.inputs.map((v) => [v.name, quantizeInput(v.name, sample[v.name]!, settings)]));
    evaluateIntQ(model, q, (name, v) => {
      let m = settings.bounds[name] ?? 0;
      for (let i = 0; i < v.data.length; i++) m = Math.max(m, Math.abs(v.data[i]!));
      settings.bounds[name] = m;
    });
  }
  return model;
}
