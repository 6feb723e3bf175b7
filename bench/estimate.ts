/**
 * Cost estimates for models too large to prove here (`npm run bench -- estimate <model.onnx>... [--json]`):
 * each model is imported, calibrated on seeded random inputs in [0, 1), quantized, laid out (the circuit
 * is built on layout inputs; nothing is proved) and priced by the cost model for this machine
 * (src/compiler/cost-model.ts). A model that cannot be lowered reports the reason instead.
 */
import { basename } from 'node:path';
import { parseArgs } from '../src/cli/command.ts';
import { estimateModelCost } from '../src/compiler/index.ts';
import { predictCost } from '../src/compiler/cost-model.ts';
import { loadModel, quantizeModel, type Graph } from '../src/model/index.ts';
import type { Arr } from '../src/layers/types.ts';

/** Deterministic uniform [0, 1) samples for every graph input (static shapes). */
function randomSamples(graph: Graph, count: number, seed = 1): Record<string, Arr>[] {
  let s = seed >>> 0;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  return Array.from({ length: count }, () => {
    const sample: Record<string, Arr> = {};
    for (const v of graph.inputs) {
      const shape = (v.shape ?? []).map(Number);
      if (shape.some((d) => !Number.isInteger(d) || d < 1)) throw new Error(`${v.name}: dynamic shape [${v.shape}]`);
      const n = shape.reduce((a, b) => a * b, 1);
      sample[v.name] = { shape, data: Float64Array.from({ length: n }, next) };
    }
    return sample;
  });
}

export async function run(opts: Record<string, string | true>): Promise<Record<string, unknown>> {
  const { positionals } = parseArgs(process.argv.slice(2));
  const files = positionals.slice(1);
  if (files.length === 0) throw new Error('usage: npm run bench -- estimate <model.onnx|model.msgpack>... [--scale-bits N] [--json]');
  const scaleBits = opts['scale-bits'] !== undefined ? Number(opts['scale-bits']) : undefined;
  const models: Record<string, unknown>[] = [];
  for (const file of files) {
    const t = performance.now();
    try {
      const { graph } = loadModel(file);
      const model = quantizeModel(graph, randomSamples(graph, 4), scaleBits !== undefined ? { scaleBits } : {});
      const stats = estimateModelCost(model);
      const p = predictCost(stats);
      models.push({
        model: basename(file),
        scale_bits: model.settings.scaleBits,
        rows: stats.rows,
        k: stats.k,
        advice: stats.advice,
        fixed: stats.fixed,
        lookups: stats.lookups,
        copies: stats.copies,
        predicted_prove_ms: p.prove_ms,
        predicted_keygen_ms: p.keygen_ms,
        predicted_peak_rss_mb: p.peak_rss_mb,
        predicted_proof_bytes: p.proof_bytes,
        estimate_ms: Math.round(performance.now() - t),
      });
    } catch (e) {
      models.push({ model: basename(file), error: (e as Error).message });
    }
    console.error(`[bench estimate] ${JSON.stringify(models.at(-1))}`);
  }
  return { models };
}
