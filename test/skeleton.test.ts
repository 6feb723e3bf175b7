import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../src/cli/main.ts';

test('unknown CLI command exits 2', async () => {
  const err = console.error;
  console.error = () => {};
  try {
    assert.equal(await main(['no-such-command']), 2);
  } finally {
    console.error = err;
  }
});
