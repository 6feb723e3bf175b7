/** The full-size case: a logUp range check into a 2^16-row table (k = 17). The slowest proof test. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { devSrs } from '../../src/commit/index.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import { keygen } from '../../src/plonk/keygen.ts';
import { prove } from '../../src/plonk/prover.ts';
import { verify } from '../../src/plonk/verifier.ts';
import { rangeCheck } from './circuits.ts';

after(terminateFfjsCurve);

test('range check by logUp into a 2^16 table proves and verifies; a value of 2^16 is refused', async () => {
  const values = [0, 1, 65535, 32768, 32768, 4242, 65534];
  const ex = rangeCheck(16, values);
  assert.equal(ex.circuit.k, 17);
  const srs = await devSrs(17);
  const pk = await keygen(srs, ex.circuit);
  const proof = await prove(pk, [], ex.witness);
  assert.deepEqual(await verify(pk.vk, [], proof), { valid: true });

  const bad = rangeCheck(16, [...values.slice(0, -1), 65536]);
  await assert.rejects(prove(pk, [], bad.witness), /not in table/);
  const forged = await prove(pk, [], bad.witness, { cheat: true });
  assert.equal((await verify(pk.vk, [], forged)).valid, false);
});
