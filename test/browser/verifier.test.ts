/**
 * The browser verifier in a real browser: the page bundle has no Node built-ins; `zkml serve-verifier`
 * serves it on 127.0.0.1; in Chromium (Debian's /usr/bin/chromium, driven by playwright-core, which never
 * downloads a browser) proof.json and vk.bin of an MNIST proof made through the library API, given by file
 * picker or by drag and drop, show 'valid' with the proven public values as `verify` decodes them; a
 * tampered evaluation or public value shows 'invalid', a broken file 'unreadable'. Without a Chromium
 * (ZKML_CHROMIUM, else /usr/bin/chromium, installed by chromium.ts where it can) the browser tests skip and say so.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { compile, prove, setup, verify, type PublicValue } from '../../src/api/index.ts';
import { devSrs } from '../../src/commit/index.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
// @ts-expect-error a plain .mjs build script without declarations
import { bundleVerifierPage } from '../../scripts/build-browser.mjs';
import { CHROMIUM, skip } from './chromium.ts';

const root = resolve(import.meta.dirname, '../..');
const mnist = join(root, 'examples', 'mnist');
const noBrowser = skip;
if (noBrowser) console.log(`# SKIPPING the browser verifier tests: ${noBrowser}`);

test('the verifier page bundles for the browser without Node built-ins, kernels or ffjavascript', async () => {
  const { js, inputs } = (await bundleVerifierPage()) as { js: string; inputs: string[] };
  assert.doesNotMatch(js, /["'`]node:/, 'no node: import in the bundle');
  assert.doesNotMatch(js, /\brequire\(/, 'no CommonJS require left in the bundle');
  // wasmcurves' prebuilt BN254 module is the verifier's curve code (src/curve/bn254-wasm.ts); its generators are not.
  const heavy = inputs.filter((f) => /src\/(kernels|poly|compiler|model)\/|ffjavascript|wasmcurves|wasmbuilder|worker_threads/.test(f) && f !== 'node_modules/wasmcurves/build/bn128_wasm.js');
  assert.deepEqual(heavy, [], 'the verifier path reaches no prover module');
  assert.ok(inputs.includes('src/plonk/verifier.ts') && inputs.includes('src/api/proof-file.ts'));
});

describe('in Chromium', { skip: noBrowser }, () => {
  let dir: string;
  let server: ChildProcess | undefined;
  let browser: Browser | undefined;
  let url: string;
  let expected: PublicValue[];
  const files = { proof: '', vk: '', tamperedEval: '', tamperedOutput: '', garbage: '' };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'zkml-browser-'));
    // The MNIST CNN, calibrated on the bundled samples and proven on digit 0, as `zkml demo` does.
    const sampleDir = join(mnist, 'samples');
    const samples = readdirSync(sampleDir).filter((f) => /^digit-\d+\.json$/.test(f)).sort();
    const calibrationText = JSON.stringify({ samples: samples.map((f) => JSON.parse(readFileSync(join(sampleDir, f), 'utf8'))) });
    const { compiled, cost } = compile(join(mnist, 'model.onnx'), { calibrationText, calibrationFile: 'samples' });
    const { pkBytes, vkBytes } = await setup(compiled, await devSrs(cost.k));
    const { proofFile } = await prove(compiled, pkBytes, readFileSync(join(sampleDir, samples[0]!), 'utf8'), { inputFile: samples[0] });
    const text = JSON.stringify(proofFile);
    const ok = await verify(text, vkBytes);
    assert.ok(ok.valid && ok.public);
    expected = ok.public;

    files.proof = join(dir, 'proof.json');
    files.vk = join(dir, 'vk.bin');
    writeFileSync(files.proof, text);
    writeFileSync(files.vk, vkBytes);
    // The last evaluation's low bit flipped (it stays a canonical scalar): the pairing check fails.
    const evalEnd = proofFile.proof.length - 2 * 128; // W and W′ (64 bytes each) follow the evaluations
    const digit = proofFile.proof[evalEnd - 1]!;
    files.tamperedEval = join(dir, 'tampered-eval.json');
    writeFileSync(files.tamperedEval, JSON.stringify({ ...proofFile, proof: proofFile.proof.slice(0, evalEnd - 1) + (parseInt(digit, 16) ^ 1).toString(16) + proofFile.proof.slice(evalEnd) }));
    // A proven output value changed in the instances (the file's labels left as they were).
    const forged = structuredClone(proofFile);
    const col = forged.instances[0]!;
    col[col.length - 1] = (BigInt(col.at(-1)!) + 1n).toString();
    files.tamperedOutput = join(dir, 'tampered-output.json');
    writeFileSync(files.tamperedOutput, JSON.stringify(forged));
    files.garbage = join(dir, 'garbage.json');
    writeFileSync(files.garbage, text.slice(0, 200));

    // The real command, as a user starts it (port 0: any free port; it prints the URL).
    server = spawn(process.execPath, [join(root, 'bin', 'zkml.mjs'), 'serve-verifier', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    url = await new Promise<string>((ok, fail) => {
      let out = '';
      let err = '';
      server!.stdout!.on('data', (d) => {
        out += d;
        const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
        if (m) ok(m[0]);
      });
      server!.stderr!.on('data', (d) => (err += d));
      server!.once('exit', (code) => fail(new Error(`serve-verifier exited ${code}: ${out}${err}`)));
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  });

  after(async () => {
    await browser?.close();
    if (server && server.exitCode === null) {
      const exited = new Promise((ok) => server!.once('exit', ok));
      server.kill('SIGTERM');
      await exited;
    }
    await terminateFfjsCurve();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function openPage(): Promise<Page> {
    const page = await browser!.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    await page.waitForSelector('#result[data-status="ready"]', { state: 'attached', timeout: 10_000 }).catch((e) => {
      throw new Error(`the page did not start: ${errors.join('; ') || (e as Error).message}`);
    });
    return page;
  }

  interface Shown {
    status: string;
    reason: string;
    ms: number;
    rows: { name: string; kind: string; shape: number[]; values: number[] }[];
  }

  async function outcome(page: Page): Promise<Shown> {
    await page.waitForSelector('#result:is([data-status="valid"], [data-status="invalid"], [data-status="unreadable"])', { state: 'attached', timeout: 60_000 });
    return page.evaluate(() => ({
      status: document.getElementById('result')!.dataset.status!,
      reason: document.getElementById('reason')!.textContent ?? '',
      ms: Number(document.getElementById('time')!.dataset.ms),
      rows: Array.from(document.querySelectorAll<HTMLTableRowElement>('#public tbody tr')).map((r) => ({
        name: r.dataset.name!,
        kind: r.dataset.kind!,
        shape: JSON.parse(r.dataset.shape!),
        values: JSON.parse(r.dataset.values!),
      })),
    }));
  }

  /** Marks the shown outcome stale, so that outcome() waits for the run the next action starts. */
  const stale = (page: Page) => page.evaluate(() => void (document.getElementById('result')!.dataset.status = 'stale'));

  /** Picks both files on a fresh page (the key first: the page verifies once both are there). */
  async function pick(page: Page, proof: string, vk: string): Promise<Shown> {
    await page.setInputFiles('#vk-file', vk);
    await page.setInputFiles('#proof-file', proof);
    return outcome(page);
  }

  /** Replaces proof.json on a page that holds both files. */
  async function repick(page: Page, proof: string): Promise<Shown> {
    await stale(page);
    await page.setInputFiles('#proof-file', proof);
    return outcome(page);
  }

  const want = () => expected.map((p) => ({ name: p.name, kind: p.kind, shape: p.shape, values: p.dequantized }));

  test('proof.json and vk.bin by file picker show valid with the proven public values', async (t) => {
    const page = await openPage();
    const shown = await pick(page, files.proof, files.vk);
    assert.equal(shown.status, 'valid', shown.reason);
    assert.deepEqual(shown.rows, want());
    assert.ok(shown.rows.some((r) => r.kind === 'output'), 'the output logits are shown');
    const table = await page.locator('#public').innerText();
    assert.match(table, /output/);
    // A second run in the same page: the JIT is warm, as for a user who verifies another proof.
    const again = await repick(page, files.proof);
    assert.equal(again.status, 'valid');
    const version = browser!.version();
    t.diagnostic(`Chromium ${version}: MNIST proof verified in ${shown.ms} ms (first in the page), ${again.ms} ms (second)`);
    console.log(`# Chromium ${version}: MNIST verify ${shown.ms} ms first, ${again.ms} ms second`);
    await page.close();
  });

  test('proof.json and vk.bin dropped together on the page verify too', async () => {
    const page = await openPage();
    const dt = await page.evaluateHandle(
      ({ proof, vk }) => {
        const d = new DataTransfer();
        d.items.add(new File([proof], 'proof.json', { type: 'application/json' }));
        d.items.add(new File([Uint8Array.from(vk)], 'key-without-extension'));
        return d;
      },
      { proof: readFileSync(files.proof, 'utf8'), vk: Array.from(readFileSync(files.vk)) },
    );
    await page.dispatchEvent('#drop', 'drop', { dataTransfer: dt });
    const shown = await outcome(page);
    assert.equal(shown.status, 'valid', shown.reason);
    assert.deepEqual(shown.rows, want());
    await page.close();
  });

  test('a tampered proof shows invalid with the reason, a broken file unreadable', async () => {
    const page = await openPage();
    const a = await pick(page, files.tamperedEval, files.vk);
    assert.equal(a.status, 'invalid');
    assert.match(a.reason, /pairing|opening|check/i);
    assert.deepEqual(a.rows, [], 'no public values shown for an invalid proof');
    const b = await repick(page, files.tamperedOutput);
    assert.equal(b.status, 'invalid');
    const c = await repick(page, files.garbage);
    assert.equal(c.status, 'unreadable');
    assert.match(c.reason, /proof\.json/);
    assert.equal((await repick(page, files.proof)).status, 'valid');
    await page.close();
  });
});
