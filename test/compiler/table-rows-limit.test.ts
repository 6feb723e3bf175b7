/** Function tables are capped at MAX_TABLE_ROWS; one that does not fit names the largest scale that fits. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkTableRows, MAX_TABLE_ROWS } from '../../src/compiler/lower/context.ts';

const fail = (why: string): never => {
  throw new Error(why);
};

test('a table up to the cap is accepted; a larger one names the largest scale at which it fits', () => {
  // zkml's MobileNet tail at its own scale 2^17: the softmax exp table spans about 1.77M rows — it fits.
  assert.doesNotThrow(() => checkTableRows({ s: 17, fail }, 'exp table', -1766412, 0));
  assert.doesNotThrow(() => checkTableRows({ s: 17, fail }, 'exp table', 1 - MAX_TABLE_ROWS, 0));
  // Five times the cap at 2^17: 2^14 would hold it (rows halve per bit: ⌈log2 5⌉ = 3 bits).
  assert.throws(() => checkTableRows({ s: 17, fail }, 'exp table', 1 - 5 * MAX_TABLE_ROWS, 0), /exp table domain .* more than 2\^22; it fits at scale 2\^14 \(--scale-bits 14\)/);
  assert.throws(() => checkTableRows({ s: 1, fail }, 'Sigmoid table', 0, 8 * MAX_TABLE_ROWS), /no scale makes it fit/);
});
