/** Runs a model with onnxruntime-node (the float cross-check of the evaluators). Not for hot paths. */
import * as ort from 'onnxruntime-node';
import type { Arr } from '../layers/types.ts';

/** An onnxruntime session over model bytes. */
export async function ortSession(bytes: Uint8Array): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'disabled', intraOpNumThreads: 1 });
}

/** Runs `session` on float32 inputs; returns every output as float64. */
export async function runOrt(session: ort.InferenceSession, inputs: Record<string, Arr>): Promise<Record<string, Arr>> {
  const feeds: Record<string, ort.Tensor> = {};
  for (const [k, v] of Object.entries(inputs)) feeds[k] = new ort.Tensor('float32', Float32Array.from(v.data), v.shape);
  const res = await session.run(feeds);
  const out: Record<string, Arr> = {};
  for (const [k, t] of Object.entries(res)) {
    const d = t.data as ArrayLike<number | bigint>;
    out[k] = { shape: [...t.dims], data: Float64Array.from(d, (x) => Number(x)) };
  }
  return out;
}
