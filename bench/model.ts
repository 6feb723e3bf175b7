/**
 * End-to-end model benchmark (`npm run bench -- model <model.onnx> [--data samples.json] [--input x.json]
 * [--scale-bits N] [--repeats N] [--json]`): compile (calibrating on --data; the bundled MNIST model
 * defaults to its sample digits), dev SRS, setup (keygen), witness, prove and verify through the library
 * API (src/api). Reports medians over repeats (default 3) and the cost model's prediction beside them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { availableParallelism } from 'node:os';
import { circuitOptions, compile, prove, setup, verify } from '../src/api/index.ts';
import { buildModelCircuit, layoutInputs } from '../src/compiler/index.ts';
import { parseArgs } from '../src/cli/command.ts';
import { devSrs } from '../src/commit/index.ts';
import { costShapeOf, predictCost } from '../src/compiler/cost-model.ts';
import { median } from './median.ts';

const MNIST = resolve(fileURLToPath(new URL('../examples/mnist/model.onnx', import.meta.url)));

/** The bundled MNIST samples as one {"samples": [...]} calibration text, and the first one as the input. */
function mnistSamples(): { calibration: string; input: string } {
  const dir = join(dirname(MNIST), 'samples');
  const files = readdirSync(dir).filter((f) => /^digit-\d+\.json$/.test(f)).sort();
  const objs = files.map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')));
  return { calibration: JSON.stringify({ samples: objs }), input: JSON.stringify(objs[0]) };
}

/** The first sample of a calibration file, as a one-sample input text. */
function firstSample(text: string): string {
  const obj = JSON.parse(text);
  if (Array.isArray(obj)) return JSON.stringify(obj[0]);
  if (obj && typeof obj === 'object' && Array.isArray(obj.samples)) return JSON.stringify(obj.samples[0]);
  return text;
}

export async function run(opts: Record<string, string | true>): Promise<Record<string, unknown>> {
  // bench/run.ts passes options only; the model path is the positional after the bench name.
  const { positionals } = parseArgs(process.argv.slice(2));
  const modelArg = typeof opts.model === 'string' ? opts.model : positionals[1];
  if (!modelArg) throw new Error('usage: npm run bench -- model <model.onnx> [--data samples.json] [--repeats N] [--json]');
  const modelPath = resolve(modelArg);
  const repeats = Math.max(1, Number(opts.repeats ?? 3));
  let calibration: string;
  let input: string;
  if (typeof opts.data === 'string') {
    calibration = readFileSync(opts.data, 'utf8');
    input = typeof opts.input === 'string' ? readFileSync(opts.input, 'utf8') : firstSample(calibration);
  } else if (modelPath === MNIST) {
    ({ calibration, input } = mnistSamples());
    if (typeof opts.input === 'string') input = readFileSync(opts.input, 'utf8');
  } else throw new Error(`${modelArg}: --data samples.json is required (only examples/mnist/model.onnx has bundled samples)`);
  const scaleBits = opts['scale-bits'] !== undefined ? Number(opts['scale-bits']) : undefined;
  const log = (s: string) => console.error(`[bench model] ${s}`);

  const compileTimes: number[] = [];
  const keygenTimes: number[] = [];
  const proveKeygenTimes: number[] = [];
  const witnessTimes: number[] = [];
  const proveTimes: number[] = [];
  const verifyTimes: number[] = [];
  let compiled!: ReturnType<typeof compile>['compiled'];
  let cost!: ReturnType<typeof compile>['cost'];
  for (let r = 0; r < repeats; r++) {
    const t = performance.now();
    ({ compiled, cost } = compile(modelPath, { calibrationText: calibration, calibrationFile: 'calibration', ...(scaleBits !== undefined ? { scaleBits } : {}) }));
    compileTimes.push(performance.now() - t);
  }
  log(`compiled ${basename(modelPath)}: k=${compiled.k} rows=${cost.rows} advice=${cost.advice} fixed=${cost.fixed} lookups=${cost.lookups}`);

  const ts = performance.now();
  const srs = await devSrs(compiled.k);
  const cores = availableParallelism();
  /** CPU use of a phase: (user + sys) / wall / cores over the whole process (every worker thread counts). */
  const cpuMeter = () => {
    const [c0, w0] = [process.cpuUsage(), performance.now()];
    return () => {
      const c = process.cpuUsage(c0);
      return +((c.user + c.system) / 1000 / (performance.now() - w0) / cores).toFixed(3);
    };
  };
  const srsMs = performance.now() - ts;

  // Keygen once through setup (keygen_ms). api.prove reads pk.bin (pk_read_ms: checksum, VK, SRS; the
  // polynomial forms are views into it) and checks the rebuilt circuit's digest before assembling the key
  // from the stored forms: pk_derive_ms.
  const tk = performance.now();
  const keygenCpu = cpuMeter();
  const { pk, pkBytes, vkBytes } = await setup(compiled, srs);
  keygenTimes.push(performance.now() - tk);
  const keygenUtil = keygenCpu();
  log(`keygen ${Math.round(keygenTimes[0]!)} ms`);

  let proofBytes = 0;
  let verified = true;
  const proveUtil: number[] = [];
  const readTimes: number[] = [];
  const stageTimes: Record<string, number[]> = {};
  for (let r = 0; r < repeats; r++) {
    const proveCpu = cpuMeter();
    // Time per stage: from one onProgress report to the next (the prover's rounds, PROTOCOL §3–4).
    const marks: [string, number][] = [];
    const onProgress = (stage: string) => void marks.push([stage, performance.now()]);
    const { proofFile, timings } = await prove(compiled, pkBytes, input, { inputFile: 'input', onProgress });
    for (let i = 0; i + 1 < marks.length; i++) (stageTimes[marks[i]![0]] ??= []).push(marks[i + 1]![1] - marks[i]![1]);
    proveUtil.push(proveCpu());
    witnessTimes.push(timings.witness_ms);
    proveKeygenTimes.push(timings.pk_derive_ms);
    readTimes.push(timings.pk_read_ms);
    proveTimes.push(timings.prove_ms);
    proofBytes = proofFile.proof.length / 2;
    const text = JSON.stringify(proofFile);
    const tv = performance.now();
    const res = await verify(text, vkBytes);
    verifyTimes.push(performance.now() - tv);
    verified &&= res.valid;
    log(`repeat ${r + 1}/${repeats}: witness ${Math.round(timings.witness_ms)} ms, prove ${Math.round(timings.prove_ms)} ms, verify ${verifyTimes.at(-1)!.toFixed(1)} ms, ${res.valid ? 'verified' : 'NOT verified'}`);
  }
  if (!verified) throw new Error('benchmark proof did not verify');

  const cs = pk.vk.cs;
  const predicted = predictCost({ ...cost, k: compiled.k }, costShapeOf(cs, compiled.k));
  return {
    model: basename(modelPath),
    repeats,
    verified,
    compile_ms: Math.round(median(compileTimes)),
    dev_srs_ms: Math.round(srsMs),
    keygen_ms: Math.round(median(keygenTimes)),
    pk_read_ms: Math.round(median(readTimes)),
    pk_derive_ms: Math.round(median(proveKeygenTimes)),
    pk_bytes: pkBytes.length,
    witness_ms: Math.round(median(witnessTimes)),
    prove_ms: Math.round(median(proveTimes)),
    verify_ms: +median(verifyTimes).toFixed(1),
    proof_bytes: proofBytes,
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    rows: cost.rows,
    columns: cs.advicePhases.length + cs.numFixed + cs.numInstance,
    advice: cs.advicePhases.length,
    fixed: cs.numFixed,
    instance: cs.numInstance,
    lookups: cost.lookups,
    k: compiled.k,
    ...linearLayerCells(compiled),
    cores,
    cpu_util: { keygen: keygenUtil, prove: +median(proveUtil).toFixed(3) },
    stages_ms: Object.fromEntries(Object.entries(stageTimes).map(([s, ts]) => [s, +median(ts).toFixed(1)])),
    predicted,
  };
}

/**
 * Advice cells per multiply-accumulate of the linear layers: the rows laid out for Conv / Gemm / MatMul
 * nodes (their dot rows, rescales and copies, by the layout's region labels) times the advice columns,
 * over the MACs those nodes compute (output elements × products per output).
 */
function linearLayerCells(compiled: ReturnType<typeof compile>['compiled']): { linear_macs: number; advice_cells_per_mac: number | null } {
  const { graph } = compiled.model;
  const shape = (name: string): number[] => {
    const s = graph.valueInfo[name]?.shape ?? graph.initializers[name]?.shape ?? graph.inputs.find((v) => v.name === name)?.shape ?? [];
    return s.map((d) => (typeof d === 'number' ? d : 1));
  };
  const prod = (xs: number[]): number => xs.reduce((a, b) => a * b, 1);
  const macsOf = new Map<string, number>();
  for (const n of graph.nodes) {
    const out = prod(shape(n.outputs[0]!));
    if (n.op === 'Conv') {
      const w = shape(n.inputs[1]!);
      macsOf.set(n.name, out * prod(w.slice(1)));
    } else if (n.op === 'Gemm' || n.op === 'MatMul') {
      const a = shape(n.inputs[0]!);
      const transA = n.op === 'Gemm' && n.attrs['transA']?.type === 'int' && n.attrs['transA'].value === 1;
      macsOf.set(n.name, out * (transA ? a[a.length - 2]! : a[a.length - 1]!));
    }
  }
  const linear_macs = [...macsOf.values()].reduce((a, b) => a + b, 0);
  const mc = buildModelCircuit(compiled.model, layoutInputs(compiled.model), circuitOptions(compiled));
  const regions = mc.assignment.regions;
  if (!regions || linear_macs === 0) return { linear_macs, advice_cells_per_mac: null };
  let rows = 0;
  regions.labels.forEach((label, i) => {
    const m = label ? /^(?:Conv|Gemm|MatMul) '(.*)'$/.exec(label) : null;
    if (m && macsOf.has(m[1]!)) rows += (regions.starts[i + 1] ?? regions.end) - regions.starts[i]!;
  });
  return { linear_macs, advice_cells_per_mac: +((rows * mc.cs.advicePhases.length) / linear_macs).toFixed(3) };
}
