import { describe, expect, test } from 'vitest';
import { lines, sh } from '../helpers';

describe('ct-catalog', () => {
  test('lists event sources matching a pattern, any case, one per line', async () => {
    const r = await sh('ct-catalog event-sources SIGNIN');
    expect(lines(r.stdout)).toEqual(['signin.amazonaws.com']);
    expect(r.code).toBe(0);
  });

  test.each([
    ['cloudwatch', ['monitoring.amazonaws.com', 'logs.amazonaws.com', 'events.amazonaws.com']],
    ['eventbridge', ['events.amazonaws.com', 'scheduler.amazonaws.com']],
    ['cognito', ['cognito-idp.amazonaws.com', 'cognito-identity.amazonaws.com']],
    ['Key Management', ['kms.amazonaws.com']],
    ['identity center', ['sso.amazonaws.com', 'sso-directory.amazonaws.com']], // renamed after the SDK's name
    ['sign-in', ['signin.amazonaws.com']],
  ])('event sources by the service name too: %s', async (pattern, expected) => {
    const r = await sh(`ct-catalog event-sources '${pattern}'`);
    for (const value of expected) expect(lines(r.stdout)).toContain(value);
    expect(r.code).toBe(0);
  });

  test.each([
    ['dns', 'route53.amazonaws.com'], // botocore: "Domain Name System (DNS) web service"
    ['object storage', 's3.amazonaws.com'], // hand-kept: botocore's s3 model says nothing
    ['cdn', 'cloudfront.amazonaws.com'],
    ['data warehouse', 'redshift.amazonaws.com'],
    ['kubernetes', 'eks.amazonaws.com'],
    ['serverless', 'lambda.amazonaws.com'],
  ])('event sources by what the service does: %s finds %s', async (pattern, value) => {
    const r = await sh(`ct-catalog event-sources '${pattern}'; ct-catalog -l event-sources '${pattern}'; ct-catalog --json event-sources '${pattern}'`);
    const [plain, long, json] = [lines(r.stdout).filter((l) => !l.includes('\t') && !l.startsWith('[')), lines(r.stdout).filter((l) => l.includes('\t')), r.stdout.slice(r.stdout.indexOf('['))];
    expect(plain).toContain(value);
    const found = JSON.parse(json) as { value: string; names?: string[]; description?: string }[];
    // Name matches come first; of the rest (found by description), those that say it soonest.
    const byName = (v: (typeof found)[number]) => v.value.includes(pattern) || (v.names ?? []).some((n) => n.toLowerCase().includes(pattern));
    expect(found.findIndex((v) => !byName(v))).toBe(found.filter(byName).length);
    expect([...found.filter(byName), ...found.filter((v) => !byName(v)).slice(0, 3)].map((v) => v.value)).toContain(value);
    expect(found.find((v) => v.value === value)?.description).toMatch(new RegExp(pattern.split(' ')[0], 'i'));
    expect(long.find((l) => l.startsWith(`${value}\t`))).toMatch(new RegExp(`\t[^\t]*${pattern.split(' ')[0]}[^\t]*$`, 'i'));
    expect(r.code).toBe(0);
  });

  test('a search by name lists the name matches before the description matches', async () => {
    const r = await sh(`ct-catalog event-sources monitoring`);
    const found = lines(r.stdout);
    expect(found[0]).toBe('monitoring.amazonaws.com'); // by value
    expect(found).toContain('guardduty.amazonaws.com'); // "a continuous security monitoring service"
  });

  test('-l shows no path of this repository', async () => {
    const r = await sh('ct-catalog -l event-sources; ct-catalog -l resource-types; ct-catalog -l attribute-keys');
    expect(r.stdout).not.toMatch(/\/work\/|\/src\/|dist\/|node_modules|\/home\/|\/tmp\//);
  });

  test('-l shows the tier and the sources that vouch for a value', async () => {
    const r = await sh('ct-catalog -l event-sources ses.amazonaws');
    expect(r.stdout).toMatch(/^ses\.amazonaws\.com\tdocumented\t.*endpoint prefix is 'email'/m);
  });

  test('--json is one array for tools', async () => {
    const r = await sh('ct-catalog resource-types AWS::STS:: --json');
    expect(JSON.parse(r.stdout).map((v: { value: string }) => v.value)).toContain('AWS::STS::AssumedRole');
  });

  test('event names per source, by full or short name', async () => {
    const full = await sh('ct-catalog event-names --source signin.amazonaws.com ConsoleLogin; ct-catalog event-names --source iam CreateAccessKey');
    expect(full.stdout).toBe('ConsoleLogin\nCreateAccessKey\n');
    const unknown = await sh('ct-catalog event-names --source ec2.amazonaws.co');
    expect(unknown.stderr).toContain("ct-catalog: --source: no event names known for 'ec2.amazonaws.co'; did you mean ec2.amazonaws.com");
    expect(unknown.code).toBe(2);
  });

  test('the eight attribute keys, fields and regions', async () => {
    expect(lines((await sh('ct-catalog attribute-keys')).stdout)).toEqual([
      'AccessKeyId', 'EventId', 'EventName', 'EventSource', 'ReadOnly', 'ResourceName', 'ResourceType', 'Username',
    ]);
    expect(lines((await sh('ct-catalog fields sessionIssuer.user')).stdout)).toEqual(['userIdentity.sessionContext.sessionIssuer.userName']);
    expect(lines((await sh('ct-catalog regions northeast')).stdout)).toContain('ap-northeast-1');
  });

  test('nothing found exits 1; a bad list name is a usage error', async () => {
    expect((await sh('ct-catalog event-sources no-such-thing')).code).toBe(1);
    const bad = await sh('ct-catalog sources');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Choices: "event-sources"');
  });
});
