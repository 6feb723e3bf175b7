// A key verified again combines its fixed and σ commitments through precomputed tables
// (src/curve/precomputed-bases.ts): the honest proof still verifies and altered ones are still rejected,
// including after the key's points change.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { devSrs } from '../../src/commit/index.ts';
import { keyBases } from '../../src/commit/shplonk/verifier.ts';
import { g1GeneratorSync } from '../../src/curve/g1.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import { keygen } from '../../src/plonk/keygen.ts';
import type { VerifyingKey } from '../../src/plonk/keys.ts';
import { prove } from '../../src/plonk/prover.ts';
import { verify } from '../../src/plonk/verifier.ts';
import type { Proof } from '../../src/plonk/proof.ts';
import { deserializeProof, proofCounts, serializeProof } from '../../src/plonk/encoding/proof.ts';
import { arithmetic, type Example } from './circuits.ts';

after(terminateFfjsCurve);

let vk: VerifyingKey;
let ex: Example;
let proof: Proof;
before(async () => {
  ex = arithmetic();
  const pk = await keygen(await devSrs(6), ex.circuit);
  vk = pk.vk;
  proof = await prove(pk, ex.instances, ex.witness);
});

const keyPoints = (k: VerifyingKey) => [...k.fixedCommitments, ...k.sigmaCommitments];
const ACCEPT = { valid: true };

test('the first verification of a key builds no tables, the second does, and both accept the honest proof', async () => {
  assert.deepEqual(await verify(vk, ex.instances, proof), ACCEPT);
  assert.equal(keyBases(vk, keyPoints(vk)).tabulated, false);
  assert.deepEqual(await verify(vk, ex.instances, proof), ACCEPT);
  assert.equal(keyBases(vk, keyPoints(vk)).tabulated, true);
  assert.deepEqual(await verify(vk, ex.instances, proof), ACCEPT);
});

test('with the tables built: a changed commitment, a changed evaluation, a wrong public value are rejected', async () => {
  await verify(vk, ex.instances, proof);
  await verify(vk, ex.instances, proof);
  assert.equal(keyBases(vk, keyPoints(vk)).tabulated, true);
  const bytes = serializeProof(proof);
  const { points, scalars } = proofCounts(vk);
  const gen = new Uint8Array(64); // the generator (1, 2), big-endian: a valid point unlike any element
  gen[31] = 1;
  gen[63] = 2;
  for (const i of [0, points - 3]) {
    const bad = bytes.slice();
    bad.set(gen, 8 + 64 * i);
    assert.equal((await verify(vk, ex.instances, deserializeProof(bad, vk))).valid, false, `commitment ${i}`);
  }
  for (const j of [0, scalars - 1]) {
    const bad = bytes.slice();
    bad[8 + 64 * (points - 2) + 32 * j + 31] ^= 1;
    assert.equal((await verify(vk, ex.instances, deserializeProof(bad, vk))).valid, false, `evaluation ${j}`);
  }
  assert.equal((await verify(vk, [[25n]], proof)).valid, false);
  assert.deepEqual(await verify(vk, ex.instances, proof), ACCEPT);
});

test("a key whose fixed or σ commitment differs is rejected, also when the key's bytes are changed in place after its tables were built", async () => {
  const other = g1GeneratorSync(); // [1]₁, a valid point none of the key's
  assert.ok(keyPoints(vk).every((p) => p.some((b, i) => b !== other[i])));
  const swapped: VerifyingKey = { ...vk, fixedCommitments: [other, ...vk.fixedCommitments.slice(1)] };
  for (let i = 0; i < 3; i++) assert.equal((await verify(swapped, ex.instances, proof)).valid, false, `fixed, verification ${i + 1}`);
  const sigma: VerifyingKey = { ...vk, sigmaCommitments: [other, ...vk.sigmaCommitments.slice(1)] };
  for (let i = 0; i < 3; i++) assert.equal((await verify(sigma, ex.instances, proof)).valid, false, `σ, verification ${i + 1}`);

  // A copy of the key, tabulated, then one of its points overwritten in place: the stale table is not used.
  const copy: VerifyingKey = { ...vk, fixedCommitments: vk.fixedCommitments.map((p) => p.slice()) };
  await verify(copy, ex.instances, proof);
  assert.deepEqual(await verify(copy, ex.instances, proof), ACCEPT);
  assert.equal(keyBases(copy, keyPoints(copy)).tabulated, true);
  copy.fixedCommitments[0]!.set(other);
  assert.equal((await verify(copy, ex.instances, proof)).valid, false);
  assert.equal((await verify(copy, ex.instances, proof)).valid, false);
});
