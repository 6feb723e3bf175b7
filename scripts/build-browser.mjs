// Bundles the browser verifier page (src/browser/page.ts and everything it imports) with esbuild into one
// ES module, zkml-verifier.js, beside src/browser/index.html. The bundle targets the browser platform, so an
// import of a Node built-in anywhere on the verifier's path fails the build instead of shipping.
//   node scripts/build-browser.mjs            → dist/browser/{index.html, zkml-verifier.js}
//   import { bundleVerifierPage } from ...     → the same files in memory (zkml serve-verifier, tests)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Bundles the page: `{ js, html, inputs }` (inputs: the source files in the bundle, for checks). */
export async function bundleVerifierPage({ minify = true } = {}) {
  const esbuild = await import('esbuild');
  const r = await esbuild.build({
    entryPoints: [join(root, 'src', 'browser', 'page.ts')],
    absWorkingDir: root,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify,
    legalComments: 'none',
    outfile: 'zkml-verifier.js',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const js = r.outputFiles.find((f) => f.path.endsWith('.js'));
  if (!js) throw new Error('esbuild produced no JavaScript');
  return {
    js: js.text,
    html: readFileSync(join(root, 'src', 'browser', 'index.html'), 'utf8'),
    inputs: Object.keys(r.metafile.inputs),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { js, html } = await bundleVerifierPage();
  const out = join(root, 'dist', 'browser');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'zkml-verifier.js'), js);
  writeFileSync(join(out, 'index.html'), html);
  console.log(`dist/browser/zkml-verifier.js: ${(js.length / 1024).toFixed(0)} KiB`);
}
