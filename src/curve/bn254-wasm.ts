/**
 * The verifier's curve work on WASM: G1 linear combinations (Pippenger; for a key verified again, byte rows
 * of its points beside a plain multiexp of the proof's, see precomputed-bases.ts) and the pairing product check, on
 * the BN254 module wasmcurves ships prebuilt (bn128-code.ts, the same bytes ffjavascript
 * generates at start-up; a test compares them). One instance, one thread, no workers and no Node APIs, so it
 * starts in a few ms (base64 decode + compile) where ffjavascript's engine costs ~0.2 s of code generation
 * and worker start-up, and it runs in a browser. noble.ts stays the BigInt reference; tests check they agree.
 *
 * Memory: the module imports its memory; word 0 holds its free pointer (its own scratch, e.g. the MSM's
 * bucket table, is taken from there). Each call places its inputs at the free pointer, runs, and restores it.
 * Points use ffjavascript's layout, which is ours (G1Affine, G2Affine: LE Montgomery coordinates); jacobian
 * inputs add z = 1 (Montgomery one) or 0 for the identity.
 */
import * as bn128 from './bn128-code.ts';

// Sizes restated (g1.ts and g2.ts import this file).
const G1_BYTES = 64;
const G2_BYTES = 128;

interface Bn128Exports {
  g1m_multiexpAffine(pBases: number, pScalars: number, scalarBytes: number, n: number, pResult: number): void;
  g1m_multiexpAffine_chunk(pBases: number, pScalars: number, scalarBytes: number, n: number, startBit: number, chunkBits: number, pResult: number): void;
  g1m_toAffine(pJacobian: number, pAffine: number): void;
  g1m_toJacobian(pAffine: number, pJacobian: number): void;
  g1m_double(pJacobian: number, pResult: number): void;
  g1m_add(pA: number, pB: number, pResult: number): void;
  g1m_addMixed(pJacobian: number, pAffine: number, pResult: number): void;
  g1m_subMixed(pJacobian: number, pAffine: number, pResult: number): void;
  g1m_zero(pJacobian: number): void;
  g1m_batchToAffine(pJacobians: number, n: number, pAffines: number): void;
  bn128_prepareG1(pJacobian: number, pPrepared: number): void;
  bn128_prepareG2(pJacobian: number, pPrepared: number): void;
  bn128_millerLoop(pPreparedP: number, pPreparedQ: number, pResult: number): void;
  bn128_finalExponentiation(pIn: number, pOut: number): void;
  g2m_timesScalarAffine(pAffine: number, pScalar: number, scalarBytes: number, pResult: number): void;
  g2m_isZero(pJacobian: number): number;
  g2m_inCurveAffine(pAffine: number): number;
  ftm_one(p: number): void;
  ftm_mul(a: number, b: number, r: number): void;
  ftm_eq(a: number, b: number): number;
}

interface Bn128Engine {
  readonly exports: Bn128Exports;
  readonly memory: WebAssembly.Memory;
}

const FQ_BYTES = 32;
const GT_BYTES = 12 * FQ_BYTES;
/** Rows per point in g1ByteRowsWasm: one per byte of a 256-bit scalar. */
export const BYTE_ROWS = 32;
const R_ORDER = BigInt(bn128.r);
/** Fq one in Montgomery form (2^256 mod q), little-endian: the z of an affine point made jacobian. */
const MONT_ONE = new Uint8Array(FQ_BYTES);
writeScalarLE(MONT_ONE, 0, (1n << 256n) % BigInt(bn128.q));

function base64Bytes(b64: string): Uint8Array<ArrayBuffer> {
  // Node's native decoder where there is one (~0.1 ms against ~3 ms for the loop below).
  if (typeof Buffer !== 'undefined') return new Uint8Array(Buffer.from(b64, 'base64'));
  const bin = atob(b64);
  const out = new Uint8Array(new ArrayBuffer(bin.length));
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

let enginePromise: Promise<Bn128Engine> | null = null;

/** The process's BN254 WASM instance, created on first use (async compile: browsers refuse large sync compiles). */
export function bn254Wasm(): Promise<Bn128Engine> {
  enginePromise ??= (async () => {
    const pages = Math.ceil(bn128.code.length / 65536) + 32;
    const memory = new WebAssembly.Memory({ initial: Math.max(pages, 25) });
    const module = await WebAssembly.compile(base64Bytes(bn128.code));
    const instance = await WebAssembly.instantiate(module, { env: { memory } });
    return { exports: instance.exports as unknown as Bn128Exports, memory };
  })();
  return enginePromise;
}

/** Runs `work` with a bump allocator above the module's free pointer, restored afterwards. */
function withScratch<T>(engine: Bn128Engine, bytes: number, work: (alloc: (n: number) => number, heap: () => Uint8Array) => T): T {
  const { memory } = engine;
  const words = new Uint32Array(memory.buffer, 0, 1);
  const start = words[0]!;
  // Room for the inputs plus the module's own scratch (the MSM's bucket table: ≤ 2^17 jacobian points).
  const need = start + bytes + (1 << 17) * 96 + 65536;
  if (need > memory.buffer.byteLength) memory.grow(Math.ceil((need - memory.buffer.byteLength) / 65536));
  let top = start;
  const alloc = (n: number): number => {
    const p = (top + 7) & ~7;
    top = p + n;
    new Uint32Array(memory.buffer, 0, 1)[0] = top;
    return p;
  };
  try {
    return work(alloc, () => new Uint8Array(memory.buffer));
  } finally {
    new Uint32Array(memory.buffer, 0, 1)[0] = start;
  }
}

/** v (0 ≤ v < 2^256) as 32 little-endian bytes at heap[off], 64 bits at a time (not 32 BigInt byte steps). */
function writeScalarLE(heap: Uint8Array, off: number, s: bigint): void {
  const view = new DataView(heap.buffer, heap.byteOffset + off, 32);
  for (let i = 0; i < 4; i++) view.setBigUint64(8 * i, BigInt.asUintN(64, s >> BigInt(64 * i)), true);
}

/** Σ s_i·P_i on WASM (scalars reduced mod r and non-negative; points valid G1Affine). */
export async function g1CombineWasm(points: readonly Uint8Array[], scalars: readonly bigint[]): Promise<Uint8Array> {
  const engine = await bn254Wasm();
  const n = points.length;
  return withScratch(engine, bucketScratch(n) + 96 + G1_BYTES, (alloc, heap) => {
    const pJac = alloc(96);
    const pAff = alloc(G1_BYTES);
    bucketsInto(engine, alloc, heap, points, scalars, pJac);
    engine.exports.g1m_toAffine(pJac, pAff);
    return heap().slice(pAff, pAff + G1_BYTES);
  });
}

const bucketScratch = (n: number): number => n * (G1_BYTES + 32) + 64;

/** Σ s_i·P_i into the jacobian point at pOut (scalars reduced mod r) by the module's bucket multiexp. */
function bucketsInto(engine: Bn128Engine, alloc: (n: number) => number, heap: () => Uint8Array, points: readonly Uint8Array[], scalars: readonly bigint[], pOut: number): void {
  const n = points.length;
  const pBases = alloc(n * G1_BYTES);
  const pScalars = alloc(n * 32);
  const h = heap();
  for (let i = 0; i < n; i++) {
    h.set(points[i]!, pBases + i * G1_BYTES);
    writeScalarLE(h, pScalars + i * 32, scalars[i]!);
  }
  engine.exports.g1m_multiexpAffine(pBases, pScalars, 32, n, pOut);
}

/**
 * a + b for affine points (identity = 64 zero bytes) on the module: a prover adds each column commitment's
 * blinding rows to its usable rows this way, without loading a BigInt curve library into its process.
 */
export async function g1AddWasm(a: Uint8Array, b: Uint8Array): Promise<Uint8Array> {
  const engine = await bn254Wasm();
  const { exports: x } = engine;
  return withScratch(engine, 2 * G1_BYTES + 96, (alloc, heap) => {
    const pA = alloc(G1_BYTES);
    const pB = alloc(G1_BYTES);
    const pJac = alloc(96);
    const h = heap();
    h.set(a, pA);
    h.set(b, pB);
    x.g1m_toJacobian(pA, pJac);
    x.g1m_addMixed(pJac, pB, pJac);
    x.g1m_toAffine(pJac, pA);
    return heap().slice(pA, pA + G1_BYTES);
  });
}

/**
 * Σ s_i·B_i for bases already laid out as n × 64 bytes and scalars as n × `width` bytes (standard LE form,
 * each below r): the same jacobian multiexp, without per-point arrays. For a handful of points this beats
 * a batch-affine Pippenger, whose batches are too short to share their inversions.
 */
export async function g1MsmBytesWasm(bases: Uint8Array, scalars: Uint8Array, width: number): Promise<Uint8Array> {
  const engine = await bn254Wasm();
  const n = bases.length / G1_BYTES;
  return withScratch(engine, bases.length + scalars.length + 96 + G1_BYTES, (alloc, heap) => {
    const pBases = alloc(bases.length);
    const pScalars = alloc(scalars.length);
    const pJac = alloc(96);
    const pAff = alloc(G1_BYTES);
    const h = heap();
    h.set(bases, pBases);
    h.set(scalars, pScalars);
    engine.exports.g1m_multiexpAffine(pBases, pScalars, width, n, pJac);
    engine.exports.g1m_toAffine(pJac, pAff);
    return heap().slice(pAff, pAff + G1_BYTES);
  });
}

/**
 * The byte rows of each point: 2^(8j)·P_i for j < 32, point by point (n × 32 × 64 bytes, affine; the
 * identity stays all zeros). 31·8 doublings per point and one batch inversion for all.
 */
export async function g1ByteRowsWasm(points: readonly Uint8Array[]): Promise<Uint8Array> {
  const engine = await bn254Wasm();
  const { exports: x } = engine;
  const rows = points.length * BYTE_ROWS;
  return withScratch(engine, G1_BYTES + rows * (96 + G1_BYTES + FQ_BYTES), (alloc, heap) => {
    const pAff = alloc(G1_BYTES);
    const pJac = alloc(rows * 96);
    const pOut = alloc(rows * G1_BYTES);
    points.forEach((p, i) => {
      heap().set(p, pAff);
      let at = pJac + i * BYTE_ROWS * 96;
      x.g1m_toJacobian(pAff, at);
      for (let j = 1; j < BYTE_ROWS; j++, at += 96) {
        x.g1m_double(at, at + 96);
        for (let d = 1; d < 8; d++) x.g1m_double(at + 96, at + 96);
      }
    });
    x.g1m_batchToAffine(pJac, rows, pOut);
    return heap().slice(pOut, pOut + rows * G1_BYTES);
  });
}

/**
 * Σ_i a_i·B_i + Σ_k s_k·P_k, the B_i given by their byte rows (g1ByteRowsWasm) and the a_i as 32 LE bytes
 * each: byte j of a_i multiplies row 2^(8j)·B_i, so the first sum is one 8-bit bucket pass over all rows
 * (one addition per nonzero byte, one bucket reduction) where a plain multiexp runs ~64 windows. The P_k
 * (scalars reduced mod r) take the module's bucket multiexp; both land in one jacobian sum. (A Straus
 * combination of the proof's few dozen points was ~0.6× the buckets' time once its JavaScript loops were
 * compiled, but slower for a process's first several verifications, which a verifier mostly runs.)
 */
export async function g1CombineRowsWasm(rows: Uint8Array, rowScalars: Uint8Array, points: readonly Uint8Array[], scalars: readonly bigint[]): Promise<Uint8Array> {
  const engine = await bn254Wasm();
  const { exports: x } = engine;
  return withScratch(engine, rows.length + rowScalars.length + 4 + bucketScratch(points.length) + 2 * 96 + G1_BYTES, (alloc, heap) => {
    const pRows = alloc(rows.length);
    const pRowScalars = alloc(rowScalars.length + 4); // the chunk reader loads 4 bytes at a time
    const pSum = alloc(96);
    const pRest = alloc(96);
    const pAff = alloc(G1_BYTES);
    const h = heap();
    h.set(rows, pRows);
    h.set(rowScalars, pRowScalars);
    // One 8-bit window over all rows: each byte is a whole scalar.
    x.g1m_multiexpAffine_chunk(pRows, pRowScalars, 1, rows.length / G1_BYTES, 0, 8, pSum);
    bucketsInto(engine, alloc, heap, points, scalars, pRest);
    x.g1m_add(pSum, pRest, pSum);
    x.g1m_toAffine(pSum, pAff);
    return heap().slice(pAff, pAff + G1_BYTES);
  });
}

/**
 * The Miller loop's line coefficients of G2 points seen in this process (a verifier pairs with the same
 * [1]₂ and [τ]₂ every time: preparing one costs ~0.4 ms of a ~4.5 ms check), by the point's hex.
 */
const PREPARED_G2 = new Map<string, Uint8Array>();
const hexOf = (b: Uint8Array): string => Array.from(b, (v) => v.toString(16).padStart(2, '0')).join('');

/** Π e(P_i, Q_i) == 1 on WASM: one Miller loop per pair, one final exponentiation. Points valid, none the identity. */
export async function pairingCheckWasm(pairs: readonly (readonly [Uint8Array, Uint8Array])[]): Promise<boolean> {
  const engine = await bn254Wasm();
  const { exports: x } = engine;
  return withScratch(engine, 96 + 192 + bn128.prePSize + bn128.preQSize + 2 * GT_BYTES, (alloc, heap) => {
    const pP = alloc(96);
    const pQ = alloc(192);
    const pPreP = alloc(bn128.prePSize);
    const pPreQ = alloc(bn128.preQSize);
    const pAcc = alloc(GT_BYTES);
    const pMiller = alloc(GT_BYTES);
    x.ftm_one(pAcc);
    for (const [p, q] of pairs) {
      const h = heap();
      h.set(p, pP);
      h.set(MONT_ONE, pP + 64);
      x.bn128_prepareG1(pP, pPreP);
      const key = hexOf(q);
      const cached = PREPARED_G2.get(key);
      if (cached) h.set(cached, pPreQ);
      else {
        h.set(q, pQ);
        h.set(MONT_ONE, pQ + 128);
        h.fill(0, pQ + 160, pQ + 192);
        x.bn128_prepareG2(pQ, pPreQ);
        if (PREPARED_G2.size >= 8) PREPARED_G2.clear();
        PREPARED_G2.set(key, heap().slice(pPreQ, pPreQ + bn128.preQSize));
      }
      x.bn128_millerLoop(pPreP, pPreQ, pMiller);
      x.ftm_mul(pAcc, pMiller, pAcc);
    }
    x.bn128_finalExponentiation(pAcc, pAcc);
    x.ftm_one(pMiller);
    return x.ftm_eq(pAcc, pMiller) === 1;
  });
}

/** Whether a G2Affine (coordinates canonical, not the identity) is on the twist and in the order-r subgroup. */
export async function g2IsValidWasm(p: Uint8Array): Promise<boolean> {
  if (p.length !== G2_BYTES || p.every((b) => b === 0)) return false;
  const engine = await bn254Wasm();
  const { exports: x } = engine;
  return withScratch(engine, G2_BYTES + 32 + 192, (alloc, heap) => {
    const pAff = alloc(G2_BYTES);
    const pR = alloc(32);
    const pOut = alloc(192);
    const h = heap();
    h.set(p, pAff);
    writeScalarLE(h, pR, R_ORDER);
    if (x.g2m_inCurveAffine(pAff) !== 1) return false;
    x.g2m_timesScalarAffine(pAff, pR, 32, pOut);
    return x.g2m_isZero(pOut) === 1;
  });
}
