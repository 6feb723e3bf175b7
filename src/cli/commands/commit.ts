import { InvalidArgumentError } from '../../errors.ts';
import type { Command } from '../command.ts';

export const commitCommand: Command = {
  name: 'commit',
  usage: 'commit <data.json|data.msgpack> --model <model.zkc> -o <dir> | commit <model.zkc> -o <dir> [--json]',
  summary: "commit to an input, or to a committed-weights model's weights (Poseidon, salted): dir/commitment.json (public), dir/opening.json (the owner's)",
  async run({ positionals, options }) {
    // Only what committing needs: the compiled model's reader, the input parser, Poseidon (no curve code).
    const [{ readFileOrThrow }, { readZkc }, { commitInputs, commitWeights, writeCommitmentFiles }] = await Promise.all([
      import('../../api/files.ts'),
      import('../../api/zkc.ts'),
      import('../../api/commit.ts'),
    ]);
    const usage = 'usage: zkml commit <data.json> --model <model.zkc> -o <dir>, or zkml commit <model.zkc> -o <dir> (committed weights)';
    const target = positionals[0];
    const zkcPath = typeof options.model === 'string' ? options.model : undefined;
    const dir = typeof options.o === 'string' && options.o !== '' ? options.o : undefined;
    if (!target || !dir || positionals.length > 1) throw new InvalidArgumentError(usage);
    // Without --model the argument is the compiled model itself: commit to its weights.
    const weights = zkcPath === undefined;
    if (weights && !target.endsWith('.zkc')) throw new InvalidArgumentError(`${usage} (${target} is not a .zkc; to commit to data, name the model with --model)`);
    const files = weights
      ? commitWeights(readZkc(target), { modelFile: target })
      : commitInputs(readZkc(zkcPath), readFileOrThrow(target, 'input'), { inputFile: target });
    const { commitmentPath, openingPath } = writeCommitmentFiles(dir, files);
    const tensors = files.commitment.tensors;
    if (options.json) console.log(JSON.stringify({ scheme: files.commitment.scheme, commitments: tensors, commitment_file: commitmentPath, opening_file: openingPath }));
    else {
      for (const t of tensors)
        if (weights) console.log(`weights (${t.shape[0]} values): ${t.commitment}`);
        else console.log(`${t.name} [${t.shape.join('×')}] at 2^${t.scale_bits}: ${t.commitment}`);
      const keep = weights ? 'the salt: keep it private, with model.zkc' : 'salt and values: keep it private';
      console.log(`commitment → ${commitmentPath}; opening (${keep}) → ${openingPath}`);
    }
    return 0;
  },
};
