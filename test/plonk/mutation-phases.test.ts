/**
 * Mutation tests on a two-phase circuit (circuits.ts `shuffle`): phase-1 advice (a running product) is
 * computed from two challenges χ0, χ1 drawn after the phase-0 advice is committed; the statement is that
 * the public keys c are a rearrangement of the public keys a. Shown, with the test-local prover/verifier
 * copies of mutant.ts (checked against the real prove()/verify() first):
 * - each gate is load-bearing: a false statement whose witness breaks only that gate is accepted with the
 *   gate deleted (cs copy, real prover and verifier; and the copies' fold) and rejected otherwise;
 * - phase-1 advice computed with challenge values other than the transcript's (drawn before the phase-0
 *   commitments, or χ0 and χ1 swapped) is rejected — only the gate that reads the challenges catches it;
 * - the transcript binds round 1's order: for every other order of absorbing b, d, acc and squeezing χ0,
 *   χ1, a proof made under it is accepted by a verifier replaying that order and rejected by the real one;
 *   with the challenges squeezed first, a false statement gets through the mutated pair.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { devSrs, type Srs } from '../../src/commit/index.ts';
import { frAdd, frInv, frMul, frSub, type Fr } from '../../src/scalar/fr.ts';
import { frVecFromBigints } from '../../src/field/frvec.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import { absorbInstances } from '../../src/plonk/instances.ts';
import { keygen } from '../../src/plonk/keygen.ts';
import type { ProvingKey, VerifyingKey } from '../../src/plonk/keys.ts';
import type { Proof } from '../../src/plonk/proof.ts';
import { prove, ProverError, type Witness } from '../../src/plonk/prover.ts';
import { verify } from '../../src/plonk/verifier.ts';
import { KeccakTranscript } from '../../src/transcript/keccak.ts';
import { SHUFFLE, shuffle, shuffleProduct, type Example, type ShuffleValues } from './circuits.ts';
import { ACCEPT, assertGateLoadBearing, forge, gateNamed, PAIRING, protocolSchedule, verifyWithout, type AdviceStep } from './mutant.ts';

after(terminateFfjsCurve);

let srs: Srs;
let pk: ProvingKey;
let ex: Example;
let honest: Proof;
before(async () => {
  srs = await devSrs(5);
  ex = shuffle();
  pk = await keygen(srs, ex.circuit);
  honest = await prove(pk, ex.instances, ex.witness);
});

/** c = (3, 1, 4, 5) is no rearrangement of a = (1, 2, 3, 4): a false statement. */
const FALSE: ShuffleValues = { ...SHUFFLE, c: [3n, 1n, 4n, 5n] };
const falseInstances = [FALSE.a, FALSE.c];

/** Witness: payloads b, d in phase 0; acc from `values`, the challenges given, and `shape` in phase 1. */
function shuffleWitness(values: ShuffleValues, shape: (acc: Fr[]) => Fr[] = (acc) => acc): Witness {
  return {
    advice: (phase, ch) =>
      phase === 0 ? [frVecFromBigints(values.b), frVecFromBigints(values.d)] : [frVecFromBigints(shape(shuffleProduct(values, ch[0]!, ch[1]!)))],
  };
}

/** What a transcript yields for χ0, χ1 when squeezed before any advice is absorbed (a prover can compute it alone). */
function challengesBeforeAdvice(vk: VerifyingKey, instances: Fr[][]): Fr[] {
  const t = new KeccakTranscript();
  t.absorbBytes32(vk.digest);
  absorbInstances(t, vk, instances);
  return [t.squeeze(), t.squeeze()];
}

/**
 * The last payload d_3 solved so that Π(a + χ0·b + χ1) = Π(c + χ0·d + χ1) at the given χ: only possible
 * for a prover who knows χ before committing d.
 */
function solvedPayloads(v: ShuffleValues, chi0: Fr, chi1: Fr): ShuffleValues {
  const N = v.a.length;
  const before = shuffleProduct(v, chi0, chi1)[N - 1]!; // the ratios of rows 0..N−2 (d_3 not yet used)
  const want = frMul(before, frAdd(frAdd(v.a[N - 1]!, frMul(chi0, v.b[N - 1]!)), chi1)); // c_3 + χ0·d_3 + χ1
  return { ...v, d: [...v.d.slice(0, N - 1), frMul(frSub(frSub(want, chi1), v.c[N - 1]!), frInv(chi0))] };
}

test('two phases: the test-local prover and verifier agree with the real ones', async () => {
  const { shape, cs } = pk.vk;
  assert.equal(shape.numPhases, 2);
  assert.deepEqual(cs.challengePhases, [0, 0]);
  assert.deepEqual(protocolSchedule(cs), [{ absorb: 0 }, { absorb: 1 }, { squeeze: 0 }, { squeeze: 1 }, { absorb: 2 }]);
  const { proof, violated, challenges } = await forge(pk, ex.instances, ex.witness);
  assert.deepEqual([...violated], []);
  assert.equal(challenges.length, 2);
  assert.notEqual(challenges[0], challenges[1]);
  assert.deepEqual(await verify(pk.vk, ex.instances, proof), ACCEPT);
  assert.deepEqual(await verifyWithout(pk.vk, ex.instances, honest), ACCEPT);
  assert.deepEqual(await verifyWithout(pk.vk, falseInstances, honest), PAIRING);
  assert.deepEqual(await verify(pk.vk, falseInstances, honest), PAIRING);
  assert.deepEqual(await verify(pk.vk, falseInstances, proof), PAIRING);
});

// ---------------------------------------------------------------------------------------------------
// Each gate, on a false statement (c ≠ a rearrangement of a; the product ratio R ≠ 1).

const gateCases: { gate: string; what: string; witness: Witness }[] = [
  {
    gate: 'acc starts at 1',
    what: 'acc started at 1/R so it ends at 1',
    witness: shuffleWitness(FALSE, (acc) => acc.map((v) => frMul(v, frInv(acc.at(-1)!)))),
  },
  { gate: 'acc step', what: 'the last step of acc jumps to 1', witness: shuffleWitness(FALSE, (acc) => [...acc.slice(0, -1), 1n]) },
  { gate: 'acc ends at 1', what: 'the honest product, ending at R ≠ 1', witness: shuffleWitness(FALSE) },
];

for (const c of gateCases) {
  test(`two phases, gate '${c.gate}' is load-bearing: ${c.what}`, async () => {
    await assertGateLoadBearing(pk, falseInstances, c.witness, c.gate, [`gate '${c.gate}' poly 0`]);
  });
}

// ---------------------------------------------------------------------------------------------------
// Phase-1 advice computed with challenge values other than the transcript's.

const wrongChallenges: { what: string; values: (transcript: readonly Fr[]) => Fr[] }[] = [
  { what: 'drawn before the phase-0 commitments', values: () => challengesBeforeAdvice(pk.vk, ex.instances) },
  { what: 'χ0 and χ1 swapped', values: (t) => [t[1]!, t[0]!] },
];

for (const w of wrongChallenges) {
  test(`two phases: phase-1 advice from challenges ${w.what} is rejected; only the gate reading them catches it`, async () => {
    // The copy: the prover computes acc (and Φ) with the wrong values; the transcript's break the step gate only.
    const { proof, violatedConstraints, challenges } = await forge(pk, ex.instances, ex.witness, { witnessChallenges: w.values, omit: gateNamed('acc step') });
    const believed = w.values(challenges);
    assert.notEqual(believed[0], challenges[0]);
    assert.notEqual(believed[1], challenges[1]);
    assert.deepEqual([...violatedConstraints], ["gate 'acc step' poly 0"]);
    assert.deepEqual(await verify(pk.vk, ex.instances, proof), PAIRING);
    assert.deepEqual(await verifyWithout(pk.vk, ex.instances, proof), PAIRING);
    assert.deepEqual(await verifyWithout(pk.vk, ex.instances, proof, gateNamed('acc step')), ACCEPT);
    // The real prover, handing the witness the wrong values: it refuses, and its cheat-mode proof is rejected.
    const wrong: Witness = { advice: (phase, ch) => ex.witness.advice(phase, phase === 0 ? ch : w.values(ch)) };
    await assert.rejects(prove(pk, ex.instances, wrong), ProverError);
    assert.deepEqual(await verify(pk.vk, ex.instances, await prove(pk, ex.instances, wrong, { cheat: true })), PAIRING);
  });
}

test('two phases: challenges known before the phase-0 commitments let a false statement satisfy every gate at them; rejected', async () => {
  const early = challengesBeforeAdvice(pk.vk, falseInstances);
  const solved = solvedPayloads(FALSE, early[0]!, early[1]!);
  assert.equal(shuffleProduct(solved, early[0]!, early[1]!).at(-1), 1n, 'the product closes at the early challenges');
  // The real prover (cheat mode: it keeps going) — the transcript's challenges differ, so the gates fail.
  const cheating: Witness = { advice: (phase) => shuffleWitness(solved).advice(phase, early) };
  await assert.rejects(prove(pk, falseInstances, cheating), ProverError);
  assert.deepEqual(await verify(pk.vk, falseInstances, await prove(pk, falseInstances, cheating, { cheat: true })), PAIRING);
  // The copy, believing the early values: only the step gate fails at the transcript's.
  const { proof, violatedConstraints } = await forge(pk, falseInstances, shuffleWitness(solved), { witnessChallenges: () => early });
  assert.deepEqual([...violatedConstraints], ["gate 'acc step' poly 0"]);
  assert.deepEqual(await verify(pk.vk, falseInstances, proof), PAIRING);
});

// ---------------------------------------------------------------------------------------------------
// Round-1 order.

/** Every order of round 1's steps in which acc (phase 1) is absorbed after both challenges are squeezed. */
function realizableOrders(steps: AdviceStep[]): AdviceStep[][] {
  const perms = (xs: AdviceStep[]): AdviceStep[][] =>
    xs.length <= 1 ? [xs] : xs.flatMap((x, i) => perms([...xs.slice(0, i), ...xs.slice(i + 1)]).map((rest) => [x, ...rest]));
  const pos = (order: AdviceStep[], s: AdviceStep) => order.findIndex((o) => JSON.stringify(o) === JSON.stringify(s));
  return perms(steps).filter((o) => pos(o, { absorb: 2 }) > Math.max(pos(o, { squeeze: 0 }), pos(o, { squeeze: 1 })));
}
const show = (o: AdviceStep[]) => o.map((s) => ('absorb' in s ? ['b', 'd', 'acc'][s.absorb] : `χ${s.squeeze}`)).join(' ');

test('two phases: the real verifier accepts round 1 in the protocol order only; every other order verifies under itself', async () => {
  const protocol = protocolSchedule(pk.vk.cs);
  const orders = realizableOrders(protocol);
  assert.equal(orders.length, 40);
  let accepted = 0;
  for (const order of orders) {
    const { proof, violated } = await forge(pk, ex.instances, ex.witness, { schedule: order });
    assert.deepEqual([...violated], [], show(order));
    assert.deepEqual(await verifyWithout(pk.vk, ex.instances, proof, undefined, order), ACCEPT, show(order));
    const real = await verify(pk.vk, ex.instances, proof);
    if (show(order) === show(protocol)) assert.deepEqual(real, ACCEPT);
    else assert.deepEqual(real, PAIRING, `${show(order)} accepted by the real verifier`);
    if (real.valid) accepted++;
  }
  assert.equal(accepted, 1);
  // The real proof, replayed in another order (phase-0 and phase-1 commitments swapped, χ0 ↔ χ1): rejected.
  const [b, d, chi0, chi1, acc] = protocol as [AdviceStep, AdviceStep, AdviceStep, AdviceStep, AdviceStep];
  assert.deepEqual(await verifyWithout(pk.vk, ex.instances, honest, undefined, [chi0, chi1, acc, b, d]), PAIRING);
  assert.deepEqual(await verifyWithout(pk.vk, ex.instances, honest, undefined, [b, d, chi1, chi0, acc]), PAIRING);
  assert.deepEqual(await verifyWithout(pk.vk, ex.instances, honest, undefined, protocol), ACCEPT);
});

test('two phases: with the challenges squeezed before the phase-0 commitments, a false statement is accepted by that verifier only', async () => {
  const challengesFirst: AdviceStep[] = [{ squeeze: 0 }, { squeeze: 1 }, { absorb: 0 }, { absorb: 1 }, { absorb: 2 }];
  // Phase 0 now sees χ0, χ1 (the same values challengesBeforeAdvice computes) and solves the last payload.
  const cheating: Witness = { advice: (phase, ch) => shuffleWitness(solvedPayloads(FALSE, ch[0]!, ch[1]!)).advice(phase, ch) };
  const { proof, violated, challenges } = await forge(pk, falseInstances, cheating, { schedule: challengesFirst });
  assert.deepEqual(challenges, challengesBeforeAdvice(pk.vk, falseInstances));
  assert.deepEqual([...violated], [], 'every constraint holds at the challenges of this transcript');
  assert.deepEqual(await verifyWithout(pk.vk, falseInstances, proof, undefined, challengesFirst), ACCEPT);
  assert.deepEqual(await verify(pk.vk, falseInstances, proof), PAIRING);
  assert.deepEqual(await verifyWithout(pk.vk, falseInstances, proof), PAIRING);
});
