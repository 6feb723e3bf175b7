/**
 * The page's prover thread (bundled as zkml-prover.js): proving takes seconds of WASM and JS work, which on
 * the page's own thread would freeze it. One request at a time: { zkcText, pkBytes, input, names } →
 * { type: 'progress', stage, done, total }* then { type: 'done', result } or { type: 'error', name, message }.
 */
import { ZkmlError } from '../errors.ts';
import { proveInBrowser, type BrowserProveInput } from './prove.ts';

export type ProverReply =
  | { type: 'progress'; stage: string; done: number; total: number }
  | { type: 'done'; result: Awaited<ReturnType<typeof proveInBrowser>> }
  | { type: 'error'; name: string; message: string; user: boolean };

const scope = self as unknown as { postMessage(m: ProverReply): void; addEventListener(t: 'message', fn: (e: MessageEvent<BrowserProveInput>) => void): void };

scope.addEventListener('message', async (e) => {
  try {
    const result = await proveInBrowser(e.data, (stage, done, total) => scope.postMessage({ type: 'progress', stage, done, total }));
    scope.postMessage({ type: 'done', result });
  } catch (err) {
    const x = err instanceof Error ? err : new Error(String(err));
    scope.postMessage({ type: 'error', name: x.name, message: x.message, user: err instanceof ZkmlError });
  }
});
