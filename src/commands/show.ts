// ct-show: events a person can read. One line per event (chosen fields in columns that widen as
// wider values come, cut to the terminal's width, failed calls in red on a terminal), or with
// --long each event whole (its CloudTrailEvent expanded) and a block to paste into a support case.
import type { Argv } from 'yargs';
import { MAX_LINE_OPTION, STRICT_OPTION, toList, type Command, type OptionTable } from '../cli/command';
import { EventView } from '../events/event-view';
import { parsePath, type FieldPath } from '../events/field-path';
import { unknownFieldWarning } from '../events/known-fields';
import { usageError } from '../common/errors';
import { cutTo, displayWidth, noPaint, padTo, paint, prettyJson, STYLE, terminalSafe, type Painter } from '../output/terminal-text';
import { trailLines } from '../fast/trail-lines';
import { EventLoop } from '../run/event-loop';
import { warn, type Io } from '../run/io';
import { cell, zoneRenderer } from '../events/cells';
import { splitFields } from './csv';

interface ShowOptions {
  files: string[];
  fields: string[];
  long: boolean;
  color: string;
  width?: number;
  tz?: string;
  strict: boolean;
  'max-line'?: number;
}

export const SHOW_FIELDS = ['eventTime', 'awsRegion', 'eventSource', 'eventName', 'user', 'sourceIPAddress', 'errorCode'];

/** Columns start this wide (so the first lines already line up), and widen past it as needed. */
const START_WIDTH: Record<string, number> = {
  eventTime: 20, awsRegion: 14, eventSource: 26, eventName: 24, user: 24, sourceIPAddress: 15,
};

const OPTIONS: OptionTable = {
  fields: { alias: 'f', type: 'string', coerce: toList, describe: `Columns, comma-separated or repeated (default ${SHOW_FIELDS.join(',')})` },
  long: { alias: 'l', type: 'boolean', default: false, describe: 'Each event whole, as indented JSON with its CloudTrailEvent expanded, then a block to paste into a support case' },
  color: { type: 'string', choices: ['auto', 'always', 'never'], default: 'auto', describe: 'Colour: auto (on a terminal, unless NO_COLOR is set), always or never' },
  width: { type: 'number', describe: 'Cut lines to this many columns (default: the terminal\'s width; lines in a pipe are not cut)' },
  tz: { type: 'string', describe: "Show times in this zone: an IANA name (Asia/Tokyo), UTC or 'local' (the support-case block shows UTC and this zone, by default local)" },
  strict: STRICT_OPTION,
  'max-line': MAX_LINE_OPTION,
};

export const showCommand: Command<ShowOptions> = {
  name: 'ct-show',
  optionTable: OPTIONS,
  usage: (y: Argv) =>
    y
      .usage(
        'Usage: ct-show [options] [FILE|DIR...]\n\n' +
          'Show events for reading: one line each, in columns (time, Region, source, name, user, source\n' +
          'address, error code by default; -f chooses, as ct-csv -f), cut to the terminal\'s width, calls that\n' +
          'failed in red. --long shows each event whole, then the event ID, Region, times, caller and\n' +
          'console link to paste into a support case. Reads LookupEvents items and records alike.',
      )
      .command('$0 [files..]', false),
  examples: [
    ['ct-show events.ndjson', 'one line per event'],
    ["ct-where 'errorCode~Denied' events.ndjson | ct-show -f eventTime,user,eventName,errorCode", 'denied calls, chosen columns'],
    ["ct-where 'eventName=RunInstances' events.ndjson | head -1 | ct-show --long --tz Asia/Tokyo", 'one event whole, with its support-case block'],
  ],
  run: runShow,
  plain: { positional: 'files', minimum: 0 },
};

async function runShow(options: ShowOptions, io: Io): Promise<number> {
  const specs = options.fields?.length ? options.fields.flatMap(splitFields) : SHOW_FIELDS;
  const columns = specs.map((text) => parsePath(text, '--fields'));
  for (const path of columns) {
    const message = unknownFieldWarning(path);
    if (message) warn(io, message);
  }
  if (options.width !== undefined && !(Number.isInteger(options.width) && options.width >= 10)) {
    throw usageError(`--width: a whole number of columns from 10, not ${options.width}`);
  }
  const terminal = io.stdoutTerminal;
  const coloured = options.color === 'always' || (options.color === 'auto' && terminal !== undefined && !process.env.NO_COLOR);
  const p: Painter = coloured ? paint : noPaint;
  const width = options.width ?? terminal?.columns;
  const render = options.long ? longRenderer(p, options.tz ?? 'local') : lineRenderer(columns, specs, p, width, options.tz);
  const loop = new EventLoop(io, options.strict, options['max-line']);
  loop.documentLines = trailLines();
  loop.interruptible = true;
  return loop.run((options.files ?? []).map(String), {
    event(event: unknown) {
      io.out.writeLine(render(new EventView(event)));
    },
  });
}

/** One line per event: columns as wide as the widest value yet (at least START_WIDTH), the last unpadded. */
function lineRenderer(columns: FieldPath[], names: string[], p: Painter, width: number | undefined, tz: string | undefined): (view: EventView) => string {
  const widths = names.map((n) => START_WIDTH[n] ?? 0);
  const isTime = names.map((n) => n === 'eventTime' || n === 'EventTime');
  const inZone = tz === undefined ? undefined : zoneRenderer(tz);
  const errorColumn = names.indexOf('errorCode');
  const errorPath = parsePath('errorCode', 'errorCode');
  return (view) => {
    const cells = columns.map((path, i) => {
      const value = view.resolve(path);
      const text = terminalSafe(String(cell(isTime[i] && inZone ? inZone(value) : value)));
      return text === '' ? '-' : text;
    });
    const failed = errorColumn >= 0 ? cells[errorColumn] !== '-' : view.resolve(errorPath) !== undefined;
    let line = '';
    for (let i = 0; i < cells.length; i++) {
      const last = i === cells.length - 1;
      if (!last) widths[i] = Math.max(widths[i], displayWidth(cells[i]));
      line += last ? cells[i] : `${padTo(cells[i], widths[i])}  `;
    }
    line = line.trimEnd();
    if (width !== undefined) line = cutTo(line, width);
    return failed ? p(STYLE.red, line) : line;
  };
}

const KEYS = { id: parsePath('eventID', 'eventID'), region: parsePath('awsRegion', 'awsRegion'), time: parsePath('eventTime', 'eventTime') };
const MORE = {
  source: parsePath('eventSource', 'eventSource'), name: parsePath('eventName', 'eventName'), user: parsePath('user', 'user'),
  arn: parsePath('userIdentity.arn', 'userIdentity.arn'), key: parsePath('userIdentity.accessKeyId', 'userIdentity.accessKeyId'),
  address: parsePath('sourceIPAddress', 'sourceIPAddress'), errorCode: parsePath('errorCode', 'errorCode'),
  errorMessage: parsePath('errorMessage', 'errorMessage'), url: parsePath('consoleUrl', 'consoleUrl'),
};

/** Each event whole, then the support-case block; a blank line between events. */
function longRenderer(p: Painter, tz: string): (view: EventView) => string {
  const inZone = zoneRenderer(tz);
  const zoneName = tz === 'local' ? Intl.DateTimeFormat().resolvedOptions().timeZone : tz;
  return (view) => {
    const whole = view.isLookupItem ? { ...(view.event as object), CloudTrailEvent: view.record() } : view.event;
    const text = (path: FieldPath): string => terminalSafe(String(cell(view.resolve(path))));
    const time = view.resolve(KEYS.time);
    const caller = [text(MORE.user), text(MORE.arn), text(MORE.key) && `access key ${text(MORE.key)}`].filter(Boolean);
    const error = [text(MORE.errorCode), text(MORE.errorMessage)].filter(Boolean).join(': ');
    const rows: [string, string][] = [
      ['Event ID', text(KEYS.id)],
      ['Region', text(KEYS.region)],
      ['Time (UTC)', terminalSafe(String(cell(time)))],
      [`Time (${terminalSafe(zoneName)})`, terminalSafe(String(cell(inZone(time))))],
      ['Event', [text(MORE.source), text(MORE.name)].filter(Boolean).join(' ')],
      ['Caller', caller.join(', ')],
      ['Source address', text(MORE.address)],
      ...(error ? [['Error', error] as [string, string]] : []),
      ['Console', text(MORE.url)],
    ];
    const label = Math.max(...rows.map(([k]) => displayWidth(k)));
    const block = rows.map(([k, v]) => `${p(STYLE.bold, padTo(`${k}:`, label + 1))} ${v === '' ? '-' : v}`);
    return `${prettyJson(whole, p)}\n${p(STYLE.dim, '-- for a support case --')}\n${block.join('\n')}\n`;
  };
}
