/**
 * Trustless-audit benchmark (`npm run bench -- audit [--samples N] [--metric M] [--json]`): the bundled
 * MNIST CNN (calibrated on its sample digits) audited over the first N digits of its held-aside test split
 * (default N = 3, metric accuracy) with the dev SRS: audit-setup, the chained proofs, the audit's
 * verification, and for comparison in the same process one plain MNIST proof and one with the input
 * committed at the audit's k (each its second run, so its proving key is already kept, as it is for every
 * audit sample after the first).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { commitInputs, compile, prove, setup } from '../src/api/index.ts';
import { devSrs } from '../src/commit/index.ts';
import { auditClasses, auditK, auditSetup, parseAuditDataset, parseMetric, proveAudit, verifyAudit } from '../src/apps/audit/index.ts';
import { digitAsFloatInput, loadMnistTestSplit } from '../examples/mnist/test-split.ts';
import { median } from './median.ts';

const MNIST = resolve(fileURLToPath(new URL('../examples/mnist/model.onnx', import.meta.url)));

export async function run(opts: Record<string, string | true>): Promise<Record<string, unknown>> {
  const n = Number(opts.samples ?? 3);
  if (!Number.isInteger(n) || n < 1) throw new Error('--samples must be a positive integer');
  const metric = parseMetric(opts.metric ?? 'accuracy');
  const log = (s: string) => console.error(`[bench audit] ${s}`);
  const dir = join(dirname(MNIST), 'samples');
  const digits = readdirSync(dir).filter((f) => /^digit-\d+\.json$/.test(f)).sort().map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')));
  const { compiled } = compile(MNIST, { calibrationText: JSON.stringify({ samples: digits }), calibrationFile: 'samples' });

  // One plain proof (twice: the second reuses the derived key forms, as audit samples after the first do).
  const plain = await setup(compiled, await devSrs(compiled.k));
  const plainInput = JSON.stringify(digits[0]);
  const plainMs: number[] = [];
  for (let r = 0; r < 2; r++) plainMs.push((await prove(compiled, plain.pkBytes, plainInput)).timings.prove_ms);
  log(`plain MNIST proof ${Math.round(plainMs[1]!)} ms (k = ${compiled.k})`);
  // The same with the input committed (compile --committed-inputs): what an audit proof costs without its head.
  const name = compiled.model.graph.inputs[0]!.name;
  const committed = { ...compiled, k: auditK(compiled, metric), visibility: { [name]: 'committed' as const } };
  const ck = await setup(committed, await devSrs(committed.k));
  const { opening } = commitInputs(committed, plainInput);
  const committedMs: number[] = [];
  for (let r = 0; r < 2; r++) committedMs.push((await prove(committed, ck.pkBytes, plainInput, { opening })).timings.prove_ms);
  log(`committed-input MNIST proof ${Math.round(committedMs[1]!)} ms`);

  const split = loadMnistTestSplit();
  if (n > split.count) throw new Error(`--samples ${n}: the test split has ${split.count} digits`);
  const data = { samples: Array.from({ length: n }, (_, i) => ({ input: Array.from(digitAsFloatInput(split, i)) })), labels: split.labels.slice(0, n) };
  const dataset = parseAuditDataset(compiled, JSON.stringify(data), 'test split', auditClasses(compiled));
  const ts = performance.now();
  const { k, pkBytes, vkBytes } = await auditSetup(compiled, metric, { dev: true });
  const setupMs = performance.now() - ts;
  log(`audit setup ${Math.round(setupMs)} ms (k = ${k})`);
  const { audit, timings } = await proveAudit(compiled, pkBytes, dataset, metric, { onSample: (d, t) => log(`sample ${d}/${t}`) });
  const text = JSON.stringify(audit);
  const tv = performance.now();
  const v = await verifyAudit(text, vkBytes);
  const verifyMs = performance.now() - tv;
  if (!v.valid) throw new Error(`the audit did not verify: ${v.reason}`);
  return {
    model: 'examples/mnist/model.onnx',
    metric,
    verified: v.valid,
    samples: n,
    result: audit.result,
    k,
    plain_k: compiled.k,
    audit_setup_ms: Math.round(setupMs),
    prove_ms: Math.round(timings.prove_ms),
    per_sample_ms: Math.round(timings.prove_ms / n),
    per_sample_ms_after_first: n > 1 ? Math.round(median(timings.per_sample_ms.slice(1))) : null,
    per_sample_proof_ms: Math.round(median(timings.proof_ms)),
    // The rest of a sample after the first: reading pk.bin, the witness, the circuit digest and key assembly.
    per_sample_stages_ms: Object.fromEntries(
      (['pk_read_ms', 'witness_ms', 'pk_derive_ms'] as const).map((k) => [k, Math.round(median(timings.stages.slice(n > 1 ? 1 : 0).map((t) => t[k])))]),
    ),
    plain_prove_ms: Math.round(plainMs[1]!),
    committed_input_prove_ms: Math.round(committedMs[1]!),
    verify_ms: +verifyMs.toFixed(1),
    proof_bytes: audit.proofs.reduce((a, p) => a + p.proof.length / 2, 0),
    audit_file_bytes: text.length,
  };
}
