// Hostile input: what an adversarial run fed the readers. Each bad event or file is reported with
// its place, and everything after it is still read.
import { describe, expect, test } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { lines, sh, tempDir } from '../helpers';

const DEEP = `${'['.repeat(5000)}${']'.repeat(5000)}`;

describe('a record nested 5,000 levels deep', () => {
  const dir = tempDir();
  writeFileSync(path.join(dir, 'deep.ndjson'), `{"eventName":"A","requestParameters":{"x":${DEEP}}}\n{"eventName":"B","requestParameters":{"x":1}}\n`);
  writeFileSync(path.join(dir, 'deep.json'), `{"Records":[{"eventName":"A","requestParameters":{"x":${DEEP}}},{"eventName":"B"}]}`);
  const record = JSON.stringify({ eventName: 'A', eventID: 'deep', requestParameters: { x: 'DEEP' } }).replace('"DEEP"', DEEP);
  writeFileSync(path.join(dir, 'deep-item.ndjson'), `${JSON.stringify({ EventId: 'deep', EventName: 'A', CloudTrailEvent: record })}\n`);
  writeFileSync(path.join(dir, 'later.json'), '{"Records":[{"eventName":"C"}]}');

  test.each([
    ['ct-csv -f eventName,requestParameters --no-header deep.ndjson later.json', 'deep.ndjson:1', ['B,"{""x"":1}"', 'C,']],
    ['ct-explode deep.json later.json', 'deep.json: Records[0]', ['{"eventName":"B"}', '{"eventName":"C"}']],
    ['ct-explode --keep-lookup deep-item.ndjson later.json', 'deep-item.ndjson:1', ['{"eventName":"C"}']],
  ])('%s: the event is reported and skipped, the rest is read, exit 1', async (command, place, expected) => {
    const r = await sh(command, { cwd: dir });
    expect(r.stderr).toBe(`${command.split(' ')[0]}: ${place}: nested too deeply to handle (thousands of levels); event skipped\n`);
    expect(lines(r.stdout)).toEqual(expected);
    expect(r.code).toBe(1);
  });
});
