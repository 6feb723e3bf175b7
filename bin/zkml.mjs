#!/usr/bin/env node
// CLI entry: runs the TypeScript sources through tsx so no build step is needed.
import { spawnSync } from 'node:child_process';
import { constants, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { getHeapStatistics } from 'node:v8';

// Circuit layout lives in the JS heap; V8's default limit (~4 GB) is far below the memory of most machines
// that prove models. Unless the user chose a limit, run the CLI in a child with half of the machine's RAM.
const wantMb = Math.floor(totalmem() / 2 / 2 ** 20);
const userChose = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((a) => a.includes('--max-old-space-size'));
if (!userChose && !process.env.ZKML_HEAP_SET && getHeapStatistics().heap_size_limit < 0.9 * wantMb * 2 ** 20) {
  const r = spawnSync(process.execPath, [...process.execArgv, `--max-old-space-size=${wantMb}`, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, ZKML_HEAP_SET: '1' },
  });
  process.exit(r.status ?? 128 + (r.signal ? (constants.signals[r.signal] ?? 0) : 1));
}

const { register } = await import('tsx/esm/api');
register();
const { main } = await import('../src/cli/main.ts');
const { terminateFfjsCurve } = await import('../src/kernels/ffjs.ts');
try {
  process.exitCode = await main(process.argv.slice(2));
} finally {
  // The curve's worker threads would keep the process alive after the command is done.
  await terminateFfjsCurve();
}
