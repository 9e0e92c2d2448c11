// What a command is: its name, its option table (the one place its options are declared: yargs,
// help and shell completion are made from it), its usage text, and run(options, io) -> exit status.
import type { Argv, Options } from 'yargs';
import type { Io } from '../run/io';
import { usageError } from '../common/errors';

/** Options by long name, as yargs takes them. */
export type OptionTable = Readonly<Record<string, Options>>;

export interface Command<O> {
  name: string;
  /** Every option the command takes (besides --help and --version). */
  optionTable: OptionTable;
  /** Declares positionals and usage; the option table is added by the caller. */
  usage(y: Argv): Argv;
  /**
   * Commands a user can run as printed, with what each does: shown by --help, each command on a
   * line of its own (never broken by wrapping), and each run by a test.
   */
  examples: readonly (readonly [string, string])[];
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

/** --strict, shared by every command that reads events. */
export const STRICT_OPTION: Options = { type: 'boolean', default: false, describe: 'Stop at the first unreadable line, document or CloudTrailEvent' };

/** --max-line, shared by every command that reads events. */
export const MAX_LINE_OPTION: Options = {
  type: 'string',
  describe: 'Longest line read, in bytes or with K, M, G (default 16M); a longer one is reported and skipped, so memory stays bounded',
  coerce: (value: unknown): number => {
    if (Array.isArray(value)) throw usageError(`--max-line was given ${value.length} times; give it once`);
    const bytes = parseSize(String(value));
    if (bytes === undefined) throw usageError(`--max-line: expected a size such as 64M, 512K or 1G, not '${String(value)}'`);
    return bytes;
  },
};

/** `64M`, `512K`, `1G`, `100000` -> bytes; undefined when it is not a size. */
export function parseSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([KMG]i?B?|B)?\s*$/i.exec(text);
  if (!m) return undefined;
  const unit = (m[2] ?? '').toUpperCase()[0];
  const bytes = Math.floor(Number(m[1]) * (unit === 'K' ? 1024 : unit === 'M' ? 1024 ** 2 : unit === 'G' ? 1024 ** 3 : 1));
  return bytes >= 1 ? bytes : undefined;
}

/**
 * What events are asked for, for the commands that read files (ct-where, ct-csv, ct-explode):
 * only events inside are written, and a walk of a synced trail bucket opens no folder or file
 * whose AWSLogs path says it holds none (see input/trail-layout.ts).
 */
export const SCOPE_OPTIONS: OptionTable = {
  'start-time': { type: 'string', nargs: 1, describe: "Only events at or after this time (ISO 8601, '2024-07-22 09:00' in the local zone, 2h, 3d); trail files delivered before it are not opened" },
  'end-time': { type: 'string', nargs: 1, describe: 'Only events at or before this time; trail files delivered over a day after it are not opened' },
  region: { type: 'string', coerce: toList, describe: "Only events of these Regions (awsRegion; comma-separated or repeated); other Regions' trail folders are not opened" },
  account: { type: 'string', coerce: toList, describe: "Only events of these accounts (recipientAccountId); other accounts' trail folders are not opened" },
};
