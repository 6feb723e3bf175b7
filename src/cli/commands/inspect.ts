/** `zkml inspect`: a thin wrapper over inspectModel that prints a summary or JSON. */
import type { Command } from '../command.ts';
import { InvalidArgumentError } from '../../errors.ts';
import type { InspectReport } from '../../model/inspect.ts';

function parseShapes(v: string | true | undefined): Record<string, number[]> | undefined {
  if (v === undefined) return undefined;
  if (v === true) throw new InvalidArgumentError('--input-shape needs a value like input=1,3,224,224');
  const out: Record<string, number[]> = {};
  for (const part of v.split(';')) {
    const [name, dims] = part.split('=');
    if (!name || !dims || dims.split(',').some((d) => !/^\d+$/.test(d))) throw new InvalidArgumentError(`--input-shape '${part}': expected name=d1,d2,...`);
    out[name] = dims.split(',').map(Number);
  }
  return out;
}

function summary(r: InspectReport): string {
  const pct = (x: number | null): string => (x === null ? '-' : `${(100 * x).toFixed(2)} %`);
  const lines = [
    `model      ${r.model} (${r.format}, opset ${r.opset})`,
    `inputs     ${r.inputs.map((i) => `${i.name} [${i.shape}]`).join(', ')}`,
    `outputs    ${r.outputs.map((i) => `${i.name} [${i.shape}]`).join(', ')}`,
    `params     ${r.params.toLocaleString('en-US')}`,
    `ops        ${Object.entries(r.ops).map(([k, v]) => `${k}×${v}`).join(' ')}`,
    `supported  ${r.supported ? 'yes' : `no: ${r.unsupported.map((u) => `${u.op} (${u.node})`).join(', ')}`}`,
  ];
  if (r.renamed_nodes.length > 0) lines.push(`renamed    ${r.renamed_nodes.map((n) => `${n.from} → ${n.to}`).join(', ')} (node names repeated in the file)`);
  if (r.samples > 0) {
    lines.push(
      `scale      2^${r.scale_bits} (${r.tables} lookup table${r.tables === 1 ? '' : 's'}), calibrated on ${r.samples} sample${r.samples === 1 ? '' : 's'}`,
      `float vs onnxruntime   max |diff| ${r.ort_max_abs_diff?.toExponential(2)}`,
      `quantized vs float     top-1 agreement ${pct(r.quant_top1_agreement)}, max |err| ${r.quant_max_abs_err?.toExponential(2)}`,
    );
    if (r.float_accuracy !== null) lines.push(`accuracy   float ${pct(r.float_accuracy)}, quantized ${pct(r.quant_accuracy)}`);
  } else if (r.supported) lines.push('scale      (pass --data samples.json to calibrate and compare)');
  return lines.join('\n');
}

export const inspectCommand: Command = {
  name: 'inspect',
  usage: 'inspect <model.onnx|model.msgpack> [--data x.json] [--labels y.json] [--json]',
  summary: 'ops, parameters, support; float / quantized / onnxruntime agreement',
  async run(args) {
    const { inspectModel } = await import('../../model/inspect.ts');
    const path = args.positionals[0];
    if (!path) throw new InvalidArgumentError('usage: zkml inspect <model.onnx|model.msgpack> [--data samples.json] [--labels labels.json] [--input-shape name=1,3,32,32] [--scale-bits N] [--json]');
    const str = (k: string): string | undefined => {
      const v = args.options[k];
      if (v === true) throw new InvalidArgumentError(`--${k} needs a value`);
      return v;
    };
    const sb = str('scale-bits');
    if (sb !== undefined && !/^\d+$/.test(sb)) throw new InvalidArgumentError(`--scale-bits must be an integer, got '${sb}'`);
    const report = await inspectModel(path, { data: str('data'), labels: str('labels'), inputShapes: parseShapes(args.options['input-shape']), scaleBits: sb === undefined ? undefined : Number(sb) });
    console.log(args.options.json ? JSON.stringify(report, null, 2) : summary(report));
    // Unsupported ops are a user-fixable problem with the model: the ZkmlError exit code.
    return report.supported ? 0 : 2;
  },
};
