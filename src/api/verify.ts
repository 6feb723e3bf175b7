/**
 * Verifying a proof file (proof-file.ts, which has no Node APIs) and reading a verifying key from a file.
 */
import type { VerifyingKey } from '../plonk/keys.ts';
import { deserializeVk } from '../plonk/encoding/vk.ts';
import { readFileOrThrow } from './files.ts';

export { parseProofFile, verify, type ModelVerifyResult, type ProofFile } from './proof-file.ts';

export async function readVk(path: string): Promise<VerifyingKey> {
  return deserializeVk(readFileOrThrow(path, 'verifying key'), path);
}
