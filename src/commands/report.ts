// ct-report: one self-contained HTML page to look at: events over time, the top principals,
// addresses, error codes and event names, and a sortable table with console links.
import type { Argv } from 'yargs';
import { MAX_LINE_OPTION, STRICT_OPTION, type Command, type OptionTable } from '../cli/command';
import { usageError } from '../common/errors';
import { unknownFieldWarning } from '../events/known-fields';
import { parsePath } from '../events/field-path';
import { reportPage } from '../output/report-page';
import { trailLines } from '../fast/trail-lines';
import { EventLoop } from '../run/event-loop';
import { warn, type Io } from '../run/io';
import { DEFAULT_MAX_GROUPS } from './count';
import { ReportSummary, tooMany } from './report-summary';

interface ReportOptions {
  files: string[];
  by: string;
  top: number;
  rows: number;
  title: string;
  'max-groups': number;
  strict: boolean;
  'max-line'?: number;
}

const OPTIONS: OptionTable = {
  by: { type: 'string', default: 'eventName', describe: 'What the bars over time are stacked by: a field, e.g. errorCode, eventSource, user' },
  top: { type: 'number', default: 10, describe: 'How many values each chart shows (the rest of the timeline stacks as "other")' },
  rows: { type: 'number', default: 2000, describe: 'Events in the table, the first read (the charts count every event)' },
  title: { type: 'string', default: 'CloudTrail events', describe: 'The page\'s title' },
  'max-groups': { type: 'number', default: DEFAULT_MAX_GROUPS, describe: 'Stop with an error past this many distinct values counted, rather than run out of memory' },
  strict: STRICT_OPTION,
  'max-line': MAX_LINE_OPTION,
};

export const reportCommand: Command<ReportOptions> = {
  name: 'ct-report',
  optionTable: OPTIONS,
  usage: (y: Argv) =>
    y
      .usage(
        'Usage: ct-report [options] [FILE|DIR...] > report.html\n\n' +
          'Write one HTML page that opens offline in any browser: events over time (stacked by event name,\n' +
          'or --by another field), the top principals, source addresses, error codes and event names, and a\n' +
          'sortable table of the events with links to the CloudTrail console. Charts by Chart.js, inlined;\n' +
          'the page loads nothing from the network. Reads LookupEvents items and records alike.',
      )
      .command('$0 [files..]', false),
  examples: [
    ['ct-report events.ndjson > report.html', 'everything, by event name'],
    ["ct-where 'errorCode exists' events.ndjson | ct-report --by errorCode --title 'Failed calls' > errors.html", 'failed calls, by error code'],
    ['ct-report --top 5 --rows 100 events.ndjson > small.html', 'five of each, a hundred rows'],
  ],
  run: runReport,
  plain: { positional: 'files', minimum: 0 },
};

async function runReport(options: ReportOptions, io: Io): Promise<number> {
  for (const [name, min] of [['top', 1], ['rows', 0], ['max-groups', 1]] as const) {
    const value = options[name];
    if (!(Number.isInteger(value) && value >= min)) throw usageError(`--${name}: a whole number from ${min}, not ${value}`);
  }
  const message = unknownFieldWarning(parsePath(options.by, '--by'));
  if (message) warn(io, message);
  const summary = new ReportSummary(options.by, options.top, options.rows, options['max-groups']);
  const loop = new EventLoop(io, options.strict, options['max-line']);
  loop.documentLines = trailLines();
  loop.interruptible = true;
  const status = await loop.run((options.files ?? []).map(String), {
    event(event: unknown) {
      summary.add(event);
    },
  });
  if (summary.over) throw tooMany(options['max-groups']);
  io.out.write(reportPage(options.title, summary.summary()));
  return status;
}
