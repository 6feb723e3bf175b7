/**
 * Region labels: the CircuitBuilder records a span of rows per change of label (enterRegion / exitRegion),
 * the MockProver reports the label of a failing row, and an unlabelled circuit reports none.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CircuitBuilder } from '../../src/circuit/builder.ts';
import { product } from '../../src/circuit/chips/elementwise.ts';
import { describe, mockProve, regionAt, type RegionLabels } from '../../src/circuit/mock-prover.ts';
import { FR_MODULUS } from '../../src/scalar/fr.ts';
import { frVecFromBigints, frVecToBigints } from '../../src/field/frvec.ts';

/** x·y laid out under `label` (undefined: unlabelled), its output public. */
function products(labels: (string | undefined)[]) {
  const b = new CircuitBuilder();
  const xs = b.privateInputs([2, 3]);
  for (const label of labels) {
    if (label === undefined) b.exitRegion();
    else b.enterRegion(label);
    b.publicOutput(product(b, xs[0]!, xs[1]!));
  }
  return b.build();
}

test('spans start only where the label changes; unlabelled rows have no region', () => {
  const c = products(['p', 'p', undefined, 'q']);
  const r = c.assignment.regions!;
  // Rows 0–1 (the inputs) are unlabelled and come before the first span.
  assert.deepEqual(r.labels, ['p', null, 'q']);
  assert.equal(r.starts.length, 3);
  assert.equal(regionAt(r, 0), undefined);
  assert.equal(regionAt(r, r.starts[0]!), 'p');
  assert.equal(regionAt(r, r.starts[1]! - 1), 'p');
  assert.equal(regionAt(r, r.starts[1]!), undefined);
  assert.equal(regionAt(r, r.starts[2]!), 'q');
  assert.equal(regionAt(r, r.end - 1), 'q');
  assert.equal(regionAt(r, r.end), undefined);
  assert.deepEqual(products([]).assignment.regions, { starts: [], labels: [], end: 2 } satisfies RegionLabels);
});

test('a failing gate and a failing copy name their region; without labels the text is unchanged', () => {
  for (const labelled of [true, false]) {
    const c = products(labelled ? ['first', 'second'] : [undefined, undefined]);
    const row = c.assignment.regions!.end - 1;
    const col = c.assignment.advice.findIndex((a) => (frVecToBigints(a)[row] ?? 0n) === 6n);
    const vals = frVecToBigints(c.assignment.advice[col]!);
    vals[row] = (vals[row]! + 1n) % FR_MODULUS;
    const advice = c.assignment.advice.map((a, j) => (j === col ? frVecFromBigints(vals) : a));
    const fails = mockProve(c.cs, c.k, { ...c.assignment, advice }).failures;
    assert.ok(fails.length > 0);
    for (const f of fails) {
      assert.equal(f.region, labelled ? 'second' : undefined, describe(f));
      assert.equal(describe(f).includes('second'), labelled, describe(f));
    }
  }
});
