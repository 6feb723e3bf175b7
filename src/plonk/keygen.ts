/**
 * Keygen: checks the circuit's structural rules (PROTOCOL §2), derives σ from copy constraints, commits
 * fixed and σ columns, and precomputes the prover's coefficient forms (the prover evaluates them on the
 * extended coset one n-point coset at a time, so no extended-size vectors are kept in the key).
 */
import { CircuitError } from '../errors.ts';
import { frVecAlloc, frVecGet, frVecPowers, frVecSet, type FrVec } from '../field/frvec.ts';
import { Domain, ifft, type Coeffs, type LagrangeEvals } from '../poly/index.ts';
import { commitCoeffs, commitLagrange, type Srs } from '../commit/index.ts';
import { type ConstraintSystem, csShape } from './cs.ts';
import { evaluate } from './expression.ts';
import type { PolyForms, ProvingKey, VerifyingKey } from './keys.ts';
import { buildSigmas, type CopyConstraint } from './permutation/keygen.ts';
import { vkDigest } from './encoding/vk.ts';
import { lagrangeVectorAlgebra, toVector } from './vector-algebra.ts';
import { circuitDigest } from './circuit-digest.ts';
import type { G1Affine } from '../curve/index.ts';

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Generator of the extended coset g·⟨ζ⟩ (PROTOCOL §1). */
export const COSET_GENERATOR = 7n;

export interface CircuitDescription {
  readonly cs: ConstraintSystem;
  readonly k: number;
  /** Fixed columns in Lagrange form; entries past the column's length are 0. Rows ≥ u must be 0. */
  readonly fixed: readonly FrVec[];
  readonly copies: readonly CopyConstraint[];
  readonly instanceLengths: readonly number[];
}

async function forms(lagrange: LagrangeEvals, k: number): Promise<PolyForms> {
  return { lagrange, coeffs: await ifft(lagrange, k) };
}

function padColumn(col: FrVec, n: number, u: number, what: string): LagrangeEvals {
  if (col.length > n * 32) throw new CircuitError(`${what} has ${col.length / 32} rows, more than 2^k = ${n}`);
  const out = frVecAlloc(n);
  out.set(col);
  for (let i = u; i < n; i++)
    if (frVecGet(out, i) !== 0n) throw new CircuitError(`${what} is nonzero on row ${i}; only rows 0..${u - 1} may be assigned`);
  return out as LagrangeEvals;
}

const BOOLEAN_VALUES = [0n, 1n];

export interface KeygenOptions {
  /**
   * Reuse this VK's commitments instead of computing them (the commitments are most of keygen's time).
   * Only valid together with `circuitDigest`: keygen recomputes the digest of `circuit` and refuses a
   * mismatch, so the reused commitments are always those of this circuit.
   */
  readonly vk?: VerifyingKey;
  readonly circuitDigest?: Uint8Array;
  /**
   * A proving key made earlier in this process: returned as it is when it was made for this circuit (same
   * circuit digest) under the same VK (same D_vk, so the same SRS), skipping the polynomial forms — and
   * keeping the coset values the prover holds for its polynomials.
   */
  readonly reuse?: ProvingKey;
  /** Application metadata stored in (and bound by the digest of) the VK; default empty. */
  readonly meta?: Uint8Array;
  /** Called at the start of each stage (for progress bars). */
  readonly onProgress?: (stage: string, done: number, total: number) => void;
}

/** Thrown when a stored key was made for a different circuit than the one being proved. */
export class CircuitMismatchError extends CircuitError {}

export async function keygen(srs: Srs, circuit: CircuitDescription, opts: KeygenOptions = {}): Promise<ProvingKey> {
  const { cs, k } = circuit;
  if (k > srs.maxK) throw new CircuitError(`the SRS supports k ≤ ${srs.maxK}, the circuit needs k = ${k}`);
  const shape = csShape(cs, k);
  const { n, u } = shape;
  if (circuit.fixed.length !== cs.numFixed) throw new CircuitError(`expected ${cs.numFixed} fixed columns, got ${circuit.fixed.length}`);
  if (circuit.instanceLengths.length !== cs.numInstance) throw new CircuitError(`expected ${cs.numInstance} instance lengths`);
  for (const m of circuit.instanceLengths) if (m > u) throw new CircuitError(`instance column of ${m} values exceeds the ${u} usable rows`);
  const domain = new Domain(k);
  const fixedLagrange = circuit.fixed.map((c, i) => padColumn(c, n, u, `fixed column ${i}`));

  // Lookup selectors must be boolean on usable rows (they are 0 beyond, as fixed columns are). A stored
  // VK's circuit passed this at setup, and the digest check below pins the fixed columns to that circuit.
  const alg = lagrangeVectorAlgebra((col) => {
    if (col.type !== 'fixed') throw new CircuitError('lookup selector reads a non-fixed column');
    return fixedLagrange[col.index]!;
  });
  for (const l of opts.vk ? [] : cs.lookups) {
    const s = toVector(evaluate(l.selector, alg), n);
    for (let i = 0; i < u; i++) {
      const v = frVecGet(s, i);
      if (!BOOLEAN_VALUES.includes(v)) throw new CircuitError(`lookup '${l.name}': selector is ${v} on row ${i}, must be 0 or 1`);
    }
  }

  const progress = opts.onProgress ?? (() => {});
  const steps = opts.vk ? 3 : 5;
  progress('permutation', 0, steps);
  const sigmaLagrange = buildSigmas(cs.equality, circuit.copies, n, u, domain.omega) as LagrangeEvals[];
  const digest = circuitDigest(k, cs, circuit.instanceLengths, fixedLagrange, sigmaLagrange);
  const r = opts.reuse;
  if (r && opts.vk && bytesEqual(r.circuitDigest, digest) && bytesEqual(r.vk.digest, opts.vk.digest) && r.vk.k === k) {
    progress('done', steps, steps);
    return r;
  }
  progress('polynomial forms', 1, steps);
  const fixed = await Promise.all(fixedLagrange.map((c) => forms(c, k)));
  const sigmas = await Promise.all(sigmaLagrange.map((c) => forms(c, k)));
  let fixedCommitments: readonly G1Affine[];
  let sigmaCommitments: readonly G1Affine[];
  if (opts.vk) {
    if (!opts.circuitDigest) throw new CircuitError('keygen: reusing a VK needs the circuit digest it was made for');
    if (!bytesEqual(opts.circuitDigest, digest) || opts.vk.k !== k)
      throw new CircuitMismatchError('the stored key was made for a different circuit (circuit digest differs)');
    ({ fixedCommitments, sigmaCommitments } = opts.vk);
  } else {
    // Fixed columns (weights, selectors, tables) are small integers: the small-scalar MSM over the Lagrange
    // basis is several times cheaper than a full-width MSM over coefficients, and gives the same point.
    progress('commit fixed', 2, steps);
    fixedCommitments = await Promise.all(fixedLagrange.map((c) => commitLagrange(srs, k, c)));
    progress('commit sigma', 3, steps);
    sigmaCommitments = await Promise.all(sigmas.map((f) => commitCoeffs(srs, f.coeffs)));
  }

  const unit = (rows: number[]): LagrangeEvals => {
    const v = frVecAlloc(n);
    for (const r of rows) frVecSet(v, r, 1n);
    return v as LagrangeEvals;
  };
  const coeffsOf = (v: LagrangeEvals): Promise<Coeffs> => ifft(v, k);
  const xCoeffs = frVecAlloc(n) as Coeffs;
  frVecSet(xCoeffs, 1, 1n);

  const base = {
    k,
    cs,
    shape,
    instanceLengths: [...circuit.instanceLengths],
    fixedCommitments,
    sigmaCommitments,
    g2Gen: srs.g2Gen,
    g2Tau: srs.g2Tau,
    meta: opts.meta ?? new Uint8Array(0),
  };
  const vk: VerifyingKey = opts.vk ?? { ...base, digest: vkDigest(base) };
  progress('selectors', steps - 1, steps);
  const pk: ProvingKey = {
    vk,
    circuitDigest: digest,
    srs,
    fixed,
    sigmas,
    l0: await coeffsOf(unit([0])),
    llast: await coeffsOf(unit([u])),
    lblind: await coeffsOf(unit(Array.from({ length: n - u - 1 }, (_, i) => u + 1 + i))),
    x: xCoeffs,
    omegaPowers: frVecPowers(domain.omega, n),
  };
  progress('done', steps, steps);
  return pk;
}
