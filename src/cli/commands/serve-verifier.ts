import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
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
  js: string;
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
      bundleVerifierPage: () => Promise<{ js: string; html: string }>;
    };
    const { js, html } = await bundleVerifierPage();
    return { js, html, from: 'bundled from src/browser' };
  } catch (e) {
    // Only a missing bundler (or build script) falls back to the prebuilt files; a failing build is an error.
    if ((e as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw e;
    missing = e;
  }
  const dir = `${ROOT}dist/browser/`;
  if (!existsSync(`${dir}zkml-verifier.js`) || !existsSync(`${dir}index.html`)) {
    throw new ZkmlError(`no browser bundle: esbuild is not installed (${(missing as Error).message.split('\n')[0]}) and dist/browser/ is not built (npm run build)`);
  }
  return { js: readFileSync(`${dir}zkml-verifier.js`, 'utf8'), html: readFileSync(`${dir}index.html`, 'utf8'), from: 'dist/browser' };
}

/**
 * Serves the page on 127.0.0.1 only (GET / and /zkml-verifier.js; nothing else, nothing written). Requests
 * whose Host header is not this machine's loopback name are refused, so another site cannot reach the
 * server through DNS rebinding. Port 0 picks a free port; the returned URL names the one bound.
 */
export async function startVerifierServer(page: VerifierPage, port = DEFAULT_PORT): Promise<{ url: string; server: Server }> {
  const files: Record<string, { type: string; body: string }> = {
    '/': { type: 'text/html; charset=utf-8', body: page.html },
    '/index.html': { type: 'text/html; charset=utf-8', body: page.html },
    '/zkml-verifier.js': { type: 'text/javascript; charset=utf-8', body: page.js },
  };
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
        // The page runs only its own bundle and talks to no server: files are read locally.
        'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'none'; base-uri 'none'; form-action 'none'",
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
  usage: 'serve-verifier [--port N]',
  summary: 'serve the browser verifier page on 127.0.0.1 (proof.json + vk.bin checked in the page)',
  async run({ options }) {
    const port = options.port === undefined ? DEFAULT_PORT : Number(options.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError(`--port must be an integer in 0..65535, got '${String(options.port)}'`);
    const page = await loadVerifierPage();
    let started;
    try {
      started = await startVerifierServer(page, port);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE' || code === 'EACCES') throw new InvalidArgumentError(`cannot listen on ${HOST}:${port} (${code}); choose another --port`);
      throw e;
    }
    console.log(`zkml verifier page at ${started.url} (${page.from}, ${(page.js.length / 1024).toFixed(0)} KiB; Ctrl-C stops)`);
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
