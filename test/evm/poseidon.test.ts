/**
 * A generated Solidity verifier for a circuit with the tensor-commitment gadget (width-9 Poseidon chips,
 * MDS constants inside the gates) accepts an honest proof and rejects another commitment, exactly as the
 * TypeScript verifier does, and stays under the EIP-170 size limit.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { devSrs } from '../../src/commit/index.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import { keygen } from '../../src/plonk/keygen.ts';
import { prove } from '../../src/plonk/prover.ts';
import { serializeProof } from '../../src/plonk/encoding/proof.ts';
import { generateVerifier } from '../../src/evm/generate.ts';
import { CircuitBuilder } from '../../src/circuit/builder.ts';
import { commitCells } from '../../src/circuit/chips/commitment.ts';
import { commitTensor } from '../../src/commit/tensor-commitment.ts';
import { compileSolidity, EIP170_LIMIT, InProcessEvm } from './harness.ts';
import { evmAccepts, tsAccepts } from './differential.ts';

after(terminateFfjsCurve);

test('EVM verifier of a committed tensor: honest proof accepted, another commitment rejected, under EIP-170', async (t) => {
  const values = [3n, -1n, 4n, -1n, 5n, 9n, -2n, 6n];
  const salt = 0xabcdef0123456789n;
  const b = new CircuitBuilder();
  const xs = b.privateInputs(values);
  const [s] = b.privateInputs([salt]);
  b.publicOutput(commitCells(b, xs, s!));
  const built = b.build();
  assert.deepEqual(built.instances, [[commitTensor(values, salt)]]);
  const pk = await keygen(await devSrs(built.k), built.circuit);
  const proof = serializeProof(await prove(pk, built.instances, built.witness));
  const gen = generateVerifier(pk.vk);
  const compiled = compileSolidity(gen.source, gen.contractName);
  assert.deepEqual(compiled.warnings, []);
  assert.ok(compiled.runtime.length <= EIP170_LIMIT, `${compiled.runtime.length} bytes deployed`);
  t.diagnostic(`deployed verifier: ${compiled.runtime.length} bytes`);
  const evm = await InProcessEvm.create();
  const at = await evm.deploy(compiled.creation);
  const honest = { name: 'honest', proof, instances: built.instances };
  const other = { name: 'other commitment', proof, instances: [[commitTensor(values, salt + 1n)]] };
  assert.equal(await tsAccepts(pk.vk, honest), true);
  assert.equal(await evmAccepts(evm, at, pk.vk, honest), true);
  assert.equal(await tsAccepts(pk.vk, other), false);
  assert.equal(await evmAccepts(evm, at, pk.vk, other), false);
});
