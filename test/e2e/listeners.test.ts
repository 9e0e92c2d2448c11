// No MaxListenersExceededWarning (issue 13, item 11): a listener added per wait and never
// removed, or one signal shared by more calls than node's default of 10.
import { describe, expect, test } from 'vitest';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { FETCH_ENV, SAMPLE, serve, sh, tempDir, SAMPLE_CLOCK } from '../helpers';

describe('listeners', () => {
  test('a gzipped input of several MB: every record, and nothing on stderr', async () => {
    const file = path.join(tempDir(), 'big.ndjson.gz');
    const lines = Array.from({ length: 40_000 }, (_, i) => JSON.stringify({ eventID: `e${i}`, pad: randomBytes(60).toString('base64') }));
    writeFileSync(file, gzipSync(`${lines.join('\n')}\n`, { level: 1 }));
    const r = await sh(`ct-where -c 'eventID exists' -- ${file}`);
    expect(r.stdout).toBe('40000\n');
    expect(r.stderr).toBe('');
  });

  test('ct-fetch --region all: no warning about listeners', async () => {
    const s = await serve(['--rate', '0', ...SAMPLE_CLOCK, SAMPLE]);
    try {
      const r = await sh(`${FETCH_ENV} ct-fetch --endpoint-url ${s.url} --region all --start-time 2020-01-01 | wc -l`);
      expect(Number(r.stdout.trim())).toBeGreaterThan(0);
      expect(r.stderr).not.toContain('MaxListenersExceededWarning');
    } finally {
      s.stop();
    }
  }, 60000);
});
