/** CLI commands are declared as data: a name, a usage line, and a run function over parsed arguments. */
export interface ParsedArgs {
  /** Positional arguments, in order. */
  positionals: string[];
  /** `--name value` and `--flag` options (flags are `true`). */
  options: Record<string, string | true>;
}

export interface Command {
  name: string;
  usage: string;
  summary: string;
  /** Returns the process exit code. Throws ZkmlError for user errors (the dispatcher prints them). */
  run(args: ParsedArgs): Promise<number>;
}

/** Splits argv into positionals and options. Options in `flags` never take a value. */
export function parseArgs(
  argv: string[],
  flags: ReadonlySet<string> = new Set(['json', 'dev', 'help', 'public-inputs', 'private-outputs', 'committed-inputs', 'committed-outputs', 'committed-weights']),
): ParsedArgs {
  const positionals: string[] = [];
  const options: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) options[a.slice(2, eq)] = a.slice(eq + 1);
      else {
        const name = a.slice(2);
        const next = argv[i + 1];
        // A following `-o` / `--x` is the next option, never this one's value.
        if (!flags.has(name) && next !== undefined && !next.startsWith('-')) options[name] = argv[++i]!;
        else options[name] = true;
      }
    } else if (a === '-o') options.o = argv[++i] ?? '';
    else positionals.push(a);
  }
  return { positionals, options };
}
