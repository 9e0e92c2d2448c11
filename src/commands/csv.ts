// ct-csv: CSV (or TSV) of chosen fields that opens correctly in Excel. Lines of cells that a
// spreadsheet would run as a formula get a leading ' unless told otherwise, and cells holding a
// line break are always quoted (see output/csv-cells.ts).
import type { Argv } from 'yargs';
import { stringify } from 'csv-stringify/sync';
import { toList, type Command, type OptionTable, MAX_LINE_OPTION, STRICT_OPTION } from '../cli/command';
import { EventView } from '../events/event-view';
import { neutraliseFormulas, QUOTE_CELLS_MATCHING } from '../output/csv-cells';
import { EventLoop } from '../run/event-loop';
import { CtError, EXIT, usageError } from '../common/errors';
import { Many, parsePath, type FieldPath } from '../events/field-path';
import { warn, type Io } from '../run/io';
import { unknownFieldWarning } from '../events/known-fields';
import { eventTimeMs, isoAtOffset } from '../events/time';

interface CsvOptions {
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

/** Fields holding instants, rendered in --tz. */
const TIME_FIELDS = new Set(['eventTime', 'EventTime', 'creationDate']);

const OPTIONS: OptionTable = {
  fields: { alias: 'f', type: 'string', coerce: toList, describe: 'Columns, comma-separated or repeated' },
  tsv: { type: 'boolean', default: false, describe: 'Tab-separated instead of comma-separated' },
  header: { type: 'boolean', default: true, describe: 'Write a header row (--no-header to leave it out)' },
  excel: { type: 'boolean', default: false, describe: 'UTF-8 byte order mark and CRLF line ends, for Excel' },
  'escape-formulas': { type: 'boolean', default: true, describe: "Prefix each line of a cell that starts with = + - @ (or after spaces, or full-width), tab or CR with ' (--no-escape-formulas to keep them)" },
  tz: { type: 'string', describe: "Render times in this zone: an IANA name (Asia/Tokyo), UTC or 'local'" },
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
  const renderTime = options.tz ? zoneRenderer(options.tz) : undefined;
  const timeColumn = columns.map((p) => isTimeField(p));
  const escape = options['escape-formulas'];
  const stringifyOptions = {
    delimiter: options.tsv ? '\t' : ',',
    record_delimiter: options.excel ? 'windows' : 'unix',
    quoted_match: QUOTE_CELLS_MATCHING,
    cast: {
      boolean: (b: boolean) => String(b),
      string: (text: string) => (escape ? neutraliseFormulas(text) : text),
    },
  };
  const loop = new EventLoop(io, options.strict, options['max-line']);
  loop.interruptible = true;
  const out = io.out;
  let rows: unknown[][] = options.header ? [specs] : [];
  if (options.excel) out.write('\uFEFF');
  return loop.run((options.files ?? []).map(String), {
    event(event: unknown) {
      const view = new EventView(event);
      const row = new Array<unknown>(columns.length);
      for (let i = 0; i < columns.length; i++) {
        const value = view.resolve(columns[i]);
        row[i] = cell(timeColumn[i] && renderTime ? renderTime(value) : value);
      }
      rows.push(row);
    },
    endBatch() {
      if (rows.length) out.write(stringify(rows, stringifyOptions));
      rows = [];
    },
  });
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

function isTimeField(path: FieldPath): boolean {
  const last = path.steps[path.steps.length - 1];
  return last.kind === 'key' && TIME_FIELDS.has(last.name);
}

export function cell(value: unknown): unknown {
  if (value === undefined || value === null) return '';
  if (value instanceof Many) return value.values.length === 1 ? cell(value.values[0]) : JSON.stringify(value.values);
  if (typeof value === 'object') return JSON.stringify(value);
  return value;
}

/**
 * Renders an instant as ISO 8601 with the zone's offset: 2024-07-22T09:00:00+09:00 (Z for UTC).
 * Zones whose offset then had seconds (local mean time before 1900, +09:18:59) are written with
 * the offset rounded to the minute and the clock moved with it: the same instant, valid ISO.
 * A value that is no time passes unchanged; a time no calendar holds (1e20) is a bad event.
 */
export function zoneRenderer(tz: string): (value: unknown) => unknown {
  const timeZone = tz === 'local' ? Intl.DateTimeFormat().resolvedOptions().timeZone : tz;
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
  } catch {
    throw usageError(`--tz: unknown time zone '${tz}': use an IANA name such as Asia/Tokyo or Europe/Paris, UTC, or 'local'`);
  }
  return (value) => {
    if (value instanceof Many) return value;
    const ms = eventTimeMs(value);
    if (ms === undefined) {
      if (typeof value === 'number' || (typeof value === 'string' && /^\s*[-+]?\d/.test(value))) {
        throw new CtError('data', `time out of range: ${String(value).slice(0, 40)} (no calendar date); event skipped`, EXIT.data);
      }
      return value;
    }
    const name = format.formatToParts(ms).find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
    return isoAtOffset(ms, offsetMinutes(name));
  };
}

/** `GMT`, `GMT+09:00`, `GMT-03:30`, `GMT+09:18:59` -> minutes east of UTC, to the nearest minute. */
function offsetMinutes(name: string): number {
  const m = /^GMT([+-])(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(name);
  if (!m) return 0;
  const minutes = Number(m[2]) * 60 + Number(m[3]) + Math.round(Number(m[4] ?? 0) / 60);
  return m[1] === '-' ? -minutes : minutes;
}
