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
  const records = gunzipSync(before).toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(JSON.parse(l).CloudTrailEvent));
  expect(records).toHaveLength(3000);
  interface SampleRecord {
    eventName: string;
    eventSource: string;
    eventCategory?: string;
    errorCode?: string;
    userAgent: string;
    responseElements?: Record<string, string>;
    userIdentity?: { userName?: string; principalId?: string };
  }
  const has = (f: (r: SampleRecord) => boolean): number => records.filter(f).length;
  expect(has((r) => r.errorCode === 'AccessDenied')).toBeGreaterThan(10);
  expect(has((r) => r.eventName === 'ConsoleLogin' && r.responseElements?.ConsoleLogin === 'Failure' && !r.errorCode)).toBeGreaterThan(10);
  expect(has((r) => r.eventName === 'SwitchRole' && r.responseElements?.SwitchRole === 'Failure')).toBeGreaterThan(5);
  expect(has((r) => r.eventName === 'AssumeRole')).toBeGreaterThan(10);
  expect(has((r) => r.eventCategory === 'Data' && r.eventSource === 's3.amazonaws.com')).toBeGreaterThan(10);
  expect(has((r) => /[^\x00-\x7f]/.test(r.userIdentity?.userName ?? r.userIdentity?.principalId ?? ''))).toBeGreaterThan(10);
  expect(has((r) => r.userAgent.startsWith('='))).toBeGreaterThan(0);
});
