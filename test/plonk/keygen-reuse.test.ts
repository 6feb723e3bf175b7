/**
 * Keygen reusing a stored VK's commitments (what `zkml prove` does with pk.bin): only for the exact circuit
 * the VK was made for (circuit digest), and the proving key it yields is the one full keygen yields.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { devSrs } from '../../src/commit/index.ts';
import { frVecFromInts } from '../../src/field/frvec.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import { CircuitMismatchError, keygen } from '../../src/plonk/keygen.ts';
import { prove } from '../../src/plonk/prover.ts';
import { verify } from '../../src/plonk/verifier.ts';
import { arithmetic } from './circuits.ts';

after(terminateFfjsCurve);

test('keygen with a stored VK and digest gives the same key and a proof that verifies', async () => {
  const srs = await devSrs(6);
  const ex = arithmetic();
  const full = await keygen(srs, ex.circuit);
  const reused = await keygen(srs, arithmetic().circuit, { vk: full.vk, circuitDigest: full.circuitDigest });
  assert.deepEqual(reused.circuitDigest, full.circuitDigest);
  assert.equal(reused.vk, full.vk);
  for (let i = 0; i < full.fixed.length; i++) assert.deepEqual(reused.fixed[i]!.coeffs, full.fixed[i]!.coeffs);
  for (let i = 0; i < full.sigmas.length; i++) assert.deepEqual(reused.sigmas[i]!.coeffs, full.sigmas[i]!.coeffs);
  const proof = await prove(reused, ex.instances, ex.witness);
  assert.deepEqual(await verify(full.vk, ex.instances, proof), { valid: true });
});

test('a changed fixed value, copy or k is refused: the stored commitments belong to another circuit', async () => {
  const srs = await devSrs(6);
  const base = await keygen(srs, arithmetic().circuit);
  const opts = { vk: base.vk, circuitDigest: base.circuitDigest };

  const weights = arithmetic().circuit;
  const changedFixed = { ...weights, fixed: [frVecFromInts([1, 0]), ...weights.fixed.slice(1)] };
  await assert.rejects(keygen(srs, changedFixed, opts), CircuitMismatchError);

  const c = arithmetic().circuit;
  await assert.rejects(keygen(srs, { ...c, copies: [...c.copies].slice(0, 1) }, opts), CircuitMismatchError);
  await assert.rejects(keygen(srs, { ...c, k: 6 }, opts), CircuitMismatchError);
  // A VK without the digest it was made for is not accepted at all.
  await assert.rejects(keygen(srs, c, { vk: base.vk }), /circuit digest/);
});

test('a proving key kept from an earlier proof is reused only for its circuit under its own VK', async () => {
  const srs = await devSrs(6);
  const first = await keygen(srs, arithmetic().circuit);
  const opts = { vk: first.vk, circuitDigest: first.circuitDigest };
  assert.equal(await keygen(srs, arithmetic().circuit, { ...opts, reuse: first }), first, 'same circuit, same VK: the kept key');
  // Another SRS: the same circuit, another VK digest — the kept key (its commitments, its SRS) must not serve.
  const other = await keygen(await devSrs(6), arithmetic().circuit);
  const fresh = await keygen(srs, arithmetic().circuit, { vk: other.vk, circuitDigest: other.circuitDigest, reuse: first });
  assert.notEqual(fresh, first);
  assert.equal(fresh.vk, other.vk);
  // Another circuit: refused as before, whatever is kept.
  const c = arithmetic().circuit;
  await assert.rejects(keygen(srs, { ...c, copies: [...c.copies].slice(0, 1) }, { ...opts, reuse: first }), CircuitMismatchError);
});
