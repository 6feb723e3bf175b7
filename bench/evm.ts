/**
 * EVM verifier benchmark (`npm run bench -- evm [--tamper N] [--runs R] [--verifier native] [--json]`): the
 * bundled MNIST model compiled (for an EVM verifier: few columns; `--verifier native`: the fastest-proving
 * layout), set up (dev SRS) and proved through the library API; its Solidity verifier generated,
 * compiled with solc (npm soljson, optimizer runs R, default 10,000) and run in an in-process EVM
 * (@ethereumjs/evm, Prague rules). Reports whether the honest proof is accepted, how many tampered proofs
 * (every proof element altered in turn with valid encodings, and a wrong public value; the first N with
 * --tamper) the contract rejects, its execution gas, the gas of the whole transaction (+ 21,000 and the
 * calldata), and the deployed code size against EIP-170.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile, parseProofFile, prove, setup } from '../src/api/index.ts';
import { devSrs } from '../src/commit/index.ts';
import { deserializeVk } from '../src/plonk/encoding/vk.ts';
import { encodeCalldata } from '../src/evm/calldata.ts';
import { generateVerifier } from '../src/evm/generate.ts';
import { compileSolidity, EIP170_LIMIT, InProcessEvm, intrinsicGas } from '../test/evm/harness.ts';
import { evmAccepts, tamperCases, type Case } from '../test/evm/differential.ts';

const MNIST_DIR = resolve(fileURLToPath(new URL('../examples/mnist/', import.meta.url)));

export async function run(opts: Record<string, string | true>): Promise<Record<string, unknown>> {
  const log = (s: string) => console.error(`[bench evm] ${s}`);
  const dir = join(MNIST_DIR, 'samples');
  const files = readdirSync(dir).filter((f) => /^digit-\d+\.json$/.test(f)).sort();
  const samples = files.map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')));
  // --verifier native: the fastest-proving layout instead of the one with few columns for an EVM verifier.
  const verifier = opts.verifier === 'native' ? 'native' : 'evm';
  const { compiled } = compile(join(MNIST_DIR, 'model.onnx'), { calibrationText: JSON.stringify({ samples }), verifier });
  log(`compiled for a ${verifier} verifier: k=${compiled.k}, dot ${compiled.width ?? 8}x${compiled.dotOutputs ?? 1}`);
  const { pkBytes, vkBytes } = await setup(compiled, await devSrs(compiled.k));
  const vk = await deserializeVk(vkBytes);
  const { proofFile, timings } = await prove(compiled, pkBytes, JSON.stringify(samples[0]));
  const { instances } = parseProofFile(JSON.stringify(proofFile), vk, 'proof.json');
  const proof = new Uint8Array(Buffer.from(proofFile.proof, 'hex'));
  log(`MNIST k=${compiled.k}: proved in ${Math.round(timings.prove_ms)} ms, proof ${proof.length} bytes`);

  let t = performance.now();
  const gen = generateVerifier(vk);
  const generateMs = performance.now() - t;
  const runs = typeof opts.runs === 'string' ? Number(opts.runs) : 10_000;
  t = performance.now();
  const contract = compileSolidity(gen.source, gen.contractName, { runs });
  const solcMs = performance.now() - t;
  log(`${gen.signature}: ${gen.source.length} bytes of Solidity, ${contract.runtime.length} bytes deployed (solc ${contract.solcVersion}, runs ${runs})`);

  const evm = await InProcessEvm.create();
  const at = await evm.deploy(contract.creation);
  const data = encodeCalldata(proof, instances);
  t = performance.now();
  const honest = await evm.call(at, data);
  const callMs = performance.now() - t;

  const honestCase: Case = { name: 'honest', proof, instances };
  let cases = tamperCases(vk, honestCase.proof, honestCase.instances, 'valid');
  cases.push({ name: 'last public value + 1', proof, instances: [[...instances[0]!.slice(0, -1), instances[0]!.at(-1)! + 1n], ...instances.slice(1)] });
  if (typeof opts.tamper === 'string') cases = cases.slice(0, Math.max(0, Number(opts.tamper)));
  let rejected = 0;
  for (const c of cases) if (!(await evmAccepts(evm, at, vk, c))) rejected++;
  log(`tampered proofs rejected: ${rejected}/${cases.length}`);

  return {
    model: 'examples/mnist/model.onnx',
    verifier,
    k: compiled.k,
    dot: `${compiled.width ?? 8}x${compiled.dotOutputs ?? 1}`,
    accepted: honest.accepted,
    tampered_rejected: rejected,
    tampered_total: cases.length,
    gas: Number(honest.executionGas),
    tx_gas: Number(honest.executionGas) + intrinsicGas(data),
    calldata_bytes: data.length,
    deployed_bytes: contract.runtime.length,
    eip170_limit: EIP170_LIMIT,
    solidity_bytes: gen.source.length,
    constraint_statements: gen.constraintStatements,
    solc: contract.solcVersion,
    optimizer_runs: runs,
    generate_ms: Math.round(generateMs),
    solc_ms: Math.round(solcMs),
    evm_call_ms: Math.round(callMs),
    proof_bytes: proof.length,
  };
}
