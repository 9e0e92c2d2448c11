// ct-explode writes each record as UTF-8, whatever the item held: raw UTF-8, \u escapes (surrogate
// pairs too), escapes that belong to the record, a byte that is not UTF-8 (U+FFFD), CRLF, records.
import { describe, expect, test } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sh, tempDir } from '../helpers';

const item = (id: string, inner: string, extra = ''): string => `{"EventId":"${id}"${extra},"CloudTrailEvent":${inner}}`;

describe('ct-explode, bytes in and out', () => {
  test('non-ASCII text, escapes, surrogate pairs, invalid UTF-8, CRLF and records', async () => {
    const dir = tempDir();
    const cases: [Buffer, Buffer][] = [
      // raw UTF-8 in the record and beside it
      [Buffer.from(item('1', JSON.stringify('{"userName":"田中太郎","city":"Zoë"}'), ',"Username":"田中"')), Buffer.from('{"userName":"田中太郎","city":"Zoë"}')],
      // \u escapes in the item: decoded to characters, written as UTF-8
      [Buffer.from(item('2', '"{\\"a\\":\\"\\u00e9\\u7530\\"}"')), Buffer.from('{"a":"é田"}')],
      [Buffer.from(item('3', '"{\\"a\\":\\"\\ud83d\\ude00\\"}"')), Buffer.from('{"a":"😀"}')],
      // an escape inside the record stays an escape
      [Buffer.from(item('4', '"{\\"a\\":\\"\\\\u00e9\\"}"')), Buffer.from('{"a":"\\u00e9"}')],
      // an ASCII \u escape
      [Buffer.from(item('5', '"{\\"a\\":\\"\\u0041\\"}"')), Buffer.from('{"a":"A"}')],
      // CRLF
      [Buffer.from(`${item('6', JSON.stringify('{"b":"ü"}'))}\r`), Buffer.from('{"b":"ü"}')],
      // a record passes through byte for byte
      [Buffer.from('{"eventID":"r","userIdentity":{"userName":"田中"}}'), Buffer.from('{"eventID":"r","userIdentity":{"userName":"田中"}}')],
    ];
    const good = Buffer.concat(cases.flatMap(([line]) => [line, Buffer.from('\n')]));
    const expected = Buffer.concat(cases.flatMap(([, out]) => [out, Buffer.from('\n')]));
    writeFileSync(path.join(dir, 'good.ndjson'), good);
    // A byte that is not UTF-8 becomes U+FFFD; the lines after it are unaffected.
    const bad = Buffer.concat([Buffer.from('{"EventId":"7","CloudTrailEvent":"{\\"c\\":\\"x'), Buffer.from([0xff]), Buffer.from('y\\"}"}\n'), good]);
    writeFileSync(path.join(dir, 'bad.ndjson'), bad);
    const r = await sh('ct-explode good.ndjson > good.out; ct-explode bad.ndjson > bad.out; echo $?', { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('0');
    expect(readFileSync(path.join(dir, 'good.out')).toString('latin1')).toBe(expected.toString('latin1'));
    expect(readFileSync(path.join(dir, 'bad.out')).toString('latin1')).toBe(Buffer.concat([Buffer.from('{"c":"x\ufffdy"}\n'), expected]).toString('latin1'));
  });
});
