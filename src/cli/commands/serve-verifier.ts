import { existsSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { InvalidArgumentError, ZkmlError } from '../../errors.ts';
import type { Command } from '../command.ts';

/** The repository / package root, from src/cli/commands or dist/cli/commands alike. */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DEFAULT_PORT = 8080;
const HOST = '127.0.0.1';

export interface VerifierPage {
  html: string;
  /** The page's module (the verifier and the prove panel). */
  js: string;
  /** The prover's Web Worker and the kernels' Web Workers. */
  proverJs: string;
  kernelWorkerJs: string;
  /** Where the bundle came from, for the start-up line. */
  from: string;
}

/**
 * The page and its bundle: bundled now from src/browser with esbuild (scripts/build-browser.mjs) where
 * esbuild is installed, so the page always matches the sources; otherwise the prebuilt dist/browser/ of
 * `npm run build`.
 */
export async function loadVerifierPage(): Promise<VerifierPage> {
  let missing: unknown;
  try {
    const { bundleVerifierPage } = (await import(pathToFileURL(`${ROOT}scripts/build-browser.mjs`).href)) as {
      bundleVerifierPage: () => Promise<{ js: string; html: string; prover: { js: string }; kernelWorker: { js: string } }>;
    };
    const { js, html, prover, kernelWorker } = await bundleVerifierPage();
    return { js, html, proverJs: prover.js, kernelWorkerJs: kernelWorker.js, from: 'bundled from src/browser' };
  } catch (e) {
    // Only a missing bundler (or build script) falls back to the prebuilt files; a failing build is an error.
    if ((e as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw e;
    missing = e;
  }
  const dir = `${ROOT}dist/browser/`;
  const names = ['index.html', 'zkml-verifier.js', 'zkml-prover.js', 'zkml-kernel-worker.js'];
  if (!names.every((n) => existsSync(dir + n))) {
    throw new ZkmlError(`no browser bundle: esbuild is not installed (${(missing as Error).message.split('\n')[0]}) and dist/browser/ is not built (npm run build)`);
  }
  const [html, js, proverJs, kernelWorkerJs] = names.map((n) => readFileSync(dir + n, 'utf8')) as [string, string, string, string];
  return { html, js, proverJs, kernelWorkerJs, from: 'dist/browser' };
}

/**
 * Serves the page on 127.0.0.1 only (GET / and the three bundles; nothing else, nothing written). Requests
 * whose Host header is not this machine's loopback name are refused, so another site cannot reach the
 * server through DNS rebinding. Port 0 picks a free port; the returned URL names the one bound.
 * `isolated` (default) sends COOP/COEP, which make the page cross-origin isolated: SharedArrayBuffer exists
 * and the prover's kernels use one Web Worker per core. Without them the page proves on one thread.
 */
export async function startVerifierServer(page: VerifierPage, port = DEFAULT_PORT, { isolated = true } = {}): Promise<{ url: string; server: Server }> {
  const js = 'text/javascript; charset=utf-8';
  const files: Record<string, { type: string; body: string }> = {
    '/': { type: 'text/html; charset=utf-8', body: page.html },
    '/index.html': { type: 'text/html; charset=utf-8', body: page.html },
    '/zkml-verifier.js': { type: js, body: page.js },
    '/zkml-prover.js': { type: js, body: page.proverJs },
    '/zkml-kernel-worker.js': { type: js, body: page.kernelWorkerJs },
  };
  const isolation = isolated ? { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' } : {};
  // node:http is loaded here, not at the top: every command's start-up loads this file.
  const { createServer } = await import('node:http');
  const server = createServer((req, res) => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    const path = (req.url ?? '/').split('?')[0]!;
    const file = files[path];
    if (host !== HOST && host !== 'localhost') {
      res.writeHead(403, { 'content-type': 'text/plain' }).end('forbidden host\n');
    } else if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed\n');
    } else if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    } else {
      res.writeHead(200, {
        'content-type': file.type,
        'content-length': Buffer.byteLength(file.body),
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        // The page runs only its own bundles (and the prover's WASM, compiled in its workers) and talks to no
        // server: files are read locally; proof.json is offered for download as a blob.
        'content-security-policy':
          "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; style-src 'unsafe-inline'; connect-src 'none'; base-uri 'none'; form-action 'none'",
        ...isolation,
      });
      res.end(req.method === 'HEAD' ? undefined : file.body);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  return { url: `http://${HOST}:${bound}/`, server };
}

export const serveVerifierCommand: Command = {
  name: 'serve-verifier',
  usage: 'serve-verifier [--port N] [--no-isolation]',
  summary: 'serve the browser page on 127.0.0.1: verify proof.json + vk.bin, or prove from model.zkc + pk.bin + an input, in the page',
  async run({ options }) {
    const port = options.port === undefined ? DEFAULT_PORT : Number(options.port);
    // Without COOP/COEP the page is not cross-origin isolated and proves on one thread (for comparison and tests).
    const isolated = options['no-isolation'] === undefined;
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError(`--port must be an integer in 0..65535, got '${String(options.port)}'`);
    const page = await loadVerifierPage();
    let started;
    try {
      started = await startVerifierServer(page, port, { isolated });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE' || code === 'EACCES') throw new InvalidArgumentError(`cannot listen on ${HOST}:${port} (${code}); choose another --port`);
      throw e;
    }
    const kib = (s: string) => `${(s.length / 1024).toFixed(0)} KiB`;
    console.log(
      `zkml verifier page at ${started.url} (${page.from}; page ${kib(page.js)}, prover ${kib(page.proverJs)}; ` +
        `${isolated ? 'cross-origin isolated: multi-threaded proving' : 'not isolated: single-threaded proving'}; Ctrl-C stops)`,
    );
    await new Promise<void>((resolve) => {
      const stop = () => {
        started.server.close(() => resolve());
        started.server.closeAllConnections(); // browsers hold keep-alive connections open
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return 0;
  },
};
