/**
 * audit.json: the proofs of an audit and what they establish.
 *
 *   {format: 'zkml-audit', version: 1, model, metric, classes, samples,
 *    dataset_commitment, labels_commitment,      the chains of the proofs' input and label commitments
 *    counts, counts_salt,                        the opening of the last proof's counts commitment
 *    result,                                     the metric, derived from counts (metric.ts metricResult)
 *    proofs: [<zkml-proof file>, …]}             one per sample, in dataset order
 *
 * Commitments and salts are 0x-prefixed 64-digit hex. The reader checks the structure only; what the
 * values mean is the verifier's (verify.ts).
 */
import { FormatError } from '../../errors.ts';
import { FR_MODULUS } from '../../scalar/fr.ts';
import type { ProofFile } from '../../api/proof-file.ts';
import { parseMetric, type AuditMetric, type AuditResult } from './metric.ts';

export const AUDIT_FORMAT = 'zkml-audit';
export const AUDIT_VERSION = 1;

export interface AuditFile {
  format: typeof AUDIT_FORMAT;
  version: typeof AUDIT_VERSION;
  model: string;
  metric: AuditMetric;
  classes: number;
  samples: number;
  dataset_commitment: string;
  labels_commitment: string;
  counts: number[];
  counts_salt: string;
  result: AuditResult;
  proofs: ProofFile[];
}

const KEYS = ['format', 'version', 'model', 'metric', 'classes', 'samples', 'dataset_commitment', 'labels_commitment', 'counts', 'counts_salt', 'result', 'proofs'];

/** 0x-prefixed 64-digit hex of a field element. */
export const hex32 = (v: bigint): string => `0x${v.toString(16).padStart(64, '0')}`;

/** A 0x-hex field element of the file, or a FormatError naming `what`. */
export function fieldOf(v: unknown, path: string, what: string): bigint {
  if (typeof v !== 'string' || !/^0x[0-9a-f]{64}$/.test(v)) throw new FormatError(path, `${what} must be a 0x-prefixed 64-digit lowercase hex field element`);
  const x = BigInt(v);
  if (x >= FR_MODULUS) throw new FormatError(path, `${what} is not below the BN254 scalar field modulus`);
  return x;
}

/** Reads audit.json (structure only). */
export function parseAuditFile(text: string, path: string): AuditFile {
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch {
    throw new FormatError(path, 'not an audit file (expected JSON)');
  }
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw new FormatError(path, 'not an audit file');
  const o = obj as Record<string, unknown>;
  if (o.format !== AUDIT_FORMAT) throw new FormatError(path, `not an audit file (format is ${JSON.stringify(o.format)})`);
  if (o.version !== AUDIT_VERSION) throw new FormatError(path, `audit file version ${JSON.stringify(o.version)}, this build reads ${AUDIT_VERSION}`);
  const extra = Object.keys(o).filter((k) => !KEYS.includes(k));
  if (extra.length) throw new FormatError(path, `fields nothing checks: ${extra.join(', ')}`);
  if (typeof o.model !== 'string') throw new FormatError(path, 'model must be a string');
  let metric: AuditMetric;
  try {
    metric = parseMetric(o.metric);
  } catch (e) {
    throw new FormatError(path, (e as Error).message.replace('--metric', 'metric'));
  }
  if (!Number.isSafeInteger(o.classes) || (o.classes as number) < 2) throw new FormatError(path, 'classes must be an integer ≥ 2');
  if (!Array.isArray(o.proofs) || o.proofs.length === 0) throw new FormatError(path, 'proofs must be a non-empty array');
  if (o.samples !== o.proofs.length) throw new FormatError(path, `samples is ${JSON.stringify(o.samples)} but the file holds ${o.proofs.length} proofs`);
  fieldOf(o.dataset_commitment, path, 'dataset_commitment');
  fieldOf(o.labels_commitment, path, 'labels_commitment');
  fieldOf(o.counts_salt, path, 'counts_salt');
  if (!Array.isArray(o.counts) || !o.counts.every((c) => Number.isSafeInteger(c) && c >= 0)) throw new FormatError(path, 'counts must be a list of non-negative integers');
  if (!o.result || typeof o.result !== 'object') throw new FormatError(path, 'result must be an object');
  if (!o.proofs.every((p) => p && typeof p === 'object' && !Array.isArray(p))) throw new FormatError(path, 'every proof must be a proof-file object');
  return o as unknown as AuditFile;
}
