/**
 * Work happens once: `setup` stores the proving key's coefficient forms in pk.bin, and `prove` reads them,
 * lays out the witness, checks the rebuilt circuit's digest and proves — no import, no simplification, no
 * keygen (none of keygen's stages is reported), and a pk.bin of another circuit is refused.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { compile, parsePkFile, parseZkc, prove, serializeZkc, setup, verify } from '../../src/api/index.ts';
import { devSrs } from '../../src/commit/index.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import { tinyModelFiles } from '../cli-harness.ts';

const { model, calibrationText, input, remove } = tinyModelFiles('zkml-prove-key-');
after(async () => {
  await terminateFfjsCurve();
  remove();
});

const KEYGEN_STAGES = ['polynomial forms', 'commit fixed', 'commit sigma', 'selectors'];

test('prove reads the key, lays out the witness, checks the digest and proves: no keygen stage', async () => {
  const { compiled } = compile(model, { calibrationText, scaleBits: 8, width: 4, tableBits: 9 });
  const zkc = parseZkc(serializeZkc(compiled), 'model.zkc');
  const setupStages: string[] = [];
  const { pk, pkBytes, vkBytes } = await setup(zkc, await devSrs(zkc.k), { onProgress: (s) => setupStages.push(s) });
  assert.ok(setupStages.includes('polynomial forms'), 'setup runs keygen');
  // pk.bin holds the forms keygen computed, byte for byte.
  const file = await parsePkFile(pkBytes, 'pk.bin');
  assert.equal(file.forms.fixedCoeffs.length, pk.fixed.length);
  pk.fixed.forEach((f, i) => assert.deepEqual(file.forms.fixedCoeffs[i], f.coeffs));
  pk.sigmas.forEach((f, i) => assert.deepEqual(file.forms.sigmaCoeffs[i], f.coeffs));
  assert.deepEqual(file.forms.lblind, pk.lblind);

  for (let run = 0; run < 2; run++) {
    const stages: string[] = [];
    const { proofFile, timings } = await prove(zkc, pkBytes, input, { onProgress: (s) => stages.push(s) });
    assert.deepEqual(stages.slice(0, 4), ['read key', 'witness', 'circuit digest', 'advice']);
    assert.equal(stages.at(-1), 'done');
    for (const s of KEYGEN_STAGES) assert.ok(!stages.includes(s), `prove ran keygen's '${s}' stage`);
    assert.ok(timings.pk_derive_ms >= 0 && timings.pk_read_ms >= 0);
    assert.equal((await verify(JSON.stringify(proofFile), vkBytes)).valid, true);
  }
});

test('a pk.bin made for another circuit is refused before proving', async () => {
  const a = compile(model, { calibrationText, scaleBits: 8, width: 4, tableBits: 9 }).compiled;
  const b = compile(model, { calibrationText, scaleBits: 7, width: 4, tableBits: 9 }).compiled;
  const { pkBytes } = await setup(b, await devSrs(b.k));
  await assert.rejects(prove(a, pkBytes, input), /made for a different circuit/);
});
