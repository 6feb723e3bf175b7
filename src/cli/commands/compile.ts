import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compile, serializeZkc, writeFileAtomic } from '../../api/index.ts';
import { InvalidArgumentError } from '../../errors.ts';
import type { Command } from '../command.ts';

export const compileCommand: Command = {
  name: 'compile',
  usage: 'compile <model.onnx> -o <dir> --calibrate <data.json> [--scale-bits N] [--k K] [--json]',
  summary: 'quantize and lay out a model; writes <dir>/model.zkc and prints the cost estimate',
  async run({ positionals, options }) {
    const model = positionals[0];
    const out = typeof options.o === 'string' ? options.o : undefined;
    if (!model || !out) throw new InvalidArgumentError('usage: zkml compile <model.onnx> -o <dir> --calibrate <data.json>');
    const calib = typeof options.calibrate === 'string' ? options.calibrate : undefined;
    let calibrationText: string | undefined;
    if (calib) {
      try {
        calibrationText = readFileSync(calib, 'utf8');
      } catch {
        throw new InvalidArgumentError(`cannot read calibration data ${calib}`);
      }
    }
    const t = performance.now();
    const { compiled, cost } = compile(model, {
      calibrationText,
      calibrationFile: calib,
      scaleBits: options['scale-bits'] !== undefined ? Number(options['scale-bits']) : undefined,
      k: options.k !== undefined ? Number(options.k) : undefined,
    });
    const path = join(out, 'model.zkc');
    writeFileAtomic(path, serializeZkc(compiled));
    const report = { zkc: path, scale_bits: compiled.model.settings.scaleBits, ...cost, k: compiled.k, compile_ms: Math.round(performance.now() - t) };
    if (options.json) console.log(JSON.stringify(report));
    else for (const [key, v] of Object.entries(report)) console.log(`${key.padEnd(12)} ${v}`);
    return 0;
  },
};
