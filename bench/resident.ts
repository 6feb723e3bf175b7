/**
 * Child process of the sidebyside bench: proves `repeats` times in one process, as a service does, and prints
 * the time of each proof as JSON. `node --import tsx bench/resident.ts zkml <dir> <repeats>` proves with the
 * library (api.prove: model.zkc, pk.bin and input.json of <dir>); `… snarkjs <artifacts> <repeats>` with
 * snarkjs's own library call (groth16.prove on g16.zkey and w0.wtns). Each side reads its files once; the
 * first proof pays for start-up (threads, JIT, tables), the rest are what a warm prover costs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

async function zkml(dir: string, repeats: number): Promise<number[]> {
  const { prove, readZkc, verify } = await import('../src/api/index.ts');
  const compiled = readZkc(join(dir, 'model.zkc'));
  const pk = readFileSync(join(dir, 'pk.bin'));
  const vk = readFileSync(join(dir, 'vk.bin'));
  const input = readFileSync(join(dir, 'input.json'), 'utf8');
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t = performance.now();
    const { proofFile } = await prove(compiled, pk, input, { inputFile: 'input.json', pkPath: 'pk.bin' });
    times.push(performance.now() - t);
    if (!(await verify(JSON.stringify(proofFile), vk)).valid) throw new Error('zkml proof did not verify');
  }
  return times;
}

async function snarkjs(art: string, repeats: number): Promise<number[]> {
  const { groth16 } = await import('snarkjs');
  const vk = JSON.parse(readFileSync(join(art, 'vk_groth16.json'), 'utf8'));
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t = performance.now();
    const { proof, publicSignals } = await groth16.prove(join(art, 'g16.zkey'), join(art, 'w0.wtns'));
    times.push(performance.now() - t);
    if (!(await groth16.verify(vk, publicSignals, proof))) throw new Error('snarkjs proof did not verify');
  }
  return times;
}

const [side, path, n] = process.argv.slice(2);
const repeats = Math.max(2, Number(n ?? 5));
const times = side === 'zkml' ? await zkml(path!, repeats) : side === 'snarkjs' ? await snarkjs(path!, repeats) : null;
if (!times) throw new Error('usage: resident.ts zkml|snarkjs <dir> [repeats]');
console.log(JSON.stringify({ side, times }));
// snarkjs keeps its curve's worker threads running.
process.exit(0);
