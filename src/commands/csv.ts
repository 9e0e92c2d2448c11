// ct-csv: CSV (or TSV) of chosen fields that opens correctly in Excel. Lines of cells that a
// spreadsheet would run as a formula get a leading ' unless told otherwise, and cells holding a
// line break are always quoted (see output/csv-cells.ts).
import type { Argv } from 'yargs';
import { toList, type Command, type OptionTable, MAX_LINE_OPTION, SCOPE_OPTIONS, STRICT_OPTION } from '../cli/command';
import { trailLines } from '../fast/trail-lines';
import { EventLoop } from '../run/event-loop';
import { usageError } from '../common/errors';
import { parsePath } from '../events/field-path';
import { warn, type Io } from '../run/io';
import { unknownFieldWarning } from '../events/known-fields';
import { zoneRenderer } from '../events/cells';
import { csvHandler, type CsvPlan } from './csv-handler';
import { threadPlan } from './handlers';
import { scopeOf, type ScopeOptions } from './scope';

interface CsvOptions extends ScopeOptions {
  files: string[];
  fields: string[];
  tsv: boolean;
  header: boolean;
  excel: boolean;
  'escape-formulas': boolean;
  tz?: string;
  strict: boolean;
  'max-line'?: number;
}

export const DEFAULT_FIELDS = [
  'eventTime', 'eventSource', 'eventName', 'awsRegion', 'sourceIPAddress', 'userIdentity.arn', 'user',
  'errorCode', 'errorMessage', 'eventID', 'readOnly',
];

const OPTIONS: OptionTable = {
  fields: { alias: 'f', type: 'string', coerce: toList, describe: 'Columns, comma-separated or repeated' },
  tsv: { type: 'boolean', default: false, describe: 'Tab-separated instead of comma-separated' },
  header: { type: 'boolean', default: true, describe: 'Write a header row (--no-header to leave it out)' },
  excel: { type: 'boolean', default: false, describe: 'UTF-8 byte order mark and CRLF line ends, for Excel' },
  'escape-formulas': { type: 'boolean', default: true, describe: "Prefix each line of a cell that starts with = + - @ (or after spaces, or full-width), tab or CR with ' (--no-escape-formulas to keep them)" },
  tz: { type: 'string', describe: "Render times in this zone: an IANA name (Asia/Tokyo), UTC or 'local'" },
  ...SCOPE_OPTIONS,
  strict: STRICT_OPTION,
  'max-line': MAX_LINE_OPTION,
};

export const csvCommand: Command<CsvOptions> = {
  name: 'ct-csv',
  optionTable: OPTIONS,
  usage: (y: Argv) =>
    y
      .usage(
        'Usage: ct-csv [options] [FILE|DIR...]\n\n' +
          'Write events as CSV, one row per event. Fields are paths as in ct-where; on LookupEvents items,\n' +
          `fields not on the item come from its CloudTrailEvent. Default fields:\n  ${DEFAULT_FIELDS.join(',')}\n` +
          "('user' is the best short name of who acted.) Objects and arrays become compact JSON in the cell.",
      )
      .command('$0 [files..]', false),
  examples: [
    ['ct-where errorCode~Denied -- events.ndjson | ct-csv --excel > denied.csv', 'denied calls for a spreadsheet'],
    ['ct-csv -f eventTime,eventName,user,requestParameters --tz Asia/Tokyo', 'chosen columns, times in Tokyo'],
    ["ct-csv -f 'resources[].ARN' -f errorCode --tsv --no-header", 'TSV without a header'],
  ],
  run: runCsv,
  plain: { positional: 'files', minimum: 0 },
};

async function runCsv(options: CsvOptions, io: Io): Promise<number> {
  const specs = options.fields?.length ? options.fields.flatMap(splitFields) : DEFAULT_FIELDS;
  const columns = specs.map((text) => parsePath(text, '--fields'));
  for (const path of columns) {
    const message = unknownFieldWarning(path);
    if (message) warn(io, message);
  }
  if (options.tz) zoneRenderer(options.tz); // an unknown zone is a usage error before any output
  const now = Date.now();
  const scope = await scopeOf(options, now);
  const plan: CsvPlan = {
    fields: specs, header: options.header, tsv: options.tsv, excel: options.excel, escapeFormulas: options['escape-formulas'], tz: options.tz,
    where: { terms: scope.terms, now },
  };
  const loop = new EventLoop(io, options.strict, options['max-line']);
  loop.documentLines = trailLines();
  loop.interruptible = true;
  loop.scope = scope.paths;
  if (options.excel) io.out.write('\uFEFF');
  // The header is the main thread's first row; threads write rows only.
  return loop.run((options.files ?? []).map(String), csvHandler(plan, io.out), threadPlan('csv', { ...plan, header: false }));
}

/** Splits "a,b" into paths, leaving commas inside quoted keys alone. */
export function splitFields(spec: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < spec.length; i++) {
    const c = spec[i];
    if (c === '"' && spec[i - 1] !== '\\') quoted = !quoted;
    if (c === ',' && !quoted) {
      out.push(current.trim());
      current = '';
    } else current += c;
  }
  out.push(current.trim());
  const fields = out.filter((f) => f !== '');
  if (fields.length === 0) throw usageError(`--fields: no field names in '${spec}'`);
  return fields;
}
