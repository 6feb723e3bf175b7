/**
 * NTT worker pool: one worker per extra core, each running the shared NTT module on the shared memory with
 * its own scratch. A pass is "post P to every worker, each grabs blocks from P's atomic counter, each
 * answers when the counter is exhausted"; the main thread grabs blocks too (see schedule.ts).
 *
 * Workers are unref()'d while idle so that they never keep the process alive, and ref()'d while a pass is
 * in flight (otherwise a top-level `await fft(...)` could see the event loop empty out and exit early).
 */
import { Worker } from 'node:worker_threads';
import { PARAM } from './wasm.ts';

interface Pending {
  left: number;
  resolve: () => void;
  reject: (e: Error) => void;
}

export class NttPool {
  private readonly workers: Worker[] = [];
  private pending: Pending | null = null;
  private failed: Error | null = null;
  /** Resolves when every worker has instantiated the module. */
  readonly ready: Promise<void>;

  constructor(module: WebAssembly.Module, memory: WebAssembly.Memory, scratch: number[]) {
    const starts: Promise<void>[] = [];
    for (const scr of scratch) {
      const w = new Worker(new URL('./worker.mjs', import.meta.url), {
        workerData: { module, memory, scr, counterField: PARAM.counter, nBlocksField: PARAM.nBlocks },
        execArgv: [], // plain .mjs: no need for the parent's loaders (tsx)
      });
      w.unref();
      starts.push(
        new Promise<void>((resolve, reject) => {
          w.once('message', (msg) => (msg === 'ready' ? resolve() : reject(new Error(`ntt worker: ${String(msg)}`))));
          w.once('error', reject);
        }),
      );
      w.on('error', (e) => this.fail(e instanceof Error ? e : new Error(String(e))));
      w.on('exit', (code) => this.fail(new Error(`ntt worker exited (code ${code})`)));
      this.workers.push(w);
    }
    this.ready = Promise.all(starts).then(() => {
      for (const w of this.workers) w.on('message', (msg) => this.onDone(msg));
    });
  }

  get size(): number {
    return this.workers.length;
  }

  /** Set once a worker has died or reported an error; the owner should replace the pool. */
  get broken(): boolean {
    return this.failed !== null;
  }

  private fail(e: Error): void {
    this.failed ??= e;
    const p = this.pending;
    this.pending = null;
    if (p) {
      this.unrefAll();
      p.reject(e);
    }
  }

  private onDone(msg: unknown): void {
    const p = this.pending;
    if (!p) return;
    if (msg !== null) return this.fail(new Error(`ntt worker: ${String(msg)}`));
    if (--p.left === 0) {
      this.pending = null;
      this.unrefAll();
      p.resolve();
    }
  }

  private unrefAll(): void {
    for (const w of this.workers) w.unref();
  }

  /** Posts pass P to every worker; resolves when all have drained its counter. One pass at a time. */
  start(P: number): Promise<void> {
    if (this.failed) return Promise.reject(this.failed);
    if (this.pending) return Promise.reject(new Error('ntt pool: pass already in flight'));
    if (this.workers.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.pending = { left: this.workers.length, resolve, reject };
      for (const w of this.workers) {
        w.ref();
        w.postMessage(P);
      }
    });
  }

  /** Stops the workers (tests / benches may call it; not needed for the process to exit). */
  async terminate(): Promise<void> {
    const ws = this.workers.splice(0);
    await Promise.all(ws.map((w) => w.terminate()));
  }
}
