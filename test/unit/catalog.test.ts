import { describe, expect, test } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { RECORDS, LOOKUP, ROOT } from '../helpers';

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
      const out = path.join(mkdtempSync(path.join(tmpdir(), 'ctpipe-')), 'descriptions.json');
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
    expect(new Set(list('event-sources'))).toEqual(eventSources);
    expect(new Set(list('resource-types'))).toEqual(resourceTypes);
    expect(list('fields')).toEqual(catalog.fields);
    expect(new Set(list('event-names'))).toEqual(new Set(Object.values(eventNames as Record<string, string[]>).flat()));
  });

  test('records the package versions it came from', () => {
    expect(Object.keys(catalog.inputs)).toEqual(['aws-sdk', '@aws-cdk/aws-service-spec', '@aws-sdk/client-config-service', '@aws-sdk/core', 'overrides']);
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
