/**
 * The reference Poseidon (src/transcript/poseidon.ts) is circomlib's: it matches published vectors, the
 * poseidon-lite package on random inputs, and its constants file is what poseidon-lite ships.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { poseidon2, poseidon8 } from 'poseidon-lite';
import { FR_MODULUS } from '../../src/scalar/fr.ts';
import { InvalidArgumentError } from '../../src/errors.ts';
import { POSEIDON_WIDTHS, poseidonHash, poseidonParams, poseidonPermutation } from '../../src/transcript/poseidon.ts';
import { rng } from '../layers/harness.ts';

const h = (x: bigint) => x.toString(16).padStart(64, '0');

test('published vectors: circomlib Poseidon(1, 2) (t = 3) and the t = 9 permutation of [0, 1, …, 8]', () => {
  // circomlib test/poseidoncircuit.js and circomlibjs test/poseidon.js
  assert.equal(h(poseidonHash([1, 2])), '115cc0f5e7d690413df64c6b9662e9cf2a3617f2743245519e19607a4417189a');
  // iden3 / Polygon's C++ Poseidon test (hash_t9): state[0] and state[8] after the permutation
  const s = poseidonPermutation([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  assert.equal(h(s[0]!), '2921ab9bd0140cbc98e40395c0fefb40337a4d54fbbecd9a4d43b3d8d0c4d8d1');
  assert.equal(h(s[8]!), '2c8e23a3569963447e55619f1d1462f63ea2e40d3d405c18bbf394f13c253749');
});

test('published vector at the top of the field: the t = 3 permutation of [0, r − 1, r − 1], all three outputs', () => {
  const s = poseidonPermutation([0n, FR_MODULUS - 1n, -1n]);
  assert.deepEqual(s.map(h), [
    '2c6bd813a6338781378d8706cb82fd4216ab52b752ccd41564d7b98756a6e0fb',
    '1c95b184ebe5d89108c844ae1e0b71c410ae8b67f14074a95fb244d385b0f967',
    '0a39228d63816045998ffcc2f0d2a48722c979c306490dd91e0bd210a4aeba31',
  ]);
});

test('equals poseidon-lite (poseidon2, poseidon8 and their full states) on random and signed inputs', () => {
  const r = rng(11);
  const fe = () => ((BigInt(Math.floor(r() * 2 ** 52)) << 200n) ^ BigInt(Math.floor(r() * 2 ** 52))) % FR_MODULUS;
  for (let i = 0; i < 20; i++) {
    const a = [fe(), fe()];
    assert.equal(poseidonHash(a), poseidon2(a));
    const b = Array.from({ length: 8 }, fe);
    assert.equal(poseidonHash(b), poseidon8(b));
    assert.deepEqual(poseidonPermutation([0n, ...b]), poseidon8(b, 9));
  }
  // Negative integers are their residues mod r.
  assert.equal(poseidonHash([-5, 7]), poseidon2([FR_MODULUS - 5n, 7n]));
});

test('the generated constants file holds poseidon-lite\'s constants for every width it carries', () => {
  const require = createRequire(import.meta.url);
  const dir = dirname(require.resolve('poseidon-lite'));
  assert.ok(POSEIDON_WIDTHS.includes(3) && POSEIDON_WIDTHS.includes(9));
  for (const t of POSEIDON_WIDTHS) {
    const src = readFileSync(join(dir, 'constants', `${t - 1}.js`), 'utf8');
    const b64 = [...src.matchAll(/'([A-Za-z0-9+/=]{40,})'/g)].map((m) => BigInt(`0x${Buffer.from(m[1]!, 'base64').toString('hex')}`));
    const p = poseidonParams(t);
    assert.deepEqual([...p.roundConstants.flat(), ...p.mds.flat()], b64, `t = ${t}`);
    assert.equal(p.roundConstants.length, p.roundsF + p.roundsP);
  }
});

test('a width without constants is refused with a typed error', () => {
  assert.throws(() => poseidonPermutation([1, 2, 3, 4]), InvalidArgumentError);
});
