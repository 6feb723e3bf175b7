import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from '../command.ts';
import { progressBar } from '../progress.ts';

const MNIST_DIR = fileURLToPath(new URL('../../../examples/mnist/', import.meta.url));

export const demoCommand: Command = {
  name: 'demo',
  usage: 'demo [--sample N] [--json]',
  summary: 'compile, set up (dev SRS), prove and verify the bundled MNIST model on a sample digit',
  async run({ options }) {
    const [{ compile, prove, setup, verify }, { devSrs }] = await Promise.all([import('../../api/index.ts'), import('../../commit/index.ts')]);
    const log = options.json ? () => {} : (s: string) => console.log(s);
    const sampleIndex = Number(options.sample ?? 0);
    const sampleDir = join(MNIST_DIR, 'samples');
    const files = readdirSync(sampleDir).filter((f) => /^digit-\d+\.json$/.test(f)).sort();
    const labels = JSON.parse(readFileSync(join(sampleDir, 'labels.json'), 'utf8')) as Record<string, number>;
    const file = files[sampleIndex % files.length]!;

    let t = performance.now();
    // Calibrate on every bundled sample (one {"samples": [...]} text), as `zkml compile` would.
    const samples = files.map((f) => JSON.parse(readFileSync(join(sampleDir, f), 'utf8')));
    const { compiled, cost } = compile(join(MNIST_DIR, 'model.onnx'), { calibrationText: JSON.stringify({ samples }), calibrationFile: 'examples/mnist/samples' });
    const model = compiled.model;
    const compileMs = performance.now() - t;
    log(`compiled MNIST CNN: scale 2^${model.settings.scaleBits}, k = ${cost.k}, ${cost.rows} rows, ${compiled.width ?? 8} products × ${compiled.dotOutputs ?? 1} outputs per dot row`);

    console.error('WARNING: the demo uses a development SRS made from a secret known to this process (INSECURE; for demonstration only).');
    t = performance.now();
    const srs = await devSrs(cost.k);
    const srsMs = performance.now() - t;
    t = performance.now();
    const { pkBytes, vkBytes } = await setup(compiled, srs);
    const keygenMs = performance.now() - t;

    const { proofFile, timings } = await prove(compiled, pkBytes, readFileSync(join(sampleDir, file), 'utf8'), {
      inputFile: file,
      onProgress: options.json ? undefined : progressBar('proving'),
    });
    const logits = proofFile.outputs[0]!.values;
    const prediction = logits.indexOf(Math.max(...logits));
    t = performance.now();
    const result = await verify(JSON.stringify(proofFile), vkBytes);
    const verifyMs = performance.now() - t;

    const report = {
      verified: result.valid,
      prediction,
      label: labels[file] ?? null,
      sample: file,
      k: cost.k,
      rows: cost.rows,
      compile_ms: Math.round(compileMs),
      dev_srs_ms: Math.round(srsMs),
      keygen_ms: Math.round(keygenMs),
      witness_ms: Math.round(timings.witness_ms),
      prove_ms: Math.round(timings.prove_ms),
      pk_derive_ms: Math.round(timings.pk_derive_ms),
      verify_ms: +verifyMs.toFixed(1),
      proof_bytes: proofFile.proof.length / 2,
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    };
    if (options.json) console.log(JSON.stringify(report));
    else {
      log(`sample ${file}: predicted ${prediction}, label ${report.label}`);
      log(`compile ${report.compile_ms} ms, keygen ${report.keygen_ms} ms, witness ${report.witness_ms} ms, prove ${report.prove_ms} ms, verify ${report.verify_ms} ms`);
      log(`proof ${report.proof_bytes} bytes, peak memory ${report.peak_rss_mb} MB`);
      log(result.valid ? 'verified' : `NOT verified: ${result.reason}`);
    }
    return result.valid ? 0 : 1;
  },
};
