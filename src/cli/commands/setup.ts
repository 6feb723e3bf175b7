import { join } from 'node:path';
import { InvalidArgumentError } from '../../errors.ts';
import type { Command } from '../command.ts';
import { progressBar } from '../progress.ts';

export const setupCommand: Command = {
  name: 'setup',
  usage: 'setup <model.zkc> (--srs <file.ptau> | --dev) -o <dir> [--json]',
  summary: 'keygen: writes <dir>/pk.bin and <dir>/vk.bin',
  async run({ positionals, options }) {
    const { loadSrs, readZkc, setup, writeFileAtomic } = await import('../../api/index.ts');
    const zkcPath = positionals[0];
    const out = typeof options.o === 'string' ? options.o : undefined;
    if (!zkcPath || !out) throw new InvalidArgumentError('usage: zkml setup <model.zkc> (--srs file.ptau | --dev) -o <dir>');
    const compiled = readZkc(zkcPath);
    if (options.dev) console.error('WARNING: --dev makes an INSECURE SRS from a secret known to this process; proofs prove nothing to others.');
    const t = performance.now();
    const srs = await loadSrs({ srsPath: typeof options.srs === 'string' ? options.srs : undefined, dev: options.dev === true }, compiled.k);
    const bar = progressBar('keygen');
    const { pkBytes, vkBytes } = await setup(compiled, srs, { onProgress: bar, onPrediction: (p) => bar.expect(p.keygen_ms) });
    writeFileAtomic(join(out, 'pk.bin'), pkBytes);
    writeFileAtomic(join(out, 'vk.bin'), vkBytes);
    const report = { pk: join(out, 'pk.bin'), vk: join(out, 'vk.bin'), k: compiled.k, insecure_srs: srs.insecure, keygen_ms: Math.round(performance.now() - t) };
    if (options.json) console.log(JSON.stringify(report));
    else for (const [key, v] of Object.entries(report)) console.log(`${key.padEnd(14)} ${v}`);
    return 0;
  },
};
