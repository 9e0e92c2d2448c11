// ct-where: keeps the events that match an expression. NDJSON lines that match are written byte
// for byte; events from JSON documents come out as compact JSON lines.
import type { Argv } from 'yargs';
import { toList, type Command, type OptionTable, MAX_LINE_OPTION, SCOPE_OPTIONS, STRICT_OPTION } from '../cli/command';
import { existsSync } from 'node:fs';
import { CtError, EXIT, usageError } from '../common/errors';
import { unknownFieldWarning } from '../events/known-fields';
import { operatorHelp } from '../expr/operators';
import { compileWhere } from '../expr/where-program';
import { trailLines } from '../fast/trail-lines';
import { EventLoop } from '../run/event-loop';
import { warn, type Io } from '../run/io';
import { threadPlan } from './handlers';
import { scopeOf, type ScopeOptions } from './scope';
import { whereHandler, type WherePlan } from './where-handler';

interface WhereOptions extends ScopeOptions {
  /** EXPRESSION [FILE...], or with -e only files. */
  args: string[];
  expression: string[];
  input: string[];
  'invert-match': boolean;
  count: boolean;
  strict: boolean;
  'max-line'?: number;
}

const EXAMPLES: [string, string][] = [
  ["ct-where 'errorCode~Denied' -- events.ndjson", 'errors whose code contains "Denied"'],
  ["ct-where 'sourceIPAddress in 203.0.113.0/24'", 'calls from one address block (IPv4 or IPv6)'],
  ["ct-where '(user=alice or user$=/alice) and sourceIPAddress=198.51.100.7'", 'alice, as an IAM user or a role session, from one address'],
  ["ct-where -e eventName=ConsoleLogin -e 'responseElements.ConsoleLogin=Failure'", 'failed console logins (-e parts are joined by and)'],
  ["ct-where 'eventName=SwitchRole and responseElements.SwitchRole=Failure'", 'failed role switches'],
  ["ct-where 'eventTime >= -2h and readOnly=false'", 'writes in the last two hours'],
  ["ct-where 'eventName in (CreateUser, CreateAccessKey) and not errorCode exists'", 'successful calls from a list'],
  ["ct-where -c 'errorCode~*throttl'", 'count throttled calls, any case'],
];

const LANGUAGE = `Expression: TEST [and|or TEST]..., with not and parentheses. A TEST is FIELD OP VALUE:
${operatorHelp()}
FIELD: dotted path (userIdentity.sessionContext.sessionIssuer.userName), any array element
(resources[].ARN), quoted keys ("odd key"), and the computed 'user'. On LookupEvents items, fields
that are not on the item are read from its CloudTrailEvent.
Input: stdin, or the files and directories after the expression (or -i FILE, or after --):
NDJSON, lookup-events output, trail files, JSON arrays, gzipped or not. Past 2 MiB of NDJSON
whose lines must be parsed, a worker thread shares the work (CTPIPE_THREADS=0: one thread).`;

const OPTIONS: OptionTable = {
  expression: { alias: 'e', type: 'string', default: [], coerce: toList, describe: 'A part of the expression (repeatable, joined by and); every argument is then a file' },
  input: { alias: 'i', type: 'string', default: [], coerce: toList, describe: 'Read this file or directory (repeatable)' },
  'invert-match': { alias: 'v', type: 'boolean', default: false, describe: 'Keep the events that do NOT match' },
  count: { alias: 'c', type: 'boolean', default: false, describe: 'Print only the number of matching events' },
  ...SCOPE_OPTIONS,
  strict: STRICT_OPTION,
  'max-line': MAX_LINE_OPTION,
};

export const whereCommand: Command<WhereOptions> = {
  name: 'ct-where',
  optionTable: OPTIONS,
  usage: (y: Argv) =>
    y
      .usage(`Usage: ct-where [options] EXPRESSION [FILE...]\n       ct-where [options] -e EXPRESSION [-e EXPRESSION]... [FILE...]\n\nKeep the CloudTrail events that match.\n\n${LANGUAGE}`)
      .positional('args', { type: 'string', array: true })
      .parserConfiguration({ 'populate--': true, 'unknown-options-as-args': false })
      .command('$0 [args..]', false),
  examples: EXAMPLES,
  run: runWhere,
  plain: { positional: 'args', minimum: 1 },
};

async function runWhere(options: WhereOptions, io: Io): Promise<number> {
  const args = (options.args ?? []).map(String);
  // As grep and jq read theirs: the first argument is the whole expression, unless -e gives it.
  const terms = options.expression.length ? options.expression : args.slice(0, 1);
  const files = options.expression.length ? args : args.slice(1);
  if (terms.length === 0) throw new CtError('usage', 'no expression given, e.g. ct-where errorCode~Denied', EXIT.usage);
  for (const file of files) checkFileArgument(file, terms, files);
  const now = Date.now();
  const program = compileWhere(terms, { now });
  for (const path of program.paths) {
    const message = unknownFieldWarning(path);
    if (message) warn(io, message);
  }
  for (const hint of program.hints) warn(io, hint);
  const inputs = [...files, ...options.input];
  const loop = new EventLoop(io, options.strict, options['max-line']);
  loop.interruptible = true;
  // --start-time, --region...: terms of their own, never inverted by -v.
  const scope = await scopeOf(options, now);
  loop.scope = scope.paths;
  const invert = options['invert-match'];
  const scoped = scope.terms.length === 0 ? terms : [...(invert ? [`not ((${terms.join(') and (')}))`] : terms), ...scope.terms];
  const plan: WherePlan = { terms: scoped, now, invert: scope.terms.length ? false : invert, count: options.count };
  const scopedProgram = scoped === terms ? program : compileWhere(scoped, { now });
  const handler = whereHandler(plan, io.out, scopedProgram);
  // Records of trail files that hold none of what a match needs are only found, as the lines the
  // fast path skips are (its search, a state of its own: files are made lines ahead of their turn).
  loop.documentLines = trailLines(handler.lineFilter?.useful ? scopedProgram.lineFilter.another() : undefined);
  const status = await loop.run(inputs, handler, threadPlan('where', plan));
  if (options.count) io.out.writeLine(String(handler.matched));
  return status;
}

/** A file argument that does not exist and reads as part of an expression: say to quote the whole. */
function checkFileArgument(file: string, terms: readonly string[], files: readonly string[]): void {
  if (file === '-' || existsSync(file)) return;
  const keyword = /^(and|or|not|in|exists|missing)$/i;
  if (!/[=~<>!^$]/.test(file) && !keyword.test(file)) return;
  // `a=1 and b=2` typed unquoted: all of it; `a=1 b=2`: joined by and.
  const whole = files.some((f) => keyword.test(f)) ? [...terms, ...files].join(' ') : `${terms.join(' and ')} and ${file}`;
  throw usageError(`'${file}' is no file, and looks like part of an expression: quote the whole expression as one argument (ct-where '${whole}'), or give parts with -e`);
}
