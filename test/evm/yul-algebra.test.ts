/** The Yul-emitting constraint algebra: sharing, challenge sentinels, and the guard against challenge values used as literals. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { frMul } from '../../src/scalar/fr.ts';
import { permutationDelta } from '../../src/plonk/permutation/delta.ts';
import { YulDag, challengeSentinels, renderYul, type LeafResolver } from '../../src/evm/yul-algebra.ts';
import { ChallengeUseError } from '../../src/evm/constraint-code.ts';
import { generateVerifier } from '../../src/evm/generate.ts';
import { devSrs } from '../../src/commit/index.ts';
import { keygen } from '../../src/plonk/keygen.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import { arithmetic } from '../plonk/circuits.ts';

after(terminateFfjsCurve);

const leaves: LeafResolver = {
  column: (c, rot) => `${c.type}${c.index}_${rot}`,
  poly: (id) => `mload(${id})`,
  challenge: (name) => `mload(${name})`,
};

const render = (roots: Parameters<typeof renderYul>[0]) => {
  let a = 0x1000;
  return renderYul(roots, () => (a += 32), (i, e) => `root${i} := ${e}`);
};

test('a subexpression used twice is computed once into a memory temporary; constants fold', () => {
  const dag = new YulDag(leaves, new Map(), 0);
  const a = dag.column({ type: 'advice', index: 0 }, 0);
  const b = dag.column({ type: 'fixed', index: 0 }, 1);
  const s = dag.add(a, b);
  const e = dag.mul(s, dag.add(b, a)); // b + a is the same node as a + b
  assert.equal(dag.mul(dag.constant(1n), a), a);
  assert.equal(dag.add(dag.constant(0n), b), b);
  const lines = render([e, dag.sub(dag.constant(2n), dag.constant(5n))]);
  assert.equal(lines.filter((l) => l.startsWith('mstore')).length, 1);
  assert.equal(lines[0], 'mstore(0x1020, addmod(advice0_0, fixed0_1, r))');
  assert.equal(lines[1], 'root0 := mulmod(mload(0x1020), mload(0x1020), r)');
  assert.equal(lines[2], `root1 := 0x${(21888242871839275222246405745257275088548364400416034343698204186575808495617n - 3n).toString(16)}`);
});

test('challenge sentinels read the runtime challenge, β·δ^j included', () => {
  const s = challengeSentinels(['beta', 'gamma'], 'seed');
  const dag = new YulDag(leaves, s, 4);
  const lines = render([dag.constant(s.get('gamma')!), dag.constant(frMul(s.get('beta')!, permutationDelta(2))), dag.constant(s.get('beta')!)]);
  assert.equal(lines[0], 'root0 := mload(gamma)');
  assert.equal(lines[1], `root1 := mulmod(mload(beta), 0x${permutationDelta(2).toString(16)}, r)`);
  assert.equal(lines[2], 'root2 := mload(beta)');
});

test('a constraint list that folds a challenge into a literal (θ²) is refused, not miscompiled', async () => {
  const pk = await keygen(await devSrs(6), arithmetic().circuit);
  assert.throws(
    () => generateVerifier(pk.vk, { emitter: (_cs, _shape, ch, alg, emit) => emit('θ²', alg.constant(frMul(ch.theta, ch.theta))) }),
    ChallengeUseError,
  );
  // The same list with θ read as a challenge is fine.
  const ok = generateVerifier(pk.vk, { emitter: (_cs, _shape, ch, alg, emit) => emit('θ·θ', alg.mul(alg.constant(ch.theta), alg.constant(ch.theta))) });
  assert.match(ok.source, /phi := mulmod\(mload\(0x[0-9a-f]+\), mload\(0x[0-9a-f]+\), r\)/);
});
