// ct-serve speaks the real protocol: the AWS SDK's own error classes and the AWS CLI work unchanged.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  CloudTrailClient,
  InvalidEventCategoryException,
  InvalidLookupAttributesException,
  InvalidMaxResultsException,
  InvalidNextTokenException,
  InvalidTimeRangeException,
  LookupEventsCommand,
  type LookupEventsCommandInput,
} from '@aws-sdk/client-cloudtrail';
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { absent, lines, needs, SAMPLE, serve, sh, type Served, type ShellResult, SAMPLE_CLOCK } from '../helpers';

let server: Served;
let client: CloudTrailClient;
beforeAll(async () => {
  server = await serve(['--rate', '0', ...SAMPLE_CLOCK, SAMPLE]);
  client = new CloudTrailClient({
    region: 'us-east-1',
    endpoint: server.url,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'dummy' },
    maxAttempts: 1,
  });
});
afterAll(() => {
  client.destroy();
  server.stop();
});

const lookup = (input: LookupEventsCommandInput): Promise<unknown> => client.send(new LookupEventsCommand(input));

describe('the AWS SDK against ct-serve', () => {
  test('reads pages with Date EventTimes and an opaque NextToken', async () => {
    const page = (await lookup({ MaxResults: 5 })) as { Events: { EventTime: Date }[]; NextToken: string };
    expect(page.Events).toHaveLength(5);
    expect(page.Events[0].EventTime).toBeInstanceOf(Date);
    expect(typeof page.NextToken).toBe('string');
  });

  test.each([
    ['two attributes', { LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'a' }, { AttributeKey: 'Username', AttributeValue: 'b' }] }, InvalidLookupAttributesException],
    ['an unknown key', { LookupAttributes: [{ AttributeKey: 'Bogus', AttributeValue: 'a' }] }, InvalidLookupAttributesException],
    ['an empty value', { LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: '' }] }, InvalidLookupAttributesException],
    ['a value over 2000 (underscores count two)', { LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: '_'.repeat(1001) }] }, InvalidLookupAttributesException],
    ['start after end', { StartTime: new Date('2024-07-23'), EndTime: new Date('2024-07-22') }, InvalidTimeRangeException],
    ['MaxResults 0', { MaxResults: 0 }, InvalidMaxResultsException],
    ['MaxResults 51', { MaxResults: 51 }, InvalidMaxResultsException],
    ['a made-up token', { NextToken: 'nope' }, InvalidNextTokenException],
    ['a bad category', { EventCategory: 'Insight' }, InvalidEventCategoryException],
    ['insight with Username', { EventCategory: 'insight', LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: 'a' }] }, InvalidLookupAttributesException],
  ] as [string, LookupEventsCommandInput, new (...a: never[]) => Error][])('%s raises the SDK error class', async (_name, input, errorClass) => {
    await expect(lookup(input)).rejects.toBeInstanceOf(errorClass);
  });

  test('a NextToken is valid only with the same parameters', async () => {
    const page = (await lookup({ MaxResults: 5 })) as { NextToken: string };
    await expect(lookup({ MaxResults: 5, NextToken: page.NextToken, LookupAttributes: [{ AttributeKey: 'ReadOnly', AttributeValue: 'true' }] })).rejects.toBeInstanceOf(
      InvalidNextTokenException,
    );
    await expect(lookup({ MaxResults: 5, NextToken: page.NextToken })).resolves.toBeTruthy();
  });

  test('throttling answers ThrottlingException like AWS, per Region', async () => {
    const limited = await serve([...SAMPLE_CLOCK, SAMPLE]);
    const c = new CloudTrailClient({ region: 'eu-west-1', endpoint: limited.url, credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 });
    try {
      const results = await Promise.allSettled([1, 2, 3, 4].map(() => c.send(new LookupEventsCommand({ MaxResults: 1 }))));
      const names = results.map((r) => (r.status === 'rejected' ? (r.reason as Error).name : 'ok'));
      expect(names.filter((n) => n === 'ok')).toHaveLength(2);
      expect(names.filter((n) => n === 'ThrottlingException')).toHaveLength(2);
    } finally {
      c.destroy();
      limited.stop();
    }
  });
});

describe.skipIf(absent('aws') || absent('jq'))(`the AWS CLI against ct-serve ${needs('aws', 'awscli')} ${needs('jq')}`, () => {
  const aws = (args: string): string =>
    `env AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=dummy AWS_EC2_METADATA_DISABLED=true aws cloudtrail lookup-events --endpoint-url ${server.url} --region us-east-1 --output json ${args}`;

  test('paginates a lookup to the same events ct-fetch gets', async () => {
    const cli = await sh(`${aws('--lookup-attributes AttributeKey=EventName,AttributeValue=ConsoleLogin --page-size 7')} | jq -r '.Events[].EventId' | sort`);
    const ours = await sh(`env AWS_ACCESS_KEY_ID=a AWS_SECRET_ACCESS_KEY=b ct-fetch --endpoint-url ${server.url} --region us-east-1 --rate 0 -a EventName=ConsoleLogin | jq -r .EventId | sort`);
    expect(cli.stderr).toBe('');
    expect(lines(cli.stdout).length).toBeGreaterThan(7);
    expect(cli.stdout).toBe(ours.stdout);
  }, 30000);

  test('ct-fetch takes --lookup-attributes in the AWS CLI forms (shorthand either way round, JSON) and gets the same events', async () => {
    const fetch = (attribute: string): Promise<ShellResult> =>
      sh(`env AWS_ACCESS_KEY_ID=a AWS_SECRET_ACCESS_KEY=b ct-fetch --endpoint-url ${server.url} --region us-east-1 --rate 0 --lookup-attributes '${attribute}' | jq -r .EventId`);
    const plain = await fetch('EventName=ConsoleLogin');
    expect(lines(plain.stdout).length).toBeGreaterThan(0);
    for (const form of ['AttributeValue=ConsoleLogin,AttributeKey=EventName', 'AttributeKey=EventName,AttributeValue="ConsoleLogin"', '[{"AttributeKey":"EventName","AttributeValue":"ConsoleLogin"}]']) {
      expect((await fetch(form)).stdout).toBe(plain.stdout);
    }
  }, 30000);

  test('shows the service error for a bad request', async () => {
    const r = await sh(aws('--max-results 60'));
    expect(r.code).not.toBe(0);
    // The text is the API reference's description of the error (AWS publishes no wire text).
    expect(r.stderr).toContain('(InvalidMaxResultsException) when calling the LookupEvents operation: This exception is thrown if the limit specified is not valid.');
  });

  test.each(['text', 'table', 'yaml'])('its --output %s piped in: one line saying to ask for JSON, not one per line', async (form) => {
    // Debian's AWS CLI v2 when it is there (a v1 elsewhere on the PATH has no yaml).
    const cli = existsSync('/usr/bin/aws') ? aws('--max-items 3').replace(' aws ', ' /usr/bin/aws ') : aws('--max-items 3');
    const r = await sh(`${cli.replace('--output json', `--output ${form}`)} | ct-explode`);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`ct-explode: stdin: this is AWS CLI output in its ${form} form: run the command with --output json (or fetch with ct-fetch); skipped\n`);
    expect(r.code).toBe(1);
  }, 30000);

  test('a NextToken it printed with --max-items (botocore wraps it) resumes ct-fetch at the next event', async () => {
    const cli = existsSync('/usr/bin/aws') ? aws('--max-items 73 --page-size 50').replace(' aws ', ' /usr/bin/aws ') : aws('--max-items 73 --page-size 50');
    const token = (await sh(`${cli} | jq -r .NextToken`)).stdout.trim();
    const fetch = `env AWS_ACCESS_KEY_ID=a AWS_SECRET_ACCESS_KEY=b ct-fetch --endpoint-url ${server.url} --region us-east-1 --rate 0`;
    const rest = await sh(`${fetch} --starting-token '${token}' | jq -r .EventId`);
    const all = await sh(`${fetch} | jq -r .EventId`);
    expect(rest.code).toBe(0);
    expect(lines(rest.stdout)).toEqual(lines(all.stdout).slice(73));
  }, 30000);

  test('its output feeds ct-explode', async () => {
    const r = await sh(`${aws('--max-items 3')} | ct-explode | jq -r .eventVersion`);
    expect(lines(r.stdout)).toEqual(['1.09', '1.09', '1.09']);
  });
});

describe('the wire, by hand (issue 13, item 25)', () => {
  const post = (body: string, target = 'CloudTrail_20131101.LookupEvents') =>
    fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target }, body });

  test('members sent as null are members not sent, as AWS reads them', async () => {
    const r = await post('{"NextToken":null,"EventCategory":null,"StartTime":null,"MaxResults":null,"LookupAttributes":null}');
    expect(r.status).toBe(200);
    expect(((await r.json()) as { Events: unknown[] }).Events).toHaveLength(50);
  });

  test('X-Amz-Target must name the operation exactly, not end with it', async () => {
    const r = await post('{}', 'SomethingCloudTrail_20131101.LookupEvents');
    expect(r.status).toBe(400);
    expect(((await r.json()) as { __type: string }).__type).toContain('UnknownOperationException');
  });

  const signedFor = (region: string): Promise<Response> =>
    fetch(server.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'CloudTrail_20131101.LookupEvents',
        authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240722/${region}/cloudtrail/aws4_request, SignedHeaders=host, Signature=abc`,
      },
      body: '{}',
    });

  test.each(['constructor', '__proto__', 'US-EAST-1', 'awsRegion2'])('a signature for %s, which is no Region name, is refused as AWS refuses it; the stats stay sound', async (region) => {
    const r = await signedFor(region);
    expect(r.status).toBe(400);
    expect(await r.json()).toEqual({ __type: 'InvalidSignatureException', message: 'Credential should be scoped to a valid region. ' });
    const stats = await server.stats();
    expect(Object.values(stats.byRegion).every((n) => Number.isInteger(n))).toBe(true);
    expect((await signedFor('eu-west-1')).status).toBe(200);
  });

  test('a body past 64 KiB is refused unread (413) and a 400 MB one does not grow the server', async () => {
    const rss = (): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))![1]);
    const before = rss();
    const status = await new Promise<number>((resolve, reject) => {
      const url = new URL(server.url);
      const req = request({ host: url.hostname, port: url.port, method: 'POST', headers: { 'x-amz-target': 'CloudTrail_20131101.LookupEvents', 'content-length': 400 * 1024 * 1024 } });
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      let answered = false;
      req.on('response', (res) => {
        answered = true;
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', (err) => (answered ? undefined : reject(err)));
      const pump = (sent: number): void => {
        if (answered || sent >= 400) return void req.end();
        if (req.write(chunk)) setImmediate(() => pump(sent + 1));
        else req.once('drain', () => pump(sent + 1));
      };
      pump(0);
    });
    expect(status).toBe(413);
    expect(rss() - before).toBeLessThan(50 * 1024);
    expect((await signedFor('us-east-1')).status).toBe(200);
  }, 60000);
});
