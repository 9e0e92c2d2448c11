// ct-fetch against ct-serve through real pipes: the real AWS SDK client, the real wire protocol.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { CORPUS, eventIds, FETCH_ENV, lines, SAMPLE, serve, sh, type Served, SAMPLE_CLOCK, ANY_AGE } from '../helpers';

const items = gunzipSync(readFileSync(SAMPLE)).toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const regionOf = (item: { CloudTrailEvent: string }): string => JSON.parse(item.CloudTrailEvent).awsRegion;
const inRegion = (region: string): typeof items => items.filter((i) => regionOf(i) === region);
const idsOf = (list: { EventId: string }[]): string[] => list.map((i) => i.EventId).sort();

let open: Served;
beforeAll(async () => {
  open = await serve(['--rate', '0', ...SAMPLE_CLOCK, SAMPLE]);
});
afterAll(() => open.stop());

const fetchCmd = (url: string, args: string): string => `${FETCH_ENV} ct-fetch --endpoint-url ${url} --rate 0 ${args}`;

describe('ct-fetch pages through everything', () => {
  test('every event of a Region exactly once over many small pages, newest first', async () => {
    const r = await sh(fetchCmd(open.url, '--region us-east-1 --page-size 7'));
    expect(r.code).toBe(0);
    expect(eventIds(r.stdout)).toEqual(idsOf(inRegion('us-east-1')));
    const times = lines(r.stdout).map((l) => Date.parse(JSON.parse(l).EventTime));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(lines(r.stdout)[0]).toMatch(/"EventTime":"2024-07-2\dT\d\d:\d\d:\d\dZ"/);
    expect(r.stderr).toContain('ct-fetch: time window (UTC): the start of event history to now; Region us-east-1');
  }, 60000);

  test('several Regions in parallel into one stream', async () => {
    const r = await sh(fetchCmd(open.url, '--region us-east-1,eu-west-1 --region ap-northeast-1'));
    expect(eventIds(r.stdout)).toEqual(idsOf([...inRegion('us-east-1'), ...inRegion('eu-west-1'), ...inRegion('ap-northeast-1')]));
  }, 60000);

  test('--region all asks every Region of the catalogue', async () => {
    const before = (await open.stats()).byRegion;
    const r = await sh(fetchCmd(open.url, '--region all -a EventName=SwitchRole'));
    expect(eventIds(r.stdout)).toEqual(idsOf(items.filter((i) => i.EventName === 'SwitchRole')));
    const after = (await open.stats()).byRegion;
    expect(Object.keys(after).length).toBeGreaterThan(30);
    expect(after['sa-east-1'] - (before['sa-east-1'] ?? 0)).toBe(1);
  }, 60000);
});

describe('progress', () => {
  test('--progress draws a live line per Region on stderr; without a terminal there is none', async () => {
    const on = await sh(fetchCmd(open.url, '--region us-east-1,eu-west-1 --progress -a EventName=SwitchRole'));
    expect(on.stderr).toMatch(/\r\x1b\[K\d+ events, \d+\/s, [\d.]+s \| us-east-1 \d+ ev\/\d+ pg \| eu-west-1 \d+ ev\/\d+ pg/);
    const off = await sh(fetchCmd(open.url, '--region us-east-1 -a EventName=SwitchRole'));
    expect(off.stderr).not.toContain('\r');
  });
});

describe('each lookup attribute matches exactly', () => {
  const one = inRegion('eu-west-1').find((i) => i.Resources.length > 0 && i.AccessKeyId)!;
  const cases: [string, string, (i: (typeof items)[number]) => boolean][] = [
    ['EventId', one.EventId, (i) => i.EventId === one.EventId],
    ['EventName', 'RunInstances', (i) => i.EventName === 'RunInstances'],
    ['ReadOnly', 'false', (i) => i.ReadOnly === 'false'],
    ['Username', 'José', (i) => i.Username === 'José'],
    ['ResourceType', 'AWS::EC2::Instance', (i) => i.Resources.some((x: { ResourceType: string }) => x.ResourceType === 'AWS::EC2::Instance')],
    ['ResourceName', one.Resources[0].ResourceName, (i) => i.Resources.some((x: { ResourceName: string }) => x.ResourceName === one.Resources[0].ResourceName)],
    ['EventSource', 'kms.amazonaws.com', (i) => i.EventSource === 'kms.amazonaws.com'],
    ['AccessKeyId', one.AccessKeyId, (i) => i.AccessKeyId === one.AccessKeyId],
  ];
  test.each(cases)('%s', async (key, value, want) => {
    const r = await sh(fetchCmd(open.url, `--region eu-west-1 -a '${key}=${value}'`));
    const expected = idsOf(inRegion('eu-west-1').filter(want));
    expect(expected.length).toBeGreaterThan(0);
    expect(eventIds(r.stdout)).toEqual(expected);
  }, 30000);

  test('matching is case-sensitive', async () => {
    const r = await sh(fetchCmd(open.url, '--region eu-west-1 -a EventName=runinstances'));
    expect(r.stdout).toBe('');
  });
});

describe('the time window', () => {
  test('is inclusive at both ends', async () => {
    const t = inRegion('us-west-2')[10].EventTime;
    const r = await sh(fetchCmd(open.url, `--region us-west-2 --start-time ${t} --end-time ${t}`));
    expect(eventIds(r.stdout)).toEqual(idsOf(inRegion('us-west-2').filter((i) => i.EventTime === t)));
    expect(r.stderr).toContain(`time window (UTC): ${t} to ${t}`);
  });

  test('reads a local time without zone, epoch seconds and ISO with a zone as the same instant', async () => {
    const t = '2024-07-23T09:00:00Z';
    const a = await sh(fetchCmd(open.url, `--region us-west-2 --start-time 2024-07-23T18:00:00+09:00 --end-time 2024-07-23T10:00Z`));
    const b = await sh(`TZ=Asia/Tokyo ${fetchCmd(open.url, "--region us-west-2 --start-time '2024-07-23 18:00' --end-time 1721728800")}`);
    expect(a.stderr).toContain(`time window (UTC): ${t} to 2024-07-23T10:00:00Z`);
    expect(b.stderr).toContain(`time window (UTC): ${t} to 2024-07-23T10:00:00Z`);
    expect(eventIds(a.stdout)).toEqual(eventIds(b.stdout));
    expect(lines(a.stdout).length).toBeGreaterThan(0);
  });
});

describe('Insights events', () => {
  test('come only with --event-category insight', async () => {
    const s = await serve(['--rate', '0', ...ANY_AGE, `${CORPUS}/converted/lookup-events.ndjson`, `${CORPUS}/aws-cloudtrail-user-guide/view-insights-events-cli.L56.json`]);
    try {
      const regions = '--region us-east-1';
      const insight = await sh(fetchCmd(s.url, `${regions} --event-category insight`));
      const kinds = lines(insight.stdout).map((l) => JSON.parse(JSON.parse(l).CloudTrailEvent).eventType);
      expect(kinds.length).toBeGreaterThan(0);
      expect(new Set(kinds)).toEqual(new Set(['AwsCloudTrailInsight']));
      const normal = await sh(fetchCmd(s.url, regions));
      expect(normal.stdout).not.toContain('AwsCloudTrailInsight');
    } finally {
      s.stop();
    }
  });
});
