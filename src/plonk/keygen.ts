/**
 * Keygen: checks the circuit's structural rules (PROTOCOL §2), derives σ from copy constraints, commits
 * fixed and σ columns, and precomputes the prover's coefficient forms (the prover evaluates them on the
 * extended coset one n-point coset at a time, so no extended-size vectors are kept in the key).
 * Its steps are separate functions so a prover with stored forms skips the FFTs: `circuitColumns` (checks,
 * σ, digest), `checkCircuitDigest` (the same against a stored digest), `keyForms` (the inverse FFTs) and
 * `provingKeyFromForms` (assembly, no FFT).
 */
import { CircuitError } from '../errors.ts';
import { frVecAlloc, frVecGet, frVecPowers, frVecSet, type FrVec } from '../field/frvec.ts';
import { Domain, ifft, type Coeffs, type ExtendedEvals, type LagrangeEvals } from '../poly/index.ts';
import { seedKeyCosets } from './key-cosets.ts';
import { commitCoeffs, commitLagrange, type Srs } from '../commit/index.ts';
import { type ConstraintSystem, type CsShape, csShape } from './cs.ts';
import { evaluate, type Expr } from './expression.ts';
import type { PolyForms, ProvingKey, VerifyingKey } from './keys.ts';
import { buildSigmas } from './permutation/keygen.ts';
import type { Copies } from './permutation/copy-list.ts';
import { vkDigest } from './encoding/vk.ts';
import { lagrangeVectorAlgebra, toVector } from './vector-algebra.ts';
import { circuitDigest } from './circuit-digest.ts';
import type { G1Affine } from '../curve/index.ts';

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Generator of the extended coset g·⟨ζ⟩ (PROTOCOL §1). */
export { COSET_GENERATOR } from './key-cosets.ts';

export interface CircuitDescription {
  readonly cs: ConstraintSystem;
  readonly k: number;
  /** Fixed columns in Lagrange form; entries past the column's length are 0. Rows ≥ u must be 0. */
  readonly fixed: readonly FrVec[];
  readonly copies: Copies;
  readonly instanceLengths: readonly number[];
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

/** A circuit's columns as a proving key is derived from them, and the digest that pins them. */
export interface CircuitColumns {
  readonly shape: CsShape;
  /** Fixed columns padded to 2^k rows (Lagrange form). */
  readonly fixed: readonly LagrangeEvals[];
  /** σ columns built from the copy constraints (Lagrange form). */
  readonly sigmas: readonly LagrangeEvals[];
  /** SHA-256 of k, the constraint system, instance lengths, fixed and σ columns (circuit-digest.ts). */
  readonly digest: Uint8Array;
}

/**
 * Checks the circuit's structural rules, pads its fixed columns, builds σ from its copies and digests the
 * result. `checkSelectors: false` skips the check that lookup selectors are boolean: a circuit whose
 * digest is then compared with a stored key's passed it when that key was made.
 */
export function circuitColumns(circuit: CircuitDescription, opts: { checkSelectors: boolean }): CircuitColumns {
  const { cs, k } = circuit;
  const shape = csShape(cs, k);
  const { n, u } = shape;
  // Read once: a circuit may make its columns afresh on every read (the builder's does).
  const given = circuit.fixed;
  if (given.length !== cs.numFixed) throw new CircuitError(`expected ${cs.numFixed} fixed columns, got ${given.length}`);
  if (circuit.instanceLengths.length !== cs.numInstance) throw new CircuitError(`expected ${cs.numInstance} instance lengths`);
  for (const m of circuit.instanceLengths) if (m > u) throw new CircuitError(`instance column of ${m} values exceeds the ${u} usable rows`);
  const fixed = given.map((c, i) => padColumn(c, n, u, `fixed column ${i}`));

  // Lookup selectors must be boolean on usable rows (they are 0 beyond, as fixed columns are).
  const alg = lagrangeVectorAlgebra((col) => {
    if (col.type !== 'fixed') throw new CircuitError('lookup selector reads a non-fixed column');
    return fixed[col.index]!;
  });
  for (const l of opts.checkSelectors ? cs.lookups : []) {
    const s = toVector(evaluate(l.selector, alg), n);
    for (let i = 0; i < u; i++) {
      const v = frVecGet(s, i);
      if (!BOOLEAN_VALUES.includes(v)) throw new CircuitError(`lookup '${l.name}': selector is ${v} on row ${i}, must be 0 or 1`);
    }
  }
  const sigmas = buildSigmas(cs.equality, circuit.copies, n, u, new Domain(k).omega) as LagrangeEvals[];
  return { shape, fixed, sigmas, digest: circuitDigest(k, cs, circuit.instanceLengths, fixed, sigmas) };
}

/**
 * The columns of a circuit that must be the one a stored key was made for: throws
 * {@link CircuitMismatchError} unless its digest equals `expected`.
 */
export function checkCircuitDigest(circuit: CircuitDescription, expected: Uint8Array): CircuitColumns {
  const cols = circuitColumns(circuit, { checkSelectors: false });
  if (!bytesEqual(cols.digest, expected)) throw new CircuitMismatchError('the stored key was made for a different circuit (circuit digest differs)');
  return cols;
}

/**
 * The coefficient forms a proving key holds beyond its VK and the circuit's columns: what setup stores in
 * pk.bin. (The Lagrange forms are the circuit's own columns, which the digest check rebuilds anyway.)
 */
export interface KeyForms {
  /** Coefficients of each fixed column, then of each σ column. */
  readonly fixedCoeffs: readonly Coeffs[];
  readonly sigmaCoeffs: readonly Coeffs[];
  /** Coefficients of l_0, l_last and l_blind. */
  readonly l0: Coeffs;
  readonly llast: Coeffs;
  readonly lblind: Coeffs;
  /**
   * Optionally, the values of each of those polynomials (fixed, σ, l_0, l_last, l_blind, in that order) on
   * every whole coset of the extended domain (key-cosets.ts): the prover then skips their coset FFTs.
   */
  readonly cosets?: readonly (readonly ExtendedEvals[])[];
}

/** The inverse FFTs of keygen: coefficient forms of the fixed and σ columns and of l_0, l_last, l_blind. */
export async function keyForms(cols: CircuitColumns, k: number): Promise<KeyForms> {
  const { n, u } = cols.shape;
  const unit = (rows: number[]): LagrangeEvals => {
    const v = frVecAlloc(n);
    for (const r of rows) frVecSet(v, r, 1n);
    return v as LagrangeEvals;
  };
  const [fixedCoeffs, sigmaCoeffs, l0, llast, lblind] = await Promise.all([
    Promise.all(cols.fixed.map((c) => ifft(c, k))),
    Promise.all(cols.sigmas.map((c) => ifft(c, k))),
    ifft(unit([0]), k),
    ifft(unit([u]), k),
    ifft(unit(Array.from({ length: n - u - 1 }, (_, i) => u + 1 + i)), k),
  ]);
  return { fixedCoeffs, sigmaCoeffs, l0, llast, lblind };
}

/** Fixed columns the prover reads in Lagrange form (logUp tables, inputs and selectors; equality columns). */
export function lagrangeFixedColumns(cs: ConstraintSystem): Set<number> {
  const out = new Set<number>();
  const visit = (e: Expr): void => {
    if (e.kind === 'query') {
      if (e.column.type === 'fixed') out.add(e.column.index);
    } else if (e.kind === 'add' || e.kind === 'mul') {
      visit(e.a);
      visit(e.b);
    } else if (e.kind === 'neg') visit(e.a);
  };
  for (const t of cs.lookupTables) t.columns.forEach(visit);
  for (const l of cs.lookups) [...l.inputs, l.selector].forEach(visit);
  for (const c of cs.equality) if (c.type === 'fixed') out.add(c.index);
  return out;
}

/**
 * σ's Lagrange forms (which the digest check has built) are kept in a proving key up to this size in all:
 * round 3 reads them, and for a small circuit their FFTs would be a visible part of the proof (the peer
 * MLP at k 10: 20 transforms, ~14 ms), where a large one's would cost memory held through the whole proof.
 */
const SIGMA_LAGRANGE_MAX_BYTES = 8 * 2 ** 20;

/**
 * A proving key from its VK, the circuit's columns and stored coefficient forms, with no FFT: the caller
 * has checked that the forms belong to this circuit (keygen made them from `cols`, or
 * {@link checkCircuitDigest} matched the digest stored beside them). The key keeps the Lagrange forms only
 * of the fixed columns the prover reads in that form (lagrangeFixedColumns), and of the σ columns only when
 * all of them take at most SIGMA_LAGRANGE_MAX_BYTES (else the prover transforms σ's coefficients when it
 * needs them): a large circuit's key holds most polynomials in one form, the coefficients, and the caller
 * can let the circuit's columns go.
 */
export function provingKeyFromForms(vk: VerifyingKey, cols: CircuitColumns, srs: Srs, forms: KeyForms): ProvingKey {
  const n = vk.shape.n;
  if (forms.fixedCoeffs.length !== cols.fixed.length || forms.sigmaCoeffs.length !== cols.sigmas.length)
    throw new CircuitError(`stored forms have ${forms.fixedCoeffs.length} fixed and ${forms.sigmaCoeffs.length} σ columns, the circuit ${cols.fixed.length} and ${cols.sigmas.length}`);
  const x = frVecAlloc(n) as Coeffs;
  frVecSet(x, 1, 1n);
  if (forms.cosets) {
    const polys = [...forms.fixedCoeffs, ...forms.sigmaCoeffs, forms.l0, forms.llast, forms.lblind];
    if (forms.cosets.length !== polys.length) throw new CircuitError(`stored coset values of ${forms.cosets.length} polynomials, the key has ${polys.length}`);
    polys.forEach((c, i) => seedKeyCosets(c, forms.cosets![i]!));
  }
  const read = lagrangeFixedColumns(vk.cs);
  const keepSigmas = cols.sigmas.length * n * 32 <= SIGMA_LAGRANGE_MAX_BYTES;
  const pair = (lagrange: LagrangeEvals | null, coeffs: Coeffs): PolyForms => (lagrange ? { lagrange, coeffs } : { coeffs });
  return {
    vk,
    circuitDigest: cols.digest,
    srs,
    fixed: cols.fixed.map((c, i) => pair(read.has(i) ? c : null, forms.fixedCoeffs[i]!)),
    sigmas: forms.sigmaCoeffs.map((c, i) => pair(keepSigmas ? cols.sigmas[i]! : null, c)),
    l0: forms.l0,
    llast: forms.llast,
    lblind: forms.lblind,
    x,
    omegaPowers: frVecPowers(new Domain(vk.k).omega, n),
  };
}

/**
 * Derives a proving key: checks the circuit, builds σ, computes the polynomial forms, commits the fixed and
 * σ columns (or reuses a stored VK's commitments after the digest check) and assembles the key.
 */
export async function keygen(srs: Srs, circuit: CircuitDescription, opts: KeygenOptions = {}): Promise<ProvingKey> {
  const { cs, k } = circuit;
  if (k > srs.maxK) throw new CircuitError(`the SRS supports k ≤ ${srs.maxK}, the circuit needs k = ${k}`);
  if (opts.vk && !opts.circuitDigest) throw new CircuitError('keygen: reusing a VK needs the circuit digest it was made for');
  const progress = opts.onProgress ?? (() => {});
  const steps = opts.vk ? 3 : 5;
  progress('permutation', 0, steps);
  const cols = circuitColumns(circuit, { checkSelectors: !opts.vk });
  const { digest, shape } = cols;
  const r = opts.reuse;
  if (r && opts.vk && bytesEqual(r.circuitDigest, digest) && bytesEqual(r.vk.digest, opts.vk.digest) && r.vk.k === k) {
    progress('done', steps, steps);
    return r;
  }
  if (opts.vk && (!bytesEqual(opts.circuitDigest!, digest) || opts.vk.k !== k))
    throw new CircuitMismatchError('the stored key was made for a different circuit (circuit digest differs)');
  progress('polynomial forms', 1, steps);
  const forms = await keyForms(cols, k);
  let fixedCommitments: readonly G1Affine[];
  let sigmaCommitments: readonly G1Affine[];
  if (opts.vk) {
    ({ fixedCommitments, sigmaCommitments } = opts.vk);
  } else {
    // Fixed columns (weights, selectors, tables) are small integers: the small-scalar MSM over the Lagrange
    // basis is several times cheaper than a full-width MSM over coefficients, and gives the same point.
    progress('commit fixed', 2, steps);
    fixedCommitments = await Promise.all(cols.fixed.map((c) => commitLagrange(srs, k, c)));
    progress('commit sigma', 3, steps);
    sigmaCommitments = await Promise.all(forms.sigmaCoeffs.map((c) => commitCoeffs(srs, c)));
  }
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
  const pk = provingKeyFromForms(vk, cols, srs, forms);
  progress('done', steps, steps);
  return pk;
}
