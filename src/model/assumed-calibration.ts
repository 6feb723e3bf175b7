/**
 * Calibration when the user brings no data. Quantization needs a scale, each input's accepted range, the
 * bounds of every intermediate value and each lookup table's domain; without samples we assume them:
 * - scale 2^{@link DEFAULT_SCALE_BITS} (unless a scale is given);
 * - each float input in {@link DEFAULT_INPUT_RANGE} (or the range the caller gives), accepted with the usual
 *   slack (QuantSettings.inputRangeSlack: one range width beyond each end);
 * - each integer input (indices) in [0, n − 1] when it indexes a Gather over an axis of n, else [0, 1];
 * - intermediate bounds and table domains from evaluating the model on {@link DEFAULT_SAMPLE_COUNT} seeded
 *   random inputs in those ranges: half uniform, half at the corners (each element at one end).
 * The result records what was assumed so the caller can say so, and how to calibrate instead.
 */
import type { Arr } from '../layers/types.ts';
import { size } from '../layers/shape-util.ts';
import type { Graph, ValueInfo } from '../graph/ir.ts';
import { InputError } from '../graph/errors.ts';

/** Scale exponent assumed when no calibration data (and no scale) is given: 2^7 = 128 steps per unit. */
export const DEFAULT_SCALE_BITS = 7;
/** Range assumed for every float input when no calibration data is given. */
export const DEFAULT_INPUT_RANGE: readonly [number, number] = [-1, 1];
/** Number of synthetic samples the intermediate bounds are measured on. */
export const DEFAULT_SAMPLE_COUNT = 8;

/** What was assumed in place of calibration data. */
export interface AssumedCalibration {
  scaleBits: number;
  /** Real range assumed per graph input (before the acceptance slack). */
  inputRanges: Record<string, [number, number]>;
  /** Synthetic samples evaluated for the intermediate bounds and table domains. */
  samples: number;
}

const isIntType = (v: ValueInfo): boolean => v.dtype !== 'float32';

/** The range assumed for input `v`: an integer input that indexes a Gather covers that axis, else a default. */
export function assumedInputRange(graph: Graph, v: ValueInfo, floatRange: readonly [number, number] = DEFAULT_INPUT_RANGE): [number, number] {
  if (!isIntType(v)) return [floatRange[0], floatRange[1]];
  if (v.dtype === 'bool') return [0, 1];
  let n = Infinity;
  for (const node of graph.nodes) {
    if (node.op !== 'Gather' || node.inputs[1] !== v.name) continue;
    const data = graph.initializers[node.inputs[0]!]?.shape ?? graph.valueInfo[node.inputs[0]!]?.shape;
    const axisAttr = node.attrs.axis;
    const axis = axisAttr?.type === 'int' ? axisAttr.value : 0;
    const d = data?.[axis < 0 ? axis + data.length : axis];
    if (typeof d === 'number') n = Math.min(n, d);
  }
  return Number.isFinite(n) && n >= 1 ? [0, n - 1] : [0, 1];
}

/** Seeded uniform numbers in [0, 1) (LCG; deterministic so a compile is reproducible). */
function uniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    return a / 2 ** 32;
  };
}

/**
 * `count` synthetic samples over the given input ranges: even-numbered ones uniform in the range, odd ones
 * at its corners (each element at one end). Integer inputs get integers.
 */
export function syntheticSamples(graph: Graph, ranges: Record<string, [number, number]>, count = DEFAULT_SAMPLE_COUNT, seed = 1): Record<string, Arr>[] {
  const rand = uniform(seed);
  const out: Record<string, Arr>[] = [];
  for (let k = 0; k < count; k++) {
    const sample: Record<string, Arr> = {};
    for (const v of graph.inputs) {
      const shape = (v.shape ?? []).map((d) => (typeof d === 'number' ? d : 1));
      const [lo, hi] = ranges[v.name]!;
      const int = isIntType(v);
      const data = Float64Array.from({ length: size(shape) }, () => {
        const t = k % 2 === 0 ? rand() : rand() < 0.5 ? 0 : 1;
        const x = lo + (hi - lo) * t;
        return int ? Math.min(hi, Math.round(x)) : x;
      });
      sample[v.name] = { shape, data };
    }
    out.push(sample);
  }
  return out;
}

/**
 * Input ranges to assume for `graph`: `floatRange` (default [−1, 1]) for float inputs, see
 * {@link assumedInputRange} for integer ones. InputError for an empty or reversed range.
 */
export function assumedRanges(graph: Graph, floatRange: readonly [number, number] = DEFAULT_INPUT_RANGE): Record<string, [number, number]> {
  const [lo, hi] = floatRange;
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi)) throw new InputError(graph.inputs[0]?.name ?? 'input', `assumed input range [${lo}, ${hi}] must be finite with lo < hi`);
  return Object.fromEntries(graph.inputs.map((v) => [v.name, assumedInputRange(graph, v, floatRange)]));
}

/** The calibration note a front end prints: what was assumed and how to calibrate instead. */
export function describeAssumed(a: AssumedCalibration, slack: number): string {
  const ranges = Object.entries(a.inputRanges).map(([name, [lo, hi]]) => {
    const w = hi - lo;
    return `${name} in [${lo}, ${hi}] (accepted [${lo - slack * w}, ${hi + slack * w}])`;
  });
  return (
    `no calibration data: assumed scale 2^${a.scaleBits}, inputs ${ranges.join(', ')}, activation bounds and table domains ` +
    `from ${a.samples} random samples in those ranges; for accuracy on real data pass --calibrate samples.json ` +
    `(other ranges: --input-range=LO,HI; other scale: --scale-bits N)`
  );
}
