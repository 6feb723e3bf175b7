// Bundles the browser page with esbuild into ES modules beside src/browser/index.html:
//   zkml-verifier.js      the page (src/browser/page.ts): the verifier, and the prove panel's controls;
//   zkml-prover.js        the prover's Web Worker (src/browser/prover-worker.ts): compiler, prover, kernels;
//   zkml-kernel-worker.js the kernels' Web Workers (src/browser/kernel-worker.ts).
// The bundles target the browser platform, so a Node built-in on the verifier's path fails the build instead
// of shipping. On the prover's path the kernels' host (src/kernels/platform.ts) is swapped for
// platform.browser.ts, and the few Node modules the lower layers name are mapped to src/browser/shims/
// (SHA-256 and random bytes; heap statistics; file functions and onnxruntime, which the page never calls).
//   node scripts/build-browser.mjs            → dist/browser/{index.html, zkml-*.js}
//   import { bundleVerifierPage } from ...     → the same files in memory (zkml serve-verifier, tests)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const shims = join(root, 'src', 'browser', 'shims');

/** Node modules the prover's bundle maps to shims, and the kernels' host swapped for the browser's. */
const browserHost = {
  name: 'zkml-browser-host',
  setup(build) {
    const shim = { 'node:crypto': 'node-crypto.ts', 'node:v8': 'node-v8.ts', 'node:fs': 'no-fs.ts', 'node:fs/promises': 'no-fs.ts', 'node:path': 'no-fs.ts', 'node:module': 'node-module.ts' };
    build.onResolve({ filter: /^node:/ }, (args) => (shim[args.path] ? { path: join(shims, shim[args.path]) } : undefined));
    build.onResolve({ filter: /^onnxruntime-node$/ }, () => ({ path: join(shims, 'no-onnxruntime.ts') }));
    build.onResolve({ filter: /(^|\/)platform\.ts$/ }, (args) => {
      const path = join(args.resolveDir, args.path);
      return path.startsWith(join(root, 'src', 'kernels')) ? { path: path.replace(/platform\.ts$/, 'platform.browser.ts') } : undefined;
    });
  },
};

async function bundle(entry, outfile, { minify, plugins = [] }) {
  const esbuild = await import('esbuild');
  const r = await esbuild.build({
    entryPoints: [join(root, 'src', 'browser', entry)],
    absWorkingDir: root,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify,
    legalComments: 'none',
    outfile,
    write: false,
    metafile: true,
    logLevel: 'silent',
    plugins,
  });
  const js = r.outputFiles.find((f) => f.path.endsWith('.js'));
  if (!js) throw new Error('esbuild produced no JavaScript');
  return { js: js.text, inputs: Object.keys(r.metafile.inputs) };
}

/**
 * Bundles the page: `{ js, html, inputs, prover, kernelWorker }` — js/inputs: the page's module and its
 * source files; prover / kernelWorker: `{ js, inputs }` of the two worker bundles.
 */
export async function bundleVerifierPage({ minify = true } = {}) {
  const [page, prover, kernelWorker] = await Promise.all([
    bundle('page.ts', 'zkml-verifier.js', { minify }),
    bundle('prover-worker.ts', 'zkml-prover.js', { minify, plugins: [browserHost] }),
    bundle('kernel-worker.ts', 'zkml-kernel-worker.js', { minify, plugins: [browserHost] }),
  ]);
  return { js: page.js, inputs: page.inputs, html: readFileSync(join(root, 'src', 'browser', 'index.html'), 'utf8'), prover, kernelWorker };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { js, html, prover, kernelWorker } = await bundleVerifierPage();
  const out = join(root, 'dist', 'browser');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'zkml-verifier.js'), js);
  writeFileSync(join(out, 'zkml-prover.js'), prover.js);
  writeFileSync(join(out, 'zkml-kernel-worker.js'), kernelWorker.js);
  writeFileSync(join(out, 'index.html'), html);
  const kib = (s) => `${(s.length / 1024).toFixed(0)} KiB`;
  console.log(`dist/browser/: zkml-verifier.js ${kib(js)}, zkml-prover.js ${kib(prover.js)}, zkml-kernel-worker.js ${kib(kernelWorker.js)}`);
}
