/**
 * compile chooses the layout by the cost model and lays each candidate out exactly once: the (width,
 * outputs per dot row, range table bits) triples it priced, the one it kept (the cheapest prediction), and a circuit with tables
 * smaller than the scale's remainder (T < s + 1: remainders checked by limbs) that proves and verifies.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { compile, parseZkc, prove, serializeZkc, setup, verify } from '../../src/api/index.ts';
import { devSrs } from '../../src/commit/index.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import { tinyModelFiles } from '../cli-harness.ts';

const { model, calibrationText, input, remove } = tinyModelFiles('zkml-search-');
after(async () => {
  await terminateFfjsCurve();
  remove();
});

test('compile lays out each candidate once, keeps the cheapest predicted layout, and reports no re-layout', () => {
  let layouts = 0;
  let lastPlanned = 0;
  const r = compile(model, {
    calibrationText,
    scaleBits: 10,
    onLayout: (laid, planned) => {
      assert.equal(laid, layouts++, 'laid counts the layouts before this one');
      assert.ok(planned > laid, `planned ${planned} covers layout ${laid + 1}`);
      lastPlanned = planned;
    },
  });
  assert.ok(r.widthChoices.length >= 3, `${r.widthChoices.length} candidates`);
  assert.equal(layouts, r.widthChoices.length, 'one layout per priced candidate');
  assert.equal(lastPlanned, layouts, 'the plan ends at the layouts made');
  const best = Math.min(...r.widthChoices.map((c) => c.predicted_prove_ms));
  const kept = r.widthChoices.find((c) => c.width === r.layout.params.width && c.dotOutputs === r.layout.params.dotOutputs && c.tableBits === r.layout.params.tableBits)!;
  assert.equal(kept.predicted_prove_ms, best);
  assert.equal(r.cost.k, kept.k);
  // Both choices travel with the compiled model, so setup and prove lay out the same circuit.
  const again = parseZkc(serializeZkc(r.compiled), 'model.zkc');
  assert.equal(again.tableBits ?? 11, r.layout.params.tableBits);
  assert.equal(again.dotOutputs ?? 1, r.layout.params.dotOutputs);
  assert.equal(again.width ?? 8, r.layout.params.width);
  // Outputs per dot row are searched: several C among the candidates.
  assert.ok(new Set(r.widthChoices.map((c) => c.dotOutputs)).size >= 3);
  let fixed = 0;
  compile(model, { calibrationText, scaleBits: 10, width: 4, dotOutputs: 2, tableBits: 9, onLayout: () => fixed++ });
  assert.equal(fixed, 1, 'nothing to search when all three are given');
  // For an on-chain verifier: at most 8 weight columns unless asked (every fixed column costs gas).
  const evm = compile(model, { calibrationText, scaleBits: 10, verifier: 'evm' });
  assert.ok(evm.widthChoices.every((c) => c.width * c.dotOutputs <= 8));
  assert.ok(r.widthChoices.some((c) => c.width * c.dotOutputs > 8));
  assert.throws(() => compile(model, { calibrationText, dotOutputs: 17 }), /dot-outputs/);
  assert.throws(() => compile(model, { calibrationText, verifier: 'gpu' as 'evm' }), /--verifier/);
});

test('range tables below the scale (T = 8 at s = 10): remainders by limbs; proves and verifies; out-of-range T refused', async () => {
  const { compiled, layout } = compile(model, { calibrationText, scaleBits: 10, width: 4, tableBits: 8 });
  assert.equal(layout.params.tableBits, 8);
  assert.equal(compiled.tableBits, 8);
  const { pkBytes, vkBytes } = await setup(compiled, await devSrs(compiled.k));
  const { proofFile } = await prove(compiled, pkBytes, input);
  assert.equal((await verify(JSON.stringify(proofFile), vkBytes)).valid, true);
  assert.throws(() => compile(model, { calibrationText, tableBits: 17 }), /table-bits/);
  assert.throws(() => compile(model, { calibrationText, tableBits: 1 }), /table-bits/);
});
