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
  try {
    return await cmd.run(parseArgs(rest));
  } catch (e) {
    if (e instanceof ZkmlError) {
      console.error(`zkml ${name}: ${e.message}`);
      return e.exitCode;
    }
    throw e;
  }
}
