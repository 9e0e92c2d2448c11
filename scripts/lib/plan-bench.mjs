// npm run bench's planner table (issue 17): each of the seed's questions as one `ct-fetch --where`
// against ct-serve at the real limit (2 requests/s per Region), its calls and seconds against
// fetching the whole window of the same three Regions (what `ct-fetch | ct-where` costs).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { lookupLines } from './synth.mjs';

const REGIONS = ['us-east-1', 'eu-west-1', 'ap-northeast-1'];

export const QUESTIONS = [
  ['errorCode contains Denied, last 2 hours, EC2', "--start-time 2h --where 'eventSource=ec2.amazonaws.com and errorCode~Denied'"],
  ['one source address', "--where 'sourceIPAddress=203.0.113.7'"],
  ['a user AND an address', "--where 'Username=alice and sourceIPAddress in 203.0.113.0/24'"],
  ['failed SwitchRole', "--where 'eventName=SwitchRole and responseElements.SwitchRole=Failure'"],
  ['failed console logins', "--where 'eventName=ConsoleLogin and responseElements.ConsoleLogin=Failure'"],
  ['what the root user did (about 1% of events)', "--where 'Username=root'"],
];

/** ct-serve on `file` as recent history (--shift), with the real limit; its process and URL. */
export async function startServe(bin, file) {
  const server = spawn(process.execPath, [bin('ct-serve'), '--shift', file], { stdio: ['ignore', 'pipe', 'ignore'] });
  const url = await new Promise((resolve) => {
    let text = '';
    server.stdout.setEncoding('utf8').on('data', (d) => {
      text += d;
      if (text.includes('\n')) resolve(text.slice(0, text.indexOf('\n')));
    });
  });
  return { server, url };
}

/** `events` generated events of three Regions, served as recent history; returns the table's lines. */
export async function planBench({ dataDir, bin, events = 24_000 }) {
  const file = path.join(dataDir, `plan-${events}.ndjson`);
  if (!existsSync(file)) {
    // The generator's four Regions less us-west-2: three, about half of the events in us-east-1.
    const kept = [...lookupLines(3, events)].filter((l) => !l.includes('\\"awsRegion\\":\\"us-west-2\\"'));
    writeFileSync(file, kept.join(''));
  }
  const { server, url } = await startServe(bin, file);
  const env = { ...process.env, AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'bench', AWS_EC2_METADATA_DISABLED: 'true' };
  const stats = async () => (await fetch(`${url}/__ctpipe/stats`)).json();
  const run = async (args) => {
    const before = await stats();
    const start = process.hrtime.bigint();
    const r = spawnSync('sh', ['-c', `${bin('ct-fetch')} --endpoint-url ${url} --region ${REGIONS.join(',')} ${args}`], { env, encoding: 'utf8', maxBuffer: 1 << 30 });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const after = await stats();
    if (r.status !== 0) throw new Error(`failed: ct-fetch ${args}\n${r.stderr}`);
    return { seconds, calls: after.requests - before.requests, throttled: after.throttled - before.throttled, out: r.stdout, err: r.stderr };
  };
  try {
    console.error('bench: planner: the full fetch of three Regions at 2 requests/s');
    const full = await run('');
    const all = full.out.split('\n').filter(Boolean);
    const rows = [
      `ct-fetch --where against ct-serve, ${all.length.toLocaleString('en')} events in 3 Regions (${REGIONS.join(', ')}), 2 requests/s per Region. Full fetch of the window (\`ct-fetch | ct-where\`): ${full.calls} calls, ${full.seconds.toFixed(1)} s.`,
      '',
      '| question | `ct-fetch --region us-east-1,eu-west-1,ap-northeast-1 ...` | events | share of all events its lookups return | calls | of the full fetch\'s | seconds | full fetch seconds |',
      '|---|---|---|---|---|---|---|---|',
    ];
    for (const [question, args] of QUESTIONS) {
      console.error(`bench: planner: ${question}`);
      const r = await run(args);
      const share = await narrowest(args, all);
      rows.push(
        `| ${question} | \`${args.replace(/\|/g, '\\|')}\` | ${r.out.split('\n').filter(Boolean).length} | ${share} | ${r.calls} | **${((100 * r.calls) / full.calls).toFixed(1)}%** | ${r.seconds.toFixed(1)} | ${full.seconds.toFixed(1)} |`,
      );
    }
    return rows;
  } finally {
    server.kill('SIGTERM');
  }
}

/** The share of the window's events the plan's lookups return (from --explain's lookups, counted on the data). */
async function narrowest(args, all) {
  const m = /--where '([^']*)'/.exec(args);
  const explain = spawnSync('sh', ['-c', `${path.join(path.dirname(new URL(import.meta.url).pathname), '../../dist/bin/ct-fetch.js')} --region ${REGIONS.join(',')} --explain --where '${m[1]}'`], { encoding: 'utf8', env: { ...process.env, AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x' } });
  const keys = [...explain.stdout.matchAll(/^ {2}\d+\. (\w+)=(\S+?), /gm)].map((x) => [x[1], x[2]]);
  if (keys.length === 0) return 'no lookup attribute: all';
  const hit = all.filter((l) => {
    const item = JSON.parse(l);
    return keys.some(([k, v]) => (k === 'ResourceName' || k === 'ResourceType' ? (item.Resources ?? []).some((r) => r[k] === v) : item[k] === v));
  }).length;
  return `${((100 * hit) / all.length).toFixed(1)}% (${[...new Set(keys.map(([k, v]) => `${k}=${v}`))].join(', ')})`;
}
