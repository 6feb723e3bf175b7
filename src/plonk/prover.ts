/**
 * The prover, round by round as in PROTOCOL §3–4: advice (phased), logUp multiplicities, permutation and
 * logUp accumulators, random polynomial, quotient on the extended coset (blinded pieces), evaluations and
 * the SHPLONK opening. The verifier (verifier.ts) mirrors these rounds.
 */
import { ZkmlError } from '../errors.ts';
import { frAdd, frInv, frMul, frPow, frSub, rootOfUnity, type Fr } from '../scalar/fr.ts';
import {
  frVecAddScalar,
  frVecAlloc,
  frVecBatchInverse,
  frVecEval,
  frVecFromBigints,
  frVecGet,
  frVecSet,
  frVecToBigints,
  frVecPowers,
  frVecMul,
  frVecMulAddScaled,
  frVecRandom,
  frVecScale,
  frVecAdd,
  type FrVec,
} from '../field/frvec.ts';
import { cosetFft, cosetIfft, Domain, ifft, type Coeffs, type ExtendedEvals, type LagrangeEvals } from '../poly/index.ts';
import { commitCoeffs } from '../commit/index.ts';
import { commitWitnessColumn } from './commit-column.ts';
import { shplonkProve, type ProverClaim } from '../commit/shplonk/prover.ts';
import { g1ToBytesBE, type G1Affine } from '../curve/index.ts';
import { KeccakTranscript } from '../transcript/keccak.ts';
import type { Column } from './expression.ts';
import type { ProvingKey } from './keys.ts';
import { COSET_GENERATOR, keyCosetEvals } from './key-cosets.ts';
import { emitConstraints, type ArgumentChallenges, type ConstraintAlgebra, type ProofPoly } from './constraints.ts';
import { extendedDagAlgebra, lagrangeVectorAlgebra } from './vector-algebra.ts';
import { ExprDag, evaluatePlans, exprParallelism, type NodeId } from '../kernels/expr-eval.ts';
import { lookupVectors, multiplicities, runningSums } from './lookup/prover.ts';
import { permutationDelta } from './permutation/delta.ts';
import { prefixProduct } from './running.ts';
import { evalKey, evaluationOrder, openingSchedule, type OpenedPoly } from './openings.ts';
import { adviceCommitOrder, type Proof } from './proof.ts';
import { absorbInstances } from './instances.ts';

export class ProverError extends ZkmlError {}

/** Coefficients of the random polynomial r (PROTOCOL §4d). */
const R_COEFFS = 4;

export interface Witness {
  /** Values (rows < u) of the advice columns of `phase`, in column-index order. May read earlier challenges. */
  advice(phase: number, challenges: readonly Fr[]): FrVec[] | Promise<FrVec[]>;
}

export interface ProveOptions {
  onProgress?: (stage: string, done: number, total: number) => void;
  /**
   * Soundness-test hook: act as a cheating prover that keeps going when the witness breaks a constraint
   * (lookup inputs missing from the table are left out of m; the quotient is truncated). Such a proof must
   * be rejected by the verifier. Never set this outside tests.
   */
  cheat?: boolean;
  /**
   * Memory the process may use, in bytes: the quotient is evaluated on smaller pieces of the extended
   * domain when whole cosets would not fit beside what the process already holds. Unset: whole cosets.
   */
  maxMemoryBytes?: number;
}

/**
 * Columns are committed in coefficient form (iFFT, then MSM over [τ^i]₁): the iFFT is needed for the
 * quotient anyway, and a G1 Lagrange basis costs far more to derive than the scalar iFFT. Coefficients
 * are cached per column so each is transformed once.
 */
const coeffCache = new WeakMap<FrVec, Coeffs>();
async function coeffsOfColumn(lagrange: LagrangeEvals, k: number): Promise<Coeffs> {
  let c = coeffCache.get(lagrange);
  if (!c) {
    c = await ifft(lagrange, k);
    coeffCache.set(lagrange, c);
  }
  return c;
}

async function polyForms(lagrange: LagrangeEvals, k: number): Promise<{ coeffs: Coeffs }> {
  return { coeffs: await coeffsOfColumn(lagrange, k) };
}

/** dst[E·t + j] = src[t] for every t (element-wise, 32 bytes each): coset j's values into the extended order. */
function interleave(dst: FrVec, src: FrVec, j: number, E: number): void {
  const d = new Uint32Array(dst.buffer, dst.byteOffset, dst.length >>> 2);
  const s = src.byteOffset % 4 === 0 ? new Uint32Array(src.buffer, src.byteOffset, src.length >>> 2) : new Uint32Array(src.slice().buffer);
  const n = s.length >>> 3;
  for (let t = 0; t < n; t++) {
    const o = (E * t + j) * 8;
    const i = t * 8;
    d[o] = s[i]!;
    d[o + 1] = s[i + 1]!;
    d[o + 2] = s[i + 2]!;
    d[o + 3] = s[i + 3]!;
    d[o + 4] = s[i + 4]!;
    d[o + 5] = s[i + 5]!;
    d[o + 6] = s[i + 6]!;
    d[o + 7] = s[i + 7]!;
  }
}


/**
 * Coefficients of p mod (X^m − c), m = pieceN, where c = b^m for the piece's base point b: on b·⟨w⟩ (w an
 * m-th root of unity) p and the folded polynomial agree, so one m-point coset FFT gives p's values there.
 */
function foldCoeffs(p: Coeffs, pieceN: number, c: Fr): FrVec {
  const len = p.length / 32;
  const q = frVecAlloc(pieceN);
  let s = 1n;
  for (let t = 0; t * pieceN < len; t++) {
    frVecMulAddScaled(q, p.subarray(t * pieceN * 32, Math.min(len, (t + 1) * pieceN) * 32), s);
    s = frMul(s, c);
  }
  return q;
}

/** Largest split of a coset (the folds cost P·n per polynomial against n·log n for its FFTs) and smallest piece. */
const MAX_SPLIT = 64;
const MIN_PIECE = 4;

/** Calls `visit` for every (polynomial, rotation) the constraints read, keyed `type:index` or by the poly's id. */
function forEachLeaf(
  cs: ProvingKey['vk']['cs'],
  shape: ProvingKey['vk']['shape'],
  ch: ArgumentChallenges,
  visit: (key: string, rotation: number, leaf: { column: Column } | { poly: ProofPoly }) => void,
): void {
  const alg: ConstraintAlgebra<number> = {
    constant: () => 0,
    add: () => 0,
    sub: () => 0,
    mul: () => 0,
    column: (c, rot) => (visit(`${c.type}:${c.index}`, rot, { column: c }), 0),
    poly: (id, rot) => (visit(id, rot, { poly: id }), 0),
  };
  emitConstraints(cs, shape, ch, alg, () => {});
}

/**
 * Sub-cosets per coset of H for the quotient (a power of 2). 1 (whole cosets, rotations as shifts) unless
 * the values of every polynomial on `batch` cosets at once — held here and copied to the expression
 * workers — would not fit in `maxMemoryBytes` beside what the process holds and h; then the smallest split
 * that fits, where each (polynomial, rotation) the constraints read is its own leaf (a fold and a smaller
 * FFT each: more work, less memory). Returns the largest split when even that does not fit.
 */
function quotientSplit(
  cs: ProvingKey['vk']['cs'],
  shape: ProvingKey['vk']['shape'],
  ch: ArgumentChallenges,
  polys: number,
  n: number,
  E: number,
  batch: number,
  maxMemoryBytes: number | undefined,
): number {
  if (maxMemoryBytes === undefined) return 1;
  const proc = (globalThis as { process?: { memoryUsage?: () => { rss: number } } }).process;
  const held = proc?.memoryUsage?.().rss ?? 0;
  const available = maxMemoryBytes - held - 2 * E * n * 32;
  const working = (leaves: number, points: number) => leaves * points * 32 * 2 * Math.min(batch, E * (n / points));
  if (working(polys, n) <= available) return 1;
  if (n / 2 < MIN_PIECE) return 1;
  const leaves = new Set<string>();
  forEachLeaf(cs, shape, ch, (key, rot) => leaves.add(`${key}@${rot}`));
  let P = 2;
  while (P < MAX_SPLIT && n / P > MIN_PIECE && working(leaves.size, n / P) > available) P *= 2;
  return P;
}

function withBlinding(values: FrVec, n: number, u: number, what: string): LagrangeEvals {
  if (values.length > u * 32) throw new ProverError(`${what} has ${values.length / 32} rows; only ${u} are usable`);
  const out = frVecAlloc(n);
  out.set(values);
  out.set(frVecRandom(n - u), u * 32);
  return out as LagrangeEvals;
}

export async function prove(pk: ProvingKey, instances: readonly (readonly Fr[])[], witness: Witness, opts: ProveOptions = {}): Promise<Proof> {
  const { vk, srs } = pk;
  const { cs, shape } = vk;
  const { k, n, u, extK } = shape;
  const N = n << extK;
  const domain = new Domain(k);
  const progress = opts.onProgress ?? (() => {});
  const totalSteps = 8;
  const t = new KeccakTranscript();
  const absorb = (p: G1Affine) => t.absorbPoint(g1ToBytesBE(p));

  t.absorbBytes32(vk.digest);
  absorbInstances(t, vk, instances);
  const instanceLagrange = instances.map((col) => {
    const v = frVecAlloc(n);
    v.set(frVecFromBigints(col as Fr[]));
    return v as LagrangeEvals;
  });

  // Round 1: advice, phase by phase.
  progress('advice', 0, totalSteps);
  const adviceLagrange: LagrangeEvals[] = new Array(cs.advicePhases.length);
  const adviceCommitments: G1Affine[] = new Array(cs.advicePhases.length);
  const circuitChallenges: Fr[] = new Array(cs.challengePhases.length);
  for (let phase = 0; phase < shape.numPhases; phase++) {
    const cols = cs.advicePhases.map((p, i) => (p === phase ? i : -1)).filter((i) => i >= 0);
    const values = await witness.advice(phase, circuitChallenges);
    if (values.length !== cols.length) throw new ProverError(`witness gave ${values.length} advice columns for phase ${phase}, expected ${cols.length}`);
    for (let c = 0; c < cols.length; c++) {
      const col = cols[c]!;
      adviceLagrange[col] = withBlinding(values[c]!, n, u, `advice column ${col}`);
      adviceCommitments[col] = await commitWitnessColumn(srs, k, u, adviceLagrange[col]!);
      absorb(adviceCommitments[col]!);
    }
    cs.challengePhases.forEach((p, i) => {
      if (p === phase) circuitChallenges[i] = t.squeeze();
    });
  }

  const columnLagrange = (c: Column): FrVec =>
    c.type === 'advice' ? adviceLagrange[c.index]! : c.type === 'fixed' ? pk.fixed[c.index]!.lagrange : instanceLagrange[c.index]!;
  const baseAlg = lagrangeVectorAlgebra(columnLagrange, circuitChallenges);

  // Round 2: logUp multiplicities.
  progress('lookups', 1, totalSteps);
  const theta = t.squeeze();
  const lookupVecs = shape.lookupArgs.map((arg) => lookupVectors(cs, arg, baseAlg, theta, n));
  const mLagrange = shape.lookupArgs.map((arg, l) => multiplicities(cs, arg, lookupVecs[l]!, n, u, opts.cheat) as LagrangeEvals);
  const mCommitments: G1Affine[] = [];
  for (const m of mLagrange) {
    mCommitments.push(await commitWitnessColumn(srs, k, u, m));
    absorb(mCommitments[mCommitments.length - 1]!);
  }
  const betaL = t.squeeze();
  const beta = t.squeeze();
  const gamma = t.squeeze();

  // Round 3: permutation products z_c, then logUp running sums φ.
  progress('permutation', 2, totalSteps);
  const zLagrange: LagrangeEvals[] = [];
  let start = 1n;
  for (const chunk of shape.chunks) {
    let num: FrVec | null = null;
    let den: FrVec | null = null;
    for (const j of chunk) {
      const p = columnLagrange(cs.equality[j]!);
      const idTerm = frVecAddScalar(frVecAdd(p, frVecScale(pk.omegaPowers, frMul(beta, permutationDelta(j)))), gamma);
      const sigmaTerm = frVecAddScalar(frVecAdd(p, frVecScale(pk.sigmas[j]!.lagrange, beta)), gamma);
      num = num ? frVecMul(num, idTerm) : idTerm;
      den = den ? frVecMul(den, sigmaTerm) : sigmaTerm;
    }
    const z = prefixProduct(frVecMul(num!, frVecBatchInverse(den!)), n, u, start) as LagrangeEvals;
    zLagrange.push(z);
    start = frVecGet(z, u);
  }
  const phiLagrange = shape.lookupArgs.map((arg, l) => runningSums(arg, lookupVecs[l]!, mLagrange[l]!, betaL, n, u) as LagrangeEvals[]);
  const zCommitments: G1Affine[] = [];
  for (const z of zLagrange) {
    zCommitments.push(await commitCoeffs(srs, await coeffsOfColumn(z, k)));
    absorb(zCommitments[zCommitments.length - 1]!);
  }
  const phiCommitments: G1Affine[] = [];
  for (const group of phiLagrange)
    for (const phi of group) {
      phiCommitments.push(await commitCoeffs(srs, await coeffsOfColumn(phi, k)));
      absorb(phiCommitments[phiCommitments.length - 1]!);
    }

  // Round 4: random polynomial r. It keeps halo2's proof shape, where it hides h(x) in the IPA multiopen;
  // with KZG an opening proof is determined by the commitments and the claimed values, so r has no
  // hiding to do and a few random coefficients (PROTOCOL §4d) spare a full-width MSM.
  const rCoeffs = frVecRandom(Math.min(n, R_COEFFS)) as Coeffs;
  const rCommitment = await commitCoeffs(srs, rCoeffs);
  absorb(rCommitment);
  const y = t.squeeze();

  // Round 5: quotient. The extended coset g·⟨ζ⟩ (N = n·2^e points) is the union of the 2^e cosets
  // g·ζ^j·H (point index 2^e·t + j is g·ζ^j·ω^t). Every polynomial Φ reads has degree < n, so its values on
  // coset j are one n-point coset FFT and a rotation by ρ rows is a shift by ρ within that coset; on it
  // Z_H = (gζ^j)^n − 1 is a constant. Working coset by coset holds 1/2^e of the extended vectors at once.
  progress('quotient', 3, totalSteps);
  const advice = await Promise.all(adviceLagrange.map((v) => polyForms(v, k)));
  const inst = await Promise.all(instanceLagrange.map((v) => polyForms(v, k)));
  const zForms = await Promise.all(zLagrange.map((v) => polyForms(v, k)));
  const mForms = await Promise.all(mLagrange.map((v) => polyForms(v, k)));
  const phiForms = await Promise.all(phiLagrange.map((g) => Promise.all(g.map((v) => polyForms(v, k)))));
  const columnCoeffs = (c: Column): Coeffs =>
    c.type === 'advice' ? advice[c.index]!.coeffs : c.type === 'fixed' ? pk.fixed[c.index]!.coeffs : inst[c.index]!.coeffs;
  /** Coefficients of a committed polynomial by kind and indices (quotient leaves and opened polynomials). */
  const committedCoeffs = (kind: string, a: number, b: number): Coeffs | null => {
    switch (kind) {
      case 'advice':
        return advice[a]!.coeffs;
      case 'fixed':
        return pk.fixed[a]!.coeffs;
      case 'sigma':
        return pk.sigmas[a]!.coeffs;
      case 'z':
        return zForms[a]!.coeffs;
      case 'm':
        return mForms[a]!.coeffs;
      case 'phi':
        return phiForms[a]![b]!.coeffs;
      default:
        return null;
    }
  };
  const polyCoeffs = (id: ProofPoly): Coeffs => {
    const [kind, a, b] = id.split(':');
    const fixedPoly = { l0: pk.l0, llast: pk.llast, lblind: pk.lblind, x: pk.x } as Record<string, Coeffs>;
    return fixedPoly[kind!] ?? committedCoeffs(kind!, Number(a), Number(b))!;
  };
  const allCoeffs: Coeffs[] = [
    ...advice.map((f) => f.coeffs),
    ...pk.fixed.map((f) => f.coeffs),
    ...inst.map((f) => f.coeffs),
    ...pk.sigmas.map((f) => f.coeffs),
    ...zForms.map((f) => f.coeffs),
    ...mForms.map((f) => f.coeffs),
    ...phiForms.flat().map((f) => f.coeffs),
    pk.l0,
    pk.llast,
    pk.lblind,
    pk.x,
  ];
  const ch: ArgumentChallenges = { circuit: circuitChallenges, theta, betaL, beta, gamma };
  // The proving key's polynomials are the same in every proof: their coset values are kept for the next one.
  const keyPolys = new Set<Coeffs>([...pk.fixed.map((f) => f.coeffs), ...pk.sigmas.map((f) => f.coeffs), pk.l0, pk.llast, pk.lblind, pk.x]);
  const E = 1 << extK;
  const zeta = rootOfUnity(k + extK);
  const gn = frPow(COSET_GENERATOR, BigInt(n));
  const hExt = frVecAlloc(N) as ExtendedEvals;
  let yPowers: bigint[] | null = null;
  // The quotient's working set is every leaf polynomial's values on the points in flight. It is bounded by
  // splitting the extended domain into E·P sub-cosets of n/P points (P = 1: the E cosets of H) and
  // evaluating a few at a time, side by side on the expression workers (one per core).
  const batch = exprParallelism();
  const P = quotientSplit(cs, shape, ch, allCoeffs.length, n, E, batch, opts.maxMemoryBytes);
  const pieceK = k - Math.log2(P);
  const pieceN = n / P;
  const parts = E * P;
  for (let i0 = 0; i0 < parts; i0 += batch) {
    const idxs = Array.from({ length: Math.min(batch, parts - i0) }, (_, i) => i0 + i);
    const plans = await Promise.all(
      idxs.map(async (idx) => {
        // Piece idx: the points b·w^s, s < n/P, with b = g·ζ^idx and w = ω^P (ζ^(E·P) = ω^P).
        const b = frMul(COSET_GENERATOR, frPow(zeta, BigInt(idx)));
        const dag = new ExprDag(pieceN);
        let alg: ConstraintAlgebra<NodeId>;
        if (P === 1) {
          // Whole cosets: a rotation by ρ rows is a shift by ρ within the coset's values.
          const evals = await Promise.all(allCoeffs.map((c) => (keyPolys.has(c) ? keyCosetEvals(c, idx, k, b) : cosetFft(c, k, b))));
          const onCoset = new Map<Coeffs, FrVec>(allCoeffs.map((c, i) => [c, evals[i]!]));
          alg = extendedDagAlgebra(dag, 1, (c) => onCoset.get(columnCoeffs(c))!, (id) => onCoset.get(polyCoeffs(id))!);
        } else {
          // Sub-cosets: p(ω^ρ·X) on b·⟨w⟩ is p on (b·ω^ρ)·⟨w⟩, one fold and one n/P-point FFT per (polynomial, ρ).
          const leaves = new Map<string, Promise<FrVec>>();
          const leaf = (key: string, coeffs: () => Coeffs, rotation: number): Promise<FrVec> => {
            const id = `${key}@${rotation}`;
            let v = leaves.get(id);
            if (!v) {
              const at = frMul(b, domain.element(((rotation % n) + n) % n));
              leaves.set(id, (v = cosetFft(foldCoeffs(coeffs(), pieceN, frPow(at, BigInt(pieceN))), pieceK, at)));
            }
            return v;
          };
          // Two passes over the constraints: the first starts every leaf's transform, the second records the DAG.
          forEachLeaf(cs, shape, ch, (key, rot, l) => leaf(key, () => ('column' in l ? columnCoeffs(l.column) : polyCoeffs(l.poly)), rot));
          const done = new Map(await Promise.all([...leaves].map(async ([id, v]) => [id, await v] as const)));
          alg = {
            constant: (v) => dag.scalar(v),
            add: (x, y) => dag.add(x, y),
            sub: (x, y) => dag.sub(x, y),
            mul: (x, y) => dag.mul(x, y),
            column: (c, rot) => dag.leaf(done.get(`${c.type}:${c.index}@${rot}`)!, 0),
            poly: (id, rot) => dag.leaf(done.get(`${id}@${rot}`)!, 0),
          };
        }
        // Φ = Σ_i y^(κ−1−i)·K_i (Horner in y over the emission order) as one expression program.
        const roots: NodeId[] = [];
        emitConstraints(cs, shape, ch, alg, (_name, value) => roots.push(value));
        yPowers ??= frVecToBigints(frVecPowers(y, roots.length)).reverse();
        return dag.plan(roots, yPowers);
      }),
    );
    const phis = await evaluatePlans(plans);
    idxs.forEach((idx, i) => {
      // h on piece idx: Φ / (b^n − 1), with b^n = g^n·(ζ^n)^idx; its values go to points E·P·s + idx.
      const zhInv = frInv(frSub(frMul(gn, frPow(zeta, BigInt(n) * BigInt(idx))), 1n));
      interleave(hExt, frVecScale(phis[i]!, zhInv), idx, parts);
    });
  }
  const hCoeffs = await cosetIfft(hExt, COSET_GENERATOR);
  const pieces = shape.d - 1;
  for (let i = pieces * n * 32; i < hCoeffs.length && !opts.cheat; i++)
    if (hCoeffs[i] !== 0) throw new ProverError('the witness does not satisfy the constraints (quotient too large); run the MockProver to find the failing constraint');
  // Blinded pieces h_i′ = h_i + ρ_{i+1}X^n − ρ_i (PROTOCOL §4d), each n+1 coefficients.
  const rho = [0n, ...frVecToBigints(frVecRandom(pieces - 1)), 0n];
  const hPieces: FrVec[] = [];
  for (let i = 0; i < pieces; i++) {
    const piece = frVecAlloc(n + 1);
    piece.set(hCoeffs.subarray(i * n * 32, (i + 1) * n * 32));
    frVecSet(piece, 0, frSub(frVecGet(piece, 0), rho[i]!));
    frVecSet(piece, n, rho[i + 1]!);
    hPieces.push(piece);
  }
  const hCommitments: G1Affine[] = [];
  progress('commit quotient', 4, totalSteps);
  for (const piece of hPieces) {
    hCommitments.push(await commitCoeffs(srs, piece));
    absorb(hCommitments[hCommitments.length - 1]!);
  }
  const x = t.squeeze();
  if (frPow(x, BigInt(n)) === 1n) throw new ProverError('challenge x fell in the domain (probability ~2^-230); retry');

  // Round 6: evaluations.
  progress('evaluations', 5, totalSteps);
  const coeffsOf = (p: OpenedPoly): FrVec => {
    const [kind, a, b] = p.split(':');
    if (kind === 'r') return rCoeffs;
    const c = committedCoeffs(kind!, Number(a), Number(b));
    if (c) return c;
    // H′ = Σ x^{ni} h_i′
    const H = frVecAlloc(n + 1);
    const xn = frPow(x, BigInt(n));
    let s = 1n;
    for (const piece of hPieces) {
      frVecMulAddScaled(H, piece, s);
      s = frMul(s, xn);
    }
    return H;
  };
  const point = (rotation: number): Fr => frMul(x, domain.element(((rotation % n) + n) % n));
  const values = new Map<string, Fr>();
  /**
   * The verifier's quotient identity Φ(x) = H′(x)·(x^n − 1), checked by the prover before it answers. The
   * coefficient check above cannot see a failing witness when the extended domain has exactly (d − 1)·n
   * points (d = 3, 5): then every vector interpolates to a polynomial of the allowed degree. At the
   * transcript's x the identity holds for a non-satisfying witness only with probability ~d·n/r.
   */
  const checkQuotientAt = (at: Fr): void => {
    const atPoly = new Map<string, Fr>();
    const evalAt = (key: string, coeffs: () => FrVec, rotation: number): Fr => {
      const k2 = `${key}@${rotation}`;
      // The opened evaluations (round 12) are these same values: reuse them, evaluate only the rest.
      let v = values.get(k2) ?? atPoly.get(k2);
      if (v === undefined) atPoly.set(k2, (v = frVecEval(coeffs(), point(rotation))));
      return v;
    };
    const alg: ConstraintAlgebra<Fr> = {
      constant: (v) => v,
      add: frAdd,
      sub: frSub,
      mul: frMul,
      column: (c, rot) => evalAt(`${c.type}:${c.index}`, () => columnCoeffs(c), rot),
      poly: (id, rot) => evalAt(id, () => polyCoeffs(id), rot),
    };
    let phi = 0n;
    emitConstraints(cs, shape, ch, alg, (_name, v) => {
      phi = frAdd(frMul(phi, y), v);
    });
    const hAt = evalAt('h', () => coeffsOf('h' as OpenedPoly), 0);
    if (phi !== frMul(hAt, frSub(frPow(at, BigInt(n)), 1n)))
      throw new ProverError('the witness does not satisfy the constraints (the quotient identity fails at x); run the MockProver to find the failing constraint');
  };
  const evals: Fr[] = [];
  for (const e of evaluationOrder(cs, shape)) {
    const key = evalKey(e.poly, e.rotation);
    let v = values.get(key);
    if (v === undefined) {
      v = frVecEval(coeffsOf(e.poly), point(e.rotation));
      values.set(key, v);
    }
    evals.push(v);
    t.absorbScalar(v);
  }
  if (!opts.cheat) checkQuotientAt(x);

  // Round 7: SHPLONK opening of every claim.
  progress('opening', 6, totalSteps);
  const claims: ProverClaim[] = openingSchedule(cs, shape).map(({ poly, rotations }) => {
    const coeffs = coeffsOf(poly);
    return {
      coeffs,
      points: rotations.map(point),
      values: rotations.map((r) => (poly === 'h' ? frVecEval(coeffs, x) : values.get(evalKey(poly, r))!)),
    };
  });
  const { W, Wprime } = await shplonkProve(srs, t, claims);
  progress('done', totalSteps, totalSteps);
  return {
    advice: adviceCommitOrder(cs.advicePhases).map((i) => adviceCommitments[i]!),
    multiplicities: mCommitments,
    permutationProducts: zCommitments,
    logupSums: phiCommitments,
    random: rCommitment,
    quotientPieces: hCommitments,
    evals,
    W,
    Wprime,
  };
}
