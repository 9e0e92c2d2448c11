// What a command is: its name, its option table (the one place its options are declared: yargs,
// help and shell completion are made from it), its usage text, and run(options, io) -> exit status.
import type { Argv, Options } from 'yargs';
import type { Io } from '../run/io';

/** Options by long name, as yargs takes them. */
export type OptionTable = Readonly<Record<string, Options>>;

export interface Command<O> {
  name: string;
  /** Every option the command takes (besides --help and --version). */
  optionTable: OptionTable;
  /** Declares positionals, usage and examples; the option table is added by the caller. */
  usage(y: Argv): Argv;
  run(options: O, io: Io): Promise<number>;
  /** For commands whose usual call is positional arguments only (see plainOptions). */
  plain?: PlainArguments;
}

export interface PlainArguments {
  /** The key the positional arguments go to (`expression`, `files`). */
  positional: string;
  /** Fewer positional arguments than this go to yargs (for its usage error). */
  minimum: number;
}

/** For repeatable options that take one value each (so they never swallow file arguments). */
export function toList(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}
