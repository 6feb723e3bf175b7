/**
 * The library API: compile a model, set up keys, prove an inference, verify a proof. The CLI is a thin
 * layer over these functions.
 */
import { basename } from 'node:path';
import { FormatError, InvalidArgumentError } from '../errors.ts';
import { FR_MODULUS } from '../field/fr.ts';
import { devSrs, loadPtau, type Srs } from '../commit/index.ts';
import { buildModelCircuit, estimateModelCost, layoutInputs, resolveVisibility, type Visibility } from '../compiler/index.ts';
import { predictCost } from '../compiler/cost-model.ts';
import { loadModel, parseInputBytes, parseInputs, quantizeInput, quantizeModel } from '../model/index.ts';
import { assumedRanges, DEFAULT_SCALE_BITS, describeAssumed, syntheticSamples, type AssumedCalibration } from '../model/assumed-calibration.ts';
import { DEFAULT_INPUT_RANGE_SLACK } from '../model/quantize.ts';
import { CircuitMismatchError, keygen } from '../plonk/keygen.ts';
import type { ProvingKey, VerifyingKey } from '../plonk/keys.ts';
import { prove as plonkProve } from '../plonk/prover.ts';
import { verify as plonkVerify, type VerifyResult } from '../plonk/verifier.ts';
import { deserializeProof, serializeProof } from '../serde/proof.ts';
import { deserializeVk, serializeVk } from '../serde/vk.ts';
import { readFileOrThrow } from './files.ts';
import { parsePkFile, serializePkFile } from './pk-file.ts';
import { circuitOptions, type CompiledModel } from './zkc.ts';
import { decodeModelMeta, decodePublicValues, encodeModelMeta, type ModelMeta, type PublicValue } from './public-values.ts';

export * from './zkc.ts';
export { writeFileAtomic, readFileOrThrow } from './files.ts';
export { parsePkFile, serializePkFile } from './pk-file.ts';
export { decodeModelMeta, decodePublicValues, type ModelMeta, type PublicValue } from './public-values.ts';

export interface CompileOptions {
  /** Scale 2^scaleBits; default: chosen by calibration (zkml msgpack models: the file's own scale). */
  scaleBits?: number;
  /** Calibration samples: input-file JSON text, or the bytes of an input file (JSON or zkml msgpack). */
  calibrationText?: string;
  calibrationBytes?: Uint8Array;
  /** Name of the calibration file (errors name it; a `.msgpack` name selects zkml's input format). */
  calibrationFile?: string;
  /**
   * Without calibration data: the real range assumed for every float input (default [−1, 1]; see
   * src/model/assumed-calibration.ts). Ignored when calibration data is given.
   */
  inputRange?: [number, number];
  k?: number;
  /** Products per row of the dot-product chip (`--cols`): wider rows, fewer of them. */
  width?: number;
  /** Per graph input/output 'public' or 'private' (default: inputs private, outputs public). */
  visibility?: Record<string, Visibility>;
}

/**
 * Imports (ONNX or zkml msgpack), quantizes (calibrating on the given samples) and sizes the circuit of a
 * model file.
 */
/** One dot-product width the compiler priced when choosing (compile without --cols). */
export interface WidthChoice {
  width: number;
  rows: number;
  k: number;
  predicted_prove_ms: number;
}

/** The compiler's default dot-product width, and the widths tried when none is given. */
const DEFAULT_WIDTH = 8;
const WIDTH_CANDIDATES = [4, 8, 16];
const WIDTH_SEARCH_MAX_ROWS = 1 << 17;

export function compile(
  modelPath: string,
  opts: CompileOptions = {},
): { compiled: CompiledModel; cost: ReturnType<typeof estimateModelCost>; widthChoices: WidthChoice[]; assumed?: AssumedCalibration & { note: string } } {
  const { graph, zkml } = loadModel(modelPath);
  const file = opts.calibrationFile ?? 'calibration data';
  const samples = opts.calibrationBytes
    ? parseInputBytes(graph, opts.calibrationBytes, file, zkml?.scale)
    : opts.calibrationText
      ? parseInputs(graph, opts.calibrationText, file)
      : [];
  if (opts.scaleBits !== undefined && !(Number.isInteger(opts.scaleBits) && opts.scaleBits >= 1 && opts.scaleBits <= 24))
    throw new InvalidArgumentError(`--scale-bits must be an integer in [1, 24], got ${opts.scaleBits}`);
  let scaleBits = opts.scaleBits ?? zkml?.scaleBits ?? undefined;
  let assumed: (AssumedCalibration & { note: string }) | undefined;
  if (samples.length === 0) {
    // No data: assume a scale and input ranges, and measure intermediate bounds on synthetic samples.
    scaleBits ??= DEFAULT_SCALE_BITS;
    const inputRanges = assumedRanges(graph, opts.inputRange);
    samples.push(...syntheticSamples(graph, inputRanges));
    const a: AssumedCalibration = { scaleBits, inputRanges, samples: samples.length };
    assumed = { ...a, note: describeAssumed(a, DEFAULT_INPUT_RANGE_SLACK) };
  }
  const model = quantizeModel(graph, samples, scaleBits !== undefined ? { scaleBits } : {});
  if (opts.width !== undefined && !(Number.isInteger(opts.width) && opts.width >= 1 && opts.width <= 64))
    throw new InvalidArgumentError(`--cols must be an integer in [1, 64], got ${opts.width}`);
  if (opts.visibility) {
    try {
      resolveVisibility(graph, opts.visibility);
    } catch (e) {
      throw new InvalidArgumentError((e as Error).message);
    }
  }
  const vis = opts.visibility ? { visibility: opts.visibility } : {};
  let width = opts.width;
  let cost: ReturnType<typeof estimateModelCost>;
  const widthChoices: WidthChoice[] = [];
  if (width !== undefined) cost = estimateModelCost(model, { width, ...vis });
  else {
    // Choose the dot-product width by the cost model: wider rows mean fewer rows (smaller k) but more
    // advice columns (more commitments and FFTs). Laying out several widths costs a few layouts, so only
    // circuits small enough to lay out quickly try them; larger ones keep the default.
    cost = estimateModelCost(model, vis);
    width = undefined;
    if (cost.rows <= WIDTH_SEARCH_MAX_ROWS) {
      let best = { width: DEFAULT_WIDTH, cost, ms: predictCost(cost).prove_ms };
      widthChoices.push({ width: DEFAULT_WIDTH, rows: cost.rows, k: cost.k, predicted_prove_ms: best.ms });
      for (const w of WIDTH_CANDIDATES) {
        if (w === DEFAULT_WIDTH) continue;
        const c = estimateModelCost(model, { width: w, ...vis });
        const ms = predictCost(c).prove_ms;
        widthChoices.push({ width: w, rows: c.rows, k: c.k, predicted_prove_ms: ms });
        if (ms < best.ms) best = { width: w, cost: c, ms };
      }
      if (best.width !== DEFAULT_WIDTH) ({ width, cost } = best);
    }
  }
  const k = opts.k ?? cost.k;
  if (k < cost.k) throw new InvalidArgumentError(`--k ${k} is too small: the circuit needs k ≥ ${cost.k}`);
  const compiled: CompiledModel = {
    model,
    k,
    source: basename(modelPath),
    ...(zkml ? { zkmlScale: zkml.scale } : {}),
    ...(width !== undefined ? { width } : {}),
    ...(opts.visibility ? { visibility: opts.visibility } : {}),
  };
  return { compiled, cost, widthChoices, ...(assumed ? { assumed } : {}) };
}

export async function loadSrs(opts: { srsPath?: string; dev?: boolean }, k: number): Promise<Srs> {
  if (opts.srsPath) return loadPtau(opts.srsPath, k);
  if (opts.dev) return devSrs(k);
  throw new InvalidArgumentError('setup needs --srs <file.ptau> or --dev (an insecure local SRS)');
}

/** Keygen for a compiled model: the circuit layout does not depend on input values, so any sample the reference accepts stands in (layoutInputs). */
export async function setup(
  compiled: CompiledModel,
  srs: Srs,
  opts: { onProgress?: (stage: string, done: number, total: number) => void } = {},
): Promise<{ pk: ProvingKey; pkBytes: Uint8Array; vkBytes: Uint8Array }> {
  opts.onProgress?.('layout', 0, 1);
  const mc = buildModelCircuit(compiled.model, layoutInputs(compiled.model), circuitOptions(compiled));
  const meta = encodeModelMeta({ scaleBits: compiled.model.settings.scaleBits, layout: mc.publicLayout, model: compiled.source });
  const pk = await keygen(srs, mc.circuit, { meta, ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) });
  return { pk, pkBytes: await serializePkFile(pk.vk, pk.circuitDigest, srs), vkBytes: serializeVk(pk.vk) };
}

export interface ProofFile {
  format: 'zkml-proof';
  version: 1;
  model: string;
  /** Hex of the proof bytes (src/serde/proof.ts). */
  proof: string;
  /** Public instance values, decimal strings (canonical field elements). */
  instances: string[][];
  /** The public graph outputs (a copy of the `public` entries of kind output, for people). */
  outputs: { name: string; shape: number[]; values: number[]; dequantized: number[] }[];
  /** Every public tensor (inputs, then outputs), decoded from the instances through the VK's layout. */
  public: PublicValue[];
}

export interface ProveTimings {
  witness_ms: number;
  /** Rebuilding the proving key's polynomial forms from the model (no commitments). */
  pk_derive_ms: number;
  prove_ms: number;
}

/**
 * Proves one inference. `pkFileBytes` is pk.bin: the proving key's polynomial forms are re-derived from the
 * compiled model and its commitments reused once the rebuilt circuit's digest matches the stored one.
 */
export async function prove(
  compiled: CompiledModel,
  pkFileBytes: Uint8Array,
  input: string | Uint8Array,
  opts: { inputFile?: string; pkPath?: string; onProgress?: (stage: string, done: number, total: number) => void } = {},
): Promise<{ proofFile: ProofFile; timings: ProveTimings }> {
  const { vk, circuitDigest, srs } = await parsePkFile(pkFileBytes, opts.pkPath ?? 'pk.bin');
  const { model } = compiled;
  const inputFile = opts.inputFile ?? 'input.json';
  const samples =
    typeof input === 'string' ? parseInputs(model.graph, input, inputFile) : parseInputBytes(model.graph, input, inputFile, compiled.zkmlScale);
  if (samples.length !== 1) throw new InvalidArgumentError(`${opts.inputFile ?? 'input'}: expected one input sample, got ${samples.length}`);
  const t0 = performance.now();
  opts.onProgress?.('witness', 0, 1);
  const q: Record<string, ReturnType<typeof quantizeInput>> = {};
  for (const [name, x] of Object.entries(samples[0]!)) q[name] = quantizeInput(name, x, model.settings);
  const mc = buildModelCircuit(model, q, circuitOptions(compiled));
  const t1 = performance.now();
  let pk: ProvingKey;
  try {
    pk = await keygen(srs, mc.circuit, { vk, circuitDigest, ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) });
  } catch (e) {
    if (e instanceof CircuitMismatchError)
      throw new InvalidArgumentError(`${opts.pkPath ?? 'pk.bin'} was made for a different circuit than this compiled model`);
    throw e;
  }
  const t2 = performance.now();
  const proof = await plonkProve(pk, mc.instances, mc.witness, { onProgress: opts.onProgress });
  const t3 = performance.now();
  const meta = decodeModelMeta(vk.meta, opts.pkPath ?? 'pk.bin');
  if (!meta || meta.model === null) throw new InvalidArgumentError(`${opts.pkPath ?? 'pk.bin'} has no model metadata or model name (made by an older setup); run setup again`);
  const publicValues = decodePublicValues(meta, mc.instances);
  return {
    proofFile: {
      format: 'zkml-proof',
      version: 1,
      // The name the key stores (the file's label must match it; a renamed .zkc of the same circuit keeps it).
      model: meta.model,
      proof: Buffer.from(serializeProof(proof)).toString('hex'),
      instances: mc.instances.map((col) => col.map((v) => v.toString())),
      outputs: publicValues.filter((p) => p.kind === 'output').map(({ name, shape, values, dequantized }) => ({ name, shape, values, dequantized })),
      public: publicValues,
    },
    timings: { witness_ms: t1 - t0, pk_derive_ms: t2 - t1, prove_ms: t3 - t2 },
  };
}

/** Parses a proof file (JSON) for `vk`: FormatError on anything malformed. */
export function parseProofFile(text: string, vk: VerifyingKey, path: string) {
  let obj: ProofFile;
  try {
    obj = JSON.parse(text);
  } catch {
    throw new FormatError(path, 'not a proof file (expected JSON)');
  }
  if (obj?.format !== 'zkml-proof' || obj.version !== 1 || typeof obj.proof !== 'string' || !Array.isArray(obj.instances))
    throw new FormatError(path, 'not a zkml proof file (format, version, proof or instances missing)');
  if (!/^([0-9a-f]{2})*$/.test(obj.proof)) throw new FormatError(path, 'proof is not hex');
  const proof = deserializeProof(new Uint8Array(Buffer.from(obj.proof, 'hex')), vk, path);
  const instances = obj.instances.map((col, c) => {
    if (!Array.isArray(col)) throw new FormatError(path, `instances[${c}] is not a list`);
    return col.map((v, i) => {
      if (typeof v !== 'string' || !/^[0-9]+$/.test(v)) throw new FormatError(path, `instances[${c}][${i}] is not a decimal string`);
      const b = BigInt(v);
      if (b >= FR_MODULUS) throw new FormatError(path, `instances[${c}][${i}] is not below the field modulus`);
      return b;
    });
  });
  return { proof, instances, file: obj };
}

export type ModelVerifyResult = VerifyResult & {
  /** The proven public tensors, decoded through the VK's layout (only when valid and the VK has one). */
  public?: PublicValue[];
};

/**
 * Verifies a proof file. Beyond the proof itself, every readable field of the file must be what the VK and
 * the proven instances determine: `model` equals the name the VK stores, `outputs` and `public` equal the
 * instances decoded through the VK's layout (names, kinds, shapes, values), and no other field is present —
 * a file whose labels or numbers were edited is invalid even when its proof and instances are genuine.
 */
export async function verify(proofText: string, vkBytes: Uint8Array, paths: { proof?: string; vk?: string } = {}): Promise<ModelVerifyResult> {
  const vkPath = paths.vk ?? 'vk.bin';
  const vk = await deserializeVk(vkBytes, vkPath);
  const { proof, instances, file } = parseProofFile(proofText, vk, paths.proof ?? 'proof.json');
  const shapeOk = instances.length === vk.instanceLengths.length && instances.every((c, i) => c.length === vk.instanceLengths[i]);
  if (!shapeOk) return { valid: false, reason: 'public values do not match the shape the verifying key fixes' };
  const meta = decodeModelMeta(vk.meta, vkPath);
  const result = await plonkVerify(vk, instances, proof);
  if (!result.valid || !meta) return result;
  const proven = decodePublicValues(meta, instances);
  const mismatch = readableFieldMismatch(file, meta, proven);
  if (mismatch) return { valid: false, reason: mismatch };
  return { valid: true, public: proven };
}

const PROOF_FILE_KEYS = ['format', 'version', 'model', 'proof', 'instances', 'outputs', 'public'];

/** The first readable field of a proof file that differs from what the VK and the proven values fix, or null. */
function readableFieldMismatch(file: ProofFile, meta: ModelMeta, proven: PublicValue[]): string | null {
  const extra = Object.keys(file).filter((k) => !PROOF_FILE_KEYS.includes(k));
  if (extra.length > 0) return `the file has fields nothing checks: ${extra.join(', ')}`;
  if (meta.model === null) return 'the verifying key predates bound model names (made by an older setup); run setup again';
  if (file.model !== meta.model) return `the file's model label '${String(file.model)}' differs from the verifying key's '${meta.model}'`;
  // Compared field by field in a fixed order, so key order and extra keys in an entry both count.
  const canon = (e: unknown, keys: readonly string[]): string =>
    e && typeof e === 'object' && !Array.isArray(e) && Object.keys(e).length === keys.length ? JSON.stringify(keys.map((k) => (e as Record<string, unknown>)[k])) : 'malformed';
  const same = (claimed: unknown, want: readonly object[], keys: readonly string[]): boolean =>
    Array.isArray(claimed) && claimed.length === want.length && want.every((w, i) => canon(claimed[i], keys) === canon(w, keys));
  const outputs = proven.filter((p) => p.kind === 'output').map(({ name, shape, values, dequantized }) => ({ name, shape, values, dequantized }));
  if (!same(file.outputs, outputs, ['name', 'shape', 'values', 'dequantized'])) return "the file's outputs differ from the proven public values";
  if (!same(file.public, proven, ['name', 'kind', 'shape', 'values', 'dequantized'])) return "the file's public values differ from the proven ones";
  return null;
}

export async function readVk(path: string): Promise<VerifyingKey> {
  return deserializeVk(readFileOrThrow(path, 'verifying key'), path);
}
