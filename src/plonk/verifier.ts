/**
 * The verifier (PROTOCOL §5), mirroring prover.ts round by round: replay the transcript, evaluate every
 * constraint at x from the claimed evaluations (constraints.ts, the same code the prover used), derive the
 * quotient value, and check all openings with one SHPLONK pairing equation.
 */
import { ZkmlError } from '../errors.ts';
import { frAdd, frBatchInv, frMul, frPow, frSub, rootOfUnity, type Fr } from '../scalar/fr.ts';
import { keyBases, shplonkVerify, type CommitmentCombination, type KeyCommitment, type VerifierClaim } from '../commit/shplonk/verifier.ts';
// Curve code from its verifier-side files only (not curve/index.ts, whose MSM engine needs Node): the verifier also runs in a browser.
import { g1ToBytesBE, type G1Affine } from '../curve/g1.ts';
import { KeccakTranscript } from '../transcript/keccak.ts';
import { emitConstraints, type ConstraintAlgebra } from './constraints.ts';
import type { VerifyingKey } from './keys.ts';
import { evalKey, evaluationOrder, openingSchedule, type OpenedPoly } from './openings.ts';
import { adviceCommitOrder, type Proof } from './proof.ts';
import { absorbInstances } from './instances.ts';

export type VerifyResult = { valid: true } | { valid: false; reason: string };

export class ProofShapeError extends ZkmlError {}

/** ω for each k seen (a 254-bit exponentiation on BigInt; a process verifies many proofs of one size). */
const ROOTS = new Map<number, Fr>();
function rootOfUnityCached(k: number): Fr {
  let w = ROOTS.get(k);
  if (w === undefined) ROOTS.set(k, (w = rootOfUnity(k)));
  return w;
}

function checkProofShape(vk: VerifyingKey, proof: Proof): void {
  const { cs, shape } = vk;
  const expect = (what: string, got: number, want: number) => {
    if (got !== want) throw new ProofShapeError(`proof has ${got} ${what}, the key expects ${want}`);
  };
  expect('advice commitments', proof.advice.length, cs.advicePhases.length);
  expect('multiplicity commitments', proof.multiplicities.length, shape.lookupArgs.length);
  expect('permutation commitments', proof.permutationProducts.length, shape.chunks.length);
  expect('logUp commitments', proof.logupSums.length, shape.lookupArgs.reduce((s, a) => s + a.groups.length, 0));
  expect('quotient pieces', proof.quotientPieces.length, shape.d - 1);
  expect('evaluations', proof.evals.length, evaluationOrder(cs, shape).length);
}

/** Checks a proof against a VK and public instances. Never throws for a bad proof: returns the reason. */
export async function verify(vk: VerifyingKey, instances: readonly (readonly Fr[])[], proof: Proof): Promise<VerifyResult> {
  const { cs, shape } = vk;
  const { n, u } = shape;
  try {
    checkProofShape(vk, proof);
  } catch (e) {
    return { valid: false, reason: (e as Error).message };
  }
  const omega = rootOfUnityCached(vk.k);
  const element = (i: number): Fr => frPow(omega, BigInt(((i % n) + n) % n)); // ω^i
  const t = new KeccakTranscript();
  const absorb = (p: G1Affine) => t.absorbPoint(g1ToBytesBE(p));

  t.absorbBytes32(vk.digest);
  absorbInstances(t, vk, instances);

  // Round 1: advice, phase by phase; challenges squeezed after their phase.
  const order = adviceCommitOrder(cs.advicePhases);
  const adviceCommitments: G1Affine[] = new Array(order.length);
  order.forEach((col, i) => (adviceCommitments[col] = proof.advice[i]!));
  const circuitChallenges: Fr[] = new Array(cs.challengePhases.length);
  let next = 0;
  for (let phase = 0; phase < shape.numPhases; phase++) {
    while (next < order.length && cs.advicePhases[order[next]!] === phase) absorb(proof.advice[next++]!);
    cs.challengePhases.forEach((p, i) => {
      if (p === phase) circuitChallenges[i] = t.squeeze();
    });
  }
  // Round 2–4.
  const theta = t.squeeze();
  proof.multiplicities.forEach(absorb);
  const betaL = t.squeeze();
  const beta = t.squeeze();
  const gamma = t.squeeze();
  proof.permutationProducts.forEach(absorb);
  proof.logupSums.forEach(absorb);
  absorb(proof.random);
  const y = t.squeeze();
  proof.quotientPieces.forEach(absorb);
  const x = t.squeeze();
  const xn = frPow(x, BigInt(n));
  if (xn === 1n) return { valid: false, reason: 'challenge x lies in the domain' };
  const evalOrder = evaluationOrder(cs, shape);
  const evals = new Map<string, Fr>();
  evalOrder.forEach((e, i) => {
    evals.set(evalKey(e.poly, e.rotation), proof.evals[i]!);
    t.absorbScalar(proof.evals[i]!);
  });

  // Lagrange values at x: L_i(x) = ω^i (x^n − 1) / (n (x − ω^i)).
  const zh = frSub(xn, 1n);
  // Takes the rows' ω^i (`omegas`), so that consecutive rows cost one multiplication each; `alsoInvert`
  // joins the batch inversion (its inverses come last).
  const lagrangeAt = (omegas: readonly Fr[], at: Fr, alsoInvert: readonly Fr[] = []): Fr[] => {
    const atn = frSub(frPow(at, BigInt(n)), 1n);
    const inv = frBatchInv([...omegas.map((w) => frMul(BigInt(n), frSub(at, w))), ...alsoInvert]);
    return [...omegas.map((w, j) => frMul(frMul(w, atn), inv[j]!)), ...inv.slice(omegas.length)];
  };
  const blindRows = Array.from({ length: n - u - 1 }, (_, i) => u + 1 + i);
  const [l0, llast, ...rest] = lagrangeAt([0, u, ...blindRows].map(element), x, [zh]);
  const zhInv = rest.pop()!; // 1/Z_H(x), for h̄
  const blind = rest;
  const lblind = blind.reduce((a, b) => frAdd(a, b), 0n);
  const point = (rotation: number): Fr => frMul(x, element(rotation));
  // I_c(xω^ρ), once per (column, rotation) however often the constraints read it.
  const instanceValues = new Map<string, Fr>();
  const instanceAt = (c: number, rotation: number): Fr => {
    const col = instances[c]!;
    if (col.length === 0) return 0n;
    const key = `${c}:${rotation}`;
    const known = instanceValues.get(key);
    if (known !== undefined) return known;
    const omegas: Fr[] = [1n];
    for (let i = 1; i < col.length; i++) omegas.push(frMul(omegas[i - 1]!, omega));
    const ls = lagrangeAt(omegas, point(rotation));
    const value = col.reduce((acc, v, i) => frAdd(acc, frMul(v, ls[i]!)), 0n);
    instanceValues.set(key, value);
    return value;
  };
  const claimed = (key: string): Fr => {
    const v = evals.get(key);
    if (v === undefined) throw new ProofShapeError(`no evaluation for ${key}`);
    return v;
  };
  const alg: ConstraintAlgebra<Fr> = {
    constant: (v) => v,
    add: frAdd,
    sub: frSub,
    mul: frMul,
    column: (c, rot) => (c.type === 'instance' ? instanceAt(c.index, rot) : claimed(evalKey(`${c.type}:${c.index}`, rot))),
    poly: (id, rot) => {
      if (id === 'l0') return l0!;
      if (id === 'llast') return llast!;
      if (id === 'lblind') return lblind;
      if (id === 'x') return x;
      return claimed(evalKey(id as OpenedPoly, rot));
    },
  };
  let phi = 0n;
  emitConstraints(cs, shape, { circuit: circuitChallenges, theta, betaL, beta, gamma }, alg, (_n, v) => {
    phi = frAdd(frMul(phi, y), v);
  });
  const hBar = frMul(phi, zhInv);

  // H′ = Σ x^{ni}[h_i′] and the opening claims.
  const hScalars: Fr[] = [];
  let s = 1n;
  for (let i = 0; i < proof.quotientPieces.length; i++) {
    hScalars.push(s);
    s = frMul(s, xn);
  }
  // Left as a combination: its terms join the SHPLONK check's single MSM (the same E, one MSM fewer).
  const hCommitment: CommitmentCombination = { points: proof.quotientPieces, scalars: hScalars };
  // The key's points, by index: fixed commitments, then σ (their tables are kept with the key).
  const key = keyBases(vk, [...vk.fixedCommitments, ...vk.sigmaCommitments]);
  const sigmaBase = vk.fixedCommitments.length;
  const commitmentOf = (p: OpenedPoly): G1Affine | CommitmentCombination | KeyCommitment => {
    const [kind, a, b] = p.split(':');
    switch (kind) {
      case 'advice':
        return adviceCommitments[Number(a)]!;
      case 'fixed':
        return { keyPoint: Number(a) };
      case 'r':
        return proof.random;
      case 'sigma':
        return { keyPoint: sigmaBase + Number(a) };
      case 'z':
        return proof.permutationProducts[Number(a)]!;
      case 'm':
        return proof.multiplicities[Number(a)]!;
      case 'phi': {
        let idx = 0;
        for (let l = 0; l < Number(a); l++) idx += shape.lookupArgs[l]!.groups.length;
        return proof.logupSums[idx + Number(b)]!;
      }
      default:
        return hCommitment;
    }
  };
  const claims: VerifierClaim[] = openingSchedule(cs, shape).map(({ poly, rotations }) => ({
    commitment: commitmentOf(poly),
    points: rotations.map(point),
    values: rotations.map((r) => (poly === 'h' ? hBar : claimed(evalKey(poly, r)))),
  }));
  const ok = await shplonkVerify(vk, t, claims, { W: proof.W, Wprime: proof.Wprime }, key);
  return ok ? { valid: true } : { valid: false, reason: 'opening check failed: the pairing equation does not hold' };
}
