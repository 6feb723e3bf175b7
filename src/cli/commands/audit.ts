/**
 * The trustless audit on the command line (src/apps/audit):
 *   audit-setup <model.zkc> --metric M (--srs f.ptau | --dev) -o <dir>    keys of the model's audit circuit
 *   audit-commit <model.zkc> --data dataset.json -o <dir>                 the dataset's commitment, before auditing
 *   audit <model.zkc> --data dataset.json --metric M --pk pk.bin -o audit.json [--opening dataset-opening.json]
 *   audit-verify <audit.json> --vk vk.bin [--dataset dataset-commitment.json]   exit 0 valid, 1 invalid, 2 unreadable
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError } from '../../errors.ts';
import type { Command, ParsedArgs } from '../command.ts';
import { progressBar } from '../progress.ts';

const str = (o: ParsedArgs['options'], k: string): string | undefined => (typeof o[k] === 'string' && o[k] !== '' ? (o[k] as string) : undefined);

export const auditSetupCommand: Command = {
  name: 'audit-setup',
  usage: 'audit-setup <model.zkc> --metric accuracy|confusion|per-class-rate (--srs <file.ptau> | --dev) -o <dir> [--json]',
  summary: "keys of the model's audit circuit for one metric: <dir>/pk.bin, <dir>/vk.bin",
  async run({ positionals, options }) {
    const [{ readZkc, writeFileAtomic }, { auditSetup, parseMetric }] = await Promise.all([import('../../api/index.ts'), import('../../apps/audit/index.ts')]);
    const zkcPath = positionals[0];
    const out = str(options, 'o');
    if (!zkcPath || !out || positionals.length > 1) throw new InvalidArgumentError('usage: zkml audit-setup <model.zkc> --metric <metric> (--srs file.ptau | --dev) -o <dir>');
    const metric = parseMetric(options.metric);
    const compiled = readZkc(zkcPath);
    if (options.dev) console.error('WARNING: --dev makes an INSECURE SRS from a secret known to this process; proofs prove nothing to others.');
    const t = performance.now();
    const { k, pkBytes, vkBytes } = await auditSetup(compiled, metric, { srsPath: str(options, 'srs'), dev: options.dev === true }, progressBar('keygen'));
    writeFileAtomic(join(out, 'pk.bin'), pkBytes);
    writeFileAtomic(join(out, 'vk.bin'), vkBytes);
    const report = { pk: join(out, 'pk.bin'), vk: join(out, 'vk.bin'), metric, k, keygen_ms: Math.round(performance.now() - t) };
    if (options.json) console.log(JSON.stringify(report));
    else for (const [key, v] of Object.entries(report)) console.log(`${key.padEnd(10)} ${v}`);
    return 0;
  },
};

export const auditCommand: Command = {
  name: 'audit',
  usage: 'audit <model.zkc> --data <dataset.json> --metric <metric> --pk <pk.bin> -o <audit.json> [--opening <dataset-opening.json>] [--json]',
  summary: 'prove the metric over a committed dataset: one chained proof per sample',
  async run({ positionals, options }) {
    const [{ readFileOrThrow, readZkc, writeFileAtomic }, audit] = await Promise.all([import('../../api/index.ts'), import('../../apps/audit/index.ts')]);
    const zkcPath = positionals[0];
    const [dataPath, pkPath, out] = [str(options, 'data'), str(options, 'pk'), str(options, 'o')];
    if (!zkcPath || !dataPath || !pkPath || !out || positionals.length > 1)
      throw new InvalidArgumentError('usage: zkml audit <model.zkc> --data <dataset.json> --metric <metric> --pk <pk.bin> -o <audit.json>');
    const metric = audit.parseMetric(options.metric);
    const compiled = readZkc(zkcPath);
    // Everything is read and checked before the first proof; audit.json is written whole at the end.
    const dataset = audit.parseAuditDataset(compiled, new TextDecoder().decode(readFileOrThrow(dataPath, 'dataset')), dataPath, audit.auditClasses(compiled));
    const openingPath = str(options, 'opening');
    if (options.opening === true) throw new InvalidArgumentError('--opening needs a path: --opening <dir>/dataset-opening.json');
    const seed = openingPath ? audit.parseDatasetOpening(new TextDecoder().decode(readFileOrThrow(openingPath, 'dataset opening')), openingPath) : undefined;
    const pkBytes = readFileOrThrow(pkPath, 'proving key');
    const bar = progressBar('auditing');
    const { audit: file, timings } = await audit.proveAudit(compiled, pkBytes, dataset, metric, {
      pkPath,
      ...(seed !== undefined ? { seed } : {}),
      onSample: (done, total) => bar(`sample ${done}/${total}`, done, total),
    });
    writeFileAtomic(out, JSON.stringify(file));
    const report = {
      audit: out,
      metric,
      samples: file.samples,
      result: file.result,
      dataset_commitment: file.dataset_commitment,
      labels_commitment: file.labels_commitment,
      prove_ms: Math.round(timings.prove_ms),
    };
    if (options.json) console.log(JSON.stringify(report));
    else {
      console.log(`${metric} over ${file.samples} samples: ${JSON.stringify(file.result)}`);
      console.log(`dataset commitment ${file.dataset_commitment}\nlabels commitment  ${file.labels_commitment}`);
      console.log(`proved in ${report.prove_ms} ms → ${out}`);
    }
    return 0;
  },
};

export const auditVerifyCommand: Command = {
  name: 'audit-verify',
  usage: 'audit-verify <audit.json> --vk <vk.bin> [--dataset <dataset-commitment.json>] [--json]',
  summary: 'check an audit: exit 0 valid, 1 invalid (with the reason), 2 unreadable input',
  async run({ positionals, options }) {
    const [{ readFileOrThrow }, { verifyAudit }, { parseDatasetCommitment }] = await Promise.all([
      import('../../api/files.ts'),
      import('../../apps/audit/verify.ts'),
      import('../../apps/audit/dataset-commitment.ts'),
    ]);
    const path = positionals[0];
    const vkPath = str(options, 'vk');
    if (!path || !vkPath || positionals.length > 1) throw new InvalidArgumentError('usage: zkml audit-verify <audit.json> --vk <vk.bin>');
    const t = performance.now();
    const datasetPath = str(options, 'dataset');
    const expected = datasetPath ? parseDatasetCommitment(new TextDecoder().decode(readFileOrThrow(datasetPath, 'dataset commitment')), datasetPath) : undefined;
    const r = await verifyAudit(new TextDecoder().decode(readFileOrThrow(path, 'audit')), readFileOrThrow(vkPath, 'verifying key'), { audit: path, vk: vkPath }, expected);
    const ms = +(performance.now() - t).toFixed(1);
    if (options.json) console.log(JSON.stringify({ verified: r.valid, reason: r.reason, verify_ms: ms, ...(r.audit ?? {}) }));
    else if (!r.valid) console.log(`INVALID: ${r.reason}`);
    else {
      const a = r.audit!;
      console.log(`verified (${ms} ms): ${a.metric} of ${a.model} over ${a.samples} samples: ${JSON.stringify(a.result)}`);
      console.log(`  dataset commitment ${a.dataset_commitment}\n  labels commitment  ${a.labels_commitment}`);
    }
    return r.valid ? 0 : 1;
  },
};

export const auditCommitCommand: Command = {
  name: 'audit-commit',
  usage: 'audit-commit <model.zkc> --data <dataset.json> -o <dir> [--json]',
  summary: "commit to a labelled dataset: dir/dataset-commitment.json (public), dir/dataset-opening.json (the owner's seed)",
  async run({ positionals, options }) {
    const [{ readFileOrThrow, readZkc }, audit] = await Promise.all([import('../../api/index.ts'), import('../../apps/audit/index.ts')]);
    const zkcPath = positionals[0];
    const [dataPath, dir] = [str(options, 'data'), str(options, 'o')];
    if (!zkcPath || !dataPath || !dir || positionals.length > 1) throw new InvalidArgumentError('usage: zkml audit-commit <model.zkc> --data <dataset.json> -o <dir>');
    const compiled = readZkc(zkcPath);
    const dataset = audit.parseAuditDataset(compiled, new TextDecoder().decode(readFileOrThrow(dataPath, 'dataset')), dataPath, audit.auditClasses(compiled));
    const seed = audit.newSeed();
    const commitment = audit.commitDataset(dataset, seed);
    const [cPath, oPath] = [join(dir, 'dataset-commitment.json'), join(dir, 'dataset-opening.json')];
    for (const f of [cPath, oPath]) if (existsSync(f)) throw new InvalidArgumentError(`${f} exists; refusing to overwrite it (choose another -o directory)`);
    mkdirSync(dir, { recursive: true });
    // 'wx': created here or not at all; the opening (the seed of every salt) is readable by its owner only.
    writeFileSync(oPath, `${JSON.stringify(audit.datasetOpening(seed), null, 1)}\n`, { flag: 'wx', mode: 0o600 });
    writeFileSync(cPath, `${JSON.stringify(commitment, null, 1)}\n`, { flag: 'wx', mode: 0o644 });
    if (options.json) console.log(JSON.stringify({ ...commitment, commitment_file: cPath, opening_file: oPath }));
    else {
      console.log(`${commitment.samples} samples: dataset ${commitment.dataset_commitment}, labels ${commitment.labels_commitment}`);
      console.log(`commitment → ${cPath}; opening (the seed of every salt: keep it private) → ${oPath}`);
    }
    return 0;
  },
};
