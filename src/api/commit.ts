/**
 * Committed inputs: `commitInputs` quantizes an input file for a compiled model and commits to each graph
 * input's integers (src/commit/tensor-commitment.ts: Poseidon chain under a random salt). Two files come
 * out of it:
 *
 *   commitment.json  {format: 'zkml-commitment', version, scheme, tensors: [{name, shape, scale_bits, commitment}]}
 *                    public: what a prover's statement will be about
 *   opening.json     {format: 'zkml-opening', version, scheme, tensors: [{name, shape, scale_bits, commitment,
 *                     salt, values}]}
 *                    the owner's: the salt and the quantized values that open each commitment
 *
 * Field elements (commitments, salts) are 0x-prefixed 64-digit hex; values are the quantized integers the
 * circuit holds (input × 2^scale_bits rounded; raw integers for integer-typed inputs). Files are validated
 * on read, and an opening is checked against its own commitments, so a corrupted or edited opening is
 * refused before anything else reads it.
 *
 * Committed weights (a model compiled with committedWeights): `commitWeights` commits to the quantized
 * weights of the .zkc (compiler/weights.ts: which constants, in which order, packed ~15 to a field element)
 * as one tensor under a fresh salt. commitment.json is the format above with one tensor named '#weights'
 * (shape [number of weights]); the opening is a 'zkml-weights-opening' file {scheme, architecture, packing,
 * commitment, salt, count, weights_sha256, slots}.
 * It holds the salt and a SHA-256 of the quantized weights, not the weights: they are in the .zkc, which
 * the owner keeps anyway, and `weightsSalt` recomputes them from it and checks digest and commitment
 * before proving (weights_sha256 = SHA-256 of the UTF-8 JSON array of the quantized integers, in order).
 */
import { linkSync, mkdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { CircuitError, FormatError, InvalidArgumentError } from '../errors.ts';
import { FR_MODULUS } from '../scalar/fr.ts';
import { parseInputBytes, parseInputs, quantizeInput } from '../model/index.ts';
import { commitTensor, randomSalt, TENSOR_COMMITMENT_SCHEME } from '../commit/tensor-commitment.ts';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { committedWeightsLabel, committedWeightValues, DEFAULT_WEIGHT_BITS, PACK_BITS, WEIGHTS_COMMITMENT_NAME, WEIGHTS_PACKING, type WeightSlot } from '../compiler/weights.ts';
import type { QArr } from '../layers/types.ts';
import type { CompiledModel } from './zkc.ts';

export const COMMITMENT_FORMAT = 'zkml-commitment';
export const OPENING_FORMAT = 'zkml-opening';
export const WEIGHTS_OPENING_FORMAT = 'zkml-weights-opening';
export { WEIGHTS_COMMITMENT_NAME };
export const COMMITMENT_FILES_VERSION = 1;

export interface CommittedTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly scale_bits: number;
  /** 0x-prefixed hex field element. */
  readonly commitment: string;
}

export interface OpenedTensor extends CommittedTensor {
  readonly salt: string;
  readonly values: readonly number[];
}

export interface CommitmentFile {
  readonly format: typeof COMMITMENT_FORMAT;
  readonly version: number;
  readonly scheme: string;
  readonly tensors: readonly CommittedTensor[];
}

export interface OpeningFile {
  readonly format: typeof OPENING_FORMAT;
  readonly version: number;
  readonly scheme: string;
  readonly tensors: readonly OpenedTensor[];
}

/** The owner's opening of a weights commitment (the weights themselves are in the .zkc). */
export interface WeightsOpeningFile {
  readonly format: typeof WEIGHTS_OPENING_FORMAT;
  readonly version: number;
  readonly scheme: string;
  /** The verifying key's model label (scheme and architecture digest). */
  readonly architecture: string;
  /** How the weights were packed before hashing (compiler/weights.ts): w + 2^(c−1) in c bits, greedily into pack_bits-bit elements. */
  readonly packing: { readonly scheme: string; readonly weight_bits: number; readonly pack_bits: number };
  readonly commitment: string;
  readonly salt: string;
  /** Number of committed weights, and the SHA-256 (hex) of their JSON array, in commitment order. */
  readonly count: number;
  readonly weights_sha256: string;
  /** Which constants were committed, in order (for a reader recomputing the commitment). */
  readonly slots: readonly WeightSlot[];
}

export const fieldHex = (v: bigint): string => `0x${v.toString(16).padStart(64, '0')}`;

/** Quantized graph inputs of one sample (JSON text, or bytes: JSON or zkml .msgpack). */
export function quantizedInputs(compiled: CompiledModel, input: string | Uint8Array, inputFile: string) {
  const { model } = compiled;
  const samples = typeof input === 'string' ? parseInputs(model.graph, input, inputFile) : parseInputBytes(model.graph, input, inputFile, compiled.zkmlScale);
  if (samples.length !== 1) throw new InvalidArgumentError(`${inputFile}: expected one input sample, got ${samples.length}`);
  return Object.entries(samples[0]!).map(([name, x]) => ({ name, q: quantizeInput(name, x, model.settings) }));
}

/**
 * Commits to every graph input of one sample, each under its own fresh salt (`salt` overrides the random
 * draw, for tests). Returns the public commitment file and the owner's opening.
 */
export function commitInputs(
  compiled: CompiledModel,
  input: string | Uint8Array,
  opts: { inputFile?: string; salt?: () => bigint } = {},
): { commitment: CommitmentFile; opening: OpeningFile } {
  const tensors = quantizedInputs(compiled, input, opts.inputFile ?? 'input.json').map(({ name, q }): OpenedTensor => {
    const values = Array.from(q.data);
    const salt = (opts.salt ?? randomSalt)();
    return { name, shape: [...q.shape], scale_bits: q.bits, commitment: fieldHex(commitTensor(values.map(BigInt), salt)), salt: fieldHex(salt), values };
  });
  const head = { version: COMMITMENT_FILES_VERSION, scheme: TENSOR_COMMITMENT_SCHEME };
  return {
    commitment: { format: COMMITMENT_FORMAT, ...head, tensors: tensors.map(({ name, shape, scale_bits, commitment }) => ({ name, shape, scale_bits, commitment })) },
    opening: { format: OPENING_FORMAT, ...head, tensors },
  };
}

/**
 * The commitment and opening files of a proof's committed outputs (values as the circuit holds them, each
 * under the salt the prover drew): the commitments are the proof's public values, the opening the prover's.
 */
export function openOutputs(
  outputs: readonly { name: string; shape: readonly number[]; bits: number; values: readonly number[] }[],
  salts: Readonly<Record<string, bigint>>,
): { commitment: CommitmentFile; opening: OpeningFile } {
  const tensors = outputs.map(({ name, shape, bits, values }): OpenedTensor => {
    const salt = salts[name];
    if (salt === undefined) throw new InvalidArgumentError(`no salt for the committed output '${name}'`);
    return { name, shape: [...shape], scale_bits: bits, commitment: fieldHex(commitTensor(values.map(BigInt), salt)), salt: fieldHex(salt), values: [...values] };
  });
  const head = { version: COMMITMENT_FILES_VERSION, scheme: TENSOR_COMMITMENT_SCHEME };
  return {
    commitment: { format: COMMITMENT_FORMAT, ...head, tensors: tensors.map(({ name, shape, scale_bits, commitment }) => ({ name, shape, scale_bits, commitment })) },
    opening: { format: OPENING_FORMAT, ...head, tensors },
  };
}

/**
 * The salt of each committed input for a proof, from the opening, once the opening is shown to be of this
 * very input: same shape, scale and quantized values (its salts and values were checked against its own
 * commitments when it was read). Every committed input needs one; an opening for a model that commits
 * nothing, or of tensors the model does not commit, is refused rather than ignored.
 */
export function openingSalts(
  committed: readonly string[],
  q: Readonly<Record<string, QArr>>,
  opening: OpeningFile | undefined,
  path = 'opening.json',
): Record<string, bigint> {
  if (!opening) {
    if (committed.length === 0) return {};
    throw new InvalidArgumentError(`the model commits input${committed.length > 1 ? 's' : ''} ${committed.map((n) => `'${n}'`).join(', ')}: pass its opening (written by zkml commit) with --opening`);
  }
  if (committed.length === 0) throw new InvalidArgumentError(`${path}: the model commits no input, so an opening has nothing to open (compile with --committed-inputs)`);
  for (const t of opening.tensors)
    if (!committed.includes(t.name)) throw new InvalidArgumentError(`${path}: opens '${t.name}', which the model does not commit (committed: ${committed.join(', ')})`);
  const salts: Record<string, bigint> = {};
  for (const name of committed) {
    const t = opening.tensors.find((x) => x.name === name);
    if (!t) throw new InvalidArgumentError(`${path}: no opening for the committed input '${name}'`);
    const x = q[name]!;
    const mismatch = (why: string): never => {
      throw new InvalidArgumentError(`${path}: the opening of '${name}' does not match the input (${why}); commit this input with zkml commit, or prove the input the commitment was made for`);
    };
    if (t.shape.join() !== x.shape.join()) mismatch(`shape [${t.shape.join(', ')}] vs [${x.shape.join(', ')}]`);
    if (t.scale_bits !== x.bits) mismatch(`scale 2^${t.scale_bits} vs the model's 2^${x.bits}`);
    const i = t.values.findIndex((v, j) => v !== x.data[j]);
    if (i >= 0) mismatch(`element ${i}: ${t.values[i]} in the opening, ${x.data[i]} quantized from the input`);
    salts[name] = BigInt(t.salt);
  }
  return salts;
}

// ---- committed weights -----------------------------------------------------------------------------

/** The committed weights of a compiled model (a weight beyond its width is the user's: InvalidArgumentError). */
function weightsOf(compiled: CompiledModel): ReturnType<typeof committedWeightValues> {
  try {
    return committedWeightValues(compiled.model, compiled.weightBits);
  } catch (e) {
    if (e instanceof CircuitError) throw new InvalidArgumentError(e.message);
    throw e;
  }
}

const weightsDigest = (values: readonly bigint[]): string => bytesToHex(sha256(new TextEncoder().encode(`[${values.join(',')}]`)));

function requireCommittedWeights(compiled: CompiledModel, what: string): void {
  if (!compiled.committedWeights)
    throw new InvalidArgumentError(`${what}: the model was not compiled with committed weights (its weights are in the verifying key); compile with --committed-weights`);
}

/** Commits to a committed-weights model's quantized weights under a fresh salt (`salt` overrides it, for tests). */
export function commitWeights(compiled: CompiledModel, opts: { salt?: () => bigint; modelFile?: string } = {}): { commitment: CommitmentFile; opening: WeightsOpeningFile } {
  requireCommittedWeights(compiled, opts.modelFile ?? 'model.zkc');
  const { slots, values, packed } = weightsOf(compiled);
  const salt = (opts.salt ?? randomSalt)();
  const commitment = fieldHex(commitTensor(packed, salt));
  const head = { version: COMMITMENT_FILES_VERSION, scheme: TENSOR_COMMITMENT_SCHEME };
  return {
    commitment: { format: COMMITMENT_FORMAT, ...head, tensors: [{ name: WEIGHTS_COMMITMENT_NAME, shape: [values.length], scale_bits: compiled.model.settings.scaleBits, commitment }] },
    opening: {
      format: WEIGHTS_OPENING_FORMAT,
      ...head,
      architecture: committedWeightsLabel(compiled.model, compiled.weightBits),
      packing: { scheme: WEIGHTS_PACKING, weight_bits: compiled.weightBits ?? DEFAULT_WEIGHT_BITS, pack_bits: PACK_BITS },
      commitment,
      salt: fieldHex(salt),
      count: values.length,
      weights_sha256: weightsDigest(values),
      slots,
    },
  };
}

/**
 * The weights salt for a proof: the opening must be of this model's weights (count and digest recomputed
 * from the .zkc) and its salt must open its commitment over them. A committed-weights model needs one; an
 * opening for a model whose weights are public is refused rather than ignored.
 */
export function weightsSalt(compiled: CompiledModel, opening: WeightsOpeningFile | undefined, path = 'opening.json'): bigint | undefined {
  if (!opening) {
    if (!compiled.committedWeights) return undefined;
    throw new InvalidArgumentError('the model commits its weights: pass the weights opening (written by zkml commit <model.zkc>) with --opening');
  }
  requireCommittedWeights(compiled, path);
  const { values, packed } = weightsOf(compiled);
  const other = `${path}: the opening is not of this model's weights`;
  if (opening.architecture !== committedWeightsLabel(compiled.model, compiled.weightBits)) throw new InvalidArgumentError(`${other} (it was made for another architecture)`);
  if (opening.count !== values.length) throw new InvalidArgumentError(`${other} (${opening.count} weights, the model has ${values.length})`);
  if (opening.weights_sha256 !== weightsDigest(values)) throw new InvalidArgumentError(`${other} (the weights' SHA-256 differs: it was made for other weights of the same architecture)`);
  const salt = BigInt(opening.salt);
  if (fieldHex(commitTensor(packed, salt)) !== opening.commitment)
    throw new InvalidArgumentError(`${path}: the salt does not open the commitment ${opening.commitment} over this model's weights (the file is corrupted or was edited)`);
  return salt;
}

/** Reads a weights opening (validated field by field; checked against a model by {@link weightsSalt}). */
export function parseWeightsOpeningFile(text: string, path: string): WeightsOpeningFile {
  const o = parseJsonObject(text, path, WEIGHTS_OPENING_FORMAT);
  if (o.version !== COMMITMENT_FILES_VERSION) throw new FormatError(path, `${WEIGHTS_OPENING_FORMAT} version ${JSON.stringify(o.version)}, this build reads ${COMMITMENT_FILES_VERSION}`);
  if (o.scheme !== TENSOR_COMMITMENT_SCHEME) throw new FormatError(path, `commitment scheme ${JSON.stringify(o.scheme)}, this build uses ${TENSOR_COMMITMENT_SCHEME}`);
  if (typeof o.architecture !== 'string') throw new FormatError(path, 'architecture must be a string');
  const pk = (o.packing ?? {}) as Record<string, unknown>;
  if (typeof pk.scheme !== 'string' || !Number.isSafeInteger(pk.weight_bits) || !Number.isSafeInteger(pk.pack_bits))
    throw new FormatError(path, 'packing must be {scheme, weight_bits, pack_bits}');
  parseFieldHex(o.commitment, path, 'commitment');
  parseFieldHex(o.salt, path, 'salt');
  if (!Number.isSafeInteger(o.count) || (o.count as number) < 1) throw new FormatError(path, 'count must be a positive integer');
  if (typeof o.weights_sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(o.weights_sha256)) throw new FormatError(path, 'weights_sha256 must be 64 lowercase hex digits');
  const isSlot = (x: unknown): boolean => {
    const t = x as Record<string, unknown> | null;
    return !!t && typeof t === 'object' && ['node', 'op', 'tensor'].every((f) => typeof t[f] === 'string') && Number.isSafeInteger(t.input) &&
      Number.isSafeInteger(t.bits) && typeof t.mult === 'number' && Array.isArray(t.shape) && t.shape.every((d) => Number.isSafeInteger(d) && d >= 0);
  };
  // The slots only document what was committed (weightsSalt recomputes the weights from the .zkc).
  if (!Array.isArray(o.slots) || !o.slots.every(isSlot)) throw new FormatError(path, 'slots must be a list of {node, op, input, tensor, shape, bits, mult}');
  return {
    format: WEIGHTS_OPENING_FORMAT,
    version: COMMITMENT_FILES_VERSION,
    scheme: TENSOR_COMMITMENT_SCHEME,
    architecture: o.architecture,
    packing: { scheme: pk.scheme as string, weight_bits: pk.weight_bits as number, pack_bits: pk.pack_bits as number },
    commitment: (o.commitment as string).toLowerCase(),
    salt: o.salt as string,
    count: o.count as number,
    weights_sha256: o.weights_sha256,
    slots: o.slots as WeightSlot[],
  };
}

/** Reads an opening file of either kind (inputs: zkml commit data.json; weights: zkml commit model.zkc). */
export function parseAnyOpeningFile(text: string, path: string): { inputs: OpeningFile } | { weights: WeightsOpeningFile } {
  const format = parseJsonObject(text, path, undefined).format;
  if (format === WEIGHTS_OPENING_FORMAT) return { weights: parseWeightsOpeningFile(text, path) };
  return { inputs: parseOpeningFile(text, path) };
}

/**
 * Compares the commitments a verified proof carries with a commitment file (e.g. the one a seller
 * advertised): every tensor of the file must be a proven commitment of the same name and value. Returns
 * the first disagreement, or undefined when they all agree.
 */
export function compareCommitments(proven: readonly { name: string; kind: string; commitment?: string }[], file: CommitmentFile, path: string): string | undefined {
  for (const t of file.tensors) {
    const p = proven.find((x) => x.kind === 'commitment' && x.name === t.name);
    const what = t.name === WEIGHTS_COMMITMENT_NAME ? 'the weights' : `'${t.name}'`;
    if (!p) return `the proof commits to no tensor named ${what} (${path} expects one)`;
    if (BigInt(p.commitment!) !== BigInt(t.commitment)) return `the proven commitment to ${what} is ${p.commitment}, ${path} says ${t.commitment}`;
  }
  return undefined;
}

// ---- reading ---------------------------------------------------------------------------------------

function parseFieldHex(v: unknown, path: string, what: string): bigint {
  if (typeof v !== 'string' || !/^0x[0-9a-fA-F]{1,64}$/.test(v)) throw new FormatError(path, `${what} must be a 0x-prefixed hex field element`);
  const x = BigInt(v);
  if (x >= FR_MODULUS) throw new FormatError(path, `${what} is not below the BN254 scalar field modulus`);
  return x;
}

/** A JSON object (of `format`, when given). */
function parseJsonObject(text: string, path: string, format: string | undefined): Record<string, unknown> {
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (e) {
    throw new FormatError(path, `not valid JSON (${(e as Error).message})`);
  }
  const what = format ?? 'zkml opening';
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw new FormatError(path, `not a ${what} file`);
  const o = obj as Record<string, unknown>;
  if (format !== undefined && o.format !== format) throw new FormatError(path, `not a ${format} file (format is ${JSON.stringify(o.format)})`);
  return o;
}

function parseHeader(text: string, path: string, format: string): Record<string, unknown> {
  const o = parseJsonObject(text, path, format);
  if (o.version !== COMMITMENT_FILES_VERSION) throw new FormatError(path, `${format} version ${JSON.stringify(o.version)}, this build reads ${COMMITMENT_FILES_VERSION}`);
  if (o.scheme !== TENSOR_COMMITMENT_SCHEME) throw new FormatError(path, `commitment scheme ${JSON.stringify(o.scheme)}, this build uses ${TENSOR_COMMITMENT_SCHEME}`);
  if (!Array.isArray(o.tensors) || o.tensors.length === 0) throw new FormatError(path, 'tensors must be a non-empty array');
  return o;
}

function parseCommitted(t: unknown, path: string, i: number): CommittedTensor & { value: bigint } {
  if (!t || typeof t !== 'object') throw new FormatError(path, `tensors[${i}] must be an object`);
  const o = t as Record<string, unknown>;
  if (typeof o.name !== 'string' || o.name === '') throw new FormatError(path, `tensors[${i}].name must be a non-empty string`);
  const what = `tensor '${o.name}'`;
  if (!Array.isArray(o.shape) || !o.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) throw new FormatError(path, `${what}: shape must be a list of non-negative integers`);
  if (!Number.isSafeInteger(o.scale_bits) || (o.scale_bits as number) < 0) throw new FormatError(path, `${what}: scale_bits must be a non-negative integer`);
  const value = parseFieldHex(o.commitment, path, `${what}: commitment`);
  return { name: o.name, shape: o.shape as number[], scale_bits: o.scale_bits as number, commitment: o.commitment as string, value };
}

function uniqueNames(tensors: readonly { name: string }[], path: string): void {
  const seen = new Set<string>();
  for (const t of tensors) {
    if (seen.has(t.name)) throw new FormatError(path, `tensor '${t.name}' appears twice`);
    seen.add(t.name);
  }
}

/** Reads commitment.json (validated). */
export function parseCommitmentFile(text: string, path: string): CommitmentFile {
  const o = parseHeader(text, path, COMMITMENT_FORMAT);
  const tensors = (o.tensors as unknown[]).map((t, i): CommittedTensor => {
    const { name, shape, scale_bits, commitment } = parseCommitted(t, path, i);
    return { name, shape, scale_bits, commitment };
  });
  uniqueNames(tensors, path);
  return { format: COMMITMENT_FORMAT, version: COMMITMENT_FILES_VERSION, scheme: TENSOR_COMMITMENT_SCHEME, tensors };
}

/** Reads opening.json: validated, and every tensor's values and salt must open its own commitment. */
export function parseOpeningFile(text: string, path: string): OpeningFile {
  const o = parseHeader(text, path, OPENING_FORMAT);
  const tensors = (o.tensors as unknown[]).map((t, i): OpenedTensor => {
    const { value: commitment, ...c } = parseCommitted(t, path, i);
    const r = t as Record<string, unknown>;
    const salt = parseFieldHex(r.salt, path, `tensor '${c.name}': salt`);
    const n = c.shape.reduce((a, b) => a * b, 1);
    if (!Array.isArray(r.values) || r.values.length !== n || !r.values.every((v) => Number.isSafeInteger(v)))
      throw new FormatError(path, `tensor '${c.name}': values must be ${n} integers (its shape [${c.shape.join(', ')}])`);
    const values = r.values as number[];
    if (commitTensor(values.map(BigInt), salt) !== commitment)
      throw new FormatError(path, `tensor '${c.name}': the values and salt do not open its commitment ${c.commitment} (the file is corrupted or was edited)`);
    return { ...c, salt: r.salt as string, values };
  });
  uniqueNames(tensors, path);
  return { format: OPENING_FORMAT, version: COMMITMENT_FILES_VERSION, scheme: TENSOR_COMMITMENT_SCHEME, tensors };
}

// ---- writing ---------------------------------------------------------------------------------------

/**
 * Writes commitment.json and opening.json into `dir`, refusing (before writing either) when one exists;
 * each file appears whole or not at all (a temp file hard-linked to its name, which fails on an existing
 * name). The opening is readable by its owner only: its salt is what keeps the commitment hiding.
 */
export function writeCommitmentFiles(dir: string, files: { commitment: CommitmentFile; opening: OpeningFile | WeightsOpeningFile }): { commitmentPath: string; openingPath: string } {
  const commitmentPath = join(dir, 'commitment.json');
  const openingPath = join(dir, 'opening.json');
  for (const p of [commitmentPath, openingPath])
    if (existsSync(p)) throw new InvalidArgumentError(`${p} exists; refusing to overwrite it (choose another -o directory, or move the old files away)`);
  mkdirSync(dir, { recursive: true });
  writeNew(openingPath, `${JSON.stringify(files.opening, null, 1)}\n`, 0o600);
  try {
    writeNew(commitmentPath, `${JSON.stringify(files.commitment, null, 1)}\n`, 0o644);
  } catch (e) {
    rmSync(openingPath, { force: true });
    throw e;
  }
  return { commitmentPath, openingPath };
}

function writeNew(path: string, data: string, mode: number): void {
  const tmp = `${path}.${process.pid}.tmp`;
  rmSync(tmp, { force: true });
  try {
    writeFileSync(tmp, data, { mode });
    linkSync(tmp, path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new InvalidArgumentError(`${path} exists; refusing to overwrite it`);
    throw e;
  } finally {
    rmSync(tmp, { force: true });
  }
}
