/**
 * The library API: compile a model, set up keys, prove an inference, verify a proof. The CLI is a thin
 * layer over these functions.
 */
import { basename } from 'node:path';
import { totalmem } from 'node:os';
import { CircuitError, InvalidArgumentError } from '../errors.ts';
import { devSrs, loadPtau, prepareCommitBases, type Srs } from '../commit/index.ts';
import { buildModelCircuit, checkCommittedWeightsModel, chooseLayout, committedWeightsLabel, committedWeightValues, DEFAULT_COMMITTED_ACT_BITS, DEFAULT_WEIGHT_BITS, layoutInputs, LoweringError, MAX_DOT_OUTPUTS, MAX_TABLE_BITS, MIN_TABLE_BITS, resolveVisibility, type LayoutCost, type LayoutParams, type ModelCircuit, type Visibility, type WidthChoice } from '../compiler/index.ts';
import { costShapeOf, predictCost, type CostPrediction, type CostShape } from '../compiler/cost-model.ts';
import { mockProve, type MockProveResult } from '../circuit/mock-prover.ts';
import { loadModel, parseInputBytes, parseInputs, quantizeInput, quantizeModel } from '../model/index.ts';
import { assumedRanges, DEFAULT_SCALE_BITS, describeAssumed, syntheticSamples, type AssumedCalibration } from '../model/assumed-calibration.ts';
import { DEFAULT_INPUT_RANGE_SLACK } from '../model/quantize.ts';
import { checkCircuitDigest, CircuitMismatchError, keygen, provingKeyFromForms, type CircuitColumns } from '../plonk/keygen.ts';
import type { ProvingKey } from '../plonk/keys.ts';
import { prove as plonkProve } from '../plonk/prover.ts';
import { serializeProof } from '../plonk/encoding/proof.ts';
import { serializeVk } from '../plonk/encoding/vk.ts';
import { parsePkFile, serializePkFile } from './pk-file.ts';
import { circuitOptions, committedTensors, type CompiledModel } from './zkc.ts';
import { decodeModelMeta, decodePublicValues, encodeModelMeta } from './public-values.ts';
import type { ProofFile } from './verify.ts';
import { openOutputs, openingSalts, weightsSalt, type CommitmentFile, type OpeningFile, type WeightsOpeningFile } from './commit.ts';
import { randomSalt } from '../commit/tensor-commitment.ts';
import { startKernelThreads } from '../kernels/start.ts';
import { yieldToThreads } from '../kernels/platform.ts';

export * from './zkc.ts';
export { writeFileAtomic, readFileOrThrow } from './files.ts';
export { parsePkFile, serializePkFile } from './pk-file.ts';
export { decodeModelMeta, decodePublicValues, type ModelMeta, type PublicValue } from './public-values.ts';
export type { WidthChoice } from '../compiler/index.ts';
export { parseProofFile, readVk, verify, type ModelVerifyResult, type ProofFile } from './verify.ts';
export {
  commitInputs,
  commitWeights,
  compareCommitments,
  parseAnyOpeningFile,
  parseCommitmentFile,
  parseOpeningFile,
  parseWeightsOpeningFile,
  weightsSalt,
  writeCommitmentFiles,
  type CommitmentFile,
  type OpeningFile,
  type WeightsOpeningFile,
} from './commit.ts';

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
  /** Outputs per dot row (`--dot-outputs`, 1..16): outputs that read the same inputs share a row. */
  dotOutputs?: number;
  /**
   * Where proofs will be verified (`--verifier`): 'evm' keeps the dot rows to 8 weight columns (W·C ≤ 8)
   * unless `width`/`dotOutputs` say otherwise — every fixed column is one more commitment the on-chain
   * verifier opens (~7k gas each); the fastest-proving MNIST layout (64 weight columns) would cost ~1M gas.
   * Default 'native': the layout the cost model predicts proves fastest.
   */
  verifier?: 'native' | 'evm';
  /** Range-table bits T (`--table-bits`, 2..16): smaller tables, more limbs per range check. */
  tableBits?: number;
  /** Called before each layout compile makes (one per candidate it prices). */
  onLayout?: (laid: number, planned: number) => void;
  /** Per graph input/output 'public' or 'private' (default: inputs private, outputs public). */
  visibility?: Record<string, Visibility>;
  /**
   * Commit the weights (`--committed-weights`; compiler/weights.ts): the verifying key holds the
   * architecture only. The scale is then `scaleBits` (default 2^7, never chosen from the weights) and the
   * activation width `actBits` (default 24).
   */
  committedWeights?: boolean;
  /** Signed activation bits B (`--act-bits`), 2..60; default: from the calibrated bounds (24 with committed weights). */
  actBits?: number;
  /** Committed weights: signed bits of a weight at 2^s (`--weight-bits`), 2..64; default 16 (biases at 2^2s: s more). */
  weightBits?: number;
}

/**
 * Imports (ONNX or zkml msgpack), quantizes (calibrating on the given samples) and sizes the circuit of a
 * model file.
 */


/** What compile returns: the compiled model, the cost of its layout, and the layouts it priced. */
export interface CompileResult {
  compiled: CompiledModel;
  cost: LayoutCost['stats'];
  /** Every (width, table bits) layout priced when choosing (empty when none was searched). */
  widthChoices: WidthChoice[];
  /** The chosen layout's shape (as the cost model prices it) and widths, so no caller lays it out again. */
  layout: { shape: CostShape; params: LayoutParams };
  assumed?: AssumedCalibration & { note: string };
}

export function compile(
  modelPath: string,
  opts: CompileOptions = {},
): CompileResult {
  const { graph, zkml } = loadModel(modelPath);
  const file = opts.calibrationFile ?? 'calibration data';
  const samples = opts.calibrationBytes
    ? parseInputBytes(graph, opts.calibrationBytes, file, zkml?.scale)
    : opts.calibrationText
      ? parseInputs(graph, opts.calibrationText, file)
      : [];
  if (opts.scaleBits !== undefined && !(Number.isInteger(opts.scaleBits) && opts.scaleBits >= 1 && opts.scaleBits <= 24))
    throw new InvalidArgumentError(`--scale-bits must be an integer in [1, 24], got ${opts.scaleBits}`);
  if (opts.actBits !== undefined && !(Number.isInteger(opts.actBits) && opts.actBits >= 2 && opts.actBits <= 60))
    throw new InvalidArgumentError(`--act-bits must be an integer in [2, 60], got ${opts.actBits}`);
  // Committed weights: a scale chosen from the calibrated values would depend on the weights.
  let scaleBits = opts.scaleBits ?? zkml?.scaleBits ?? (opts.committedWeights ? DEFAULT_SCALE_BITS : undefined);
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
  const actBits = opts.actBits ?? (opts.committedWeights ? DEFAULT_COMMITTED_ACT_BITS : undefined);
  if (opts.weightBits !== undefined && !(opts.committedWeights && Number.isInteger(opts.weightBits) && opts.weightBits >= 2 && opts.weightBits <= 64))
    throw new InvalidArgumentError(`--weight-bits must be an integer in [2, 64], with --committed-weights; got ${opts.weightBits}`);
  const weightBits = opts.committedWeights ? (opts.weightBits ?? DEFAULT_WEIGHT_BITS) : undefined;
  if (opts.committedWeights) {
    try {
      checkCommittedWeightsModel(model);
    } catch (e) {
      if (e instanceof LoweringError) throw new InvalidArgumentError(`${basename(modelPath)}: --committed-weights: ${e.message}`);
      throw e;
    }
    try {
      committedWeightValues(model, weightBits);
    } catch (e) {
      if (e instanceof CircuitError) throw new InvalidArgumentError(`${basename(modelPath)}: ${e.message}`);
      throw e;
    }
  }
  if (opts.width !== undefined && !(Number.isInteger(opts.width) && opts.width >= 1 && opts.width <= 64))
    throw new InvalidArgumentError(`--cols must be an integer in [1, 64], got ${opts.width}`);
  if (opts.verifier !== undefined && opts.verifier !== 'native' && opts.verifier !== 'evm')
    throw new InvalidArgumentError(`--verifier must be 'native' or 'evm', got '${opts.verifier}'`);
  if (opts.dotOutputs !== undefined && !(Number.isInteger(opts.dotOutputs) && opts.dotOutputs >= 1 && opts.dotOutputs <= MAX_DOT_OUTPUTS))
    throw new InvalidArgumentError(`--dot-outputs must be an integer in [1, ${MAX_DOT_OUTPUTS}], got ${opts.dotOutputs}`);
  if (opts.visibility) {
    try {
      resolveVisibility(graph, opts.visibility);
    } catch (e) {
      throw new InvalidArgumentError((e as Error).message);
    }
  }
  const vis = opts.visibility ? { visibility: opts.visibility } : {};
  if (opts.tableBits !== undefined && !(Number.isInteger(opts.tableBits) && opts.tableBits >= MIN_TABLE_BITS && opts.tableBits <= MAX_TABLE_BITS))
    throw new InvalidArgumentError(`--table-bits must be an integer in [${MIN_TABLE_BITS}, ${MAX_TABLE_BITS}], got ${opts.tableBits}`);
  const choice = chooseLayout(model, {
    ...(opts.width !== undefined ? { width: opts.width } : {}),
    ...(opts.dotOutputs !== undefined ? { dotOutputs: opts.dotOutputs } : {}),
    ...(opts.verifier ? { verifier: opts.verifier } : {}),
    ...(opts.tableBits !== undefined ? { tableBits: opts.tableBits } : {}),
    ...vis,
    ...(opts.committedWeights ? { committedWeights: true } : {}),
    ...(actBits !== undefined ? { actBits } : {}),
    ...(weightBits !== undefined ? { weightBits } : {}),
    ...(opts.onLayout ? { onLayout: opts.onLayout } : {}),
  });
  const { width, dotOutputs, tableBits, inputsPerRow } = choice;
  const chosen = choice.layout;
  const widthChoices = choice.choices;
  const cost = chosen.stats;
  const k = opts.k ?? cost.k;
  if (k < cost.k) throw new InvalidArgumentError(`--k ${k} is too small: the circuit needs k ≥ ${cost.k}`);
  const compiled: CompiledModel = {
    model,
    k,
    source: basename(modelPath),
    ...(zkml ? { zkmlScale: zkml.scale } : {}),
    ...(width !== undefined ? { width } : {}),
    ...(dotOutputs !== undefined ? { dotOutputs } : {}),
    ...(tableBits !== undefined ? { tableBits } : {}),
    ...(inputsPerRow !== undefined ? { inputsPerRow } : {}),
    ...(opts.visibility ? { visibility: opts.visibility } : {}),
    ...(opts.committedWeights ? { committedWeights: true } : {}),
    ...(actBits !== undefined ? { actBits } : {}),
    ...(weightBits !== undefined ? { weightBits } : {}),
  };
  // The shape the cost model prices (degree, chunks, groups, evaluations) does not depend on k.
  return { compiled, cost, widthChoices, layout: { shape: chosen.shape, params: chosen.params }, ...(assumed ? { assumed } : {}) };
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
  opts: {
    onProgress?: (stage: string, done: number, total: number) => void;
    /** The cost model's figures for this circuit, once it is laid out (before keygen starts). */
    onPrediction?: (p: CostPrediction) => void;
  } = {},
): Promise<{ pk: ProvingKey; pkBytes: Uint8Array; vkBytes: Uint8Array }> {
  opts.onProgress?.('layout', 0, 1);
  const mc = buildModelCircuit(compiled.model, layoutInputs(compiled.model), circuitOptions(compiled));
  opts.onPrediction?.(predictCost({ ...mc.stats, k: mc.k }, costShapeOf(mc.cs, mc.k)));
  // With committed weights the key names the architecture (digest and commitment scheme), not the model
  // file: nothing in the key may depend on the weights, and the file's name could tell them apart.
  const label = compiled.committedWeights ? committedWeightsLabel(compiled.model, compiled.weightBits) : compiled.source;
  const meta = encodeModelMeta({ scaleBits: compiled.model.settings.scaleBits, layout: mc.publicLayout, model: label });
  const pk = await keygen(srs, mc.circuit, { meta, ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) });
  return { pk, pkBytes: await serializePkFile(pk), vkBytes: serializeVk(pk.vk) };
}

/** The proving key of the last proof in this process: the next proof of the same circuit reuses it. */
let lastProvingKey: { pk: ProvingKey; fileSum: Uint8Array } | undefined;

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export interface ProveTimings {
  /** Reading pk.bin (checksum, VK, SRS; the coefficient forms are views into the file's bytes). */
  pk_read_ms: number;
  witness_ms: number;
  /** Checking the rebuilt circuit's digest (σ from the copies, hashing) and assembling the key from pk.bin's forms. */
  pk_derive_ms: number;
  prove_ms: number;
}

/**
 * The circuit with its witness for one input (JSON text, or bytes: JSON or a zkml .msgpack input); the
 * opening supplies the salts of committed inputs (checked against the input first).
 */
function witnessCircuit(
  compiled: CompiledModel,
  input: string | Uint8Array,
  inputFile = 'input.json',
  opening?: { file: OpeningFile; path?: string },
  weights?: { file: WeightsOpeningFile; path?: string },
  outputSalts: Readonly<Record<string, bigint>> = {},
): ModelCircuit {
  const { model } = compiled;
  const samples =
    typeof input === 'string' ? parseInputs(model.graph, input, inputFile) : parseInputBytes(model.graph, input, inputFile, compiled.zkmlScale);
  if (samples.length !== 1) throw new InvalidArgumentError(`${inputFile}: expected one input sample, got ${samples.length}`);
  const q: Record<string, ReturnType<typeof quantizeInput>> = {};
  for (const [name, x] of Object.entries(samples[0]!)) q[name] = quantizeInput(name, x, model.settings);
  const salts = { ...openingSalts(committedTensors(compiled).inputs, q, opening?.file, opening?.path), ...outputSalts };
  const wSalt = weightsSalt(compiled, weights?.file, weights?.path);
  return buildModelCircuit(model, q, { ...circuitOptions(compiled), salts, ...(wSalt !== undefined ? { weightsSalt: wSalt } : {}) });
}

/**
 * Checks one inference's witness against every constraint without cryptography (the MockProver): the
 * failures name the gate, lookup or copy, the row, the cells and the region that produced them. The
 * developer's debugger for a model that does not prove; an honest input gives `{ ok: true }`.
 */
export function mockProveModel(
  compiled: CompiledModel,
  input: string | Uint8Array,
  opts: { inputFile?: string; maxFailures?: number; opening?: OpeningFile; openingPath?: string; weightsOpening?: WeightsOpeningFile; weightsOpeningPath?: string } = {},
): MockProveResult {
  const mc = witnessCircuit(
    compiled,
    input,
    opts.inputFile,
    opts.opening ? { file: opts.opening, path: opts.openingPath } : undefined,
    opts.weightsOpening ? { file: opts.weightsOpening, path: opts.weightsOpeningPath } : undefined,
  );
  return mockProve(mc.cs, mc.k, mc.assignment, { maxFailures: opts.maxFailures ?? 10 });
}

/**
 * Proves one inference. `pkFileBytes` is pk.bin: the circuit rebuilt by the witness layout must have the
 * digest stored there; the proving key is then assembled from the circuit's columns and pk.bin's
 * coefficient forms (no import, simplification or keygen: the compiled model holds the simplified graph,
 * pk.bin the key).
 * `onProgress` reports the stages: 'read key', 'witness', 'circuit digest', then the prover's own.
 */
export async function prove(
  compiled: CompiledModel,
  pkFileBytes: Uint8Array,
  input: string | Uint8Array,
  opts: {
    inputFile?: string;
    pkPath?: string;
    onProgress?: (stage: string, done: number, total: number) => void;
    /** The cost model's figures for this circuit, once the witness is laid out (before the proof starts). */
    onPrediction?: (p: CostPrediction) => void;
    /** The opening of the model's committed inputs (zkml commit's opening.json, parsed by parseOpeningFile). */
    opening?: OpeningFile;
    openingPath?: string;
    /** The weights opening of a committed-weights model (zkml commit model.zkc; parseWeightsOpeningFile). */
    weightsOpening?: WeightsOpeningFile;
    weightsOpeningPath?: string;
    /** Memory the proof may take (MB; default: this machine's total memory): the quotient is evaluated in smaller pieces to stay within it. */
    maxMemoryMb?: number;
  } = {},
): Promise<{ proofFile: ProofFile; timings: ProveTimings; outputOpening?: { commitment: CommitmentFile; opening: OpeningFile } }> {
  const pkPath = opts.pkPath ?? 'pk.bin';
  // The kernel threads boot on the other cores while this thread reads the key and computes the witness.
  startKernelThreads(compiled.k);
  const tr = performance.now();
  opts.onProgress?.('read key', 0, 1);
  const { vk, circuitDigest, srs, forms } = await parsePkFile(pkFileBytes, pkPath);
  // The commitments' table of [τ^i]₁ is built on the MSM threads while this thread computes the witness:
  // its tasks are posted a few promise steps on, so this thread lets them go before the witness's long
  // synchronous stretch (else the build would start only when the proof first awaits, and be waited for).
  prepareCommitBases(srs, vk.k).catch(() => undefined);
  await yieldToThreads();
  const t0 = performance.now();
  opts.onProgress?.('witness', 0, 1);
  // Committed outputs: each under a fresh salt, kept in the output opening this returns.
  const outputSalts = Object.fromEntries(committedTensors(compiled).outputs.map((name) => [name, randomSalt()]));
  const mc = witnessCircuit(
    compiled,
    input,
    opts.inputFile,
    opts.opening ? { file: opts.opening, path: opts.openingPath } : undefined,
    opts.weightsOpening ? { file: opts.weightsOpening, path: opts.weightsOpeningPath } : undefined,
    outputSalts,
  );
  const t1 = performance.now();
  opts.onPrediction?.(predictCost({ ...mc.stats, k: mc.k }, costShapeOf(mc.cs, mc.k)));
  opts.onProgress?.('circuit digest', 0, 1);
  let cols: CircuitColumns | undefined;
  try {
    cols = checkCircuitDigest(mc.circuit, circuitDigest);
  } catch (e) {
    if (e instanceof CircuitMismatchError) throw new InvalidArgumentError(`${pkPath} was made for a different circuit than this compiled model`);
    throw e;
  }
  // A key kept from the previous proof made from the same file (its checksum: the stored coset values are
  // the file's too) keeps the prover's cached coset values. Only a key that gave a proof is kept.
  const fileSum = pkFileBytes.slice(pkFileBytes.length - 32);
  const kept = lastProvingKey;
  const pk =
    kept && bytesEqual(kept.fileSum, fileSum) && bytesEqual(kept.pk.circuitDigest, circuitDigest) && bytesEqual(kept.pk.vk.digest, vk.digest)
      ? kept.pk
      : provingKeyFromForms(vk, cols, srs, forms);
  // The key holds the Lagrange forms the prover reads; the circuit's other columns need not outlive it.
  cols = undefined;
  const t2 = performance.now();
  const proof = await plonkProve(pk, mc.instances, mc.witness, { onProgress: opts.onProgress, maxMemoryBytes: (opts.maxMemoryMb ?? totalmem() / 2 ** 20) * 2 ** 20 });
  lastProvingKey = { pk, fileSum };
  const t3 = performance.now();
  const meta = decodeModelMeta(vk.meta, pkPath);
  if (!meta || meta.model === null) throw new InvalidArgumentError(`${pkPath} has no model metadata or model name (made by an older setup); run setup again`);
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
    timings: { pk_read_ms: t0 - tr, witness_ms: t1 - t0, pk_derive_ms: t2 - t1, prove_ms: t3 - t2 },
    ...(mc.committedOutputs.length ? { outputOpening: openOutputs(mc.committedOutputs, outputSalts) } : {}),
  };
}

