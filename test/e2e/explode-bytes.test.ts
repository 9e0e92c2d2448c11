// ct-explode writes each record as UTF-8, whatever the item held: raw UTF-8, \u escapes (surrogate
// pairs too), escapes that belong to the record, a byte that is not UTF-8 (U+FFFD, reported), CRLF, records.
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
    // A byte that is not UTF-8 becomes U+FFFD, and is reported; the lines after it are unaffected.
    const before = Buffer.from('{"EventId":"7","CloudTrailEvent":"{\\"c\\":\\"x');
    const bad = Buffer.concat([before, Buffer.from([0xff]), Buffer.from('y\\"}"}\n'), good]);
    writeFileSync(path.join(dir, 'bad.ndjson'), bad);
    const r = await sh('ct-explode good.ndjson > good.out; echo $?; ct-explode bad.ndjson > bad.out; echo $?', { cwd: dir });
    expect(r.stderr).toBe(
      `ct-explode: bad.ndjson:1: text read as U+FFFD: bytes that are not UTF-8 (from byte ${before.length} of the line); the event is kept (a line written whole keeps its bytes)\n`,
    );
    expect(r.stdout.split('\n').slice(0, 2)).toEqual(['0', '1']);
    expect(readFileSync(path.join(dir, 'good.out')).toString('latin1')).toBe(expected.toString('latin1'));
    expect(readFileSync(path.join(dir, 'bad.out')).toString('latin1')).toBe(Buffer.concat([Buffer.from('{"c":"x\ufffdy"}\n'), expected]).toString('latin1'));
  });

  test('lines read straight into the module\'s memory, from a file or a pipe, over many reads', async () => {
    // Lines of every kind, past many reads of the area, a line longer than the area in the middle
    // (read on in chunks), bad lines (reported with their numbers), no newline at the end.
    const dir = tempDir();
    const record = (r: object) => JSON.stringify(r);
    const [a, b, e] = [
      { eventName: 'GetObject', userIdentity: { userName: 'Zoë' }, pad: 'p'.repeat(300) },
      { eventName: 'Pretty' },
      { eventName: 'x'.repeat(3000) },
    ];
    const kinds: [string, string | null][] = [
      [item('a', JSON.stringify(record(a))), record(a)],
      [item('b', JSON.stringify(JSON.stringify(b, null, 2))), record(b)],
      ['{"eventID":"r","eventName":"AlreadyARecord"}', '{"eventID":"r","eventName":"AlreadyARecord"}'],
      [`${item('c', JSON.stringify('{"b":"ü"}'))}\r`, '{"b":"ü"}'],
      ['', null],
      ['{"EventId":"d","CloudTrailEvent":"{\\"broken"}', null],
      ['not json', null],
      [item('e', JSON.stringify(record(e))), record(e)],
    ];
    const block = kinds.map(([line]) => `${line}\n`).join('');
    const blockOut = kinds.flatMap(([, out]) => (out === null ? [] : [`${out}\n`])).join('');
    const long = { blob: 'z'.repeat(1_500_000) };
    const text = block.repeat(400) + item('long', JSON.stringify(record(long))) + '\n' + block.repeat(400) + kinds[0][0];
    const expected = blockOut.repeat(400) + `${record(long)}\n` + blockOut.repeat(400) + `${kinds[0][1]}\n`;
    writeFileSync(path.join(dir, 'in.ndjson'), text);
    const r = await sh('ct-explode < in.ndjson > file.out 2> file.err; echo $?; cat in.ndjson | ct-explode > pipe.out 2> pipe.err; echo $?', { cwd: dir });
    expect(r.stdout).toBe('1\n1\n');
    const read = (name: string): string => readFileSync(path.join(dir, name), 'utf8');
    expect(read('file.out') === expected).toBe(true);
    expect(read('pipe.out') === expected).toBe(true);
    expect(read('file.err')).toBe(read('pipe.err'));
    const problems = read('file.err').split('\n').filter(Boolean);
    expect(problems).toHaveLength(1600);
    expect(problems[0]).toMatch(/^ct-explode: stdin:6: /);
    // 'not json' in the last block: after 799 blocks and the long line.
    expect(problems.at(-1)).toMatch(new RegExp(`^ct-explode: stdin:${799 * kinds.length + 1 + 7}: invalid JSON`));
  });
});

