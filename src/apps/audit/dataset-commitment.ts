/**
 * Committing to a dataset before it is audited (`zkml audit-commit`): the dataset and labels commitments
 * that an audit under the same seed reproduces (salts.ts, chain.ts), in two files:
 *
 *   dataset-commitment.json  {format: 'zkml-dataset-commitment', version, scheme, samples,
 *                             dataset_commitment, labels_commitment}            public: publish it
 *   dataset-opening.json     {format: 'zkml-dataset-opening', version, scheme, seed}     the owner's (0600)
 */
import { FormatError } from '../../errors.ts';
import { commitTensor, TENSOR_COMMITMENT_SCHEME } from '../../commit/tensor-commitment.ts';
import { chainCommitment } from './chain.ts';
import type { AuditDataset } from './dataset.ts';
import { fieldOf, hex32 } from './file.ts';
import { sampleSalt } from './salts.ts';

export const DATASET_COMMITMENT_FORMAT = 'zkml-dataset-commitment';
export const DATASET_OPENING_FORMAT = 'zkml-dataset-opening';
const VERSION = 1;

export interface DatasetCommitment {
  format: typeof DATASET_COMMITMENT_FORMAT;
  version: typeof VERSION;
  scheme: string;
  samples: number;
  dataset_commitment: string;
  labels_commitment: string;
}

export interface DatasetOpening {
  format: typeof DATASET_OPENING_FORMAT;
  version: typeof VERSION;
  scheme: string;
  /** The secret seed every salt of the dataset's commitments derives from (0x hex). */
  seed: string;
}

/** The dataset and labels commitments of `dataset` under `seed` (what an audit with that seed states). */
export function commitDataset(dataset: AuditDataset, seed: bigint): DatasetCommitment {
  const inputs: bigint[] = [];
  const labels: bigint[] = [];
  dataset.samples.forEach((s, i) => {
    // Slots in the order the sample's inputs were read (the order proving commits them in).
    Object.values(s.inputs).forEach((q, j) => inputs.push(commitTensor(Array.from(q.data, BigInt), sampleSalt(seed, i, 1 + j))));
    labels.push(commitTensor([dataset.labels[i]!], sampleSalt(seed, i, 0)));
  });
  return {
    format: DATASET_COMMITMENT_FORMAT,
    version: VERSION,
    scheme: TENSOR_COMMITMENT_SCHEME,
    samples: dataset.samples.length,
    dataset_commitment: hex32(chainCommitment(inputs)),
    labels_commitment: hex32(chainCommitment(labels)),
  };
}

function parseHead(text: string, path: string, format: string): Record<string, unknown> {
  let o: unknown;
  try {
    o = JSON.parse(text);
  } catch (e) {
    throw new FormatError(path, `not valid JSON (${(e as Error).message})`);
  }
  if (!o || typeof o !== 'object' || Array.isArray(o) || (o as { format?: unknown }).format !== format) throw new FormatError(path, `not a ${format} file`);
  const r = o as Record<string, unknown>;
  if (r.version !== VERSION) throw new FormatError(path, `${format} version ${JSON.stringify(r.version)}, this build reads ${VERSION}`);
  if (r.scheme !== TENSOR_COMMITMENT_SCHEME) throw new FormatError(path, `commitment scheme ${JSON.stringify(r.scheme)}, this build uses ${TENSOR_COMMITMENT_SCHEME}`);
  return r;
}

/** Reads dataset-commitment.json (validated). */
export function parseDatasetCommitment(text: string, path: string): DatasetCommitment {
  const r = parseHead(text, path, DATASET_COMMITMENT_FORMAT);
  if (!Number.isSafeInteger(r.samples) || (r.samples as number) < 1) throw new FormatError(path, 'samples must be a positive integer');
  fieldOf(r.dataset_commitment, path, 'dataset_commitment');
  fieldOf(r.labels_commitment, path, 'labels_commitment');
  return r as unknown as DatasetCommitment;
}

/** Reads dataset-opening.json: the seed. */
export function parseDatasetOpening(text: string, path: string): bigint {
  return fieldOf(parseHead(text, path, DATASET_OPENING_FORMAT).seed, path, 'seed');
}

/** The opening file of `seed`. */
export function datasetOpening(seed: bigint): DatasetOpening {
  return { format: DATASET_OPENING_FORMAT, version: VERSION, scheme: TENSOR_COMMITMENT_SCHEME, seed: hex32(seed) };
}
