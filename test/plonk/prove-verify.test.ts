/** Example circuits prove and verify; proofs and keys survive serialization; blinding is live. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { devSrs, type Srs } from '../../src/commit/index.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import { keygen } from '../../src/plonk/keygen.ts';
import { prove } from '../../src/plonk/prover.ts';
import { verify } from '../../src/plonk/verifier.ts';
import { deserializeProof, serializeProof } from '../../src/plonk/encoding/proof.ts';
import { deserializeVk, serializeVk } from '../../src/plonk/encoding/vk.ts';
import { arithmetic, highDegree, rangeCheck, squareTable, twoPhase, type Example } from './circuits.ts';
import { frVecGet, frVecSet } from '../../src/field/frvec.ts';

after(terminateFfjsCurve);

let srsPromise: Promise<Srs> | null = null;
const srs = () => (srsPromise ??= devSrs(11));

async function roundTrip(ex: Example) {
  const pk = await keygen(await srs(), ex.circuit);
  const proof = await prove(pk, ex.instances, ex.witness);
  return { pk, proof, result: await verify(pk.vk, ex.instances, proof) };
}

test('arithmetic circuit with copy constraints and a public output proves and verifies', async () => {
  const { result } = await roundTrip(arithmetic());
  assert.deepEqual(result, { valid: true });
});

test('range check by logUp into a 2^10 table proves and verifies (repeated and boundary values)', async () => {
  const { result, pk } = await roundTrip(rangeCheck(10, [0, 1, 1023, 512, 512, 512, 7]));
  assert.equal(pk.vk.shape.lookupArgs.length, 1);
  assert.deepEqual(result, { valid: true });
});

test('multi-column lookup (x, x²) proves and verifies', async () => {
  const { result } = await roundTrip(squareTable([[3, 9], [0, 0], [15, 225], [3, 9]]));
  assert.deepEqual(result, { valid: true });
});

test('degree-5 gate with rotations −1, 0, +1 proves and verifies (d = 5)', async () => {
  const { result, pk } = await roundTrip(highDegree());
  assert.equal(pk.vk.shape.d, 5);
  assert.deepEqual(result, { valid: true });
});

test('two-phase circuit with a challenge drawn after phase-0 advice proves and verifies', async () => {
  const { result } = await roundTrip(twoPhase());
  assert.deepEqual(result, { valid: true });
});

test('proof and VK bytes round trip and still verify', async () => {
  const ex = arithmetic();
  const { pk, proof } = await roundTrip(ex);
  const vk2 = await deserializeVk(serializeVk(pk.vk));
  assert.deepEqual(vk2.digest, pk.vk.digest);
  const proof2 = deserializeProof(serializeProof(proof), vk2);
  assert.deepEqual(await verify(vk2, ex.instances, proof2), { valid: true });
});

test('two proofs of the same statement differ in every witness commitment (blinding is live)', async () => {
  const ex = arithmetic();
  const pk = await keygen(await srs(), ex.circuit);
  const p1 = await prove(pk, ex.instances, ex.witness);
  const p2 = await prove(pk, ex.instances, ex.witness);
  const commitments = (p: typeof p1) => [...p.advice, ...p.multiplicities, ...p.permutationProducts, ...p.logupSums, p.random, ...p.quotientPieces];
  const a = commitments(p1);
  const b = commitments(p2);
  a.forEach((c, i) => assert.notDeepEqual(c, b[i], `commitment ${i} repeated across proofs`));
  assert.deepEqual(await verify(pk.vk, ex.instances, p2), { valid: true });
});

test('a quotient evaluated on sub-cosets (a tight memory budget) gives proofs that verify, for every example circuit', async () => {
  for (const ex of [arithmetic(), rangeCheck(10, [0, 1, 1023, 512, 7]), squareTable([[3, 9], [15, 225]]), highDegree(), twoPhase()]) {
    const pk = await keygen(await srs(), ex.circuit);
    // 1 byte: every split up to the largest is too big, so the prover takes the largest one.
    const proof = await prove(pk, ex.instances, ex.witness, { maxMemoryBytes: 1 });
    assert.deepEqual(await verify(pk.vk, ex.instances, proof), { valid: true });
  }
});

test('the quotient pipelined (two sets of coset values, expression threads only) and not: both proofs verify, and a broken witness is refused by each', async () => {
  for (const ex of [highDegree(), rangeCheck(10, [0, 1, 1023, 512, 7]), twoPhase()]) {
    const pk = await keygen(await srs(), ex.circuit);
    for (const pipelineQuotient of [true, false]) {
      const proof = await prove(pk, ex.instances, ex.witness, { pipelineQuotient });
      assert.deepEqual(await verify(pk.vk, ex.instances, proof), { valid: true }, `pipelineQuotient ${pipelineQuotient}`);
    }
  }
  // A witness that breaks a gate: the quotient is not a polynomial, and either path's identity check says so.
  const ex = arithmetic();
  const pk = await keygen(await srs(), ex.circuit);
  const broken = { ...ex.witness, advice: async (phase: number, ch: readonly bigint[]) => {
    const cols = await ex.witness.advice(phase, ch);
    const first = cols[0]!.slice();
    frVecSet(first, 0, frVecGet(first, 0) + 1n); // still in its range table: only a gate breaks
    return [first, ...cols.slice(1)];
  } };
  for (const pipelineQuotient of [true, false]) await assert.rejects(prove(pk, ex.instances, broken, { pipelineQuotient }), /constraint|quotient/);
});
