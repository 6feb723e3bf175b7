// Node entry of a kernel host thread (hosted-thread.ts): serves kernels of several kinds on one thread, each
// over its own MessagePort, so a process boots one thread per core instead of one per core and kind (a Node
// worker costs ~30 ms of CPU to start bare, more with its modules and WASM). Message: { kind, data, port },
// the port transferred.
import { parentPort } from 'node:worker_threads';

const SERVE = {
  msm: async () => (await import('./msm/serve.mjs')).serveMsm,
  expr: async () => (await import('./expr-serve.mjs')).serveExpr,
  ntt: async () => (await import('./ntt/serve.mjs')).serveNtt,
};

parentPort.on('message', async ({ kind, data, port }) => {
  const serve = await SERVE[kind]();
  serve(port, data);
});
