/**
 * The prover keeps to its memory budget at a real model's scale: a k = 17 circuit (wide-circuit.ts) proved
 * with a key read from pk.bin, in a child process (its peak RSS is its own), under a budget of 400 MB beyond
 * what the child holds once the key and the circuit are loaded. The quotient's whole-coset values would not
 * fit beside rounds 1–3 there, so the prover splits the cosets (and keeps no key coset values).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { devSrs } from '../../src/commit/index.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import { keygen } from '../../src/plonk/keygen.ts';
import { serializePkFile } from '../../src/api/pk-file.ts';
import { wideCircuit } from './wide-circuit.ts';

after(terminateFfjsCurve);

const K = 17;
const ALLOWANCE = 400 * 2 ** 20;

test(`a k = ${K} proof under a memory budget: the child's peak RSS stays within it and the proof verifies`, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'zkml-prove-memory-'));
  try {
    const pk = await keygen(await devSrs(K), wideCircuit(K).circuit);
    const pkPath = join(dir, 'pk.bin');
    writeFileSync(pkPath, await serializePkFile(pk));
    const child = fileURLToPath(new URL('./prove-memory-child.ts', import.meta.url));
    const r = spawnSync(process.execPath, ['--import', 'tsx', child, pkPath, String(K), String(ALLOWANCE)], { encoding: 'utf8', timeout: 300_000 });
    assert.equal(r.status, 0, `exit ${r.status} signal ${r.signal}\n${r.stderr.slice(-2000)}`);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { held: number; budget: number; maxRss: number; valid: boolean };
    assert.equal(out.valid, true);
    const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MB`;
    assert.ok(out.maxRss <= out.budget, `peak RSS ${mb(out.maxRss)} exceeds the budget ${mb(out.budget)} (${mb(out.held)} held before proving)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
