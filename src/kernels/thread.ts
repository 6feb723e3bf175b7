/**
 * The one thread interface the kernels use, met by Node's worker_threads Worker as it is and by a Web
 * Worker through platform.browser.ts: messages carry plain data (structured clone; SharedArrayBuffer and
 * WebAssembly.Module where the host allows), ref/unref decide whether an idle thread keeps Node's process
 * alive (a browser has no such notion), 'exit' reports a thread that stopped.
 */
export type KernelThreadKind = 'msm' | 'ntt' | 'expr';

export interface KernelThread {
  postMessage(msg: unknown, transfer?: ArrayBuffer[]): void;
  on(event: 'message', fn: (msg: unknown) => void): unknown;
  on(event: 'error', fn: (e: unknown) => void): unknown;
  on(event: 'exit', fn: (code: number) => void): unknown;
  once(event: 'message', fn: (msg: unknown) => void): unknown;
  once(event: 'error', fn: (e: unknown) => void): unknown;
  ref(): void;
  unref(): void;
  terminate(): Promise<unknown>;
}

/** The worker side of a kernel thread: its start-up data arrives separately (serve functions take both). */
export interface KernelPort {
  on(event: 'message', fn: (msg: any) => void): unknown; // eslint-disable-line @typescript-eslint/no-explicit-any
  postMessage(msg: unknown, transfer?: ArrayBuffer[]): void;
}
