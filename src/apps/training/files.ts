/**
 * The files of a proof of training. Inputs (checked once, here, into typed values; errors name the file,
 * field and index):
 *   weights.json   {w1: D×H reals, b1: H, w2: H×C, b2: C}         quantized as round(v·2^s) (Math.round: half up)
 *   dataset.json   {inputs: N×D reals, labels: N integers in [0, C)}
 *   opening.json   what train-prove writes for the owner: it continues a chain where the last one ended
 * Outputs:
 *   training.json  {format: 'zkml-training', version, config, steps, initial_weights_commitment,
 *                   final_weights_commitment, batches_commitment, proofs: [{weights_before, batch,
 *                   weights_after, proof (hex)}]}                 public
 *   opening.json   {format: 'zkml-training-opening', version, config, weights_commitment, weights_salt,
 *                   weights (integers), next_step, weights_salts, batch_salts}   the owner's (mode 0600): opens the
 *                   final weights commitment, and with the data every intermediate weights commitment
 *                   (weights_salts[t]: before step t; the last is weights_salt) and batch commitment;
 *                   next_step: the dataset position a continued run starts from
 * Commitments and salts are 0x-prefixed 64-digit hex field elements.
 */
import { FormatError, InvalidArgumentError } from '../../errors.ts';
import { packedCommitment } from './commitment.ts';
import { fieldOf, hex32 } from '../audit/file.ts';
import { checkConfig, flattenWeights, type IntBatch, type IntWeights, type TrainConfig } from './reference.ts';

export { fieldOf, hex32 };

export const TRAINING_FORMAT = 'zkml-training';
export const TRAINING_OPENING_FORMAT = 'zkml-training-opening';
export const TRAINING_VERSION = 1;

export interface StepProof {
  weights_before: string;
  batch: string;
  weights_after: string;
  proof: string;
}

export interface TrainingFile {
  format: typeof TRAINING_FORMAT;
  version: typeof TRAINING_VERSION;
  config: TrainConfig;
  steps: number;
  initial_weights_commitment: string;
  final_weights_commitment: string;
  batches_commitment: string;
  proofs: StepProof[];
}

export interface TrainingOpening {
  format: typeof TRAINING_OPENING_FORMAT;
  version: typeof TRAINING_VERSION;
  config: TrainConfig;
  weights_commitment: string;
  weights_salt: string;
  weights: IntWeights;
  next_step: number;
  weights_salts: string[];
  batch_salts: string[];
}

/** A labelled dataset quantized for the configuration. */
export interface TrainingDataset {
  x: number[][];
  y: number[];
}

function parseJsonObject(text: string, path: string, what: string): Record<string, unknown> {
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch {
    throw new FormatError(path, `not ${what} (expected JSON)`);
  }
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw new FormatError(path, `not ${what} (expected a JSON object)`);
  return obj as Record<string, unknown>;
}

const CONFIG_KEYS = ['inputs', 'hidden', 'classes', 'batch', 'scaleBits', 'lrShift', 'actBits'] as const;

/** A configuration object of a file (every field, nothing else). */
export function parseConfig(v: unknown, path: string): TrainConfig {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new FormatError(path, 'config must be an object');
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).sort().join();
  if (keys !== [...CONFIG_KEYS].sort().join()) throw new FormatError(path, `config must have exactly the fields ${CONFIG_KEYS.join(', ')}`);
  try {
    return checkConfig(Object.fromEntries(CONFIG_KEYS.map((k) => [k, o[k]])) as unknown as TrainConfig);
  } catch (e) {
    throw new FormatError(path, (e as Error).message);
  }
}

export const sameConfig = (a: TrainConfig, b: TrainConfig): boolean => CONFIG_KEYS.every((k) => a[k] === b[k]);

/** A matrix of `rows` × `cols` finite numbers under `field`, quantized by `q` (which range-checks). */
function matrix(v: unknown, rows: number, cols: number, path: string, field: string, q: (x: number, at: string) => number): number[][] {
  if (!Array.isArray(v) || v.length !== rows) throw new FormatError(path, `${field} must be a list of ${rows} rows, got ${Array.isArray(v) ? v.length : typeof v}`);
  return v.map((row, i) => vector(row, cols, path, `${field}[${i}]`, q));
}

function vector(v: unknown, n: number, path: string, field: string, q: (x: number, at: string) => number): number[] {
  if (!Array.isArray(v) || v.length !== n) throw new FormatError(path, `${field} must be a list of ${n} numbers, got ${Array.isArray(v) ? `${v.length} values` : typeof v}`);
  return v.map((x, j) => {
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new FormatError(path, `${field}[${j}] must be a finite number, got ${JSON.stringify(x)}`);
    return q(x, `${field}[${j}]`);
  });
}

/** Quantizes a real to round(v·2^s) and checks the actBits range. */
function quantizer(c: TrainConfig, path: string): (x: number, at: string) => number {
  const half = 2 ** (c.actBits - 1);
  return (x, at) => {
    const v = Math.round(x * 2 ** c.scaleBits);
    if (v < -half || v >= half) throw new FormatError(path, `${at} = ${x} is outside the range [${-half / 2 ** c.scaleBits}, ${half / 2 ** c.scaleBits}) of ${c.actBits}-bit values at scale 2^${c.scaleBits}`);
    return v;
  };
}

/** Integers as they are (an opening's weights), range-checked. */
function integers(c: TrainConfig, path: string): (x: number, at: string) => number {
  const half = 2 ** (c.actBits - 1);
  return (x, at) => {
    if (!Number.isSafeInteger(x) || x < -half || x >= half) throw new FormatError(path, `${at} = ${x} is not an integer in [${-half}, ${half})`);
    return x;
  };
}

function weightsOf(o: Record<string, unknown>, c: TrainConfig, path: string, q: (x: number, at: string) => number): IntWeights {
  return {
    w1: matrix(o.w1, c.inputs, c.hidden, path, 'w1', q),
    b1: vector(o.b1, c.hidden, path, 'b1', q),
    w2: matrix(o.w2, c.hidden, c.classes, path, 'w2', q),
    b2: vector(o.b2, c.classes, path, 'b2', q),
  };
}

/**
 * The starting weights: a weights file of reals, or a training opening (its integer weights and salt,
 * checked against its commitment, so the new chain continues the one that opening ends).
 */
export function parseStartWeights(text: string, path: string, c: TrainConfig): { weights: IntWeights; salt?: bigint; nextStep?: number } {
  const o = parseJsonObject(text, path, 'a weights file');
  if (o.format === TRAINING_OPENING_FORMAT) {
    const op = parseTrainingOpening(text, path);
    if (!sameConfig(op.config, c)) throw new FormatError(path, 'the opening was made for another training configuration than the proving key');
    return { weights: op.weights, salt: fieldOf(op.weights_salt, path, 'weights_salt'), nextStep: op.next_step };
  }
  const extra = Object.keys(o).filter((k) => !['w1', 'b1', 'w2', 'b2'].includes(k));
  if (extra.length) throw new FormatError(path, `unknown fields ${extra.join(', ')} (a weights file has w1, b1, w2, b2)`);
  return { weights: weightsOf(o, c, path, quantizer(c, path)) };
}

/** A dataset file: N ≥ batch samples of D reals and labels in [0, C). */
export function parseTrainingDataset(text: string, path: string, c: TrainConfig): TrainingDataset {
  const o = parseJsonObject(text, path, 'a dataset');
  const extra = Object.keys(o).filter((k) => !['inputs', 'labels'].includes(k));
  if (extra.length) throw new FormatError(path, `unknown fields ${extra.join(', ')} (a dataset has inputs, labels)`);
  if (!Array.isArray(o.inputs) || o.inputs.length < c.batch) throw new FormatError(path, `inputs must be a list of at least ${c.batch} samples (the batch size)`);
  const n = o.inputs.length;
  const x = matrix(o.inputs, n, c.inputs, path, 'inputs', quantizer(c, path));
  if (!Array.isArray(o.labels) || o.labels.length !== n) throw new FormatError(path, `labels must be a list of ${n} labels, one per input`);
  const y = o.labels.map((l, i) => {
    if (!Number.isSafeInteger(l) || (l as number) < 0 || (l as number) >= c.classes) throw new FormatError(path, `labels[${i}] = ${JSON.stringify(l)} is not a class in [0, ${c.classes})`);
    return l as number;
  });
  return { x, y };
}

/** The batch of step t: samples (t·B + j) mod N, j < B (the dataset is cycled through in order). */
export function batchOf(d: TrainingDataset, c: TrainConfig, t: number): IntBatch {
  const idx = Array.from({ length: c.batch }, (_, j) => (t * c.batch + j) % d.x.length);
  return { x: idx.map((i) => d.x[i]!), y: idx.map((i) => d.y[i]!) };
}

/** Reads an opening and checks that it opens its weights commitment. */
export function parseTrainingOpening(text: string, path: string): TrainingOpening {
  const o = parseJsonObject(text, path, 'a training opening');
  if (o.format !== TRAINING_OPENING_FORMAT) throw new FormatError(path, `not a training opening (format is ${JSON.stringify(o.format)})`);
  if (o.version !== TRAINING_VERSION) throw new FormatError(path, `training opening version ${JSON.stringify(o.version)}, this build reads ${TRAINING_VERSION}`);
  const config = parseConfig(o.config, path);
  const commitment = fieldOf(o.weights_commitment, path, 'weights_commitment');
  const salt = fieldOf(o.weights_salt, path, 'weights_salt');
  if (!o.weights || typeof o.weights !== 'object') throw new FormatError(path, 'weights must be an object');
  const weights = weightsOf(o.weights as Record<string, unknown>, config, path, integers(config, path));
  if (!Number.isSafeInteger(o.next_step) || (o.next_step as number) < 0) throw new FormatError(path, 'next_step must be a non-negative integer');
  if (!Array.isArray(o.batch_salts) || !Array.isArray(o.weights_salts) || o.weights_salts.length !== o.batch_salts.length + 1)
    throw new FormatError(path, 'batch_salts and weights_salts must be lists, one weights salt more than batch salts');
  o.batch_salts.forEach((s, i) => fieldOf(s, path, `batch_salts[${i}]`));
  o.weights_salts.forEach((s, i) => fieldOf(s, path, `weights_salts[${i}]`));
  if (o.weights_salts[o.weights_salts.length - 1] !== o.weights_salt) throw new FormatError(path, 'the last of weights_salts must be weights_salt');
  if (packedCommitment(flattenWeights(weights), config.actBits, salt) !== commitment)
    throw new InvalidArgumentError(`${path}: the weights and salt do not open weights_commitment (a damaged or foreign opening)`);
  return { format: TRAINING_OPENING_FORMAT, version: TRAINING_VERSION, config, weights_commitment: hex32(commitment), weights_salt: hex32(salt), weights, next_step: o.next_step as number, weights_salts: o.weights_salts as string[], batch_salts: o.batch_salts as string[] };
}

const FILE_KEYS = ['format', 'version', 'config', 'steps', 'initial_weights_commitment', 'final_weights_commitment', 'batches_commitment', 'proofs'];
const STEP_KEYS = ['weights_before', 'batch', 'weights_after', 'proof'];

/** Reads training.json (structure only; verify.ts decides what it proves). */
export function parseTrainingFile(text: string, path: string): TrainingFile {
  const o = parseJsonObject(text, path, 'a training file');
  if (o.format !== TRAINING_FORMAT) throw new FormatError(path, `not a training file (format is ${JSON.stringify(o.format)})`);
  if (o.version !== TRAINING_VERSION) throw new FormatError(path, `training file version ${JSON.stringify(o.version)}, this build reads ${TRAINING_VERSION}`);
  const extra = Object.keys(o).filter((k) => !FILE_KEYS.includes(k));
  if (extra.length) throw new FormatError(path, `fields nothing checks: ${extra.join(', ')}`);
  parseConfig(o.config, path);
  if (!Array.isArray(o.proofs) || o.proofs.length === 0) throw new FormatError(path, 'proofs must be a non-empty list');
  if (o.steps !== o.proofs.length) throw new FormatError(path, `steps is ${JSON.stringify(o.steps)} but the file holds ${o.proofs.length} proofs`);
  for (const k of ['initial_weights_commitment', 'final_weights_commitment', 'batches_commitment']) fieldOf(o[k], path, k);
  o.proofs.forEach((p, i) => {
    if (!p || typeof p !== 'object' || Array.isArray(p) || Object.keys(p).sort().join() !== [...STEP_KEYS].sort().join())
      throw new FormatError(path, `proofs[${i}] must have exactly the fields ${STEP_KEYS.join(', ')}`);
    const s = p as Record<string, unknown>;
    for (const k of STEP_KEYS.slice(0, 3)) fieldOf(s[k], path, `proofs[${i}].${k}`);
    if (typeof s.proof !== 'string' || !/^([0-9a-f]{2})+$/.test(s.proof)) throw new FormatError(path, `proofs[${i}].proof must be lowercase hex bytes`);
  });
  return o as unknown as TrainingFile;
}
