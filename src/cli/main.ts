// Runs one command: parses argv with yargs, runs the command with the process streams, turns
// errors into one line on stderr and an exit status. No stack trace reaches a user unless
// CTPIPE_DEBUG is set.
import { fstatSync } from 'node:fs';
import type { Readable } from 'node:stream';
import yargs, { type Argv } from 'yargs';
import { CtError, EXIT, EXIT_CODES_HELP, messageOf, usageError } from '../core/errors';
import { warn, type Io } from '../core/io';
import { regularFileStream } from '../core/sources';

export interface Command<O> {
  name: string;
  /** Declares options, usage and examples. */
  options(y: Argv): Argv<O>;
  run(options: O, io: Io): Promise<number>;
}

export async function runCommand<O>(command: Command<O>, argv: string[], io: Io): Promise<number> {
  let options: O;
  let helpShown = false;
  try {
    const parser = command
      .options(yargs(argv).scriptName(command.name))
      .epilogue(EXIT_CODES_HELP)
      .help('help')
      .alias('help', 'h')
      .version(false)
      .strict()
      .wrap(Math.min(110, process.stdout.columns || 100))
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
    return report(err, io, `\nRun '${command.name} --help' for usage and examples.`);
  }
  if (helpShown) return EXIT.ok;
  try {
    return await command.run(options, { ...io, argv });
  } catch (err) {
    return report(err, io, '');
  }
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
 * A redirected file (`< events.ndjson`) is read in READ_CHUNK pieces (process.stdin reads 64 KiB);
 * pipes and terminals keep process.stdin, whose reads never hold the process open at exit.
 */
function standardInput(): Readable {
  try {
    if (fstatSync(0).isFile()) return regularFileStream(0);
  } catch {
    // no fd 0: fall back
  }
  return process.stdin;
}

/** The bin entry points call this. */
export function main<O>(command: Command<O>): void {
  const io: Io = { stdin: standardInput(), stdout: process.stdout, stderr: process.stderr, name: command.name };
  void runCommand(command, process.argv.slice(2), io).then((status) => {
    process.exitCode = status;
    process.stdin.destroy();
  });
}

/** For repeatable options that take one value each (so they never swallow file arguments). */
export function toList(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}
