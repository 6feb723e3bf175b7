/**
 * The verifier for a browser: the same checks as `zkml verify` (src/api/proof-file.ts: the proof against the
 * verifying key, every readable field of proof.json against what the key and the proven instances fix), on
 * bytes the caller already holds. Nothing here or below it uses a Node API: the pairing and the short G1
 * combinations run on @noble/curves, the transcript on @noble/hashes.
 */
import { ZkmlError } from '../errors.ts';
import { verify } from '../api/proof-file.ts';
import type { PublicValue } from '../api/public-values.ts';

export type { PublicValue };

export interface BrowserVerifyResult {
  /** 'valid': the proof verifies; 'invalid': readable but not proven (reason); 'unreadable': a malformed file (reason). */
  status: 'valid' | 'invalid' | 'unreadable';
  reason?: string;
  /** The proven public tensors, decoded through the verifying key's layout (valid proofs of model keys only). */
  public?: PublicValue[];
  /** Wall time of the verification (parsing both files included), in milliseconds. */
  verifyMs: number;
}

/**
 * Verifies proof.json (its text) against vk.bin (its bytes). Never throws for bad input: a malformed file
 * is 'unreadable' with the message `zkml verify` prints (exit 2 there), a proof that fails 'invalid' (exit 1).
 */
export async function verifyProofFile(proofJsonText: string, vkBytes: Uint8Array): Promise<BrowserVerifyResult> {
  const t0 = performance.now();
  const ms = () => +(performance.now() - t0).toFixed(1);
  try {
    const result = await verify(proofJsonText, vkBytes, { proof: 'proof.json', vk: 'vk.bin' });
    if (!result.valid) return { status: 'invalid', reason: result.reason, verifyMs: ms() };
    return { status: 'valid', public: result.public, verifyMs: ms() };
  } catch (e) {
    if (e instanceof ZkmlError) return { status: 'unreadable', reason: e.message, verifyMs: ms() };
    // Anything else is an input this version failed to classify, as the CLI reports it (exit 2).
    const err = e instanceof Error ? e : new Error(String(e));
    return { status: 'unreadable', reason: `unexpected ${err.name}: ${err.message}`, verifyMs: ms() };
  }
}
