/**
 * Verifying a training file against the step circuit's verifying key. Valid when:
 *   - the key is a training-step key and its configuration is the file's;
 *   - every step's proof verifies with public values (weights before, batch, weights after), as the file
 *     lists them;
 *   - step 0 starts from initial_weights_commitment, each next step's weights-before is the previous one's
 *     weights-after (a swapped, dropped or foreign step breaks this), and the last one's weights-after is
 *     final_weights_commitment;
 *   - batches_commitment is the chain of the steps' batch commitments; and, when the caller names them,
 *     the initial weights commitment is the expected one and the key is the step circuit of its stated
 *     configuration over the given SRS (setup.ts checkTrainingKey; without an SRS the key is trusted as
 *     given, like any verifying key).
 * The verifier learns the configuration, the step count and the commitments: no weight, input or label.
 */
import { FormatError } from '../../errors.ts';
import { deserializeVk } from '../../plonk/encoding/vk.ts';
import { deserializeProof } from '../../plonk/encoding/proof.ts';
import { verify as plonkVerify } from '../../plonk/verifier.ts';
import { chainCommitment } from '../audit/chain.ts';
import { hex32, parseTrainingFile, sameConfig, type TrainingFile } from './files.ts';
import { checkTrainingKey, trainingConfigOf } from './setup.ts';
import type { Srs } from '../../commit/srs.ts';

export interface TrainVerifyResult {
  valid: boolean;
  reason?: string;
  /** What a valid file establishes. */
  training?: Omit<TrainingFile, 'proofs' | 'format' | 'version'>;
}

const hexBytes = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h, 'hex'));

/** Verifies training.json text against vk.bin bytes (FormatError when either cannot be read). */
export async function verifyTraining(
  text: string,
  vkBytes: Uint8Array,
  paths: { file?: string; vk?: string } = {},
  expected: { initial?: string; srs?: Srs } = {},
): Promise<TrainVerifyResult> {
  const path = paths.file ?? 'training.json';
  const vkPath = paths.vk ?? 'vk.bin';
  const file = parseTrainingFile(text, path);
  const vk = await deserializeVk(vkBytes, vkPath);
  const config = trainingConfigOf(vk, vkPath);
  const invalid = (reason: string): TrainVerifyResult => ({ valid: false, reason });
  if (!sameConfig(config, file.config)) return invalid(`the file's configuration differs from the verifying key's ${JSON.stringify(config)}`);
  if (expected.srs) {
    const wrong = await checkTrainingKey(vk, expected.srs, vkPath);
    if (wrong) return invalid(wrong);
  }
  let previous = file.initial_weights_commitment;
  for (let t = 0; t < file.proofs.length; t++) {
    const p = file.proofs[t]!;
    if (p.weights_before !== previous)
      return invalid(t === 0 ? 'step 0 does not start from initial_weights_commitment' : `step ${t} does not start from step ${t - 1}'s weights (steps swapped, dropped or from another run)`);
    let proof;
    try {
      proof = deserializeProof(hexBytes(p.proof), vk, `${path} step ${t}`);
    } catch (e) {
      if (e instanceof FormatError) return invalid(`step ${t}: ${e.message}`);
      throw e;
    }
    const r = await plonkVerify(vk, [[BigInt(p.weights_before), BigInt(p.batch), BigInt(p.weights_after)]], proof);
    if (!r.valid) return invalid(`step ${t}: the proof does not verify (${r.reason})`);
    previous = p.weights_after;
  }
  if (previous !== file.final_weights_commitment) return invalid("final_weights_commitment is not the last step's weights-after");
  const batches = hex32(chainCommitment(file.proofs.map((p) => BigInt(p.batch))));
  if (batches !== file.batches_commitment) return invalid(`batches_commitment is not the chain of the steps' batch commitments (${batches})`);
  if (expected.initial !== undefined && expected.initial !== file.initial_weights_commitment) return invalid(`the training does not start from the expected weights commitment ${expected.initial}`);
  const { proofs: _p, format: _f, version: _v, ...training } = file;
  return { valid: true, training };
}
