/**
 * The bundled MNIST CNN through the library API (compile, dev SRS setup, prove — once for this file),
 * its generated Solidity verifier compiled with solc and run in an in-process EVM: deployed code within
 * EIP-170, the honest proof accepted within the gas target, and every proof element altered in turn and
 * a wrong public value rejected, each exactly when the TypeScript verifier rejects it.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Address } from '@ethereumjs/util';
import { compile, parseProofFile, prove, setup } from '../../src/api/index.ts';
import { devSrs } from '../../src/commit/index.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import type { VerifyingKey } from '../../src/plonk/keys.ts';
import { deserializeVk } from '../../src/plonk/encoding/vk.ts';
import { encodeCalldata } from '../../src/evm/calldata.ts';
import { generateVerifier } from '../../src/evm/generate.ts';
import { MNIST_DIR } from '../../examples/mnist/test-split.ts';
import { compileSolidity, EIP170_LIMIT, InProcessEvm, intrinsicGas } from './harness.ts';
import { evmAccepts, tamperCases, tsAccepts, type Case } from './differential.ts';

after(terminateFfjsCurve);

/** Execution gas the MNIST verifier must stay under (the calldata and the 21,000 base come on top). */
const GAS_TARGET = 600_000n;

let vk: VerifyingKey;
let honest: Case;
let evm: InProcessEvm;
let at: Address;
let runtimeBytes: number;

before(async () => {
  const dir = join(MNIST_DIR, 'samples');
  const files = readdirSync(dir).filter((f) => /^digit-\d+\.json$/.test(f)).sort();
  const samples = files.map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')));
  const { compiled } = compile(join(MNIST_DIR, 'model.onnx'), { calibrationText: JSON.stringify({ samples }), verifier: 'evm' });
  const { pkBytes, vkBytes } = await setup(compiled, await devSrs(compiled.k));
  vk = await deserializeVk(vkBytes);
  const { proofFile } = await prove(compiled, pkBytes, JSON.stringify(samples[0]));
  const { instances } = parseProofFile(JSON.stringify(proofFile), vk, 'proof.json');
  honest = { name: 'digit 0', proof: new Uint8Array(Buffer.from(proofFile.proof, 'hex')), instances };
  const gen = generateVerifier(vk);
  const c = compileSolidity(gen.source, gen.contractName);
  runtimeBytes = c.runtime.length;
  evm = await InProcessEvm.create();
  at = await evm.deploy(c.creation);
});

test('MNIST verifier: deployed code within EIP-170, the honest proof accepted under the gas target', async () => {
  assert.ok(runtimeBytes <= EIP170_LIMIT, `deployed ${runtimeBytes} bytes`);
  assert.equal(await tsAccepts(vk, honest), true);
  const data = encodeCalldata(honest.proof, honest.instances);
  const res = await evm.call(at, data);
  assert.equal(res.accepted, true, 'rejected on chain');
  assert.ok(res.executionGas <= GAS_TARGET, `execution gas ${res.executionGas}`);
  console.error(`[evm mnist] ${runtimeBytes} bytes deployed, execution gas ${res.executionGas}, ${res.executionGas + BigInt(intrinsicGas(data))} with calldata and the 21000 base`);
});

test('MNIST verifier: every proof element altered and a wrong public value: rejected exactly when verify rejects', async () => {
  // Valid encodings only (the transcript and the pairing must catch them); invalid encodings are covered
  // on the small circuits, where they cost no pairing.
  const cases = tamperCases(vk, honest.proof, honest.instances, 'valid');
  const logits = honest.instances[0]!;
  cases.push({ name: 'last logit + 1', proof: honest.proof, instances: [[...logits.slice(0, -1), logits.at(-1)! + 1n]] });
  for (const c of cases) {
    const ts = await tsAccepts(vk, c);
    const onChain = await evmAccepts(evm, at, vk, c);
    assert.equal(onChain, ts, `${c.name}: EVM ${onChain}, TS ${ts}`);
    assert.equal(ts, false, `${c.name} was accepted`);
  }
});
