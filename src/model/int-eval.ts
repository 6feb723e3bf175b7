/**
 * Integer reference evaluator: THE specification the circuit must match bit for bit. Every value is an
 * integer tensor (Float64Array, |v| < 2^52, asserted after every op) with a scale exponent `bits`
 * (s for fixed-point values, 0 for raw integers such as indices and masks). Per-op semantics are documented
 * in each `src/layers/<op>.ts`; the shared primitives (rdiv rounding, constant quantization) are in
 * `src/layers/int-math.ts`, tables in `src/layers/table.ts`.
 *
 * Inputs: a real input x becomes round(x · 2^s) (round half up) after checking it is finite and within the
 * calibrated range widened by `inputRangeSlack`; an integer-typed input (settings.rawInputs) stays a raw
 * integer (bits 0).
 */
import { InputError, ModelError } from '../graph/errors.ts';
import type { Graph } from '../graph/ir.ts';
import type { QuantSettings } from './settings.ts';
import { runGraph } from './run-graph.ts';
import { assertSafe, quantize } from '../layers/int-math.ts';
import type { Arr, IntCtx, QArr } from '../layers/types.ts';

/** A model ready for integer evaluation: the simplified float graph plus its quantization settings. */
export interface QuantizedModel {
  graph: Graph;
  settings: QuantSettings;
}

/** Result of {@link evaluateInt}. */
export interface IntResult {
  /** Integer outputs with their scale exponent. */
  outputs: Record<string, QArr>;
  /** The same outputs as reals (q / 2^bits). */
  dequantized: Record<string, Arr>;
}

/** Quantizes one real input tensor at scale s, rejecting NaN/Inf and values far outside calibration. */
export function quantizeInput(name: string, x: Arr, settings: QuantSettings): QArr {
  const range = settings.calibration[name];
  const w = range ? Math.max(range[1] - range[0], 1e-6) : Infinity;
  const lo = range ? range[0] - settings.inputRangeSlack * w : -Infinity;
  const hi = range ? range[1] + settings.inputRangeSlack * w : Infinity;
  for (let i = 0; i < x.data.length; i++) {
    const v = x.data[i]!;
    if (!Number.isFinite(v)) throw new InputError(name, `element ${i} is ${v}; inputs must be finite numbers`);
    if (v < lo || v > hi) throw new InputError(name, `element ${i} = ${v} is far outside the calibrated range [${range![0]}, ${range![1]}] (accepted: [${lo.toPrecision(4)}, ${hi.toPrecision(4)}]); recalibrate with representative data`);
  }
  if (settings.rawInputs?.includes(name)) {
    // An integer-typed input (indices): raw integers at bits 0.
    const bad = x.data.findIndex((v) => !Number.isSafeInteger(v));
    if (bad >= 0) throw new InputError(name, `element ${bad} = ${x.data[bad]} is not an integer; the model declares an integer input`);
    return { shape: [...x.shape], data: Float64Array.from(x.data), bits: 0 };
  }
  return { shape: [...x.shape], data: quantize(x.data, settings.scaleBits), bits: settings.scaleBits };
}

/** Evaluates on already-quantized inputs; `onValue` sees every integer value (for bounds and debugging). */
export function evaluateIntQ(model: QuantizedModel, inputs: Record<string, QArr>, onValue?: (name: string, v: QArr) => void): Record<string, QArr> {
  const { graph, settings } = model;
  const s = settings.scaleBits;
  const values = new Map<string, QArr>();
  for (const v of graph.inputs) {
    const x = inputs[v.name];
    if (!x) throw new InputError(v.name, 'missing');
    values.set(v.name, x);
    onValue?.(v.name, x);
  }
  runGraph<QArr>(
    graph,
    values,
    (def, node, ins) => {
      const ctx: IntCtx = {
        scaleBits: s,
        table: (kind) => {
          const t = settings.tables[node.name]?.[kind];
          if (!t) throw new ModelError(node.name, `no '${kind}' table domain in the quantization settings (quantize the model first)`);
          return t;
        },
      };
      const outs = def.int(node, ins, ctx);
      for (const o of outs) assertSafe(o.data, node.name);
      return outs;
    },
    (data, shape, isInt) => (isInt ? { shape, data, bits: 0, constFloat: data } : { shape, data: quantize(data, s), bits: s, constFloat: data }),
    onValue,
  );
  const out: Record<string, QArr> = {};
  for (const o of graph.outputs) {
    let v = values.get(o.name);
    const c = graph.initializers[o.name];
    // An output folded to a constant: raw integers stay raw, reals are quantized at s.
    if (!v && c) v = c.dtype === 'float32' ? { shape: c.shape, data: quantize(c.data, s), bits: s } : { shape: c.shape, data: c.data, bits: 0 };
    if (!v) throw new ModelError(o.name, 'output was not computed');
    out[o.name] = v;
  }
  return out;
}

/** Quantizes real inputs and evaluates the integer semantics; returns integer and dequantized outputs. */
export function evaluateInt(model: QuantizedModel, inputs: Record<string, Arr>): IntResult {
  const q: Record<string, QArr> = {};
  for (const v of model.graph.inputs) {
    const x = inputs[v.name];
    if (!x) throw new InputError(v.name, 'missing');
    q[v.name] = quantizeInput(v.name, x, model.settings);
  }
  const outputs = evaluateIntQ(model, q);
  const dequantized: Record<string, Arr> = {};
  for (const [k, v] of Object.entries(outputs)) dequantized[k] = { shape: v.shape, data: v.data.map((x) => x / 2 ** v.bits) };
  return { outputs, dequantized };
}
