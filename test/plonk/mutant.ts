/**
 * Test-local copies of the prover and verifier rounds (prover.ts / verifier.ts) for the mutation tests,
 * built from the same shared pieces (emitConstraints, openings, lookup/permutation helpers, SHPLONK). The
 * mutations they offer:
 * - the Horner fold in y skips constraints picked by name (one family, or one constraint of one gate,
 *   logUp argument or group);
 * - the prover overwrites the permutation products and logUp running sums;
 * - round 1 (advice commitments and circuit challenges, PROTOCOL §3 step 3) runs in another order, on
 *   both sides alike;
 * - the prover computes its witness (and Φ) with challenge values other than the transcript's.
 * Scalar arithmetic: meant for tiny domains.
 */
import assert from 'node:assert/strict';
import { commitCoeffs } from '../../src/commit/index.ts';
import { shplonkProve, type ProverClaim } from '../../src/commit/shplonk/prover.ts';
import { shplonkVerify, type VerifierClaim } from '../../src/commit/shplonk/verifier.ts';
import { g1LinearCombination, g1ToBytesBE, type G1Affine } from '../../src/curve/index.ts';
import { frAdd, frBatchInv, frInv, frMul, frPow, frSub, rootOfUnity, type Fr } from '../../src/scalar/fr.ts';
import {
  frVecAlloc,
  frVecFromBigints,
  frVecFromInts,
  frVecGet,
  frVecMulAddScaled,
  frVecRandom,
  frVecSet,
  frVecToBigints,
  type FrVec,
} from '../../src/field/frvec.ts';
import { cosetFft, cosetIfft, Domain, fft, ifft, type Coeffs, type ExtendedEvals, type LagrangeEvals } from '../../src/poly/index.ts';
import { emitConstraints, type ConstraintAlgebra, type ProofPoly } from '../../src/plonk/constraints.ts';
import type { Column } from '../../src/plonk/expression.ts';
import { COSET_GENERATOR } from '../../src/plonk/keygen.ts';
import type { ConstraintSystem } from '../../src/plonk/cs.ts';
import type { ProvingKey, VerifyingKey } from '../../src/plonk/keys.ts';
import { lookupVectors, multiplicities, runningSums } from '../../src/plonk/lookup/prover.ts';
import { permutationDelta } from '../../src/plonk/permutation/delta.ts';
import { prefixProduct } from '../../src/plonk/running.ts';
import { evalKey, evaluationOrder, openingSchedule, type OpenedPoly } from '../../src/plonk/openings.ts';
import { adviceCommitOrder, type Proof } from '../../src/plonk/proof.ts';
import { absorbInstances } from '../../src/plonk/instances.ts';
import { commitWitnessColumn } from '../../src/plonk/commit-column.ts';
import { lagrangeVectorAlgebra } from '../../src/plonk/vector-algebra.ts';
import { prove, ProverError, type Witness } from '../../src/plonk/prover.ts';
import { verify, type VerifyResult } from '../../src/plonk/verifier.ts';
import { KeccakTranscript } from '../../src/transcript/keccak.ts';

export const PAIRING = { valid: false, reason: 'opening check failed: the pairing equation does not hold' } as const;
export const ACCEPT = { valid: true } as const;

// ---------------------------------------------------------------------------------------------------
// Constraint families, by the names emitConstraints gives them.

export type Family = 'gate' | 'P1' | 'P2' | 'P3' | 'P4' | 'L1' | 'L2' | 'L3';
export function familyOf(name: string): Family {
  if (name.startsWith('gate ')) return 'gate';
  const m = /(?:^permutation|') (P[1-4]|L[1-3])\b/.exec(name);
  if (!m) throw new Error(`unknown constraint name '${name}'`);
  return m[1] as Family;
}

export const scalarOps = { constant: (v: bigint) => v, add: frAdd, sub: frSub, mul: frMul };

/** Constraints left out of Φ: a whole family, or those whose name (as emitConstraints gives it) matches. */
export type Omission = Family | ((constraint: string) => boolean);

export function isOmitted(omit: Omission | undefined, name: string): boolean {
  if (omit === undefined) return false;
  return typeof omit === 'function' ? omit(name) : familyOf(name) === omit;
}

/** Names of every constraint of the circuit, in emission (fold) order. */
export function constraintNames(vk: VerifyingKey): string[] {
  const names: string[] = [];
  const zero = { ...scalarOps, column: () => 0n, poly: () => 0n };
  emitConstraints(vk.cs, vk.shape, { circuit: vk.cs.challengePhases.map(() => 0n), theta: 0n, betaL: 0n, beta: 0n, gamma: 0n }, zero, (name) => names.push(name));
  return names;
}

/** Horner fold in y of the emitted constraints, skipping the omitted ones (PROTOCOL §4d). */
export function foldConstraints<T>(vk: VerifyingKey, ch: Parameters<typeof emitConstraints>[2], alg: ConstraintAlgebra<T>, fold: (v: T) => void, omit?: Omission): void {
  emitConstraints(vk.cs, vk.shape, ch, alg, (name, v) => {
    if (!isOmitted(omit, name)) fold(v);
  });
}

// ---------------------------------------------------------------------------------------------------
// Round 1 as data: the order in which advice commitments are absorbed and circuit challenges squeezed.

/** One step of round 1: absorb the commitment of advice column `absorb`, or squeeze challenge `squeeze`. */
export type AdviceStep = { readonly absorb: number } | { readonly squeeze: number };

/** PROTOCOL §3 step 3: per phase p, the phase-p advice columns in index order, then the phase-p challenges. */
export function protocolSchedule(cs: ConstraintSystem): AdviceStep[] {
  const steps: AdviceStep[] = [];
  const phases = Math.max(0, ...cs.advicePhases) + 1;
  for (let p = 0; p < phases; p++) {
    cs.advicePhases.forEach((q, i) => q === p && steps.push({ absorb: i }));
    cs.challengePhases.forEach((q, i) => q === p && steps.push({ squeeze: i }));
  }
  return steps;
}

/** Every advice column absorbed once and every challenge squeezed once. */
function checkSchedule(cs: ConstraintSystem, steps: readonly AdviceStep[]): void {
  const cols = steps.flatMap((s) => ('absorb' in s ? [s.absorb] : [])).sort((a, b) => a - b);
  const chs = steps.flatMap((s) => ('squeeze' in s ? [s.squeeze] : [])).sort((a, b) => a - b);
  assert.deepEqual(cols, cs.advicePhases.map((_, i) => i), 'schedule must absorb every advice column once');
  assert.deepEqual(chs, cs.challengePhases.map((_, i) => i), 'schedule must squeeze every challenge once');
}

/** Plain phase-0 rows as a witness (circuits without later phases). */
export function rowsWitness(rows: readonly (readonly number[])[]): Witness {
  return {
    advice: (phase) => {
      assert.equal(phase, 0);
      return rows.map((r) => frVecFromInts(r));
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// Test-local prover: the rounds of prover.ts, with hooks to overwrite the accumulators, to drop
// constraints from Φ, to reorder round 1 and to feed the witness other challenge values.

export interface Forgery {
  /** Constraints the mutated prover leaves out of Φ (default: none — a faithful prover). */
  omit?: Omission;
  /** Overwrites the permutation products z_c (rows 0..u hold the values the constraints see). */
  tamperZ?: (z: FrVec[], u: number) => void;
  /** Overwrites the logUp running sums φ_{ℓ,g}. */
  tamperPhi?: (phi: FrVec[][], u: number) => void;
  /** Order of round 1 in the prover's transcript (default: protocolSchedule). */
  schedule?: readonly AdviceStep[];
  /**
   * The challenge values the prover believes in, from the transcript's values squeezed so far (holes where
   * not yet squeezed): the witness of each phase and the prover's Φ use them (default: the transcript's).
   */
  witnessChallenges?: (transcript: readonly Fr[]) => Fr[];
}

export interface Forged {
  proof: Proof;
  /**
   * Families with a nonzero constraint somewhere on H, computed row by row from the committed vectors with
   * the transcript's challenges (what the real verifier checks).
   */
  violated: Set<Family>;
  /** The same, by constraint name. */
  violatedConstraints: Set<string>;
  /** The circuit challenges of the prover's transcript. */
  challenges: Fr[];
}

/**
 * A proof made by the test-local prover. `witness` is a Witness as for prove(), or plain phase-0 rows. Φ′
 * (the fold without the omitted constraints, with the prover's challenge values) must vanish on H — the
 * forgery breaks nothing else — which is asserted row by row and by the quotient's degree.
 */
export async function forge(pk: ProvingKey, instances: bigint[][], witness: Witness | number[][], o: Forgery = {}): Promise<Forged> {
  const { vk, srs } = pk;
  const { cs, shape } = vk;
  const { k, n, u, extK } = shape;
  const schedule = o.schedule ?? protocolSchedule(cs);
  checkSchedule(cs, schedule);
  const believe = o.witnessChallenges ?? ((c: readonly Fr[]) => [...c]);
  const wit = Array.isArray(witness) ? rowsWitness(witness) : witness;
  const domain = new Domain(k);
  const t = new KeccakTranscript();
  const absorb = (p: G1Affine) => t.absorbPoint(g1ToBytesBE(p));
  t.absorbBytes32(vk.digest);
  absorbInstances(t, vk, instances);

  const blinded = (v: FrVec): FrVec => {
    const out = frVecAlloc(n);
    out.set(v);
    out.set(frVecRandom(n - u), u * 32);
    return out;
  };

  // Round 1 in the schedule's order; the witness of a phase is asked for when its first column is absorbed.
  const adviceL: FrVec[] = new Array(cs.advicePhases.length);
  const adviceC: G1Affine[] = new Array(cs.advicePhases.length);
  const transcriptChallenges: Fr[] = new Array(cs.challengePhases.length);
  for (const step of schedule) {
    if ('squeeze' in step) {
      transcriptChallenges[step.squeeze] = t.squeeze();
      continue;
    }
    const phase = cs.advicePhases[step.absorb]!;
    if (adviceL[step.absorb] === undefined) {
      const cols = cs.advicePhases.map((p, i) => (p === phase ? i : -1)).filter((i) => i >= 0);
      const values = await wit.advice(phase, believe(transcriptChallenges));
      assert.equal(values.length, cols.length, `witness columns of phase ${phase}`);
      for (let c = 0; c < cols.length; c++) {
        adviceL[cols[c]!] = blinded(values[c]!);
        adviceC[cols[c]!] = await commitWitnessColumn(srs, k, u, adviceL[cols[c]!]!);
      }
    }
    absorb(adviceC[step.absorb]!);
  }
  const proverChallenges = believe(transcriptChallenges);
  const instL = instances.map((col) => {
    const v = frVecAlloc(n);
    v.set(frVecFromBigints(col));
    return v;
  });
  // A proving key keeps only the Lagrange forms the honest prover reads; this one reads every column so.
  const fixedL = await Promise.all(pk.fixed.map((f) => f.lagrange ?? fft(f.coeffs, k)));
  const sigmaL = await Promise.all(pk.sigmas.map((f) => f.lagrange ?? fft(f.coeffs, k)));
  const columnL = (c: Column): FrVec => (c.type === 'advice' ? adviceL[c.index]! : c.type === 'fixed' ? fixedL[c.index]! : instL[c.index]!);

  const theta = t.squeeze();
  const lv = shape.lookupArgs.map((arg) => lookupVectors(cs, arg, lagrangeVectorAlgebra(columnL, proverChallenges), theta, n));
  // Multiplicities of the table rows actually hit (inputs missing from the table are left out).
  const mL = shape.lookupArgs.map((arg, l) => multiplicities(cs, arg, lv[l]!, n, u, true));
  const mC: G1Affine[] = [];
  for (const m of mL) {
    mC.push(await commitWitnessColumn(srs, k, u, m));
    absorb(mC[mC.length - 1]!);
  }
  const betaL = t.squeeze();
  const beta = t.squeeze();
  const gamma = t.squeeze();

  // z_c as the prover builds it, then the hook.
  const zL: FrVec[] = [];
  let start = 1n;
  for (const chunk of shape.chunks) {
    const ratio = frVecAlloc(n);
    for (let i = 0; i < n; i++) {
      let num = 1n;
      let den = 1n;
      for (const j of chunk) {
        const p = frVecGet(columnL(cs.equality[j]!), i);
        num = frMul(num, frAdd(frAdd(p, frMul(frMul(beta, permutationDelta(j)), domain.element(i))), gamma));
        den = frMul(den, frAdd(frAdd(p, frMul(beta, frVecGet(sigmaL[j]!, i))), gamma));
      }
      frVecSet(ratio, i, frMul(num, frInv(den)));
    }
    const z = prefixProduct(ratio, n, u, start);
    zL.push(z);
    start = frVecGet(z, u);
  }
  o.tamperZ?.(zL, u);
  const phiL = shape.lookupArgs.map((arg, l) => runningSums(arg, lv[l]!, mL[l]!, betaL, n, u));
  o.tamperPhi?.(phiL, u);

  const coeffs = async (v: FrVec): Promise<Coeffs> => ifft(v as LagrangeEvals, k);
  const zCo = await Promise.all(zL.map(coeffs));
  const phiCo = await Promise.all(phiL.map((g) => Promise.all(g.map(coeffs))));
  const mCo = await Promise.all(mL.map(coeffs));
  const adviceCo = await Promise.all(adviceL.map(coeffs));
  const instCo = await Promise.all(instL.map(coeffs));
  const zC: G1Affine[] = [];
  for (const c of zCo) {
    zC.push(await commitCoeffs(srs, c));
    absorb(zC[zC.length - 1]!);
  }
  const phiC: G1Affine[] = [];
  for (const c of phiCo.flat()) {
    phiC.push(await commitCoeffs(srs, c));
    absorb(phiC[phiC.length - 1]!);
  }
  const rCo = frVecRandom(n) as Coeffs;
  const rC = await commitCoeffs(srs, rCo);
  absorb(rC);
  const y = t.squeeze();
  const ch = { circuit: proverChallenges, theta, betaL, beta, gamma };
  const truth = { ...ch, circuit: transcriptChallenges };

  // Which constraints fail on H: each evaluated on every row from the Lagrange values, with the
  // transcript's challenges (violated) and with the prover's, minus the omitted ones (must be none).
  const polyL = (id: ProofPoly, row: number): Fr => {
    const [kind, a, b] = id.split(':');
    if (kind === 'sigma') return frVecGet(sigmaL[Number(a)]!, row);
    if (kind === 'z') return frVecGet(zL[Number(a)]!, row);
    if (kind === 'm') return frVecGet(mL[Number(a)]!, row);
    if (kind === 'phi') return frVecGet(phiL[Number(a)]![Number(b)]!, row);
    if (kind === 'l0') return row === 0 ? 1n : 0n;
    if (kind === 'llast') return row === u ? 1n : 0n;
    if (kind === 'lblind') return row > u ? 1n : 0n;
    return domain.element(row);
  };
  const violatedConstraints = new Set<string>();
  const believedViolated = new Set<string>();
  for (let i = 0; i < n; i++) {
    const at = (rot: number) => (((i + rot) % n) + n) % n;
    const rowAlg = { ...scalarOps, column: (c: Column, rot: number) => frVecGet(columnL(c), at(rot)), poly: (id: ProofPoly, rot: number) => polyL(id, at(rot)) };
    emitConstraints(cs, shape, truth, rowAlg, (name, v) => v !== 0n && violatedConstraints.add(name));
    emitConstraints(cs, shape, ch, rowAlg, (name, v) => v !== 0n && !isOmitted(o.omit, name) && believedViolated.add(name));
  }
  assert.deepEqual([...believedViolated], [], 'the forgery violates more than the omitted constraints');
  const violated = new Set([...violatedConstraints].map(familyOf));

  // Quotient of Φ′ (Φ without the omitted family) on the 2^e cosets g·ζ^j·H; rotations are shifts in a coset.
  const E = 1 << extK;
  const zeta = rootOfUnity(k + extK);
  const fixedCo = pk.fixed.map((f) => f.coeffs);
  const hExt = frVecAlloc(n * E) as ExtendedEvals;
  for (let j = 0; j < E; j++) {
    const shift = frMul(COSET_GENERATOR, frPow(zeta, BigInt(j)));
    const on = async (c: Coeffs) => frVecToBigints(await cosetFft(c, k, shift));
    const col = {
      advice: await Promise.all(adviceCo.map(on)),
      fixed: await Promise.all(fixedCo.map(on)),
      instance: await Promise.all(instCo.map(on)),
    };
    const sig = await Promise.all(pk.sigmas.map((s) => on(s.coeffs)));
    const zs = await Promise.all(zCo.map(on));
    const ms = await Promise.all(mCo.map(on));
    const phis = await Promise.all(phiCo.map((g) => Promise.all(g.map(on))));
    const [l0, llast, lblind, xs] = await Promise.all([pk.l0, pk.llast, pk.lblind, pk.x].map(on));
    const zhInv = frInv(frSub(frPow(shift, BigInt(n)), 1n));
    for (let i = 0; i < n; i++) {
      const at = (rot: number) => (((i + rot) % n) + n) % n;
      const poly = (id: ProofPoly, rot: number): Fr => {
        const [kind, a, b] = id.split(':');
        const r = at(rot);
        if (kind === 'sigma') return sig[Number(a)]![r]!;
        if (kind === 'z') return zs[Number(a)]![r]!;
        if (kind === 'm') return ms[Number(a)]![r]!;
        if (kind === 'phi') return phis[Number(a)]![Number(b)]![r]!;
        return (kind === 'l0' ? l0 : kind === 'llast' ? llast : kind === 'lblind' ? lblind : xs)![r]!;
      };
      let phi = 0n;
      foldConstraints(vk, ch, { ...scalarOps, column: (c, rot) => col[c.type][c.index]![at(rot)]!, poly }, (v) => (phi = frAdd(frMul(phi, y), v)), o.omit);
      frVecSet(hExt, E * i + j, frMul(phi, zhInv));
    }
  }
  const hCo = await cosetIfft(hExt, COSET_GENERATOR);
  const pieces = shape.d - 1;
  const tail = frVecToBigints(hCo.subarray(pieces * n * 32));
  assert.ok(tail.every((c) => c === 0n), 'Φ′ is not divisible by Z_H: the forgery violates more than the omitted family');
  const hPieces: FrVec[] = [];
  const hC: G1Affine[] = [];
  for (let i = 0; i < pieces; i++) {
    hPieces.push(hCo.slice(i * n * 32, (i + 1) * n * 32));
    hC.push(await commitCoeffs(srs, hPieces[i]!));
    absorb(hC[i]!);
  }
  const x = t.squeeze();
  const xn = frPow(x, BigInt(n));
  const H = frVecAlloc(n);
  let s = 1n;
  for (const piece of hPieces) {
    frVecMulAddScaled(H, piece, s);
    s = frMul(s, xn);
  }
  const coeffsOf = (p: OpenedPoly): FrVec => {
    const [kind, a, b] = p.split(':');
    if (kind === 'advice') return adviceCo[Number(a)]!;
    if (kind === 'fixed') return fixedCo[Number(a)]!;
    if (kind === 'r') return rCo;
    if (kind === 'sigma') return pk.sigmas[Number(a)]!.coeffs;
    if (kind === 'z') return zCo[Number(a)]!;
    if (kind === 'm') return mCo[Number(a)]!;
    if (kind === 'phi') return phiCo[Number(a)]![Number(b)]!;
    return H;
  };
  const point = (rot: number) => frMul(x, domain.element(rot));
  const evalAt = (c: FrVec, at: Fr) => frVecToBigints(c).reduceRight((acc, co) => frAdd(frMul(acc, at), co), 0n);
  const evals = evaluationOrder(cs, shape).map((e) => evalAt(coeffsOf(e.poly), point(e.rotation)));
  evals.forEach((v) => t.absorbScalar(v));
  const claims: ProverClaim[] = openingSchedule(cs, shape).map(({ poly, rotations }) => ({
    coeffs: coeffsOf(poly),
    points: rotations.map(point),
    values: rotations.map((r) => evalAt(coeffsOf(poly), point(r))),
  }));
  const { W, Wprime } = await shplonkProve(srs, t, claims);
  const proof: Proof = {
    advice: adviceCommitOrder(cs.advicePhases).map((i) => adviceC[i]!),
    multiplicities: mC,
    permutationProducts: zC,
    logupSums: phiC,
    random: rC,
    quotientPieces: hC,
    evals,
    W,
    Wprime,
  };
  return { proof, violated, violatedConstraints, challenges: transcriptChallenges };
}

// ---------------------------------------------------------------------------------------------------
// Test-local verifier: verifier.ts with constraints dropped from the fold and round 1 in a given order.

export async function verifyWithout(
  vk: VerifyingKey,
  instances: bigint[][],
  proof: Proof,
  omit?: Omission,
  schedule: readonly AdviceStep[] = protocolSchedule(vk.cs),
): Promise<VerifyResult> {
  const { cs, shape } = vk;
  const { n, u } = shape;
  checkSchedule(cs, schedule);
  const domain = new Domain(vk.k);
  const t = new KeccakTranscript();
  const absorb = (p: G1Affine) => t.absorbPoint(g1ToBytesBE(p));
  t.absorbBytes32(vk.digest);
  absorbInstances(t, vk, instances);
  const adviceC: G1Affine[] = [];
  adviceCommitOrder(cs.advicePhases).forEach((col, i) => (adviceC[col] = proof.advice[i]!));
  const circuit: Fr[] = new Array(cs.challengePhases.length);
  for (const step of schedule) {
    if ('squeeze' in step) circuit[step.squeeze] = t.squeeze();
    else absorb(adviceC[step.absorb]!);
  }
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
  const evals = new Map<string, Fr>();
  evaluationOrder(cs, shape).forEach((e, i) => {
    evals.set(evalKey(e.poly, e.rotation), proof.evals[i]!);
    t.absorbScalar(proof.evals[i]!);
  });
  const lagrangeAt = (rows: number[], at: Fr): Fr[] => {
    const atn = frSub(frPow(at, BigInt(n)), 1n);
    const inv = frBatchInv(rows.map((i) => frMul(BigInt(n), frSub(at, domain.element(i)))));
    return rows.map((i, j) => frMul(frMul(domain.element(i), atn), inv[j]!));
  };
  const [l0, llast, ...blind] = lagrangeAt([0, u, ...Array.from({ length: n - u - 1 }, (_, i) => u + 1 + i)], x);
  const lblind = blind.reduce((a, b) => frAdd(a, b), 0n);
  const point = (rot: number): Fr => frMul(x, domain.element(rot));
  const instanceAt = (c: number, rot: number): Fr => {
    const col = instances[c]!;
    if (col.length === 0) return 0n;
    const ls = lagrangeAt(col.map((_, i) => i), point(rot));
    return col.reduce((acc, v, i) => frAdd(acc, frMul(v, ls[i]!)), 0n);
  };
  const claimed = (key: string): Fr => evals.get(key)!;
  let phi = 0n;
  foldConstraints(
    vk,
    { circuit, theta, betaL, beta, gamma },
    {
      ...scalarOps,
      column: (c, rot) => (c.type === 'instance' ? instanceAt(c.index, rot) : claimed(evalKey(`${c.type}:${c.index}`, rot))),
      poly: (id, rot) =>
        id === 'l0' ? l0! : id === 'llast' ? llast! : id === 'lblind' ? lblind : id === 'x' ? x : claimed(evalKey(id as OpenedPoly, rot)),
    },
    (v) => (phi = frAdd(frMul(phi, y), v)),
    omit,
  );
  const hBar = frMul(phi, frInv(frSub(xn, 1n)));
  const hScalars = proof.quotientPieces.map((_, i) => frPow(xn, BigInt(i)));
  const hCommitment = await g1LinearCombination([...proof.quotientPieces], hScalars);
  const commitmentOf = (p: OpenedPoly): G1Affine => {
    const [kind, a, b] = p.split(':');
    if (kind === 'advice') return adviceC[Number(a)]!;
    if (kind === 'fixed') return vk.fixedCommitments[Number(a)]!;
    if (kind === 'r') return proof.random;
    if (kind === 'sigma') return vk.sigmaCommitments[Number(a)]!;
    if (kind === 'z') return proof.permutationProducts[Number(a)]!;
    if (kind === 'm') return proof.multiplicities[Number(a)]!;
    if (kind === 'phi') {
      let idx = 0;
      for (let l = 0; l < Number(a); l++) idx += shape.lookupArgs[l]!.groups.length;
      return proof.logupSums[idx + Number(b)]!;
    }
    return hCommitment;
  };
  const claims: VerifierClaim[] = openingSchedule(cs, shape).map(({ poly, rotations }) => ({
    commitment: commitmentOf(poly),
    points: rotations.map(point),
    values: rotations.map((r) => (poly === 'h' ? hBar : claimed(evalKey(poly, r)))),
  }));
  return (await shplonkVerify(vk, t, claims, { W: proof.W, Wprime: proof.Wprime })) ? ACCEPT : PAIRING;
}

/** The proving key with one gate deleted from its cs: gates are VK data, the digest (so the transcript) is kept. */
export function withoutGate(pk: ProvingKey, gate: string): ProvingKey {
  const cs = { ...pk.vk.cs, gates: pk.vk.cs.gates.filter((g) => g.name !== gate) };
  assert.equal(cs.gates.length, pk.vk.cs.gates.length - 1, `one gate named '${gate}'`);
  return { ...pk, vk: { ...pk.vk, cs } };
}

/** Picks the polys of one gate by constraint name. */
export const gateNamed = (gate: string) => (name: string) => name.startsWith(`gate '${gate}' `);

/**
 * Gate `gate` is load-bearing for a witness that breaks it and nothing else (`broken`: the names of its
 * failing polys): the copies' fold without the gate accepts the forgery, and with any other gate deleted
 * instead rejects it, as does the real verifier; the real prover refuses the witness, while on a cs copy
 * without the gate its proof is accepted by the real verifier with that cs and rejected with the full cs
 * or with any other gate deleted.
 */
export async function assertGateLoadBearing(pk: ProvingKey, instances: bigint[][], witness: Witness, gate: string, broken: string[]): Promise<void> {
  const others = pk.vk.cs.gates.map((g) => g.name).filter((g) => g !== gate);
  const { proof, violatedConstraints } = await forge(pk, instances, witness, { omit: gateNamed(gate) });
  assert.deepEqual([...violatedConstraints], broken);
  assert.deepEqual(await verify(pk.vk, instances, proof), PAIRING);
  assert.deepEqual(await verifyWithout(pk.vk, instances, proof, gateNamed(gate)), ACCEPT);
  for (const o of others) assert.deepEqual(await verifyWithout(pk.vk, instances, proof, gateNamed(o)), PAIRING, `without '${o}'`);
  await assert.rejects(prove(pk, instances, witness), ProverError);
  const forged = await prove(withoutGate(pk, gate), instances, witness);
  assert.deepEqual(await verify(withoutGate(pk, gate).vk, instances, forged), ACCEPT);
  assert.deepEqual(await verify(pk.vk, instances, forged), PAIRING);
  for (const o of others) assert.deepEqual(await verify(withoutGate(pk, o).vk, instances, forged), PAIRING, `without '${o}'`);
}

/** Rows 0..u of v multiplied by s (what the constraints see; blinding rows stay random). */
export function scaleRows(v: FrVec, u: number, s: Fr): void {
  for (let i = 0; i <= u; i++) frVecSet(v, i, frMul(frVecGet(v, i), s));
}
export function setRows(v: FrVec, u: number, f: (i: number, old: Fr) => Fr): void {
  for (let i = 0; i <= u; i++) frVecSet(v, i, f(i, frVecGet(v, i)));
}

