/**
 * MNIST proving in Chromium against Node (`npm run bench -- browser [--repeats N] [--json]`): the bundled
 * MNIST CNN compiled and set up through the library API, proven `repeats` times in Node (api prove), then
 * in headless Chromium (Debian's, or ZKML_CHROMIUM; playwright-core) through the page `zkml serve-verifier`
 * serves — cross-origin isolated (kernels on one Web Worker per core) and not (one thread) — by its prove
 * panel, whose prover worker stays warm between proofs as in Node. Medians of the prover's own time
 * (prove_ms: after the key, witness and digest; first proof included), the first proof apart, and the
 * page's verification of its proof.
 */
import { readdirSync, readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { compile, prove, serializeZkc, setup, verify } from '../src/api/index.ts';
import { devSrs } from '../src/commit/index.ts';
import { loadVerifierPage, startVerifierServer } from '../src/cli/commands/serve-verifier.ts';
import { stageClock } from '../src/browser/prove.ts';
import { median } from './median.ts';

const MNIST = resolve(fileURLToPath(new URL('../examples/mnist', import.meta.url)));
const log = (s: string) => process.stderr.write(`${s}\n`);

interface PageRun {
  prove_ms: number;
  total_ms: number;
  verify_ms: number;
  threads: number;
  msm: string;
  stages: Record<string, number>;
}

async function proveInPage(page: Page): Promise<PageRun> {
  await page.evaluate(() => {
    document.getElementById('prove-status')!.dataset.status = 'stale';
    document.getElementById('result')!.dataset.status = 'stale';
  });
  await page.click('#prove-button');
  await page.waitForSelector('#prove-status:is([data-status="proven"], [data-status="error"])', { state: 'attached', timeout: 600_000 });
  await page.waitForSelector('#result:is([data-status="valid"], [data-status="invalid"], [data-status="unreadable"])', { state: 'attached', timeout: 60_000 }).catch(() => {});
  const r = await page.evaluate(() => {
    const s = document.getElementById('prove-status')!.dataset;
    const v = document.getElementById('result')!.dataset.status;
    return { status: s.status, text: document.getElementById('prove-status')!.textContent, valid: v === 'valid', prove_ms: Number(s.proveMs), total_ms: Number(s.totalMs), threads: Number(s.threads), msm: s.msmField ?? '', stages: JSON.parse(s.stages ?? '{}') as Record<string, number>, verify_ms: Number(document.getElementById('time')!.dataset.ms) };
  });
  if (r.status !== 'proven' || !r.valid) throw new Error(`the page did not prove and verify: ${r.text}`);
  return { prove_ms: r.prove_ms, total_ms: r.total_ms, verify_ms: r.verify_ms, threads: r.threads, msm: r.msm, stages: r.stages };
}

export async function run(opts: Record<string, string | true>): Promise<Record<string, unknown>> {
  const repeats = Math.max(1, Number(opts.repeats ?? 3));
  const executablePath = process.env.ZKML_CHROMIUM ?? '/usr/bin/chromium';
  const sampleDir = join(MNIST, 'samples');
  const samples = readdirSync(sampleDir).filter((f) => /^digit-\d+\.json$/.test(f)).sort();
  const calibrationText = JSON.stringify({ samples: samples.map((f) => JSON.parse(readFileSync(join(sampleDir, f), 'utf8'))) });
  const input = readFileSync(join(sampleDir, samples[0]!), 'utf8');
  const { compiled, cost } = compile(join(MNIST, 'model.onnx'), { calibrationText, calibrationFile: 'samples' });
  const { pkBytes, vkBytes } = await setup(compiled, await devSrs(cost.k));

  const nodeTimes: number[] = [];
  const nodeStages: Record<string, number>[] = [];
  for (let r = 0; r < repeats; r++) {
    const clock = stageClock();
    const { proofFile, timings } = await prove(compiled, pkBytes, input, { onProgress: clock.report });
    nodeStages.push(clock.end());
    if (!(await verify(JSON.stringify(proofFile), vkBytes)).valid) throw new Error('the Node proof does not verify');
    nodeTimes.push(timings.prove_ms);
    log(`node ${r + 1}/${repeats}: prove ${Math.round(timings.prove_ms)} ms`);
  }

  const dir = mkdtempSync(join(tmpdir(), 'zkml-bench-browser-'));
  const files = [join(dir, 'model.zkc'), join(dir, 'pk.bin'), join(dir, 'input.json')];
  writeFileSync(files[0]!, serializeZkc(compiled));
  writeFileSync(files[1]!, pkBytes);
  writeFileSync(files[2]!, input);
  const bundle = await loadVerifierPage();
  const browser = await chromium.launch({ executablePath, headless: true });
  const modes: Record<string, PageRun[]> = {};
  try {
    for (const isolated of [true, false]) {
      const { url, server } = await startVerifierServer(bundle, 0, { isolated });
      const page = await browser.newPage();
      await page.goto(url);
      await page.setInputFiles('#zkc-file', files[0]!);
      await page.setInputFiles('#pk-file', files[1]!);
      await page.setInputFiles('#input-file', files[2]!);
      const runs: PageRun[] = [];
      for (let r = 0; r < repeats; r++) {
        runs.push(await proveInPage(page));
        log(`chromium ${isolated ? 'isolated' : 'not isolated'} ${r + 1}/${repeats}: prove ${Math.round(runs.at(-1)!.prove_ms)} ms on ${runs.at(-1)!.threads} thread(s)`);
      }
      modes[isolated ? 'isolated' : 'single'] = runs;
      await page.close();
      server.closeAllConnections();
      server.close();
    }
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const iso = modes.isolated!;
  const one = modes.single!;
  const node = Math.round(median(nodeTimes));
  const med = (rs: PageRun[], k: 'prove_ms' | 'total_ms' | 'verify_ms') => Math.round(median(rs.map((x) => x[k])));
  // Per stage, median ms in Node / Chromium isolated / Chromium single-thread: where the browser loses time.
  const stageMs = (runs: Record<string, number>[], s: string) => Math.round(median(runs.map((x) => x[s] ?? 0)));
  const stages = Object.keys(nodeStages[0]!).map((stage) => ({
    stage,
    node_ms: stageMs(nodeStages, stage),
    isolated_ms: stageMs(iso.map((x) => x.stages), stage),
    single_ms: stageMs(one.map((x) => x.stages), stage),
  }));
  return {
    workload: `MNIST CNN (k = ${cost.k}), ${repeats} proofs each, prove_ms = the prover after key, witness and digest`,
    chromium: browser.version(),
    node_prove_ms: node,
    chromium_isolated_prove_ms: med(iso, 'prove_ms'),
    chromium_isolated_first_prove_ms: Math.round(iso[0]!.prove_ms),
    chromium_isolated_threads: iso[0]!.threads,
    chromium_single_thread_prove_ms: med(one, 'prove_ms'),
    chromium_single_thread_first_prove_ms: Math.round(one[0]!.prove_ms),
    chromium_msm_field: iso[0]!.msm,
    chromium_verify_ms: med(iso, 'verify_ms'),
    ratio_isolated_vs_node: +(med(iso, 'prove_ms') / node).toFixed(2),
    ratio_single_vs_node: +(med(one, 'prove_ms') / node).toFixed(2),
    stages,
  };
}
