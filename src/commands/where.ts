// ct-where: keeps the events that match an expression. NDJSON lines that match are written byte
// for byte; events from JSON documents come out as compact JSON lines.
import type { Argv } from 'yargs';
import { toList, type Command, type OptionTable } from '../cli/command';
import { CtError, EXIT } from '../common/errors';
import { unknownFieldWarning } from '../events/known-fields';
import { operatorHelp } from '../expr/operators';
import { compileWhere } from '../expr/where-program';
import { EventLoop } from '../run/event-loop';
import { warn, type Io } from '../run/io';
import { threadPlan } from './handlers';
import { whereHandler, type WherePlan } from './where-handler';

interface WhereOptions {
  expression: string[];
  input: string[];
  'invert-match': boolean;
  count: boolean;
  strict: boolean;
}

const EXAMPLES: [string, string][] = [
  ["ct-where 'errorCode~Denied' -- events.ndjson", 'errors whose code contains "Denied"'],
  ["ct-where 'sourceIPAddress in 203.0.113.0/24'", 'calls from one address block (IPv4 or IPv6)'],
  ["ct-where 'userIdentity.userName=alice and sourceIPAddress=198.51.100.7'", 'one user from one address'],
  ["ct-where eventName=ConsoleLogin 'responseElements.ConsoleLogin=Failure'", 'failed console logins (arguments are joined by and)'],
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
Input: stdin, or files and directories after -- (or with -i): NDJSON, lookup-events output,
trail files, JSON arrays, gzipped or not. Past 2 MiB of NDJSON whose lines must be parsed, a worker
thread shares the work (CTPIPE_THREADS=0: one thread).`;

const OPTIONS: OptionTable = {
  input: { alias: 'i', type: 'string', default: [], coerce: toList, describe: 'Read this file or directory (repeatable)' },
  'invert-match': { alias: 'v', type: 'boolean', default: false, describe: 'Keep the events that do NOT match' },
  count: { alias: 'c', type: 'boolean', default: false, describe: 'Print only the number of matching events' },
  strict: { type: 'boolean', default: false, describe: 'Stop at the first unreadable line or document' },
};

export const whereCommand: Command<WhereOptions> = {
  name: 'ct-where',
  optionTable: OPTIONS,
  usage: (y: Argv) =>
    y
      .usage(`Usage: ct-where [options] EXPRESSION... [-- FILE...]\n\nKeep the CloudTrail events that match.\n\n${LANGUAGE}`)
      .positional('expression', { type: 'string', array: true })
      .example(EXAMPLES)
      .parserConfiguration({ 'populate--': true, 'unknown-options-as-args': false })
      .command('$0 [expression..]', false),
  run: runWhere,
  plain: { positional: 'expression', minimum: 1 },
};

async function runWhere(options: WhereOptions & { '--'?: string[] }, io: Io): Promise<number> {
  const terms = (options.expression ?? []).map(String);
  if (terms.length === 0) throw new CtError('usage', 'no expression given, e.g. ct-where errorCode~Denied', EXIT.usage);
  const now = Date.now();
  const program = compileWhere(terms, { now });
  for (const path of program.paths) {
    const message = unknownFieldWarning(path);
    if (message) warn(io, message);
  }
  for (const hint of program.hints) warn(io, hint);
  const inputs = [...options.input, ...(options['--'] ?? []).map(String)];
  const loop = new EventLoop(io, options.strict);
  const plan: WherePlan = { terms, now, invert: options['invert-match'], count: options.count };
  const handler = whereHandler(plan, io.out, program);
  const status = await loop.run(inputs, handler, threadPlan('where', plan));
  if (options.count) io.out.writeLine(String(handler.matched));
  return status;
}
