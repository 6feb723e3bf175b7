/**
 * Sample inputs to lay a model out on. The layout depends only on the model, never on input values, so
 * keygen and the cost estimate may use any sample the integer reference accepts.
 */
import { evaluateIntQ, quantizeInput, type QuantizedModel } from '../model/int-eval.ts';
import { size } from '../layers/shape-util.ts';
import type { QArr } from '../layers/types.ts';

/** Zero inputs of the model's declared shapes (symbolic dims as 1), at the model scale (raw inputs at bits 0). */
export function zeroInputs(model: QuantizedModel): Record<string, QArr> {
  const out: Record<string, QArr> = {};
  for (const v of model.graph.inputs) {
    const shape = (v.shape ?? []).map((d) => (typeof d === 'number' ? d : 1));
    const raw = model.settings.rawInputs?.includes(v.name);
    out[v.name] = { shape, data: new Float64Array(size(shape)), bits: raw ? 0 : model.settings.scaleBits };
  }
  return out;
}

/**
 * Inputs spread over each input's calibrated range (seeded, deterministic; integers for raw inputs): a sample
 * for laying out models whose reference fails on zeros (a runtime divisor, an 'error' table domain that
 * excludes the zero row).
 */
export function calibrationInputs(model: QuantizedModel, seed = 1): Record<string, QArr> {
  const out: Record<string, QArr> = {};
  let a = seed >>> 0;
  const rand = () => {
    a = (Math.imul(a, 1103515245) + 12345) >>> 0;
    return a / 2 ** 32;
  };
  for (const v of model.graph.inputs) {
    const shape = (v.shape ?? []).map((d) => (typeof d === 'number' ? d : 1));
    const [lo, hi] = model.settings.calibration[v.name] ?? [-1, 1];
    const raw = model.settings.rawInputs?.includes(v.name);
    const data = Float64Array.from({ length: size(shape) }, () => (raw ? Math.round(lo + (hi - lo) * rand()) : lo + (hi - lo) * rand()));
    out[v.name] = quantizeInput(v.name, { shape, data }, model.settings);
  }
  return out;
}

/**
 * A sample the model lays out on: zeros, else inputs over the calibrated ranges (the layout does not
 * depend on the values, so any sample the reference accepts will do). LoweringErrors are not retried.
 */
export function layoutInputs(model: QuantizedModel): Record<string, QArr> {
  let first: unknown;
  for (const sample of [() => zeroInputs(model), () => calibrationInputs(model, 1), () => calibrationInputs(model, 2)]) {
    const q = sample();
    try {
      evaluateIntQ(model, q);
      return q;
    } catch (e) {
      first ??= e;
    }
  }
  throw first;
}
