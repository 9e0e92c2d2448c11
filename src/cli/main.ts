// Runs one command: parses argv (with yargs, unless every argument is positional), runs the
// command with the process streams, turns errors into one line on stderr and an exit status.
// No stack trace reaches a user unless CTPIPE_DEBUG is set.
import { fstatSync } from 'node:fs';
import type { Writable } from 'node:stream';
import type { Argv, Options } from 'yargs';
import { CtError, EXIT, EXIT_CODES_HELP, messageOf, usageError } from '../core/errors';
import { warn, type Io } from '../core/io';
import { FdOutput } from '../core/output';
import { FileReader, PipeReader, type ByteStream } from '../core/sources';

export interface Command<O> {
  name: string;
  /** Declares options, usage and examples. */
  options(y: Argv): Argv<O>;
  run(options: O, io: Io): Promise<number>;
  /** For commands whose usual call is positional arguments only (see plainOptions). */
  plain?: PlainArguments;
}

export interface PlainArguments {
  /** The key the positional arguments go to (`expression`, `files`). */
  positional: string;
  /** The command's options, as given to yargs: their defaults fill in the rest. */
  options: Record<string, Options>;
  /** Fewer positional arguments than this go to yargs (for its usage error). */
  minimum: number;
}

/**
 * `ct-where 'errorCode~Denied'`, `ct-csv events.ndjson`: when no argument starts with `-`,
 * yargs would only collect them and fill in the defaults, so that is done here and yargs is
 * not loaded at all (loading and running it is 60-70 ms of a 200 ms start-up). A test checks
 * that both give the same options.
 */
export function plainOptions(plain: PlainArguments, argv: readonly string[]): Record<string, unknown> | undefined {
  if (argv.length < plain.minimum || argv.some((a) => a === '' || a.startsWith('-'))) return undefined;
  const options: Record<string, unknown> = { [plain.positional]: [...argv] };
  for (const [key, spec] of Object.entries(plain.options)) if (spec.default !== undefined) options[key] = spec.default;
  return options;
}

export async function runCommand<O>(command: Command<O>, argv: string[], io: Io): Promise<number> {
  const plain = command.plain && plainOptions(command.plain, argv);
  const parsed = plain ? { options: plain as O } : await parseWithYargs(command, argv, io);
  if ('status' in parsed) return parsed.status;
  // Not { ...io, argv }: that reads io.stderr, which main() leaves to be created when first used.
  const withArgv: Io = Object.create(io, { argv: { value: argv } });
  try {
    return await command.run(parsed.options, withArgv);
  } catch (err) {
    return report(err, io, '');
  }
}

/** The options yargs gives, or the exit status once it has printed help or a usage error. */
export async function parseWithYargs<O>(command: Command<O>, argv: string[], io: Io): Promise<{ options: O } | { status: number }> {
  let options: O;
  let helpShown = false;
  try {
    const { default: yargs } = await import('yargs');
    const parser = command
      .options(yargs(argv).scriptName(command.name))
      .epilogue(EXIT_CODES_HELP)
      .help('help')
      .alias('help', 'h')
      .version(false)
      .strict()
      // process.stdout only for a terminal: creating it makes a pipe non-blocking (see FdOutput).
      .wrap(Math.min(110, (isTerminal(1) && process.stdout.columns) || 100))
      .exitProcess(false)
      .fail((msg: string | null, err: Error | undefined) => {
        throw err instanceof CtError ? err : usageError(msg ?? messageOf(err));
      });
    parser.showHelpOnFail(false);
    options = (await parser.parseAsync(argv, {}, (_err, _argv, output) => {
      if (output) {
        helpShown = true;
        io.stdout.write(`${output}\n`);
      }
    })) as O;
  } catch (err) {
    return { status: report(err, io, `\nRun '${command.name} --help' for usage and examples.`) };
  }
  return helpShown ? { status: EXIT.ok } : { options };
}

function report(err: unknown, io: Io, hint: string): number {
  if (err instanceof CtError) {
    warn(io, err.message + (err.exitStatus === EXIT.usage ? hint : ''));
    return err.exitStatus;
  }
  if (process.env.CTPIPE_DEBUG) io.stderr.write(`${(err as Error)?.stack ?? String(err)}\n`);
  warn(io, `unexpected error: ${messageOf(err)} (set CTPIPE_DEBUG=1 for details)`);
  return EXIT.data;
}

/**
 * A redirected file (`< events.ndjson`) is read with readSync (see FileReader); a pipe from a
 * non-blocking descriptor (see PipeReader), whose reads wait with the whole thread, so only when
 * every write has been taken by then (`stdout` is ours, or a terminal's, which node writes
 * synchronously); terminals keep process.stdin.
 */
function standardInput(stdout: Writable): ByteStream {
  try {
    const stat = fstatSync(0);
    if (stat.isFile()) return new FileReader(0);
    if (stat.isFIFO() && (stdout instanceof FdOutput || isTerminal(1))) return PipeReader.forStdin() ?? process.stdin;
  } catch {
    // no fd 0: fall back
  }
  return process.stdin;
}

/** Pipes, files and devices get blocking writes (see FdOutput); a terminal keeps process.stdout. */
function standardOutput(): Writable {
  try {
    const stat = fstatSync(1);
    if (stat.isFIFO() || stat.isFile() || (stat.isCharacterDevice() && !isTerminal(1))) return new FdOutput(1, stat.isFIFO());
  } catch {
    // no fd 1: fall back
  }
  return process.stdout;
}

/** Whether fd is a terminal; node:tty (which loads node:net) only when asked, not at every start. */
function isTerminal(fd: number): boolean {
  return (require('node:tty') as typeof import('node:tty')).isatty(fd);
}

/** The bin entry points call this. */
export function main<O>(command: Command<O>): void {
  const stdout = standardOutput();
  const io: Io = {
    stdin: standardInput(stdout),
    stdout,
    // Created when first written to: for a pipe that loads node:net, which most runs never need.
    get stderr() {
      return process.stderr;
    },
    name: command.name,
  };
  void runCommand(command, process.argv.slice(2), io).then((status) => {
    process.exitCode = status;
    io.stdin.destroy();
  });
}

/** For repeatable options that take one value each (so they never swallow file arguments). */
export function toList(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}
