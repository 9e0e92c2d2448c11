// Runs one command: parses argv (with yargs, unless every argument is positional), runs the
// command with the process's streams, turns errors into one line on stderr and an exit status,
// and ends with the writer's last flush. No stack trace reaches a user unless CTPIPE_DEBUG is set.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Argv } from 'yargs';
import { CtError, EXIT, EXIT_CODES_HELP, messageOf, usageError } from '../common/errors';
import { nearest } from '../common/suggest';
import { FdOutput } from '../output/fd-output';
import { OutputWriter } from '../output/output-writer';
import { warn, type Io } from '../run/io';
import { toList, type Command, type OptionTable } from './command';
import { plainOptions } from './plain-args';
import { isTerminal, standardInput, standardOutput, stdinIsTerminal } from './std-streams';

export async function runCommand<O>(command: Command<O>, argv: string[], io: Io): Promise<number> {
  const plain = command.plain && plainOptions(command.plain, command.optionTable, argv);
  const parsed = plain ? { options: plain as O } : await parseWithYargs(command, argv, io);
  if ('status' in parsed) return parsed.status;
  // Not { ...io, argv }: that reads io.stderr, which main() leaves to be created when first used.
  const withArgv: Io = Object.create(io, { argv: { value: argv } }) as Io;
  return command.run(parsed.options, withArgv);
}

/** The command's yargs parser: its usage, its option table, and what every command has. */
export function commandParser<O>(command: Command<O>, argv: string[], y: Argv): Argv {
  return command
    .usage(y.scriptName(command.name))
    .options(command.optionTable)
    .help('help')
    .alias('help', 'h')
    .version('version', 'Show the version', packageVersion())
    .strict()
    .wrap(helpWidth())
    .exitProcess(false)
    .parserConfiguration({ 'populate--': true })
    .showHelpOnFail(false)
    .fail((msg: string | null, err: Error | undefined) => {
      throw err instanceof CtError ? err : usageError(msg ?? messageOf(err));
    });
}

/** The options yargs gives, or the exit status once it has printed help, the version or a usage error. */
async function parseWithYargs<O>(command: Command<O>, argv: string[], io: Io): Promise<{ options: O } | { status: number }> {
  let options: O;
  let shown = false;
  try {
    const { default: yargs } = await import('yargs');
    // yargs drops a lone `-`; it goes through as a token yargs keeps, and comes back after.
    const given = argv.map((a) => (a === '-' ? LONE_DASH : a));
    const parser = commandParser(command, given, yargs(given));
    options = (await parser.parseAsync(given, {}, (_err, argvOut, output) => {
      if (output) {
        shown = true;
        io.out.writeLine((argvOut as { help?: boolean }).help ? `${output}\n\n${helpTail(command)}` : output);
      }
    })) as O;
  } catch (err) {
    if (err instanceof CtError && err.exitStatus === EXIT.usage) {
      const message = unknownOptionMessage(err.message, command.optionTable, argv) ?? err.message;
      throw new CtError(err.code, `${message}\nRun '${command.name} --help' for usage and examples.`, EXIT.usage);
    }
    throw err;
  }
  if (shown) return { status: EXIT.ok };
  const parsed = withInputs(command, options as Record<string, unknown>);
  checkOptionValues(command.optionTable, parsed, argv);
  return { options: parsed as O };
}

/**
 * What --help ends with, after yargs' part: the examples, each command on a line of its own
 * (yargs would break a long one in two) and what it does below it, then the exit statuses.
 */
function helpTail(command: Command<unknown>): string {
  const width = helpWidth();
  const examples = command.examples.map(([line, what]) => `  ${line}\n${wrapText(what, width - 6, '      ')}`);
  return ['Examples:', ...examples, '', wrapText(EXIT_CODES_HELP, width, '')].join('\n');
}

function helpWidth(): number {
  // process.stdout only for a terminal: creating it makes a pipe non-blocking (see FdOutput).
  return Math.min(110, (isTerminal(1) && process.stdout.columns) || 100);
}

/** Words to lines of at most `width`, each after `indent`. */
function wrapText(text: string, width: number, indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.map((l) => indent + l).join('\n');
}

/** Stands for a lone `-` while yargs parses. */
const LONE_DASH = '\u0000-';

/**
 * The options with every lone `-` back, and what follows `--` added to the command's inputs
 * (its positional arguments), as every command reads them: `-` is stdin wherever it appears,
 * `--` ends the options.
 */
function withInputs<O>(command: Command<O>, options: Record<string, unknown>): Record<string, unknown> {
  const back = (v: unknown): unknown => (v === LONE_DASH ? '-' : Array.isArray(v) ? v.map(back) : v);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) out[key] = back(value);
  const positional = command.plain?.positional;
  const rest = (out['--'] as unknown[] | undefined) ?? [];
  if (positional && rest.length > 0) {
    out[positional] = [...((out[positional] as unknown[] | undefined) ?? []), ...rest];
    delete out['--'];
  }
  return out;
}

/**
 * What yargs lets through: a number option whose value is not a number (it gives NaN), and an
 * option given twice that takes one value (it gives an array). Repeatable options (coerced to a
 * list) may come any number of times.
 */
function checkOptionValues(table: OptionTable, options: Record<string, unknown>, argv: readonly string[]): void {
  for (const [name, spec] of Object.entries(table)) {
    const value = options[name];
    if (value === undefined || spec.coerce === toList) continue;
    if (Array.isArray(value)) throw usageError(`--${name} was given ${value.length} times; give it once`);
    if (spec.type === 'number' && !Number.isFinite(value)) {
      throw usageError(`--${name}: expected a number, not '${givenText(name, argv)}' (e.g. --${name} ${String(spec.default ?? 1)})`);
    }
  }
}

/** The text given for --name (as `--name TEXT` or `--name=TEXT`), for a message. */
function givenText(name: string, argv: readonly string[]): string {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === `--${name}`) return argv[i + 1] ?? '';
    if (argv[i].startsWith(`--${name}=`)) return argv[i].slice(name.length + 3);
  }
  return '';
}

/**
 * yargs says `Unknown argument: endpoint`; this says which option was typed and the nearest
 * the command has: `unknown option --endpoint; did you mean --endpoint-url?`.
 */
function unknownOptionMessage(message: string, table: OptionTable, argv: readonly string[]): string | undefined {
  const m = /^Unknown arguments?: (.+)$/.exec(message);
  if (!m) return undefined;
  const names = [...Object.keys(table), 'help', 'version'];
  const words = m[1].split(', ');
  const kebab = (w: string): string => w.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  // yargs names `--count-only` twice, as itself and as countOnly.
  const unique = words.filter((w) => kebab(w) === w || !words.includes(kebab(w)));
  const typed = unique.map((word) => argv.find((a) => a.replace(/^-+/, '').split('=')[0] === word) ?? word);
  return typed
    .map((arg) => {
      const word = arg.replace(/^-+/, '').split('=')[0];
      const near = names.filter((n) => word.length >= 3 && (n.startsWith(word) || word.startsWith(`${n}-`)));
      const suggestions = (near.length ? near : nearest(word, names)).map((n) => `--${n}`);
      const what = arg.startsWith('-') ? `unknown option ${arg.split('=')[0]}` : `unexpected argument '${arg}'`;
      return suggestions.length ? `${what}; did you mean ${suggestions.join(' or ')}?` : what;
    })
    .join('; ');
}

let version: string | undefined;
/** From package.json, two levels up from src/cli and from dist/cli alike. */
export function packageVersion(): string {
  version ??= (JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
  return version;
}

/** One line on stderr for an error, and its exit status. */
function report(err: unknown, io: Io): number {
  if (err instanceof CtError) {
    if (!err.told) warn(io, err.message);
    return err.exitStatus;
  }
  if (process.env.CTPIPE_DEBUG) io.stderr.write(`${(err as Error)?.stack ?? String(err)}\n`);
  warn(io, `unexpected error: ${messageOf(err)} (set CTPIPE_DEBUG=1 for details)`);
  return EXIT.data;
}

/** Runs `body`, then the writer's last flush; every error becomes one line and a status. */
export async function runToEnd(io: Io, body: (io: Io) => Promise<number>): Promise<number> {
  try {
    const status = await body(io);
    await io.out.finish();
    return status;
  } catch (err) {
    return report(err, io);
  }
}

/** The process's streams, with stderr created only when first written to (see below). */
function processIo(name: string): Io {
  const stdout = standardOutput();
  return {
    stdin: standardInput(stdout),
    stdinIsTerminal: stdinIsTerminal(),
    out: new OutputWriter(stdout),
    // For a pipe, creating process.stderr loads node:net, which most runs never need.
    get stderr() {
      return process.stderr;
    },
    // Asked only by commands that write for a person (node:tty loads node:net).
    get stdoutTerminal() {
      return !(stdout instanceof FdOutput) && isTerminal(1) ? { columns: process.stdout.columns || 80 } : undefined;
    },
    name,
  };
}

/** Runs `body` as the whole process, and sets its exit status. */
export function runProcess(name: string, body: (io: Io) => Promise<number>): void {
  const io = processIo(name);
  void runToEnd(io, body).then((status) => {
    process.exitCode = status;
    io.stdin.destroy();
  });
}

/** The bin entry points call this. */
export function main<O>(command: Command<O>): void {
  runProcess(command.name, (io) => runCommand(command, process.argv.slice(2), io));
}
