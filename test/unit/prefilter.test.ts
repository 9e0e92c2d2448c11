import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { EventView } from '../../src/events/event-view';
import { EventLoop } from '../../src/run/event-loop';
import { lineBytes } from '../../src/run/handler';
import { requiredLiteral } from '../../src/expr/prefilter';
import { compileWhere } from '../../src/expr/where-program';
import { memoryIo } from '../helpers';

describe('the literal every regular-expression match must contain', () => {
  test.each([
    ['Denied', 'Denied'],
    ['^Access.*Denied$', 'Access'],
    ['Client\\.Unauthorized', 'Client.Unauthorized'],
    ['colou?r', 'colo'],
    ['ab*cdef', 'cdef'],
    ['x{2}yz', 'yz'],
    ['(Denied|Forbidden)', undefined],
    ['Denied|Forbidden', undefined],
    ['(opt)?ional', 'ional'],
    ['[A-Z]+rror', 'rror'],
    ['\\d+ items', ' items'],
    ['.', undefined],
    ['caf\\uFFFD', 'caf'],
    ['\\x41BC\\u{1F600}xy', 'BC'],
    ['\\p{Lu}abc\\k<n>', 'abc'],
  ])('%s requires %s', (pattern, expected) => {
    expect(requiredLiteral(pattern)).toBe(expected);
  });
});

/** Runs ct-where's scanner over NDJSON text; with or without the raw-text fast path. */
async function selected(ndjson: string | Buffer, expression: string, fast: boolean): Promise<string> {
  const io = memoryIo(ndjson);
  const program = compileWhere([expression], { now: Date.parse('2024-07-22T12:00:00Z') });
  const loop = new EventLoop(io, false);
  await loop.run([], {
    lineFilter: fast ? program.lineFilter : undefined,
    event(event, raw) {
      if (program.matches(new EventView(event))) io.out.write(raw ? lineBytes(raw) : `${JSON.stringify(event)}\n`);
    },
  });
  return io.stdoutText();
}

/** JSON text where every n-th letter is written as a \uXXXX escape, as some producers do (0: none). */
function escapedJson(value: unknown, escapeEvery: number): string {
  let n = 0;
  if (escapeEvery === 0) return JSON.stringify(value);
  return JSON.stringify(value, null, 0).replace(/"(?:[^"\\]|\\.)*"/g, (s) =>
    s.replace(/[A-Za-zé田/]/g, (c) => (++n % escapeEvery === 0 ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : c)),
  );
}

const WORDS = ['Denied', 'denied', 'AccessDenied', 'DENIED', 'Dénied', 'Throttling', 'alice', 'Alice', '田中', 'a/b', 'x"y', '1e2', '100', 'true', 'false'];
const word = fc.constantFrom(...WORDS);
/**
 * Markers for what JSON.stringify cannot write, put in the line's bytes by withRawValues: numbers
 * whose text is not String(number) (1e999 is Infinity), and a byte that is not UTF-8.
 */
const RAW_NUMBERS: Record<string, string> = { '@1': '1e999', '@2': '-1e999', '@3': '100000000000000000000000' };
const BAD_BYTE = '@9';
const value = fc.oneof(
  word,
  fc.constantFrom(100, 1e2, 2.5, true, false, null),
  fc.string({ maxLength: 6 }),
  fc.constantFrom('@1', '@2', '@3', `caf${BAD_BYTE}`, BAD_BYTE),
);

function withRawValues(text: string): Buffer {
  const numbers = text.replace(/(\\?)"(@[123])\1"/g, (_, __, marker: string) => RAW_NUMBERS[marker]);
  const parts = numbers.split(BAD_BYTE);
  return Buffer.concat(parts.flatMap((p, i) => (i === 0 ? [Buffer.from(p)] : [Buffer.from([0xff]), Buffer.from(p)])));
}
const record = fc.record(
  {
    errorCode: value,
    eventName: word,
    readOnly: fc.constantFrom(true, false, 'true'),
    // 203.0.113.9 also as IPv4-mapped IPv6, in the forms a CIDR block matches.
    sourceIPAddress: fc.constantFrom('203.0.113.9', '198.51.100.2', '2001:db8::5', 'ec2.amazonaws.com', '::ffff:cb00:7109', '::FFFF:203.0.113.9'),
    userIdentity: fc.record({ userName: word, type: fc.constantFrom('IAMUser', 'Root', 'AssumedRole') }, { requiredKeys: [] }),
    requestParameters: fc.dictionary(word, value, { maxKeys: 2 }),
  },
  { requiredKeys: [] },
);
// A lookup item's CloudTrailEvent may carry escapes of its own (`\\u0044` in the line).
const event = fc.tuple(record, fc.boolean(), fc.integer({ min: 0, max: 4 })).map(([rec, asLookup, innerEvery]) =>
  asLookup
    ? { EventId: 'id', EventName: rec.eventName, ReadOnly: String(rec.readOnly), CloudTrailEvent: escapedJson(rec, innerEvery) }
    : rec,
);
const field = fc.constantFrom('errorCode', 'eventName', 'readOnly', 'ReadOnly', 'userIdentity.userName', 'requestParameters.Denied', 'user', 'sourceIPAddress');
const literal = fc.constantFrom(...WORDS, 'Deni', 'enied$', '^Acc', 'ali', '\\u0044', 'Infinity', 'nfinit', '-Infinity', '1e+23', 'caf\uFFFD', '\uFFFD');
const regexLiteral = fc.constantFrom('De{1,2}nied', 'x{2}yz', 'D(en)?ied', 'Den?ied', 'Acc[eE]ss', 'Deni+ed', '\\.amazonaws', 'a\\/b', 'en.ed$', '(?:De)nied', 'caf\\uFFFD', '\\u0044enied', '\\x44enied');
const quote = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const leaf = fc.oneof(
  fc.tuple(field, fc.constantFrom('=', '!=', '~', '!~', '~*', '!~*', '^=', '$='), fc.oneof(literal, regexLiteral)).map(([f, op, l]) => `${f}${op}${quote(l)}`),
  fc.tuple(field, fc.array(literal, { minLength: 1, maxLength: 3 })).map(([f, ls]) => `${f} in (${ls.map(quote).join(', ')})`),
  field.map((f) => `sourceIPAddress in 203.0.113.0/24 or ${f} exists`),
  fc.constantFrom('sourceIPAddress in 203.0.113.0/24', 'sourceIPAddress in (203.0.0.0/16, 2001:db8::/32)', 'sourceIPAddress not in 203.0.113.0/24'),
);
const expression: fc.Arbitrary<string> = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.tuple(tie('expr'), fc.constantFrom('and', 'or'), tie('expr')).map(([a, op, b]) => `(${a} ${op} ${b})`),
    tie('expr').map((e) => `not ${e}`),
  ),
})).expr;

describe('the fast path', () => {
  test('selects exactly the lines a parse-everything evaluation selects', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(event, { minLength: 1, maxLength: 12 }), fc.integer({ min: 0, max: 9 }), expression, async (events, every, expr) => {
        const ndjson = withRawValues(events.map((e) => `${escapedJson(e, every)}\n`).join(''));
        expect(await selected(ndjson, expr, true)).toBe(await selected(ndjson, expr, false));
      }),
      { numRuns: 1500 },
    );
  });

  test('the same, single tests over items whose only escapes are inside CloudTrailEvent', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(event, { minLength: 1, maxLength: 12 }), leaf, async (events, expr) => {
        const ndjson = withRawValues(events.map((e) => `${JSON.stringify(e)}\n`).join(''));
        expect(await selected(ndjson, expr, true)).toBe(await selected(ndjson, expr, false));
      }),
      { numRuns: 1000 },
    );
  });

  test('still finds a match written only as \\u escapes', async () => {
    const line = '{"errorCode":"Access\\u0044enied"}\n{"errorCode":"Other"}\n';
    expect(await selected(line, 'errorCode~Denied', true)).toBe('{"errorCode":"Access\\u0044enied"}\n');
  });

  test('finds matches escaped inside CloudTrailEvent, even an escape whose backslash is itself escaped', async () => {
    const item = JSON.stringify({ EventId: '1', CloudTrailEvent: '{"errorCode":"Access\\u0044enied"}' });
    expect(item).toContain('Access\\\\u0044enied');
    const doubly = item.replace('\\\\u0044', '\\u005cu0044');
    const other = '{"EventId":"2","CloudTrailEvent":"{\\"errorCode\\":\\"u0044 Other\\"}"}';
    const input = `${item}\n${doubly}\n${other}\n`;
    expect(await selected(input, 'errorCode~Denied', true)).toBe(`${item}\n${doubly}\n`);
  });

  test('finds escaped matches whether a batch starts with records (escapes searched from their backslash) or items (from their u)', async () => {
    const item = (id: number, error: string) => JSON.stringify({ EventId: String(id), CloudTrailEvent: JSON.stringify({ eventID: String(id), errorCode: error, a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8 }) });
    const escapedRecord = '{"eventID":"r","errorCode":"Access\\u0044enied"}';
    const escapedItem = JSON.stringify({ EventId: 'i', CloudTrailEvent: '{"errorCode":"Access\\u0044enied"}' });
    const records = Array.from({ length: 50 }, (_, i) => JSON.stringify({ eventID: String(i), errorCode: 'Other' }));
    const items = Array.from({ length: 50 }, (_, i) => item(i, 'Other'));
    expect(items[0].split('\\').length - 1).toBeGreaterThan(16);
    for (const lines of [[...records, escapedItem, escapedRecord], [...items, escapedItem, escapedRecord]]) {
      const input = `${lines.join('\n')}\n`;
      expect(await selected(input, 'errorCode~Denied', true)).toBe(`${escapedItem}\n${escapedRecord}\n`);
      expect(await selected(input, 'errorCode~Denied', false)).toBe(`${escapedItem}\n${escapedRecord}\n`);
    }
  });

  test('finds a non-ASCII needle written as an escape', async () => {
    const input = '{"userName":"\\u7530中"}\n{"userName":"田x"}\n';
    expect(await selected(input, 'userName~田中', true)).toBe('{"userName":"\\u7530中"}\n');
  });

  test('finds a case-insensitive match whatever the case in the data', async () => {
    const line = '{"errorCode":"ACCESSDENIED"}\n{"errorCode":"x"}\n';
    expect(await selected(line, 'errorCode~*accessdenied', true)).toBe('{"errorCode":"ACCESSDENIED"}\n');
  });
});
