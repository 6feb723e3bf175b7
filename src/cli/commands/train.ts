/**
 * Proof of training on the command line (src/apps/training):
 *   train-setup --arch D,H,C --batch B [--scale-bits S] [--lr-shift L] [--act-bits A] (--srs f.ptau | --dev) -o <dir>
 *   train-prove --pk pk.bin --weights <weights.json | opening.json> --data dataset.json --steps K -o <dir>
 *   train-verify <training.json> --vk vk.bin [--initial 0x…] [--srs f.ptau]    exit 0 valid, 1 invalid, 2 unreadable
 */
import { chmodSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError } from '../../errors.ts';
import type { Command, ParsedArgs } from '../command.ts';
import { progressBar } from '../progress.ts';

const str = (o: ParsedArgs['options'], k: string): string | undefined => (typeof o[k] === 'string' && o[k] !== '' ? (o[k] as string) : undefined);

/** A non-negative integer option, or its default. */
function intOption(o: ParsedArgs['options'], k: string, dflt?: number): number {
  const v = o[k];
  if (v === undefined && dflt !== undefined) return dflt;
  if (typeof v !== 'string' || !/^\d+$/.test(v)) throw new InvalidArgumentError(`--${k} must be a non-negative integer${v === undefined ? ' (required)' : `, got '${v === true ? '' : v}'`}`);
  return Number(v);
}

const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** Writes `data` to `path` through a temporary file (mode `mode`), so a failure leaves no partial file. */
function writeNew(path: string, data: string, mode: number): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, data, { flag: 'wx', mode });
    chmodSync(tmp, mode);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

export const trainSetupCommand: Command = {
  name: 'train-setup',
  usage: 'train-setup --arch D,H,C --batch B [--scale-bits 7] [--lr-shift 2] [--act-bits 11] (--srs <file.ptau> | --dev) -o <dir> [--json]',
  summary: 'keys of the SGD-step circuit of a D→H→C MLP: <dir>/pk.bin, <dir>/vk.bin',
  async run({ positionals, options }) {
    const [{ writeFileAtomic }, tr] = await Promise.all([import('../../api/files.ts'), import('../../apps/training/index.ts')]);
    const out = str(options, 'o');
    const arch = str(options, 'arch');
    if (!out || !arch || positionals.length > 0) throw new InvalidArgumentError('usage: zkml train-setup --arch D,H,C --batch B (--srs file.ptau | --dev) -o <dir>');
    const sizes = arch.split(',');
    if (sizes.length !== 3 || !sizes.every((s) => /^\d+$/.test(s))) throw new InvalidArgumentError(`--arch must be three layer sizes D,H,C (inputs, hidden, classes), got '${arch}'`);
    const [inputs, hidden, classes] = sizes.map(Number) as [number, number, number];
    const d = tr.DEFAULT_TRAIN_CONFIG;
    const config = tr.checkConfig({
      inputs,
      hidden,
      classes,
      batch: intOption(options, 'batch'),
      scaleBits: intOption(options, 'scale-bits', d.scaleBits),
      lrShift: intOption(options, 'lr-shift', d.lrShift),
      actBits: intOption(options, 'act-bits', d.actBits),
    });
    if (options.dev) console.error('WARNING: --dev makes an INSECURE SRS from a secret known to this process; proofs prove nothing to others.');
    const t = performance.now();
    const { k, rows, pkBytes, vkBytes } = await tr.trainSetup(config, { srsPath: str(options, 'srs'), dev: options.dev === true }, progressBar('keygen'));
    writeFileAtomic(join(out, 'pk.bin'), pkBytes);
    writeFileAtomic(join(out, 'vk.bin'), vkBytes);
    const report = { pk: join(out, 'pk.bin'), vk: join(out, 'vk.bin'), config, k, rows, keygen_ms: Math.round(performance.now() - t) };
    if (options.json) console.log(JSON.stringify(report));
    else for (const [key, v] of Object.entries(report)) console.log(`${key.padEnd(10)} ${typeof v === 'object' ? JSON.stringify(v) : v}`);
    return 0;
  },
};

export const trainProveCommand: Command = {
  name: 'train-prove',
  usage: 'train-prove --pk <pk.bin> --weights <weights.json | opening.json> --data <dataset.json> --steps K -o <dir> [--json]',
  summary: "prove K SGD steps: <dir>/training.json (public), <dir>/opening.json (the owner's: final weights and salts)",
  async run({ positionals, options }) {
    const [{ readFileOrThrow }, tr] = await Promise.all([import('../../api/files.ts'), import('../../apps/training/index.ts')]);
    const [pkPath, weightsPath, dataPath, dir] = [str(options, 'pk'), str(options, 'weights'), str(options, 'data'), str(options, 'o')];
    if (!pkPath || !weightsPath || !dataPath || !dir || positionals.length > 0)
      throw new InvalidArgumentError('usage: zkml train-prove --pk <pk.bin> --weights <weights.json> --data <dataset.json> --steps K -o <dir>');
    const steps = intOption(options, 'steps');
    const [filePath, openingPath] = [join(dir, 'training.json'), join(dir, 'opening.json')];
    for (const f of [filePath, openingPath]) if (existsSync(f)) throw new InvalidArgumentError(`${f} exists; refusing to overwrite it (choose another -o directory)`);
    // Everything is read and checked (and the reference run over every step) before the first proof.
    const pkBytes = readFileOrThrow(pkPath, 'proving key');
    const config = await tr.trainingConfigOfPk(pkBytes, pkPath);
    const start = tr.parseStartWeights(text(readFileOrThrow(weightsPath, 'weights')), weightsPath, config);
    const dataset = tr.parseTrainingDataset(text(readFileOrThrow(dataPath, 'dataset')), dataPath, config);
    const bar = progressBar('training');
    const { file, opening, timings } = await tr.proveTraining(pkBytes, start.weights, dataset, steps, {
      pkPath,
      ...(start.salt !== undefined ? { startSalt: start.salt } : {}),
      ...(start.nextStep !== undefined ? { firstStep: start.nextStep } : {}),
      onStep: (done, total) => bar(`step ${done}/${total}`, done, total),
    });
    mkdirSync(dir, { recursive: true });
    writeNew(openingPath, `${JSON.stringify(opening, null, 1)}\n`, 0o600);
    writeNew(filePath, JSON.stringify(file), 0o644);
    const perStep = timings.prove_ms.reduce((a, b) => a + b, 0) / steps;
    const report = {
      training: filePath,
      opening: openingPath,
      steps,
      initial_weights_commitment: file.initial_weights_commitment,
      final_weights_commitment: file.final_weights_commitment,
      batches_commitment: file.batches_commitment,
      total_ms: Math.round(timings.total_ms),
      prove_ms_per_step: Math.round(perStep),
    };
    if (options.json) console.log(JSON.stringify(report));
    else {
      console.log(`${steps} SGD step${steps === 1 ? '' : 's'} proved in ${report.total_ms} ms (${report.prove_ms_per_step} ms per proof) → ${filePath}`);
      console.log(`initial weights ${file.initial_weights_commitment}\nfinal weights   ${file.final_weights_commitment}\nbatches         ${file.batches_commitment}`);
      console.log(`opening (final weights and every salt: keep it private) → ${openingPath}`);
    }
    return 0;
  },
};

export const trainVerifyCommand: Command = {
  name: 'train-verify',
  usage: 'train-verify <training.json> --vk <vk.bin> [--initial 0x<weights commitment>] [--srs <file.ptau>: also check that vk.bin is the step circuit of its configuration] [--json]',
  summary: 'check a proof of training: exit 0 valid, 1 invalid (with the reason), 2 unreadable input',
  async run({ positionals, options }) {
    const [{ readFileOrThrow }, { verifyTraining }, { loadPtau }, { deserializeVk }] = await Promise.all([
      import('../../api/files.ts'),
      import('../../apps/training/verify.ts'),
      import('../../commit/ptau.ts'),
      import('../../plonk/encoding/vk.ts'),
    ]);
    const path = positionals[0];
    const vkPath = str(options, 'vk');
    if (!path || !vkPath || positionals.length > 1) throw new InvalidArgumentError('usage: zkml train-verify <training.json> --vk <vk.bin>');
    const initial = str(options, 'initial');
    if (initial !== undefined && !/^0x[0-9a-f]{64}$/.test(initial)) throw new InvalidArgumentError('--initial must be a 0x-prefixed 64-digit lowercase hex commitment');
    const t = performance.now();
    const vkBytes = readFileOrThrow(vkPath, 'verifying key');
    // --srs: rebuild the step circuit from the key's configuration and recompute its key over the ceremony's SRS.
    const srsPath = str(options, 'srs');
    const srs = srsPath ? await loadPtau(srsPath, (await deserializeVk(vkBytes, vkPath)).k) : undefined;
    const r = await verifyTraining(text(readFileOrThrow(path, 'training file')), vkBytes, { file: path, vk: vkPath }, { ...(initial ? { initial } : {}), ...(srs ? { srs } : {}) });
    const ms = +(performance.now() - t).toFixed(1);
    if (options.json) console.log(JSON.stringify({ verified: r.valid, reason: r.reason, verify_ms: ms, ...(r.training ?? {}) }));
    else if (!r.valid) console.log(`INVALID: ${r.reason}`);
    else {
      const a = r.training!;
      const c = a.config;
      console.log(`verified (${ms} ms): ${a.steps} SGD step${a.steps === 1 ? '' : 's'} of a ${c.inputs}→${c.hidden}→${c.classes} MLP, batch ${c.batch}, η = 2^-${c.lrShift}, scale 2^${c.scaleBits}`);
      console.log(`  initial weights ${a.initial_weights_commitment}\n  final weights   ${a.final_weights_commitment}\n  batches         ${a.batches_commitment}`);
    }
    return r.valid ? 0 : 1;
  },
};
