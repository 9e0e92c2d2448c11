import { expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ROOT, SAMPLE } from '../helpers';

test('the sample generator reproduces the committed sample byte for byte, with the cookbook cases in it', () => {
  const before = readFileSync(SAMPLE);
  execFileSync('node', [path.join(ROOT, 'scripts/make-sample.mjs')], { stdio: 'ignore' });
  expect(readFileSync(SAMPLE).equals(before)).toBe(true);
  const items = gunzipSync(before).toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const records = items.map((i) => JSON.parse(i.CloudTrailEvent));
  expect(records).toHaveLength(3000);
  interface SampleRecord {
    eventName: string;
    eventSource: string;
    eventCategory?: string;
    errorCode?: string;
    userAgent: string;
    responseElements?: Record<string, string>;
    userIdentity?: { type?: string; userName?: string; principalId?: string; accessKeyId?: string };
    awsRegion: string;
    sourceIPAddress: string;
    eventVersion: string;
    managementEvent?: boolean;
    requestParameters?: Record<string, unknown> | null;
  }
  const has = (f: (r: SampleRecord) => boolean): number => records.filter(f).length;
  expect(has((r) => r.errorCode === 'AccessDenied')).toBeGreaterThan(10);
  expect(has((r) => r.eventName === 'ConsoleLogin' && r.responseElements?.ConsoleLogin === 'Failure' && !r.errorCode)).toBeGreaterThan(10);
  expect(has((r) => r.eventName === 'SwitchRole' && r.responseElements?.SwitchRole === 'Failure')).toBeGreaterThan(5);
  expect(has((r) => r.eventName === 'AssumeRole')).toBeGreaterThan(10);
  // Event history: management events only, global services in us-east-1 only.
  expect(has((r) => r.eventCategory === 'Data' || r.managementEvent === false)).toBe(0);
  expect(has((r) => ['iam.amazonaws.com', 'signin.amazonaws.com'].includes(r.eventSource) && r.awsRegion !== 'us-east-1')).toBe(0);
  expect(has((r) => r.eventSource === 'iam.amazonaws.com')).toBeGreaterThan(100);
  // Each call carries its own parameters: console sign-in has no access key and comes from an address.
  const logins = records.filter((r) => r.eventName === 'ConsoleLogin');
  expect(logins.filter((r) => r.userIdentity?.accessKeyId || !/^[\d.]+$|:/.test(r.sourceIPAddress))).toEqual([]);
  expect(items.filter((i) => i.EventName === 'ConsoleLogin' && i.AccessKeyId)).toEqual([]);
  expect(records.filter((r) => r.eventName === 'RunInstances' && !r.errorCode).every((r) => JSON.stringify(r.requestParameters).includes('imageId'))).toBe(true);
  expect(records.filter((r) => r.eventName === 'CreateUser' && !r.errorCode).every((r) => typeof r.requestParameters?.userName === 'string')).toBe(true);
  // The odd shapes real accounts have.
  expect(has((r) => r.userIdentity?.type === 'Root' && r.userIdentity.userName !== undefined)).toBeGreaterThan(0);
  expect(has((r) => r.eventVersion === '1.05' && r.managementEvent === undefined)).toBeGreaterThan(10);
  expect(items.filter((i) => JSON.parse(i.CloudTrailEvent).userIdentity.type === 'AWSService' && i.Username === undefined).length).toBeGreaterThan(10);
  // Items' Resources as event history shows them: names and IDs from the call.
  expect(items.some((i) => i.Resources.some((x: { ResourceName: string }) => /^i-0/.test(x.ResourceName)))).toBe(true);
  expect(has((r) => /[^\x00-\x7f]/.test(r.userIdentity?.userName ?? r.userIdentity?.principalId ?? ''))).toBeGreaterThan(10);
  expect(has((r) => r.userAgent.startsWith('='))).toBeGreaterThan(0);
});
