// npm run bench: ctpipe against jq and DuckDB on the same input, in the same run.
// Generates BENCH_EVENTS (default 200,000) LookupEvents items with scripts/lib/synth.mjs into
// bench-data/, then times each command (best of BENCH_RUNS, default 3, taken in turn) and records peak RSS per
// process with GNU time. DuckDB runs each case as one SQL statement through @duckdb/node-api (a dev
// dependency; scripts/lib/duckdb-run.mjs), its time including node's start. Prints a Markdown table
// (the README's) and writes bench-data/results.md.
import { createWriteStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { lookupLines } from './lib/synth.mjs';
import { planBench, startServe } from './lib/plan-bench.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = path.join(root, 'bench-data');
const events = Number(process.env.BENCH_EVENTS ?? 200_000);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const lookup = path.join(dataDir, `lookup-${events}.ndjson`);
const records = path.join(dataDir, `records-${events}.ndjson`);
/** The records again as gzipped trail files of 400 records each (0.5 MB), as `aws s3 sync` leaves them. */
const trailDir = path.join(dataDir, `trail-${events}`);
/** The records again as gzipped trail files of 80 to 16,000 records (0.1 to 20 MB): busy accounts' sizes. */
const sizedDir = path.join(dataDir, `trail-sizes-${events}`);
// The bins run as users run them: through their shebang (which sets node's GC flags).
const bin = (name) => path.join(root, 'dist/bin', `${name}.js`);

for (const tool of ['jq', '/usr/bin/time']) {
  if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) {
    console.error(`bench: needs ${tool} (apt-get install jq time)`);
    process.exit(2);
  }
}

async function generate() {
  mkdirSync(dataDir, { recursive: true });
  if (existsSync(lookup) && existsSync(records)) {
    writeTrailFiles();
    writeSizedTrailFiles();
    return writeArchive();
  }
  console.error(`bench: writing ${events} events to ${lookup}`);
  const out = createWriteStream(lookup);
  for (const line of lookupLines(1, events)) if (!out.write(line)) await new Promise((r) => out.once('drain', r));
  await new Promise((r) => out.end(r));
  execFileSync('sh', ['-c', `${bin('ct-explode')} ${lookup} > ${records}`]);
  writeTrailFiles();
  writeSizedTrailFiles();
  writeArchive();
}

function writeTrailFiles() {
  if (existsSync(trailDir)) return;
  mkdirSync(trailDir);
  const lines = readFileSync(records, 'utf8').split('\n').filter(Boolean);
  for (let i = 0; i < lines.length; i += 400) {
    const name = `123456789012_CloudTrail_us-east-1_${String(i / 400).padStart(4, '0')}.json.gz`;
    writeFileSync(path.join(trailDir, name), gzipSync(`{"Records":[${lines.slice(i, i + 400).join(',')}]}`));
  }
}

function writeSizedTrailFiles() {
  if (existsSync(sizedDir)) return;
  mkdirSync(sizedDir);
  const lines = readFileSync(records, 'utf8').split('\n').filter(Boolean);
  const sizes = [80, 16000, 400, 8000, 160, 2000, 800, 4000];
  for (let i = 0, n = 0; i < lines.length; i += sizes[n++ % sizes.length]) {
    const name = `123456789012_CloudTrail_us-east-1_${String(n).padStart(4, '0')}.json.gz`;
    writeFileSync(path.join(sizedDir, name), gzipSync(`{"Records":[${lines.slice(i, i + sizes[n % sizes.length]).join(',')}]}`));
  }
}

/**
 * The records again as a synced trail bucket: AWSLogs/ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/, one
 * file per 500 records of a day and Region, named for its delivery five minutes after its last.
 */
const archiveDir = path.join(dataDir, `archive-${events}`);
function writeArchive() {
  if (existsSync(archiveDir)) return;
  const byFolder = new Map();
  for (const line of readFileSync(records, 'utf8').split('\n')) {
    if (!line) continue;
    const r = JSON.parse(line);
    const key = `${r.recipientAccountId ?? '123456789012'}/CloudTrail/${r.awsRegion}/${r.eventTime.slice(0, 10).replaceAll('-', '/')}`;
    if (!byFolder.has(key)) byFolder.set(key, []);
    byFolder.get(key).push([r.eventTime, line]);
  }
  for (const [key, list] of byFolder) {
    const dir = path.join(archiveDir, 'AWSLogs', key);
    mkdirSync(dir, { recursive: true });
    list.sort((a, b) => (a[0] < b[0] ? -1 : 1));
    const [account, , region] = key.split('/');
    for (let i = 0; i < list.length; i += 500) {
      const part = list.slice(i, i + 500);
      const delivered = new Date(Date.parse(part[part.length - 1][0]) + 5 * 60_000).toISOString();
      const stamp = `${delivered.slice(0, 10).replaceAll('-', '')}T${delivered.slice(11, 16).replace(':', '')}Z`;
      const name = `${account}_CloudTrail_${region}_${stamp}_${String(i / 500).padStart(16, '0')}.json.gz`;
      writeFileSync(path.join(dir, name), gzipSync(`{"Records":[${part.map((p) => p[1]).join(',')}]}`));
    }
  }
}

/**
 * Runs each script `runs` times, taking them in turn (ctpipe, jq, DuckDB, then again), with
 * every stage under GNU time; returns for each the best seconds and the largest peak RSS. In
 * turn, a noisy spell on this shared machine slows all three, not one of them: a ratio is taken
 * from runs made side by side.
 */
function measureInTurn(scripts) {
  const timed = scripts.map((script, s) => {
    const rssFiles = [];
    const line = script.replace(/\{\{(.+?)\}\}/g, (_, cmd) => {
      const file = path.join(dataDir, `rss-${s}-${rssFiles.length}`);
      rssFiles.push(file);
      return `/usr/bin/time -f %M -o ${file} ${cmd}`;
    });
    return { script, line, rssFiles, seconds: Infinity, rss: 0 };
  });
  for (let i = 0; i < runs; i++) {
    for (const t of timed) {
      const start = process.hrtime.bigint();
      const r = spawnSync('sh', ['-c', t.line], { stdio: ['ignore', 'ignore', 'inherit'] });
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      if (r.status !== 0) throw new Error(`failed: ${t.script}`);
      t.seconds = Math.min(t.seconds, seconds);
      for (const f of t.rssFiles) t.rss = Math.max(t.rss, Number(readFileSync(f, 'utf8').trim().split('\n').pop()));
    }
  }
  return timed.map((t) => ({ seconds: t.seconds, rssMb: t.rss / 1024 }));
}

/**
 * ct-fetch against ct-serve with the 2 requests/s limit on: 8,000 events over four Regions (about
 * half in us-east-1, where IAM, STS and sign-in are; 20 to 80 pages each), served as recent
 * history (--shift), so start-up weighs little: one Region, then four in parallel.
 */
async function fetchBench() {
  const events = path.join(dataDir, 'fetch-8000.ndjson');
  if (!existsSync(events)) writeFileSync(events, [...lookupLines(2, 8000)].join(''));
  const { server, url } = await startServe(bin, events);
  try {
    return await fetchRuns(url);
  } finally {
    server.kill('SIGTERM');
  }
}

async function fetchRuns(url) {
  const env = { ...process.env, AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'bench', AWS_EC2_METADATA_DISABLED: 'true' };
  const rows = ['| fetch against ct-serve (limit 2 requests/s per Region) | events | seconds | events/s | throttled |', '|---|---|---|---|---|'];
  for (const regions of ['us-east-1', 'us-east-1,eu-west-1,us-west-2,ap-northeast-1']) {
    console.error(`bench: ct-fetch --region ${regions}`);
    const before = await (await fetch(`${url}/__ctpipe/stats`)).json();
    const start = process.hrtime.bigint();
    const r = spawnSync('sh', ['-c', `${bin('ct-fetch')} --endpoint-url ${url} --region ${regions} | wc -l`], { env, encoding: 'utf8' });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const after = await (await fetch(`${url}/__ctpipe/stats`)).json();
    const n = Number(r.stdout.trim());
    rows.push(`| ${regions.split(',').length} Region${regions.includes(',') ? 's' : ''} | ${n} | ${seconds.toFixed(2)} | **${(n / seconds).toFixed(0)}** | ${after.throttled - before.throttled} |`);
  }
  return rows;
}

/** The median wall time of each command on empty input, over 21 runs taken in turn (a noisy spell slows them all). */
function startups(cmds) {
  const times = cmds.map(() => []);
  for (let i = 0; i < 21; i++) {
    cmds.forEach((cmd, k) => {
      const start = process.hrtime.bigint();
      spawnSync('sh', ['-c', `${cmd} < /dev/null > /dev/null`]);
      times[k].push(Number(process.hrtime.bigint() - start) / 1e6);
    });
  }
  return times.map((t) => t.sort((a, b) => a - b)[t.length >> 1]);
}

/**
 * The start-up line: ct-where and ct-csv with an option (parsed without yargs, see
 * cli/plain-args.ts) against node itself and jq. Node loads NODE_EXTRA_CA_CERTS at start-up; the
 * bins but ct-fetch drop it (their shebang), so node is timed without it too, the fair mark for them.
 */
function startupLine() {
  const bare = process.env.NODE_EXTRA_CA_CERTS !== undefined;
  const [where, csv, node, jq, bareNode] = startups([
    bin('ct-where') + ' x=1',
    `${bin('ct-csv')} -f ${CSV_FIELDS}`,
    'node -e 0',
    'jq .',
    ...(bare ? ['env -u NODE_EXTRA_CA_CERTS node -e 0'] : []),
  ]);
  return `Start-up on empty input (medians of 21 taken in turn): ct-where ${where.toFixed(0)} ms, ct-csv -f (6 fields) ${csv.toFixed(0)} ms, \`node -e 0\` ${node.toFixed(0)} ms${
    bare ? ` (${bareNode.toFixed(0)} ms without NODE_EXTRA_CA_CERTS, set here: the bins drop it)` : ''
  }, jq ${jq.toFixed(0)} ms.`;
}

/**
 * What a user waits for after Tab, in bash: the completion function itself (as
 * `eval "$(ct-catalog completion bash)"` defines it) for LINE, mean of 20 calls.
 */
function tabInBash(line) {
  const script = execFileSync(bin('ct-catalog'), ['completion', 'bash'], { encoding: 'utf8' });
  const body = `${script}
COMP_LINE="$1"; COMP_POINT=\${#COMP_LINE}; COMP_WORDS=($COMP_LINE); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1))
start=$EPOCHREALTIME; for i in {1..20}; do _ctpipe_complete; done; echo "$start $EPOCHREALTIME \${#COMPREPLY[@]}"`;
  const [start, end, found] = execFileSync('bash', ['--norc', '-c', body, 'bench', line], { encoding: 'utf8' }).trim().split(' ').map(Number);
  if (!(found > 0)) throw new Error(`bench: completion of '${line}' found nothing`);
  return ((end - start) * 1000) / 20;
}

const CSV_FIELDS = 'eventTime,eventSource,eventName,awsRegion,sourceIPAddress,errorCode';
const JQ_CSV = '[.eventTime, .eventSource, .eventName, .awsRegion, .sourceIPAddress, .errorCode] | @csv';
// DuckDB: items read as JSON objects, the record parsed from CloudTrailEvent; records and trail
// files read with only the columns a case needs (read_json's projection), as a user would.
const ITEMS = `read_ndjson_objects('${lookup}')`;
const RECORD = "(json->>'CloudTrailEvent')::JSON";
const SQL_CSV = "r->>'eventTime', r->>'eventSource', r->>'eventName', r->>'awsRegion', r->>'sourceIPAddress', r->>'errorCode'";
const AS_LINES = "(FORMAT csv, HEADER false, QUOTE '')";
const TRAIL = `read_json('${trailDir}/*.json.gz', columns={Records: 'JSON[]'}, maximum_object_size=1073741824)`;
/** The day the trail-bucket case asks about: one in the middle of the generated events' span. */
const DAY = '2024-06-15';
const sqlDenied = `COPY (SELECT ${SQL_CSV} FROM (SELECT ${RECORD} AS r FROM ${ITEMS}) WHERE (r->>'errorCode') LIKE '%Denied%') TO '/dev/stdout' (FORMAT csv)`;
const cases = [
  ['ct-where errorCode~Denied (items)', `{{${bin('ct-where')} errorCode~Denied}} < ${lookup} > /dev/null`,
    `{{jq -c 'select((.CloudTrailEvent|fromjson|.errorCode // "")|test("Denied"))'}} < ${lookup} > /dev/null`, lookup,
    `COPY (SELECT json FROM ${ITEMS} WHERE (${RECORD}->>'errorCode') LIKE '%Denied%') TO '/dev/stdout' ${AS_LINES}`],
  ['ct-where readOnly=true (items)', `{{${bin('ct-where')} readOnly=true}} < ${lookup} > /dev/null`,
    `{{jq -c 'select((.CloudTrailEvent|fromjson|.readOnly)==true)'}} < ${lookup} > /dev/null`, lookup,
    `COPY (SELECT json FROM ${ITEMS} WHERE (${RECORD}->>'readOnly') = 'true') TO '/dev/stdout' ${AS_LINES}`],
  ['ct-explode (items)', `{{${bin('ct-explode')}}} < ${lookup} > /dev/null`, `{{jq -c '.CloudTrailEvent|fromjson'}} < ${lookup} > /dev/null`, lookup,
    `COPY (SELECT ${RECORD} FROM ${ITEMS}) TO '/dev/stdout' ${AS_LINES}`],
  ['ct-csv 6 fields (records)', `{{${bin('ct-csv')} -f ${CSV_FIELDS}}} < ${records} > /dev/null`, `{{jq -r '${JQ_CSV}'}} < ${records} > /dev/null`, records,
    `COPY (SELECT ${CSV_FIELDS} FROM read_json('${records}', format='newline_delimited', columns={${CSV_FIELDS.split(',').map((f) => `${f}: 'VARCHAR'`).join(', ')}})) TO '/dev/stdout' (FORMAT csv)`],
  ['ct-explode trail files (records as 500 gzipped documents)', `{{${bin('ct-explode')} ${trailDir}}} > /dev/null`,
    `{{sh -c 'zcat ${trailDir}/*.json.gz | jq -c .Records[]'}} > /dev/null`, records,
    `COPY (SELECT unnest(Records) FROM ${TRAIL}) TO '/dev/stdout' ${AS_LINES}`],
  ['ct-explode trail files of 0.1 to 20 MB (the same records in 50 documents)', `{{${bin('ct-explode')} ${sizedDir}}} > /dev/null`,
    `{{sh -c 'zcat ${sizedDir}/*.json.gz | jq -c .Records[]'}} > /dev/null`, records,
    `COPY (SELECT unnest(Records) FROM ${TRAIL.replace(trailDir, sizedDir)}) TO '/dev/stdout' ${AS_LINES}`],
  ['ct-where errorCode~Denied trail files (the same 500 documents)', `{{${bin('ct-where')} errorCode~Denied ${trailDir}}} > /dev/null`,
    `{{sh -c 'zcat ${trailDir}/*.json.gz | jq -c ".Records[] | select((.errorCode // \\"\\") | test(\\"Denied\\"))"'}} > /dev/null`, records,
    `COPY (SELECT r FROM (SELECT unnest(Records) AS r FROM ${TRAIL}) WHERE (r->>'errorCode') LIKE '%Denied%') TO '/dev/stdout' ${AS_LINES}`],
  ['explode \\| where \\| csv (items)',
    `{{${bin('ct-explode')}}} < ${lookup} | {{${bin('ct-where')} errorCode~Denied}} | {{${bin('ct-csv')} -f ${CSV_FIELDS}}} > /dev/null`,
    `{{jq -r '.CloudTrailEvent|fromjson|select((.errorCode // "")|test("Denied"))|${JQ_CSV}'}} < ${lookup} > /dev/null`, lookup, sqlDenied],
  // The same result with the filter first: ct-where reads items and skips most lines unparsed.
  ['where \\| explode \\| csv (items)',
    `{{${bin('ct-where')} errorCode~Denied}} < ${lookup} | {{${bin('ct-explode')}}} | {{${bin('ct-csv')} -f ${CSV_FIELDS}}} > /dev/null`,
    `{{jq -r '.CloudTrailEvent|fromjson|select((.errorCode // "")|test("Denied"))|${JQ_CSV}'}} < ${lookup} > /dev/null`, lookup, sqlDenied],
  // One day's failed calls from a bucket of ~90 days: ctpipe opens only that day's files (and the
  // next day's, its slack); jq and DuckDB read every file and filter.
  ['ct-where one day of a trail bucket (--start-time/--end-time)',
    `{{${bin('ct-where')} 'errorCode exists' --start-time ${DAY}T00:00:00Z --end-time ${DAY}T23:59:59Z ${archiveDir}}} > /dev/null`,
    `{{sh -c 'find ${archiveDir} -name "*.json.gz" -exec zcat {} + | jq -c ".Records[] | select(.eventTime >= \\"${DAY}T00:00:00Z\\" and .eventTime <= \\"${DAY}T23:59:59Z\\" and .errorCode != null)"'}} > /dev/null`, records,
    `COPY (SELECT r FROM (SELECT unnest(Records) AS r FROM read_json('${archiveDir}/AWSLogs/*/CloudTrail/*/*/*/*/*.json.gz', columns={Records: 'JSON[]'}, maximum_object_size=1073741824)) WHERE (r->>'eventTime') BETWEEN '${DAY}T00:00:00Z' AND '${DAY}T23:59:59Z' AND (r->>'errorCode') IS NOT NULL) TO '/dev/stdout' ${AS_LINES}`],
  // Group and count: jq must slurp the whole input to group it.
  ['ct-count errorCode,eventSource (items)', `{{${bin('ct-count')} errorCode,eventSource --json}} < ${lookup} > /dev/null`,
    `{{jq -sc 'map(.CloudTrailEvent|fromjson|{e: .errorCode, s: .eventSource, t: .eventTime}) | group_by([.e, .s]) | map({errorCode: .[0].e, eventSource: .[0].s, count: length, first: (map(.t) | min), last: (map(.t) | max)}) | sort_by(-.count) | .[]'}} < ${lookup} > /dev/null`, lookup,
    `COPY (SELECT r->>'errorCode' AS errorCode, r->>'eventSource' AS eventSource, count(*) AS count, min(r->>'eventTime') AS firstSeen, max(r->>'eventTime') AS lastSeen FROM (SELECT ${RECORD} AS r FROM ${ITEMS}) GROUP BY ALL ORDER BY count DESC) TO '/dev/stdout' (FORMAT json)`],
];

/**
 * The DuckDB side of a case: its SQL in a file, run by scripts/lib/duckdb-run.mjs. Its node drops
 * NODE_EXTRA_CA_CERTS as the bins do (their shebang): it makes no TLS connection either.
 */
function duckdb(sql, index) {
  const file = path.join(dataDir, `case-${index}.sql`);
  writeFileSync(file, sql);
  return `{{env -u NODE_EXTRA_CA_CERTS node ${path.join(root, 'scripts/lib/duckdb-run.mjs')} ${file}}} > /dev/null`;
}

/** DuckDB's version, as the node package that bundles it names it (1.5.6-r.1: DuckDB 1.5.6). */
function duckdbVersion() {
  return JSON.parse(readFileSync(path.join(root, 'node_modules/@duckdb/node-api/package.json'), 'utf8')).version.replace(/-r\.\d+$/, '');
}

if (process.env.BENCH_ONLY === 'startup') {
  // The start-up line alone: BENCH_ONLY=startup npm run bench.
  console.log(startupLine());
  process.exit(0);
}
if (process.env.BENCH_ONLY === 'plan') {
  // The planner's table alone (a few minutes at the real limit): BENCH_ONLY=plan npm run bench.
  mkdirSync(dataDir, { recursive: true });
  const planRows = await planBench({ dataDir, bin, events: Number(process.env.BENCH_PLAN_EVENTS ?? 24_000) });
  console.log(planRows.join('\n'));
  process.exit(0);
}
await generate();
if (process.env.BENCH_ONLY === 'data') {
  // The input files and DuckDB's queries alone, to measure by hand: BENCH_ONLY=data npm run bench.
  for (const [index, c] of cases.entries()) duckdb(c[4], index);
  console.log(`bench: data in ${dataDir}`);
  process.exit(0);
}
const rows = [];
const rate = (mb, m) => `${(mb / m.seconds).toFixed(0)} MB/s, ${(events / m.seconds / 1000).toFixed(0)}k ev/s`;
for (const [index, [name, ours, theirs, input, sql]] of cases.entries()) {
  const mb = statSync(input).size / 1e6;
  console.error(`bench: ${name}`);
  const [a, b, d] = measureInTurn([ours, theirs, duckdb(sql, index)]);
  rows.push(`| ${name} | ${rate(mb, a)} | ${a.rssMb.toFixed(0)} MB | ${rate(mb, b)} | ${b.rssMb.toFixed(0)} MB | **${(b.seconds / a.seconds).toFixed(1)}x** | ${rate(mb, d)} | ${d.rssMb.toFixed(0)} MB | **${(d.seconds / a.seconds).toFixed(1)}x** |`);
}
const started = startupLine();
const completion = [
  'ct-fetch -a EventSource=ec2',
  'ct-fetch -a EventName=Describe',
  'ct-fetch -a ResourceType=AWS::EC2::',
  'ct-where userIdentity.session',
].map((line) => [line, tabInBash(line)]);
const fetchRows = await fetchBench();
const planRows = await planBench({ dataDir, bin, events: Number(process.env.BENCH_PLAN_EVENTS ?? 24_000) });
const table = [
  `${events.toLocaleString('en')} LookupEvents items (${(statSync(lookup).size / 1e6).toFixed(0)} MB; records ${(statSync(records).size / 1e6).toFixed(0)} MB), ${runs} runs of each taken in turn, best; jq ${execFileSync('jq', ['--version']).toString().trim()}, DuckDB ${duckdbVersion()}, node ${process.version}, ${(await import('node:os')).cpus().length} cores`,
  '',
  '| case | ctpipe | ctpipe peak RSS | jq | jq peak RSS | vs jq | DuckDB | DuckDB peak RSS | vs DuckDB |',
  '|---|---|---|---|---|---|---|---|---|',
  ...rows,
  '',
  started,
  '',
  ...fetchRows,
  '',
  ...planRows,
  '',
  `Shell completion (Tab in bash: the function from \`ct-catalog completion bash\`, mean of 20): ${completion.map(([l, ms]) => `\`${l}<Tab>\` ${ms.toFixed(0)} ms`).join(', ')}.`,
].join('\n');
writeFileSync(path.join(dataDir, 'results.md'), `${table}\n`);
console.log(table);
