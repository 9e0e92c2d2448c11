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
