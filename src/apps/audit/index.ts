/**
 * Trustless audit: a chain of proofs that a model reaches a metric on a committed, labelled dataset.
 *
 * - metric.ts: the metrics as integer counts (the reference) and the values derived from them;
 * - head.ts: the circuit after the model: argmax, label, counts update, commitments;
 * - circuit.ts: the compiled model as its audit circuit (inputs committed, output private, the head);
 * - chain.ts: the dataset, labels and initial-counts commitments;
 * - dataset.ts, file.ts: the dataset file and audit.json;
 * - salts.ts, dataset-commitment.ts: the dataset's salts from one seed, and its commitment before an audit;
 * - setup.ts, prove.ts, verify.ts: keys, the proofs, the verifier.
 */
export { AUDIT_METRICS, metricResult, parseMetric, referenceCounts, argmaxFirst, type AuditMetric, type AuditResult } from './metric.ts';
export { auditClasses, auditCompiled, auditK, auditModelName } from './circuit.ts';
export { parseAuditDataset, type AuditDataset } from './dataset.ts';
export { AUDIT_FORMAT, parseAuditFile, type AuditFile } from './file.ts';
export { newSeed } from './salts.ts';
export { commitDataset, datasetOpening, parseDatasetCommitment, parseDatasetOpening, type DatasetCommitment, type DatasetOpening } from './dataset-commitment.ts';
export { auditSetup } from './setup.ts';
export { proveAudit, type AuditProveOptions, type AuditTimings } from './prove.ts';
export { verifyAudit, type AuditVerifyResult } from './verify.ts';
