import type { Command } from '../command.ts';
import { inspectCommand } from './inspect.ts';

/** Every CLI command, in the order `zkml --help` lists them. */
export const commands: Command[] = [inspectCommand];
