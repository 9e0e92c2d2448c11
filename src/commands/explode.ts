// ct-explode: one CloudTrail record per line. LookupEvents items become the record parsed from
// their CloudTrailEvent string; records pass through unchanged, so this is also how trail files
// and `aws cloudtrail lookup-events` output become NDJSON.
import type { Argv, Options } from 'yargs';
import type { Command } from '../cli/main';
import { EventView } from '../core/event';
import { EventScanner, writeLine, type EventHandler, type RawLine } from '../core/event-scan';
import { ownValue } from '../core/field-path';
import { isJsonObjectText } from '../core/json-check';
import type { Io } from '../core/io';
import type { OutputWriter } from '../core/output';

interface ExplodeOptions {
  files: string[];
  'keep-lookup': boolean;
  strict: boolean;
}

const OPTIONS: Record<string, Options> = {
  'keep-lookup': { type: 'boolean', default: false, describe: 'Keep the lookup-only fields Username and Resources beside the record' },
  strict: { type: 'boolean', default: false, describe: 'Stop at the first unreadable line, document or CloudTrailEvent' },
};

export const explodeCommand: Command<ExplodeOptions> = {
  name: 'ct-explode',
  options: (y: Argv) =>
    y
      .usage(
        'Usage: ct-explode [options] [FILE|DIR...]\n\n' +
          'Write each event as its full CloudTrail record, one JSON object per line. Reads stdin, files and\n' +
          'directories (walked for .json/.json.gz): NDJSON, lookup-events output, trail files, arrays, gzipped or not.\n' +
          'Past 2 MiB of NDJSON a worker thread shares the work (CTPIPE_THREADS=0: one thread).',
      )
      .command('$0 [files..]', false)
      .options(OPTIONS)
      .example([
        ['ct-fetch --start-time -1d | ct-explode > records.ndjson', 'records from event history'],
        ['aws cloudtrail lookup-events --max-items 500 | ct-explode', 'AWS CLI output, any number of pages'],
        ['ct-explode AWSLogs/123456789012/CloudTrail/ > all.ndjson', 'a synced trail bucket (gzipped files)'],
        ['ct-explode --keep-lookup page.json | jq .Username', 'keep the lookup fields'],
      ]) as unknown as Argv<ExplodeOptions>,
  run: runExplode,
  plain: { positional: 'files', options: OPTIONS, minimum: 0 },
};

async function runExplode(options: ExplodeOptions, io: Io): Promise<number> {
  const scanner = new EventScanner(io, options.strict);
  const plan = { module: __filename, factory: 'explodeHandler', options };
  return scanner.run((options.files ?? []).map(String), explodeHandler(options, scanner.out), plan);
}

/** What ct-explode does with each event; also run by worker threads (see LineWorkers). */
export function explodeHandler(options: ExplodeOptions, out: OutputWriter): EventHandler {
  return {
    event(event: unknown, raw: RawLine | null) {
      const view = new EventView(event);
      if (!view.isLookupItem) {
        if (raw) writeLine(out, raw);
        else out.writeLine(JSON.stringify(event));
        return;
      }
      if (options['keep-lookup']) {
        out.writeLine(JSON.stringify({ ...view.record(), ...lookupOnly(event) }));
        return;
      }
      const text = ownValue(event, 'CloudTrailEvent');
      // The usual case: a compact record, written as it is once checked (not parsed).
      if (typeof text === 'string' && isJsonObjectText(text)) {
        out.writeLine(text);
        return;
      }
      const record = view.record(); // throws, naming the problem, if the record is bad
      const oneLine = typeof text === 'string' && text.indexOf('\n') < 0 && text.indexOf('\r') < 0;
      out.writeLine(oneLine ? text : JSON.stringify(record));
    },
  };
}

function lookupOnly(event: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of ['Username', 'Resources']) {
    const v = ownValue(event, key);
    if (v !== undefined) out[key] = v;
  }
  return out;
}
