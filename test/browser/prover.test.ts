/**
 * Proving in a real browser: the prover's bundles (zkml-prover.js, zkml-kernel-worker.js) carry no Node
 * built-in and the kernels' browser host; `zkml serve-verifier` serves the page cross-origin isolated
 * (COOP/COEP) or, with --no-isolation, not. In Chromium the page proves MNIST from model.zkc, pk.bin and
 * input.json (picked, or dropped together): on one Web Worker per core with shared memory where the page is
 * isolated, on one thread without. Each proof verifies in the page and with the library's `verify` in Node,
 * proves the public values Node's prover proves, and a tampered copy of it is rejected by both. The page's
 * prover function (src/browser/prove.ts) also runs in Node, on the Node host, against api prove.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { compile, prove, serializeZkc, setup, verify, type ProofFile, type PublicValue } from '../../src/api/index.ts';
import { devSrs } from '../../src/commit/index.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
// @ts-expect-error a plain .mjs build script without declarations
import { bundleVerifierPage } from '../../scripts/build-browser.mjs';
import { CHROMIUM, skip } from './chromium.ts';
import { proveInBrowser } from '../../src/browser/prove.ts';
import { ZkmlError } from '../../src/errors.ts';

const root = resolve(import.meta.dirname, '../..');
const mnist = join(root, 'examples', 'mnist');
if (skip) console.log(`# SKIPPING the in-browser proving tests: ${skip}`);

/** The MNIST CNN calibrated on the bundled samples (as `zkml demo` compiles it), its keys, digit 0 and Node's proof of it. */
async function makeMnist() {
  const sampleDir = join(mnist, 'samples');
  const samples = readdirSync(sampleDir).filter((f) => /^digit-\d+\.json$/.test(f)).sort();
  const calibrationText = JSON.stringify({ samples: samples.map((f) => JSON.parse(readFileSync(join(sampleDir, f), 'utf8'))) });
  const { compiled, cost } = compile(join(mnist, 'model.onnx'), { calibrationText, calibrationFile: 'samples' });
  const keys = await setup(compiled, await devSrs(cost.k));
  const input = readFileSync(join(sampleDir, samples[0]!), 'utf8');
  const { proofFile } = await prove(compiled, keys.pkBytes, input);
  const ok = await verify(JSON.stringify(proofFile), keys.vkBytes);
  assert.ok(ok.valid && ok.public);
  return { zkcText: serializeZkc(compiled), pkBytes: keys.pkBytes, vkBytes: keys.vkBytes, input, proofFile, expected: ok.public };
}
let made: ReturnType<typeof makeMnist> | null = null;
const mnistFiles = () => (made ??= makeMnist());

after(() => terminateFfjsCurve());

test('the page\'s prover function, run in Node, proves what api prove proves (same public values, valid) and says what is wrong with bad input', async () => {
  const m = await mnistFiles();
  const stages: string[] = [];
  const r = await proveInBrowser({ zkcText: m.zkcText, pkBytes: m.pkBytes, input: m.input }, (s) => void (stages.at(-1) !== s && stages.push(s)));
  const { proof: _a, ...mine } = r.proofFile;
  const { proof: _b, ...api } = m.proofFile;
  assert.deepEqual(mine, api, 'model, instances, outputs and public values as api prove writes them');
  assert.notEqual(r.proofFile.proof, m.proofFile.proof, 'a fresh blinding');
  assert.ok((await verify(JSON.stringify(r.proofFile), m.vkBytes)).valid);
  assert.deepEqual(r.vkBytes, m.vkBytes, 'the key pk.bin holds is vk.bin');
  assert.deepEqual(Object.keys(r.stages), stages.filter((s) => s !== 'done'), 'one time per reported stage');
  assert.ok(['read key', 'witness', 'circuit digest', 'advice', 'quotient', 'opening'].every((s) => s in r.stages));
  assert.equal(r.sharedMemory, true, 'in Node, on the Node host');
  await assert.rejects(
    proveInBrowser({ zkcText: m.zkcText, pkBytes: m.pkBytes, input: '{"input": [1, 2, 3]}', names: { input: 'digit.json' } }),
    (e: unknown) => e instanceof ZkmlError && /expects 784/.test(e.message),
  );
  await assert.rejects(proveInBrowser({ zkcText: m.zkcText.slice(0, 100), pkBytes: m.pkBytes, input: m.input }), (e: unknown) => e instanceof ZkmlError && /model\.zkc/.test(e.message));
  // A model with committed weights needs the owner's salt, which the page does not take.
  const committed = JSON.stringify({ ...JSON.parse(m.zkcText), committed_weights: true, act_bits: 24, weight_bits: 16 });
  await assert.rejects(proveInBrowser({ zkcText: committed, pkBytes: m.pkBytes, input: m.input }), (e: unknown) => e instanceof ZkmlError && /commits its weights/.test(e.message));
});

interface Bundle {
  js: string;
  inputs: string[];
}

test('the prover bundles for Web Workers: no Node built-in, the kernels on their browser host', async () => {
  const { prover, kernelWorker, inputs: pageInputs } = (await bundleVerifierPage()) as { prover: Bundle; kernelWorker: Bundle; inputs: string[] };
  for (const b of [prover, kernelWorker]) {
    assert.doesNotMatch(b.js, /(?:from|import\s*\(|require\s*\()\s*["'`]node:/, 'no node: import in a worker bundle');
    assert.doesNotMatch(b.js, /\brequire\(/, 'no CommonJS require left');
  }
  assert.ok(prover.inputs.includes('src/kernels/platform.browser.ts') && !prover.inputs.includes('src/kernels/platform.ts'), 'the kernels run on the browser host');
  for (const f of ['src/plonk/prover.ts', 'src/kernels/msm/pool.ts', 'src/kernels/ntt/index.ts', 'src/kernels/expr-eval.ts', 'src/compiler/build.ts'])
    assert.ok(prover.inputs.includes(f), `${f} is in the prover's bundle`);
  for (const f of ['src/kernels/msm/serve.mjs', 'src/kernels/ntt/serve.mjs', 'src/kernels/expr-serve.mjs']) assert.ok(kernelWorker.inputs.includes(f), `${f} serves in the kernel worker`);
  assert.ok(!pageInputs.some((f) => /src\/(kernels|plonk\/prover)/.test(f)), "the page's own bundle leaves proving to the worker");
});

describe('in Chromium', { skip }, () => {
  let dir: string;
  let browser: Browser | undefined;
  const servers: ChildProcess[] = [];
  let isolatedUrl: string;
  let plainUrl: string;
  let vkBytes: Uint8Array;
  let expected: PublicValue[];
  const files = { zkc: '', pk: '', input: '' };

  /** The real command, as a user starts it (port 0: any free port; it prints the URL). */
  async function serve(...args: string[]): Promise<string> {
    const server = spawn(process.execPath, [join(root, 'bin', 'zkml.mjs'), 'serve-verifier', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    servers.push(server);
    return new Promise<string>((ok, fail) => {
      let out = '';
      let err = '';
      server.stdout!.on('data', (d) => {
        out += d;
        const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
        if (m) ok(m[0]);
      });
      server.stderr!.on('data', (d) => (err += d));
      server.once('exit', (code) => fail(new Error(`serve-verifier exited ${code}: ${out}${err}`)));
    });
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'zkml-browser-prove-'));
    // What Node's prover proves for digit 0 (`expected`): the page must prove the same public values.
    const m = await mnistFiles();
    vkBytes = m.vkBytes;
    expected = m.expected;
    files.zkc = join(dir, 'model.zkc');
    files.pk = join(dir, 'pk.bin');
    files.input = join(dir, 'input.json');
    writeFileSync(files.zkc, m.zkcText);
    writeFileSync(files.pk, m.pkBytes);
    writeFileSync(files.input, m.input);
    isolatedUrl = await serve();
    plainUrl = await serve('--no-isolation');
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  });

  after(async () => {
    await browser?.close();
    for (const server of servers) {
      if (server.exitCode !== null) continue;
      const exited = new Promise((ok) => server.once('exit', ok));
      server.kill('SIGTERM');
      await exited;
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function openPage(url: string): Promise<{ page: Page; errors: string[] }> {
    const page = await browser!.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    await page.waitForSelector('#prove-status[data-status="ready"]', { state: 'attached', timeout: 10_000 }).catch((e) => {
      throw new Error(`the page did not start: ${errors.join('; ') || (e as Error).message}`);
    });
    return { page, errors };
  }

  interface Proven {
    status: string;
    text: string;
    threads: number;
    sharedMemory: boolean;
    proveMs: number;
    totalMs: number;
    verified: string;
    verifyReason: string;
    rows: { name: string; kind: string; shape: number[]; values: number[] }[];
  }

  /** Clicks Prove and waits for the proof and the page's verification of it (MNIST: seconds to a minute). */
  async function proveInPage(page: Page): Promise<Proven> {
    await page.click('#prove-button');
    await page.waitForSelector('#prove-status:is([data-status="proven"], [data-status="error"])', { state: 'attached', timeout: 300_000 });
    const status = await page.evaluate(() => document.getElementById('prove-status')!.dataset.status!);
    if (status === 'proven') await page.waitForSelector('#result:is([data-status="valid"], [data-status="invalid"], [data-status="unreadable"])', { state: 'attached', timeout: 60_000 });
    return page.evaluate(() => {
      const s = document.getElementById('prove-status')!;
      return {
        status: s.dataset.status!,
        text: s.dataset.status === 'proven' ? document.getElementById('proof-text')!.textContent! : s.textContent!,
        threads: Number(s.dataset.threads),
        sharedMemory: s.dataset.sharedMemory === 'true',
        proveMs: Number(s.dataset.proveMs),
        totalMs: Number(s.dataset.totalMs),
        verified: document.getElementById('result')!.dataset.status!,
        verifyReason: document.getElementById('reason')!.textContent ?? '',
        rows: Array.from(document.querySelectorAll<HTMLTableRowElement>('#public tbody tr')).map((r) => ({
          name: r.dataset.name!,
          kind: r.dataset.kind!,
          shape: JSON.parse(r.dataset.shape!),
          values: JSON.parse(r.dataset.values!),
        })),
      };
    });
  }

  /** The page's proof: valid in the page and in Node, the public values Node proves; tampered, rejected by both. */
  async function checkProof(page: Page, shown: Proven): Promise<void> {
    assert.equal(shown.status, 'proven', shown.text);
    assert.equal(shown.verified, 'valid', `the page verifies its own proof: ${shown.verifyReason}`);
    assert.deepEqual(shown.rows, expected.map((p) => ({ name: p.name, kind: p.kind, shape: p.shape, values: p.dequantized })));
    const proofFile = JSON.parse(shown.text) as ProofFile;
    const node = await verify(shown.text, vkBytes);
    assert.ok(node.valid, `Node's verify accepts the page's proof: ${node.valid ? '' : node.reason}`);
    assert.deepEqual(node.public, expected, 'the same public values as the proof made in Node');
    // The last evaluation's low bit flipped (it stays a canonical scalar): both verifiers reject it.
    const evalEnd = proofFile.proof.length - 2 * 128;
    const digit = parseInt(proofFile.proof[evalEnd - 1]!, 16);
    const tampered = JSON.stringify({ ...proofFile, proof: proofFile.proof.slice(0, evalEnd - 1) + (digit ^ 1).toString(16) + proofFile.proof.slice(evalEnd) });
    const nodeTampered = await verify(tampered, vkBytes);
    assert.equal(nodeTampered.valid, false, "Node's verify rejects the tampered proof");
    const pageTampered = await page.evaluate(
      async ({ text, vk }) => (await (window as unknown as { zkmlVerify: (t: string, v: Uint8Array) => Promise<{ status: string }> }).zkmlVerify(text, Uint8Array.from(vk))).status,
      { text: tampered, vk: Array.from(vkBytes) },
    );
    assert.equal(pageTampered, 'invalid', 'the page rejects the tampered proof');
  }

  test('cross-origin isolated: model.zkc, pk.bin and input.json picked, proven on one Web Worker per core, verified', async (t) => {
    const { page, errors } = await openPage(isolatedUrl);
    assert.equal(await page.evaluate(() => crossOriginIsolated), true, 'COOP/COEP make the page cross-origin isolated');
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    await page.setInputFiles('#zkc-file', files.zkc);
    await page.setInputFiles('#pk-file', files.pk);
    await page.setInputFiles('#input-file', files.input);
    const shown = await proveInPage(page);
    assert.equal(shown.sharedMemory, true);
    assert.equal(shown.threads, cores, 'one kernel thread per core');
    await checkProof(page, shown);
    assert.deepEqual(errors, []);
    const line = `Chromium ${browser!.version()}, isolated, ${shown.threads} threads: MNIST prove ${shown.proveMs} ms (${shown.totalMs} ms with key, witness and digest)`;
    t.diagnostic(line);
    console.log(`# ${line}`);
    await page.close();
  });

  test('not isolated (no COOP/COEP): the three files dropped together, proven on one thread, verified', async (t) => {
    const { page, errors } = await openPage(plainUrl);
    assert.equal(await page.evaluate(() => crossOriginIsolated), false);
    assert.equal(await page.evaluate(() => typeof SharedArrayBuffer), 'undefined', 'no shared memory without isolation');
    assert.match((await page.textContent('#isolation')) ?? '', /one thread/);
    // The browser reads the three files from disk (pk.bin is 18 MB) into a scratch input outside the panel;
    // the drop carries its File objects, pk.bin renamed so that the page tells it by its 'ZKPK' magic.
    await page.evaluate(() => {
      const scratch = Object.assign(document.createElement('input'), { type: 'file', multiple: true, id: 'scratch' });
      document.body.append(scratch);
    });
    await page.setInputFiles('#scratch', [files.zkc, files.pk, files.input]);
    const dt = await page.evaluateHandle(() => {
      const d = new DataTransfer();
      for (const f of Array.from((document.getElementById('scratch') as HTMLInputElement).files!))
        d.items.add(f.name === 'pk.bin' ? new File([f], 'key-without-extension') : f);
      return d;
    });
    await page.dispatchEvent('#prove-drop', 'drop', { dataTransfer: dt });
    await page.waitForFunction(() => !(document.getElementById('prove-button') as HTMLButtonElement).disabled);
    const shown = await proveInPage(page);
    assert.equal(shown.sharedMemory, false);
    assert.equal(shown.threads, 1, 'the single-thread fallback');
    await checkProof(page, shown);
    assert.deepEqual(errors, []);
    const line = `Chromium ${browser!.version()}, not isolated, 1 thread: MNIST prove ${shown.proveMs} ms (${shown.totalMs} ms with key, witness and digest)`;
    t.diagnostic(line);
    console.log(`# ${line}`);
    await page.close();
  });

  test('a damaged pk.bin is refused with the reason, and the page keeps working', async () => {
    const { page } = await openPage(plainUrl);
    await page.setInputFiles('#zkc-file', files.zkc);
    await page.setInputFiles('#input-file', files.input);
    // The key with its checksum broken: the prover names pk.bin instead of proving.
    const pk = readFileSync(files.pk);
    pk[pk.length - 1] = pk[pk.length - 1]! ^ 1;
    // By path: playwright takes buffers of at most 50 MB, and pk.bin carries the key's coset values.
    const damaged = join(dirname(files.pk), 'damaged', 'pk.bin');
    mkdirSync(dirname(damaged), { recursive: true });
    writeFileSync(damaged, pk);
    await page.setInputFiles('#pk-file', damaged);
    const shown = await proveInPage(page);
    assert.equal(shown.status, 'error');
    assert.match(shown.text, /pk\.bin/);
    assert.equal(await page.evaluate(() => (document.getElementById('prove-button') as HTMLButtonElement).disabled), false, 'Prove can run again');
    await page.close();
  });
});
