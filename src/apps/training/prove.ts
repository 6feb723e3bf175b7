/**
 * Proving k SGD steps: the integer reference runs over all steps first (a value out of range fails before
 * any proving), then one proof of the step circuit per step. Step t's weights-after commitment is step
 * t+1's weights-before commitment — the same weights under the same salt — so the proofs chain; the batch
 * commitments are chained into one dataset-side commitment (chain.ts of the audit: a commitment to the
 * list of commitments under salt 0).
 */
import { InvalidArgumentError } from '../../errors.ts';
import { randomSalt } from '../../commit/tensor-commitment.ts';
import { packedCommitment } from './commitment.ts';
import { parsePkFile } from '../../api/pk-file.ts';
import { checkCircuitDigest, CircuitMismatchError, provingKeyFromForms } from '../../plonk/keygen.ts';
import type { ProvingKey } from '../../plonk/keys.ts';
import { prove as plonkProve } from '../../plonk/prover.ts';
import { serializeProof } from '../../plonk/encoding/proof.ts';
import { chainCommitment } from '../audit/chain.ts';
import { stepCircuit } from './circuit.ts';
import { batchOf, hex32, TRAINING_FORMAT, TRAINING_OPENING_FORMAT, TRAINING_VERSION, type TrainingDataset, type TrainingFile, type TrainingOpening } from './files.ts';
import { flattenBatch, flattenWeights, sgdStep, type IntWeights, type TrainConfig } from './reference.ts';
import { trainingConfigOf } from './setup.ts';

export interface TrainProveOptions {
  pkPath?: string;
  /** The salt of the starting weights (an opening being continued); default: a fresh one. */
  startSalt?: bigint;
  /** The dataset position of the first step (an opening's next_step; default 0): step t trains on batch firstStep + t. */
  firstStep?: number;
  /** Draws every other salt (default: uniformly random). */
  salt?: () => bigint;
  /** Called after each step's proof. */
  onStep?: (done: number, total: number) => void;
}

export interface TrainTimings {
  /** Wall time of everything, and the proof alone of each step (witness layout excluded). */
  total_ms: number;
  witness_ms: number[];
  prove_ms: number[];
}

/** The configuration a pk.bin was made for (read from its verifying key). */
export async function trainingConfigOfPk(pkBytes: Uint8Array, pkPath: string): Promise<TrainConfig> {
  return trainingConfigOf((await parsePkFile(pkBytes, pkPath)).vk, pkPath);
}

/** Proves `steps` SGD steps from `start` over the dataset (batches in order, cycling). Writes nothing. */
export async function proveTraining(
  pkBytes: Uint8Array,
  start: IntWeights,
  dataset: TrainingDataset,
  steps: number,
  opts: TrainProveOptions = {},
): Promise<{ file: TrainingFile; opening: TrainingOpening; final: IntWeights; timings: TrainTimings }> {
  const pkPath = opts.pkPath ?? 'pk.bin';
  if (!Number.isSafeInteger(steps) || steps < 1 || steps > 100_000) throw new InvalidArgumentError(`--steps must be a positive integer, got ${steps}`);
  const t0 = performance.now();
  const { vk, circuitDigest, srs, forms } = await parsePkFile(pkBytes, pkPath);
  const config = trainingConfigOf(vk, pkPath);
  const draw = opts.salt ?? randomSalt;
  // The reference first: every step's weights, so a range error stops the run before any proof.
  const weights: IntWeights[] = [start];
  const first = opts.firstStep ?? 0;
  const batchAt = (t: number) => batchOf(dataset, config, first + t);
  for (let t = 0; t < steps; t++) weights.push(sgdStep(config, weights[t]!, batchAt(t), `step ${first + t}`).after);
  const wSalts = [opts.startSalt ?? draw(), ...Array.from({ length: steps }, () => draw())];
  const bSalts = Array.from({ length: steps }, () => draw());
  let pk: ProvingKey | undefined;
  const proofs: TrainingFile['proofs'] = [];
  const timings: TrainTimings = { total_ms: 0, witness_ms: [], prove_ms: [] };
  for (let t = 0; t < steps; t++) {
    const tw = performance.now();
    const batch = batchAt(t);
    const salts = { before: wSalts[t]!, batch: bSalts[t]!, after: wSalts[t + 1]! };
    const sc = stepCircuit(config, { before: weights[t]!, batch, salts }, { k: vk.k });
    if (JSON.stringify(sc.after) !== JSON.stringify(weights[t + 1])) throw new Error(`internal: step ${t}: the circuit's weights differ from the reference`);
    if (!pk) {
      try {
        pk = provingKeyFromForms(vk, checkCircuitDigest(sc.built.circuit, circuitDigest), srs, forms);
      } catch (e) {
        if (e instanceof CircuitMismatchError) throw new InvalidArgumentError(`${pkPath} was made for a different step circuit (run zkml train-setup again)`);
        throw e;
      }
    }
    const tp = performance.now();
    const proof = await plonkProve(pk, sc.built.instances, sc.built.witness);
    timings.witness_ms.push(tp - tw);
    timings.prove_ms.push(performance.now() - tp);
    const [before, batchC, after] = sc.built.instances[0]! as [bigint, bigint, bigint];
    proofs.push({ weights_before: hex32(before), batch: hex32(batchC), weights_after: hex32(after), proof: Buffer.from(serializeProof(proof)).toString('hex') });
    opts.onStep?.(t + 1, steps);
  }
  const batchCommitments = proofs.map((p) => BigInt(p.batch));
  const final = weights[steps]!;
  const finalC = packedCommitment(flattenWeights(final), config.actBits, wSalts[steps]!);
  if (hex32(finalC) !== proofs[steps - 1]!.weights_after) throw new Error('internal: the last proof does not commit to the final weights');
  for (let t = 0; t < steps; t++)
    if (hex32(packedCommitment(flattenBatch(batchAt(t)), config.actBits, bSalts[t]!)) !== proofs[t]!.batch) throw new Error(`internal: step ${t}: batch commitment differs`);
  const file: TrainingFile = {
    format: TRAINING_FORMAT,
    version: TRAINING_VERSION,
    config,
    steps,
    initial_weights_commitment: proofs[0]!.weights_before,
    final_weights_commitment: hex32(finalC),
    batches_commitment: hex32(chainCommitment(batchCommitments)),
    proofs,
  };
  const opening: TrainingOpening = {
    format: TRAINING_OPENING_FORMAT,
    version: TRAINING_VERSION,
    config,
    weights_commitment: hex32(finalC),
    weights_salt: hex32(wSalts[steps]!),
    weights: final,
    next_step: first + steps,
    weights_salts: wSalts.map(hex32),
    batch_salts: bSalts.map(hex32),
  };
  timings.total_ms = performance.now() - t0;
  return { file, opening, final, timings };
}
