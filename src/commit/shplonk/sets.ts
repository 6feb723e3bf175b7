/**
 * SHPLONK bookkeeping shared by prover and verifier [S §4]: claims grouped by identical point sets (sets in
 * order of first appearance, polynomials in list order), vanishing polynomials and small interpolants.
 */
import { FR_MODULUS, frAdd, frBatchInv, frMul, frSub, type Fr } from '../../scalar/fr.ts';

export interface OpeningGroup<C> {
  readonly points: readonly Fr[];
  /** Members in claim order: the claim, and its values at `points` (same order). */
  readonly members: readonly { claim: C; values: readonly Fr[] }[];
}

/** Groups claims `{points, values}` by point set. Two claims with the same set (any order) share a group. */
export function groupByPointSet<C extends { points: readonly Fr[]; values: readonly Fr[] }>(claims: readonly C[]): OpeningGroup<C>[] {
  const groups: { key: string; points: Fr[]; members: { claim: C; values: Fr[] }[] }[] = [];
  for (const claim of claims) {
    if (new Set(claim.points).size !== claim.points.length) throw new RangeError('opening claim repeats a point');
    const key = [...claim.points].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).join(',');
    let g = groups.find((x) => x.key === key);
    if (!g) {
      g = { key, points: [...claim.points], members: [] };
      groups.push(g);
    }
    // Reorder values to the group's point order.
    const values = g.points.map((p) => claim.values[claim.points.indexOf(p)]!);
    g.members.push({ claim, values });
  }
  return groups.map(({ points, members }) => ({ points, members }));
}

/** Π_{s∈S}(z − s). */
export function vanishingAt(points: readonly Fr[], z: Fr): Fr {
  let acc = 1n;
  for (const s of points) acc = frMul(acc, frSub(z, s));
  return acc;
}

/** Values combined with powers of ν: v(s) = Σ_j ν^j value_j(s). */
export function combineValues(members: readonly { values: readonly Fr[] }[], nu: Fr, numPoints: number): Fr[] {
  const out: Fr[] = new Array(numPoints).fill(0n);
  let p = 1n;
  for (const m of members) {
    for (let i = 0; i < numPoints; i++) out[i] = frAdd(out[i]!, frMul(p, m.values[i]!));
    p = frMul(p, nu);
  }
  return out;
}

/**
 * Evaluates at z the interpolant of each (points, values) set (Lagrange form; |points| is tiny), with one
 * field inversion for all of their denominators (each inversion is a 254-bit exponentiation on BigInt).
 */
export function interpolantsAt(sets: readonly { points: readonly Fr[]; values: readonly Fr[] }[], z: Fr): Fr[] {
  const nums: Fr[] = [];
  const dens: Fr[] = [];
  for (const { points } of sets) {
    for (let i = 0; i < points.length; i++) {
      let num = 1n;
      let den = 1n;
      for (let j = 0; j < points.length; j++) {
        if (j === i) continue;
        num = frMul(num, frSub(z, points[j]!));
        den = frMul(den, frSub(points[i]!, points[j]!));
      }
      nums.push(num);
      dens.push(den);
    }
  }
  const invs = frBatchInv(dens);
  let k = 0;
  return sets.map(({ points, values }) => {
    let acc = 0n;
    for (let i = 0; i < points.length; i++, k++) acc = frAdd(acc, frMul(values[i]!, frMul(nums[k]!, invs[k]!)));
    return acc;
  });
}

/** Coefficients (low to high) of the interpolant of (points, values). */
export function interpolateCoeffs(points: readonly Fr[], values: readonly Fr[]): Fr[] {
  const m = points.length;
  const out: Fr[] = new Array(m).fill(0n);
  const dens = frBatchInv(points.map((pi, i) => points.reduce((acc, pj, j) => (j === i ? acc : frMul(acc, frSub(pi, pj))), 1n)));
  for (let i = 0; i < m; i++) {
    // basis numerator Π_{j≠i}(X − p_j), expanded
    let basis: Fr[] = [1n];
    for (let j = 0; j < m; j++) {
      if (j === i) continue;
      const next: Fr[] = new Array(basis.length + 1).fill(0n);
      for (let t = 0; t < basis.length; t++) {
        next[t + 1] = frAdd(next[t + 1]!, basis[t]!);
        next[t] = frSub(next[t]!, frMul(basis[t]!, points[j]!));
      }
      basis = next;
    }
    const scale = frMul(values[i]!, dens[i]!);
    for (let t = 0; t < m; t++) out[t] = frAdd(out[t]!, frMul(basis[t]!, scale));
  }
  return out.map((c) => c % FR_MODULUS);
}
