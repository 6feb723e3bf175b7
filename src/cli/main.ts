/** `zkml` command dispatcher: thin; commands call the library API and format results. */
import { ZkmlError } from '../errors.ts';
import { parseArgs } from './command.ts';
import { commands } from './commands/index.ts';

function help(): string {
  const lines = ['usage: zkml <command> [options]', '', 'commands:'];
  for (const c of commands) lines.push(`  ${c.usage.padEnd(64)} ${c.summary}`);
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === 'help') {
    console.log(help());
    return name ? 0 : 2;
  }
  const cmd = commands.find((c) => c.name === name);
  if (!cmd) {
    console.error(`zkml: unknown command '${name}'\n\n${help()}`);
    return 2;
  }
  // `zkml <command> --help` describes the command and runs nothing (a server would otherwise start).
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(`usage: zkml ${cmd.usage}\n${cmd.summary}`);
    return 0;
  }
  try {
    return await cmd.run(parseArgs(rest));
  } catch (e) {
    return reportError(name, e);
  }
}

/**
 * The one place a command's error becomes output: a single line on stderr and an exit code, never a raw
 * stack trace (ZKML_DEBUG=1 adds the stack). Typed errors carry their own exit code; anything else is an
 * input this version failed to classify, reported as exit 2 with its message.
 */
export function reportError(command: string, e: unknown): number {
  const debug = !!process.env.ZKML_DEBUG;
  if (e instanceof ZkmlError) {
    console.error(`zkml ${command}: ${e.message}`);
    if (debug && e.stack) console.error(e.stack);
    return e.exitCode;
  }
  const err = e instanceof Error ? e : new Error(String(e));
  const firstLine = (err.message || err.name).split('\n')[0];
  console.error(`zkml ${command}: unexpected ${err.name}: ${firstLine}${debug ? '' : ' (set ZKML_DEBUG=1 for the stack trace)'}`);
  if (debug && err.stack) console.error(err.stack);
  return 2;
}
