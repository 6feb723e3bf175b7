/** `zkml --help` lists the commands; `zkml <command> --help` describes one and runs nothing. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../cli-harness.ts';
import { commands } from '../../src/cli/commands/index.ts';

test('zkml --help lists every command; no command is exit 2 with the list', async () => {
  const h = await runCli('--help');
  assert.equal(h.code, 0);
  for (const c of commands) assert.match(h.out, new RegExp(`^  ${c.name}\\b`, 'm'), c.name);
  const none = await runCli();
  assert.equal(none.code, 2);
});

test('zkml <command> --help prints that command\'s usage and exits 0 without running it', async () => {
  for (const c of commands) {
    // serve-verifier would listen and prove would read files: --help must stop before either.
    const r = await runCli(c.name, '--help');
    assert.equal(r.code, 0, `${c.name}: ${r.err}`);
    assert.match(r.out, new RegExp(`^usage: zkml ${c.name}\\b`), c.name);
  }
});
