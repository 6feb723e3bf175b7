/**
 * Generated Solidity verifiers for the small example circuits, compiled with solc and run in an
 * in-process EVM: honest proofs are accepted, and every tampered proof is rejected by the contract
 * exactly when the TypeScript verifier rejects it.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Address } from '@ethereumjs/util';
import { devSrs, type Srs } from '../../src/commit/index.ts';
import { frVecFromInts } from '../../src/field/frvec.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import { keygen } from '../../src/plonk/keygen.ts';
import type { VerifyingKey } from '../../src/plonk/keys.ts';
import { prove } from '../../src/plonk/prover.ts';
import { serializeProof } from '../../src/plonk/encoding/proof.ts';
import { encodeCalldata } from '../../src/evm/calldata.ts';
import { generateVerifier } from '../../src/evm/generate.ts';
import { advice, fixed, instance, mul, sub } from '../../src/plonk/expression.ts';
import { arithmetic, highDegree, squareTable, twoPhase, type Example } from '../plonk/circuits.ts';
import { compileSolidity, EIP170_LIMIT, InProcessEvm } from './harness.ts';
import { evmAccepts, tamperCases, tsAccepts, type Case } from './differential.ts';

after(terminateFfjsCurve);

/**
 * Three instance columns of 2, 0 and 3 values, one read at rotation +1: a0 = i0, a1 = i2(ω·X), and a
 * gate over the empty column (I = 0 there). Exercises the instance Lagrange sums at x·ω^ρ.
 */
function publicColumns(): Example {
  const cs = {
    numFixed: 1,
    numInstance: 3,
    advicePhases: [0, 0, 0],
    challengePhases: [],
    gates: [
      { name: 'a0 = i0', polys: [mul(fixed(0), sub(advice(0), instance(0)))] },
      { name: "a1 = i2'", polys: [mul(fixed(0), sub(advice(1), instance(2, 1)))] },
      { name: 'a2·i1 = 0', polys: [mul(fixed(0), advice(2), instance(1))] },
    ],
    lookupTables: [],
    lookups: [],
    equality: [],
  };
  return {
    circuit: { cs, k: 4, fixed: [frVecFromInts([1, 1])], copies: [], instanceLengths: [2, 0, 3] },
    instances: [[5n, 6n], [], [7n, 8n, 9n]],
    witness: { advice: () => [frVecFromInts([5, 6]), frVecFromInts([8, 9]), frVecFromInts([3, 4])] },
  };
}

let srs: Srs;
let evm: InProcessEvm;
let arith: Deployed;
before(async () => {
  srs = await devSrs(6);
  evm = await InProcessEvm.create();
  arith = await deployExample(arithmetic());
});

interface Deployed {
  vk: VerifyingKey;
  at: Address;
  honest: Case;
}

async function deployExample(ex: Example): Promise<Deployed> {
  const pk = await keygen(srs, ex.circuit);
  const proof = serializeProof(await prove(pk, ex.instances, ex.witness));
  const gen = generateVerifier(pk.vk);
  const compiled = compileSolidity(gen.source, gen.contractName);
  assert.deepEqual(compiled.warnings, []);
  assert.ok(compiled.runtime.length <= EIP170_LIMIT);
  const at = await evm.deploy(compiled.creation);
  return { vk: pk.vk, at, honest: { name: 'honest', proof, instances: ex.instances } };
}


test('an honest proof of each example circuit is accepted (gates, copies, lookups, rotations, two phases, three public columns); changed public values are rejected', async () => {
  const cases: [string, Deployed][] = [['arithmetic', arith]];
  for (const [name, ex] of [
    ['high degree with rotations', highDegree()],
    ['two-column lookup', squareTable([[3, 9], [4, 16], [0, 0]])],
    ['two phases with a challenge', twoPhase()],
    ['three instance columns, one empty, one at rotation +1', publicColumns()],
  ] as const)
    cases.push([name, await deployExample(ex)]);
  for (const [name, d] of cases) {
    assert.equal(await tsAccepts(d.vk, d.honest), true, `${name}: TS`);
    assert.equal(await evmAccepts(evm, d.at, d.vk, d.honest), true, `${name}: EVM`);
  }
  // Each public value of the multi-column circuit changed in turn: rejected by both.
  const pub = cases.at(-1)![1];
  for (const [c, col] of pub.honest.instances.entries())
    for (let i = 0; i < col.length; i++) {
      const instances = pub.honest.instances.map((cc, j) => cc.map((v, t) => (j === c && t === i ? v + 1n : v)));
      const bad: Case = { name: `public value ${c}/${i} + 1`, proof: pub.honest.proof, instances };
      assert.equal(await tsAccepts(pub.vk, bad), false, bad.name);
      assert.equal(await evmAccepts(evm, pub.at, pub.vk, bad), false, bad.name);
    }
});

test('calldata from encodeCalldata is what the contract accepts: selector of verifyProof(uint256[P],uint256[I])', async () => {
  const gen = generateVerifier(arith.vk);
  assert.match(gen.signature, /^verifyProof\(uint256\[\d+\],uint256\[1\]\)$/);
  const data = encodeCalldata(arith.honest.proof, arith.honest.instances);
  assert.equal(data.length, 4 + 32 * (gen.shape.proofWords + gen.shape.instanceWords));
  assert.equal((await evm.call(arith.at, data)).accepted, true);
});

test('every tampered proof, public value and length is rejected by the contract exactly when verify rejects it', async () => {
  const cases = tamperCases(arith.vk, arith.honest.proof, arith.honest.instances);
  assert.ok(cases.length > 60);
  for (const c of cases) {
    const ts = await tsAccepts(arith.vk, c);
    const onChain = await evmAccepts(evm, arith.at, arith.vk, c);
    assert.equal(onChain, ts, `${c.name}: EVM ${onChain}, TS ${ts}`);
    assert.equal(ts, false, `${c.name} was accepted`);
  }
});

test("another circuit's proof is rejected by this circuit's contract, as by verify with this VK", async () => {
  // Same shape, another lookup table: proofs have the same size but belong to another statement.
  const base = arithmetic();
  const other = { ...base, circuit: { ...base.circuit, fixed: [frVecFromInts([1, 1]), frVecFromInts([1, 1]), frVecFromInts([...Array(16).keys()].map((x) => x + 1))] } };
  const otherPk = await keygen(srs, other.circuit);
  const otherProof: Case = { name: 'other circuit', proof: serializeProof(await prove(otherPk, other.instances, other.witness)), instances: other.instances };
  assert.equal(await tsAccepts(otherPk.vk, otherProof), true);
  assert.equal(await tsAccepts(arith.vk, otherProof), false);
  assert.equal(await evmAccepts(evm, arith.at, arith.vk, otherProof), false);
  // And a proof of a different shape (the two-column lookup circuit) cannot even be laid out as calldata for it.
  const sq = await deployExample(squareTable([[2, 4]]));
  assert.equal(await evmAccepts(evm, arith.at, arith.vk, { ...sq.honest, instances: arith.honest.instances }), false);
});

test('a cheating witness (broken gate, forged by a prover that skips its checks) is rejected by both', async () => {
  const pk = await keygen(srs, arithmetic().circuit);
  const rows = [[3, 13], [4, 2], [13, 26]]; // 3·4 ≠ 13
  const forged = await prove(pk, [[26n]], { advice: () => rows.map((r) => frVecFromInts(r)) }, { cheat: true });
  const c: Case = { name: 'forged', proof: serializeProof(forged), instances: [[26n]] };
  assert.equal(await tsAccepts(arith.vk, c), false);
  assert.equal(await evmAccepts(evm, arith.at, arith.vk, c), false);
});
