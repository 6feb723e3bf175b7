/**
 * Side by side with the JS peer (`npm run bench -- sidebyside [--repeats N] [--json]`): the quantized MLP
 * 784→32→ReLU→10 of ../shared/peers/circom-mnist, proved by snarkjs Groth16 (its CLI, the ready-made
 * insecure artifacts: g16.zkey + the witness w0.wtns of the first sample) and by `zkml prove` (our CLI, on
 * the same model and sample; compiled and set up once with the dev SRS before timing). Each run is a fresh
 * process timed by wall clock, the two interleaved; medians of `repeats` (default 3).
 *
 * What each side's time holds: snarkjs starts from a ready witness (circom's witness generation is not
 * counted); zkml prove computes its witness from the input JSON and includes it. Both include Node start-up.
 *
 * Then each side proves `warm` times in one process through its library (bench/resident.ts), as a proving
 * service would: the warm figures are medians of the proofs after the first (the first pays the threads'
 * start, JIT and tables), so start-up and per-proof cost are reported apart.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './median.ts';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const PEER = resolve(ROOT, '..', 'shared', 'peers', 'circom-mnist');

function timed(args: string[], cwd: string): number {
  const t = performance.now();
  const r = spawnSync(process.execPath, args, { cwd, encoding: 'utf8' });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`${args.slice(0, 3).join(' ')} failed (${r.status}): ${r.stderr.slice(-400)}`);
  return ms;
}

export async function run(opts: Record<string, string | true>): Promise<Record<string, unknown>> {
  const peer = typeof opts.peer === 'string' ? resolve(opts.peer) : PEER;
  const art = join(peer, 'artifacts');
  if (!existsSync(join(art, 'g16.zkey'))) throw new Error(`no snarkjs artifacts in ${art} (pass --peer <dir of circom-mnist>)`);
  const repeats = Math.max(1, Number(opts.repeats ?? 3));
  const snarkjs = join(ROOT, 'node_modules', 'snarkjs', 'build', 'cli.cjs');
  const zkml = join(ROOT, 'bin', 'zkml.mjs');
  const dir = mkdtempSync(join(tmpdir(), 'zkml-sidebyside-'));
  try {
    const samples = JSON.parse(readFileSync(join(peer, 'sample_inputs.json'), 'utf8')).samples as { pixels_float: number[] }[];
    writeFileSync(join(dir, 'calib.json'), JSON.stringify({ samples: samples.map((s) => ({ input: s.pixels_float })) }));
    writeFileSync(join(dir, 'input.json'), JSON.stringify({ input: samples[0]!.pixels_float }));
    const compileOut = spawnSync(process.execPath, [zkml, 'compile', join(peer, 'mlp784_32_10.onnx'), '-o', dir, '--calibrate', join(dir, 'calib.json'), '--json'], { encoding: 'utf8' });
    if (compileOut.status !== 0) throw new Error(`zkml compile failed: ${compileOut.stderr}`);
    const compiled = JSON.parse(compileOut.stdout.trim().split('\n').at(-1)!);
    timed([zkml, 'setup', join(dir, 'model.zkc'), '--dev', '-o', dir], dir);

    const snark: number[] = [];
    const ours: number[] = [];
    for (let i = 0; i < repeats; i++) {
      snark.push(timed([snarkjs, 'groth16', 'prove', join(art, 'g16.zkey'), join(art, 'w0.wtns'), join(dir, 'g16-proof.json'), join(dir, 'g16-public.json')], dir));
      ours.push(timed([zkml, 'prove', join(dir, 'model.zkc'), join(dir, 'input.json'), '--pk', join(dir, 'pk.bin'), '-o', join(dir, 'proof.json')], dir));
    }
    // Both proofs are checked, so the timings are of proofs that verify.
    timed([snarkjs, 'groth16', 'verify', join(art, 'vk_groth16.json'), join(dir, 'g16-public.json'), join(dir, 'g16-proof.json')], dir);
    timed([zkml, 'verify', join(dir, 'proof.json'), '--vk', join(dir, 'vk.bin')], dir);
    const snarkjs_ms = Math.round(median(snark));
    const zkml_ms = Math.round(median(ours));

    const warm = Math.max(3, Number(opts.warm ?? 6));
    const resident = (side: string, path: string): number[] => {
      const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'resident.ts'), side, path, String(warm)], { cwd: ROOT, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`resident ${side} failed (${r.status}): ${r.stderr.slice(-400)}`);
      return (JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { times: number[] }).times;
    };
    const snarkWarm = resident('snarkjs', art);
    const oursWarm = resident('zkml', dir);
    const snarkjs_warm_ms = Math.round(median(snarkWarm.slice(1)));
    const zkml_warm_ms = Math.round(median(oursWarm.slice(1)));
    return {
      workload: 'peer MLP 784→32→ReLU→10, one proof per process (snarkjs Groth16 from a ready witness; zkml prove from input JSON)',
      repeats,
      zkml_rows: compiled.rows,
      zkml_k: compiled.k,
      snarkjs_ms,
      zkml_ms,
      ratio: +(snarkjs_ms / zkml_ms).toFixed(3),
      snarkjs_runs_ms: snark.map(Math.round),
      zkml_runs_ms: ours.map(Math.round),
      warm: 'each side proving repeatedly in one process through its library (snarkjs groth16.prove, zkml api.prove); median after the first proof',
      snarkjs_warm_ms,
      zkml_warm_ms,
      warm_ratio: +(snarkjs_warm_ms / zkml_warm_ms).toFixed(3),
      snarkjs_first_ms: Math.round(snarkWarm[0]!),
      zkml_first_ms: Math.round(oursWarm[0]!),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
