/**
 * Differential checking of a generated verifier against the TypeScript one: the same proof bytes and
 * public values go to both, and each says accept or reject. Tamper cases follow
 * test/plonk/soundness.test.ts: every proof element altered in turn (a point replaced by another valid
 * point or given an invalid encoding, a scalar's low bit flipped or made non-canonical), wrong public
 * values, wrong lengths.
 */
import type { Address } from '@ethereumjs/util';
import { FR_MODULUS } from '../../src/scalar/fr.ts';
import type { VerifyingKey } from '../../src/plonk/keys.ts';
import { verify } from '../../src/plonk/verifier.ts';
import { deserializeProof, proofCounts } from '../../src/plonk/encoding/proof.ts';
import { PROOF_HEADER_BYTES, functionSelector, verifierSignature } from '../../src/evm/calldata.ts';
import { ZkmlError } from '../../src/errors.ts';
import type { InProcessEvm } from './harness.ts';

export interface Case {
  readonly name: string;
  readonly proof: Uint8Array;
  readonly instances: readonly (readonly bigint[])[];
}

/** TypeScript verdict: a FormatError while parsing or a thrown shape error counts as a rejection. */
export async function tsAccepts(vk: VerifyingKey, c: Case): Promise<boolean> {
  try {
    return (await verify(vk, c.instances, deserializeProof(c.proof, vk))).valid;
  } catch (e) {
    if (e instanceof ZkmlError || e instanceof RangeError) return false;
    throw e;
  }
}

/**
 * Calldata built without validation (encodeCalldata refuses non-canonical public values): the selector
 * of the contract's own signature, the proof body, public values as 256-bit words.
 */
export function rawCalldata(vk: VerifyingKey, c: Case): Uint8Array {
  const { points, scalars } = proofCounts(vk);
  const shape = { proofWords: 2 * points + scalars, instanceWords: vk.instanceLengths.reduce((a, b) => a + b, 0) };
  const body = c.proof.subarray(PROOF_HEADER_BYTES);
  const flat = c.instances.flat();
  const out = new Uint8Array(4 + body.length + 32 * flat.length);
  out.set(functionSelector(verifierSignature(shape)), 0);
  out.set(body, 4);
  flat.forEach((v, i) => {
    let x = v;
    for (let b = 31; b >= 0; b--, x >>= 8n) out[4 + body.length + 32 * i + b] = Number(x & 0xffn);
  });
  return out;
}

export async function evmAccepts(evm: InProcessEvm, at: Address, vk: VerifyingKey, c: Case): Promise<boolean> {
  return (await evm.call(at, rawCalldata(vk, c))).accepted;
}

const GENERATOR = (() => {
  const g = new Uint8Array(64);
  g[31] = 1;
  g[63] = 2;
  return g;
})();

/** Byte offset (in the proof bytes) of point i in proof order, W and W′ last. */
function pointOffset(vk: VerifyingKey, i: number): number {
  const { points, scalars } = proofCounts(vk);
  return i < points - 2 ? 8 + 64 * i : 8 + 64 * (points - 2) + 32 * scalars + 64 * (i - (points - 2));
}

/**
 * Every single-element tamper of an honest proof. `only` picks which kinds: 'valid' keeps every encoding
 * canonical (the transcript and pairing must catch it), 'encoding' breaks encodings (parsing must).
 */
export function tamperCases(vk: VerifyingKey, proof: Uint8Array, instances: readonly (readonly bigint[])[], only: 'all' | 'valid' = 'all'): Case[] {
  const { points, scalars } = proofCounts(vk);
  const out: Case[] = [];
  const edit = (name: string, f: (b: Uint8Array) => void) => {
    const b = proof.slice();
    f(b);
    out.push({ name, proof: b, instances });
  };
  for (let i = 0; i < points; i++) {
    const off = pointOffset(vk, i);
    edit(`point ${i} replaced by the generator`, (b) => b.set(GENERATOR, off));
    if (only === 'all') {
      edit(`point ${i} with its y coordinate changed (off the curve)`, (b) => (b[off + 63] ^= 1));
      edit(`point ${i} with x ≥ q`, (b) => b.fill(0xff, off, off + 32));
    }
  }
  for (let j = 0; j < scalars; j++) {
    const off = 8 + 64 * (points - 2) + 32 * j;
    edit(`evaluation ${j} with its low bit flipped`, (b) => (b[off + 31] ^= 1));
    if (only === 'all')
      edit(`evaluation ${j} + r (non-canonical)`, (b) => {
        let v = 0n;
        for (let t = 0; t < 32; t++) v = (v << 8n) | BigInt(b[off + t]!);
        v += FR_MODULUS;
        for (let t = 31; t >= 0; t--, v >>= 8n) b[off + t] = Number(v & 0xffn);
      });
  }
  const flat = instances.flat();
  if (flat.length > 0) {
    const shifted = (delta: bigint) => instances.map((col, c) => col.map((v, i) => (c === instances.findIndex((x) => x.length > 0) && i === 0 ? v + delta : v)));
    out.push({ name: 'first public value + 1', proof, instances: shifted(1n).map((col) => col.map((v) => v % FR_MODULUS)) });
    out.push({ name: 'first public value + r (non-canonical)', proof, instances: shifted(FR_MODULUS) });
  }
  out.push({ name: 'proof one word short', proof: proof.subarray(0, proof.length - 32), instances });
  out.push({ name: 'proof one word longer', proof: new Uint8Array([...proof, ...new Uint8Array(32)]), instances });
  const w = pointOffset(vk, points - 2);
  edit('W and W′ swapped', (b) => {
    const W = b.slice(w, w + 64);
    b.copyWithin(w, w + 64, w + 128);
    b.set(W, w + 64);
  });
  return out;
}
