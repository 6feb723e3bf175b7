/**
 * What the kernels ask of their host, in a browser (scripts/build-browser.mjs puts this file in place of
 * platform.ts; same exports). Threads are Web Workers running the bundled kernel worker
 * (zkml-kernel-worker.js, beside the bundle that imports this), told their kind and start-up data by a
 * first message. Shared memory exists only in a cross-origin isolated page (COOP + COEP headers): there the
 * kernels use one thread per core as in Node; elsewhere they run on the calling thread alone, the same
 * WASM on unshared memory.
 */
import type { KernelThread, KernelThreadKind } from './thread.ts';

const KERNEL_WORKER = new URL('./zkml-kernel-worker.js', import.meta.url);

export function sharedMemory(): boolean {
  return globalThis.crossOriginIsolated === true && typeof SharedArrayBuffer === 'function';
}

export function hardwareThreads(): number {
  return sharedMemory() ? Math.max(1, navigator.hardwareConcurrency || 1) : 1;
}

/** A Web Worker behind the KernelThread interface (ref/unref mean nothing here; terminate reports 'exit'). */
class WebKernelThread implements KernelThread {
  private readonly worker: Worker;
  private readonly exits: ((code: number) => void)[] = [];

  constructor(kind: KernelThreadKind, data: unknown) {
    this.worker = new Worker(KERNEL_WORKER, { type: 'module', name: `zkml ${kind} kernel` });
    this.worker.postMessage({ kind, data });
  }

  postMessage(msg: unknown, transfer: ArrayBuffer[] = []): void {
    this.worker.postMessage(msg, transfer);
  }

  private listen(event: 'message' | 'error' | 'exit', fn: (x: never) => void, once: boolean): void {
    const opts = { once };
    if (event === 'message') this.worker.addEventListener('message', (e) => fn(e.data as never), opts);
    else if (event === 'error') {
      this.worker.addEventListener(
        'error',
        (e) => {
          e.preventDefault();
          fn(new Error(e.message || 'kernel worker failed to load') as never);
        },
        opts,
      );
      this.worker.addEventListener('messageerror', () => fn(new Error('kernel worker: a message could not be read') as never), opts);
    } else this.exits.push(fn as (code: number) => void);
  }

  on(event: 'message' | 'error' | 'exit', fn: (x: never) => void): this {
    this.listen(event, fn, false);
    return this;
  }

  once(event: 'message' | 'error', fn: (x: never) => void): this {
    this.listen(event, fn, true);
    return this;
  }

  ref(): void {}
  unref(): void {}

  async terminate(): Promise<number> {
    this.worker.terminate();
    for (const fn of this.exits) fn(1);
    return 1;
  }
}

export function startKernelThread(kind: KernelThreadKind | URL, data: unknown): KernelThread {
  if (kind instanceof URL) throw new TypeError('kernel threads in a browser run the bundled kernel worker only');
  return new WebKernelThread(kind, data);
}

/** Flags are the browser's business: a feature it lacks is probed and avoided (msm/fma.ts). */
export function setEngineFlag(_flag: string): void {}

/** No files beside the bundle: the kernels generate their modules (prebuilt.ts). */
export function readPrebuilt(_url: URL): Uint8Array | null {
  return null;
}

export function envVar(_name: string): string | undefined {
  return undefined;
}

/** Whether two byte arrays of one length hold the same bytes: 4 bytes per step where both are aligned. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let i = 0;
  if (a.byteOffset % 4 === 0 && b.byteOffset % 4 === 0) {
    const n = a.length >> 2;
    const x = new Int32Array(a.buffer, a.byteOffset, n);
    const y = new Int32Array(b.buffer, b.byteOffset, n);
    for (let j = 0; j < n; j++) if (x[j] !== y[j]) return false;
    i = n << 2;
  }
  for (; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** As in platform.ts: a macrotask turn (a message to itself: unlike setTimeout, never clamped). */
export function yieldToThreads(): Promise<void> {
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}
