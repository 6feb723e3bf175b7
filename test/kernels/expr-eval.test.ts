/** The chunked WASM expression evaluator against a bigint reference (noble Fr), on random DAGs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bn254 } from '@noble/curves/bn254.js';
import { FR_MODULUS } from '../../src/scalar/fr.ts';
import { frVecFromBigints, frVecToBigints } from '../../src/field/frvec.ts';
import { ExprDag, evaluatePlans, type NodeId } from '../../src/kernels/expr-eval.ts';

const F = bn254.fields.Fr;
const r = FR_MODULUS;

/** Deterministic PRNG so a failure reproduces. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

interface Ref {
  at(i: number): bigint;
}

function randomCase(rows: number, seed: number) {
  const rand = rng(seed);
  const cols = Array.from({ length: 4 }, (_, c) =>
    Array.from({ length: rows }, (_, i) => (c === 3 ? r - BigInt(i + 1) : BigInt(Math.floor(rand() * 2 ** 30)) * BigInt(i + c + 1))),
  );
  const vecs = cols.map((c) => frVecFromBigints(c));
  const dag = new ExprDag(rows);
  const refs: Ref[] = [];
  const ids: NodeId[] = [];
  const push = (id: NodeId, ref: Ref) => {
    ids.push(id);
    refs[id] = ref;
  };
  // Leaves at several shifts (including negative and ≥ rows), scalars 0, 1, r−1 and random.
  for (let c = 0; c < cols.length; c++)
    for (const shift of [0, 1, -1, rows + 3]) {
      const s = ((shift % rows) + rows) % rows;
      push(dag.leaf(vecs[c]!, shift), { at: (i) => cols[c]![(i + s) % rows]! });
    }
  for (const v of [0n, 1n, r - 1n, 123456789n]) push(dag.scalar(v), { at: () => v });
  for (let step = 0; step < 60; step++) {
    const a = ids[Math.floor(rand() * ids.length)]!;
    const b = ids[Math.floor(rand() * ids.length)]!;
    const [ra, rb] = [refs[a]!, refs[b]!];
    const op = Math.floor(rand() * 3);
    const id = op === 0 ? dag.add(a, b) : op === 1 ? dag.sub(a, b) : dag.mul(a, b);
    const f = op === 0 ? (x: bigint, y: bigint) => F.add(x, y) : op === 1 ? (x: bigint, y: bigint) => F.sub(x, y) : (x: bigint, y: bigint) => F.mul(x, y);
    if (refs[id] === undefined) push(id, { at: (i) => f(ra.at(i), rb.at(i)) });
  }
  return { dag, ids, refs };
}

test('ExprDag: Σ c_j·root_j matches the bigint reference (shifts wrap, scalars fold, registers reused)', () => {
  // 2048 is one register chunk; 5000 spans three chunks with a partial last one.
  for (const [rows, seed] of [[8, 1], [37, 2], [5000, 3]] as const) {
    const { dag, ids, refs } = randomCase(rows, seed);
    const rand = rng(seed + 100);
    const roots = Array.from({ length: 25 }, () => ids[Math.floor(rand() * ids.length)]!);
    const coeffs = roots.map((_, j) => (j % 5 === 0 ? 0n : BigInt(j * 7919 + 1)));
    const got = frVecToBigints(dag.evaluateCombination(roots, coeffs));
    for (let i = 0; i < rows; i++) {
      let want = 0n;
      roots.forEach((id, j) => (want = F.add(want, F.mul(coeffs[j]!, refs[id]!.at(i)))));
      assert.equal(got[i], want, `rows=${rows} row ${i}`);
    }
  }
});

test('ExprDag: scalar-only roots and repeated roots', () => {
  const dag = new ExprDag(3);
  const v = dag.leaf(frVecFromBigints([2n, 3n, 4n]), 0);
  const s = dag.sub(dag.scalar(10n), v); // 10 − v: the scalar-minus-vector path
  const got = frVecToBigints(dag.evaluateCombination([dag.scalar(5n), s, s], [2n, 1n, 3n]));
  assert.deepEqual(got, [2n, 3n, 4n].map((x) => F.add(10n, F.mul(4n, F.sub(10n, x)))));
});

test('evaluatePlans: plans run on worker threads give the same vectors as on this thread', async () => {
  const cases = [randomCase(37, 11), randomCase(5000, 12), randomCase(8, 13)];
  const plans = cases.map(({ dag, ids }, i) => {
    const roots = ids.slice(-10 - i);
    return { plan: dag.plan(roots, roots.map((_, j) => BigInt(j + 3))), dag, roots };
  });
  const got = await evaluatePlans(plans.map((p) => p.plan));
  plans.forEach(({ dag, roots }, i) => {
    assert.deepEqual(got[i], dag.evaluateCombination(roots, roots.map((_, j) => BigInt(j + 3))), `plan ${i}`);
  });
});
