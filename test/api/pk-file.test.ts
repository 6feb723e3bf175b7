/**
 * pk.bin carries, for a small circuit, the key polynomials' values on every whole coset of the extended
 * domain: they equal the coset FFTs of the stored coefficient forms; the prover uses them (with coset
 * values altered and the checksum redone, its own check of the quotient identity refuses to finish); a file without
 * them (count 0) still proves; a wrong coset count and an older version are refused with the reason.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { compile, parsePkFile, prove, setup, verify } from '../../src/api/index.ts';
import { devSrs } from '../../src/commit/index.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import { cosetFft } from '../../src/poly/index.ts';
import { keyCosetShift } from '../../src/plonk/key-cosets.ts';
import { FormatError } from '../../src/errors.ts';
import { tinyModelFiles } from '../cli-harness.ts';

const { model, calibrationText, input, remove } = tinyModelFiles('zkml-pk-file-');
after(async () => {
  await terminateFfjsCurve();
  remove();
});
const { compiled } = compile(model, { calibrationText, scaleBits: 8, width: 4, tableBits: 9 });

/** The file with its body changed by `edit` (on a copy), the checksum made to match again. */
function reseal(pkBytes: Uint8Array, edit: (body: Uint8Array) => Uint8Array): Uint8Array {
  const body = edit(pkBytes.slice(0, pkBytes.length - 32));
  const out = new Uint8Array(body.length + 32);
  out.set(body);
  out.set(createHash('sha256').update(body).digest(), body.length);
  return out;
}

test('pk.bin holds the key polynomials on every coset; they are the coset FFTs of the forms', async () => {
  const { pkBytes, vkBytes } = await setup(compiled, await devSrs(compiled.k));
  const file = await parsePkFile(pkBytes, 'pk.bin');
  const { extK } = file.vk.shape;
  const polys = [...file.forms.fixedCoeffs, ...file.forms.sigmaCoeffs, file.forms.l0, file.forms.llast, file.forms.lblind];
  assert.equal(file.forms.cosets?.length, polys.length);
  for (let i = 0; i < polys.length; i += 3)
    for (let j = 0; j < 2 ** extK; j++) assert.deepEqual(file.forms.cosets![i]![j], await cosetFft(polys[i]!, file.vk.k, keyCosetShift(j, file.vk.k, extK)), `poly ${i}, coset ${j}`);
  const { proofFile } = await prove(compiled, pkBytes, input);
  assert.equal((await verify(JSON.stringify(proofFile), vkBytes)).valid, true);
});

test('the prover reads the stored coset values: altered ones stop the proof; none stored still proves', async () => {
  const { pkBytes, vkBytes } = await setup(compiled, await devSrs(compiled.k));
  const file = await parsePkFile(pkBytes, 'pk.bin');
  const n = file.vk.shape.n;
  const E = 2 ** file.vk.shape.extK;
  const polys = file.forms.cosets!.length;
  const cosetsAt = pkBytes.length - 32 - polys * E * 32 * n;
  // The first fixed column's values on coset 0, entry 5, changed.
  const bad = reseal(pkBytes, (b) => {
    b[cosetsAt + 5 * 32] ^= 1;
    return b;
  });
  // The prover's own check of the quotient identity at x catches it: no proof comes out.
  await assert.rejects(prove(compiled, bad, input), /quotient identity fails/);
  // Count 0 and no values: the prover computes them.
  const none = reseal(pkBytes, (b) => {
    const cut = b.slice(0, cosetsAt);
    cut.fill(0, cosetsAt - 32, cosetsAt - 28);
    return cut;
  });
  assert.equal((await parsePkFile(none, 'pk.bin')).forms.cosets, undefined);
  const again = await prove(compiled, none, input);
  assert.equal((await verify(JSON.stringify(again.proofFile), vkBytes)).valid, true);
  // A coset count other than the key's.
  const wrong = reseal(pkBytes, (b) => {
    b[cosetsAt - 32] = E + 1;
    return b;
  });
  await assert.rejects(parsePkFile(wrong, 'pk.bin'), (e: unknown) => e instanceof FormatError && /cosets stored per polynomial/.test(e.message));
  // An older version.
  const old = reseal(pkBytes, (b) => {
    b[7] = 4; // the version, a big-endian u32 after the magic
    return b;
  });
  await assert.rejects(parsePkFile(old, 'pk.bin'), (e: unknown) => e instanceof FormatError && /older version.*setup again/.test(e.message));
});
