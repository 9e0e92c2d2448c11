// ct-show: one line per event in a pipe and on a real terminal (a pseudo-terminal made by
// util-linux's script(1), its width set with stty), colour rules, hostile text, and --long with
// its support-case block.
import { describe, expect, test } from 'vitest';
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { absent, lines, needs, SAMPLE, sh } from '../helpers';

const ESC = '\u001b';
const items = lines(gunzipSync(readFileSync(SAMPLE)).toString('utf8'));

/** Runs `command` on a pseudo-terminal `cols` wide; what the terminal got, CRLF made LF. */
async function onTerminal(command: string, cols = 80, env = ''): Promise<string> {
  const r = await sh(`${env} script -qec ${JSON.stringify(`stty cols ${cols}; ${command}`)} /dev/null`);
  expect(r.code).toBe(0);
  return r.stdout.replace(/\r\n/g, '\n');
}

/** Display columns of a line without its escape sequences (the sample's wide characters count two). */
const columns = (line: string): number =>
  [...line.replace(/\u001b\[[0-9;]*m/g, '')].reduce((n, ch) => n + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uff00-\uff60]/.test(ch) ? 2 : 1), 0);

describe('ct-show', () => {
  test('one line per event, in columns: the same values as ct-csv, in items and records alike, no colour in a pipe', async () => {
    const shown = await sh(`ct-show -f eventID,eventName,errorCode '${SAMPLE}'`);
    const csv = await sh(`ct-csv --no-header -f eventID,eventName,errorCode '${SAMPLE}'`);
    expect(lines(shown.stdout)).toHaveLength(items.length);
    expect(lines(shown.stdout).map((l) => l.split(/ {2,}/).map((c) => (c === '-' ? '' : c)).join(','))).toEqual(lines(csv.stdout));
    expect(shown.stdout).not.toContain(ESC);
    const fromRecords = await sh(`ct-explode '${SAMPLE}' | ct-show`);
    const fromItems = await sh(`ct-show '${SAMPLE}'`);
    expect(fromRecords.stdout).toBe(fromItems.stdout);
    // The default columns: time, Region, source, name, user, address, error code.
    expect(lines(fromItems.stdout)[0]).toMatch(/^2024-07-23T12:00:00Z {2}us-west-2 +ec2\.amazonaws\.com +AuthorizeSecurityGroupIngress +ci-deployer\/alice +203\.0\.113\.166 +-$/);
    // Columns line up once as wide as their widest value: the source starts at the same place on every line.
    expect(new Set(lines(fromItems.stdout).map((l) => l.indexOf('.amazonaws.com') - l.split(/ {2,}/)[2].length + '.amazonaws.com'.length)).size).toBe(1);
  });

  test.skipIf(absent('script'))(`on a terminal: cut to its width, never wrapped, failed calls in red; NO_COLOR and --color=never turn colour off ${needs('script', 'bsdutils')}`, async () => {
    const out = lines(await onTerminal(`ct-show '${SAMPLE}'`, 60));
    expect(out).toHaveLength(items.length);
    for (const line of out) expect(columns(line)).toBeLessThanOrEqual(60);
    expect(out.filter((l) => l.endsWith('…') || l.endsWith(`…${ESC}[0m`)).length).toBe(items.length);
    const denied = JSON.parse(lines((await sh(`ct-where -c 'errorCode exists' '${SAMPLE}'`)).stdout)[0]) as number;
    expect(out.filter((l) => l.startsWith(`${ESC}[31m`))).toHaveLength(denied);
    expect(denied).toBeGreaterThan(10);
    expect(await onTerminal(`ct-show '${SAMPLE}'`, 60, 'NO_COLOR=1')).not.toContain(ESC);
    expect(await onTerminal(`ct-show --color never '${SAMPLE}'`, 60)).not.toContain(ESC);
    const wide = lines(await onTerminal(`ct-show -f eventName,user '${SAMPLE}'`, 200));
    expect(wide.some((l) => l.includes('田中太郎') && !l.includes('…'))).toBe(true);
  });

  test('--color always colours a pipe too; --width cuts a pipe\'s lines', async () => {
    const r = await sh(`ct-where errorCode~Denied '${SAMPLE}' | ct-show --color always --width 40`);
    for (const line of lines(r.stdout)) {
      expect(line.startsWith(`${ESC}[31m`) && line.endsWith(`${ESC}[0m`)).toBe(true);
      expect(columns(line)).toBe(40);
    }
    const bad = await sh(`ct-show --width 3 '${SAMPLE}'`);
    expect(bad.stderr).toBe('ct-show: --width: a whole number of columns from 10, not 3\n');
    expect(bad.code).toBe(2);
  });

  test('text from the events cannot drive the terminal: control and bidi characters are shown as escapes', async () => {
    const hostile = JSON.stringify({
      eventTime: '2024-07-22T00:00:00Z', eventName: 'Evil\u001b]0;pwned\u0007\u202eName', eventSource: 'x\u009b31m.amazonaws.com',
      userIdentity: { type: 'IAMUser', userName: 'a\rb\u007f' }, awsRegion: 'us-east-1', eventID: 'e1',
    });
    for (const args of ['--color never', '--long --color never']) {
      const r = await sh(`ct-show ${args}`, { input: hostile });
      expect(r.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
      expect(r.code).toBe(0);
    }
    const line = (await sh('ct-show --color never', { input: hostile })).stdout;
    expect(line).toContain('Evil\\x1b]0;pwned\\x07\\u{202e}Name');
    expect(line).toContain('a\\rb\\x7f');
    // --long's JSON is still JSON, with the same strings.
    const long = (await sh('ct-show --long --color never', { input: hostile })).stdout;
    expect(JSON.parse(long.slice(0, long.indexOf('\n-- for a support case --')))).toEqual(JSON.parse(hostile));
  });

  test('--long: the item whole with its CloudTrailEvent expanded, then the support-case block (UTC, --tz, caller, console link)', async () => {
    const item = items.find((l) => l.includes('AccessDenied') && l.includes('"EventName":"DescribeInstances"'))!;
    const parsed = JSON.parse(item) as Record<string, unknown>;
    const r = await sh('ct-show --long --tz Asia/Tokyo', { input: item });
    const [json, block] = r.stdout.split('-- for a support case --\n');
    expect(JSON.parse(json)).toEqual({ ...parsed, CloudTrailEvent: JSON.parse(parsed.CloudTrailEvent as string) });
    const record = JSON.parse(parsed.CloudTrailEvent as string) as { eventID: string; awsRegion: string; eventTime: string; userIdentity: { arn: string } };
    const url = lines((await sh('ct-csv --no-header -f consoleUrl', { input: item })).stdout)[0];
    const local = new Date(Date.parse(record.eventTime) + 9 * 3600_000).toISOString().replace('.000Z', '+09:00');
    expect(block).toBe(
      [
        `Event ID:          ${record.eventID}`,
        `Region:            ${record.awsRegion}`,
        `Time (UTC):        ${record.eventTime}`,
        `Time (Asia/Tokyo): ${local}`,
        'Event:             ec2.amazonaws.com DescribeInstances',
        `Caller:            alice, ${record.userIdentity.arn}, access key ${parsed.AccessKeyId as string}`,
        `Source address:    ${(JSON.parse(parsed.CloudTrailEvent as string) as { sourceIPAddress: string }).sourceIPAddress}`,
        `Error:             AccessDenied: User: ${record.userIdentity.arn} is not authorized to perform: ec2:DescribeInstances because no identity-based policy allows it`,
        `Console:           ${url}`,
        '',
        '',
      ].join('\n'),
    );
    expect(url).toBe(`https://us-east-1.console.aws.amazon.com/cloudtrailv2/home?region=us-east-1#/events/${record.eventID}`);
  });

  test.skipIf(absent('script'))(`--long on a terminal: JSON coloured as jq colours it ${needs('script', 'bsdutils')}`, async () => {
    const out = await onTerminal(`ct-where eventName=CreateUser '${SAMPLE}' | head -1 | ct-show --long`);
    expect(out).toContain(`${ESC}[34;1m"eventName"${ESC}[0m`);
    expect(out).toContain(`${ESC}[0;32m"CreateUser"${ESC}[0m`);
    expect(out.replace(/\u001b\[[0-9;]*m/g, '')).toContain('"eventName": "CreateUser"');
  });

  test('a bad line is reported with its place and the rest shown, exit 1; a closed reader is a quiet end', async () => {
    const r = await sh('ct-show -f eventName', { input: '{"eventName":"A"}\n{"eventName":\n{"eventName":"B"}\n' });
    expect(lines(r.stdout)).toEqual(['A', 'B']);
    expect(r.stderr).toMatch(/^ct-show: stdin:2: /);
    expect(r.code).toBe(1);
    const head = await sh(`ct-show '${SAMPLE}' | head -1`);
    expect(lines(head.stdout)).toHaveLength(1);
    expect(head.stderr).toBe('');
  });
});
