/**
 * Proving an audit: one proof of the audit circuit (circuit.ts) per sample, in dataset order, each
 * committing to the sample's input and label under salts derived from the dataset's seed (salts.ts) and carrying the counts from the previous
 * proof's commitment to a new one (the first from the public zeros commitment, chain.ts). The proofs run
 * through the library's prove, so the proving key's forms are derived once and reused for every sample.
 */
import { InvalidArgumentError } from '../../errors.ts';
import { commitTensor, randomSalt } from '../../commit/tensor-commitment.ts';
import { commitInputs, parsePkFile, prove, type ProofFile, type ProveTimings } from '../../api/index.ts';
import type { CompiledModel } from '../../api/zkc.ts';
import { chainCommitment } from './chain.ts';
import { auditClasses, auditCompiled } from './circuit.ts';
import type { AuditDataset } from './dataset.ts';
import { AUDIT_FORMAT, AUDIT_VERSION, hex32, type AuditFile } from './file.ts';
import { auditHead, type HeadOutcome } from './head.ts';
import { newSeed, sampleSalt } from './salts.ts';
import { addSample, countsLength, metricResult, type AuditMetric } from './metric.ts';

export interface AuditProveOptions {
  /** pk.bin's path, for errors. */
  pkPath?: string;
  /** Called after each sample's proof (done of total). */
  onSample?: (done: number, total: number) => void;
  /**
   * The seed the input and label salts derive from (salts.ts; dataset-opening.json of zkml audit-commit),
   * so the audit states the commitments published for the dataset. Default: a fresh random seed.
   */
  seed?: bigint;
  /** Draws the salts of the intermediate counts (default: uniformly random). */
  salt?: () => bigint;
}

/** Per-sample and total proving time. */
export interface AuditTimings {
  /** Wall time of the whole audit, and of each sample (witness, key forms, proof, commitments). */
  prove_ms: number;
  per_sample_ms: number[];
  /** The proof alone of each sample (the library prove's prove_ms: no witness, no key forms). */
  proof_ms: number[];
  /** The library prove's stages for each sample (reading pk.bin, witness, circuit digest and key, proof). */
  stages: ProveTimings[];
}

/**
 * Proves `metric` of the model over the dataset with the audit circuit's pk.bin (zkml audit-setup). Returns
 * the audit file (nothing is written) and the timings.
 */
export async function proveAudit(
  compiled: CompiledModel,
  pkFileBytes: Uint8Array,
  dataset: AuditDataset,
  metric: AuditMetric,
  opts: AuditProveOptions = {},
): Promise<{ audit: AuditFile; timings: AuditTimings }> {
  const pkPath = opts.pkPath ?? 'pk.bin';
  const draw = opts.salt ?? randomSalt;
  const seed = opts.seed ?? newSeed();
  const classes = auditClasses(compiled);
  const { vk } = await parsePkFile(pkFileBytes, pkPath);
  let counts = new Array<number>(countsLength(metric, classes)).fill(0);
  let countsSalt = 0n;
  const inputCommitments: bigint[] = [];
  const labelCommitments: bigint[] = [];
  const proofs: ProofFile[] = [];
  const perSample: number[] = [];
  const proofMs: number[] = [];
  const stages: ProveTimings[] = [];
  const n = dataset.samples.length;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const ts = performance.now();
    const sample = dataset.samples[i]!;
    const label = dataset.labels[i]!;
    const outcome: HeadOutcome = {};
    const w = { label, labelSalt: sampleSalt(seed, i, 0), before: counts, beforeSalt: countsSalt, afterSalt: draw() };
    const c = auditCompiled(compiled, metric, vk.k, auditHead(metric, classes, w, outcome));
    const inputFile = `sample ${i}`;
    let slot = 1;
    const { opening, commitment } = commitInputs(c, sample.text, { inputFile, salt: () => sampleSalt(seed, i, slot++) });
    let proofFile: ProofFile;
    try {
      const r = await prove(c, pkFileBytes, sample.text, { inputFile, pkPath, opening });
      proofFile = r.proofFile;
      proofMs.push(r.timings.prove_ms);
      stages.push(r.timings);
    } catch (e) {
      if (e instanceof InvalidArgumentError && /different circuit/.test(e.message))
        throw new InvalidArgumentError(`${pkPath} is not the ${metric} audit key of this model (make it with zkml audit-setup <model.zkc> --metric ${metric})`);
      throw e;
    }
    const next = addSample(metric, classes, counts, label, outcome.pred!);
    if (outcome.after?.join() !== next.join()) throw new Error(`internal: audit head counts ${outcome.after} differ from the reference ${next}`);
    inputCommitments.push(...commitment.tensors.map((t) => BigInt(t.commitment)));
    labelCommitments.push(commitTensor([label], w.labelSalt));
    proofs.push(proofFile);
    counts = next;
    countsSalt = w.afterSalt;
    perSample.push(performance.now() - ts);
    opts.onSample?.(i + 1, n);
  }
  const audit: AuditFile = {
    format: AUDIT_FORMAT,
    version: AUDIT_VERSION,
    model: proofs[0]!.model,
    metric,
    classes,
    samples: n,
    dataset_commitment: hex32(chainCommitment(inputCommitments)),
    labels_commitment: hex32(chainCommitment(labelCommitments)),
    counts,
    counts_salt: hex32(countsSalt),
    result: metricResult(metric, classes, counts, n),
    proofs,
  };
  return { audit, timings: { prove_ms: performance.now() - t0, per_sample_ms: perSample, proof_ms: proofMs, stages } };
}
