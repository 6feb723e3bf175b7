#!/usr/bin/env node
// CLI entry: runs the TypeScript sources through tsx so no build step is needed.
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../src/cli/main.ts');
const { terminateFfjsCurve } = await import('../src/kernels/ffjs.ts');
try {
  process.exitCode = await main(process.argv.slice(2));
} finally {
  // The curve's worker threads would keep the process alive after the command is done.
  await terminateFfjsCurve();
}
