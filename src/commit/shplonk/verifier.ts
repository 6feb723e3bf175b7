/**
 * SHPLONK multi-point opening, verifier side [S §4; PROTOCOL §4f, §5 step 7]. Mirrors prover.ts.
 *   E = Σ_i μ^i Z_{T∖S_i}(z_s)(C_i − R_i(z_s)·[1]) − Z_T(z_s)·W
 *   accept iff e(E + z_s·W′, [1]₂) · e(−W′, [τ]₂) = 1
 */
import { frAdd, frMul, frNeg, type Fr } from '../../scalar/fr.ts';
import type { KeccakTranscript } from '../../transcript/keccak.ts';
import { g1Combine } from '../../curve/combination.ts';
import { g1Generator, g1GeneratorSync, g1Neg, g1ToBytesBE, type G1Affine } from '../../curve/g1.ts';
import { PrecomputedBases } from '../../curve/precomputed-bases.ts';
import { pairingCheck } from '../../curve/pairing.ts';
import type { Srs } from '../index.ts';
import { combineValues, groupByPointSet, interpolantsAt, vanishingAt } from './sets.ts';
import type { ShplonkProof } from './prover.ts';

/**
 * A commitment given as Σ s_k·P_k rather than as a point (the quotient's H′ = Σ x^{ni}[h_i]): its terms join
 * the one linear combination that forms E, instead of costing a combination of their own.
 */
export interface CommitmentCombination {
  readonly points: readonly G1Affine[];
  readonly scalars: readonly Fr[];
}

/**
 * A commitment that is one of the verifier's key points (keyBases), by its index there: its term joins the
 * part of E that the key's precomputed tables compute.
 */
export interface KeyCommitment {
  readonly keyPoint: number;
}

export interface VerifierClaim {
  readonly commitment: G1Affine | CommitmentCombination | KeyCommitment;
  readonly points: readonly Fr[];
  readonly values: readonly Fr[];
}

const KEY_BASES = new WeakMap<object, PrecomputedBases>();

/**
 * The bases of a verifier that checks many proofs against one key (`owner`, the key object): the key's
 * commitments (KeyCommitment i is commitments[i]), then [1]₁, whose −R(z_s)·[1] term every check has.
 * Cached per owner, so that the tables are built once per key (on its second check) and dropped with it;
 * made afresh if the commitments are no longer the cached ones (a stale table would check the old points).
 */
export function keyBases(owner: object, commitments: readonly G1Affine[]): PrecomputedBases {
  const cached = KEY_BASES.get(owner);
  if (cached && cached.size === commitments.length + 1 && cached.startsWith(commitments)) return cached;
  const bases = new PrecomputedBases([...commitments, g1GeneratorSync()]);
  KEY_BASES.set(owner, bases);
  return bases;
}

/**
 * Replays ν, μ, z_s and checks the single pairing equation. Returns false (never throws) on a bad proof.
 * Claims may name key points (KeyCommitment) only when `key` (keyBases) is given.
 */
export async function shplonkVerify(
  srs: Pick<Srs, 'g2Gen' | 'g2Tau'>,
  transcript: KeccakTranscript,
  claims: readonly VerifierClaim[],
  proof: ShplonkProof,
  key?: PrecomputedBases,
): Promise<boolean> {
  const nu = transcript.squeeze();
  const mu = transcript.squeeze();
  transcript.absorbPoint(g1ToBytesBE(proof.W));
  const zs = transcript.squeeze();
  const groups = groupByPointSet(claims);
  const allPoints = [...new Set(groups.flatMap((g) => g.points))];
  if (allPoints.includes(zs)) return false;

  const points: G1Affine[] = [];
  const scalars: Fr[] = [];
  const scales: Fr[] = [];
  // The key points' scalars (a point opened in several groups adds up); [1]₁ is the last.
  const keyScalars: Fr[] = key ? new Array<Fr>(key.size).fill(0n) : [];
  let muPower = 1n; // μ^i
  groups.forEach((g) => {
    const others = allPoints.filter((p) => !g.points.includes(p));
    const scale = frMul(muPower, vanishingAt(others, zs));
    muPower = frMul(muPower, mu);
    let p = 1n;
    for (const m of g.members) {
      const c = m.claim.commitment;
      if (c instanceof Uint8Array) {
        points.push(c);
        scalars.push(frMul(scale, p));
      } else if ('keyPoint' in c) {
        if (!key || c.keyPoint >= key.size - 1) throw new RangeError('shplonkVerify: a key point without its key');
        keyScalars[c.keyPoint] = frAdd(keyScalars[c.keyPoint]!, frMul(scale, p));
      } else {
        const weight = frMul(scale, p);
        c.points.forEach((q, k) => {
          points.push(q);
          scalars.push(frMul(weight, c.scalars[k]!));
        });
      }
      p = frMul(p, nu);
    }
    scales.push(scale);
  });
  // Σ_i scale_i·R_i(z_s), the interpolants evaluated together (one inversion for all groups).
  const rz = interpolantsAt(
    groups.map((g) => ({ points: g.points, values: combineValues(g.members, nu, g.points.length) })),
    zs,
  );
  const constantTerm = rz.reduce((acc, v, i) => frAdd(acc, frMul(scales[i]!, v)), 0n);
  // E + z_s·W′ as one linear combination: commitments (combinations expanded), −R·[1], −Z_T(z_s)·W, z_s·W′.
  points.push(proof.W, proof.Wprime);
  scalars.push(frNeg(vanishingAt(allPoints, zs)), zs);
  let lhs: G1Affine;
  if (key) {
    keyScalars[key.size - 1] = frNeg(constantTerm);
    lhs = await key.combine(keyScalars, points, scalars);
  } else {
    points.push(await g1Generator());
    scalars.push(frNeg(constantTerm));
    lhs = await g1Combine(points, scalars);
  }
  return pairingCheck([
    [lhs, srs.g2Gen],
    [await g1Neg(proof.Wprime), srs.g2Tau],
  ]);
}
