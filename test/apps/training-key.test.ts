/**
 * A verifier holding the SRS need not trust vk.bin: checkTrainingKey rebuilds the step circuit from the
 * configuration the key states and recomputes its key. It accepts the key train-setup makes and refuses a
 * key over another SRS and a key whose metadata states one configuration while its circuit is another's
 * (here a learning rate twice as large: the proofs would be about another update rule).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkTrainingKey, encodeTrainingMeta, trainKeys } from '../../src/apps/training/setup.ts';
import { stepCircuit } from '../../src/apps/training/circuit.ts';
import { devSrs } from '../../src/commit/srs.ts';
import { keygen } from '../../src/plonk/keygen.ts';
import { TINY } from './training-helpers.ts';

test('the key of the stated configuration over the SRS is accepted; another SRS or a relabelled circuit is refused', async () => {
  const k = stepCircuit(TINY).built.k;
  const srs = await devSrs(k, 123456789n);
  const { pk } = await trainKeys(TINY, srs);
  assert.equal(await checkTrainingKey(pk.vk, srs), null);
  assert.match((await checkTrainingKey(pk.vk, await devSrs(k, 987654321n))) ?? '', /not the step circuit of its stated configuration/);
  const other = stepCircuit({ ...TINY, lrShift: TINY.lrShift - 1 }).built;
  const relabelled = await keygen(srs, other.circuit, { meta: encodeTrainingMeta(TINY) });
  assert.match((await checkTrainingKey(relabelled.vk, srs)) ?? '', /not the step circuit of its stated configuration/);
});
