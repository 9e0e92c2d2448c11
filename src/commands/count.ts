// ct-count: group events by fields and count them, with first and last seen: the pivot table
// people export to a spreadsheet for (top error codes, who was denied, addresses per key).
import type { Argv } from 'yargs';
import { stringify } from 'csv-stringify/sync';
import { MAX_LINE_OPTION, STRICT_OPTION, type Command, type OptionTable } from '../cli/command';
import { CtError, EXIT, usageError } from '../common/errors';
import { parsePath } from '../events/field-path';
import { unknownFieldWarning } from '../events/known-fields';
import { neutraliseFormulas, QUOTE_CELLS_MATCHING } from '../output/csv-cells';
import { displayWidth, terminalSafe } from '../output/terminal-text';
import { trailLines } from '../fast/trail-lines';
import { EventLoop } from '../run/event-loop';
import { warn, type Io } from '../run/io';
import { countHandler, type CountPlan } from './count-handler';
import { splitFields } from './csv';
import { threadPlan } from './handlers';

interface CountOptions {
  args: string[];
  top?: number;
  distinct?: string;
  csv: boolean;
  tsv: boolean;
  json: boolean;
  'max-groups': number;
  strict: boolean;
  'max-line'?: number;
}

/** Groups (and distinct values) held at most, by default: a few hundred MB at worst. */
export const DEFAULT_MAX_GROUPS = 1_000_000;

const OPTIONS: OptionTable = {
  top: { type: 'number', describe: 'Only the N largest groups' },
  distinct: { type: 'string', describe: 'Also count the distinct values of this field in each group (e.g. sourceIPAddress per access key)' },
  csv: { type: 'boolean', default: false, describe: 'CSV (cells a spreadsheet would run as formulas escaped, as ct-csv does)' },
  tsv: { type: 'boolean', default: false, describe: 'Tab-separated' },
  json: { type: 'boolean', default: false, describe: 'One JSON object per group (NDJSON)' },
  'max-groups': { type: 'number', default: DEFAULT_MAX_GROUPS, describe: 'Stop with an error past this many groups (and distinct values), rather than run out of memory' },
  strict: STRICT_OPTION,
  'max-line': MAX_LINE_OPTION,
};

export const countCommand: Command<CountOptions> = {
  name: 'ct-count',
  optionTable: OPTIONS,
  usage: (y: Argv) =>
    y
      .usage(
        'Usage: ct-count [options] FIELDS [FILE...]\n\n' +
          'Group events by FIELDS (comma-separated paths, as ct-csv -f takes them, and the computed user) and\n' +
          'print each group once: how many events, first and last seen (eventTime, UTC), most frequent first.\n' +
          'Reads LookupEvents items and records alike, from stdin, files and directories. An aligned table;\n' +
          '--csv, --tsv or --json for other tools. Memory grows with the number of groups only.',
      )
      .positional('args', { type: 'string', array: true })
      .command('$0 [args..]', false),
  examples: [
    ['ct-count errorCode events.ndjson', 'the top error codes'],
    ["ct-where 'errorCode~Denied and eventTime >= -2h' events.ndjson | ct-count user,eventName", 'who was denied what, in the last two hours'],
    ['ct-count userIdentity.accessKeyId --distinct sourceIPAddress events.ndjson', 'how many addresses used each access key'],
    ['ct-count eventSource,eventName --top 10 --csv events.ndjson > top.csv', 'the ten most frequent calls, for a spreadsheet'],
  ],
  run: runCount,
  plain: { positional: 'args', minimum: 1 },
};

async function runCount(options: CountOptions, io: Io): Promise<number> {
  const args = (options.args ?? []).map(String);
  if (args.length === 0) throw new CtError('usage', 'no FIELDS given, e.g. ct-count errorCode events.ndjson', EXIT.usage);
  const names = splitFields(args[0]);
  const fields = names.map((text) => parsePath(text, 'FIELDS'));
  const distinct = options.distinct === undefined ? undefined : parsePath(String(options.distinct), '--distinct');
  for (const path of distinct ? [...fields, distinct] : fields) {
    const message = unknownFieldWarning(path);
    if (message) warn(io, message);
  }
  const top = options.top;
  if (top !== undefined && !(Number.isInteger(top) && top >= 1)) throw usageError(`--top: a whole number from 1, not ${top}`);
  const maxGroups = options['max-groups'];
  if (!(Number.isInteger(maxGroups) && maxGroups >= 1)) throw usageError(`--max-groups: a whole number from 1, not ${maxGroups}`);
  if ([options.csv, options.tsv, options.json].filter(Boolean).length > 1) throw usageError('--csv, --tsv and --json: choose one');

  const plan: CountPlan = { fields: names, distinct: distinct?.text, maxGroups };
  const handler = countHandler(plan, io.out);
  const loop = new EventLoop(io, options.strict, options['max-line']);
  loop.documentLines = trailLines();
  loop.interruptible = true;
  const status = await loop.run(args.slice(1), handler, threadPlan('count', { ...plan, partial: true }));
  const groups = handler.groups.groups;
  if (handler.groups.over) throw tooMany(maxGroups);
  const sorted = [...groups.values()].sort((a, b) => b.count - a.count || order(a.first, b.first) || compare(a.values, b.values));
  const shown = top === undefined ? sorted : sorted.slice(0, top);
  const header = ['count', ...(distinct ? [`distinct ${distinct.text}`] : []), 'first seen', 'last seen', ...names];
  const rows = shown.map((g) => [String(g.count), ...(g.distinct ? [String(g.distinct.size)] : []), iso(g.first), iso(g.last), ...g.values]);
  if (options.json) {
    for (const g of shown) {
      const row: Record<string, unknown> = {};
      names.forEach((name, i) => (row[name] = g.values[i] === '' ? null : g.values[i]));
      row.count = g.count;
      if (g.distinct) row.distinct = g.distinct.size;
      row.firstSeen = iso(g.first) || null;
      row.lastSeen = iso(g.last) || null;
      io.out.writeLine(JSON.stringify(row));
    }
  } else if (options.csv || options.tsv) {
    const cells = [header, ...rows];
    io.out.write(
      stringify(cells, { delimiter: options.tsv ? '\t' : ',', quoted_match: QUOTE_CELLS_MATCHING, cast: { string: (t: string) => neutraliseFormulas(t) } }),
    );
  } else {
    io.out.write(table(header, rows, distinct ? 2 : 1));
  }
  return status;
}

function tooMany(max: number): CtError {
  return new CtError('limit', `more than ${max} groups and distinct values (--max-groups): count by fewer or coarser fields, or raise the limit`, EXIT.data);
}

function order(a: number, b: number): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
  if (Number.isNaN(b)) return -1;
  return a - b;
}

function compare(a: string[], b: string[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}

function iso(ms: number): string {
  return Number.isNaN(ms) ? '' : new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** Columns as wide as their widest cell (East Asian wide characters count two); numbers right-aligned. */
function table(header: string[], rows: string[][], numeric: number): string {
  // Event text cannot drive the terminal: escaped as ct-show escapes it.
  const shown = (s: string): string => (s === '' ? '-' : terminalSafe(s));
  const all = [header, ...rows.map((r) => r.map(shown))];
  // A loop, not Math.max(...): a spread of a million rows overflows the stack.
  const widths = header.map((_, i) => all.reduce((max, r) => Math.max(max, displayWidth(r[i])), 0));
  return all
    .map((r) =>
      r
        .map((c, i) => {
          const pad = ' '.repeat(widths[i] - displayWidth(c));
          if (i === r.length - 1) return i < numeric ? pad + c : c;
          return i < numeric ? pad + c : c + pad;
        })
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
    .concat('\n');
}
