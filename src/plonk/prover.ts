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
  frVecIsZero,
  type FrVec,
} from '../field/frvec.ts';
import { cosetFft, cosetIfft, Domain, fft, ifft, type Coeffs, type ExtendedEvals, type LagrangeEvals } from '../poly/index.ts';
import { commitCoeffs } from '../commit/index.ts';
import { commitWitnessColumns } from './commit-column.ts';
import { shplonkProve, type ProverClaim } from '../commit/shplonk/prover.ts';
import { g1ToBytesBE, type G1Affine } from '../curve/index.ts';
import { KeccakTranscript } from '../transcript/keccak.ts';
import type { Column } from './expression.ts';
import type { ProvingKey } from './keys.ts';
import { COSET_GENERATOR, hasKeyCoset, keyCosetEvals, keyCosetsFit } from './key-cosets.ts';
import { emitConstraints, type ArgumentChallenges, type ConstraintAlgebra, type ProofPoly } from './constraints.ts';
import { lagrangeVectorAlgebra } from './vector-algebra.ts';
import { ExprDag, evaluatePlans, evaluatePlansRemote, exprParallelism, exprRemoteThreads, type NodeId } from '../kernels/expr-eval.ts';
import { lookupVectors, multiplicities, runningSums } from './lookup/prover.ts';
import { permutationDelta } from './permutation/delta.ts';
import { PIPELINE_MAX_BYTES } from './quotient-memory.ts';
import { yieldToThreads } from '../kernels/platform.ts';
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
  /**
   * Pipeline the quotient's cosets (two sets of leaf values; see round 5). Default: where there are several
   * expression threads and room for the second set (at most PIPELINE_MAX_BYTES). False: one set, evaluated
   * by this thread beside the workers.
   */
  pipelineQuotient?: boolean;
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

/** A polynomial the quotient reads, with the rotations it is read at (normalized into (−n/2, n/2]). */
interface QuotientRead {
  readonly coeffs: Coeffs;
  readonly rotations: number[];
}

/**
 * Extra values kept on each side of a whole-coset vector so that every rotated read of any row range is a
 * plain subarray: `before` = the largest backward rotation, `after` the largest forward one.
 */
function margins(rotations: readonly number[]): { before: number; after: number } {
  return { before: Math.max(0, ...rotations.map((r) => -r)), after: Math.max(0, ...rotations) };
}

/**
 * Bytes the quotient's leaf values take with a coset split into P pieces: one piece is evaluated at a time
 * (its rows divided among the threads, which share the values), so this is every polynomial's values on one
 * piece — whole cosets: one vector per polynomial with its rotation margins; pieces: one per (polynomial,
 * rotation), each its own fold.
 */
function leafBytes(reads: ReadonlyMap<string, QuotientRead>, n: number, P: number): number {
  let points = 0;
  for (const r of reads.values()) {
    if (P === 1) {
      const { before, after } = margins(r.rotations);
      points += before + n + after;
    } else points += r.rotations.length * (n / P);
  }
  return points * 32;
}

/**
 * Sub-cosets per coset of H for the quotient (a power of 2). 1 (whole cosets, rotations as shifts) unless
 * the values of every polynomial on a coset would not fit in `maxMemoryBytes` beside what the process holds
 * and h's pieces; then the smallest split that fits (a fold and a smaller FFT per (polynomial, rotation):
 * more work, less memory). Returns the largest split when even that does not fit.
 */
function quotientSplit(reads: ReadonlyMap<string, QuotientRead>, n: number, E: number, maxMemoryBytes: number | undefined): { P: number; spare: number } {
  if (maxMemoryBytes === undefined) return { P: 1, spare: Infinity };
  const proc = (globalThis as { process?: { memoryUsage?: () => { rss: number } } }).process;
  const held = proc?.memoryUsage?.().rss ?? 0;
  // h's E pieces of coefficients, one coset's values and one coset's inverse FFT (QuotientPieces).
  const available = maxMemoryBytes - held - (E + 2) * n * 32;
  const whole = leafBytes(reads, n, 1);
  if (whole <= available || n / 2 < MIN_PIECE) return { P: 1, spare: available - whole };
  let P = 2;
  while (P < MAX_SPLIT && n / P > MIN_PIECE && leafBytes(reads, n, P) > available) P *= 2;
  return { P, spare: 0 };
}

/**
 * A vector the expression workers read without a copy: a plan posted to a worker shares a SharedArrayBuffer
 * where it would clone an ArrayBuffer. Without shared memory (a page that is not cross-origin isolated),
 * a plain vector: the same results, the leaves copied per plan.
 */
function sharedVec(n: number): FrVec {
  if (typeof SharedArrayBuffer === 'function') return new Uint8Array(new SharedArrayBuffer(n * 32));
  return frVecAlloc(n);
}

/**
 * h's coefficients from Φ's values coset by coset (PROTOCOL §4d), without a vector on the whole extended
 * domain. On coset j of H (shift s_j = g·ζ^j), X^n is the constant s_j^n = g^n·w^j (w = ζ^n, a primitive
 * 2^e-th root of unity), so the n-point inverse FFT there of h's values gives R_j = Σ_i (g^n·w^j)^i·h_i,
 * where h = Σ_i X^(ni)·h_i: a DFT of size 2^e over i, inverted as h_i = g^(−ni)/2^e · Σ_j w^(−ij)·R_j.
 * `add` takes Φ's values on each coset in turn (in coset order); `finish` returns h_0..h_(E−1).
 */
class QuotientPieces {
  private readonly out: FrVec[];
  private j = 0;
  private readonly w: Fr;
  private readonly gn: Fr;
  private readonly scale: Fr[];
  /** One coset's inverse FFT, refilled for each. */
  private r: FrVec | null = null;

  constructor(
    private readonly n: number,
    private readonly E: number,
    zeta: Fr,
  ) {
    this.w = frPow(zeta, BigInt(n));
    this.gn = frPow(COSET_GENERATOR, BigInt(n));
    const gnInv = frInv(this.gn);
    const eInv = frInv(BigInt(E));
    this.scale = Array.from({ length: E }, (_, i) => frMul(eInv, frPow(gnInv, BigInt(i))));
    // h_i for i < d − 1 becomes a blinded piece of n + 1 coefficients: room for the last one from the start.
    this.out = Array.from({ length: E }, () => frVecAlloc(n + 1));
  }

  /** Φ's values on coset j (natural order): divided by Z_H there and folded into every h_i. */
  async add(phi: FrVec, shift: Fr): Promise<void> {
    const j = this.j++;
    const wj = frPow(this.w, BigInt(j));
    const zhInv = frInv(frSub(frMul(this.gn, wj), 1n));
    const r = await cosetIfft(phi as ExtendedEvals, shift, (this.r ??= frVecAlloc(this.n)));
    const wjInv = frInv(wj);
    let wij = 1n; // w^(−ij)
    for (let i = 0; i < this.E; i++) {
      frVecMulAddScaled(this.out[i]!, r, frMul(frMul(this.scale[i]!, wij), zhInv));
      wij = frMul(wij, wjInv);
    }
  }

  finish(): FrVec[] {
    if (this.j !== this.E) throw new RangeError(`quotient: ${this.j} of ${this.E} cosets added`);
    return this.out;
  }
}

/** vec = [last `before` values of v | v | first values of v], v = its n values from `before` on: the rotation margins. */
function wrapMargins(vec: FrVec, before: number, n: number): void {
  const after = vec.length / 32 - before - n;
  if (before) vec.copyWithin(0, n * 32, (n + before) * 32);
  if (after) vec.copyWithin((before + n) * 32, before * 32, (before + after) * 32);
}

/** dst[stride·(from + t) + offset] = src[t] for every t (32-byte elements): a piece's values into its coset. */
function interleave(dst: FrVec, src: FrVec, from: number, offset: number, stride: number): void {
  const d = new Uint32Array(dst.buffer, dst.byteOffset, dst.length >>> 2);
  const s = src.byteOffset % 4 === 0 ? new Uint32Array(src.buffer, src.byteOffset, src.length >>> 2) : new Uint32Array(src.slice().buffer);
  const count = s.length >>> 3;
  for (let t = 0; t < count; t++) {
    const o = (stride * (from + t) + offset) * 8;
    const i = t * 8;
    for (let w = 0; w < 8; w++) d[o + w] = s[i + w]!;
  }
}

function withBlinding(values: FrVec, n: number, u: number, what: string): LagrangeEvals {
  if (values.length > u * 32) throw new ProverError(`${what} has ${values.length / 32} rows; only ${u} are usable`);
  const out = frVecAlloc(n);
  out.set(values);
  out.set(frVecRandom(n - u), u * 32);
  return out as LagrangeEvals;
}

/** What rounds 1–3 leave for the rest of the proof: commitments, challenges and coefficient forms. */
interface WitnessPolys {
  adviceCommitments: G1Affine[];
  mCommitments: G1Affine[];
  zCommitments: G1Affine[];
  phiCommitments: G1Affine[];
  circuitChallenges: Fr[];
  theta: Fr;
  betaL: Fr;
  beta: Fr;
  gamma: Fr;
  advice: Coeffs[];
  instance: Coeffs[];
  m: Coeffs[];
  z: Coeffs[];
  phi: Coeffs[][];
}

/**
 * Rounds 1–3 (advice, logUp multiplicities, permutation products and logUp sums): the Lagrange forms they
 * read are local here and go when it returns; the rest of the proof reads the coefficient forms only, so
 * each witness polynomial is held in one form from the quotient on.
 */
async function witnessRounds(
  pk: ProvingKey,
  instances: readonly (readonly Fr[])[],
  witness: Witness,
  t: KeccakTranscript,
  progress: (stage: string, done: number, total: number) => void,
  totalSteps: number,
  cheat: boolean | undefined,
): Promise<WitnessPolys> {
  const { vk, srs } = pk;
  const { cs, shape } = vk;
  const { k, n, u } = shape;
  const absorb = (p: G1Affine) => t.absorbPoint(g1ToBytesBE(p));
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
    cols.forEach((col, c) => (adviceLagrange[col] = withBlinding(values[c]!, n, u, `advice column ${col}`)));
    await commitWitnessColumns(srs, k, u, cols.map((col) => adviceLagrange[col]!), (commitment, c) => {
      adviceCommitments[cols[c]!] = commitment;
      absorb(commitment);
    });
    cs.challengePhases.forEach((p, i) => {
      if (p === phase) circuitChallenges[i] = t.squeeze();
    });
  }

  const columnLagrange = (c: Column): FrVec => {
    if (c.type === 'advice') return adviceLagrange[c.index]!;
    if (c.type === 'instance') return instanceLagrange[c.index]!;
    const v = pk.fixed[c.index]!.lagrange;
    if (!v) throw new ProverError(`the proving key has no Lagrange form of fixed column ${c.index}`);
    return v;
  };

  // Round 2: logUp multiplicities.
  progress('lookups', 1, totalSteps);
  const theta = t.squeeze();
  const lookupVecs = shape.lookupArgs.map((arg) => lookupVectors(cs, arg, lagrangeVectorAlgebra(columnLagrange, circuitChallenges), theta, n));
  const mLagrange = shape.lookupArgs.map((arg, l) => multiplicities(cs, arg, lookupVecs[l]!, n, u, cheat) as LagrangeEvals);
  const mCommitments = await commitWitnessColumns(srs, k, u, mLagrange, absorb);
  const betaL = t.squeeze();
  const beta = t.squeeze();
  const gamma = t.squeeze();

  // Round 3: permutation products z_c, then logUp running sums φ, committed in coefficient form (an iFFT
  // and an MSM over [τ^i]₁: the quotient needs the coefficients anyway, and a G1 Lagrange basis of full-width
  // values is no cheaper).
  progress('permutation', 2, totalSteps);
  // Each polynomial's commitment (an iFFT and an MSM, on the kernel threads) starts as soon as its values
  // exist, so this thread computes the next chunk and the φ sums meanwhile; the commitments are absorbed in
  // the protocol's order once all have started.
  const commitValues = (v: LagrangeEvals): Promise<{ coeffs: Coeffs; commitment: G1Affine }> => {
    const job = (async () => {
      const coeffs = await ifft(v, k);
      return { coeffs, commitment: await commitCoeffs(srs, coeffs) };
    })();
    // Awaited in order below; a failure is thrown there, not reported as unhandled while an earlier one waits.
    job.catch(() => undefined);
    return job;
  };
  const zJobs: Promise<{ coeffs: Coeffs; commitment: G1Affine }>[] = [];
  let start = 1n;
  for (const chunk of shape.chunks) {
    let num: FrVec | null = null;
    let den: FrVec | null = null;
    for (const j of chunk) {
      const p = columnLagrange(cs.equality[j]!);
      const idTerm = frVecAddScalar(frVecAdd(p, frVecScale(pk.omegaPowers, frMul(beta, permutationDelta(j)))), gamma);
      const sigma = pk.sigmas[j]!.lagrange ?? (await fft(pk.sigmas[j]!.coeffs, k));
      const sigmaTerm = frVecAddScalar(frVecAdd(p, frVecScale(sigma, beta)), gamma);
      num = num ? frVecMul(num, idTerm) : idTerm;
      den = den ? frVecMul(den, sigmaTerm) : sigmaTerm;
    }
    const zc = prefixProduct(frVecMul(num!, frVecBatchInverse(den!)), n, u, start) as LagrangeEvals;
    start = frVecGet(zc, u);
    zJobs.push(commitValues(zc));
    // Its MSM is posted to the threads now, not after every chunk and sum below has been computed.
    await yieldToThreads();
  }
  const phiJobs: Promise<{ coeffs: Coeffs; commitment: G1Affine }>[][] = [];
  for (let l = 0; l < shape.lookupArgs.length; l++) {
    phiJobs.push((runningSums(shape.lookupArgs[l]!, lookupVecs[l]!, mLagrange[l]!, betaL, n, u) as LagrangeEvals[]).map(commitValues));
    await yieldToThreads();
  }
  lookupVecs.length = 0;
  const z: Coeffs[] = [];
  const zCommitments: G1Affine[] = [];
  for (const job of zJobs) {
    const { coeffs, commitment } = await job;
    z.push(coeffs);
    zCommitments.push(commitment);
    absorb(commitment);
  }
  const phi: Coeffs[][] = [];
  const phiCommitments: G1Affine[] = [];
  for (const group of phiJobs) {
    const coeffs: Coeffs[] = [];
    for (const job of group) {
      const done = await job;
      coeffs.push(done.coeffs);
      phiCommitments.push(done.commitment);
      absorb(done.commitment);
    }
    phi.push(coeffs);
  }
  const coeffsOf = async (v: LagrangeEvals[]): Promise<Coeffs[]> => {
    const out: Coeffs[] = [];
    for (const x of v) out.push(await ifft(x, k));
    return out;
  };
  return {
    adviceCommitments,
    mCommitments,
    zCommitments,
    phiCommitments,
    circuitChallenges,
    theta,
    betaL,
    beta,
    gamma,
    advice: await coeffsOf(adviceLagrange.splice(0)),
    instance: await coeffsOf(instanceLagrange.splice(0)),
    m: await coeffsOf(mLagrange.splice(0)),
    z,
    phi,
  };
}

export async function prove(pk: ProvingKey, instances: readonly (readonly Fr[])[], witness: Witness, opts: ProveOptions = {}): Promise<Proof> {
  const { vk, srs } = pk;
  const { cs, shape } = vk;
  const { k, n, extK } = shape;
  const domain = new Domain(k);
  const progress = opts.onProgress ?? (() => {});
  const totalSteps = 8;
  const t = new KeccakTranscript();
  const absorb = (p: G1Affine) => t.absorbPoint(g1ToBytesBE(p));

  t.absorbBytes32(vk.digest);
  absorbInstances(t, vk, instances);
  const w = await witnessRounds(pk, instances, witness, t, progress, totalSteps, opts.cheat);
  const { circuitChallenges, theta, betaL, beta, gamma } = w;

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
  const columnCoeffs = (c: Column): Coeffs =>
    c.type === 'advice' ? w.advice[c.index]! : c.type === 'fixed' ? pk.fixed[c.index]!.coeffs : w.instance[c.index]!;
  /** Coefficients of a committed polynomial by kind and indices (quotient leaves and opened polynomials). */
  const committedCoeffs = (kind: string, a: number, b: number): Coeffs | null => {
    switch (kind) {
      case 'advice':
        return w.advice[a]!;
      case 'fixed':
        return pk.fixed[a]!.coeffs;
      case 'sigma':
        return pk.sigmas[a]!.coeffs;
      case 'z':
        return w.z[a]!;
      case 'm':
        return w.m[a]!;
      case 'phi':
        return w.phi[a]![b]!;
      default:
        return null;
    }
  };
  const polyCoeffs = (id: ProofPoly): Coeffs => {
    const [kind, a, b] = id.split(':');
    const fixedPoly = { l0: pk.l0, llast: pk.llast, lblind: pk.lblind, x: pk.x } as Record<string, Coeffs>;
    return fixedPoly[kind!] ?? committedCoeffs(kind!, Number(a), Number(b))!;
  };
  const ch: ArgumentChallenges = { circuit: circuitChallenges, theta, betaL, beta, gamma };
  const E = 1 << extK;
  const zeta = rootOfUnity(k + extK);
  // Every polynomial the constraints read, with its rotations (normalized into (−n/2, n/2]).
  const reads = new Map<string, QuotientRead>();
  forEachLeaf(cs, shape, ch, (key, rotation, l) => {
    let r = reads.get(key);
    if (!r) reads.set(key, (r = { coeffs: 'column' in l ? columnCoeffs(l.column) : polyCoeffs(l.poly), rotations: [] }));
    let rot = ((rotation % n) + n) % n;
    if (rot > n / 2) rot -= n;
    if (!r.rotations.includes(rot)) r.rotations.push(rot);
  });
  const rotationOf = (rotation: number): number => {
    const rot = ((rotation % n) + n) % n;
    return rot > n / 2 ? rot - n : rot;
  };
  // The quotient's working set is every read polynomial's values on one piece of the extended domain: the
  // E cosets of H whole (P = 1) or split into P sub-cosets of n/P points. Pieces are evaluated one at a
  // time, their rows divided among the expression workers (one per core), which share the values.
  const { P, spare } = quotientSplit(reads, n, E, opts.maxMemoryBytes);
  const pieceK = k - Math.log2(P);
  const pieceN = n / P;
  // The proving key's polynomials are the same in every proof: their coset values are kept for the next one
  // when all of them fit the cache (key-cosets.ts) and the memory budget, and read from there when pk.bin
  // carried them.
  const keyPolys = new Set<Coeffs>([...pk.fixed.map((f) => f.coeffs), ...pk.sigmas.map((f) => f.coeffs), pk.l0, pk.llast, pk.lblind, pk.x]);
  const keepKeyCosets = P === 1 && keyCosetsFit(keyPolys.size, n, E) && keyPolys.size * E * n * 32 <= spare;
  // Leaf values, allocated once and refilled for each piece. Whole cosets: one vector per polynomial with
  // its rotation margins (values before and after wrap around), so that a rotated read of any row range
  // is a subarray. Pieces: one vector per (polynomial, rotation).
  const makeSlots = () => {
    const slots = new Map<string, { vec: FrVec; before: number }>();
    for (const [key, r] of reads) {
      if (P === 1) {
        const { before, after } = margins(r.rotations);
        slots.set(key, { vec: sharedVec(before + n + after), before });
      } else for (const rot of r.rotations) slots.set(`${key}@${rot}`, { vec: sharedVec(pieceN), before: 0 });
    }
    return slots;
  };
  const rowBounds = (threads: number) => Array.from({ length: threads + 1 }, (_, q) => Math.floor((q * pieceN) / threads));
  // One program per thread's rows: the same for every piece (only the leaves' contents change).
  const makePlans = (slots: ReturnType<typeof makeSlots>, bounds: number[]) =>
    bounds.slice(0, -1).map((from, q) => {
      const to = bounds[q + 1]!;
      const dag = new ExprDag(to - from);
      const views = new Map<string, FrVec>();
      const leaf = (key: string, rotation: number): NodeId => {
        const rot = rotationOf(rotation);
        const id = `${key}@${rot}`;
        let v = views.get(id);
        if (!v) {
          const s = P === 1 ? slots.get(key)! : slots.get(id)!;
          const at = P === 1 ? s.before + from + rot : from;
          views.set(id, (v = s.vec.subarray(at * 32, (at + to - from) * 32)));
        }
        return dag.leaf(v, 0);
      };
      const alg: ConstraintAlgebra<NodeId> = {
        constant: (v) => dag.scalar(v),
        add: (a, b) => dag.add(a, b),
        sub: (a, b) => dag.sub(a, b),
        mul: (a, b) => dag.mul(a, b),
        column: (c, rot) => leaf(`${c.type}:${c.index}`, rot),
        poly: (id, rot) => leaf(id, rot),
      };
      // Φ = Σ_i y^(κ−1−i)·K_i (Horner in y over the emission order) as one expression program.
      const roots: NodeId[] = [];
      emitConstraints(cs, shape, ch, alg, (_name, value) => roots.push(value));
      return dag.plan(roots, frVecToBigints(frVecPowers(y, roots.length)).reverse());
    });
  /** Piece j + E·p into `slots`: the points b·w^s, s < n/P, with b = g·ζ^j·ω^p and w = ω^P (coset j's rows p + P·s). */
  const fill = async (slots: ReturnType<typeof makeSlots>, j: number, p: number) => {
    const b = frMul(frMul(COSET_GENERATOR, frPow(zeta, BigInt(j))), domain.element(p));
    for (const [key, r] of reads) {
      if (P === 1) {
        // The FFT writes into the slot itself: refilling the slots allocates nothing per coset.
        const { vec, before } = slots.get(key)!;
        const values = vec.subarray(before * 32, (before + n) * 32);
        if (keyPolys.has(r.coeffs) && (keepKeyCosets || hasKeyCoset(r.coeffs, j))) values.set(await keyCosetEvals(r.coeffs, j, k, b, keepKeyCosets));
        else await cosetFft(r.coeffs, k, b, values);
        wrapMargins(vec, before, n);
      } else
        for (const rot of r.rotations) {
          // p(ω^ρ·X) on b·⟨w⟩ is p on (b·ω^ρ)·⟨w⟩: one fold and one n/P-point FFT per (polynomial, ρ).
          const at = frMul(b, domain.element(rot));
          await cosetFft(foldCoeffs(r.coeffs, pieceN, frPow(at, BigInt(pieceN))), pieceK, at, slots.get(`${key}@${rot}`)!.vec);
        }
    }
  };
  const hParts = new QuotientPieces(n, E, zeta);
  const cosetValues = frVecAlloc(n);
  const shiftOf = (j: number) => frMul(COSET_GENERATOR, frPow(zeta, BigInt(j)));
  // Pipelined (whole cosets, two sets of leaf values, room for both): the expression threads evaluate coset
  // j while this thread transforms coset j + 1 into the other set, and accumulates h from coset j while
  // they evaluate j + 1 — where one set made the threads wait for this thread's FFTs and it for them.
  const remote = exprRemoteThreads();
  const pipelined = (opts.pipelineQuotient ?? true) && P === 1 && E > 1 && remote >= 2 && pieceN >= 2 * remote && leafBytes(reads, n, 1) <= Math.min(spare, PIPELINE_MAX_BYTES);
  if (pipelined) {
    const bounds = rowBounds(remote);
    const sets = [makeSlots(), makeSlots()];
    const planSets = sets.map((set) => makePlans(set, bounds));
    const evaluate = (j: number) => {
      const job = evaluatePlansRemote(planSets[j % 2]!);
      job.catch(() => undefined); // awaited below
      return job;
    };
    await fill(sets[0]!, 0, 0);
    let running = evaluate(0);
    for (let j = 0; j < E; j++) {
      if (j + 1 < E) await fill(sets[(j + 1) % 2]!, j + 1, 0);
      const outs = await running;
      outs.forEach((o, q) => cosetValues.set(o, bounds[q]! * 32));
      if (j + 1 < E) running = evaluate(j + 1);
      await hParts.add(cosetValues, shiftOf(j));
    }
  } else {
    const slots = makeSlots();
    const bounds = rowBounds(Math.min(exprParallelism(), pieceN));
    const plans = makePlans(slots, bounds);
    for (let j = 0; j < E; j++) {
      for (let p = 0; p < P; p++) {
        await fill(slots, j, p);
        const outs = await evaluatePlans(plans);
        outs.forEach((o, q) => {
          if (P === 1) cosetValues.set(o, bounds[q]! * 32);
          else interleave(cosetValues, o, bounds[q]!, p, P);
        });
      }
      await hParts.add(cosetValues, shiftOf(j));
    }
  }
  const h = hParts.finish();
  const pieces = shape.d - 1;
  for (let i = pieces; i < E && !opts.cheat; i++)
    if (!frVecIsZero(h[i]!)) throw new ProverError('the witness does not satisfy the constraints (quotient too large); run the MockProver to find the failing constraint');
  // Blinded pieces h_i′ = h_i + ρ_{i+1}X^n − ρ_i (PROTOCOL §4d), each n+1 coefficients.
  const rho = [0n, ...frVecToBigints(frVecRandom(pieces - 1)), 0n];
  const hPieces = h.slice(0, pieces);
  h.length = 0;
  hPieces.forEach((piece, i) => {
    frVecSet(piece, 0, frSub(frVecGet(piece, 0), rho[i]!));
    frVecSet(piece, n, rho[i + 1]!);
  });

  const hCommitments: G1Affine[] = [];
  progress('commit quotient', 4, totalSteps);
  // All pieces' MSMs are issued at once (this thread converts the next piece's scalars while the MSM threads
  // take one) and absorbed in order.
  const hJobs = hPieces.map((piece) => commitCoeffs(srs, piece));
  for (const job of hJobs) job.catch(() => undefined); // awaited in order below
  for (const job of hJobs) {
    hCommitments.push(await job);
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
    advice: adviceCommitOrder(cs.advicePhases).map((i) => w.adviceCommitments[i]!),
    multiplicities: w.mCommitments,
    permutationProducts: w.zCommitments,
    logupSums: w.phiCommitments,
    random: rCommitment,
    quotientPieces: hCommitments,
    evals,
    W,
    Wprime,
  };
}
