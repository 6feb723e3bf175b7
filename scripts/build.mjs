// Compiles src/ to dist/ (plain JavaScript + declarations) so the CLI and the package start without a
// TypeScript loader. tsc emits the .ts files; the hand-written .mjs kernels and worker scripts (and their
// .d.mts types) are copied as they are. A stamp file records the build, so bin/zkml.mjs can tell a
// current build from one older than the sources.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const root = join(dirname(new URL(import.meta.url).pathname), '..');
const src = join(root, 'src');
const dist = join(root, 'dist');
rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);

function copyPlain(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) copyPlain(path);
    else if (name.endsWith('.mjs') || name.endsWith('.d.mts')) {
      const to = join(dist, relative(src, path));
      mkdirSync(dirname(to), { recursive: true });
      copyFileSync(path, to);
    }
  }
}
copyPlain(src);

// The kernels' WASM modules, generated here once instead of at every process start (src/kernels/prebuilt.ts).
const { KERNEL_MODULES } = await import(pathToFileURL(join(dist, 'kernels', 'prebuilt-all.js')).href);
const wasmDir = join(dist, 'kernels', 'wasm');
mkdirSync(wasmDir, { recursive: true });
for (const [name, make] of Object.entries(KERNEL_MODULES)) {
  const { code, meta } = make();
  writeFileSync(join(wasmDir, `${name}.wasm`), code);
  writeFileSync(join(wasmDir, `${name}.json`), JSON.stringify(meta));
}
// The verifier's BN254 module as an ES module (src/curve/bn128-code.ts re-exports wasmcurves' CommonJS
// file, which Node loads ~10 ms slower): the same values, inlined.
{
  const bn128 = createRequire(import.meta.url)('wasmcurves/build/bn128_wasm.js');
  const names = ['code', 'pOneT', 'prePSize', 'preQSize', 'q', 'r'];
  writeFileSync(
    join(dist, 'curve', 'bn128-code.js'),
    `// Written by scripts/build.mjs from wasmcurves/build/bn128_wasm.js (see src/curve/bn128-code.ts).\n${names.map((k) => `export const ${k} = ${JSON.stringify(bn128[k])};`).join('\n')}\n`,
  );
}
writeFileSync(join(dist, '.build-stamp'), `${new Date().toISOString()}\n`);
