// ct-serve answers as AWS's event history does (issue 15): management and Insights events only,
// Insights found by the name and source of the API they are about, tokens no client mistakes for
// its own, EventTime as AWS writes it.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import path from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { absent, ANY_AGE, FETCH_ENV, lines, needs, ROOT, SAMPLE_CLOCK, serve, sh, tempDir, type Served } from '../helpers';

const REALDATA = path.join(ROOT, 'test/fixtures/realdata');

describe('event history shows management and Insights events only', () => {
  let served: Served;
  beforeAll(async () => {
    // Real data events: S3 GetObject/ListObjects (otrf, streamalert, the corpus), VPC endpoint network activity.
    served = await serve(['--port', '0', '--rate', '0', ...ANY_AGE, REALDATA, path.join(ROOT, 'test/fixtures/corpus/converted/records.ndjson')]);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }, 60_000);
  afterAll(() => served?.stop());

  test('data and network activity events are loaded, not served, and the start-up note says how many and why', async () => {
    const expected = await sh(
      `ct-explode '${REALDATA}' converted/records.ndjson 2>/dev/null | ct-where -c 'eventCategory in (Data, NetworkActivity) or managementEvent=false'`,
    );
    expect(Number(expected.stdout)).toBeGreaterThan(20);
    const note = /held back (\d+) data events and (\d+) network activity events: event history shows management and Insights events only/.exec(served.stderr());
    expect(note, served.stderr()).not.toBeNull();
    expect(Number(note![1]) + Number(note![2])).toBeGreaterThanOrEqual(Number(expected.stdout));
    const fetched = await sh(`${FETCH_ENV} AWS_ENDPOINT_URL=${served.url} ct-fetch --region all --start-time 2000-01-01 2>/dev/null | ct-explode | ct-where -c 'eventCategory in (Data, NetworkActivity) or managementEvent=false or (eventSource=s3.amazonaws.com and resources[].type=AWS::S3::Object)'`);
    expect(fetched.stdout).toBe('0\n');
  }, 60_000);

  test('an Insights event is found by the EventName and EventSource of the API it is about (insightDetails)', async () => {
    for (const attribute of ['EventName=CompleteLifecycleAction', 'EventSource=autoscaling.amazonaws.com']) {
      const r = await sh(`${FETCH_ENV} AWS_ENDPOINT_URL=${served.url} ct-fetch --region all --start-time 2000-01-01 --event-category insight -a ${attribute} 2>/dev/null`);
      const items = lines(r.stdout).map((l) => JSON.parse(l));
      expect(items.length, attribute).toBeGreaterThan(0);
      for (const item of items) {
        expect(item.EventName).toBe('CompleteLifecycleAction');
        expect(item.EventSource).toBe('autoscaling.amazonaws.com');
        expect(JSON.parse(item.CloudTrailEvent).eventCategory).toBe('Insight');
      }
    }
  }, 60_000);
});

describe('the wire: tokens and times as AWS sends them', () => {
  let served: Served;
  let dir: string;
  beforeAll(async () => {
    // 1,300 events in one Region: 26 pages of 50.
    dir = tempDir();
    const start = Date.parse('2024-07-23T12:00:00Z');
    const records = Array.from({ length: 1300 }, (_, i) =>
      JSON.stringify({ eventVersion: '1.09', eventTime: new Date(start - i * 60_000 - (i % 2) * 500).toISOString(), eventSource: 'ec2.amazonaws.com', eventName: 'DescribeInstances', awsRegion: 'us-east-1', eventID: `e${i}`, readOnly: true }),
    );
    writeFileSync(path.join(dir, 'many.ndjson'), `${records.join('\n')}\n`);
    served = await serve(['--port', '0', '--rate', '0', ...SAMPLE_CLOCK, path.join(dir, 'many.ndjson')]);
  }, 60_000);
  afterAll(() => served?.stop());

  const raw = async (body: object): Promise<string> => {
    const r = await fetch(served.url, {
      method: 'POST',
      headers: { 'X-Amz-Target': 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents', 'Content-Type': 'application/x-amz-json-1.1' },
      body: JSON.stringify(body),
    });
    return r.text();
  };

  test('EventTime is epoch seconds written as a double (1.721736E9), as CloudTrail writes it; fractions kept', async () => {
    const text = await raw({ MaxResults: 2 });
    expect(text).toMatch(/^\{"Events":\[\{"EventTime":1\.721736E9,"EventId":"e0",/);
    expect(text).toContain('"EventTime":1.7217359395E9,"EventId":"e1"');
    const sdk = new CloudTrailClient({ region: 'us-east-1', endpoint: served.url, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'dummy' } });
    const page = await sdk.send(new LookupEventsCommand({ MaxResults: 2 }));
    sdk.destroy();
    expect(page.Events!.map((e) => e.EventTime!.toISOString())).toEqual(['2024-07-23T12:00:00.000Z', '2024-07-23T11:58:59.500Z']);
  });

  test('a NextToken is opaque standard base64 that is not base64 JSON', async () => {
    const token = JSON.parse(await raw({ MaxResults: 50 })).NextToken as string;
    expect(token).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
    expect(() => JSON.parse(Buffer.from(token, 'base64').toString('utf8'))).toThrow();
  });

  test.skipIf(absent('aws') || absent('jq'))(
    `every page's raw NextToken works as the AWS CLI's --starting-token (botocore does not take it for its own) ${needs('aws', 'awscli')} ${needs('jq')}`,
    async () => {
      const env = `env -u AWS_PROFILE AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=dummy AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true`;
      const script = `T=""; for p in $(seq 1 25); do
        T=$(${env} aws cloudtrail lookup-events --endpoint-url ${served.url} --no-paginate --max-results 50 \${T:+--next-token "$T"} --output json | jq -r .NextToken)
        ${env} aws cloudtrail lookup-events --endpoint-url ${served.url} --starting-token "$T" --max-items 1 --output json 2>&1 | jq -r '.Events[0].EventId' 2>&1
      done`;
      const r = await sh(script);
      expect(lines(r.stdout)).toEqual(Array.from({ length: 25 }, (_, i) => `e${(i + 1) * 50}`));
    },
    120_000,
  );
});

describe('global services: us-east-1 only in event history', () => {
  test('ct-serve warns at start-up about global-service events recorded in other Regions, with their number', async () => {
    const served = await serve(['--port', '0', ...ANY_AGE, path.join(ROOT, 'test/fixtures/corpus/converted/records.ndjson')]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    served.stop();
    const iam = await sh(`ct-where -c 'eventSource=iam.amazonaws.com and awsRegion!=us-east-1' converted/records.ndjson`);
    expect(Number(iam.stdout)).toBeGreaterThan(0);
    expect(served.stderr()).toContain('warning: events of global services recorded outside us-east-1 (');
    expect(served.stderr()).toContain(`${iam.stdout.trim()} of iam.amazonaws.com`);
  }, 30_000);

  test('the bundled sample has none: ct-serve says nothing of them', async () => {
    const served = await serve(['--port', '0', ...SAMPLE_CLOCK, path.join(ROOT, 'data/sample-events.ndjson.gz')]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    served.stop();
    expect(served.stderr()).toContain('serving LookupEvents');
    expect(served.stderr()).not.toContain('global services');
  }, 30_000);

  test.each([
    ['-a EventSource=iam.amazonaws.com --region eu-west-1', "iam.amazonaws.com is recorded in us-east-1's event history only"],
    ['-a EventName=ConsoleLogin --region eu-west-1,ap-northeast-1', "ConsoleLogin (signin.amazonaws.com) is recorded in us-east-1's event history when its global endpoint is called"],
    ['-a EventName=AssumeRole --region us-west-2', 'AssumeRole (sts.amazonaws.com)'],
    ['-a EventSource=iam.amazonaws.com --region eu-west-1,us-east-1', null],
    ['-a EventName=DescribeInstances --region eu-west-1', null],
    ['-a EventName=CreateUser --region eu-west-1', null], // IAM's, and also other services' (Transfer Family, MQ...)
  ])('ct-fetch %s: warns before any call when only other Regions are asked', async (args, warning) => {
    const served = await serve(['--port', '0', ...SAMPLE_CLOCK, path.join(ROOT, 'data/sample-events.ndjson.gz')]);
    const r = await sh(`${FETCH_ENV} AWS_ENDPOINT_URL=${served.url} ct-fetch ${args} --start-time 2024-07-20 --end-time 2024-07-24 > /dev/null`);
    served.stop();
    const said = lines(r.stderr).filter((l) => l.includes('global endpoint') || l.includes('event history only'));
    if (warning === null) expect(said).toEqual([]);
    else {
      expect(said).toHaveLength(1);
      expect(said[0]).toContain(`ct-fetch: warning: ${warning}`);
      expect(said[0]).toMatch(/add --region us-east-1$/);
      // Before the first call: the line that opens the fetch comes after it.
      expect(lines(r.stderr).findIndex((l) => l === said[0])).toBeLessThan(lines(r.stderr).findIndex((l) => l.includes('time window')));
    }
    expect(r.code).toBe(0);
  }, 30_000);
});

describe('a clock: the 90 days before it, and any dataset as recent history', () => {
  const sample = path.join(ROOT, 'data/sample-events.ndjson.gz');
  const fetchAll = (url: string, window = '--start-time 2000-01-01') =>
    sh(`${FETCH_ENV} AWS_ENDPOINT_URL=${url} ct-fetch --rate 20 --region us-east-1,us-west-2,eu-west-1,ap-northeast-1 ${window} 2>/dev/null`);
  const sampleIds = async (): Promise<string[]> => lines((await sh(`zcat '${sample}' | ct-csv --no-header -f EventId | sort`)).stdout);

  test('by default the clock is now: a sample from 2024 is held back, and it says how to serve it', async () => {
    const served = await serve(['--port', '0', sample]);
    const r = await fetchAll(served.url);
    served.stop();
    expect(r.stdout).toBe('');
    expect(served.stderr()).toMatch(/held back 3000 events outside the 90 days before \d{4}-.*, as event history keeps \(--shift serves a dataset as recent history, --history-days 0 every event\)/);
  }, 60_000);

  test('--now: the events of the 90 days before it, none after it', async () => {
    const after = Number((await sh(`zcat '${sample}' | ct-where -c 'EventTime > 2024-07-23T06:00:00Z'`)).stdout);
    expect(after).toBeGreaterThan(100);
    const served = await serve(['--port', '0', '--rate', '0', '--now', '2024-07-23T06:00:00Z', sample]);
    const r = await fetchAll(served.url);
    served.stop();
    expect(lines(r.stdout)).toHaveLength(3000 - after);
    expect(served.stderr()).toContain(`held back ${after} events outside the 90 days before 2024-07-23T06:00:00Z`);
    const late = await sh(`ct-where -c 'EventTime > 2024-07-23T06:00:00Z'`, { input: r.stdout });
    expect(late.stdout).toBe('0\n');
  }, 60_000);

  test('--shift: every event moved by one amount, the newest a minute before now; items and records agree', async () => {
    const served = await serve(['--port', '0', '--rate', '0', '--shift', sample]);
    const started = Date.now();
    const r = await fetchAll(served.url, '--start-time 3d');
    const items = lines(r.stdout).map((l) => JSON.parse(l));
    expect(items.map((i) => i.EventId).sort()).toEqual(await sampleIds());
    const original = new Map(lines((await sh(`zcat '${sample}' | ct-csv --no-header -f EventId,EventTime`)).stdout).map((l) => l.split(',') as [string, string]));
    const deltas = new Set(items.map((i) => Date.parse(i.EventTime) - Date.parse(original.get(i.EventId)!)));
    expect(deltas.size).toBe(1);
    for (const i of items) expect(JSON.parse(i.CloudTrailEvent).eventTime).toBe(i.EventTime.replace('.000Z', 'Z'));
    const newest = Math.max(...items.map((i) => Date.parse(i.EventTime)));
    expect(started - newest).toBeGreaterThanOrEqual(50_000);
    expect(started - newest).toBeLessThan(70_000 + 10_000);
    expect(served.stderr()).toMatch(/--shift: every event moved forward \d+ days \d+ h, so the newest is a minute before /);
    // Relative windows now mean what they say: the last hour of the sample.
    const hour = Number((await sh(`ct-where -c 'EventTime >= ${new Date(newest - 3_540_000).toISOString()}'`, { input: r.stdout })).stdout);
    const lastHour = await fetchAll(served.url, '--start-time 1h');
    served.stop();
    expect(Math.abs(lines(lastHour.stdout).length - hour)).toBeLessThanOrEqual(5);
  }, 60_000);

  test('--history-days 0 serves an archive of any age; a bad value is a usage error', async () => {
    const served = await serve(['--port', '0', '--rate', '0', '--history-days', '0', path.join(REALDATA, 'grycap')]);
    const r = await fetchAll(served.url);
    served.stop();
    expect(lines(r.stdout).length).toBeGreaterThan(100);
    expect(served.stderr()).not.toContain('held back');
    const bad = await sh('ct-serve --history-days -3 x.json');
    expect(bad.stderr).toBe('ct-serve: --history-days: a number of days from 0 (0: no limit), not -3\n');
    expect(bad.code).toBe(2);
  }, 60_000);
});

describe('--credentials: SigV4 checked with the SDK signer, failures answered as AWS answers them', () => {
  const SECRET = 'ct-serve-test-secret';
  let served: Served;
  beforeAll(async () => {
    served = await serve(['--port', '0', '--rate', '0', ...SAMPLE_CLOCK, '--credentials', `AKIDGOOD:${SECRET}`, '--enabled-regions', 'us-east-1,eu-west-1', path.join(ROOT, 'data/sample-events.ndjson.gz')]);
  });
  afterAll(() => served?.stop());
  const client = (accessKeyId: string, secretAccessKey: string, region = 'eu-west-1', systemClockOffset = 0) =>
    new CloudTrailClient({ region, endpoint: served.url, credentials: { accessKeyId, secretAccessKey }, maxAttempts: 1, systemClockOffset });
  const outcome = async (c: CloudTrailClient): Promise<string> => {
    try {
      const page = await c.send(new LookupEventsCommand({ MaxResults: 3 }));
      return `ok ${page.Events!.length}`;
    } catch (err) {
      const e = err as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
      return `${e.name} ${e.$metadata?.httpStatusCode}: ${e.message}`;
    } finally {
      c.destroy();
    }
  };

  test.each([
    ['the right keys', 'AKIDGOOD', SECRET, 0, /^ok 3$/],
    ['a wrong secret', 'AKIDGOOD', 'not-the-secret', 0, /^InvalidSignatureException 400: The request signature we calculated does not match the signature you provided\./],
    ['an unknown key', 'AKIDUNKNOWN', SECRET, 0, /^UnrecognizedClientException 400: The security token included in the request is invalid$/],
    ['a signature 10 minutes old', 'AKIDGOOD', SECRET, -600_000, /^InvalidSignatureException 400: Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/],
    ['a signature 10 minutes ahead', 'AKIDGOOD', SECRET, 600_000, /^InvalidSignatureException 400: Signature not yet current: /],
  ])('the AWS SDK with %s', async (_name, key, secret, offset, expected) => {
    expect(await outcome(client(key, secret, 'eu-west-1', offset))).toMatch(expected);
  });

  test('an unsigned request: MissingAuthenticationTokenException', async () => {
    const r = await fetch(served.url, { method: 'POST', headers: { 'X-Amz-Target': 'CloudTrail_20131101.LookupEvents', 'Content-Type': 'application/x-amz-json-1.1' }, body: '{}' });
    expect(r.status).toBe(400);
    expect(await r.json()).toEqual({ __type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' });
  });

  test('a Region not enabled answers UnrecognizedClientException even to the right keys', async () => {
    expect(await outcome(client('AKIDGOOD', SECRET, 'ap-northeast-1'))).toBe('UnrecognizedClientException 400: The security token included in the request is invalid');
  });

  test('ct-fetch: the right keys fetch, wrong ones get one line each and exit 1, and no secret is ever printed', async () => {
    const good = await sh(`env -u AWS_PROFILE AWS_ACCESS_KEY_ID=AKIDGOOD AWS_SECRET_ACCESS_KEY=${SECRET} AWS_ENDPOINT_URL=${served.url} ct-fetch --region eu-west-1 --start-time 2024-07-23T11:00Z`);
    expect(lines(good.stdout).length).toBeGreaterThan(10);
    expect(good.code).toBe(0);
    const bad = await sh(`env -u AWS_PROFILE AWS_ACCESS_KEY_ID=AKIDGOOD AWS_SECRET_ACCESS_KEY=wrong-${SECRET} AWS_ENDPOINT_URL=${served.url} ct-fetch --region eu-west-1 --start-time 2024-07-23T11:00Z`);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain("ct-fetch: eu-west-1: the credentials were rejected (InvalidSignatureException); refresh them ('aws sso login', new keys) and try again");
    expect(bad.code).toBe(1);
    expect(good.stderr + bad.stderr + served.stderr()).not.toContain(SECRET);
  });

  test('ct-fetch --region all: the Regions not enabled are named in one note, the rest fetched, exit 0', async () => {
    const r = await sh(`env -u AWS_PROFILE AWS_ACCESS_KEY_ID=AKIDGOOD AWS_SECRET_ACCESS_KEY=${SECRET} AWS_ENDPOINT_URL=${served.url} ct-fetch --rate 20 --region all --start-time 2024-07-23T11:00Z`);
    const note = lines(r.stderr).filter((l) => l.includes('refused'));
    expect(note).toHaveLength(1);
    expect(note[0]).toMatch(/^ct-fetch: note: \d+ Region\(s\) refused the credentials the others took \(UnrecognizedClientException\), as AWS answers from an opt-in Region the account has not enabled: af-south-1, .*ap-northeast-1, .*; fetched the rest$/);
    expect(note[0]).not.toMatch(/us-east-1|eu-west-1/);
    expect(lines(r.stderr).filter((l) => l.includes('rejected'))).toEqual([]);
    const regions = await sh('ct-explode | ct-csv --no-header -f awsRegion | sort -u', { input: r.stdout });
    expect(lines(regions.stdout)).toEqual(['eu-west-1', 'us-east-1']);
    expect(r.code).toBe(0);
  }, 60_000);

  test('ct-fetch --region all with keys no Region takes: the credentials are the trouble, exit 1', async () => {
    const r = await sh(`env -u AWS_PROFILE AWS_ACCESS_KEY_ID=AKIDUNKNOWN AWS_SECRET_ACCESS_KEY=x AWS_ENDPOINT_URL=${served.url} ct-fetch --rate 20 --region us-east-1,ap-northeast-1 --start-time 2024-07-23T11:00Z`);
    expect(lines(r.stderr).filter((l) => l.includes('the credentials were rejected (UnrecognizedClientException)'))).toHaveLength(2);
    expect(r.stderr).not.toContain('refused the credentials');
    expect(r.code).toBe(1);
  }, 60_000);

  test.skipIf(absent('aws'))(`the AWS CLI signs as the SDK does: right keys read, a wrong secret is refused ${needs('aws', 'awscli')}`, async () => {
    const cli = (secret: string) =>
      `env -u AWS_PROFILE AWS_ACCESS_KEY_ID=AKIDGOOD AWS_SECRET_ACCESS_KEY=${secret} AWS_EC2_METADATA_DISABLED=true aws cloudtrail lookup-events --endpoint-url ${served.url} --region eu-west-1 --max-items 2 --output json`;
    const good = await sh(cli(SECRET));
    expect(JSON.parse(good.stdout).Events).toHaveLength(2);
    const bad = await sh(cli('wrong'));
    expect(bad.stderr).toContain('An error occurred (InvalidSignatureException) when calling the LookupEvents operation: The request signature we calculated does not match');
  }, 60_000);
});

describe('error texts: the API reference\'s, where AWS publishes no wire text', () => {
  // The SDK ships the service model's description of each error as the doc comment of its class:
  // a source ct-serve's texts were not made from.
  const docs = readFileSync(path.join(ROOT, 'node_modules/@aws-sdk/client-cloudtrail/dist-types/models/errors.d.ts'), 'utf8');
  const documented = (name: string): string => {
    const m = new RegExp(`/\\*\\*\\n \\* <p>((?:(?!\\*/)[^])*?)</p>\\n \\* @public\\n \\*/\\nexport declare class ${name} `).exec(docs);
    expect(m, name).not.toBeNull();
    return m![1].replace(/\n\s*\*\s*/g, ' ').replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim();
  };
  let served: Served;
  beforeAll(async () => {
    served = await serve(['--port', '0', '--rate', '0', ...SAMPLE_CLOCK, path.join(ROOT, 'data/sample-events.ndjson.gz')]);
  });
  afterAll(() => served?.stop());

  test.each([
    ['InvalidLookupAttributesException', { LookupAttributes: [{ AttributeKey: 'Bogus', AttributeValue: 'a' }] }],
    ['InvalidTimeRangeException', { StartTime: 1721700000, EndTime: 1721600000 }],
    ['InvalidMaxResultsException', { MaxResults: 60 }],
    ['InvalidNextTokenException', { NextToken: 'nope' }],
    ['InvalidEventCategoryException', { EventCategory: 'data' }],
  ])('%s says what the API reference says of it', async (type, body) => {
    const r = await fetch(served.url, {
      method: 'POST',
      headers: { 'X-Amz-Target': 'CloudTrail_20131101.LookupEvents', 'Content-Type': 'application/x-amz-json-1.1' },
      body: JSON.stringify(body),
    });
    expect(r.status).toBe(400);
    expect(await r.json()).toEqual({ __type: type, message: documented(type) });
  });
});

describe('Resources as event history fills them: from the call, not from resources[]', () => {
  // Every real LookupEvents item published beside its record: boto3's (plaso), the AWS CLI's
  // example, the user guide's, the EKS workshop's.
  const REAL_ITEMS = [
    path.join(REALDATA, 'plaso/aws_cloudtrail.jsonl'),
    path.join(ROOT, 'test/fixtures/corpus/aws-cli/lookup-events.Output.json'),
    path.join(ROOT, 'test/fixtures/corpus/aws-cloudtrail-user-guide/view-cloudtrail-events-cli.L57.json'),
    path.join(ROOT, 'test/fixtures/corpus/amazon-eks-security-immersion-day/3.eks-pod-identity-deep-dive.index.en.L398.json'),
    path.join(ROOT, 'test/fixtures/corpus/amazon-eks-security-immersion-day/4.eks-pod-identity-usecases.index.en.L104.json'),
  ];
  const byId = (ndjson: string): Map<string, string[]> =>
    new Map(
      lines(ndjson).map((l) => {
        const item = JSON.parse(l) as { EventId: string; Resources: { ResourceType: string; ResourceName: string }[] };
        return [item.EventId, item.Resources.map((r) => `${r.ResourceType} ${r.ResourceName}`).sort()];
      }),
    );

  test('ct-serve, given only the records, gives each real item\'s Resources (RunInstances 8, CreateSecurityGroup 3, Terminate/Stop 1, Describe 0, AssumeRoleForPodIdentity the cluster)', async () => {
    const dir = tempDir();
    const files = REAL_ITEMS.map((f) => `'${f}'`).join(' ');
    const originals = await sh(`ct-where 'EventId exists' ${files}; ct-explode ${files} > '${dir}/records.ndjson'`);
    const expected = byId(originals.stdout);
    expect(expected.size).toBe(10);
    const served = await serve(['--port', '0', '--rate', '0', ...ANY_AGE, path.join(dir, 'records.ndjson')]);
    const fetched = await sh(`${FETCH_ENV} AWS_ENDPOINT_URL=${served.url} ct-fetch --rate 20 --region all --start-time 2000-01-01 2>/dev/null`);
    served.stop();
    const got = byId(fetched.stdout);
    expect(got.size).toBe(expected.size);
    // plaso's anonymiser wrote this VPC ID one digit shorter in the record than in the item: the
    // record is all ct-serve sees.
    const anonymised = new Map([['c91c963c-d149-4dc5-9e4a-830da763cf7b', ['AWS::EC2::VPC vpc-01234567890123456', 'AWS::EC2::VPC vpc-0123456789012345']]]);
    for (const [id, resources] of expected) {
      const [item, record] = anonymised.get(id) ?? [];
      expect(got.get(id), id).toEqual(resources.map((r) => (r === item ? record : r)).sort());
    }
    expect([...expected.values()].map((r) => r.length).sort((a, b) => a - b)).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 3, 8]);
  }, 120_000);

  test('a service\'s KMS Decrypt has none; RunInstances and CreateUser get names and IDs; a bucket call its bucket name, not an ARN', async () => {
    const records = [
      { eventVersion: '1.09', eventTime: '2024-07-23T10:00:00Z', eventID: 'kms', eventSource: 'kms.amazonaws.com', eventName: 'Decrypt', awsRegion: 'us-east-1', userIdentity: { type: 'AWSService', invokedBy: 'secretsmanager.amazonaws.com' }, requestParameters: { encryptionAlgorithm: 'SYMMETRIC_DEFAULT' }, resources: [{ accountId: '1', type: 'AWS::KMS::Key', ARN: 'arn:aws:kms:us-east-1:1:key/k-1' }] },
      { eventVersion: '1.09', eventTime: '2024-07-23T10:01:00Z', eventID: 'user', eventSource: 'iam.amazonaws.com', eventName: 'CreateUser', awsRegion: 'us-east-1', requestParameters: { userName: 'Zoë' }, responseElements: { user: { userName: 'Zoë', arn: 'arn:aws:iam::1:user/Zoë' } } },
      { eventVersion: '1.09', eventTime: '2024-07-23T10:02:00Z', eventID: 'bucket', eventSource: 's3.amazonaws.com', eventName: 'PutBucketPolicy', awsRegion: 'us-east-1', requestParameters: { bucketName: 'prod-logs' }, resources: [{ type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::prod-logs' }] },
      { eventVersion: '1.09', eventTime: '2024-07-23T10:03:00Z', eventID: 'other', eventSource: 'sns.amazonaws.com', eventName: 'Publish', awsRegion: 'us-east-1', resources: [{ type: 'AWS::SNS::Topic', ARN: 'arn:aws:sns:us-east-1:1:alerts' }] },
    ];
    const dir = tempDir();
    writeFileSync(path.join(dir, 'r.ndjson'), records.map((r) => JSON.stringify(r)).join('\n'));
    const served = await serve(['--port', '0', '--rate', '0', ...SAMPLE_CLOCK, path.join(dir, 'r.ndjson')]);
    const fetched = await sh(`${FETCH_ENV} AWS_ENDPOINT_URL=${served.url} ct-fetch --region us-east-1 --start-time 2024-07-23 2>/dev/null`);
    served.stop();
    expect(Object.fromEntries(byId(fetched.stdout))).toEqual({
      kms: [],
      user: ['AWS::IAM::User Zoë'],
      bucket: ['AWS::S3::Bucket prod-logs'],
      other: ['AWS::SNS::Topic alerts'], // not in the table: the record's resources[], the ARN cut to its name
    });
  }, 60_000);
});

describe.skipIf(absent('aws') || absent('jq'))(`the AWS CLI sees what event history shows ${needs('aws', 'awscli')} ${needs('jq')}`, () => {
  const env = 'env -u AWS_PROFILE AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=dummy AWS_EC2_METADATA_DISABLED=true';
  const cli = (url: string, region: string, args: string) => `${env} aws cloudtrail lookup-events --endpoint-url ${url} --region ${region} --output json ${args}`;

  test('no data events, Insights by the API they are about, Resources from the call', async () => {
    const plaso = path.join(REALDATA, 'plaso/aws_cloudtrail.jsonl');
    const dir = tempDir();
    await sh(`ct-explode '${plaso}' > '${dir}/plaso.ndjson'`);
    const served = await serve(['--port', '0', '--rate', '0', ...ANY_AGE, REALDATA, path.join(dir, 'plaso.ndjson'), path.join(ROOT, 'test/fixtures/corpus/converted/records.ndjson')]);
    try {
      // GetObject events the record marks as data or network activity (two test records that say
      // eventCategory Management are management events by their own word, and are served).
      const data = await sh(
        `${cli(served.url, 'us-east-1', '--lookup-attributes AttributeKey=EventName,AttributeValue=GetObject')} | jq '[.Events[].CloudTrailEvent | fromjson | select(.eventCategory == "Data" or .eventCategory == "NetworkActivity" or .managementEvent == false)] | length'`,
      );
      expect(data.stdout.trim()).toBe('0');
      const all = await sh(`ct-explode '${REALDATA}' | ct-where -c 'eventName=GetObject and awsRegion=us-east-1 and (eventCategory in (Data, NetworkActivity) or managementEvent=false)'`);
      expect(Number(all.stdout)).toBeGreaterThan(0);
      const insight = await sh(`${cli(served.url, 'us-east-1', '--event-category insight --lookup-attributes AttributeKey=EventSource,AttributeValue=autoscaling.amazonaws.com')} | jq -r '.Events[].EventName' | sort -u`);
      expect(lines(insight.stdout)).toEqual(['CompleteLifecycleAction']);
      const run = await sh(`${cli(served.url, 'ap-southeast-2', '--lookup-attributes AttributeKey=EventName,AttributeValue=RunInstances')} | jq -c '[.Events[0].Resources[] | .ResourceType + " " + .ResourceName] | sort'`);
      const item = await sh(`ct-where EventName=RunInstances '${plaso}' | jq -c '[.Resources[] | .ResourceType + " " + .ResourceName] | sort'`);
      expect(run.stdout).toBe(item.stdout);
      expect(JSON.parse(run.stdout)).toHaveLength(8);
    } finally {
      served.stop();
    }
  }, 120_000);

  test('--shift: the sample is the last hours, so a relative window finds it', async () => {
    const served = await serve(['--port', '0', '--rate', '0', '--shift', path.join(ROOT, 'data/sample-events.ndjson.gz')]);
    try {
      const since = new Date(Date.now() - 3_600_000).toISOString();
      const r = await sh(`${cli(served.url, 'us-east-1', `--start-time ${since} --max-items 500`)} | jq '.Events | length'`);
      expect(Number(r.stdout)).toBeGreaterThan(20);
    } finally {
      served.stop();
    }
  }, 120_000);
});

describe('ct-serve over many events, and its options\' mistakes', () => {
  test('--shift over 200,000 events: the newest found without a stack overflow', async () => {
    const dir = tempDir();
    const body = Array.from({ length: 200_000 }, (_, i) => `{"eventID":"e${i}","eventTime":"2024-07-22T00:00:00Z","awsRegion":"us-east-1","eventName":"A"}`).join('\n');
    writeFileSync(path.join(dir, 'many.ndjson'), `${body}\n`);
    const served = await serve(['--port', '0', '--shift', path.join(dir, 'many.ndjson')]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    served.stop();
    expect(served.stderr()).toMatch(/--shift: every event moved forward/);
    expect(served.stderr()).toContain('us-east-1 200000');
  }, 120_000);

  test.each([
    ['--now soon x.json', "ct-serve: --now: "],
    ['--credentials AKIDONLY x.json', 'ct-serve: --credentials: expected ACCESS_KEY_ID:SECRET_ACCESS_KEY, e.g. AKIDEXAMPLE:secret'],
    ['--enabled-regions us-east-1,eu-west1 x.json', "ct-serve: --enabled-regions: unknown Region 'eu-west1'; did you mean eu-west-1"],
  ])('ct-serve %s: one line, exit 2', async (args, message) => {
    const r = await sh(`ct-serve ${args}`);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr.startsWith(message)).toBe(true);
    expect(r.code).toBe(2);
  });
});
