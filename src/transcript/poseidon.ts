/**
 * Poseidon over BN254 with circomlib's parameters (Grassi et al., "Poseidon", eprint 2019/458, §2): a state
 * of t field elements; each of R_F + R_P rounds adds the round constants, applies the S-box x ↦ x^5 to every
 * element (full rounds: the first R_F/2 and the last R_F/2) or to element 0 only (partial rounds), then
 * multiplies by the MDS matrix. circomlib's Poseidon(n) hashes n inputs with t = n + 1 from the state
 * [0, x_1, …, x_n] and returns element 0 — the same function as poseidon-lite's `poseidonN` and
 * circomlibjs's `poseidon`, so anyone can recompute our hashes.
 *
 * This is the reference implementation (BigInt, readable): the Poseidon chip's witness and the tensor
 * commitment follow it, and tests check it against poseidon-lite and published vectors.
 */
import { InvalidArgumentError } from '../errors.ts';
import { FR_MODULUS, frFrom, type Fr } from '../scalar/fr.ts';
import { POSEIDON_CONSTANTS_HEX } from './poseidon-constants.ts';

/** Parameters of one width: round counts, round constants per round, the MDS matrix. */
export interface PoseidonParams {
  readonly t: number;
  readonly roundsF: number;
  readonly roundsP: number;
  /** roundConstants[round][i]: added to element i at the start of `round`. */
  readonly roundConstants: readonly (readonly Fr[])[];
  /** mds[i][j]: element i of the next state takes mds[i][j] times element j. */
  readonly mds: readonly (readonly Fr[])[];
}

const cache = new Map<number, PoseidonParams>();

/** The widths whose constants this build carries. */
export const POSEIDON_WIDTHS: readonly number[] = Object.keys(POSEIDON_CONSTANTS_HEX).map(Number);

/** circomlib's parameters for width `t` (parsed once). */
export function poseidonParams(t: number): PoseidonParams {
  const hit = cache.get(t);
  if (hit) return hit;
  const hex = POSEIDON_CONSTANTS_HEX[t];
  if (!hex) throw new InvalidArgumentError(`Poseidon of width ${t} is not available (widths: ${POSEIDON_WIDTHS.join(', ')})`);
  const big = (h: string): Fr => BigInt(`0x${h}`);
  const rounds = hex.roundsF + hex.roundsP;
  const params: PoseidonParams = {
    t,
    roundsF: hex.roundsF,
    roundsP: hex.roundsP,
    roundConstants: Array.from({ length: rounds }, (_, r) => hex.C.slice(r * t, (r + 1) * t).map(big)),
    mds: hex.M.map((row) => row.map(big)),
  };
  cache.set(t, params);
  return params;
}

/** Whether `round` applies the S-box to every element (else to element 0 only). */
export function isFullRound(p: PoseidonParams, round: number): boolean {
  return round < p.roundsF / 2 || round >= p.roundsF / 2 + p.roundsP;
}

export const pow5 = (x: Fr): Fr => {
  const x2 = (x * x) % FR_MODULUS;
  return (((x2 * x2) % FR_MODULUS) * x) % FR_MODULUS;
};

/** One round on a state of field elements in [0, r). */
export function poseidonRound(p: PoseidonParams, round: number, state: readonly Fr[]): Fr[] {
  const full = isFullRound(p, round);
  const c = p.roundConstants[round]!;
  const u = state.map((s, i) => {
    const x = (s + c[i]!) % FR_MODULUS;
    return full || i === 0 ? pow5(x) : x;
  });
  return p.mds.map((row) => row.reduce((acc, m, j) => acc + m * u[j]!, 0n) % FR_MODULUS);
}

/** The Poseidon permutation of width state.length (elements reduced mod r first). */
export function poseidonPermutation(state: readonly (bigint | number)[]): Fr[] {
  const p = poseidonParams(state.length);
  let s = state.map(frFrom);
  for (let r = 0; r < p.roundsF + p.roundsP; r++) s = poseidonRound(p, r, s);
  return s;
}

/** circomlib's Poseidon(n): element 0 of the width-(n+1) permutation of [0, x_1, …, x_n]. */
export function poseidonHash(inputs: readonly (bigint | number)[]): Fr {
  return poseidonPermutation([0n, ...inputs.map(frFrom)])[0]!;
}
