/**
 * NTT worker pool: one worker per extra core, each running the shared NTT module on the shared memory with
 * its own scratch. A pass is "post P to every worker, each grabs blocks from P's atomic counter, each
 * answers when the counter is exhausted"; the main thread grabs blocks too (see schedule.ts). Lifecycle
 * (ref while a pass is in flight, failure on a worker's error or exit) in ../workers.ts.
 */
import { KernelWorkers } from '../workers.ts';
import { PARAM } from './wasm.ts';

interface Pending {
  left: number;
  resolve: () => void;
  reject: (e: Error) => void;
}

export class NttPool {
  private readonly group: KernelWorkers;
  private pending: Pending | null = null;

  constructor(module: WebAssembly.Module, memory: WebAssembly.Memory, scratch: number[]) {
    const data = scratch.map((scr) => ({ module, memory, scr, counterField: PARAM.counter, nBlocksField: PARAM.nBlocks }));
    this.group = new KernelWorkers('ntt', data, 'ntt', {
      message: (i, msg) => this.onDone(i, msg),
      fail: (e) => {
        const p = this.pending;
        this.pending = null;
        p?.reject(e);
      },
    });
  }

  /** Resolves when every worker has instantiated the module. */
  get ready(): Promise<void> {
    return this.group.ready;
  }

  get size(): number {
    return this.group.size;
  }

  /** Set once a worker has died or reported an error; the owner should replace the pool. */
  get broken(): boolean {
    return this.group.broken;
  }

  private onDone(i: number, msg: unknown): void {
    this.group.done(i);
    const p = this.pending;
    if (!p) return;
    if (msg !== null) return this.group.fail(new Error(`ntt worker: ${String(msg)}`));
    if (--p.left === 0) {
      this.pending = null;
      p.resolve();
    }
  }

  /** Posts pass P to every worker; resolves when all have drained its counter. One pass at a time. */
  start(P: number): Promise<void> {
    if (this.group.error) return Promise.reject(this.group.error);
    if (this.pending) return Promise.reject(new Error('ntt pool: pass already in flight'));
    if (this.group.size === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.pending = { left: this.group.size, resolve, reject };
      for (let i = 0; i < this.group.size; i++) this.group.post(i, P);
    });
  }

  /** Stops the workers (tests / benches may call it; not needed for the process to exit). */
  terminate(): Promise<void> {
    return this.group.terminate();
  }
}
