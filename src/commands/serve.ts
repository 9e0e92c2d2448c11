// ct-serve: a local CloudTrail LookupEvents endpoint over events in any form ct-explode reads.
// For demos, offline work and tests of pipelines; the first stdout line is its URL.
import type { Argv } from 'yargs';
import type { Command } from '../cli/main';
import { EventScanner } from '../core/event-scan';
import { usageError } from '../core/errors';
import { warn, type Io } from '../core/io';
import { seededRandom } from '../core/random';
import { EventStore } from '../serve/event-store';
import { LookupServer } from '../serve/server';

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
}

export const serveCommand: Command<ServeCommandOptions> = {
  name: 'ct-serve',
  options: (y: Argv) =>
    y
      .usage(
        'Usage: ct-serve [options] [FILE|DIR...]\n\n' +
          'Serve LookupEvents on 127.0.0.1 over the given events (NDJSON, lookup-events output, trail files,\n' +
          'gzipped or not). Speaks the AWS JSON 1.1 protocol: works with ct-fetch --endpoint-url, the AWS SDKs\n' +
          'and `aws cloudtrail lookup-events --endpoint-url`, with any credentials. Events go to the Region in\n' +
          'their awsRegion; a request goes to the Region it is signed for. Prints its URL on the first line;\n' +
          'stops on Ctrl-C or SIGTERM. Events are held in memory.',
      )
      .command('$0 [files..]', false)
      .option('port', { type: 'number', default: 0, describe: 'Port (0: a free one)' })
      .option('rate', { type: 'number', default: 2, describe: 'Requests per second per Region (a token bucket) before ThrottlingException (0: no limit)' })
      .option('region', { type: 'string', default: 'us-east-1', describe: 'Region for events without awsRegion and unsigned requests' })
      .option('fail-rate', { type: 'number', default: 0, describe: 'Share of requests answered 500 or 503 (0 to 1)' })
      .option('reset-rate', { type: 'number', default: 0, describe: 'Share of requests whose connection is reset (0 to 1)' })
      .option('delay', { type: 'number', default: 0, describe: 'Milliseconds to wait before each answer' })
      .option('deny', { type: 'boolean', default: false, describe: 'Answer every call with AccessDeniedException' })
      .option('seed', { type: 'number', describe: 'Seed for the fault injection, to repeat a run' })
      .example([
        ['ct-serve data/sample-events.ndjson.gz', 'serve the bundled sample'],
        ['ct-serve --rate 0 trail/', 'no rate limit'],
        ['ct-serve --fail-rate 0.2 --reset-rate 0.05 --seed 7 events.ndjson', 'a flaky endpoint, repeatably'],
        ['aws cloudtrail lookup-events --endpoint-url http://127.0.0.1:8080 --region us-east-1', 'the AWS CLI against it'],
      ]) as unknown as Argv<ServeCommandOptions>,
  run: runServe,
};

async function runServe(options: ServeCommandOptions, io: Io): Promise<number> {
  for (const name of ['fail-rate', 'reset-rate'] as const) {
    if (!(options[name] >= 0 && options[name] <= 1)) throw usageError(`--${name}: expected a share from 0 to 1, got ${options[name]}`);
  }
  const store = new EventStore(options.region);
  const scanner = new EventScanner(io, false);
  const loaded = await scanner.run((options.files ?? []).map(String), { event: (e) => store.add(e) });
  store.seal();
  const server = new LookupServer(store, {
    rate: options.rate,
    failRate: options['fail-rate'],
    resetRate: options['reset-rate'],
    delayMs: options.delay,
    deny: options.deny,
    defaultRegion: options.region,
    random: seededRandom(options.seed ?? Date.now()),
  });
  const url = await server.listen(options.port);
  io.stdout.write(`${url}\n`);
  const regions = [...store.regions()].map(([r, n]) => `${r} ${n}`).join(', ') || 'none';
  warn(io, `serving LookupEvents at ${url} (events per Region: ${regions}; limit ${options.rate || 'off'} requests/s per Region)`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  return loaded;
}
