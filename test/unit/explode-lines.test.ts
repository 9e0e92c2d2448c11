// ct-explode reads the usual line from its bytes (the WebAssembly checks in json-check): it must
// write exactly what parsing the line writes, and report exactly the same problems, whatever the
// line holds. Each batch here goes through both paths; the parse path's own check of a record
// is tested against JSON.parse in json-check.test.ts.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { Writable } from 'node:stream';
import { explodeHandler } from '../../src/commands/explode-handler';
import { OutputWriter } from '../../src/output/output-writer';
import { LineScanner } from '../../src/run/line-scanner';
import { LINE_AREA } from '../../src/fast/json-check';
import { edited } from '../helpers';

interface Result {
  out: string;
  problems: string;
  /** Lines the byte path wrote (not left to the parser). */
  fromBytes: number;
}

/**
 * bytes: the batch is copied into the module; area: it is already there, as when read straight
 * into the module's memory (see LineArena); parse: every line is parsed.
 */
function explode(buf: Buffer, path: 'bytes' | 'area' | 'parse'): Result {
  let problems = '';
  const out = new OutputWriter(new Writable({ write: (_c, _e, done) => done() }));
  const handler = explodeHandler({ 'keep-lookup': false }, out);
  const scanner = new LineScanner(handler, (message) => (problems += `ct-explode: in.ndjson:${scanner.lineNumber}: ${message}\n`));
  let taken = 0;
  const byBytes = handler.line!.bind(handler);
  if (path !== 'parse') handler.line = (raw) => byBytes(raw) && ++taken > 0;
  else {
    delete handler.line;
    delete handler.beginLines;
  }
  let lines = buf;
  if (path === 'area') {
    const area = handler.lineArena!.area();
    lines = area.subarray(0, buf.copy(area));
  }
  scanner.scanLines(lines, true);
  handler.endBatch?.();
  return { out: out.takeInto(Buffer.alloc(0)).toString('latin1'), problems, fromBytes: taken };
}

/** The byte path's result, checked against parsing; and, for a batch that fits, read in place. */
function bothWays(buf: Buffer): Result {
  const fast = explode(buf, 'bytes');
  const slow = explode(buf, 'parse');
  expect(fast.out).toBe(slow.out);
  // Parsing reads as U+FFFD what the byte path keeps as bytes, and it alone says so.
  const lossless = (problems: string): string => problems.replace(/^.*text read as U\+FFFD.*\n/gm, '');
  expect(lossless(fast.problems)).toBe(lossless(slow.problems));
  if (buf.length <= LINE_AREA) expect(explode(buf, 'area')).toEqual(fast);
  return fast;
}

/** Strings as records hold them: ASCII, accents, CJK, emoji, quotes, backslashes, controls, lone surrogates. */
const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', minLength: 15, maxLength: 70 }),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('AccessDenied', 'Zoë', '田中太郎', '😀', 'a"b', 'c\\d', 'tab\there', 'line\nbreak', '\u2028', '\ud800', '\udc00x'),
);
const record = fc
  .tuple(
    fc.record(
      {
        eventVersion: fc.constant('1.09'),
        eventName: text,
        errorCode: text,
        userIdentity: fc.record({ userName: text, arn: text }, { requiredKeys: [] }),
        requestParameters: fc.jsonValue({ maxDepth: 4 }),
      },
      { requiredKeys: ['eventVersion'] },
    ),
    fc.dictionary(text, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
  )
  .map(([known, other]) => ({ ...other, ...known }));
/** The CloudTrailEvent value: a compact record, pretty-printed, spaced, or not a record at all. */
const cloudTrailEvent = fc.oneof(
  { weight: 6, arbitrary: record.map((r) => JSON.stringify(r)) },
  { weight: 1, arbitrary: record.map((r) => JSON.stringify(r, null, 2)) },
  { weight: 1, arbitrary: record.map((r) => ` ${JSON.stringify(r)} `) },
  { weight: 1, arbitrary: fc.oneof(text, fc.constantFrom('[]', 'null', '{', '{"a":1}x', '{"a":"\ud800"}', '{"a":"\u0001"}')) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);
const item = fc
  .record(
    {
      EventId: fc.uuid(),
      EventName: text,
      Username: text,
      Resources: fc.array(fc.record({ ResourceType: text, ResourceName: text })),
      CloudTrailEvent: cloudTrailEvent,
    },
    { requiredKeys: ['EventId'] },
  )
  .map((i) => JSON.stringify(i));

const NOISE = ['{', '}', '"', '\\', ',', ':', ' ', '\t', '\\u', '\\"', '\\\\', 'é', '\\ud83d', '"CloudTrailEvent":', '"Records":[]'];
/** A line edited a little: inserted, deleted or replaced characters. */
const editedItem = edited(item, NOISE, 3);
/** Lines that are records, or items whose keys are escaped, repeated or shaped otherwise. */
const odd = fc.oneof(
  record.map((r) => JSON.stringify(r)),
  record.map((r) => `{"CloudTrail\\u0045vent":${JSON.stringify(JSON.stringify(r))},"EventId":"e"}`),
  record.map((r) => `{"CloudTrail\\u0045vent":${JSON.stringify(JSON.stringify(r))}}`),
  fc.constantFrom('{"Event\\u0049d":"e"}', '{"\\u0052ecords":[{"a":1}]}'),
  record.map((r) => `{"CloudTrailEvent":${JSON.stringify(JSON.stringify(r))},"CloudTrailEvent":"{}"}`),
  record.map((r) => `{"EventId":"e","CloudTrailEvent" : ${JSON.stringify(JSON.stringify(r))} }  `),
  record.map((r) => `{"Records":[${JSON.stringify(r)}]}`),
  fc.constantFrom('{"EventId":"e"}', '{}', '[]', '{"EventId":"e","CloudTrailEvent":{"a":1}}', '  {"a":1}', '{"a":1}\t'),
);

/** A batch of lines as bytes: LF or CRLF, blank lines, and sometimes a byte that is not UTF-8. */
const batch = fc
  .tuple(
    fc.array(fc.oneof({ weight: 4, arbitrary: item }, { weight: 2, arbitrary: editedItem }, { weight: 2, arbitrary: odd }, fc.constant('')), {
      minLength: 1,
      maxLength: 12,
    }),
    fc.boolean(),
    fc.option(fc.tuple(fc.nat(), fc.constantFrom(0xff, 0xc3, 0xed, 0x80))),
  )
  .map(([lines, crlf, badByte]) => {
    const buf = Buffer.from(lines.join(crlf ? '\r\n' : '\n') + '\n');
    if (!badByte) return buf;
    const at = badByte[0] % buf.length;
    return Buffer.concat([buf.subarray(0, at), Buffer.from([badByte[1]]), buf.subarray(at)]);
  });

describe('ct-explode from bytes, against parsing', () => {
  test('the same output and problems on generated batches of items, records and broken lines', () => {
    let fromBytes = 0;
    fc.assert(
      fc.property(batch, (buf) => {
        fromBytes += bothWays(buf).fromBytes;
      }),
      { numRuns: 2000 },
    );
    // The byte path is not vacuous: most of the generated items go through it.
    expect(fromBytes).toBeGreaterThan(3000);
  }, 60000);

  test('compact items are all written from their bytes', () => {
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 10 }), (records) => {
        const lines = records.map((r, i) => JSON.stringify({ EventId: String(i), CloudTrailEvent: JSON.stringify(r) }));
        const result = bothWays(Buffer.from(lines.join('\n') + '\n'));
        expect(result.fromBytes).toBe(records.length);
        expect(result.problems).toBe('');
      }),
      { numRuns: 500 },
    );
  }, 30000);

  test.each([
    ['escapes in the item', '{"EventId":"1","CloudTrailEvent":"{\\"a\\":\\"\\u00e9\\u7530\\ud83d\\ude00\\\\n\\/\\"}"}', '{"a":"é田😀\\n/"}\n', 1],
    ['a record passes as it came', '{"eventID":"r","a":[1,-2.5e3,true,null,{}]} ', '{"eventID":"r","a":[1,-2.5e3,true,null,{}]} \n', 1],
    ['an escaped newline in CloudTrailEvent: parsed', '{"EventId":"1","CloudTrailEvent":"{\\n\\"a\\":1}"}', '{"a":1}\n', 0],
    ['a lone surrogate: parsed', '{"EventId":"1","CloudTrailEvent":"{\\"a\\":\\"\\ud800\\"}"}', '{"a":"\ufffd"}\n', 0],
    ['two low surrogates: parsed', '{"EventId":"1","CloudTrailEvent":"{\\"a\\":\\"\\udc00\\udc00\\"}"}', '{"a":"\ufffd\ufffd"}\n', 0],
    ['two high surrogates: parsed', '{"EventId":"1","CloudTrailEvent":"{\\"a\\":\\"\\ud800\\ud800\\"}"}', '{"a":"\ufffd\ufffd"}\n', 0],
    ['deeper than 1,000: parsed', `{"EventId":"1","CloudTrailEvent":"{\\"a\\":${'['.repeat(1001)}${']'.repeat(1001)}}"}`, `{"a":${'['.repeat(1001)}${']'.repeat(1001)}}\n`, 0],
  ])('%s', (_name, line, expected, fromBytes) => {
    const result = bothWays(Buffer.from(`${line}\n`));
    expect(result.out).toBe(Buffer.from(expected).toString('latin1'));
    expect(result.fromBytes).toBe(fromBytes);
  });

  test('records dense with escaped quotes, at every alignment: unescaped as parsing does', () => {
    // The module unescapes 16 bytes a step where every escape is \" (packing the bytes left);
    // a backslash in a step's last byte, an escaped backslash, a \u or the string's end are
    // taken one at a time. Short strings put escapes at every place of a step.
    const values = ['', 'a', 'ab', 'a"b', 'c\\d', '\\"', '"\\', 'é"', '😀', 'x'.repeat(13), 'y'.repeat(14), 'z'.repeat(15), '\u0041', '/'];
    const lines: string[] = [];
    for (let pad = 0; pad < 32; pad++) {
      for (let v = 0; v < values.length; v++) {
        const record: Record<string, string> = { ['p'.repeat(pad)]: '' };
        for (let k = 0; k < 12; k++) record[`k${k}`] = values[(v + k) % values.length].repeat(1 + (k % 3));
        lines.push(JSON.stringify({ EventId: `${pad}-${v}`, CloudTrailEvent: JSON.stringify(record) }));
      }
    }
    const result = bothWays(Buffer.from(lines.join('\n') + '\n'));
    expect(result.fromBytes).toBe(lines.length);
    expect(result.out.split('\n')).toHaveLength(lines.length + 1);
  });

  test('a batch of several MB, and checks of texts between its lines, keep the module memory apart', () => {
    const good = JSON.stringify({ EventId: 'g', CloudTrailEvent: JSON.stringify({ a: 'x'.repeat(2000), b: 'Zoë' }) });
    // A pretty-printed record is parsed; its text is checked in module memory after the batch's.
    const parsed = JSON.stringify({ EventId: 'p', CloudTrailEvent: JSON.stringify({ c: 'y'.repeat(500) }, null, 1) });
    const lines: string[] = [];
    for (let i = 0; i < 3000; i++) lines.push(i % 7 === 0 ? parsed : good);
    const result = bothWays(Buffer.from(lines.join('\n') + '\n'));
    expect(result.fromBytes).toBe(3000 - Math.ceil(3000 / 7));
    expect(result.out.split('\n')).toHaveLength(3001);
  });
});
