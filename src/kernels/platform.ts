/**
 * What the kernels ask of their host, for Node. scripts/build-browser.mjs swaps this file for
 * platform.browser.ts (same exports) when it bundles the prover for a browser; nothing else in kernels/
 * touches a host API. Four questions:
 * - how many threads to use (one per core),
 * - whether memory can be shared between threads (always, in Node),
 * - how to start a kernel thread (a worker_threads Worker running ./<kind>/worker.mjs, with its data as
 *   workerData, without the parent's loaders so no tsx is needed),
 * - a V8 flag a WASM feature may need (relaxed SIMD in Node 20), and an environment switch;
 * - a fast byte comparison (Node's native memcmp).
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import v8 from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { KernelThread, KernelThreadKind } from './thread.ts';

const SCRIPTS: Record<KernelThreadKind, URL> = {
  msm: new URL('./msm/worker.mjs', import.meta.url),
  ntt: new URL('./ntt/worker.mjs', import.meta.url),
  expr: new URL('./expr-worker.mjs', import.meta.url),
};

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
  return new Worker(kind instanceof URL ? kind : SCRIPTS[kind], { workerData: data, execArgv: [] });
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
