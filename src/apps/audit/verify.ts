/**
 * Verifying an audit file against the audit circuit's verifying key. Valid when:
 *   - the key is an audit key for the file's metric and classes (its layout: the input commitments, then
 *     the head's label, counts-before and counts-after commitments, nothing else public);
 *   - every proof verifies under it (api/proof-file.ts verify, labels included);
 *   - the first proof's counts-before is the public zeros commitment and each next one is the previous
 *     proof's counts-after (chain.ts), so the proofs form one unbroken chain in the file's order;
 *   - the counts and counts_salt open the last counts-after, and the result is what they give;
 *   - the dataset and labels commitments are the chains of the proofs' input and label commitments (and,
 *     when given, those published for the dataset by zkml audit-commit).
 * The verifier learns those two commitments, the sample count and the counts (the metric); the inputs,
 * labels, predictions and intermediate counts stay behind their salted commitments.
 */

import { commitTensor } from '../../commit/tensor-commitment.ts';
import { deserializeVk } from '../../plonk/encoding/vk.ts';
import { decodeModelMeta } from '../../api/public-values.ts';
import { verify } from '../../api/proof-file.ts';
import { chainCommitment, initialCountsCommitment } from './chain.ts';
import { fieldOf, hex32, parseAuditFile, type AuditFile } from './file.ts';
import { headNames } from './head.ts';
import type { DatasetCommitment } from './dataset-commitment.ts';
import { countsLength, metricResult } from './metric.ts';

export interface AuditVerifyResult {
  valid: boolean;
  reason?: string;
  /** What the audit establishes (valid audits only). */
  audit?: Omit<AuditFile, 'proofs' | 'format' | 'version' | 'counts_salt'>;
}

/** Verifies audit.json text against vk.bin bytes (FormatError when either cannot be read). */
export async function verifyAudit(
  text: string,
  vkBytes: Uint8Array,
  paths: { audit?: string; vk?: string } = {},
  /** The dataset's published commitment (zkml audit-commit): the audit must be over that dataset. */
  expected?: DatasetCommitment,
): Promise<AuditVerifyResult> {
  const path = paths.audit ?? 'audit.json';
  const vkPath = paths.vk ?? 'vk.bin';
  const file = parseAuditFile(text, path);
  const vk = await deserializeVk(vkBytes, vkPath);
  const meta = decodeModelMeta(vk.meta, vkPath);
  const invalid = (reason: string): AuditVerifyResult => ({ valid: false, reason });
  const names = headNames(file.metric, file.classes);
  const layout = meta?.layout ?? [];
  const head = layout.slice(-3).map((t) => t.name);
  if (!meta || layout.length < 4 || layout.some((t) => t.kind !== 'commitment') || head.join('\n') !== [names.label, names.before, names.after].join('\n'))
    return invalid(`the verifying key is not an audit key for ${file.metric} over ${file.classes} classes`);
  if (file.model !== meta.model) return invalid(`the file's model '${file.model}' differs from the verifying key's '${meta.model}'`);
  const m = countsLength(file.metric, file.classes);
  if (file.counts.length !== m) return invalid(`${file.counts.length} counts, ${file.metric} over ${file.classes} classes has ${m}`);
  const inputs: bigint[] = [];
  const labels: bigint[] = [];
  let previous = initialCountsCommitment(m);
  for (let i = 0; i < file.proofs.length; i++) {
    const r = await verify(JSON.stringify(file.proofs[i]), vkBytes, { proof: `${path} proof ${i}`, vk: vkPath });
    if (!r.valid) return invalid(`proof ${i}: ${r.reason ?? 'invalid'}`);
    const c = (r.public ?? []).map((p) => BigInt(p.commitment!));
    const [label, before, after] = c.slice(-3) as [bigint, bigint, bigint];
    if (before !== previous)
      return invalid(i === 0 ? 'proof 0 does not start from zero counts' : `proof ${i} does not continue proof ${i - 1}'s counts (proofs swapped, dropped or from another audit)`);
    inputs.push(...c.slice(0, -3));
    labels.push(label);
    previous = after;
  }
  if (commitTensor(file.counts, fieldOf(file.counts_salt, path, 'counts_salt')) !== previous) return invalid('the counts do not open the last proof\'s counts commitment');
  const result = metricResult(file.metric, file.classes, file.counts, file.samples);
  if (JSON.stringify(result) !== JSON.stringify(file.result)) return invalid(`the stated result differs from the one the counts give: ${JSON.stringify(result)}`);
  const dataset = hex32(chainCommitment(inputs));
  if (dataset !== file.dataset_commitment) return invalid(`the dataset commitment is not the chain of the proofs' input commitments (${dataset})`);
  const labelsC = hex32(chainCommitment(labels));
  if (labelsC !== file.labels_commitment) return invalid(`the labels commitment is not the chain of the proofs' label commitments (${labelsC})`);
  if (expected && (expected.samples !== file.samples || expected.dataset_commitment !== file.dataset_commitment || expected.labels_commitment !== file.labels_commitment))
    return invalid('the audit is not over the expected dataset (its sample count, dataset or labels commitment differs)');
  const { proofs: _p, format: _f, version: _v, counts_salt: _s, ...audit } = file;
  return { valid: true, audit };
}

