/**
 * Kernel benchmarks: MSM (full and small signed), FFT, pairing. Each case: median over `repeats` runs of
 * ours vs a peer (ffjavascript called directly on the same data, or @noble/curves for the pairing).
 * The harness (bench/run.ts) calls run() and writes the JSON.
 */
import { bn254 } from '@noble/curves/bn254.js';
import { frVecFromInts, frVecRandom } from '../src/field/frvec.ts';
import { getFfjsCurve } from '../src/kernels/ffjs.ts';
import { g1Eq, g1Msm, g1MsmAuto, g2Generator, g1Generator, g1Mul, g1Neg, g2Mul, pairingCheck, type G1Affine } from '../src/curve/index.ts';
import { g1PowersOf } from '../src/commit/srs.ts';
import { fft } from '../src/poly/index.ts';
import { msmWasm } from '../src/kernels/msm/build.ts';

export interface KernelResult {
  name: string;
  ours_ms: number;
  peer_ms: number;
  speedup: number;
  peer: string;
  n?: number;
  /** MSM bucket field in use: 'f51' (FMA multiplier) or 'f29' (integer limbs). */
  field?: string;
}
export interface KernelOpts {
  /** Repeats per case (median reported); default 3, minimum 3. */
  repeats?: number;
  /** Only these case names (default: all). */
  only?: string[];
  /** Progress lines to stderr. */
  log?: (msg: string) => void;
}

async function median(fn: () => Promise<unknown>, repeats: number): Promise<number> {
  await fn(); // warm-up (JIT, worker pool, caches)
  const ts: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    await fn();
    ts.push(performance.now() - t0);
  }
  ts.sort((a, b) => a - b);
  return ts[Math.floor(ts.length / 2)]!;
}

/** 2^logN bases: 2^12 distinct powers of a random τ, tiled (MSM cost does not depend on distinctness). */
async function makeBases(logN: number): Promise<Uint8Array> {
  const distinct = Math.min(logN, 12);
  const seed = await g1PowersOf(0x1234567890abcdefn, 2 ** distinct);
  const out = new Uint8Array(2 ** logN * 64);
  for (let o = 0; o < out.length; o += seed.length) out.set(seed, o);
  return out;
}

function random16Signed(n: number): Int32Array {
  const s = new Int32Array(n);
  for (let i = 0; i < n; i++) s[i] = Math.floor(Math.random() * 65535) - 32767;
  return s;
}

/** CLI form (bench/run.ts): `--repeats 7 --only msm_16,msm_18`. */
type CliOpts = { repeats?: number | string; only?: string[] | string; log?: KernelOpts['log'] };

export async function run(opts: CliOpts = {}): Promise<{ results: KernelResult[] }> {
  const repeats = Math.max(3, Number(opts.repeats ?? 3) || 3);
  const only = typeof opts.only === 'string' ? opts.only.split(',') : opts.only;
  const want = (name: string) => !only || only.includes(name);
  const log = opts.log ?? (() => {});
  const curve = await getFfjsCurve();
  const results: KernelResult[] = [];
  const push = (name: string, n: number | undefined, ours: number, peer: number, peerName: string) => {
    const field = name.startsWith('msm') ? msmWasm().layout.field : undefined;
    results.push({ name, n, ours_ms: round(ours), peer_ms: round(peer), speedup: round(peer / ours), peer: peerName, ...(field ? { field } : {}) });
    log(`${name}: ours ${ours.toFixed(1)} ms, ${peerName} ${peer.toFixed(1)} ms`);
  };

  for (const logN of [16, 18]) {
    const name = `msm_${logN}`;
    if (!want(name)) continue;
    const bases = await makeBases(logN);
    const sc = frVecRandom(2 ** logN);
    const std: Uint8Array = await curve.Fr.batchFromMontgomery(sc);
    let a: G1Affine | null = null;
    const ours = await median(async () => (a = await g1Msm(bases, sc)), repeats);
    let b: Uint8Array | null = null;
    const peer = await median(async () => (b = await curve.G1.multiExpAffine(bases, std)), repeats);
    if (!g1Eq(a!, new Uint8Array(curve.G1.toAffine(b!)))) throw new Error(`${name}: results differ`);
    push(name, 2 ** logN, ours, peer, 'ffjavascript multiExpAffine (32-byte scalars)');
  }

  if (want('msm_small_16')) {
    const n = 2 ** 16;
    const bases = await makeBases(16);
    const small = random16Signed(n);
    const sc = frVecFromInts(small); // field elements, negatives near r
    const std: Uint8Array = await curve.Fr.batchFromMontgomery(sc);
    let a: G1Affine | null = null;
    const ours = await median(async () => (a = await g1MsmAuto(bases, sc)), repeats);
    let b: Uint8Array | null = null;
    const peer = await median(async () => (b = await curve.G1.multiExpAffine(bases, std)), repeats);
    if (!g1Eq(a!, new Uint8Array(curve.G1.toAffine(b!)))) throw new Error('msm_small_16: results differ');
    push('msm_small_16', n, ours, peer, 'ffjavascript multiExpAffine (32-byte scalars)');
  }

  for (const k of [16, 20]) {
    const name = `fft_${k}`;
    if (!want(name)) continue;
    const v = frVecRandom(2 ** k);
    const ours = await median(() => fft(v, k), repeats);
    const peer = await median(() => curve.Fr.fft(v), repeats);
    push(name, 2 ** k, ours, peer, 'ffjavascript Fr.fft');
  }

  if (want('pairing')) {
    // A 2-pair product check, the shape of a KZG / SHPLONK verification.
    const g = await g1Generator();
    const h = await g2Generator();
    const a = 0x1234567n;
    const P1 = await g1Mul(g, a);
    const Q1 = await g2Mul(h, 99n);
    const P2 = await g1Neg(await g1Mul(g, a * 99n));
    const ours = await median(async () => {
      if (!(await pairingCheck([[P1, Q1], [P2, h]]))) throw new Error('pairing check failed');
    }, repeats);
    const nP1 = bn254.G1.Point.BASE.multiply(a);
    const nQ1 = bn254.G2.Point.BASE.multiply(99n);
    const nP2 = bn254.G1.Point.BASE.multiply(a * 99n).negate();
    const peer = await median(async () => {
      const gt = bn254.pairingBatch([{ g1: nP1, g2: nQ1 }, { g1: nP2, g2: bn254.G2.Point.BASE }]);
      if (!bn254.fields.Fp12.eql(gt, bn254.fields.Fp12.ONE)) throw new Error('noble pairing check failed');
    }, repeats);
    push('pairing', 2, ours, peer, '@noble/curves pairingBatch');
  }
  return { results };
}

const round = (x: number) => Math.round(x * 100) / 100;

if (import.meta.url === `file://${process.argv[1]}`) {
  const { terminateFfjsCurve } = await import('../src/kernels/ffjs.ts');
  const out = await run({ log: (m) => process.stderr.write(m + '\n') });
  console.log(JSON.stringify(out, null, 2));
  await terminateFfjsCurve();
}
