/**
 * A kernel thread in a browser (bundled as zkml-kernel-worker.js; started by kernels/platform.browser.ts):
 * the first message names the kernel and carries its start-up data (what Node passes as workerData); from
 * then on the worker speaks the same protocol as Node's kernel workers, through the same serve functions.
 */
import { serveMsm } from '../kernels/msm/serve.mjs';
import { serveNtt } from '../kernels/ntt/serve.mjs';
import { serveExpr } from '../kernels/expr-serve.mjs';
import type { KernelPort, KernelThreadKind } from '../kernels/thread.ts';

const SERVE: Record<KernelThreadKind, (port: KernelPort, data: unknown) => void> = { msm: serveMsm, ntt: serveNtt, expr: serveExpr };

const scope = self as unknown as {
  addEventListener(t: 'message', fn: (e: MessageEvent) => void, opts?: { once: boolean }): void;
  postMessage(m: unknown, transfer?: Transferable[]): void;
};
const port: KernelPort = {
  // Listeners added while the first message is dispatched do not see it: later messages only.
  on: (_event, fn) => scope.addEventListener('message', (e) => fn(e.data)),
  postMessage: (msg, transfer) => scope.postMessage(msg, transfer ?? []),
};

scope.addEventListener(
  'message',
  (e) => {
    const { kind, data } = e.data as { kind: KernelThreadKind; data: unknown };
    const serve = SERVE[kind];
    if (!serve) throw new Error(`kernel worker: unknown kernel '${String(kind)}'`);
    serve(port, data);
  },
  { once: true },
);
