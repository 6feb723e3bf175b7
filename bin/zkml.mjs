#!/usr/bin/env node
// CLI entry. Runs the build's bundle of the CLI, dist/cli-bundle/entry.js (built by `npm ci` through the
// `prepare` script), when the build is at least as new as every source file; otherwise (a source edited
// since the build, or no build) the TypeScript sources through tsx, so the command never runs stale code.
// Start-up is part of every command's wall time (`zkml --help`, `zkml verify`): modules only some runs need
// (child_process and v8 for the heap respawn) are imported where they are used.
import { existsSync, mkdirSync, openSync, readFileSync, readSync, closeSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { constants, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);

/** Circuits up to 2^17 rows lay out and prove in V8's default heap; larger ones need more. */
const DEFAULT_HEAP_MAX_K = 17;

/**
 * Circuit layout lives in the JS heap, and V8's default limit (~4 GB) is far below the memory of machines
 * that prove large models. Commands that lay out a circuit run in a child with half of the machine's RAM —
 * compile and demo always (the size is unknown until laid out), setup and prove when the compiled model's
 * k is above DEFAULT_HEAP_MAX_K (audit-setup and audit from one below) — unless the user chose a limit.
 * Everything else starts at once.
 */
function needsLargeHeap() {
  const [command, first] = argv;
  if (command === 'compile' || command === 'demo') return true;
  if ((command === 'setup' || command === 'prove') && first) return zkcK(first) > DEFAULT_HEAP_MAX_K;
  // An audit circuit adds the input commitments and the audit head: counted as one more k.
  if ((command === 'audit-setup' || command === 'audit') && first) return zkcK(first) + 1 > DEFAULT_HEAP_MAX_K;
  return false;
}

/** k of a .zkc file from its first bytes (its header fields come before the model), or Infinity. */
function zkcK(path) {
  try {
    const fd = openSync(path, 'r');
    const buf = Buffer.alloc(4096);
    const n = readSync(fd, buf, 0, buf.length, 0);
    closeSync(fd);
    const m = /"k":(\d+)/.exec(buf.subarray(0, n).toString('latin1'));
    return m ? Number(m[1]) : Infinity;
  } catch {
    return 0; // unreadable: the command itself reports it
  }
}

const wantMb = Math.floor(totalmem() / 2 / 2 ** 20);
const userChose = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((a) => a.includes('--max-old-space-size'));
if (!userChose && !process.env.ZKML_HEAP_SET && needsLargeHeap() && (await import('node:v8')).getHeapStatistics().heap_size_limit < 0.9 * wantMb * 2 ** 20) {
  const { spawnSync } = await import('node:child_process');
  const r = spawnSync(process.execPath, [...process.execArgv, `--max-old-space-size=${wantMb}`, fileURLToPath(import.meta.url), ...argv], {
    stdio: 'inherit',
    env: { ...process.env, ZKML_HEAP_SET: '1' },
  });
  process.exit(r.status ?? 128 + (r.signal ? (constants.signals[r.signal] ?? 0) : 1));
}

/**
 * A proof of a small circuit (k ≤ SHORT_PROOF_MAX_K) takes well under a second, and V8's optimizing compiler
 * spends more CPU in that time compiling the prover's JavaScript than the compiled code saves (its heavy work
 * is WASM): on 2 cores, the peer MLP (k 10) proves in 0.75 s with it off against 0.83 s with it on, k 11 in
 * 0.92 against 0.97 s, and from k 12 (MNIST) it no longer matters. The flag is set before any of the
 * prover's code is loaded, unless the user passed V8 flags of their own.
 */
const SHORT_PROOF_MAX_K = 11;
if (argv[0] === 'prove' && argv[1] && zkcK(argv[1]) <= SHORT_PROOF_MAX_K && !process.execArgv.some((a) => a.startsWith('--')))
  (await import('node:v8')).setFlagsFromString('--no-opt');

/** True when dist/ holds a build (with the CLI bundle: a build by an older build script has none) at least as new as every file under src/. */
function buildIsCurrent() {
  const stamp = join(root, 'dist', '.build-stamp');
  if (!existsSync(stamp) || !existsSync(join(root, 'dist', 'cli-bundle', 'entry.js'))) return false;
  const built = statSync(stamp).mtimeMs;
  // Plain string paths (path.join per entry costs more than the stat calls in a cold process).
  const newer = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = `${dir}/${e.name}`;
      if (e.isDirectory() ? newer(path) : statSync(path).mtimeMs > built) return true;
    }
    return false;
  };
  const src = join(root, 'src');
  return !existsSync(src) || !newer(src);
}

/**
 * `zkml prove` from dist/cli-bundle/prove.cjs (the same CLI as one CommonJS file), compiled through vm.Script
 * with V8's code cache: Node 20 keeps no compiled code of ES modules between runs, and a small proof spends
 * ~10 % of its time compiling the prover. The cache is written beside the bundle, in .code-cache/ (dist/ is
 * rebuilt whole, so a cache never outlives its bundle), after a proof that found none or found it rejected
 * (V8 checks it against the engine's version and flags and the source's length; the file name holds the
 * flags' tag, as a proof sets some of them, and the bundle's modification time). Nothing is cached where
 * the directory is not writable, or with ZKML_CODE_CACHE=0. Resolves with the bundle's exports and a
 * function that writes the cache when due.
 */
const PROVE_BUNDLE = join(root, 'dist', 'cli-bundle', 'prove.cjs');

async function cachedProveBundle() {
  const [{ default: vm }, { default: v8 }, { createRequire }] = await Promise.all([import('node:vm'), import('node:v8'), import('node:module')]);
  // The run switches this flag on itself (kernels/msm/fma.ts) unless told not to; set first, so that the
  // cache is made and read under the same flags.
  if (process.env.ZKML_MSM_FMA !== '0') v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  const file = PROVE_BUNDLE;
  const dir = join(dirname(file), '.code-cache');
  // V8 tells a cache's source only by its length: the bundle's modification time names the cache too.
  const cacheFile = join(dir, `prove.${v8.cachedDataVersionTag()}.${Math.floor(statSync(file).mtimeMs)}.bin`);
  const use = process.env.ZKML_CODE_CACHE !== '0';
  let cachedData;
  try {
    if (use) cachedData = readFileSync(cacheFile);
  } catch {
    // none yet
  }
  const source = readFileSync(file, 'utf8');
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname, __zkmlBundleUrl) {${source}\n})`, {
    filename: file,
    cachedData,
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file), pathToFileURL(file).href);
  const save = () => {
    if (!use || (cachedData && !script.cachedDataRejected)) return;
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    try {
      mkdirSync(dir, { recursive: true });
      writeFileSync(tmp, script.createCachedData());
      renameSync(tmp, cacheFile);
    } catch {
      // a read-only install: no cache (and no half-written file left)
      rmSync(tmp, { force: true });
    }
  };
  return { ...module.exports, save };
}

// The build's CLI bundle (dist/cli-bundle/, scripts/build.mjs): a few chunks instead of hundreds of modules;
// `zkml prove` from its single-file form with a code cache.
const current = buildIsCurrent();
const { main, terminateFfjsCurve, save } =
  current && argv[0] === 'prove' && existsSync(PROVE_BUNDLE)
    ? await cachedProveBundle()
    : current
      ? await import('../dist/cli-bundle/entry.js')
      : await fromSources();

async function fromSources() {
  const { register } = await import('tsx/esm/api');
  register();
  return import('../src/cli/entry.ts');
}
try {
  process.exitCode = await main(argv);
} finally {
  // The curve's worker threads would keep the process alive after the command is done.
  await terminateFfjsCurve();
}
// After the command: the functions it compiled are in the cache too.
if (!process.exitCode) save?.();
// A command that failed early may leave kernel threads still booting (prove starts them first): the
// message is out (stderr is synchronous here), so leave now rather than wait for them.
if (process.exitCode) process.exit();
