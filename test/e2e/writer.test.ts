// Every byte to stdout goes through the one writer (src/output/output-writer.ts), for every
// command and every kind of output: help, the version, lists, URLs, events. A reader that goes
// away ends a command quietly with exit 0; a full disk ends it with one line and exit 1.
import { describe, expect, test } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { allCommands } from '../../src/commands/all';
import { packageVersion } from '../../src/cli/main';
import { FETCH_ENV, SAMPLE, serve, sh, tempDir, SAMPLE_CLOCK } from '../helpers';

const NAMES = allCommands.map((c) => c.name);
const FULL = (name: string): string => `${name}: could not write to standard output: no space left on device (ENOSPC)\n`;

describe.each(NAMES)('%s', (name) => {
  test('--help and --version to a reader that goes away (| true, | head -1): quiet, exit 0', async () => {
    for (const script of [`${name} --help | true`, `${name} --version | true`, `${name} --help | head -1 > /dev/null`]) {
      const r = await sh(`{ ${script.replace(' |', '; echo "status=$?" >&2; } |')}`);
      expect(r.stderr, script).toBe('status=0\n');
    }
    const version = await sh(`${name} --version | head -1`);
    expect(version.stdout).toBe(`${packageVersion()}\n`);
  });

  test('--help and --version onto a full disk: one line, exit 1', async () => {
    for (const option of ['--help', '--version']) {
      const r = await sh(`${name} ${option} > /dev/full`);
      expect(r.stderr, option).toBe(FULL(name));
      expect(r.code, option).toBe(1);
    }
  });
});

describe('what the commands write', () => {
  const dir = tempDir();
  const items = path.join(dir, 'items.ndjson');
  const item = (i: number): string => JSON.stringify({ EventId: `e${i}`, CloudTrailEvent: JSON.stringify({ eventID: `e${i}`, eventName: 'A', readOnly: true }) });
  writeFileSync(items, `${Array.from({ length: 2000 }, (_, i) => item(i)).join('\n')}\n`);

  test.each([
    [`ct-where -c readOnly=true -- ${items}`],
    [`ct-explode ${items}`],
    [`ct-csv ${items}`],
    ['ct-catalog event-sources'],
    ['ct-catalog completion bash'],
    ['ct-catalog __complete "ct-where --"'],
  ])('%s onto a full disk: one line, exit 1', async (script) => {
    const r = await sh(`${script} > /dev/full`);
    expect(r.stderr).toBe(FULL(script.split(' ')[0]));
    expect(r.code).toBe(1);
  });

  test.each([['ct-catalog -l resource-types'], ['ct-catalog event-names --source ec2'], ['ct-catalog __complete "ct-where --"'], [`ct-csv ${items}`]])(
    '%s | head -1: quiet, exit 0',
    async (script) => {
      const r = await sh(`{ ${script}; echo "status=$?" >&2; } | head -1`);
      expect(r.stdout.split('\n')).toHaveLength(2);
      expect(r.stderr).toBe('status=0\n');
    },
  );

  test("ct-serve's URL onto a full disk: one line, exit 1, and the server stops", async () => {
    const r = await sh(`timeout 20 ct-serve ${items} > /dev/full`);
    expect(r.stderr).toContain(FULL('ct-serve'));
    expect(r.code).toBe(1);
  }, 30000);

  test('ct-fetch: events onto a full disk end it with that line, the resume command and exit 1; to a reader that goes away, quietly', async () => {
    const s = await serve(['--rate', '0', ...SAMPLE_CLOCK, SAMPLE]);
    try {
      const fetch = `${FETCH_ENV} ct-fetch --endpoint-url ${s.url} --region us-east-1 --start-time 2020-01-01`;
      const full = await sh(`${fetch} > /dev/full`);
      expect(full.stderr).toContain(
        'ct-fetch: could not write to standard output: no space left on device (ENOSPC); every event before is on stdout whole. Then, to resume:\n  ct-fetch ',
      );
      expect(full.code).toBe(1);
      const early = await sh(`{ ${fetch} 2>/dev/null; echo "status=$?" >&2; } | head -1`);
      expect(early.stdout.split('\n')).toHaveLength(2);
      expect(early.stderr).toBe('status=0\n');
    } finally {
      s.stop();
    }
  }, 30000);
});
