import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Visibility } from '../../compiler/index.ts';
import { InvalidArgumentError } from '../../errors.ts';
import type { Command } from '../command.ts';
import { progressBar } from '../progress.ts';
import { memoryBudgetMb } from '../memory-budget.ts';

export const compileCommand: Command = {
  name: 'compile',
  usage: 'compile <model.onnx|model.msgpack> -o <dir> [--calibrate <data.json|input.msgpack>] [--scale-bits N] [--input-range=LO,HI] [--k K] [--cols N] [--dot-outputs C] [--verifier native|evm] [--table-bits T] [--max-memory MB] [--public-inputs] [--committed-inputs] [--committed-outputs] [--committed-weights [--act-bits B] [--weight-bits W]] [--private-outputs] [--json]',
  summary: 'quantize and lay out a model; writes <dir>/model.zkc and prints the cost estimate',
  async run({ positionals, options }) {
    const [{ compile, serializeZkc, writeFileAtomic }, { loadModel }, { predictCost }] = await Promise.all([
      import('../../api/index.ts'),
      import('../../model/index.ts'),
      import('../../compiler/cost-model.ts'),
    ]);
    const model = positionals[0];
    const out = typeof options.o === 'string' ? options.o : undefined;
    if (!model || !out) throw new InvalidArgumentError('usage: zkml compile <model.onnx> -o <dir> [--calibrate <data.json>]');
    const calib = typeof options.calibrate === 'string' ? options.calibrate : undefined;
    let calibrationBytes: Uint8Array | undefined;
    if (calib) {
      try {
        calibrationBytes = readFileSync(calib);
      } catch {
        throw new InvalidArgumentError(`cannot read calibration data ${calib}`);
      }
    }
    const t = performance.now();
    // Each candidate layout of a large model takes seconds: the bar counts them (time left extrapolated).
    const bar = progressBar('compiling');
    const { compiled, cost, widthChoices, layout, assumed } = compile(model, {
      onLayout: (laid, planned) => bar(`layout ${laid + 1} of ${planned}`, laid, planned),
      calibrationBytes,
      calibrationFile: calib,
      inputRange: inputRangeFlag(options['input-range']),
      scaleBits: options['scale-bits'] !== undefined ? Number(options['scale-bits']) : undefined,
      k: options.k !== undefined ? Number(options.k) : undefined,
      width: options.cols !== undefined ? Number(options.cols) : undefined,
      dotOutputs: options['dot-outputs'] !== undefined ? Number(options['dot-outputs']) : undefined,
      verifier: options.verifier !== undefined ? (String(options.verifier) as 'native' | 'evm') : undefined,
      tableBits: options['table-bits'] !== undefined ? Number(options['table-bits']) : undefined,
      visibility: visibilityFlags(model, options, loadModel),
      committedWeights: committedWeightsFlag(options['committed-weights']),
      actBits: bitsFlag('act-bits', options['act-bits']),
      weightBits: bitsFlag('weight-bits', options['weight-bits']),
    });
    bar('laid out', 1, 1);
    // The estimate, before any proving: the chosen layout's shape (compile laid it out; the layout does not
    // depend on values) and the cost model calibrated on this machine (src/compiler/cost-model.ts).
    const { shape, params } = layout;
    const predicted = predictCost({ ...cost, k: compiled.k }, shape);
    // A model this machine cannot prove is refused now, with the figures, rather than an hour into setup.
    const budgetMb = memoryBudgetMb(options['max-memory']);
    // prove --max-memory evaluates the quotient in smaller pieces, down to min_rss_mb; below that it cannot go.
    if (predicted.min_rss_mb > budgetMb)
      throw new InvalidArgumentError(
        `proving this model is predicted to need ${predicted.min_rss_mb} MB at least (${predicted.peak_rss_mb} MB with the quotient on whole cosets; k = ${compiled.k}, ${cost.rows} rows, ` +
          `predicted prove ${Math.round(predicted.prove_ms / 1000)} s), more than the ${budgetMb} MB budget; ` +
          `compile on (or pass --max-memory for) a larger machine, or lower --scale-bits`,
      );
    const path = join(out, 'model.zkc');
    writeFileAtomic(path, serializeZkc(compiled));
    const compileMs = Math.round(performance.now() - t);
    const report = {
      zkc: path,
      scale_bits: compiled.model.settings.scaleBits,
      calibration: assumed ? 'assumed' : `${compiled.model.settings.samples} sample(s)`,
      ...(assumed ? { assumed_input_ranges: JSON.stringify(assumed.inputRanges) } : {}),
      ...cost,
      k: compiled.k,
      instance: shape.instance,
      columns: cost.advice + cost.fixed + shape.instance,
      ...(compiled.committedWeights ? { committed_weights: true, act_bits: params.actBits, weight_bits: params.weightBits } : {}),
      dot_width: params.width,
      dot_outputs: params.dotOutputs,
      table_bits: params.tableBits,
      inputs_per_row: params.inputsPerRow,
      ...(widthChoices.length ? { width_choices: widthChoices.map((c) => `dot ${c.width}x${c.dotOutputs}, T=${c.tableBits}${c.inputsPerRow > 1 ? `, ${c.inputsPerRow} inputs/row` : ''}: k=${c.k}, ~${c.predicted_prove_ms} ms`).join('; ') } : {}),
      commitments: predicted.commitments,
      predicted_prove_ms: predicted.prove_ms,
      predicted_keygen_ms: predicted.keygen_ms,
      predicted_peak_rss_mb: predicted.peak_rss_mb,
      predicted_min_rss_mb: predicted.min_rss_mb,
      predicted_proof_bytes: predicted.proof_bytes,
      compile_ms: compileMs,
    };
    if (options.json) console.log(JSON.stringify(assumed ? { ...report, note: assumed.note } : report));
    else {
      if (assumed) console.error(`zkml compile: ${assumed.note}`);
      console.log(`estimate (before proving; cost model for this machine, ±~1.5x):`);
      for (const [key, v] of Object.entries(report)) console.log(`  ${key.padEnd(22)} ${v}`);
    }
    return 0;
  },
};

/** --committed-weights: a flag (the weights as a whole are committed; there is nothing to name). */
function committedWeightsFlag(v: string | true | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  if (v !== true) throw new InvalidArgumentError(`--committed-weights takes no value (the model's weights are committed as a whole), got '${v}'`);
  return true;
}

/** --act-bits B, --weight-bits W: signed widths (the API checks their ranges). */
function bitsFlag(name: string, v: string | true | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (v === true || !/^\d+$/.test(v)) throw new InvalidArgumentError(`--${name} needs an integer number of bits, got '${v === true ? '' : v}'`);
  return Number(v);
}

/** --input-range=LO,HI (the `=` form, since LO may be negative): the range assumed without calibration data. */
function inputRangeFlag(v: string | true | undefined): [number, number] | undefined {
  if (v === undefined) return undefined;
  const parts = typeof v === 'string' ? v.split(',').map((x) => Number(x.trim())) : [];
  if (parts.length !== 2 || !parts.every(Number.isFinite) || !(parts[0]! < parts[1]!))
    throw new InvalidArgumentError(`--input-range must be --input-range=LO,HI with finite LO < HI, got ${v === true ? '(no value)' : v}`);
  return [parts[0]!, parts[1]!];
}

/**
 * --public-inputs (every graph input public), --committed-inputs (every graph input private with its
 * Poseidon commitment public), --private-outputs (every graph output private) and --committed-outputs
 * (every graph output private, its commitment public, the opening kept by the prover); with `=` they name
 * tensors: --public-inputs=x,y. Defaults: inputs private, outputs public.
 */
function visibilityFlags(
  modelPath: string,
  options: Record<string, string | true>,
  loadModel: (path: string) => { graph: { inputs: { name: string }[]; outputs: { name: string }[] } },
): Record<string, Visibility> | undefined {
  const pub = options['public-inputs'];
  const priv = options['private-outputs'];
  const committed = options['committed-inputs'];
  const committedOut = options['committed-outputs'];
  if (pub === undefined && priv === undefined && committed === undefined && committedOut === undefined) return undefined;
  const { graph } = loadModel(modelPath);
  const names = (flag: string | true, all: string[]) => (flag === true ? all : flag.split(',').map((x) => x.trim()).filter(Boolean));
  const out: Record<string, Visibility> = {};
  if (pub !== undefined) for (const n of names(pub, graph.inputs.map((v) => v.name))) out[n] = 'public';
  if (priv !== undefined) for (const n of names(priv, graph.outputs.map((v) => v.name))) out[n] = 'private';
  if (committed !== undefined)
    for (const n of names(committed, graph.inputs.map((v) => v.name))) {
      if (out[n] === 'public') throw new InvalidArgumentError(`input '${n}' cannot be both public (--public-inputs) and committed (--committed-inputs)`);
      out[n] = 'committed';
    }
  if (committedOut !== undefined)
    for (const n of names(committedOut, graph.outputs.map((v) => v.name))) {
      if (out[n] === 'private') throw new InvalidArgumentError(`output '${n}' cannot be both private (--private-outputs) and committed (--committed-outputs)`);
      out[n] = 'committed';
    }
  return out;
}
