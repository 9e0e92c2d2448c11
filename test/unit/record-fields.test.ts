// RecordFields reads a few fields from a record's bytes; whatever the record holds (duplicate
// keys, escaped keys, whitespace anywhere, arrays on the way, __proto__), each value must be the
// one JSON.parse and resolveSteps give, for plain records and for LookupEvents items alike.
import { isUtf8 } from 'node:buffer';
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { parsePath, resolveSteps } from '../../src/events/field-path';
import { RecordFields } from '../../src/fast/record-fields';
import { JsonChecker, PLAIN_RECORD } from '../../src/fast/json-check';

const KEYS = ['eventName', 'errorCode', 'userIdentity', 'type', 'a', 'b', '__proto__', 'é', 'ev"q', '田'];
const PATHS = ['eventName', 'errorCode', 'userIdentity', 'userIdentity.type', 'userIdentity.a.b', 'a', 'a[]', 'a.b', 'a[0].b', 'a.b.type', '__proto__', '"é"', '"ev\\"q"', '"田".a'];

const space = fc.constantFrom('', '', '', ' ', '\n', '\t ', '\r\n');

/** JSON text of a value, with whitespace between tokens and keys sometimes written with escapes. */
const { text } = fc.letrec<{ text: string; scalar: string; array: string; object: string }>((tie) => ({
  text: fc.oneof({ depthSize: 'small', withCrossShrink: true }, tie('scalar'), tie('array'), tie('object')),
  scalar: fc.oneof(
    fc.string({ unit: 'binary' }).map((s) => JSON.stringify(s)),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n)),
    fc.constantFrom('true', 'false', 'null', '-0', '1e3', '"\\u0041\\n"', '"}{]["', '"q\\"}\\\\"', '"\\\\"', '"a\\\\\\"b"'),
  ),
  array: fc.tuple(fc.array(tie('text'), { maxLength: 4 }), space).map(([items, w]) => `[${w}${items.join(`${w},${w}`)}${w}]`),
  object: fc
    .tuple(fc.array(fc.tuple(fc.constantFrom(...KEYS), fc.boolean(), tie('text'), space), { maxLength: 6 }), space)
    .map(([members, w]) => `{${w}${members.map(([k, escape, v, w2]) => `${key(k, escape)}${w2}:${w2}${v}`).join(`${w},${w}`)}${w}}`),
}));

/** A key as JSON text; escaped: its first character as \uXXXX. */
function key(k: string, escape: boolean): string {
  const plain = JSON.stringify(k);
  return escape ? `"\\u${k.charCodeAt(0).toString(16).padStart(4, '0')}${plain.slice(2)}` : plain;
}

/** A record: an object whose first key starts with "event", as CloudTrail records do. */
const record = fc.tuple(text, space, fc.constantFrom('"2024-07-22T09:00:00Z"', '1')).map(([body, w, time]) => {
  const rest = body.startsWith('{') ? body.slice(1).trim() : '}';
  return `{${w}"eventTime"${w}:${w}${time}${rest === '}' ? '}' : `,${w}${rest}`}`;
});

function readLine(fields: RecordFields, line: string): unknown[] | undefined {
  const buf = Buffer.from(`${line}\n`);
  fields.beginLines(buf, isUtf8(buf));
  return fields.read({ buf, start: 0, end: buf.length - 1 });
}

describe('RecordFields', () => {
  test('the values JSON.parse and resolveSteps give, from a record line and from an item line', () => {
    const paths = PATHS.map((p) => parsePath(p, 'test'));
    const fields = new RecordFields(paths);
    const vouched = { item: 0, record: 0 };
    fc.assert(
      fc.property(record, fc.boolean(), (recordText, asItem) => {
        const parsed = JSON.parse(recordText) as unknown;
        const line = asItem ? JSON.stringify({ EventId: 'e1', EventName: 'X', CloudTrailEvent: recordText }) : recordText;
        const got = readLine(fields, line);
        if (got === undefined) return; // not vouched for: the line is parsed as usual
        vouched[asItem ? 'item' : 'record']++;
        expect(fields.fromItem).toBe(asItem);
        paths.forEach((p, i) => expect(got[i], p.text).toEqual(resolveSteps(parsed, p.steps)));
      }),
      { numRuns: 3000 },
    );
    // Many lines of both shapes are read from their bytes (the checker leaves lines with escaped
    // keys, among others, to the parser): the comparison is not empty.
    expect(vouched.item).toBeGreaterThan(400);
    expect(vouched.record).toBeGreaterThan(400);
  });

  test('duplicate keys: the last wins, as in JSON.parse', () => {
    const fields = new RecordFields([parsePath('errorCode', 't'), parsePath('eventName', 't'), parsePath('userIdentity.type', 't')]);
    expect(readLine(fields, '{"eventName":"A","errorCode":{"x":1},"errorCode":"Denied","eventName":"B","userIdentity":{"type":"Root"},"userIdentity":{"nope":1}}')).toEqual([
      'Denied', 'B', undefined,
    ]);
  });

  test('a record of more members than the checker records (1,024) is read all the same, item or not', () => {
    const members = Array.from({ length: 1100 }, (_, i) => `"k${i}":${i % 2 ? `{"type":"t${i}"}` : `"v${i}"`}`);
    const record = `{"eventName":"A",${members.join(',')},"errorCode":"Late"}`;
    const fields = new RecordFields(['eventName', 'errorCode', 'k1099.type', 'k1098'].map((p) => parsePath(p, 't')));
    expect(readLine(fields, record)).toEqual(['A', 'Late', 't1099', 'v1098']);
    expect(readLine(fields, JSON.stringify({ EventId: 'e', CloudTrailEvent: record }))).toEqual(['A', 'Late', 't1099', 'v1098']);
    expect(fields.fromItem).toBe(true);
  });

  test('the checker finds the last member of each key asked for, unless a key holds an escape', () => {
    const checker = new JsonChecker();
    checker.recordMembers();
    expect(checker.wantKeys(['b', 'a', 'zz'])).toBe(true);
    const check = (line: string): number => {
      checker.loadLines(Buffer.from(`${line}\n`));
      return checker.checkLine(0, Buffer.byteLength(line));
    };
    expect(check('{"eventName":"x","a":1,"b":{"a":0},"a":3}')).toBe(PLAIN_RECORD);
    expect([...checker.wantedMembers()!].slice(0, 3)).toEqual([2, 3, -1]);
    expect(check('{"eventName":"y","ab":1}')).toBe(PLAIN_RECORD);
    expect([...checker.wantedMembers()!].slice(0, 3)).toEqual([-1, -1, -1]);
    // \u0061 is "a": found only by decoding every key (in an item's record: a record line with
    // an escaped key is the parser's anyway).
    expect(check(JSON.stringify({ EventId: 'e', CloudTrailEvent: '{"eventName":"z","\\u0061":1}' }))).toBe(0);
    expect(checker.wantedMembers()).toBeUndefined();
    expect(check(JSON.stringify({ EventId: 'e', CloudTrailEvent: '{"eventName":"z","b":1}' }))).toBe(0);
    expect([...checker.wantedMembers()!].slice(0, 3)).toEqual([1, -1, -1]);
    expect(checker.wantKeys(Array.from({ length: 33 }, (_, i) => `k${i}`))).toBe(false);
  });

  test('more top-level keys than the checker takes (32) are read all the same', () => {
    const names = Array.from({ length: 40 }, (_, i) => `k${i}`);
    const record = `{"eventName":"A",${names.map((k, i) => `"${k}":${i}`).join(',')}}`;
    const fields = new RecordFields(names.map((k) => parsePath(k, 't')));
    expect(readLine(fields, record)).toEqual(names.map((_, i) => i));
  });

  test('lines the checker cannot vouch for are left to the parser', () => {
    const fields = new RecordFields([parsePath('eventName', 't')]);
    for (const line of ['{"eventName":', '{"Records":[{"eventName":"A"}]}', '[1]', '{"eventName":"\\ud800"}', '{"EventId":"x","CloudTrailEvent":"{\\"eventName\\":"}']) {
      expect(readLine(fields, line), line).toBeUndefined();
    }
  });
});
