/**
 * Benchmark runner: `npm run bench -- <name> [options] [--json]`. Each bench/<name>.ts exports
 * `run(opts)` returning a JSON object; with --json it is printed as the last line of stdout, otherwise
 * as a readable table. Medians over repeats are the bench's own job.
 */
import { cpus } from 'node:os';
import { parseArgs } from '../src/cli/command.ts';
import { terminateFfjsCurve } from '../src/kernels/ffjs.ts';

const BENCHES: Record<string, () => Promise<{ run(opts: Record<string, string | true>): Promise<Record<string, unknown>> }>> = {
  kernels: () => import('./kernels.ts'),
  prover: () => import('./prover.ts'),
  model: () => import('./model.ts'),
  estimate: () => import('./estimate.ts'),
  evm: () => import('./evm.ts'),
  sidebyside: () => import('./sidebyside.ts'),
  audit: () => import('./audit.ts'),
  browser: () => import('./browser.ts'),
};

async function main(): Promise<number> {
  const { positionals, options } = parseArgs(process.argv.slice(2));
  const name = positionals[0];
  const bench = name ? BENCHES[name] : undefined;
  if (!bench) {
    console.error(`usage: npm run bench -- <${Object.keys(BENCHES).join('|')}> [options] [--json]`);
    return 2;
  }
  const machine = { cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', node: process.version };
  const result = { bench: name, machine, ...(await (await bench()).run(options)) };
  await terminateFfjsCurve();
  if (options.json) console.log(JSON.stringify(result));
  else printTable(result);
  return 0;
}

function printTable(result: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(result)) {
    if (Array.isArray(v)) {
      console.log(`${k}:`);
      for (const row of v) console.log('  ' + Object.entries(row as object).map(([a, b]) => `${a}=${typeof b === 'number' ? +b.toFixed(3) : b}`).join('  '));
    } else if (v && typeof v === 'object') console.log(`${k}: ${JSON.stringify(v)}`);
    else console.log(`${k.padEnd(20)} ${v}`);
  }
}

process.exitCode = await main();
