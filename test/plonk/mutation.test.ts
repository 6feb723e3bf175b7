/**
 * Every verifier check is load-bearing (PROTOCOL §7): for each constraint family a forged proof violates
 * exactly that family; the real verifier rejects it, while a verifier (and prover) with only that family
 * deleted accepts it — so a test suite would notice the check going missing. Plus: the transcript binds
 * every absorbed item in order, and x ∈ H is refused by both sides.
 *
 * The production code has no weakening switch. The mutated prover/verifier (mutant.ts) are test-local
 * copies of the rounds of prover.ts / verifier.ts built from the same shared pieces (emitConstraints,
 * openings, lookup/permutation helpers, SHPLONK), whose Horner fold in y skips the emissions of one family,
 * picked by constraint name. The copies are checked against the real prove()/verify() both ways first.
 * Gates are VK data, so the gate family is also mutated with the real prover and verifier on a cs copy.
 * This file covers a one-phase circuit with one lookup; mutation-phases.test.ts (two phases, round-1
 * order, challenges) and mutation-lookups.test.ts (several tables and logUp groups, gate by gate) extend it.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { devSrs, type Srs } from '../../src/commit/index.ts';
import { g1ToBytesBE, type G1Affine } from '../../src/curve/index.ts';
import { frInv, frPow, frSub, rootOfUnity, type Fr } from '../../src/scalar/fr.ts';
import { frVecFromInts, frVecGet } from '../../src/field/frvec.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import { keygen } from '../../src/plonk/keygen.ts';
import type { ProvingKey, VerifyingKey } from '../../src/plonk/keys.ts';
import type { Proof } from '../../src/plonk/proof.ts';
import { prove, ProverError } from '../../src/plonk/prover.ts';
import { verify } from '../../src/plonk/verifier.ts';
import { KeccakTranscript } from '../../src/transcript/keccak.ts';
import { arithmetic, type Example } from './circuits.ts';
import { ACCEPT, forge, PAIRING, scaleRows, setRows, verifyWithout, type Family, type Forgery } from './mutant.ts';

after(terminateFfjsCurve);

// ---------------------------------------------------------------------------------------------------

let srs: Srs;
let pk: ProvingKey;
let ex: Example;
let honest: Proof;
before(async () => {
  srs = await devSrs(6);
  ex = arithmetic();
  pk = await keygen(srs, ex.circuit);
  honest = await prove(pk, ex.instances, ex.witness);
});

// Witnesses for the arithmetic circuit (rows: a, b, c; copies c(0) = a(1), c(1) = public; lookup a ∈ 0..15).
const BAD_GATE = { rows: [[3, 13], [4, 2], [13, 26]], pub: 26n }; // 3·4 ≠ 13; copies, lookup hold
const BAD_COPY = { rows: [[3, 5], [4, 2], [12, 10]], pub: 10n }; // c(0) = 12 ≠ a(1) = 5; gates, lookup hold
const BAD_LOOKUP = { rows: [[20, 20], [1, 1], [20, 20]], pub: 20n }; // 20 ∉ 0..15; gates, copies hold

test('the test-local prover and verifier agree with the real ones', async () => {
  assert.equal(pk.vk.shape.chunks.length, 2, 'the circuit must have two permutation chunks (P3)');
  const { proof, violated } = await forge(pk, ex.instances, ex.advice!);
  assert.deepEqual([...violated], []);
  assert.deepEqual(await verify(pk.vk, ex.instances, proof), ACCEPT);
  assert.deepEqual(await verifyWithout(pk.vk, ex.instances, honest), ACCEPT);
  assert.deepEqual(await verifyWithout(pk.vk, [[25n]], honest), PAIRING);
  assert.deepEqual(await verify(pk.vk, [[25n]], honest), PAIRING);
});

interface Case {
  family: Family;
  witness: { rows: number[][]; pub: bigint };
  forgery: Omit<Forgery, 'omit'>;
  what: string;
}

const cases: Case[] = [
  { family: 'gate', witness: BAD_GATE, forgery: {}, what: 'a multiplication gate that does not hold' },
  {
    family: 'P1',
    witness: BAD_COPY,
    what: 'a broken copy, z_0 started at 1/R (R = the product of the ratios) so it ends at 1',
    forgery: {
      tamperZ: (z, u) => {
        const R = frVecGet(z[z.length - 1]!, u);
        for (const zc of z) scaleRows(zc, u, frInv(R));
      },
    },
  },
  { family: 'P2', witness: BAD_COPY, forgery: {}, what: 'a broken copy, honest running product ending at R ≠ 1' },
  {
    family: 'P3',
    witness: BAD_COPY,
    what: 'a broken copy, the last chunk restarted at z_0(ω^u)/R so the product ends at 1',
    forgery: { tamperZ: (z, u) => scaleRows(z[z.length - 1]!, u, frInv(frVecGet(z[z.length - 1]!, u))) },
  },
  {
    family: 'P4',
    witness: BAD_COPY,
    what: 'a broken copy, every z_c ≡ 1 on rows 0..u',
    forgery: { tamperZ: (z, u) => z.forEach((zc) => setRows(zc, u, () => 1n)) },
  },
  {
    family: 'L1',
    witness: BAD_LOOKUP,
    what: 'an input outside the table, φ started at −S (S = the forged sum) so it ends at 0',
    forgery: { tamperPhi: (phi, u) => setRows(phi[0]![0]!, u, (_, old) => frSub(old, frVecGet(phi[0]![0]!, u))) },
  },
  { family: 'L2', witness: BAD_LOOKUP, forgery: {}, what: 'an input outside the table, honest running sum ending at S ≠ 0' },
  {
    family: 'L3',
    witness: BAD_LOOKUP,
    what: 'an input outside the table, φ ≡ 0 on rows 0..u',
    forgery: { tamperPhi: (phi, u) => setRows(phi[0]![0]!, u, () => 0n) },
  },
];

for (const c of cases) {
  test(`${c.family} is load-bearing: ${c.what}`, async () => {
    const inst = [[c.witness.pub]];
    const { proof, violated } = await forge(pk, inst, c.witness.rows, { ...c.forgery, omit: c.family });
    // The forgery breaks this family and no other (every constraint checked on every row of H).
    assert.deepEqual([...violated], [c.family]);
    // The real verifier rejects it (Φ(x) ≠ h(x)·Z_H(x), caught by the opening check) ...
    assert.deepEqual(await verify(pk.vk, inst, proof), PAIRING);
    assert.deepEqual(await verifyWithout(pk.vk, inst, proof), PAIRING);
    // ... and with exactly this family deleted, the verifier accepts a false statement.
    assert.deepEqual(await verifyWithout(pk.vk, inst, proof, c.family), ACCEPT);
    // Dropping any other family does not help.
    const other: Family = c.family === 'P4' ? 'P1' : 'P4';
    assert.deepEqual(await verifyWithout(pk.vk, inst, proof, other), PAIRING);
  });
}

test('gate family via VK data: the real prover and verifier on a cs copy without the gate accept a false product', async () => {
  const { vk } = pk;
  const noGate: VerifyingKey = { ...vk, cs: { ...vk.cs, gates: [] } }; // same digest, so the same transcript
  const pkNoGate: ProvingKey = { ...pk, vk: noGate };
  const inst = [[BAD_GATE.pub]];
  const bad = { advice: () => BAD_GATE.rows.map((r) => frVecFromInts(r)) };
  await assert.rejects(prove(pk, inst, bad), ProverError);
  const forged = await prove(pkNoGate, inst, bad);
  assert.deepEqual(await verify(noGate, inst, forged), ACCEPT);
  assert.deepEqual(await verify(vk, inst, forged), PAIRING);
  // The test-local forgery (violated = {gate}) shows that nothing but the gate separates the two.
});

// ---------------------------------------------------------------------------------------------------
// Transcript order.

/** Records every challenge squeezed while `fn` runs (the real verifier's transcript, unmodified). */
async function recordSqueezes<T>(fn: () => Promise<T>): Promise<{ result: T; squeezed: Fr[] }> {
  const orig = KeccakTranscript.prototype.squeeze;
  const squeezed: Fr[] = [];
  KeccakTranscript.prototype.squeeze = function (this: KeccakTranscript): Fr {
    const v = orig.call(this);
    squeezed.push(v);
    return v;
  };
  try {
    return { result: await fn(), squeezed };
  } finally {
    KeccakTranscript.prototype.squeeze = orig;
  }
}

type Item = { point: G1Affine } | { scalar: Fr } | { bytes32: Uint8Array } | 'squeeze';

/** PROTOCOL §3 for this circuit, as a flat list: θ, β_L, β, γ, y, x, ν, μ. */
function transcriptItems(vk: VerifyingKey, instances: bigint[][], p: Proof): Item[] {
  const pts = (ps: readonly G1Affine[]): Item[] => ps.map((point) => ({ point }));
  return [
    { bytes32: vk.digest },
    ...instances.flatMap((col): Item[] => [{ scalar: BigInt(col.length) }, ...col.map((scalar) => ({ scalar }))]),
    ...pts(p.advice),
    'squeeze',
    ...pts(p.multiplicities),
    'squeeze',
    'squeeze',
    'squeeze',
    ...pts(p.permutationProducts),
    ...pts(p.logupSums),
    { point: p.random },
    'squeeze',
    ...pts(p.quotientPieces),
    'squeeze',
    ...p.evals.map((scalar) => ({ scalar })),
    'squeeze',
    'squeeze',
  ];
}

const itemKey = (it: Item): string =>
  it === 'squeeze' ? it : 'point' in it ? `p${Buffer.from(it.point).toString('hex')}` : 'scalar' in it ? `s${it.scalar}` : `b${Buffer.from(it.bytes32).toString('hex')}`;

function replay(items: Item[]): Fr[] {
  const t = new KeccakTranscript();
  const out: Fr[] = [];
  for (const it of items) {
    if (it === 'squeeze') out.push(t.squeeze());
    else if ('point' in it) t.absorbPoint(g1ToBytesBE(it.point));
    else if ('scalar' in it) t.absorbScalar(it.scalar);
    else t.absorbBytes32(it.bytes32);
  }
  return out;
}

test('transcript: challenges bind every absorbed item in order; swapping two commitments is rejected', async () => {
  const { result, squeezed } = await recordSqueezes(() => verify(pk.vk, ex.instances, honest));
  assert.deepEqual(result, ACCEPT);
  const items = transcriptItems(pk.vk, ex.instances, honest);
  const base = replay(items);
  assert.equal(base.length, 8);
  assert.deepEqual(base, squeezed.slice(0, 8), 'the replay is what the verifier does');
  // Every adjacent pair of absorbed items swapped: the first challenge after them and all later ones change,
  // the earlier ones do not.
  const isAbsorb = (i: number) => items[i] !== 'squeeze';
  let pairs = 0;
  for (let i = 0; i + 1 < items.length; i++) {
    if (!isAbsorb(i) || !isAbsorb(i + 1) || itemKey(items[i]!) === itemKey(items[i + 1]!)) continue; // equal items: no swap
    const swapped = items.slice();
    [swapped[i], swapped[i + 1]] = [swapped[i + 1]!, swapped[i]!];
    const before = items.slice(0, i).filter((x) => x === 'squeeze').length;
    const got = replay(swapped);
    for (let j = 0; j < 8; j++) {
      if (j < before) assert.equal(got[j], base[j]);
      else assert.notEqual(got[j], base[j], `swapping items ${i}, ${i + 1} left challenge ${j} unchanged`);
    }
    pairs++;
  }
  assert.ok(pairs > 10);

  // Two items of one kind swapped in a valid proof (and W ↔ W′): rejected by the real verifier.
  const swap = <T>(xs: readonly T[], a: number, b: number): T[] => {
    const o = xs.slice();
    [o[a], o[b]] = [o[b]!, o[a]!];
    return o;
  };
  assert.deepEqual(await verify(pk.vk, ex.instances, { ...honest, advice: swap(honest.advice, 0, 1) }), PAIRING);
  assert.deepEqual(await verify(pk.vk, ex.instances, { ...honest, permutationProducts: swap(honest.permutationProducts, 0, 1) }), PAIRING);
  assert.deepEqual(await verify(pk.vk, ex.instances, { ...honest, quotientPieces: swap(honest.quotientPieces, 0, 1) }), PAIRING);
  assert.deepEqual(await verify(pk.vk, ex.instances, { ...honest, evals: swap(honest.evals, 0, 1) }), PAIRING);
  assert.deepEqual(await verify(pk.vk, ex.instances, { ...honest, W: honest.Wprime, Wprime: honest.W }), PAIRING);
});

// ---------------------------------------------------------------------------------------------------
// x ∈ H.

/** Runs fn with the `at`-th squeeze of every transcript (1-based) replaced by `value`. */
async function forcingSqueeze<T>(at: number, value: Fr, fn: () => Promise<T>): Promise<{ result: T; forced: number }> {
  const orig = KeccakTranscript.prototype.squeeze;
  const counts = new WeakMap<KeccakTranscript, number>();
  let forced = 0;
  KeccakTranscript.prototype.squeeze = function (this: KeccakTranscript): Fr {
    const v = orig.call(this);
    const c = (counts.get(this) ?? 0) + 1;
    counts.set(this, c);
    if (c !== at) return v;
    forced++;
    return value;
  };
  try {
    return { result: await fn(), forced };
  } finally {
    KeccakTranscript.prototype.squeeze = orig;
  }
}

test('x ∈ H: the verifier rejects with its reason and the prover refuses (x forced to ω^i)', async () => {
  const { n } = pk.vk.shape;
  const xIndex = 6; // θ, β_L, β, γ, y, x (no circuit challenges)
  const omega = rootOfUnity(pk.vk.k);
  // The hook works: forcing that challenge to a value off H makes the (otherwise valid) proof fail the opening.
  assert.deepEqual((await forcingSqueeze(xIndex, 12345n, () => verify(pk.vk, ex.instances, honest))).result, PAIRING);
  for (const i of [0, 1, n - 1]) {
    const w = frPow(omega, BigInt(i));
    assert.equal(frPow(w, BigInt(n)), 1n);
    const v = await forcingSqueeze(xIndex, w, () => verify(pk.vk, ex.instances, honest));
    assert.equal(v.forced, 1);
    assert.deepEqual(v.result, { valid: false, reason: 'challenge x lies in the domain' });
    await assert.rejects(forcingSqueeze(xIndex, w, () => prove(pk, ex.instances, ex.witness)), /challenge x fell in the domain/);
  }
});
