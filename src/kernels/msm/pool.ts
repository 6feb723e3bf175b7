/**
 * MSM dispatch: small MSMs run on the main thread's engine; larger ones are split by planMsm into one task
 * per worker (one worker per core), each worker running the same module on its own memory.
 *
 * Bases travel once: the pool keeps a few base sets in SharedArrayBuffers ("slots"); an MSM whose bases equal
 * a prefix of a slot's content (checked with a memcmp, ~1 ms per 16 MiB) reuses it, and every worker keeps its
 * own copy of each slot, reloaded only when the slot's version changes. Scalars are copied per call.
 *
 * A slot whose full-width MSMs have together forgone TABLE_RENT times what a shifted-base table costs to
 * build (the SRS powers of a process that proves again and again) gets one: the workers build 2^(c·r)·P_i
 * for the rows r of one group of windows (one group per worker), and later MSMs over it use one bucket set
 * per group instead of one per window (plan.ts planStacked); prepareMsmTable builds one up front. Tables
 * take at most MAX_TABLE_BYTES together (a prover has two such sets: the SRS powers and the Lagrange
 * basis); the least recently used one goes first, and its slot starts saving up again.
 *
 * Worker lifecycle (unref'd while idle, failure on a worker's error or exit) in ../workers.ts. Jobs are
 * posted one at a time (a promise chain), an MSM's as soon as the previous one's tasks are posted: each
 * job has its own scalar buffer (taken from the finished jobs' ones) and a slot is reloaded into a fresh
 * buffer, so a task queued at a worker never finds its inputs overwritten.
 */
import { KernelWorkers } from '../workers.ts';
import { hardwareThreads, sameBytes } from '../platform.ts';
import { MsmEngine, type WindowPart } from './engine.mjs';
import { msmWasm } from './build.ts';
import { bestTableWidth, planMsm, planStacked, tableBuildCost, tableRows, type MsmPlan, type StackedPlan } from './plan.ts';

const BASE_BYTES = 64;
/** Below this model cost (≈ a few ms) the main thread does it alone: no messaging, no copies to workers. */
const MAIN_THREAD_COST = 60_000;
const MAX_SLOTS = 3;
/** Finished jobs' buffers kept for reuse: at most this many, of this many bytes together. */
const MAX_SPARE_BUFFERS = 8;
const MAX_SPARE_BYTES = 2 * 2 ** 20;
/** Bytes of module points (x‖y, 40 bytes each in both bucket fields) per table entry. */
const TABLE_PT = 80;
/** All shifted-base tables together (N points × rows × 80 bytes each; every worker holds a copy too). */
const MAX_TABLE_BYTES = 64 * 1024 * 1024;
/** Scalars of at most this many bits keep the plain path (few windows: little reduction to save). */
const TABLE_MIN_BITS = 64;
/**
 * A slot builds its table once its MSMs have forgone this many times the build's cost. At 1 (the classic
 * rent-or-buy rule) a single `zkml setup` builds a Lagrange-basis table near its end and hardly uses it
 * (MNIST, k = 12: 3 MSMs after the build, setup 4.0-4.7 → 4.9-7.0 s); at 2 one setup or prove process stays
 * below the bar, and a process that proves again builds during its second proof.
 */
const TABLE_RENT = 2;
/** The workers' engines keep slot k's table under TABLE_KEY + k (never a base slot's key). */
const TABLE_KEY = 0x7fff0000;

/**
 * Shifted bases of a slot's points (engine.mjs buildShifted): row r < rows holds 2^(c·r)·P_i, in the
 * module's point layout, built by the workers (each its share of the points) into `sab`.
 */
interface Table {
  c: number;
  rows: number;
  N: number;
  version: number;
  sab: SharedArrayBuffer;
  /** MSMs run over it. */
  uses: number;
}

interface Slot {
  key: number;
  version: number;
  sab: SharedArrayBuffer;
  bytes: number;
  lastUse: number;
  /**
   * Model cost the slot's MSMs would have saved with a table so far: the table is built once this
   * reaches TABLE_RENT times its build cost (rent before buying), so a process that runs only a few MSMs
   * over an SRS never pays for one.
   */
  forgone: number;
  table: Table | null;
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
  private tableVersion = 0;
  /** Scalar and sign buffers of finished jobs, for the next ones. */
  private spare: SharedArrayBuffer[] = [];

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
      s = { key: this.nextKey++, version: 0, sab: new SharedArrayBuffer(0), bytes: 0, lastUse: clock, forgone: 0, table: null };
      this.slots.push(s);
    } else {
      // least recently used, a slot with a table last (it is worth many MSMs)
      const rank = (x: Slot) => (x.table ? this.useClock : 0) + x.lastUse;
      s = this.slots.reduce((a, b) => (rank(a) <= rank(b) ? a : b));
    }
    // A fresh buffer, never the old one refilled: tasks posted earlier may still be queued at a worker,
    // to read the slot's previous bases from it.
    s.sab = shared(bases);
    s.bytes = bases.length;
    s.version++;
    s.lastUse = clock;
    s.forgone = 0;
    s.table = null;
    return s;
  }

  /**
   * The stacked plan for this MSM when the slot has (or now earns) a shifted-base table, else null. Only
   * full-width unsigned scalars; a table covers the whole slot.
   */
  private async stackedPlan(slot: Slot, n: number, bits: number, plan: MsmPlan): Promise<StackedPlan | null> {
    if (bits <= TABLE_MIN_BITS || bits > 254) return null;
    const t = slot.table;
    if (t) {
      const stacked = planStacked(n, bits, this.size, t.c, t.rows);
      return stacked.cost < plan.cost ? stacked : null;
    }
    const N = slot.bytes / BASE_BYTES;
    const c = bestTableWidth(n, this.size);
    const R = tableRows(c, this.size);
    if (N * R * TABLE_PT > MAX_TABLE_BYTES) return null;
    const stacked = planStacked(n, bits, this.size, c, R);
    if (stacked.cost >= plan.cost) return null;
    slot.forgone += plan.cost - stacked.cost;
    if (slot.forgone < TABLE_RENT * tableBuildCost(N, c, R, this.size)) return null;
    await this.buildTable(slot, c);
    return stacked;
  }

  /**
   * Loads `bases` as a slot and builds its table now, for MSMs of n = all its points, unless too large or
   * of no use at that size. Resolves with the table's width c, or 0.
   */
  async prepareTable(bases: Uint8Array): Promise<number> {
    await this.start();
    const slot = this.slotFor(bases);
    const N = slot.bytes / BASE_BYTES;
    const c = bestTableWidth(N, this.size);
    const R = tableRows(c, this.size);
    if (N * R * TABLE_PT > MAX_TABLE_BYTES) return 0;
    if (planStacked(N, 254, this.size, c, R).cost >= planMsm(N, 254, this.size).cost) return 0;
    // Built up front while this thread has work of its own (a prover computing its witness): one core is
    // left to it, where the build on every worker would slow it down by as much as the build gains.
    if (!slot.table) await this.buildTable(slot, c, Math.max(1, this.size - 1));
    return slot.table!.c;
  }

  /** The tables: points, width and MSMs run over each. */
  tableInfo(): { N: number; c: number; uses: number }[] {
    return this.slots.filter((x) => x.table).map((x) => ({ N: x.table!.N, c: x.table!.c, uses: x.table!.uses }));
  }

  /**
   * Builds the slot's table on the first `workers` workers (each its share of the points), first dropping the least
   * recently used other tables until all fit in MAX_TABLE_BYTES (their slots start saving up again).
   */
  private async buildTable(slot: Slot, c: number, workers = this.size): Promise<void> {
    const N = slot.bytes / BASE_BYTES;
    const rows = tableRows(c, this.size);
    const bytes = N * rows * TABLE_PT;
    const others = () => this.slots.filter((x) => x !== slot && x.table);
    while (others().reduce((a, x) => a + x.table!.sab.byteLength, 0) + bytes > MAX_TABLE_BYTES) {
      const victim = others().reduce((a, b) => (a.lastUse <= b.lastUse ? a : b));
      victim.table = null;
      victim.forgone = 0;
    }
    const sab = new SharedArrayBuffer(bytes);
    const common = { build: true, key: slot.key, version: slot.version, bases: slot.sab, basesBytes: slot.bytes, c, rows, N, out: sab };
    await Promise.all(
      Array.from({ length: workers }, (_, i) => this.task(i, { ...common, p0: Math.floor((i * N) / workers), p1: Math.floor(((i + 1) * N) / workers) })),
    );
    slot.table = { c, rows, N, version: ++this.tableVersion, sab, uses: 0 };
  }

  /**
   * Posts the MSM's tasks to the workers: over the slot's table when it has one (or has just earned one),
   * else by `plan`. Resolves once they are posted, with the parts (a promise of the workers' replies) and
   * the W and c to combine them with: the next MSM's tasks can be posted meanwhile, queued behind these on
   * each worker, so a worker never waits for this thread between two MSMs.
   */
  async run(
    bases: Uint8Array,
    scalars: Uint8Array,
    width: number,
    signs: Uint8Array | null,
    bits: number,
    plan: MsmPlan,
  ): Promise<{ parts: Promise<WindowPart[]>; W: number; c: number }> {
    await this.start();
    const slot = this.slotFor(bases);
    const stacked = signs === null ? await this.stackedPlan(slot, bases.length / BASE_BYTES, bits, plan) : null;
    const sab = this.buffer(scalars);
    const signSab = signs ? this.buffer(signs) : null;
    // The buffers go back to the pool once every task has answered (none reads them after that).
    const settle = (parts: Promise<WindowPart[]>) => {
      parts.then(
        () => this.release(sab, signSab),
        () => undefined,
      );
      return parts;
    };
    const common = { key: slot.key, version: slot.version, bases: slot.sab, basesBytes: slot.bytes, scalars: sab, scalarBytes: scalars.length };
    if (stacked) {
      const t = slot.table!;
      t.uses++;
      const tab = { table: t.sab, tableKey: TABLE_KEY + slot.key, tableVersion: t.version, stride: t.N };
      // a task's windows lie in one group g (w0 = g·R + row0): its one sum is group g's, weighted 2^(c·R·g)
      const parts = stacked.tasks.map(async (task, i) => ({
        w0: Math.floor(task.w0 / stacked.R),
        sums: await this.task(i % this.size, { ...common, ...tab, width, signs: null, c: stacked.c, K: stacked.K, ...task, row0: task.w0 % stacked.R }),
      }));
      return { parts: settle(Promise.all(parts)), W: stacked.G, c: stacked.c * stacked.R };
    }
    const parts = plan.tasks.map(async (t, i) => ({
      w0: t.w0,
      sums: await this.task(i % this.size, { ...common, width, signs: signSab, c: plan.c, K: plan.K, ...t }),
    }));
    return { parts: settle(Promise.all(parts)), W: plan.W, c: plan.c };
  }

  /**
   * Several MSMs over the same bases, each whole on one worker (`plans`: single-thread plans), all posted
   * at once: each goes to the worker with the least planned work so far, largest first, so the workers
   * need nothing from this thread (which may be busy) until they are done. For batches of small MSMs (a
   * circuit's witness columns): one worker per MSM needs no split, so no second bucket reduction.
   */
  async runMany(bases: Uint8Array, items: readonly MsmItem[], plans: readonly MsmPlan[]): Promise<Uint8Array[]> {
    await this.start();
    const slot = this.slotFor(bases);
    const scalarOffsets: number[] = [];
    const signOffsets: number[] = [];
    let scalarBytes = 0;
    let signBytes = 0;
    for (const it of items) {
      scalarOffsets.push(scalarBytes);
      signOffsets.push(signBytes);
      scalarBytes += it.scalars.length;
      signBytes += it.signs?.length ?? 0;
    }
    // All items' scalars (and signs) in one buffer each, at their offsets.
    const scalars = this.take(scalarBytes);
    const signs = signBytes > 0 ? this.take(signBytes) : null;
    items.forEach((it, i) => {
      new Uint8Array(scalars).set(it.scalars, scalarOffsets[i]);
      if (it.signs) new Uint8Array(signs!).set(it.signs, signOffsets[i]);
    });
    const common = { key: slot.key, version: slot.version, bases: slot.sab, basesBytes: slot.bytes, scalars };
    const load: number[] = new Array(this.size).fill(0);
    const order = items.map((_, i) => i).sort((a, b) => plans[b]!.cost - plans[a]!.cost);
    const out: Promise<Uint8Array>[] = new Array(items.length);
    for (const i of order) {
      const w = load.indexOf(Math.min(...load));
      load[w] += plans[i]!.cost;
      const it = items[i]!;
      out[i] = this.task(w, {
        ...common,
        scalarOffset: scalarOffsets[i],
        scalarBytes: it.scalars.length,
        width: it.width,
        signs: it.signs ? signs : null,
        signOffset: signOffsets[i],
        c: plans[i]!.c,
        K: plans[i]!.K,
        ...plans[i]!.tasks[0]!,
      });
    }
    const all = Promise.all(out);
    all.then(
      () => this.release(scalars, signs),
      () => undefined,
    );
    return all;
  }

  /**
   * A shared buffer of at least `size` bytes: one the pool has (the smallest that fits), else a new one.
   * Jobs' buffers are reused, not dropped: a worker that was sent a buffer keeps it alive until its own
   * garbage collection, which a worker that allocates little seldom runs.
   */
  private take(size: number): SharedArrayBuffer {
    let best = -1;
    this.spare.forEach((b, i) => {
      if (b.byteLength >= size && (best < 0 || b.byteLength < this.spare[best]!.byteLength)) best = i;
    });
    return best >= 0 ? this.spare.splice(best, 1)[0]! : new SharedArrayBuffer(size);
  }

  /** A pool buffer (take) holding a copy of `bytes`. */
  private buffer(bytes: Uint8Array): SharedArrayBuffer {
    const sab = this.take(bytes.length);
    new Uint8Array(sab).set(bytes);
    return sab;
  }

  /**
   * Buffers of a finished job, kept for the next ones: a few (jobs are in flight a few at a time), and few
   * bytes (a large MSM's buffer is worth little next to its work, and held memory is what a large proof
   * lacks).
   */
  private release(...bufs: (SharedArrayBuffer | null)[]): void {
    for (const b of bufs) {
      const held = this.spare.reduce((a, x) => a + x.byteLength, 0);
      if (b && this.spare.length < MAX_SPARE_BUFFERS && held + b.byteLength <= MAX_SPARE_BYTES) this.spare.push(b);
    }
  }

  /** Fixed-base batch: the table as a base slot, the points split evenly over the workers, results in order. */
  async runFixed(table: Uint8Array, scalars: Uint8Array, n: number): Promise<Uint8Array[]> {
    await this.start();
    const slot = this.slotFor(table);
    const sab = this.buffer(scalars);
    const common = { fixed: true, key: slot.key, version: slot.version, bases: slot.sab, basesBytes: slot.bytes, scalars: sab, scalarBytes: scalars.length, signs: null };
    const parts = Array.from({ length: this.size }, (_, i) =>
      this.task(i, { ...common, p0: Math.floor((i * n) / this.size), p1: Math.floor(((i + 1) * n) / this.size) }),
    );
    const out = await Promise.all(parts);
    this.release(sab);
    return out;
  }

  terminate(): Promise<void> {
    return this.group.terminate();
  }
}

/** A copy of `bytes` in a new SharedArrayBuffer (a slot's bases: tasks queued earlier keep reading the old one). */
function shared(bytes: Uint8Array): SharedArrayBuffer {
  const sab = new SharedArrayBuffer(bytes.length);
  new Uint8Array(sab).set(bytes);
  return sab;
}

let pool: MsmPool | null = null;
let queue: Promise<unknown> = Promise.resolve();

function getPool(): MsmPool {
  if (!pool || pool.broken) pool = new MsmPool(hardwareThreads());
  return pool;
}

/** Starts the MSM workers now (they boot while the caller does other work); no-op on one thread. */
export function startMsmWorkers(): void {
  if (msmThreads() > 1) getPool();
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
    const [sums] = sumsHere(bases, [{ scalars, width, signs, bits }], [single]);
    return engine().combine([{ w0: 0, sums: sums! }], single.W, single.c);
  }
  const plan = planMsm(n, bits, threads);
  // The queue holds the next job until this one's tasks are posted (not until they are done).
  const job = queue.then(() => getPool().run(bases, scalars, width, signs, bits, plan));
  queue = job.catch(() => undefined);
  const { parts, W, c } = await job;
  return engine().combine(await parts, W, c);
}

/** Each item's window sums on this thread's engine (single-thread `plans`), the bases loaded once. */
function sumsHere(bases: Uint8Array, items: readonly MsmItem[], plans: readonly MsmPlan[]): Uint8Array<ArrayBufferLike>[] {
  const e = engine();
  const slot = e.loadBases(0, ++mainVersion, bases);
  return items.map((it, i) => {
    const { c, K, tasks } = plans[i]!;
    const t = tasks[0]!;
    return e.run(slot, it.scalars, it.width, it.signs, c, t.p0, t.p1, t.w0, t.w1, K);
  });
}

/** One MSM of a batch (msmG1Many): scalars n × `width` bytes (standard LE, at most `bits` bits), optional signs. */
export interface MsmItem {
  scalars: Uint8Array;
  width: number;
  signs: Uint8Array | null;
  bits: number;
}

/**
 * Σ s_i·B_i for each item over the same bases (as msmG1 takes them), each MSM whole on one worker thread:
 * for batches of MSMs small enough that splitting one over the threads would cost more than it saves (the
 * usable rows of a small circuit's witness columns, below MAIN_THREAD_COST each), which msmG1 would run on
 * this thread one after another while the workers idle. Results in item order.
 */
export async function msmG1Many(bases: Uint8Array, items: readonly MsmItem[], threads: number = msmThreads()): Promise<Uint8Array[]> {
  const n = bases.length / BASE_BYTES;
  const zero = (): Uint8Array => new Uint8Array(BASE_BYTES);
  const plans = items.map((it) => planMsm(n, Math.max(1, it.bits), 1));
  const live = n === 0 ? [] : items.map((_, i) => i).filter((i) => items[i]!.bits > 0);
  let sums: Uint8Array<ArrayBufferLike>[];
  if (live.length === 0) sums = [];
  else if (threads <= 1 || live.length < 2)
    sums = sumsHere(
      bases,
      live.map((i) => items[i]!),
      live.map((i) => plans[i]!),
    );
  else {
    const job = queue.then(() =>
      getPool().runMany(
        bases,
        live.map((i) => items[i]!),
        live.map((i) => plans[i]!),
      ),
    );
    queue = job.catch(() => undefined);
    sums = await job;
  }
  const out: Uint8Array[] = items.map(zero);
  live.forEach((i, j) => (out[i] = engine().combine([{ w0: 0, sums: sums[j]! }], plans[i]!.W, plans[i]!.c)));
  return out;
}

/**
 * Builds the shifted-base table of `bases` (n×64 affine, as msmG1 takes them) in the workers now, so that
 * full-width MSMs over `bases` or a prefix of it use it from the first call; msmG1 builds one by itself once
 * a base set's MSMs have forgone its cost. For a process that will run many MSMs over one SRS (a proving
 * service). Resolves with the table's window width, or 0 when the base set is too large for a table, the
 * model sees no saving at its size (from about 2^15 points on), or MSMs run on the main thread only.
 */
export async function prepareMsmTable(bases: Uint8Array): Promise<number> {
  if (bases.length === 0 || bases.length % BASE_BYTES !== 0 || msmThreads() <= 1) return 0;
  const job = queue.then(() => getPool().prepareTable(bases));
  queue = job.catch(() => undefined);
  return job;
}

/** The pool's shifted-base tables (points covered, window width, MSMs run over each): for tests and benchmarks. */
export function msmTableInfo(): { N: number; c: number; uses: number }[] {
  return pool && !pool.broken ? pool.tableInfo() : [];
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
