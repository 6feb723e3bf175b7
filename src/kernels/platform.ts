/**
 * What the kernels ask of their host, for Node. scripts/build-browser.mjs swaps this file for
 * platform.browser.ts (same exports) when it bundles the prover for a browser; nothing else in kernels/
 * touches a host API. Four questions:
 * - how many threads to use (one per core),
 * - whether memory can be shared between threads (always, in Node),
 * - how to start a kernel thread: MSM and expression kernels on the per-core hosts of hosted-thread.ts
 *   (one worker thread per core serving both; they never run at the same time in a proof), NTT kernels —
 *   whose passes an MSM on the same thread would hold up — on worker_threads Workers of their own running
 *   ./ntt/worker.mjs with their data as workerData; all without the parent's loaders, so no tsx is needed,
 * - a V8 flag a WASM feature may need (relaxed SIMD in Node 20), and an environment switch;
 * - a fast byte comparison (Node's native memcmp).
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import v8 from 'node:v8';
import { Worker } from 'node:worker_threads';
import { startHostedThread } from './hosted-thread.ts';
import type { KernelThread, KernelThreadKind } from './thread.ts';

const NTT_SCRIPT = new URL('./ntt/worker.mjs', import.meta.url);
/** Kernel threads started per kind: the i-th of a kind goes to host i (expression kernels from host 1 on). */
const started: Record<KernelThreadKind, number> = { msm: 0, ntt: 0, expr: 0 };

/** Threads a kernel may split work over (the calling thread included). */
export function hardwareThreads(): number {
  return Math.max(1, availableParallelism());
}

/** Whether SharedArrayBuffer and shared WebAssembly.Memory can be handed to kernel threads. */
export function sharedMemory(): boolean {
  return true;
}

/** Starts a kernel thread of `kind` (or a test's own script URL) with `data` as its start-up data. */
export function startKernelThread(kind: KernelThreadKind | URL, data: unknown): KernelThread {
  if (kind instanceof URL || kind === 'ntt') return new Worker(kind instanceof URL ? kind : NTT_SCRIPT, { workerData: data, execArgv: [] });
  const hosts = hardwareThreads();
  const i = started[kind]++ % hosts;
  // The expression pool has one thread fewer than the cores (this thread runs a share): start it at host 1.
  return startHostedThread(kind === 'expr' ? (i + 1) % hosts : i, kind, data);
}

/** Sets a V8 flag for modules compiled from now on (workers included). */
export function setEngineFlag(flag: string): void {
  v8.setFlagsFromString(flag);
}

/** Whether two byte arrays of one length hold the same bytes (native memcmp: ≈1 ms per 16 MiB). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(a, b) === 0;
}

/** A file shipped with the kernels (prebuilt.ts), or null when there is none. */
export function readPrebuilt(url: URL): Uint8Array | null {
  try {
    return readFileSync(url);
  } catch {
    return null;
  }
}

/** An environment variable (undefined where there is none). */
export function envVar(name: string): string | undefined {
  return process.env[name];
}

/**
 * Resolves once this thread has run its pending callbacks: work just handed to the kernel threads (whose
 * posting runs a few promise steps later) is posted, and their replies are taken, before this thread goes
 * on with a long synchronous stretch.
 */
export function yieldToThreads(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
