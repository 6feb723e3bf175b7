/**
 * Writes the generated models (scripts/examples/model-zoo.ts) as ONNX, checks each loads and runs in
 * onnxruntime-node, and records their sizes in <out>/models.json.
 *
 *   node --import tsx scripts/examples/generate-models.ts                 # examples/generated/, files ≤ 2 MB
 *   node --import tsx scripts/examples/generate-models.ts --out /tmp/m --all   # every model (MobileNets ≈ 3–11 MB)
 *
 * Files larger than --max-bytes are not written into the repo (git stays small); tests and benches build
 * them into a temporary directory instead (same seeds, byte-identical output).
 */
import * as ort from 'onnxruntime-node';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createHash } from 'node:crypto';
import { GENERATED_MODELS, type GeneratedModel } from './model-zoo.ts';

/** Runs the model once on a deterministic input; returns the output (throws if ORT rejects it). */
export async function runOnce(model: GeneratedModel, path: string): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(path);
  const n = model.input.shape.reduce((a, b) => a * b, 1);
  const x = Float32Array.from({ length: n }, (_, i) => ((i * 7919) % 1000) / 1000);
  const out = await session.run({ [model.input.name]: new ort.Tensor('float32', x, [...model.input.shape]) });
  const y = out[model.output.name];
  if (!y) throw new Error(`${model.name}: no output ${model.output.name}`);
  if (JSON.stringify(y.dims) !== JSON.stringify(model.output.shape)) throw new Error(`${model.name}: output dims [${y.dims}]`);
  const data = y.data as Float32Array;
  if (!data.every(Number.isFinite)) throw new Error(`${model.name}: non-finite output`);
  return data;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string', default: 'examples/generated' },
      all: { type: 'boolean', default: false },
      'max-bytes': { type: 'string', default: String(2 * 1024 * 1024) },
    },
  });
  const out = values.out as string;
  const maxBytes = values.all ? Infinity : Number(values['max-bytes']);
  mkdirSync(out, { recursive: true });
  const index = [];
  for (const { build } of GENERATED_MODELS) {
    const m = build();
    const file = `${m.name}.onnx`;
    const written = m.bytes.length <= maxBytes;
    const path = written ? join(out, file) : join(out, `.${file}.check`);
    writeFileSync(path, m.bytes);
    await runOnce(m, path);
    if (!written) {
      const { rmSync } = await import('node:fs');
      rmSync(path);
    }
    console.log(`${m.name}: ${(m.bytes.length / 1e6).toFixed(2)} MB, ${m.params} params, ${m.macs} MACs, runs in onnxruntime-node${written ? '' : ' (not written: too large, generate it)'}`);
    index.push({
      name: m.name,
      file,
      written_here: written,
      description: m.description,
      input: m.input,
      output: m.output,
      params: m.params,
      macs: m.macs,
      bytes: m.bytes.length,
      sha256: createHash('sha256').update(m.bytes).digest('hex'),
    });
  }
  writeFileSync(join(out, 'models.json'), JSON.stringify(index, null, 1) + '\n');
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
