// The computed `user`: one rule per identity type, the same answer on a LookupEvents item and on
// its record, over every identity type in the real data (test/fixtures/realdata, the corpus).
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ANY_AGE, FETCH_ENV, ROOT, lines, serve, sh, type Served } from '../helpers';

const REALDATA = path.join(ROOT, 'test/fixtures/realdata');
const RECORDS = path.join(ROOT, 'test/fixtures/corpus/converted/records.ndjson');

/** `type,user` rows of every record: real trail files, documentation examples, the corpus. */
async function usersByType(): Promise<Map<string, Set<string>>> {
  const r = await sh(`ct-explode '${REALDATA}' '${RECORDS}' 2>/dev/null | ct-csv --no-header -f userIdentity.type,user`);
  const byType = new Map<string, Set<string>>();
  for (const row of lines(r.stdout)) {
    const [type, user] = row.split(',');
    if (!byType.has(type)) byType.set(type, new Set());
    byType.get(type)!.add(user);
  }
  return byType;
}

describe('user: one rule per identity type (the README table)', () => {
  let byType: Map<string, Set<string>>;
  beforeAll(async () => {
    byType = await usersByType();
  }, 60_000);

  // Each row: a value the rule gives for a real record of that type in the fixtures.
  test.each([
    ['IAMUser', 'christophe'], // grycap: a real account's trail, userName
    ['AssumedRole', 'aws-opsworks-service-role/charlie'], // role/session from the ARN
    ['AssumedRole', 'tester/tester'], // ARN without a session: issuer and principal ID
    ['AWSService', 'elasticmapreduce.amazonaws.com'], // invokedBy
    ['AWSAccount', '111111111111/session-name'], // account/session
    ['AWSAccount', '777788889999'], // account alone when the principal has no session
    ['FederatedUser', 'stratus_red_team'], // the federated-user name from the ARN
    ['SAMLUser', 'SamlExample'],
    ['WebIdentityUser', '<id of user>'],
    ['IdentityCenterUser', '94d00cd8-e9e6-4810-b177-b08e84775435'], // onBehalfOf.userId
    ['Unknown', 'bobsmith@example.com'], // userName
    ['Unknown', '974349055189'], // empty userName and principal ID: the account
    ['', 'ec2.amazonaws.com'], // no type: a service event's invokedBy (plaso's real item)
    ['', 'AWS Internal'],
  ])('%s -> %s', (type, user) => {
    expect([...(byType.get(type) ?? [])]).toContain(user);
  });

  test('Root is `root`, whatever alias the record carries in userName', () => {
    expect([...byType.get('Root')!]).toEqual(['root']);
  });

  test('every identity type the real data has gets a non-empty user', () => {
    for (const type of ['IAMUser', 'AssumedRole', 'Root', 'AWSService', 'AWSAccount', 'FederatedUser', 'SAMLUser',
      'WebIdentityUser', 'IdentityCenterUser', 'Unknown']) {
      const users = byType.get(type);
      expect(users, type).toBeDefined();
      expect([...users!].filter((u) => u === ''), type).toEqual([]);
    }
  });
});

describe('user: the same answer on items and on their records', () => {
  let served: Served;
  let items: string;
  beforeAll(async () => {
    served = await serve(['--port', '0', ...ANY_AGE, REALDATA, RECORDS]);
    const r = await sh(`${FETCH_ENV} AWS_ENDPOINT_URL=${served.url} ct-fetch --region all --start-time 2000-01-01 2>/dev/null`);
    items = r.stdout;
    expect(lines(items).length).toBeGreaterThan(500);
  }, 120_000);
  afterAll(() => served?.stop());

  test('eventID,user is the same for every event, fetched as items or exploded to records', async () => {
    const onItems = await sh('ct-csv --no-header -f eventID,user | sort -u', { input: items });
    const onRecords = await sh('ct-explode | ct-csv --no-header -f eventID,user | sort -u', { input: items });
    expect(lines(onItems.stdout).length).toBeGreaterThan(500);
    expect(onRecords.stdout).toBe(onItems.stdout);
  });

  test.each(['user=root', 'user=aws-opsworks-service-role/charlie', 'user~^AWSReservedSSO'])(
    'ct-where -c %s counts the same on both shapes',
    async (expr) => {
      const onItems = await sh(`ct-where -c '${expr}'`, { input: items });
      const onRecords = await sh(`ct-explode | ct-where -c '${expr}'`, { input: items });
      expect(Number(onItems.stdout)).toBeGreaterThan(0);
      expect(onRecords.stdout).toBe(onItems.stdout);
    },
  );

  test('real boto3 items (plaso) give their record\'s user, also for the service event without a Username', async () => {
    const file = path.join(REALDATA, 'plaso/aws_cloudtrail.jsonl');
    const onItems = await sh(`ct-csv --no-header -f user '${file}'`);
    const onRecords = await sh(`ct-explode '${file}' | ct-csv --no-header -f user`);
    expect(lines(onItems.stdout)).toEqual(['fakeusername', 'fakeusername', 'fakeusername', 'ec2.amazonaws.com', 'fakeusername', 'fakeusername']);
    expect(onRecords.stdout).toBe(onItems.stdout);
  });
});

describe('consoleUrl: the event\'s page in the CloudTrail console, for a support case', () => {
  test('the same on items and records, usable in ct-where, ct-csv and ct-count', async () => {
    const sample = path.join(ROOT, 'data/sample-events.ndjson.gz');
    const onItems = await sh(`ct-csv --no-header -f eventID,awsRegion,consoleUrl '${sample}'`);
    const onRecords = await sh(`ct-explode '${sample}' | ct-csv --no-header -f eventID,awsRegion,consoleUrl`);
    expect(onRecords.stdout).toBe(onItems.stdout);
    for (const row of lines(onItems.stdout)) {
      const [id, region, url] = row.split(',');
      expect(url).toBe(`https://${region}.console.aws.amazon.com/cloudtrailv2/home?region=${region}#/events/${id}`);
    }
    const where = await sh(`ct-where -c 'consoleUrl~^https://eu-west-1\\.' '${sample}'; ct-where -c awsRegion=eu-west-1 '${sample}'`);
    const [a, b] = lines(where.stdout);
    expect(a).toBe(b);
    const count = await sh(`ct-count consoleUrl --top 1 --json '${sample}'`);
    expect(JSON.parse(count.stdout).count).toBe(1);
  });

  test('China Regions link amazonaws.cn; no Region or no ID, no link', async () => {
    const input = [
      '{"eventID":"e1","awsRegion":"cn-north-1","eventTime":"2024-07-22T00:00:00Z"}',
      '{"eventID":"e2","eventTime":"2024-07-22T00:00:00Z"}',
      '{"awsRegion":"us-east-1","eventTime":"2024-07-22T00:00:00Z"}',
    ].join('\n');
    const r = await sh('ct-csv --no-header -f consoleUrl', { input });
    expect(r.stdout).toBe('https://cn-north-1.console.amazonaws.cn/cloudtrailv2/home?region=cn-north-1#/events/e1\n\n\n');
  });
});
