import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError } from '../../errors.ts';
import type { Command } from '../command.ts';
import { progressBar } from '../progress.ts';
import { memoryBudgetMb } from '../memory-budget.ts';

export const proveCommand: Command = {
  name: 'prove',
  usage: 'prove <model.zkc> <input.json|input.msgpack> --pk <pk.bin> -o <proof.json> [--opening <opening.json>[,<weights-opening.json>]] [--output-opening <dir>] [--max-memory MB] [--json]',
  summary: 'prove one inference; writes the proof with public outputs',
  async run({ positionals, options }) {
    const [zkcPath, inputPath] = positionals;
    const pkPath = typeof options.pk === 'string' ? options.pk : undefined;
    const out = typeof options.o === 'string' ? options.o : undefined;
    if (!zkcPath || !inputPath || !pkPath || !out) throw new InvalidArgumentError('usage: zkml prove <model.zkc> <input.json> --pk <pk.bin> -o <proof.json>');
    // Loaded here, not at the top: `zkml --help` and the other commands start without the prover. The kernel
    // threads are started first, so they boot while the rest of the prover loads.
    (await import('../../kernels/start.ts')).startKernelThreads();
    const [{ parseAnyOpeningFile, prove, readFileOrThrow, readZkc, writeFileAtomic, writeCommitmentFiles }, { committedTensors }] = await Promise.all([
      import('../../api/index.ts'),
      import('../../api/zkc.ts'),
    ]);
    const compiled = readZkc(zkcPath);
    // Openings (from zkml commit), comma-separated: of the committed inputs (salt + values, checked against the
    // input) and of committed weights (salt + digest, checked against the .zkc's weights), before proving.
    if (options.opening === true) throw new InvalidArgumentError('--opening needs a path: --opening <dir>/opening.json');
    const openings: Pick<Parameters<typeof prove>[3] & object, 'opening' | 'openingPath' | 'weightsOpening' | 'weightsOpeningPath'> = {};
    for (const path of typeof options.opening === 'string' ? options.opening.split(',').filter(Boolean) : []) {
      const o = parseAnyOpeningFile(new TextDecoder().decode(readFileOrThrow(path, 'opening')), path);
      const second = () => new InvalidArgumentError(`--opening: ${path} is a second ${'weights' in o ? 'weights' : 'input'} opening; pass at most one of each kind`);
      if ('weights' in o) {
        if (openings.weightsOpening) throw second();
        Object.assign(openings, { weightsOpening: o.weights, weightsOpeningPath: path });
      } else {
        if (openings.opening) throw second();
        Object.assign(openings, { opening: o.inputs, openingPath: path });
      }
    }
    // Committed outputs: their commitments and the opening (salts, values) go to --output-opening <dir>, checked
    // to be free before proving so nothing is written when it is not.
    const committedOutputs = committedTensors(compiled).outputs;
    const openingDir = typeof options['output-opening'] === 'string' ? options['output-opening'] : undefined;
    if (committedOutputs.length && !openingDir)
      throw new InvalidArgumentError(`${zkcPath} commits its output${committedOutputs.length > 1 ? 's' : ''} ${committedOutputs.map((n) => `'${n}'`).join(', ')}: pass --output-opening <dir> for the commitment and the opening`);
    if (!committedOutputs.length && options['output-opening'] !== undefined) throw new InvalidArgumentError(`--output-opening: ${zkcPath} commits no output`);
    if (openingDir) for (const f of ['commitment.json', 'opening.json']) if (existsSync(join(openingDir, f))) throw new InvalidArgumentError(`${join(openingDir, f)} exists; refusing to overwrite it (choose another --output-opening directory)`);
    let input: Uint8Array;
    try {
      input = readFileSync(inputPath);
    } catch {
      throw new InvalidArgumentError(`cannot read input ${inputPath}`);
    }
    const bar = progressBar('proving');
    const { proofFile, timings, outputOpening } = await prove(compiled, readFileOrThrow(pkPath, 'proving key'), input, {
      inputFile: inputPath,
      pkPath,
      onProgress: bar,
      onPrediction: (p) => bar.expect(p.prove_ms),
      maxMemoryMb: memoryBudgetMb(options['max-memory']),
      ...openings,
    });
    if (outputOpening && openingDir) {
      const { openingPath } = writeCommitmentFiles(openingDir, outputOpening);
      console.error(`committed output: commitment → ${join(openingDir, 'commitment.json')}; opening (salt and values: keep it private) → ${openingPath}`);
    }
    writeFileAtomic(out, JSON.stringify(proofFile));
    const commitments = proofFile.public.filter((p) => p.kind === 'commitment').map((p) => ({ name: p.name, commitment: p.commitment }));
    const report = { proof: out, outputs: proofFile.outputs.map((o) => ({ name: o.name, values: o.dequantized })), ...(commitments.length ? { commitments } : {}), ...roundAll(timings) };
    if (options.json) console.log(JSON.stringify(report));
    else {
      for (const c of commitments) console.log(`commitment to ${c.name}: ${c.commitment}`);
      for (const o of report.outputs) console.log(`${o.name}: [${o.values.map((v) => v.toFixed(3)).join(', ')}]`);
      console.log(`witness ${report.witness_ms} ms, proving key ${report.pk_derive_ms} ms, prove ${report.prove_ms} ms → ${out}`);
    }
    return 0;
  },
};

function roundAll(t: { witness_ms: number; pk_derive_ms: number; prove_ms: number }) {
  return { witness_ms: Math.round(t.witness_ms), pk_derive_ms: Math.round(t.pk_derive_ms), prove_ms: Math.round(t.prove_ms) };
}
