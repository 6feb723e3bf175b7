import { InvalidArgumentError } from '../../errors.ts';
import type { Command } from '../command.ts';

export const commitCommand: Command = {
  name: 'commit',
  usage: 'commit <data.json|data.msgpack> --model <model.zkc> -o <dir> [--json]',
  summary: "commit to an input (Poseidon, salted): dir/commitment.json (public), dir/opening.json (the owner's)",
  async run({ positionals, options }) {
    // Only what committing needs: the compiled model's reader, the input parser, Poseidon (no curve code).
    const [{ readFileOrThrow }, { readZkc }, { commitInputs, writeCommitmentFiles }] = await Promise.all([
      import('../../api/files.ts'),
      import('../../api/zkc.ts'),
      import('../../api/commit.ts'),
    ]);
    const dataPath = positionals[0];
    const zkcPath = typeof options.model === 'string' ? options.model : undefined;
    const dir = typeof options.o === 'string' && options.o !== '' ? options.o : undefined;
    if (!dataPath || !zkcPath || !dir || positionals.length > 1) throw new InvalidArgumentError('usage: zkml commit <data.json> --model <model.zkc> -o <dir>');
    const files = commitInputs(readZkc(zkcPath), readFileOrThrow(dataPath, 'input'), { inputFile: dataPath });
    const { commitmentPath, openingPath } = writeCommitmentFiles(dir, files);
    const tensors = files.commitment.tensors;
    if (options.json) console.log(JSON.stringify({ scheme: files.commitment.scheme, commitments: tensors, commitment_file: commitmentPath, opening_file: openingPath }));
    else {
      for (const t of tensors) console.log(`${t.name} [${t.shape.join('×')}] at 2^${t.scale_bits}: ${t.commitment}`);
      console.log(`commitment → ${commitmentPath}; opening (salt and values: keep it private) → ${openingPath}`);
    }
    return 0;
  },
};
