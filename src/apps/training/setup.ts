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
import type { ProvingKey, VerifyingKey } from '../../plonk/keys.ts';
import type { Srs } from '../../commit/srs.ts';
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

type Progress = (stage: string, done: number, total: number) => void;

/** The proving key of the step circuit of `config` over `srs` (or the SRS loaded for its k); its VK carries the configuration. */
export async function trainKeys(config: TrainConfig, srs: Srs | ((k: number) => Promise<Srs>), onProgress?: Progress): Promise<{ pk: ProvingKey; rows: number }> {
  const c = checkConfig(config);
  onProgress?.('layout', 0, 1);
  const { built } = stepCircuit(c);
  const s = typeof srs === 'function' ? await srs(built.k) : srs;
  const pk = await keygen(s, built.circuit, { meta: encodeTrainingMeta(c), ...(onProgress ? { onProgress } : {}) });
  return { pk, rows: built.rows };
}

/** pk.bin and vk.bin of the step circuit (SRS: a .ptau file, or the insecure dev SRS). */
export async function trainSetup(
  config: TrainConfig,
  srsOpts: { srsPath?: string; dev?: boolean },
  onProgress?: Progress,
): Promise<{ k: number; rows: number; pkBytes: Uint8Array; vkBytes: Uint8Array }> {
  const { pk, rows } = await trainKeys(config, (k) => loadSrs(srsOpts, k), onProgress);
  return { k: pk.vk.k, rows, pkBytes: await serializePkFile(pk), vkBytes: serializeVk(pk.vk) };
}

/**
 * Whether `vk` is the step circuit of the configuration its metadata states, over `srs` (the ceremony's
 * powers): the circuit is rebuilt from that configuration and its key recomputed, so a verifier holding the
 * SRS need not trust whoever made vk.bin. Returns the reason when it is not.
 */
export async function checkTrainingKey(vk: VerifyingKey, srs: Srs, vkPath = 'vk.bin'): Promise<string | null> {
  const config = trainingConfigOf(vk, vkPath);
  if (stepCircuit(config).built.k !== vk.k) return `the verifying key has k = ${vk.k}, the step circuit of its configuration another`;
  const { pk } = await trainKeys(config, srs);
  const same = pk.vk.digest.length === vk.digest.length && pk.vk.digest.every((x, i) => x === vk.digest[i]);
  return same ? null : 'the verifying key is not the step circuit of its stated configuration over this SRS (another circuit, or another SRS)';
}
