/**
 * MSM dispatch: small MSMs run on the main thread's engine; larger ones are split by planMsm into one task
 * per worker (one worker per core), each worker running the same module on its own memory.
 *
 * Bases travel once: the pool keeps a few base sets in SharedArrayBuffers ("slots"); an MSM whose bases equal
 * a prefix of a slot's content (checked with a memcmp, ~1 ms per 16 MiB) reuses it, and every worker keeps its
 * own copy of each slot, reloaded only when the slot's version changes. Scalars are copied per call.
 *
 * Worker lifecycle (unref'd while idle, failure on a worker's error or exit) in ../workers.ts. One job at a
 * time (a promise chain), so the shared scalar buffer and the slots are never overwritten mid-job.
 */
import { KernelWorkers } from '../workers.ts';
import { hardwareThreads, sameBytes } from '../platform.ts';
import { MsmEngine, type WindowPart } from './engine.mjs';
import { msmWasm } from './build.ts';
import { planMsm, type MsmPlan } from './plan.ts';

const BASE_BYTES = 64;
/** Below this model cost (≈ a few ms) the main thread does it alone: no messaging, no copies to workers. */
const MAIN_THREAD_COST = 60_000;
const MAX_SLOTS = 3;

interface Slot {
  key: number;
  version: number;
  sab: SharedArrayBuffer;
  bytes: number;
  lastUse: number;
}

interface Job {
  resolve: (sums: Uint8Array) => void;
  reject: (e: Error) => void;
}

let mainEngine: MsmEngine | null = null;
let mainVersion = 0;

function engine(): MsmEngine {
  if (!mainEngine) {
    const { module, layout } = msmWasm();
    mainEngine = new MsmEngine(module, layout);
  }
  return mainEngine;
}

class MsmPool {
  private readonly group: KernelWorkers;
  private readonly jobs = new Map<number, Job & { worker: number }>();
  private nextId = 1;
  private slots: Slot[] = [];
  private nextKey = 1;
  private useClock = 0;
  private scalarSab = new SharedArrayBuffer(0);
  private signSab = new SharedArrayBuffer(0);

  constructor(size: number) {
    const { module, layout } = msmWasm();
    const data = Array.from({ length: size }, () => ({ module, layout }));
    this.group = new KernelWorkers('msm', data, 'msm', {
      message: (_i, m) => this.onMessage(m as { id: number; sums?: Uint8Array; err?: string }),
      fail: (e) => {
        const jobs = [...this.jobs.values()];
        this.jobs.clear();
        for (const j of jobs) j.reject(e);
      },
    });
  }

  get size(): number {
    return this.group.size;
  }

  get broken(): boolean {
    return this.group.broken;
  }

  private onMessage(m: { id: number; sums?: Uint8Array; err?: string }): void {
    const job = this.jobs.get(m.id);
    if (!job) return;
    this.jobs.delete(m.id);
    this.group.done(job.worker);
    if (m.err !== undefined) job.reject(new Error(`msm worker: ${m.err}`));
    else job.resolve(m.sums!);
  }

  /** Posts one task to worker i; resolves with its reply. */
  private task(i: number, msg: object): Promise<Uint8Array> {
    const id = this.nextId++;
    return new Promise<Uint8Array>((resolve, reject) => {
      this.jobs.set(id, { resolve, reject, worker: i });
      this.group.post(i, { id, ...msg });
    });
  }

  private async start(): Promise<void> {
    await this.group.ready;
    if (this.group.error) throw this.group.error;
  }

  /** The slot holding `bases` as a prefix, loading it into the least recently used slot if none does. */
  private slotFor(bases: Uint8Array): Slot {
    const clock = ++this.useClock;
    for (const s of this.slots) {
      if (s.bytes >= bases.length && sameBytes(bases, new Uint8Array(s.sab, 0, bases.length))) {
        s.lastUse = clock;
        return s;
      }
    }
    let s: Slot;
    if (this.slots.length < MAX_SLOTS) {
      s = { key: this.nextKey++, version: 0, sab: new SharedArrayBuffer(0), bytes: 0, lastUse: clock };
      this.slots.push(s);
    } else s = this.slots.reduce((a, b) => (a.lastUse <= b.lastUse ? a : b));
    if (s.sab.byteLength < bases.length) s.sab = new SharedArrayBuffer(bases.length);
    new Uint8Array(s.sab).set(bases);
    s.bytes = bases.length;
    s.version++;
    s.lastUse = clock;
    return s;
  }

  /** Runs the plan's tasks on the workers; resolves with their per-window sums. */
  async run(bases: Uint8Array, scalars: Uint8Array, width: number, signs: Uint8Array | null, plan: MsmPlan): Promise<WindowPart[]> {
    await this.start();
    const slot = this.slotFor(bases);
    const sab = this.shareScalars(scalars);
    if (signs) {
      if (this.signSab.byteLength < signs.length) this.signSab = new SharedArrayBuffer(signs.length);
      new Uint8Array(this.signSab).set(signs);
    }
    const common = { key: slot.key, version: slot.version, bases: slot.sab, basesBytes: slot.bytes, scalars: sab, scalarBytes: scalars.length };
    const parts = plan.tasks.map(async (t, i) => ({
      w0: t.w0,
      sums: await this.task(i % this.size, { ...common, width, signs: signs ? this.signSab : null, c: plan.c, K: plan.K, ...t }),
    }));
    return Promise.all(parts);
  }

  private shareScalars(scalars: Uint8Array): SharedArrayBuffer {
    if (this.scalarSab.byteLength < scalars.length) this.scalarSab = new SharedArrayBuffer(scalars.length);
    new Uint8Array(this.scalarSab).set(scalars);
    return this.scalarSab;
  }

  /** Fixed-base batch: the table as a base slot, the points split evenly over the workers, results in order. */
  async runFixed(table: Uint8Array, scalars: Uint8Array, n: number): Promise<Uint8Array[]> {
    await this.start();
    const slot = this.slotFor(table);
    const sab = this.shareScalars(scalars);
    const common = { fixed: true, key: slot.key, version: slot.version, bases: slot.sab, basesBytes: slot.bytes, scalars: sab, scalarBytes: scalars.length, signs: null };
    const parts = Array.from({ length: this.size }, (_, i) =>
      this.task(i, { ...common, p0: Math.floor((i * n) / this.size), p1: Math.floor(((i + 1) * n) / this.size) }),
    );
    return Promise.all(parts);
  }

  terminate(): Promise<void> {
    return this.group.terminate();
  }
}

let pool: MsmPool | null = null;
let queue: Promise<unknown> = Promise.resolve();

function getPool(): MsmPool {
  if (!pool || pool.broken) pool = new MsmPool(hardwareThreads());
  return pool;
}

/** Stops the MSM workers (optional: idle workers never keep the process alive). */
export async function terminateMsmPool(): Promise<void> {
  const p = pool;
  pool = null;
  if (p) await p.terminate();
}

/** Number of worker threads a large MSM is split over. */
export function msmThreads(): number {
  return hardwareThreads();
}

/**
 * Σ s_i·B_i. bases: n×64 affine (Montgomery Fq, identity = zeros); scalars: n × `width` bytes, standard LE,
 * at most `bits` bits each; signs: optional per-point 0/1, 1 negates the term. Result affine, 64 bytes.
 * `threads` overrides the worker count (1 = main thread only).
 */
export async function msmG1(
  bases: Uint8Array,
  scalars: Uint8Array,
  width: number,
  signs: Uint8Array | null,
  bits: number,
  threads: number = msmThreads(),
): Promise<Uint8Array> {
  const n = bases.length / BASE_BYTES;
  if (n === 0 || bits === 0) return new Uint8Array(BASE_BYTES);
  const single = planMsm(n, bits, 1);
  if (threads <= 1 || single.cost < MAIN_THREAD_COST) {
    const e = engine();
    const slot = e.loadBases(0, ++mainVersion, bases);
    const t = single.tasks[0]!;
    const sums = e.run(slot, scalars, width, signs, single.c, t.p0, t.p1, t.w0, t.w1, single.K);
    return e.combine([{ w0: 0, sums }], single.W, single.c);
  }
  const plan = planMsm(n, bits, threads);
  const job = queue.then(() => getPool().run(bases, scalars, width, signs, plan));
  queue = job.catch(() => undefined);
  const parts = await job;
  return engine().combine(parts, plan.W, plan.c);
}

/** Below this many points a fixed-base batch runs on the main thread. */
const FIXED_MAIN_THREAD = 2048;
const tableVersions = new WeakMap<Uint8Array, number>();
let nextTableVersion = 1;

/**
 * s_i·G for n scalars (32-byte standard LE, each < 2^254) from a fixed-base table of G (32 × 128 affine
 * points m·2^(8w)·G, 64 bytes each; built by src/curve/fixed-base.ts): n × 64 bytes, affine, identity =
 * zeros. Split by points over the workers; `threads` = 1 keeps it on the main thread.
 */
export async function fixedBaseG1(table: Uint8Array, scalars: Uint8Array, threads: number = msmThreads()): Promise<Uint8Array> {
  const n = scalars.length / 32;
  if (!Number.isInteger(n)) throw new RangeError('fixedBaseG1: scalars length is not a multiple of 32');
  if (table.length !== 32 * 128 * BASE_BYTES) throw new RangeError('fixedBaseG1: the table must hold 32 × 128 points');
  if (n === 0) return new Uint8Array(0);
  if (threads <= 1 || n < FIXED_MAIN_THREAD) {
    const e = engine();
    let v = tableVersions.get(table);
    if (v === undefined) tableVersions.set(table, (v = nextTableVersion++));
    return e.fixedBase(e.loadBases(-1, v, table), scalars, 0, n);
  }
  const job = queue.then(() => getPool().runFixed(table, scalars, n));
  queue = job.catch(() => undefined);
  const parts = await job;
  const out = new Uint8Array(n * BASE_BYTES);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
