// Streams, always: memory stays flat on a large input even when the reader is slow, and a single
// 10 MB event goes through. Peak RSS is read with GNU time (.ci/run installs it).
import { describe, expect, test } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { lines, sh, tempDir } from '../helpers';

describe('streaming', () => {
  test('ct-where keeps its memory flat over 150 MB fed to a slow reader', async () => {
    const dir = tempDir();
    const line = JSON.stringify({ eventName: 'A', readOnly: true, requestParameters: { pad: 'x'.repeat(1400) } });
    writeFileSync(path.join(dir, 'line'), `${line}\n`);
    const r = await sh(
      `yes "$(cat line)" | head -n 100000 | /usr/bin/time -f %M -o rss ct-where readOnly=true | (sleep 1; wc -l); cat rss`,
      { cwd: dir },
    );
    const [count, rssKb] = lines(r.stdout).map(Number);
    expect(count).toBe(100000);
    expect(rssKb / 1024).toBeLessThan(150);
  }, 60000);

  test('a 10 MB event goes through explode, where and csv', async () => {
    const dir = tempDir();
    const record = { eventName: 'Big', errorCode: 'AccessDenied', requestParameters: { policy: 'p'.repeat(10 * 1024 * 1024) } };
    const item = { EventId: 'big', EventName: 'Big', CloudTrailEvent: JSON.stringify(record) };
    writeFileSync(path.join(dir, 'big.ndjson'), `{"EventId":"a","CloudTrailEvent":"{}"}\n${JSON.stringify(item)}\n`);
    const r = await sh(`ct-explode big.ndjson | ct-where errorCode~Denied | ct-csv -f eventName,requestParameters.policy --no-header | wc -c`, { cwd: dir });
    expect(Number(r.stdout.trim())).toBe('Big,'.length + 10 * 1024 * 1024 + 1);
    expect(r.stderr).toBe('');
  }, 30000);
});
