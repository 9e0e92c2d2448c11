// Option values yargs lets through are refused before any work (issue 13, items 15 and 5):
// a number option that is not a number, an option that takes one value given twice.
import { describe, expect, test } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { FETCH_ENV, lines, SAMPLE, serve, sh, tempDir, SAMPLE_CLOCK } from '../helpers';

describe('option values', () => {
  test.each([
    ['ct-fetch --region us-east-1 --max-attempts abc', "ct-fetch: --max-attempts: expected a number, not 'abc' (e.g. --max-attempts 8)"],
    ['ct-fetch --region us-east-1 --rate=1x', "ct-fetch: --rate: expected a number, not '1x' (e.g. --rate 2)"],
    ['ct-serve --port http', "ct-serve: --port: expected a number, not 'http' (e.g. --port 0)"],
    // Commands whose plain options skip yargs (cli/plain-args.ts) refuse them the same way.
    ['ct-count --top many eventSource', "ct-count: --top: expected a number, not 'many' (e.g. --top 1)"],
    ['ct-show --width wide', "ct-show: --width: expected a number, not 'wide' (e.g. --width 1)"],
    ['ct-fetch --region us-east-1 --starting-token a --starting-token b', 'ct-fetch: --starting-token was given 2 times; give it once'],
    ['ct-fetch --region us-east-1 --startingToken a --starting-token b', 'ct-fetch: --starting-token was given 2 times; give it once'],
    ['ct-csv --tz UTC --tz Asia/Tokyo', 'ct-csv: --tz was given 2 times; give it once'],
  ])('%s: one line, exit 2, nothing done', async (command, message) => {
    const r = await sh(`${command} < /dev/null`);
    expect(lines(r.stderr)).toEqual([message]);
    expect(r.stdout).toBe('');
    expect(r.code).toBe(2);
  });

  test('repeatable options stay repeatable', async () => {
    const r = await sh(`ct-csv -f eventName -f eventID --no-header`, { input: '{"eventName":"A","eventID":"1"}\n' });
    expect(r.stdout).toBe('A,1\n');
    expect(r.code).toBe(0);
  });

  test.each([
    ['ct-fetch --endpoint http://127.0.0.1:1', 'ct-fetch: unknown option --endpoint; did you mean --endpoint-url?'],
    ['ct-csv --field eventName', 'ct-csv: unknown option --field; did you mean --fields?'],
    ['ct-where --count-only x=1', 'ct-where: unknown option --count-only; did you mean --count?'],
    ['ct-serve --prot 8080', 'ct-serve: unknown option --prot; did you mean --port?'],
  ])('%s: did you mean, exit 2 (issue 14)', async (command, message) => {
    const r = await sh(`${command} < /dev/null`);
    expect(lines(r.stderr)).toEqual([message, `Run '${command.split(' ')[0]} --help' for usage and examples.`]);
    expect(r.code).toBe(2);
  });
});

describe('inputs as every command takes them (issue 14, section 2)', () => {
  const dir = tempDir();
  writeFileSync(path.join(dir, 'y.jsonl'), '{"eventID":"file"}\n');
  const stdin = '{"eventID":"stdin"}\n';

  test.each([
    ['ct-csv -f eventID --no-header - y.jsonl', 'stdin\nfile\n'],
    ['ct-csv -f eventID --no-header y.jsonl -', 'file\nstdin\n'],
    ['ct-csv -f eventID --no-header -- y.jsonl', 'file\n'],
    ['ct-explode --strict -- - y.jsonl | ct-csv -f eventID --no-header', 'stdin\nfile\n'],
    ["ct-where --count 'eventID exists' - y.jsonl", '2\n'],
    ["ct-where -c 'eventID exists' -- y.jsonl -", '2\n'],
    ["ct-where -c -e 'eventID exists' -i - y.jsonl", '2\n'],
  ])('%s', async (command, want) => {
    const r = await sh(command, { cwd: dir, input: stdin });
    expect(r.stdout).toBe(want);
    expect(r.code).toBe(0);
  });

  test('ct-serve -- FILE serves the file', async () => {
    writeFileSync(path.join(dir, 'r.jsonl'), '{"eventID":"r","eventTime":"2024-07-22T10:00:00Z","awsRegion":"eu-west-1","eventName":"A"}\n');
    const r = await sh(`timeout 3 ct-serve --history-days 0 -- r.jsonl; true`, { cwd: dir });
    expect(r.stderr).toMatch(/events per Region: eu-west-1 1/);
  });
});

describe('ct-fetch as the AWS CLI taught (issue 14, section 2)', () => {
  test.each([
    ['--region us-east1', "ct-fetch: --region: unknown Region 'us-east1'; did you mean us-east-1 or us-east-2?"],
    ['--region US-EAST-1', "ct-fetch: --region: unknown Region 'US-EAST-1'; did you mean us-east-1?"],
    ['--region us-east-1,ap-northeast1', "ct-fetch: --region: unknown Region 'ap-northeast1'; did you mean ap-northeast-1 or ap-northeast-2 or ap-northeast-3?"],
  ])('%s: did you mean, before any call, exit 2', async (args, message) => {
    const r = await sh(`ct-fetch ${args} --endpoint-url http://127.0.0.1:1`);
    expect(lines(r.stderr)).toEqual([message]);
    expect(r.code).toBe(2);
  });

  test('AWS_DEFAULT_REGION names the Region, and --max-results the page size', async () => {
    const s = await serve(['--rate', '0', ...SAMPLE_CLOCK, SAMPLE]);
    try {
      const r = await sh(`${FETCH_ENV} env -u AWS_REGION AWS_DEFAULT_REGION=eu-west-1 ct-fetch --endpoint-url ${s.url} --max-results 7 --max-items 7`);
      expect(r.stderr).toContain('Region eu-west-1');
      expect(lines(r.stdout)).toHaveLength(7);
      const stats = await s.stats();
      expect(stats.byRegion['eu-west-1']).toBe(1);
    } finally {
      s.stop();
    }
  });
});
