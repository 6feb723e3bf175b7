import type { Command } from '../command.ts';
import { compileCommand } from './compile.ts';
import { commitCommand } from './commit.ts';
import { setupCommand } from './setup.ts';
import { proveCommand } from './prove.ts';
import { verifyCommand } from './verify.ts';
import { serveVerifierCommand } from './serve-verifier.ts';
import { demoCommand } from './demo.ts';
import { inspectCommand } from './inspect.ts';
import { calldataCommand, exportVerifierCommand } from './evm.ts';
import { auditCommand, auditCommitCommand, auditSetupCommand, auditVerifyCommand } from './audit.ts';
import { trainProveCommand, trainSetupCommand, trainVerifyCommand } from './train.ts';

/** Every CLI command, in the order `zkml --help` lists them. */
export const commands: Command[] = [inspectCommand, compileCommand, setupCommand, commitCommand, proveCommand, verifyCommand, auditSetupCommand, auditCommitCommand, auditCommand, auditVerifyCommand, trainSetupCommand, trainProveCommand, trainVerifyCommand, serveVerifierCommand, exportVerifierCommand, calldataCommand, demoCommand];
