/**
 * The prover for a browser: what `zkml prove` does (src/api/index.ts prove), on bytes the caller already
 * holds — the compiled model (.zkc text), pk.bin and one input — down the same layers: witness layout
 * (compiler/), the circuit-digest check and key assembly (plonk/keygen.ts), the prover (plonk/prover.ts)
 * on the WASM kernels. Bundled with platform.browser.ts in place of the kernels' Node host (see
 * scripts/build-browser.mjs), it runs in a Web Worker (prover-worker.ts) so the page stays responsive;
 * the kernels split work over Web Workers where the page is cross-origin isolated and stay on the prover's
 * thread where it is not.
 *
 * Kept in step with api prove by test/browser/prover.test.ts: the page's proof verifies with `verify`.
 */
import { InvalidArgumentError } from '../errors.ts';
import { parseZkc, circuitOptions, committedTensors } from '../api/zkc.ts';
import { parsePkFile } from '../api/pk-file.ts';
import { decodeModelMeta, decodePublicValues } from '../api/public-values.ts';
import type { ProofFile } from '../api/proof-file.ts';
import { buildModelCircuit } from '../compiler/build.ts';
import { parseInputBytes, parseInputs } from '../model/inputs.ts';
import { quantizeInput } from '../model/int-eval.ts';
import { checkCircuitDigest, CircuitMismatchError, provingKeyFromForms, type CircuitColumns } from '../plonk/keygen.ts';
import { prove as plonkProve } from '../plonk/prover.ts';
import { serializeProof } from '../plonk/encoding/proof.ts';
import { serializeVk } from '../plonk/encoding/vk.ts';
import { hardwareThreads, sharedMemory } from '../kernels/platform.ts';
import { msmWasm } from '../kernels/msm/build.ts';

export interface BrowserProveResult {
  proofFile: ProofFile;
  /** vk.bin of the key the proof was made with (pk.bin holds it), for verifying in the page. */
  vkBytes: Uint8Array;
  /** Wall times in milliseconds: reading pk.bin, the witness, the digest check + key assembly, the prover. */
  timings: { pk_read_ms: number; witness_ms: number; pk_derive_ms: number; prove_ms: number; total_ms: number };
  /** Milliseconds per stage, as the progress reports name them (the prover's: advice, lookups, ..., opening). */
  stages: Record<string, number>;
  /** Threads the kernels used, and whether shared memory (cross-origin isolation) allowed more than one. */
  threads: number;
  sharedMemory: boolean;
  /** The MSM's field multiplier: 'f51' where the browser has relaxed SIMD's FMA, else 'f29' (msm/fma.ts). */
  msmField: 'f51' | 'f29';
}

export interface BrowserProveInput {
  /** The compiled model (model.zkc) as text. */
  zkcText: string;
  /** pk.bin. */
  pkBytes: Uint8Array;
  /** The input: JSON text, or the bytes of an input file (JSON or zkml msgpack). */
  input: string | Uint8Array;
  /** File names, for error messages. */
  names?: { zkc?: string; pk?: string; input?: string };
}

/** Times the stages a progress callback names, passing each report on. */
export function stageClock(next?: (stage: string, done: number, total: number) => void) {
  const ms: Record<string, number> = {};
  let stage: string | null = null;
  let since = performance.now();
  const enter = (s: string | null) => {
    const now = performance.now();
    if (stage !== null) ms[stage] = +((ms[stage] ?? 0) + now - since).toFixed(1);
    stage = s;
    since = now;
  };
  return {
    report: (s: string, done: number, total: number) => {
      if (s !== stage) enter(s === 'done' ? null : s);
      next?.(s, done, total);
    },
    end: () => (enter(null), ms),
  };
}

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

/** Proves one inference in this (browser) context; user-caused errors are ZkmlErrors naming the file. */
export async function proveInBrowser(req: BrowserProveInput, onProgress?: (stage: string, done: number, total: number) => void): Promise<BrowserProveResult> {
  const zkcName = req.names?.zkc ?? 'model.zkc';
  const pkName = req.names?.pk ?? 'pk.bin';
  const inputName = req.names?.input ?? 'input.json';
  const stages = stageClock(onProgress);
  onProgress = stages.report;
  const tr = performance.now();
  onProgress('read key', 0, 1);
  const compiled = parseZkc(req.zkcText, zkcName);
  const { vk, circuitDigest, srs, forms } = await parsePkFile(req.pkBytes, pkName);
  const t0 = performance.now();
  onProgress('witness', 0, 1);
  const { model } = compiled;
  const samples = typeof req.input === 'string' ? parseInputs(model.graph, req.input, inputName) : parseInputBytes(model.graph, req.input, inputName, compiled.zkmlScale);
  if (samples.length !== 1) throw new InvalidArgumentError(`${inputName}: expected one input sample, got ${samples.length}`);
  const { inputs: cIn, outputs: cOut } = committedTensors(compiled);
  const committed = [...cIn, ...cOut];
  if (committed.length > 0)
    throw new InvalidArgumentError(`${zkcName} commits ${committed.map((n) => `'${n}'`).join(', ')}: the page proves models without committed inputs or outputs (their salts stay with their owner); use zkml prove`);
  // Committed weights hide behind the owner's salt, which the page never holds: refused, not hashed under salt 0.
  if (compiled.committedWeights)
    throw new InvalidArgumentError(`${zkcName} commits its weights: the page proves models with public weights; use zkml prove --opening`);
  const q: Record<string, ReturnType<typeof quantizeInput>> = {};
  for (const [name, x] of Object.entries(samples[0]!)) q[name] = quantizeInput(name, x, model.settings);
  const mc = buildModelCircuit(model, q, { ...circuitOptions(compiled), salts: {} });
  const t1 = performance.now();
  onProgress('circuit digest', 0, 1);
  let cols: CircuitColumns;
  try {
    cols = checkCircuitDigest(mc.circuit, circuitDigest);
  } catch (e) {
    if (e instanceof CircuitMismatchError) throw new InvalidArgumentError(`${pkName} was made for a different circuit than ${zkcName}`);
    throw e;
  }
  const pk = provingKeyFromForms(vk, cols, srs, forms);
  const t2 = performance.now();
  const proof = await plonkProve(pk, mc.instances, mc.witness, { onProgress });
  const t3 = performance.now();
  const meta = decodeModelMeta(vk.meta, pkName);
  if (!meta || meta.model === null) throw new InvalidArgumentError(`${pkName} has no model metadata or model name (made by an older setup); run setup again`);
  const publicValues = decodePublicValues(meta, mc.instances);
  const proofFile: ProofFile = {
    format: 'zkml-proof',
    version: 1,
    model: meta.model,
    proof: hex(serializeProof(proof)),
    instances: mc.instances.map((col) => col.map((v) => v.toString())),
    outputs: publicValues.filter((p) => p.kind === 'output').map(({ name, shape, values, dequantized }) => ({ name, shape, values, dequantized })),
    public: publicValues,
  };
  const ms = (x: number) => +x.toFixed(1);
  return {
    proofFile,
    vkBytes: serializeVk(vk),
    timings: { pk_read_ms: ms(t0 - tr), witness_ms: ms(t1 - t0), pk_derive_ms: ms(t2 - t1), prove_ms: ms(t3 - t2), total_ms: ms(t3 - tr) },
    stages: stages.end(),
    threads: hardwareThreads(),
    sharedMemory: sharedMemory(),
    msmField: msmWasm().layout.field,
  };
}
