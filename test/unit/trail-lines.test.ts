// Trail files made NDJSON in place (issue 16): the WebAssembly check turns `{"Records":[...]}`
// into one record a line only when it is certainly a valid trail file of compact records, and
// then each line parses to exactly the element it came from; anything else is left as it was.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { JsonChecker } from '../../src/fast/json-check';
import { edited, RECORDS } from '../helpers';

const checker = new JsonChecker();
const records = readFileSync(RECORDS, 'utf8').split('\n').filter(Boolean).slice(0, 300);

/** What the check makes of `text`: the lines' values, or undefined when it leaves the bytes alone. */
function made(text: string): { values: unknown[]; count: number } | undefined {
  const doc = Buffer.from(text);
  const before = Buffer.from(doc);
  const count = checker.recordsToLines(doc);
  if (count < 0) {
    expect(doc.equals(before)).toBe(true);
    return undefined;
  }
  expect(doc.length).toBe(before.length);
  const lines = doc.toString('utf8').split('\n');
  // One line per record, then only spaces; no line holds a line break of its own.
  expect(lines.slice(count).join('').trim()).toBe('');
  return { values: lines.slice(0, count).map((l) => JSON.parse(l) as unknown), count };
}

const blank = fc.constantFrom('', ' ', '\n', '\r\n', '  \t');

describe('recordsToLines', () => {
  test('real records with any white space between them: each line is its element', () => {
    fc.assert(
      fc.property(fc.subarray(records), blank, blank, blank, (chosen, a, b, c) => {
        const text = `${a}{${b}"Records"${c}:${a}[${chosen.join(`${b},${c}`)}${a}]${b}}${c}`;
        const r = made(text);
        expect(r).toBeDefined();
        expect(r!.count).toBe(chosen.length);
        expect(r!.values).toEqual(chosen.map((l) => JSON.parse(l)));
      }),
      { numRuns: 200 },
    );
  });

  test('anything else is left alone: other members, other elements, pretty records, an escaped key', () => {
    const one = records[0];
    for (const text of [
      `{"Records":[${one}],"NextToken":"x"}`,
      `{"NextToken":"x","Records":[${one}]}`,
      `{"Records":[${one},1]}`,
      `{"Records":[${one},[]]}`,
      `{"Records":${one}}`,
      `{"Records":[${JSON.stringify(JSON.parse(one), null, 2)}]}`,
      `{"Recor\\u0064s":[${one}]}`,
      `{"Records":[${one}]} {"Records":[]}`,
      `{"Records":[${one},]}`,
      `[${one}]`,
      `{"Records":[${one},{"EventId":"x","CloudTrailEvent":"{}"}]}`,
      `{"Records":[${one},{"configurationItems":[]}]}`,
      `{"Records":[${one},{"eventName":"X","EventId":"x"}]}`,
    ]) {
      expect(made(text), text.slice(0, 60)).toBeUndefined();
    }
    expect(made('{"Records":[]}')).toEqual({ values: [], count: 0 });
  });

  test('never makes lines of a document JSON.parse rejects (mutated trail files)', () => {
    const docs = edited(fc.subarray(records.slice(0, 20), { minLength: 1 }).map((l) => `{"Records":[${l.join(',')}]}`), [...'{}[]":,\\ \n', '\\u', 'é'], 3);
    fc.assert(
      fc.property(docs, (text) => {
        const r = made(text);
        if (!r) return;
        const parsed = JSON.parse(text) as { Records: unknown[] };
        expect(r.values).toEqual(parsed.Records);
      }),
      { numRuns: 300 },
    );
  });
});
