// ct-explode: one CloudTrail record per line. LookupEvents items become the record parsed from
// their CloudTrailEvent string; records pass through unchanged, so this is also how trail files
// and `aws cloudtrail lookup-events` output become NDJSON.
import type { Argv } from 'yargs';
import { MAX_LINE_OPTION, SCOPE_OPTIONS, STRICT_OPTION, type Command, type OptionTable } from '../cli/command';
import { trailLines } from '../fast/trail-lines';
import { EventLoop } from '../run/event-loop';
import { warn, type Io } from '../run/io';
import { explodeHandler } from './explode-handler';
import { SMALL_BATCH_BYTES } from '../run/threads/thread-plan';
import { threadPlan } from './handlers';
import { scopeOf, type ScopeOptions } from './scope';

interface ExplodeOptions extends ScopeOptions {
  files: string[];
  'keep-lookup': boolean;
  strict: boolean;
  'max-line'?: number;
}

const OPTIONS: OptionTable = {
  'keep-lookup': { type: 'boolean', default: false, describe: 'Keep the lookup-only fields Username and Resources beside the record' },
  ...SCOPE_OPTIONS,
  strict: STRICT_OPTION,
  'max-line': MAX_LINE_OPTION,
};

export const explodeCommand: Command<ExplodeOptions> = {
  name: 'ct-explode',
  optionTable: OPTIONS,
  usage: (y: Argv) =>
    y
      .usage(
        'Usage: ct-explode [options] [FILE|DIR...]\n\n' +
          'Write each event as its full CloudTrail record, one JSON object per line. Reads stdin, files and\n' +
          'directories (walked for .json/.json.gz): NDJSON, lookup-events output, trail files, arrays, gzipped or not.\n' +
          'JSON that is not CloudTrail (no key starting with "event") is passed over, with a note.\n' +
          'With --keep-lookup, past 2 MiB of NDJSON a worker thread shares the work (CTPIPE_THREADS=0: one thread).',
      )
      .command('$0 [files..]', false),
  examples: [
    ['ct-fetch --start-time -1d | ct-explode > records.ndjson', 'records from event history'],
    ['aws cloudtrail lookup-events --max-items 500 | ct-explode', 'AWS CLI output, any number of pages'],
    ['ct-explode AWSLogs/123456789012/CloudTrail/ > all.ndjson', 'a synced trail bucket (gzipped files)'],
    ['ct-explode --keep-lookup page.json | jq .Username', 'keep the lookup fields'],
  ],
  run: runExplode,
  plain: { positional: 'files', minimum: 0 },
};

async function runExplode(options: ExplodeOptions, io: Io): Promise<number> {
  const loop = new EventLoop(io, options.strict, options['max-line']);
  loop.documentLines = trailLines();
  loop.interruptible = true;
  const now = Date.now();
  const scope = await scopeOf(options, now);
  loop.scope = scope.paths;
  const plan = { 'keep-lookup': options['keep-lookup'], where: { terms: scope.terms, now } };
  // Lines are read from their bytes faster than a worker thread pays for itself (see
  // LineExploder); with --keep-lookup or --start-time... every line is parsed, and a thread shares the parsing.
  const threads = options['keep-lookup'] || scope.terms.length ? threadPlan('explode', plan, SMALL_BATCH_BYTES) : undefined;
  const handler = explodeHandler(plan, io.out);
  const status = await loop.run((options.files ?? []).map(String), handler, threads);
  if (handler.passedOver > 0) {
    const what = handler.passedOver === 1 ? 'JSON object that is' : 'JSON objects that are';
    warn(io, `note: ${handler.passedOver} ${what} not CloudTrail passed over (no key starting with "event": AWS Config files, policies...)`);
  }
  return status;
}
