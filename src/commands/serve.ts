// ct-serve: a local CloudTrail LookupEvents endpoint over events in any form ct-explode reads.
// For demos, offline work and tests of pipelines; the first stdout line is its URL.
import { accessSync, constants } from 'node:fs';
import type { Argv } from 'yargs';
import { toList, type Command, type OptionTable } from '../cli/command';
import { EventLoop } from '../run/event-loop';
import { CtError, EXIT, usageError } from '../common/errors';
import { warn, type Io } from '../run/io';
import { seededRandom } from '../common/random';
import { EventStore } from '../serve/event-store';
import { fileErrorText } from '../input/sources';
import { LookupServer } from '../serve/server';
import { iso, parseTimeOption } from '../fetch/lookup-options';
import { checkedRegion } from '../catalog/check-value';

/** `412 days 3 h` forward or back. */
function describeShift(ms: number): string {
  const days = Math.floor(Math.abs(ms) / 864e5);
  const hours = Math.round((Math.abs(ms) % 864e5) / 36e5);
  return `${ms > 0 ? 'forward' : 'back'} ${days} days ${hours} h`;
}

interface ServeCommandOptions {
  files: string[];
  port: number;
  rate: number;
  region: string;
  'fail-rate': number;
  'reset-rate': number;
  delay: number;
  deny: boolean;
  seed?: number;
  now?: string;
  shift: boolean;
  credentials: string[];
  'enabled-regions': string[];
  'history-days': number;
}

const OPTIONS: OptionTable = {
  port: { type: 'number', default: 0, describe: 'Port (0: a free one)' },
  rate: { type: 'number', default: 2, describe: 'Requests per second per Region (a token bucket) before ThrottlingException (0: no limit)' },
  region: { type: 'string', default: 'us-east-1', describe: 'Region for events without awsRegion and unsigned requests' },
  'fail-rate': { type: 'number', default: 0, describe: 'Share of requests answered 500 or 503 (0 to 1)' },
  'reset-rate': { type: 'number', default: 0, describe: 'Share of requests whose connection is reset (0 to 1)' },
  delay: { type: 'number', default: 0, describe: 'Milliseconds to wait before each answer' },
  deny: { type: 'boolean', default: false, describe: 'Answer every call with AccessDeniedException' },
  seed: { type: 'number', describe: 'Seed for the fault injection, to repeat a run' },
  credentials: { type: 'string', coerce: toList, default: [], describe: 'KEY:SECRET (repeatable): check every SigV4 signature, answering as AWS does (default: any keys)' },
  'enabled-regions': { type: 'string', coerce: toList, default: [], describe: 'Regions the account has enabled (comma-separated); others answer UnrecognizedClientException, as an opt-in Region not enabled does' },
  now: { type: 'string', describe: "The server's clock (default: now): it serves the 90 days before it, as event history keeps" },
  shift: { type: 'boolean', default: false, describe: 'Serve the events as recent history: move them all so the newest is a minute before the clock' },
  'history-days': { type: 'number', default: 90, describe: 'Days of history kept before the clock (0: every event, whatever its age)' },
};

export const serveCommand: Command<ServeCommandOptions> = {
  name: 'ct-serve',
  optionTable: OPTIONS,
  usage: (y: Argv) =>
    y
      .usage(
        'Usage: ct-serve [options] [FILE|DIR...]\n\n' +
          'Serve LookupEvents on 127.0.0.1 over the given events (NDJSON, lookup-events output, trail files,\n' +
          'gzipped or not). Speaks the AWS JSON 1.1 protocol: works with ct-fetch --endpoint-url, the AWS SDKs\n' +
          'and `aws cloudtrail lookup-events --endpoint-url`, with any credentials. Events go to the Region in\n' +
          'their awsRegion; a request goes to the Region it is signed for. Prints its URL on the first line;\n' +
          'stops on Ctrl-C or SIGTERM. Events are held in memory. As event history, it serves management and\n' +
          'Insights events of the 90 days before its clock (--now); --shift makes any dataset recent history.',
      )
      .command('$0 [files..]', false),
  examples: [
    ['ct-serve --port 8080 --shift data/sample-events.ndjson.gz', 'serve the bundled sample at http://127.0.0.1:8080 as the last days'],
    ['ct-serve --now 2024-07-24 data/sample-events.ndjson.gz', 'the sample as it was: a clock two days after its events'],
    ['ct-serve --history-days 0 AWSLogs/', 'a trail archive of any age'],
    ['ct-serve --rate 0 trail/', 'no rate limit'],
    ['ct-serve --fail-rate 0.2 --reset-rate 0.05 --seed 7 events.ndjson', 'a flaky endpoint, repeatably'],
    ['ct-serve --credentials AKIDEXAMPLE:secret --enabled-regions us-east-1,eu-west-1 events.ndjson', 'only these keys, only these Regions'],
    ['aws cloudtrail lookup-events --endpoint-url http://127.0.0.1:8080 --region us-east-1', 'the AWS CLI against it'],
  ],
  run: runServe,
  plain: { positional: 'files', minimum: 0 },
};

async function runServe(options: ServeCommandOptions, io: Io): Promise<number> {
  for (const name of ['fail-rate', 'reset-rate'] as const) {
    if (!(options[name] >= 0 && options[name] <= 1)) throw usageError(`--${name}: expected a share from 0 to 1, got ${options[name]}`);
  }
  const nowMs = options.now === undefined ? Date.now() : parseTimeOption(options.now, '--now', Date.now());
  const historyDays = options['history-days'];
  if (!(Number.isFinite(historyDays) && historyDays >= 0)) throw usageError(`--history-days: a number of days from 0 (0: no limit), not ${historyDays}`);
  const keys = new Map<string, string>();
  for (const pair of options.credentials) {
    const colon = pair.indexOf(':');
    if (colon < 1 || colon === pair.length - 1) throw usageError(`--credentials: expected ACCESS_KEY_ID:SECRET_ACCESS_KEY, e.g. AKIDEXAMPLE:secret`);
    keys.set(pair.slice(0, colon), pair.slice(colon + 1));
  }
  const enabled = options['enabled-regions'].flatMap((r) => r.split(',')).map((r) => r.trim()).filter(Boolean).map((r) => checkedRegion(r, '--enabled-regions'));
  const files = (options.files ?? []).map(String);
  // A file that cannot be read ends it here: serving part of what was asked for would pass for all.
  for (const file of files) {
    if (file === '-') continue;
    try {
      accessSync(file, constants.R_OK);
    } catch (err) {
      throw new CtError('input', `cannot read ${file}: ${fileErrorText(err)}; nothing served`, EXIT.data);
    }
  }
  const store = new EventStore(options.region);
  const loop = new EventLoop(io, false);
  const loaded = await loop.run(files, { event: (e) => store.add(e) });
  store.seal({ nowMs, shift: options.shift, historyDays });
  if (store.shiftedMs) warn(io, `--shift: every event moved ${describeShift(store.shiftedMs)}, so the newest is a minute before ${iso(nowMs)}`);
  if (store.outsideHistory) {
    const window = historyDays > 0 ? `the ${historyDays} days before ${iso(nowMs)}` : `before ${iso(nowMs)}`;
    const hint = options.shift ? '' : ' (--shift serves a dataset as recent history, --history-days 0 every event)';
    warn(io, `held back ${store.outsideHistory} events outside ${window}, as event history keeps${hint}`);
  }
  const server = new LookupServer(store, {
    rate: options.rate,
    failRate: options['fail-rate'],
    resetRate: options['reset-rate'],
    delayMs: options.delay,
    deny: options.deny,
    defaultRegion: options.region,
    random: seededRandom(options.seed ?? Date.now()),
    keys: keys.size ? keys : undefined,
    enabledRegions: enabled.length ? new Set(enabled) : undefined,
  });
  let url: string;
  try {
    url = await server.listen(options.port);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new CtError('usage', `--port ${options.port}: already in use; pick another, or --port 0 for any free one`, EXIT.usage);
    if (code === 'EACCES') throw new CtError('usage', `--port ${options.port}: not allowed (ports below 1024 need privileges); --port 0 picks a free one`, EXIT.usage);
    throw err;
  }
  try {
    io.out.writeLine(url);
    await io.out.flush();
  } catch (err) {
    await server.close();
    throw err;
  }
  if (store.heldBack.size) {
    const held = [...store.heldBack].map(([why, n]) => `${n} ${why}`).join(' and ');
    warn(io, `held back ${held}: event history shows management and Insights events only`);
  }
  if (store.strayGlobal.size) {
    const stray = [...store.strayGlobal].map(([source, n]) => `${n} of ${source}`).join(', ');
    warn(io, `warning: events of global services recorded outside us-east-1 (${stray}): AWS's event history shows them in us-east-1 only; served in the Region they name`);
  }
  const regions = [...store.regions()].map(([r, n]) => `${r} ${n}`).join(', ') || 'none';
  warn(io, `serving LookupEvents at ${url} (events per Region: ${regions}; limit ${options.rate || 'off'} requests/s per Region)`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  return loaded;
}
