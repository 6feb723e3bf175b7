/** `zkml export-verifier` (a Solidity verifier for a vk.bin) and `zkml calldata` (a proof.json as calldata). */
import { InvalidArgumentError } from '../../errors.ts';
import type { Command } from '../command.ts';

/** Above this many key commitments, export-verifier says that an EVM layout (compile --verifier evm) costs less gas. */
const EVM_KEY_COMMITMENTS_NOTE = 40;

export const exportVerifierCommand: Command = {
  name: 'export-verifier',
  usage: 'export-verifier --vk <vk.bin> -o <Verifier.sol> [--contract Name] [--json]',
  summary: 'Solidity verifier for one verifying key (BN254 precompiles; zkml calldata feeds it)',
  async run({ options }) {
    // Loaded on use, so that `zkml --help` and the other commands do not load the generator.
    const [{ readFileOrThrow, writeFileAtomic }, { verifierFromVkBytes }] = await Promise.all([import('../../api/files.ts'), import('../../evm/files.ts')]);
    const vkPath = typeof options.vk === 'string' ? options.vk : undefined;
    const out = typeof options.o === 'string' ? options.o : undefined;
    if (!vkPath || !out) throw new InvalidArgumentError('usage: zkml export-verifier --vk <vk.bin> -o <Verifier.sol> [--contract Name]');
    if (options.contract === true) throw new InvalidArgumentError('--contract needs a name');
    const gen = await verifierFromVkBytes(readFileOrThrow(vkPath, 'verifying key'), vkPath, {
      ...(typeof options.contract === 'string' ? { contractName: options.contract } : {}),
    });
    writeFileAtomic(out, gen.source);
    const report = { verifier: out, contract: gen.contractName, function: gen.signature, proof_words: gen.shape.proofWords, public_values: gen.shape.instanceWords, key_commitments: gen.keyCommitments };
    // Each key commitment is one ecMul on chain: a layout compiled for proving speed can open many.
    if (gen.keyCommitments > EVM_KEY_COMMITMENTS_NOTE)
      console.error(`zkml export-verifier: this key opens ${gen.keyCommitments} fixed and σ commitments (~6k gas each); compiling the model with --verifier evm gives a layout with fewer`);
    if (options.json) console.log(JSON.stringify(report));
    else console.log(`contract ${gen.contractName}, ${gen.signature} → ${out}`);
    return 0;
  },
};

export const calldataCommand: Command = {
  name: 'calldata',
  usage: 'calldata <proof.json> [--vk <vk.bin>] [-o <calldata.hex>]',
  summary: "the proof and its public values as calldata for the exported verifier's verifyProof (0x-hex)",
  async run({ positionals, options }) {
    const [{ readFileOrThrow, writeFileAtomic }, { toHex }, { calldataFromProofFile }] = await Promise.all([
      import('../../api/files.ts'),
      import('../../evm/calldata.ts'),
      import('../../evm/files.ts'),
    ]);
    const proofPath = positionals[0];
    if (!proofPath) throw new InvalidArgumentError('usage: zkml calldata <proof.json> [--vk <vk.bin>] [-o <calldata.hex>]');
    if (options.vk === true || options.o === true || options.o === '') throw new InvalidArgumentError('--vk and -o need a file name');
    const vkPath = typeof options.vk === 'string' ? options.vk : undefined;
    const text = new TextDecoder().decode(readFileOrThrow(proofPath, 'proof'));
    const { calldata, signature } = await calldataFromProofFile(text, proofPath, vkPath ? { bytes: readFileOrThrow(vkPath, 'verifying key'), path: vkPath } : undefined);
    const out = typeof options.o === 'string' ? options.o : undefined;
    if (!out) {
      console.log(toHex(calldata));
      return 0;
    }
    writeFileAtomic(out, `${toHex(calldata)}\n`);
    console.log(`${signature}: ${calldata.length} bytes → ${out}`);
    return 0;
  },
};
