/**
 * Runs a model with onnxruntime-node (the float cross-check of the evaluators). Not for hot paths.
 * onnxruntime-node (a native library) is loaded on first use, so importing the model layer stays cheap for
 * commands that never cross-check.
 */
import type * as Ort from 'onnxruntime-node';
import type { Arr } from '../layers/types.ts';

let ortModule: Promise<typeof Ort> | null = null;
const loadOrt = (): Promise<typeof Ort> => (ortModule ??= import('onnxruntime-node'));

/** An onnxruntime session over model bytes. */
export async function ortSession(bytes: Uint8Array): Promise<Ort.InferenceSession> {
  const ort = await loadOrt();
  return ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'disabled', intraOpNumThreads: 1 });
}

/** Runs `session` on float32 inputs; returns every output as float64. */
export async function runOrt(session: Ort.InferenceSession, inputs: Record<string, Arr>): Promise<Record<string, Arr>> {
  const ort = await loadOrt();
  const feeds: Record<string, Ort.Tensor> = {};
  for (const [k, v] of Object.entries(inputs)) feeds[k] = new ort.Tensor('float32', Float32Array.from(v.data), v.shape);
  const res = await session.run(feeds);
  const out: Record<string, Arr> = {};
  for (const [k, t] of Object.entries(res)) {
    const d = t.data as ArrayLike<number | bigint>;
    out[k] = { shape: [...t.dims], data: Float64Array.from(d, (x) => Number(x)) };
  }
  return out;
}
