/**
 * The Chromium the browser tests drive with playwright-core (which never downloads a browser): ZKML_CHROMIUM,
 * else Debian's /usr/bin/chromium — installed here with apt-get when it is missing and the tests run as
 * root (as .ci/run does). `skip` is false when a browser is there, else the reason the tests skip.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CHROMIUM = process.env.ZKML_CHROMIUM ?? '/usr/bin/chromium';

function install(): string | null {
  if (process.env.ZKML_CHROMIUM || process.getuid?.() !== 0 || spawnSync('sh', ['-c', 'command -v apt-get']).status !== 0) return 'not root or no apt-get';
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const r = spawnSync('sh', ['-c', 'apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium'], { env, stdio: ['ignore', 'ignore', 'pipe'], timeout: 600_000 });
  return r.status === 0 ? null : `apt-get install chromium failed: ${String(r.stderr).trim().split('\n').at(-1) ?? r.status}`;
}

function find(): false | string {
  if (existsSync(CHROMIUM)) return false;
  const why = install();
  if (existsSync(CHROMIUM)) return false;
  return `no Chromium at ${CHROMIUM} and none could be installed (${why}); apt-get install -y chromium, or set ZKML_CHROMIUM`;
}

export const skip: false | string = find();
