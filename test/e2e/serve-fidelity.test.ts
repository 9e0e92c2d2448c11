// ct-serve answers as AWS's event history does (issue 15): management and Insights events only,
// Insights found by the name and source of the API they are about, tokens no client mistakes for
// its own, EventTime as AWS writes it.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { FETCH_ENV, lines, ROOT, serve, sh, tempDir, type Served } from '../helpers';

const REALDATA = path.join(ROOT, 'test/fixtures/realdata');

describe('event history shows management and Insights events only', () => {
  let served: Served;
  beforeAll(async () => {
    // Real data events: S3 GetObject/ListObjects (otrf, streamalert, the corpus), VPC endpoint network activity.
    served = await serve(['--port', '0', '--rate', '0', REALDATA, path.join(ROOT, 'test/fixtures/corpus/converted/records.ndjson')]);
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
