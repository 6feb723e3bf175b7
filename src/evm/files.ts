/**
 * The EVM face over the project's files: a Solidity verifier from vk.bin bytes, calldata from a
 * proof.json text. Hostile input gives a typed ZkmlError with a one-line message, never a crash.
 */
import { readProofFileFields } from '../api/proof-file.ts';
import { deserializeProof } from '../plonk/encoding/proof.ts';
import { FormatError, ZkmlError } from '../errors.ts';
import { checkInstances } from '../plonk/instances.ts';
import { deserializeVk } from '../plonk/encoding/vk.ts';
import { encodeCalldata, verifierSignature } from './calldata.ts';
import { generateVerifier, type GeneratedVerifier } from './generate.ts';

/** Any error as a one-line ZkmlError that names the file (a FormatError unless it was a ZkmlError already). */
function typed(e: unknown, path: string, doing: string): never {
  const message = ((e as Error)?.message ?? String(e)).split('\n')[0]!;
  if (e instanceof ZkmlError) {
    if (message.includes(path)) throw e;
    const Same = e.constructor as new (m: string) => ZkmlError;
    throw e instanceof FormatError ? new FormatError(path, message) : new Same(`${path}: ${message}`);
  }
  throw new FormatError(path, `${doing}: ${message}`);
}

export async function verifierFromVkBytes(vkBytes: Uint8Array, vkPath: string, opts: { contractName?: string } = {}): Promise<GeneratedVerifier> {
  const vk = await deserializeVk(vkBytes, vkPath).catch((e) => typed(e, vkPath, 'cannot read the verifying key'));
  try {
    return generateVerifier(vk, opts);
  } catch (e) {
    typed(e, vkPath, 'cannot generate a verifier for this key');
  }
}

export interface ProofCalldata {
  readonly calldata: Uint8Array;
  readonly signature: string;
  /** Whether the proof was checked against a verifying key (element counts, curve points, public-value shape). */
  readonly checkedAgainstVk: boolean;
}

/**
 * Calldata for a proof.json. With the verifying key every element is validated as `zkml verify` would
 * (points on the curve, scalars canonical, public values of the key's shape); without it, only the file's
 * own format (hex proof with its header, canonical decimal public values).
 */
export async function calldataFromProofFile(text: string, proofPath: string, vk?: { bytes: Uint8Array; path: string }): Promise<ProofCalldata> {
  const { proofBytes, instances } = readProofFileFields(text, proofPath);
  if (vk) {
    const key = await deserializeVk(vk.bytes, vk.path).catch((e) => typed(e, vk.path, 'cannot read the verifying key'));
    deserializeProof(proofBytes, key, proofPath); // points on the curve, scalars canonical, the key's proof length
    try {
      checkInstances(key, instances);
    } catch (e) {
      typed(e, proofPath, 'public values do not match the verifying key');
    }
  }
  const calldata = encodeCalldata(proofBytes, instances, proofPath);
  const shape = { proofWords: (proofBytes.length - 8) / 32, instanceWords: instances.flat().length };
  return { calldata, signature: verifierSignature(shape), checkedAgainstVk: vk !== undefined };
}

