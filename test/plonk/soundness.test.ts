/** Attacks that must fail: wrong public values, altered proof elements, cheating witnesses, foreign VKs, bad bytes. */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { devSrs, type Srs } from '../../src/commit/index.ts';
import { FormatError } from '../../src/errors.ts';
import { FR_MODULUS } from '../../src/scalar/fr.ts';
import { frVecFromBigints, frVecFromInts, frVecToBigints } from '../../src/field/frvec.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import { keygen } from '../../src/plonk/keygen.ts';
import type { ProvingKey } from '../../src/plonk/keys.ts';
import { prove, ProverError } from '../../src/plonk/prover.ts';
import { verify } from '../../src/plonk/verifier.ts';
import type { Proof } from '../../src/plonk/proof.ts';
import { deserializeProof, proofCounts, serializeProof } from '../../src/plonk/encoding/proof.ts';
import { deserializeVk, serializeVk } from '../../src/plonk/encoding/vk.ts';
import { arithmetic, highDegree, twoPhase, type Example } from './circuits.ts';

after(terminateFfjsCurve);

let srs: Srs;
let pk: ProvingKey;
let ex: Example;
let proof: Proof;
before(async () => {
  srs = await devSrs(6);
  ex = arithmetic();
  pk = await keygen(srs, ex.circuit);
  proof = await prove(pk, ex.instances, ex.witness);
});

const withAdvice = (rows: number[][]) => ({ advice: () => rows.map((r) => frVecFromInts(r)) });

test('a wrong public output is rejected', async () => {
  assert.equal((await verify(pk.vk, [[25n]], proof)).valid, false);
  assert.equal((await verify(pk.vk, [[FR_MODULUS - 24n]], proof)).valid, false);
});

test('every proof element altered in turn is rejected', async () => {
  const bytes = serializeProof(proof);
  const { points, scalars } = proofCounts(pk.vk);
  // A valid point that differs from every element: the generator (1, 2).
  const gen = new Uint8Array(64);
  gen[31] = 1;
  gen[63] = 2;
  for (let i = 0; i < points; i++) {
    const off = i < points - 2 ? 8 + 64 * i : 8 + 64 * (points - 2) + 32 * scalars + 64 * (i - (points - 2));
    const bad = bytes.slice();
    bad.set(gen, off);
    const r = await verify(pk.vk, ex.instances, deserializeProof(bad, pk.vk));
    assert.equal(r.valid, false, `point ${i} replaced by the generator was accepted`);
  }
  for (let j = 0; j < scalars; j++) {
    const bad = bytes.slice();
    const off = 8 + 64 * (points - 2) + 32 * j;
    bad[off + 31] ^= 1; // still < r: flips the low bit
    const r = await verify(pk.vk, ex.instances, deserializeProof(bad, pk.vk));
    assert.equal(r.valid, false, `evaluation ${j} altered was accepted`);
  }
});

test('a witness that breaks the multiplication gate: honest prover refuses, cheating proof is rejected', async () => {
  const rows = [[3, 13], [4, 2], [13, 26]]; // 3·4 ≠ 13
  await assert.rejects(prove(pk, [[26n]], withAdvice(rows)), ProverError);
  const forged = await prove(pk, [[26n]], withAdvice(rows), { cheat: true });
  assert.equal((await verify(pk.vk, [[26n]], forged)).valid, false);
});

test('a lookup input outside the table is rejected (gate and copies hold)', async () => {
  const rows = [[20, 20], [1, 1], [20, 20]]; // 20 ∉ 0..15
  await assert.rejects(prove(pk, [[20n]], withAdvice(rows)), /not in table/);
  const forged = await prove(pk, [[20n]], withAdvice(rows), { cheat: true });
  assert.equal((await verify(pk.vk, [[20n]], forged)).valid, false);
});

test('a broken copy constraint is rejected (gates and lookups hold)', async () => {
  const rows = [[3, 5], [4, 2], [12, 10]]; // c0 = 12 but a1 = 5
  await assert.rejects(prove(pk, [[10n]], withAdvice(rows)), ProverError);
  const forged = await prove(pk, [[10n]], withAdvice(rows), { cheat: true });
  assert.equal((await verify(pk.vk, [[10n]], forged)).valid, false);
});

test("a proof checked with another circuit's VK is rejected", async () => {
  const other = arithmetic();
  const circuit = { ...other.circuit, fixed: [frVecFromInts([1, 1]), frVecFromInts([1, 1]), frVecFromInts([...Array(16).keys()].map((x) => x + 1))] };
  const otherPk = await keygen(srs, circuit);
  assert.equal((await verify(otherPk.vk, ex.instances, proof)).valid, false);
});

test('truncated, extended, non-canonical and garbage proof bytes are FormatErrors', () => {
  const bytes = serializeProof(proof);
  assert.throws(() => deserializeProof(bytes.subarray(0, bytes.length - 1), pk.vk), FormatError);
  assert.throws(() => deserializeProof(new Uint8Array([...bytes, 0]), pk.vk), FormatError);
  assert.throws(() => deserializeProof(new Uint8Array(10), pk.vk), FormatError);
  const { points } = proofCounts(pk.vk);
  const nonCanonical = bytes.slice();
  nonCanonical.fill(0xff, 8 + 64 * (points - 2), 8 + 64 * (points - 2) + 32);
  assert.throws(() => deserializeProof(nonCanonical, pk.vk), /canonical/);
  const offCurve = bytes.slice();
  offCurve[8 + 63] ^= 1;
  assert.throws(() => deserializeProof(offCurve, pk.vk), /curve/);
});

test('truncated or corrupted VK bytes are FormatErrors; any changed VK byte changes the digest', async () => {
  const bytes = serializeVk(pk.vk);
  await assert.rejects(deserializeVk(bytes.subarray(0, bytes.length - 5)), FormatError);
  await assert.rejects(deserializeVk(bytes.subarray(0, 20)), FormatError);
  await assert.rejects(deserializeVk(new TextEncoder().encode('not a key at all')), FormatError);
  const vk2 = await deserializeVk(bytes);
  assert.deepEqual(vk2.digest, pk.vk.digest);
  // Rename the gate 'mul' → 'mum': still a well-formed key, but a different statement, so a different D_vk.
  const at = Buffer.from(bytes).indexOf('mul');
  assert.ok(at > 0);
  const renamed = bytes.slice();
  renamed[at + 2] = 'm'.charCodeAt(0);
  const vk3 = await deserializeVk(renamed);
  assert.notDeepEqual(vk3.digest, pk.vk.digest);
  assert.equal((await verify(vk3, ex.instances, proof)).valid, false);
});

test('wrong instance shape is a clear error, not a crash', async () => {
  await assert.rejects(verify(pk.vk, [], proof), /instance columns/);
  await assert.rejects(verify(pk.vk, [[1n, 2n]], proof), /values/);
});

test('the prover refuses a failing witness at every degree, including d = 3 and d = 5 where the extended domain has exactly (d − 1)·n points', async () => {
  const { csShape } = await import('../../src/plonk/cs.ts');
  const { FR_MODULUS: r } = await import('../../src/scalar/fr.ts');
  const cases: { name: string; ex: Example; bad: Example['witness'] }[] = [];
  // d = 3, 2n extended points: phase-1 acc off by one on row 1.
  const two = twoPhase();
  cases.push({
    name: 'two-phase (d = 3)',
    ex: two,
    bad: {
      advice: async (phase, ch) => {
        const cols = await two.witness.advice(phase, ch);
        if (phase === 1) cols[0] = frVecFromBigints(frVecToBigints(cols[0]!).map((v, i) => (i === 1 ? (v + 1n) % r : v)));
        return cols;
      },
    },
  });
  // d = 5, 4n extended points: c(i+1) off by one.
  const high = highDegree();
  const c = [...high.advice![2]!];
  c[3]! += 1;
  cases.push({ name: 'degree-5 gate (d = 5)', ex: high, bad: withAdvice([high.advice![0]!, high.advice![1]!, c]) });
  const degrees = new Set<number>();
  for (const { name, ex: e, bad } of cases) {
    const shape = csShape(e.circuit.cs, e.circuit.k);
    degrees.add(shape.d);
    assert.equal(1 << shape.extK, shape.d - 1, `${name}: extended domain is (d − 1)·n`);
    const key = await keygen(srs, e.circuit);
    await prove(key, e.instances, e.witness); // the honest witness proves
    await assert.rejects(prove(key, e.instances, bad), ProverError, name);
  }
  assert.deepEqual([...degrees].sort(), [3, 5]);
});

test('a gate that reads a challenge the circuit does not have is refused at keygen (CircuitError), not a type error later', async () => {
  const { CircuitError } = await import('../../src/errors.ts');
  const { challenge, mul, advice, fixed, sub } = await import('../../src/plonk/expression.ts');
  const two = twoPhase();
  const cs = { ...two.circuit.cs, gates: [{ name: 'reads χ1', polys: [mul(fixed(0), sub(advice(2), mul(advice(0), challenge(1))))] }] };
  await assert.rejects(keygen(srs, { ...two.circuit, cs }), (e: unknown) => e instanceof CircuitError && /challenge 1 does not exist/.test((e as Error).message));
});
