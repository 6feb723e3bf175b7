/**
 * Our NTT over BN254 Fr (issue 6): natural order in and out, ω = rootOfUnity(k), optional coset g
 * (forward: evaluations at g·ω^i; inverse: coefficients of the polynomial whose values at g·ω^i are given).
 *
 * Engine: one shared WebAssembly.Memory holding the module's constants, the twiddle / bit-reversal tables,
 * one scratch area per thread, a small-transform area (synchronous, main thread) and a growable area for
 * large transforms (four-step over the worker pool plus the main thread; one at a time, queued). Data
 * crosses once each way: the input is copied into the shared memory and the result copied out. The memory
 * grows to fit the largest transform seen and keeps that size (WebAssembly memory cannot shrink) until
 * terminateNtt(). Workers are unref()'d while idle, so nothing needs terminating for the process to exit.
 */
import { frInv, frPow, rootOfUnity } from '../../scalar/fr.ts';
import { frToMontBytes, type FrVec } from '../../scalar/mont.ts';
import { NttPool } from './pool.ts';
import { hardwareThreads, sharedMemory } from '../platform.ts';
import { MAX_LOG, SCRATCH_BYTES, drainPass, fourStepSplit, writePass } from './schedule.ts';
import { BITREV_BYTES, STAGE_TABLE_BYTES, writeBitrev, writeStageTable } from './twiddles.ts';
import { toMul29 } from './mont29.ts';
import { LMAX, MAX_PAGES, N8, PARAM, R_MOD, nttWasm, type NttExports } from './wasm.ts';

export { LMAX as NTT_SYNC_MAX_LOG, MAX_LOG as NTT_MAX_LOG };

export interface NttOptions {
  inverse?: boolean;
  /** Coset generator g (canonical), or undefined for the subgroup itself. */
  coset?: bigint;
  /** Where to write the result (2^k elements) instead of a new vector: a caller refilling one buffer allocates nothing. */
  out?: FrVec;
}

function result(view: Uint8Array, out: FrVec | undefined): FrVec {
  if (!out) return view.slice();
  if (out.length !== view.length) throw new RangeError(`ntt: output of ${out.length / N8} elements, expected ${view.length / N8}`);
  out.set(view);
  return out;
}

const PAGE = 65536;
const align = (x: number, a = 64) => Math.ceil(x / a) * a;

interface Engine {
  memory: WebAssembly.Memory;
  ex: NttExports;
  twF: number;
  twI: number;
  br: number;
  /** Scratch of synchronous transforms (main thread). */
  scrSync: number;
  /** Scratch of the main thread's share of pooled passes. */
  scrMain: number;
  scrWorkers: number[];
  /** Small-transform area: parameter record, 4 constant slots, scale table and data (2^LMAX each). */
  sP: number;
  sC: number;
  sTab: number;
  sData: number;
  /** Start of the large-transform area (grows to fit). */
  big: number;
}

let engine: Engine | null = null;
let pool: NttPool | null = null;
let threads = hardwareThreads();
let queue: Promise<unknown> = Promise.resolve();

function getEngine(): Engine {
  if (engine) return engine;
  // Without shared memory (a browser page that is not cross-origin isolated) no worker can join a pass.
  const shared = sharedMemory();
  const { module, staticEnd } = nttWasm(shared);
  const workers = shared ? Math.max(0, threads - 1) : 0;
  let at = align(staticEnd);
  const take = (bytes: number) => {
    const p = at;
    at = align(at + bytes);
    return p;
  };
  const twF = take(STAGE_TABLE_BYTES);
  const twI = take(STAGE_TABLE_BYTES);
  const br = take(BITREV_BYTES);
  const scrSync = take(SCRATCH_BYTES);
  const scrMain = take(SCRATCH_BYTES);
  const scrWorkers = Array.from({ length: workers }, () => take(SCRATCH_BYTES));
  const sP = take(PARAM.SIZE * 4);
  const sC = take(4 * N8);
  const sTab = take((1 << LMAX) * N8);
  const sData = take((1 << LMAX) * N8);
  const big = at;
  const memory = new WebAssembly.Memory({ initial: Math.ceil(big / PAGE) + 1, maximum: MAX_PAGES, shared });
  const ex = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as NttExports;
  const mem = new Uint8Array(memory.buffer);
  writeStageTable(ex, mem, twF, false, sC, sC + N8, sData);
  writeStageTable(ex, mem, twI, true, sC, sC + N8, sData);
  writeBitrev(mem, br);
  engine = { memory, ex, twF, twI, br, scrSync, scrMain, scrWorkers, sP, sC, sTab, sData, big };
  return engine;
}

async function getPool(e: Engine): Promise<NttPool | null> {
  if (e.scrWorkers.length === 0) return null;
  if (pool?.broken) {
    // A dead worker fails its pass; start a fresh pool for the next one.
    const old = pool;
    pool = null;
    await old.terminate();
  }
  if (!pool) pool = new NttPool(nttWasm(true).module, e.memory, e.scrWorkers);
  const p = pool;
  await p.ready;
  return p;
}

/** Starts the worker pool now (its threads boot while the caller does other work); failures surface on first use. */
export function startNttWorkers(): void {
  getPool(getEngine()).catch(() => undefined);
}

/** Sets the thread count (main thread included; 1 = no workers). Takes effect for the next transform. */
export async function setNttThreads(n: number): Promise<void> {
  await terminateNtt();
  threads = Math.max(1, Math.floor(n));
}

/** Stops the worker pool and frees the shared memory (the next transform starts a fresh engine). */
export async function terminateNtt(): Promise<void> {
  await queue.catch(() => {});
  const p = pool;
  pool = null;
  engine = null;
  if (p) await p.terminate();
}

/** Writes x as a constant operand of ntt_mul (2^261-Montgomery, see mont29.ts). */
function setConst(mem: Uint8Array, at: number, x: bigint): void {
  frToMontBytes(toMul29(x, R_MOD), mem, at);
}
/** out_i = first·base^i, i < n (acc: a scratch slot). */
function powers(e: Engine, mem: Uint8Array, out: number, n: number, first: bigint, base: bigint, acc: number): void {
  setConst(mem, acc, first);
  setConst(mem, acc + N8, base);
  e.ex.ntt_powers(acc, acc + N8, out, n);
}

function checkInput(v: FrVec, k: number): number {
  if (!Number.isInteger(k) || k < 0 || k > MAX_LOG) throw new RangeError(`ntt: size 2^${k} out of range (max 2^${MAX_LOG})`);
  const n = 2 ** k;
  if (v.length !== n * N8) throw new RangeError(`ntt: expected ${n} elements, got ${v.length / N8}`);
  return n;
}

/** Transform of 2^k ≤ 2^LMAX elements on the calling thread (one in-cache block). */
export function nttSync(v: FrVec, k: number, opts: NttOptions = {}): FrVec {
  const n = checkInput(v, k);
  if (k > LMAX) throw new RangeError(`nttSync: 2^${k} exceeds 2^${LMAX}`);
  const e = getEngine();
  const mem = new Uint8Array(e.memory.buffer);
  const m32 = new Int32Array(e.memory.buffer);
  const g = opts.coset;
  const inv = !!opts.inverse;
  mem.set(v, e.sData);
  const C = e.sC; // [start, step, acc, base]
  let gs = 0;
  let st = 0;
  if (inv) {
    // out_j = nInv·g^−j · DFT_{ω^−1}(v)_j: the twiddle step with start nInv and step g^−1.
    setConst(mem, C, frInv(BigInt(n)));
    setConst(mem, C + N8, g === undefined ? 1n : frInv(g));
    st = C;
  } else if (g !== undefined) {
    powers(e, mem, e.sTab, n, 1n, g, C + 2 * N8);
    gs = e.sTab;
  }
  writePass(m32, e.sP, {
    src: e.sData, eS: N8, sS: 0, logL: k, nSeq: 1, gs, st, stS: 0, steps: C + N8,
    dst: e.sData, oeS: N8, osS: 0, ss: 0, tw: inv ? e.twI : e.twF, br: e.br,
  });
  e.ex.ntt_block(e.sP, 0, e.scrSync);
  return result(mem.subarray(e.sData, e.sData + n * N8), opts.out);
}

/** Transform of 2^k elements (k ≤ NTT_MAX_LOG), four-step over the worker pool and the main thread. */
export function nttPooled(v: FrVec, k: number, opts: NttOptions = {}): Promise<FrVec> {
  try {
    checkInput(v, k);
  } catch (e) {
    return Promise.reject(e);
  }
  const run = queue.then(() => pooled(v, k, opts));
  queue = run.catch(() => {});
  return run;
}

async function pooled(v: FrVec, k: number, opts: NttOptions): Promise<FrVec> {
  const e = getEngine();
  const p = await getPool(e);
  const n = 2 ** k;
  const [k1, k2] = fourStepSplit(k);
  const n1 = 2 ** k1;
  const n2 = 2 ** k2;
  const inv = !!opts.inverse;
  const g = opts.coset;

  let at = e.big;
  const take = (bytes: number) => {
    const q = at;
    at = align(at + bytes);
    return q;
  };
  const P1 = take(PARAM.SIZE * 4);
  const P2 = take(PARAM.SIZE * 4);
  const C = take(4 * N8); // [start constant, acc, base, spare]
  const steps = take(n2 * N8);
  const starts = take(n2 * N8);
  const gsT = take(n1 * N8);
  const ssT = take(n2 * N8);
  const D = take(n * N8);
  const O = take(n * N8);
  const have = e.memory.buffer.byteLength;
  if (at > have) {
    const pages = Math.ceil((at - have) / PAGE);
    if (have / PAGE + pages > MAX_PAGES) throw new RangeError(`ntt: 2^${k} needs more than ${MAX_PAGES} pages`);
    e.memory.grow(pages);
  }
  const mem = new Uint8Array(e.memory.buffer);
  const m32 = new Int32Array(e.memory.buffer);
  const omega = rootOfUnity(k);
  const acc = C + N8;

  // Column twiddles: element k1 of column j2 times start_j2·step_j2^k1 (see schedule.ts for the algebra).
  let st: number;
  let stS = 0;
  let gs = 0;
  let ss = 0;
  if (!inv) {
    powers(e, mem, steps, n2, 1n, omega, acc);
    if (g === undefined) {
      setConst(mem, C, 1n);
      st = C;
    } else {
      // x_j·g^j with j = j1·n2 + j2: g^j2 is constant per column (twiddle start), (g^n2)^j1 scales the gather.
      powers(e, mem, starts, n2, 1n, g, acc);
      st = starts;
      stS = N8;
      powers(e, mem, gsT, n1, 1n, frPow(g, BigInt(n2)), acc);
      gs = gsT;
    }
  } else {
    // out_j·g^−j with j = k1 + n1·k2: g^−k1 joins the column step, (g^−n1)^k2 scales the final scatter.
    const gi = g === undefined ? 1n : frInv(g);
    powers(e, mem, steps, n2, gi, frInv(omega), acc);
    setConst(mem, C, frInv(BigInt(n)));
    st = C;
    if (g !== undefined) {
      powers(e, mem, ssT, n2, 1n, frPow(gi, BigInt(n1)), acc);
      ss = ssT;
    }
  }
  const tw = inv ? e.twI : e.twF;
  writePass(m32, P1, {
    src: D, eS: n2 * N8, sS: N8, logL: k1, nSeq: n2, gs, st, stS, steps,
    dst: D, oeS: n2 * N8, osS: N8, ss: 0, tw, br: e.br,
  });
  writePass(m32, P2, {
    src: D, eS: N8, sS: n2 * N8, logL: k2, nSeq: n1, gs: 0, st: 0, stS: 0, steps: 0,
    dst: O, oeS: n1 * N8, osS: N8, ss, tw, br: e.br,
  });
  mem.set(v, D);
  for (const P of [P1, P2]) {
    const done = p ? p.start(P) : Promise.resolve();
    let failure: unknown = null;
    try {
      drainPass(e.ex.ntt_block, m32, P, e.scrMain);
    } catch (x) {
      failure = x; // let the workers finish this pass before the next transform reuses the memory
    }
    await done;
    if (failure) throw failure;
  }
  return result(new Uint8Array(e.memory.buffer, O, n * N8), opts.out);
}
