// The cookbook's "who did what" questions, run as the README prints them on the sample served as
// recent history (ct-serve --shift, fetched with ct-fetch), each answer checked against the same
// question worked out here in plain code over the fetched events.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FETCH_ENV, lines, ROOT, SAMPLE, serve, sh, tempDir, type Served } from '../helpers';

interface Row {
  eventID: string; eventTime: string; eventName: string; awsRegion: string; errorCode?: string; sourceIPAddress: string;
  userIdentity: { accessKeyId?: string; arn?: string; userName?: string; type?: string; sessionContext?: { sessionIssuer?: { userName?: string } } };
}

const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
let dir = '';
let server: Served;
let records: (Row & { user: string })[] = [];

/** Runs a cookbook line as printed (it must be in the README), in the folder holding events.ndjson. */
async function cookbook(line: string): Promise<string> {
  expect(readme).toContain(`\n${line}\n`);
  const r = await sh(`set -e; ${line}`, { cwd: dir });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
}

/** An aligned table's rows as cells ('-' read as empty). */
const table = (text: string): string[][] => lines(text).slice(1).map((l) => l.trim().split(/ {2,}/).map((c) => (c === '-' ? '' : c)));

beforeAll(async () => {
  dir = tempDir();
  server = await serve(['--port', '0', '--rate', '0', '--shift', SAMPLE]);
  const fetched = await sh(`${FETCH_ENV} ct-fetch --endpoint-url ${server.url} --region us-east-1 --start-time 3d > events.ndjson`, { cwd: dir });
  expect(fetched.code).toBe(0);
  const items = lines(readFileSync(path.join(dir, 'events.ndjson'), 'utf8')).map((l) => JSON.parse(l) as { CloudTrailEvent: string });
  const users = lines((await sh('ct-csv --no-header -f user events.ndjson', { cwd: dir })).stdout);
  records = items.map((item, i) => ({ ...(JSON.parse(item.CloudTrailEvent) as Row), user: users[i] }));
  expect(records.length).toBeGreaterThan(1000);
}, 60000);
afterAll(() => server?.stop());

/** Counts by key, most frequent first, with first and last seen. */
function groups(rows: typeof records, key: (r: Row & { user: string }) => string): Map<string, { n: number; first: string; last: string }> {
  const m = new Map<string, { n: number; first: string; last: string }>();
  for (const r of rows) {
    const g = m.get(key(r)) ?? { n: 0, first: r.eventTime, last: r.eventTime };
    g.n++;
    if (r.eventTime < g.first) g.first = r.eventTime;
    if (r.eventTime > g.last) g.last = r.eventTime;
    m.set(key(r), g);
  }
  return m;
}

describe('the cookbook on the sample', () => {
  test('the top error codes, with first and last seen', async () => {
    const rows = table(await cookbook('ct-count errorCode events.ndjson'));
    const want = groups(records, (r) => r.errorCode ?? '');
    expect(rows).toHaveLength(want.size);
    for (const [count, first, last, code] of rows) expect({ code, count: Number(count), first, last }).toEqual({ code: code ?? '', count: want.get(code ?? '')!.n, first: want.get(code ?? '')!.first, last: want.get(code ?? '')!.last });
    expect(rows.map((r) => Number(r[0]))).toEqual([...rows.map((r) => Number(r[0]))].sort((a, b) => b - a));
  });

  test('who was denied what in the last two hours', async () => {
    const rows = table(await cookbook("ct-where 'errorCode~Denied and eventTime >= -2h' events.ndjson | ct-count user,eventName"));
    const since = new Date(Date.now() - 2 * 3600_000).toISOString();
    const want = groups(records.filter((r) => r.errorCode?.includes('Denied') && r.eventTime >= since.replace(/\.\d+Z$/, 'Z')), (r) => `${r.user} ${r.eventName}`);
    expect(want.size).toBeGreaterThan(0);
    expect(new Map(rows.map(([count, , , user, name]) => [`${user} ${name}`, Number(count)]))).toEqual(new Map([...want].map(([k, g]) => [k, g.n])));
  });

  test('how many source addresses used each access key', async () => {
    const rows = table(await cookbook('ct-count userIdentity.accessKeyId --distinct sourceIPAddress events.ndjson'));
    const addresses = new Map<string, Set<string>>();
    for (const r of records) {
      const key = r.userIdentity?.accessKeyId ?? '';
      if (!addresses.has(key)) addresses.set(key, new Set());
      if (r.sourceIPAddress) addresses.get(key)!.add(r.sourceIPAddress);
    }
    expect(rows).toHaveLength(addresses.size);
    for (const [count, distinct, , , key] of rows) {
      expect(Number(distinct), key).toBe(addresses.get(key ?? '')!.size);
      expect(Number(count), key).toBe(records.filter((r) => (r.userIdentity?.accessKeyId ?? '') === (key ?? '')).length);
    }
  });

  test('what one principal did, in time order, to read', async () => {
    const out = lines(await cookbook("ct-where 'user=alice or user$=/alice' events.ndjson | tac | ct-show -f eventTime,awsRegion,eventName,sourceIPAddress,errorCode"));
    const want = records.filter((r) => r.user === 'alice' || r.user.endsWith('/alice')).reverse();
    expect(want.length).toBeGreaterThan(20);
    expect(out.map((l) => l.split(/ {2,}/).map((c) => (c === '-' ? '' : c)))).toEqual(want.map((r) => [r.eventTime, r.awsRegion, r.eventName, r.sourceIPAddress, r.errorCode ?? '']));
    expect(out.map((l) => l.slice(0, 20))).toEqual([...out.map((l) => l.slice(0, 20))].sort());
  });

  test('the support-case block for one event', async () => {
    const out = await cookbook("ct-where 'eventName=RunInstances' events.ndjson | head -1 | ct-show --long --tz Europe/London");
    const event = records.find((r) => r.eventName === 'RunInstances')!;
    const block = new Map(lines(out.slice(out.indexOf('-- for a support case --'))).slice(1).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]));
    expect(block.get('Event ID')).toBe(event.eventID);
    expect(block.get('Region')).toBe(event.awsRegion);
    expect(block.get('Time (UTC)')).toBe(event.eventTime);
    // The same instant in London's time (GMT or BST, by the date --shift gave it).
    const london = block.get('Time (Europe/London)')!;
    expect(london).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|\+01:00)$/);
    expect(Date.parse(london)).toBe(Date.parse(event.eventTime));
    expect(block.get('Console')).toBe(`https://${event.awsRegion}.console.aws.amazon.com/cloudtrailv2/home?region=${event.awsRegion}#/events/${event.eventID}`);
  });
});
