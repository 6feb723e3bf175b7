// Compiles src/ to dist/ (plain JavaScript + declarations) so the CLI and the package start without a
// TypeScript loader. tsc emits the .ts files; the hand-written .mjs kernels and worker scripts (and their
// .d.mts types) are copied as they are. A stamp file records the build, so bin/zkml.mjs can tell a
// current build from one older than the sources.
// The CLI runs from an esbuild bundle of the same sources, dist/cli-bundle/ (see bundleCli below): loading
// a few dozen chunks instead of some 300 modules saves ~0.12 s of every `zkml prove` (2 cores). The library
// (dist/index.js) stays the tsc output.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
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

/**
 * The CLI as ES-module chunks in dist/cli-bundle/: entry.js (src/cli/entry.ts: the dispatcher and the
 * commands' declarations) and the chunks the commands import on demand (code splitting at their dynamic
 * import()s, so `zkml --help` loads only the entry). Node built-ins and npm packages stay external, loaded
 * as the library loads them. Two source adjustments, both for running from dist/cli-bundle/ rather than
 * from the source file's own place:
 * - `new URL('<relative path>', import.meta.url)` (the kernels' worker scripts and WASM files, the repository
 *   root) is rewritten to the same target seen from the bundle: a target under src/ becomes the one under
 *   dist/ (where the workers, .mjs files left unbundled, and the prebuilt .wasm are), anything else stays;
 *   createRequire(import.meta.url) resolves packages as well from the bundle; any other use fails the build;
 * - src/curve/bn128-code.ts resolves to the ES module written above (dist/curve/bn128-code.js).
 * Two packages the library imports statically are loaded on first use instead, from the bundle only:
 * - src/kernels/wasm-builders.ts (wasmbuilder and wasmcurves' generators, ~50 ms to load) is required on
 *   first use: from dist the kernels read the prebuilt modules and never generate one;
 * - msgpackr (~25 ms with its native extension's lookup), which reads and writes zkml's .msgpack models and
 *   inputs, reached by every command through the model loaders: its Packr / Unpackr are stand-ins that
 *   require the package at their first method call.
 */
async function bundleCli() {
  const esbuild = await import('esbuild');
  const outdir = join(dist, 'cli-bundle');
  const posix = (p) => p.split(sep).join('/');
  const fromBundle = {
    name: 'zkml-cli-bundle',
    setup(build) {
      build.onResolve({ filter: /bn128-code\.ts$/ }, (args) =>
        join(args.resolveDir, args.path) === join(src, 'curve', 'bn128-code.ts') ? { path: join(dist, 'curve', 'bn128-code.js') } : undefined,
      );
      build.onResolve({ filter: /^msgpackr$/ }, () => ({ path: 'msgpackr', namespace: 'zkml-lazy' }));
      build.onLoad({ filter: /^msgpackr$/, namespace: 'zkml-lazy' }, () => ({ contents: LAZY_MSGPACKR, loader: 'ts', resolveDir: root }));
      build.onLoad({ filter: /\.ts$/ }, (args) => {
        if (args.path === join(src, 'kernels', 'wasm-builders.ts')) return { contents: LAZY_WASM_BUILDERS, loader: 'ts', resolveDir: dirname(args.path) };
        const text = readFileSync(args.path, 'utf8');
        if (!text.includes('import.meta.url')) return undefined;
        // new URL('./path', import.meta.url), or a template literal `./dir/${name}`: the static start is rewritten.
        let rewritten = 0;
        const contents = text.replace(/new URL\((['"`])(\.\.?\/[^'"`$]*)([^'"`]*\1\s*,\s*import\.meta\.url\s*\))/g, (_, quote, rel, rest) => {
          let target = resolve(dirname(args.path), rel);
          if (target === src || target.startsWith(src + sep)) target = join(dist, relative(src, target));
          let to = posix(relative(outdir, target)) || '.';
          if (!to.startsWith('.')) to = `./${to}`;
          if (rel.endsWith('/') && !to.endsWith('/')) to += '/';
          rewritten++;
          return `new URL(${quote}${to}${rest}`;
        });
        // Any other use would point at the bundle's directory instead of the source's: refused here, not at run time.
        const count = (what) => text.split(what).length - 1;
        if (count('import.meta.url') !== rewritten + count('createRequire(import.meta.url)')) {
          return { errors: [{ text: `${relative(root, args.path)}: import.meta.url used other than in new URL('<relative path>', import.meta.url) or createRequire(import.meta.url); teach scripts/build.mjs (bundleCli) where it points from the bundle` }] };
        }
        return { contents, loader: 'ts' };
      });
    },
  };
  const common = {
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    target: 'node20',
    // Error names and class names stay as written (scope hoisting would otherwise rename clashing ones).
    keepNames: true,
    legalComments: 'none',
    logLevel: 'warning',
  };
  const r = await esbuild.build({
    ...common,
    entryPoints: { entry: join(src, 'cli', 'entry.ts') },
    splitting: true,
    format: 'esm',
    packages: 'external',
    outdir,
    chunkNames: 'chunk-[hash]',
    plugins: [fromBundle],
  });
  if (r.errors.length) process.exit(1);
  // `zkml prove` once more as one CommonJS file, dist/cli-bundle/prove.cjs, which bin/zkml.mjs compiles
  // through vm.Script with a V8 code cache beside it (Node 20 caches no ES module's code): a proof of a small
  // model spends ~10 % of its time compiling the prover's JavaScript. The same sources and source plugin;
  // import.meta.url is the bundle's file URL, passed in by the loader; the ES-module-only packages (@noble)
  // are bundled, the others stay external.
  const cjs = await esbuild.build({
    ...common,
    entryPoints: [join(src, 'cli', 'entry.ts')],
    format: 'cjs',
    outfile: join(outdir, 'prove.cjs'),
    define: { 'import.meta.url': '__zkmlBundleUrl' },
    plugins: [
      fromBundle,
      {
        name: 'zkml-cjs-externals',
        setup(build) {
          build.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@noble/') ? undefined : { path: args.path, external: true }));
        },
      },
    ],
  });
  if (cjs.errors.length) process.exit(1);
}

/** src/kernels/wasm-builders.ts for the CLI bundle: the same exports, each loading its package on first use. */
const LAZY_WASM_BUILDERS = `
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
let b: any;
const load = () => (b ??= {
  ModuleBuilder: require('wasmbuilder').ModuleBuilder,
  buildF1m: require('wasmcurves/src/build_f1m.js'),
  buildFFT: require('wasmcurves/src/build_fft.js'),
  buildCurve: require('wasmcurves/src/build_curve_jacobian_a0.js'),
});
// A class (kernels extend ModuleBuilder) that becomes wasmbuilder's on first construction: its prototype
// then inherits the real one's methods, and the instance is built by the real constructor.
export const ModuleBuilder = class ModuleBuilder {
  constructor(...args: unknown[]) {
    const Real = load().ModuleBuilder;
    if (Object.getPrototypeOf(ModuleBuilder.prototype) !== Real.prototype) Object.setPrototypeOf(ModuleBuilder.prototype, Real.prototype);
    return Reflect.construct(Real, args, new.target);
  }
} as unknown as new () => any;
export const buildF1m = (...a: any[]) => load().buildF1m(...a);
export const buildFFT = (...a: any[]) => load().buildFFT(...a);
export const buildCurve = (...a: any[]) => load().buildCurve(...a);
`;
/** msgpackr for the CLI bundle: Packr / Unpackr whose instances construct the package's on first use. */
const LAZY_MSGPACKR = `
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const lazy = (name: 'Packr' | 'Unpackr') =>
  function (...args: unknown[]) {
    let real: any;
    const get = () => (real ??= new (require('msgpackr')[name])(...args));
    return new Proxy({}, {
      get: (_, key) => { const v = get()[key]; return typeof v === 'function' ? v.bind(real) : v; },
      set: (_, key, value) => { get()[key] = value; return true; },
    });
  } as unknown as new (options?: object) => any;
export const Packr = lazy('Packr');
export const Unpackr = lazy('Unpackr');
`;
await bundleCli();

writeFileSync(join(dist, '.build-stamp'), `${new Date().toISOString()}\n`);
