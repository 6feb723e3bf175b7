/**
 * Keys of the step circuit for one configuration. The configuration is stored in the verifying key's
 * metadata (bound by its digest), so a key says which architecture, batch, scale and learning rate its
 * proofs are about, and a verifier reads them from the key it trusts rather than from the proof file.
 */
import { FormatError } from '../../errors.ts';
import { loadSrs } from '../../api/index.ts';
import { serializePkFile } from '../../api/pk-file.ts';
import { keygen } from '../../plonk/keygen.ts';
import { serializeVk } from '../../plonk/encoding/vk.ts';
import type { VerifyingKey } from '../../plonk/keys.ts';
import { stepCircuit } from './circuit.ts';
import { parseConfig } from './files.ts';
import { checkConfig, type TrainConfig } from './reference.ts';

const META_APP = 'zkml-training-step';

/** The metadata bytes of a step key: {app, version, config} as JSON. */
export function encodeTrainingMeta(c: TrainConfig): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ app: META_APP, version: 1, config: c }));
}

/** The configuration a verifying key was made for; FormatError when it is not a training-step key. */
export function trainingConfigOf(vk: VerifyingKey, vkPath: string): TrainConfig {
  let meta: unknown;
  try {
    meta = JSON.parse(new TextDecoder().decode(vk.meta));
  } catch {
    meta = undefined;
  }
  const m = meta as { app?: unknown; version?: unknown; config?: unknown } | undefined;
  if (!m || m.app !== META_APP || m.version !== 1) throw new FormatError(vkPath, 'not a training-step key (make one with zkml train-setup)');
  return parseConfig(m.config, vkPath);
}

/** pk.bin and vk.bin of the step circuit (SRS: a .ptau file, or the insecure dev SRS). */
export async function trainSetup(
  config: TrainConfig,
  srsOpts: { srsPath?: string; dev?: boolean },
  onProgress?: (stage: string, done: number, total: number) => void,
): Promise<{ k: number; rows: number; pkBytes: Uint8Array; vkBytes: Uint8Array }> {
  const c = checkConfig(config);
  onProgress?.('layout', 0, 1);
  const { built } = stepCircuit(c);
  const srs = await loadSrs(srsOpts, built.k);
  const pk = await keygen(srs, built.circuit, { meta: encodeTrainingMeta(c), ...(onProgress ? { onProgress } : {}) });
  return { k: built.k, rows: built.rows, pkBytes: await serializePkFile(pk), vkBytes: serializeVk(pk.vk) };
}
