// --start-time, --end-time, --region and --account on ct-where, ct-csv and ct-explode over a
// synced trail bucket: the events are exactly those a full read filtered by the same terms gives,
// and the folders and files whose AWSLogs path says they hold none are never opened. To prove
// that, a second copy of the bucket has every file that must be passed over replaced by bytes
// that are no gzip and no JSON: opening any of them would be reported.
import { beforeAll, describe, expect, test } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { lines, sh, tempDir } from '../helpers';

interface TrailFile {
  org?: string;
  account: string;
  region: string;
  delivered: string; // YYYY-MM-DDTHH:MM
  eventTimes: string[];
}

const FILES: TrailFile[] = [
  { account: '111111111111', region: 'us-east-1', delivered: '2024-07-20T10:05', eventTimes: ['2024-07-20T10:01:00Z'] },
  { account: '111111111111', region: 'us-east-1', delivered: '2024-07-21T23:58', eventTimes: ['2024-07-21T23:50:00Z', '2024-07-21T23:57:00Z'] },
  { account: '111111111111', region: 'us-east-1', delivered: '2024-07-22T00:03', eventTimes: ['2024-07-21T23:59:30Z', '2024-07-22T00:01:00Z'] },
  { account: '111111111111', region: 'us-east-1', delivered: '2024-07-22T12:00', eventTimes: ['2024-07-22T11:55:00Z', '2024-07-22T11:58:00Z'] },
  // Delivered the next day, holding an event of the day asked for: read (a day's slack).
  { account: '111111111111', region: 'us-east-1', delivered: '2024-07-23T00:10', eventTimes: ['2024-07-22T23:59:00Z', '2024-07-23T00:05:00Z'] },
  { account: '111111111111', region: 'us-east-1', delivered: '2024-07-25T08:00', eventTimes: ['2024-07-25T07:55:00Z'] },
  { account: '111111111111', region: 'eu-west-1', delivered: '2024-07-22T09:00', eventTimes: ['2024-07-22T08:58:00Z'] },
  { account: '222222222222', region: 'us-east-1', delivered: '2024-07-22T09:00', eventTimes: ['2024-07-22T08:59:00Z'] },
  { org: 'o-abcdefghij', account: '111111111111', region: 'us-east-1', delivered: '2024-07-22T15:00', eventTimes: ['2024-07-22T14:56:00Z'] },
  { org: 'o-abcdefghij', account: '333333333333', region: 'us-east-1', delivered: '2024-07-22T15:00', eventTimes: ['2024-07-22T14:57:00Z'] },
];

const SCOPE = "--start-time 2024-07-22T00:00:00Z --end-time '2024-07-22 23:59:59Z' --region us-east-1 --account 111111111111";
const TERMS = "eventTime >= 2024-07-22T00:00:00Z and eventTime <= 2024-07-22T23:59:59Z and awsRegion = us-east-1 and recipientAccountId = '111111111111'";

/** Whether the file must be passed over by its path for SCOPE. */
const prunable = (f: TrailFile): boolean =>
  f.account !== '111111111111' || f.region !== 'us-east-1' || f.delivered < '2024-07-22T00:00' || f.delivered > '2024-07-24';

let full = '';
let trap = '';

function write(root: string, f: TrailFile, i: number, garbage: boolean): void {
  const [date, clock] = f.delivered.split('T');
  const [y, m, d] = date.split('-');
  const dir = path.join(root, 'AWSLogs', ...(f.org ? [f.org] : []), f.account, 'CloudTrail', f.region, y, m, d);
  mkdirSync(dir, { recursive: true });
  const name = `${f.account}_CloudTrail_${f.region}_${y}${m}${d}T${clock.replace(':', '')}Z_${String(i).padStart(16, 'x')}.json.gz`;
  const records = f.eventTimes.map((t, k) => ({ eventVersion: '1.08', eventTime: t, eventName: `E${i}-${k}`, awsRegion: f.region, recipientAccountId: f.account, eventID: `id-${i}-${k}` }));
  writeFileSync(path.join(dir, name), garbage ? 'not a gzip, not JSON: this file must never be opened' : gzipSync(JSON.stringify({ Records: records })));
}

beforeAll(() => {
  full = tempDir();
  trap = tempDir();
  FILES.forEach((f, i) => {
    write(full, f, i, false);
    write(trap, f, i, prunable(f));
  });
  // Files copied flat into one folder: their names say the same as the layout's folders.
  for (const [root, garbage] of [[full, false], [trap, true]] as const) {
    mkdirSync(path.join(root, 'flat'));
    const records = (t: string, id: string) => gzipSync(JSON.stringify({ Records: [{ eventTime: t, eventName: id, awsRegion: 'us-east-1', recipientAccountId: '111111111111', eventID: id }] }));
    writeFileSync(path.join(root, 'flat/111111111111_CloudTrail_us-east-1_20240720T1005Z_flatflatflat0001.json.gz'), garbage ? 'never opened' : records('2024-07-20T10:00:00Z', 'flat-old'));
    writeFileSync(path.join(root, 'flat/111111111111_CloudTrail_us-east-1_20240722T1005Z_flatflatflat0002.json.gz'), records('2024-07-22T10:00:00Z', 'flat-in'));
  }
});

describe('pruning a trail bucket by path', () => {
  test.each([
    ['ct-where', `ct-where 'eventName exists' ${SCOPE}`, `ct-where '${TERMS}'`],
    ['ct-csv', `ct-csv -f eventID,eventTime ${SCOPE}`, `ct-where '${TERMS}' | ct-csv -f eventID,eventTime`],
    ['ct-explode', `ct-explode ${SCOPE}`, `ct-where '${TERMS}' | ct-explode`],
  ])('%s: the events a full read gives, and no file outside opened', async (_name, scoped, reference) => {
    const want = await sh(reference.includes('|') ? reference.replace('|', `'${full}' |`) : `${reference} '${full}'`);
    const got = await sh(`${scoped} '${trap}'`);
    expect(got.stdout).toBe(want.stdout);
    expect(lines(want.stdout).length).toBeGreaterThanOrEqual(5);
    expect(got.stdout).toContain('2024-07-22T23:59:00Z'); // from the file delivered the next day
    expect(got.stdout).not.toContain('2024-07-21T23:59:30Z'); // in a file of the day, but before the window
    expect(got.stdout).toContain('flat-in');
    // The day folders of the 20th, 21st and 25th, eu-west-1, two other accounts; one flat file.
    expect(lines(got.stderr)).toEqual([`${_name}: note: 6 folder(s) and 1 file(s) of the AWSLogs layout not opened: their path says they hold no event asked for`]);
    expect(got.code).toBe(0);
  });

  test('ct-where -v keeps the scope: events in it that do not match', async () => {
    const r = await sh(`ct-where -v 'eventName ^= E3' ${SCOPE} '${trap}'`);
    expect(lines(r.stdout).map((l) => JSON.parse(l).eventName).sort()).toEqual(['E2-1', 'E4-0', 'E8-0', 'flat-in']);
  });

  test('bad values are usage errors naming the option', async () => {
    for (const [args, message] of [
      ['--start-time yesterday', "ct-where: --start-time: expected a time such as 2024-07-22T09:00:00Z, '2024-07-22 09:00' or 2h, not 'yesterday'"],
      ['--account 1234', "ct-where: --account: an account ID is 12 digits, not '1234'"],
      ['--region us-east1', 'ct-where: --region: unknown Region \'us-east1\'; did you mean us-east-1 or us-east-2?'],
      ['--start-time 2024-07-23T00:00:00Z --end-time 2024-07-22T00:00:00Z', 'ct-where: --start-time (2024-07-23T00:00:00.000Z) is after --end-time (2024-07-22T00:00:00.000Z)'],
    ]) {
      const r = await sh(`ct-where 'eventName exists' ${args} '${trap}'`);
      expect(r.stderr).toBe(`${message}\n`);
      expect(r.code).toBe(2);
    }
  });
});
