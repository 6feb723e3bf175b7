/**
 * Dev-only harness for generated verifiers: compile Solidity with solc (the `solc` npm package, soljson
 * compiled to JS/WASM, pinned in package.json) and run the contract in an in-process EVM
 * (@ethereumjs/evm, Prague rules: EIP-170 size limit, BN254 precompiles). Nothing is downloaded.
 * Used by test/evm/*.test.ts and bench/evm.ts.
 */
import { createRequire } from 'node:module';
import { Common, Hardfork, Mainnet } from '@ethereumjs/common';
import { createEVM, type EVM } from '@ethereumjs/evm';
import { Account, createAddressFromString, type Address } from '@ethereumjs/util';

const require = createRequire(import.meta.url);

export interface CompiledContract {
  /** Creation bytecode. */
  readonly creation: Uint8Array;
  /** Deployed (runtime) bytecode; EIP-170 caps it at 24,576 bytes. */
  readonly runtime: Uint8Array;
  readonly warnings: string[];
  readonly solcVersion: string;
}

export const EIP170_LIMIT = 24_576;

interface SolcOutput {
  errors?: { severity: string; formattedMessage: string }[];
  contracts?: Record<string, Record<string, { evm: { bytecode: { object: string }; deployedBytecode: { object: string } } }>>;
}

/** Compiles one contract with the optimizer (runs = 10,000: gas before size; MNIST stays far under EIP-170) for the Cancun EVM. */
export function compileSolidity(source: string, contractName: string, opts: { runs?: number } = {}): CompiledContract {
  const solc = require('solc') as { compile(input: string): string; version(): string };
  const input = {
    language: 'Solidity',
    sources: { 'Verifier.sol': { content: source } },
    settings: {
      optimizer: { enabled: true, runs: opts.runs ?? 10_000 },
      evmVersion: 'cancun',
      outputSelection: { '*': { '*': ['evm.bytecode.object', 'evm.deployedBytecode.object'] } },
    },
  };
  const out = JSON.parse(solc.compile(JSON.stringify(input))) as SolcOutput;
  const errors = (out.errors ?? []).filter((e) => e.severity === 'error');
  if (errors.length) throw new Error(`solc: ${errors.map((e) => e.formattedMessage).join('\n')}`);
  const c = out.contracts?.['Verifier.sol']?.[contractName];
  if (!c) throw new Error(`solc produced no contract ${contractName}`);
  return {
    creation: Buffer.from(c.evm.bytecode.object, 'hex'),
    runtime: Buffer.from(c.evm.deployedBytecode.object, 'hex'),
    warnings: (out.errors ?? []).filter((e) => e.severity !== 'error').map((e) => e.formattedMessage),
    solcVersion: solc.version(),
  };
}

export interface CallResult {
  /** The call returned without reverting. */
  readonly success: boolean;
  /** The call returned the ABI word `true`. */
  readonly accepted: boolean;
  /** Gas the call's execution used (no intrinsic or calldata cost). */
  readonly executionGas: bigint;
  readonly returnValue: Uint8Array;
}

/** One in-process EVM with a funded caller. */
export class InProcessEvm {
  private constructor(
    private readonly evm: EVM,
    private readonly caller: Address,
  ) {}

  static async create(): Promise<InProcessEvm> {
    const evm = await createEVM({ common: new Common({ chain: Mainnet, hardfork: Hardfork.Prague }) });
    const caller = createAddressFromString('0x00000000000000000000000000000000000000ee');
    await evm.stateManager.putAccount(caller, new Account(0n, 10n ** 24n));
    return new InProcessEvm(evm, caller);
  }

  /** Deploys creation code; throws when deployment fails (e.g. runtime code over the EIP-170 limit). */
  async deploy(creation: Uint8Array): Promise<Address> {
    const res = await this.evm.runCall({ caller: this.caller, data: creation, gasLimit: 30_000_000n });
    if (res.execResult.exceptionError || !res.createdAddress)
      throw new Error(`deployment failed: ${res.execResult.exceptionError?.error ?? 'no address'}`);
    return res.createdAddress;
  }

  /**
   * Calls `to` as a transaction would (EIP-2929: caller, callee and precompiles warm from the start;
   * runCall alone would charge each precompile's first use as a cold access).
   */
  async call(to: Address, data: Uint8Array, gasLimit = 30_000_000n): Promise<CallResult> {
    const journal = this.evm.journal;
    await journal.cleanup();
    journal.addAlwaysWarmAddress(this.caller.toString());
    journal.addAlwaysWarmAddress(to.toString());
    for (const addr of this.evm.precompiles.keys()) journal.addAlwaysWarmAddress(addr);
    const res = await this.evm.runCall({ caller: this.caller, to, data, gasLimit });
    const rv = res.execResult.returnValue;
    const success = !res.execResult.exceptionError;
    const accepted = success && rv.length === 32 && rv[31] === 1 && rv.subarray(0, 31).every((x) => x === 0);
    return { success, accepted, executionGas: res.execResult.executionGasUsed, returnValue: rv };
  }
}

/** Intrinsic gas of a transaction carrying `data` (EIP-2028: 4 per zero byte, 16 per other byte, + 21000). */
export function intrinsicGas(data: Uint8Array): number {
  let g = 21_000;
  for (const b of data) g += b === 0 ? 4 : 16;
  return g;
}
