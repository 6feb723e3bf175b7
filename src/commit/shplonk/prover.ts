/**
 * SHPLONK multi-point opening, prover side [S §4; PROTOCOL §4f]. Mirrors verifier.ts step by step.
 *   w = Σ_i μ^i (F_i − R_i)/Z_{S_i};  W = [w]
 *   L = Σ_i μ^i Z_{T∖S_i}(z_s)(F_i − R_i(z_s)) − Z_T(z_s)·w;  W′ = [L/(X − z_s)]
 */
import { FR_MODULUS, frMul, frNeg, frPow, frSub, type Fr } from '../../scalar/fr.ts';
import { frVecAlloc, frVecDivLinear, frVecEval, frVecGet, frVecLen, frVecMulAddScaled, frVecSet, type FrVec } from '../../field/frvec.ts';
import type { KeccakTranscript } from '../../transcript/keccak.ts';
import { g1ToBytesBE, type G1Affine } from '../../curve/index.ts';
import { commitCoeffs, type Srs } from '../index.ts';
import { combineValues, groupByPointSet, interpolateCoeffs, vanishingAt } from './sets.ts';

export interface ProverClaim {
  /** Coefficients of the polynomial (any length ≤ the SRS size). */
  readonly coeffs: FrVec;
  readonly points: readonly Fr[];
  readonly values: readonly Fr[];
}

export interface ShplonkProof {
  readonly W: G1Affine;
  readonly Wprime: G1Affine;
}

function combineGroup(members: readonly { claim: ProverClaim }[], nu: Fr, len: number): FrVec {
  const F = frVecAlloc(len);
  let p = 1n;
  for (const m of members) {
    const c = m.claim.coeffs;
    frVecMulAddScaled(F.subarray(0, c.length), c, p);
    p = frMul(p, nu);
  }
  return F;
}

function subtractLowCoeffs(F: FrVec, coeffs: readonly Fr[]): void {
  for (let t = 0; t < coeffs.length; t++) {
    frVecSet(F, t, frSub(frVecGet(F, t), coeffs[t]!));
  }
}

/** Runs after the caller absorbed all claimed values; squeezes ν, μ, z_s and writes W, W′. */
export async function shplonkProve(srs: Srs, transcript: KeccakTranscript, claims: readonly ProverClaim[]): Promise<ShplonkProof> {
  const nu = transcript.squeeze();
  const mu = transcript.squeeze();
  const groups = groupByPointSet(claims);
  const len = Math.max(...claims.map((c) => frVecLen(c.coeffs)));
  const w = frVecAlloc(len);
  const Fs: FrVec[] = [];
  const Rs: Fr[][] = [];
  groups.forEach((g, i) => {
    const F = combineGroup(g.members, nu, len);
    const R = interpolateCoeffs(g.points, combineValues(g.members, nu, g.points.length));
    Fs.push(F);
    Rs.push(R);
    let q = frVecAlloc(len);
    q.set(F);
    subtractLowCoeffs(q, R);
    for (const s of g.points) {
      const rem = frVecEval(q, s);
      if (rem !== 0n) throw new Error('SHPLONK: a claimed evaluation is wrong (prover bug)');
      q = frVecDivLinear(q, s);
    }
    frVecMulAddScaled(w.subarray(0, q.length), q, frPow(mu, BigInt(i)));
  });
  const W = await commitCoeffs(srs, w);
  transcript.absorbPoint(g1ToBytesBE(W));
  const zs = transcript.squeeze();
  const allPoints = [...new Set(groups.flatMap((g) => g.points))];
  const L = frVecAlloc(len);
  groups.forEach((g, i) => {
    const others = allPoints.filter((p) => !g.points.includes(p));
    const scale = frMul(frPow(mu, BigInt(i)), vanishingAt(others, zs));
    const Fi = Fs[i]!;
    // F_i − R_i(z_s): only the constant coefficient changes.
    const rz = Rs[i]!.reduceRight((acc, c) => (acc * zs + c) % FR_MODULUS, 0n);
    subtractLowCoeffs(Fi, [rz]);
    frVecMulAddScaled(L, Fi, scale);
  });
  const zt = vanishingAt(allPoints, zs);
  frVecMulAddScaled(L.subarray(0, w.length), w, frNeg(zt));
  if (frVecEval(L, zs) !== 0n) throw new Error('SHPLONK: L(z_s) ≠ 0 (prover bug)');
  // Nothing is squeezed after W′, so it is not absorbed.
  const Wprime = await commitCoeffs(srs, frVecDivLinear(L, zs));
  return { W, Wprime };
}
