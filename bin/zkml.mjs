#!/usr/bin/env node
// CLI entry. Runs the build's bundle of the CLI, dist/cli-bundle/entry.js (built by `npm ci` through the
// `prepare` script), when the build is at least as new as every source file; otherwise (a source edited
// since the build, or no build) the TypeScript sources through tsx, so the command never runs stale code.
// Start-up is part of every command's wall time (`zkml --help`, `zkml verify`): modules only some runs need
// (child_process and v8 for the heap respawn) are imported where they are used.
import { existsSync, openSync, readSync, closeSync, readdirSync, statSync } from 'node:fs';
import { constants, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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

// The build's CLI bundle (dist/cli-bundle/, scripts/build.mjs): a few chunks instead of hundreds of modules.
const { main, terminateFfjsCurve } = buildIsCurrent() ? await import('../dist/cli-bundle/entry.js') : await fromSources();

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
// A command that failed early may leave kernel threads still booting (prove starts them first): the
// message is out (stderr is synchronous here), so leave now rather than wait for them.
if (process.exitCode) process.exit();
