// Trail files made NDJSON in place (issue 16): the WebAssembly check turns `{"Records":[...]}`
// into one record a line only when it is certainly a valid trail file of compact records, and
// then each line parses to exactly the element it came from; anything else is left as it was.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { JsonChecker } from '../../src/fast/json-check';
import { trailLines } from '../../src/fast/trail-lines';
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

/** One for all the files below, as a command has: each file made lines in pieces reuses the module instance the last one gave back. */
const documentLines = trailLines();

/**
 * A trail file fed to inPieces() cut at `cuts`: the values of the lines made, and what is left
 * to the parser (its prefix, the bytes left and all not fed yet), or undefined when nothing is.
 */
function inPieces(text: string, cuts: number[]): { values: unknown[]; left?: string } {
  const doc = Buffer.from(text);
  const at = [...new Set(cuts.map((c) => c % (doc.length + 1)))].sort((a, b) => a - b).filter((c) => c > 0 && c < doc.length);
  const windows = [0, ...at].map((from, i) => doc.subarray(from, i < at.length ? at[i] : doc.length));
  const pieces = documentLines.inPieces();
  const values: unknown[] = [];
  for (const [i, window] of windows.entries()) {
    // A window as one part or as two (a read's pieces).
    const half = window.length >> 1;
    const lines = pieces.next(i % 2 ? [window.subarray(0, half), window.subarray(half)] : [window], i === windows.length - 1);
    // Whole lines: each a record; none holds a line break of its own.
    if (lines.length > 0) expect(lines[lines.length - 1]).toBe(0x0a);
    for (const line of lines.toString('utf8').split('\n').slice(0, -1)) values.push(JSON.parse(line));
    const left = pieces.left();
    if (left) {
      const unfed = Buffer.concat(windows.slice(i + 1)).toString('utf8');
      return { values, left: left.prefix + left.bytes.toString('utf8') + unfed };
    }
  }
  return { values };
}

/** The events of JSON documents one after another: an array's elements, a container's Records. */
function events(text: string): unknown[] {
  const out: unknown[] = [];
  for (let from = 0; from < text.length; ) {
    let depth = 0;
    let end = from;
    for (let inString = false; end < text.length; end++) {
      const c = text[end];
      if (inString) {
        if (c === '\\') end++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === '{' || c === '[') depth++;
      else if ((c === '}' || c === ']') && --depth === 0) break;
    }
    const doc = text.slice(from, end + 1).trim();
    if (doc) {
      const value = JSON.parse(doc) as { Records?: unknown[] } | unknown[];
      out.push(...(Array.isArray(value) ? value : (value.Records ?? [])));
    }
    from = end + 1;
  }
  return out;
}

describe('a trail file too large to read whole, made lines piece by piece', () => {
  const cuts = fc.array(fc.nat(), { maxLength: 12 });

  test('wherever the pieces are cut: the same records as the file, all made lines', () => {
    fc.assert(
      fc.property(fc.subarray(records), blank, blank, blank, cuts, (chosen, a, b, c, at) => {
        const text = `${a}{${b}"Records"${c}:${a}[${chosen.join(`${b},${c}`)}${a}]${b}}${c}`;
        const r = inPieces(text, at);
        expect(r.left).toBeUndefined();
        expect(r.values).toEqual(chosen.map((l) => JSON.parse(l)));
      }),
      { numRuns: 200 },
    );
  });

  test('what is not certainly records is left to the parser from there on: the lines made and its reading are the file', () => {
    const one = records[0];
    const two = records[1];
    const pretty = JSON.stringify(JSON.parse(two), null, 2);
    for (const text of [
      `{"Records":[${one},${pretty},${one}]}`,
      `{"Records":[${one},{"EventId":"x","CloudTrailEvent":"{}"},${two}]}`,
      `{"Records":[${one},${two}],"NextToken":"x"}`,
      `{"Records":[${one},${two}]} `,
      `{"Records":[${one},${two}]} {"Records":[${one}]}`,
      `{"Records":[${one},${two}]}\n[${two}]`,
      `[${one}]`,
      `{"NextToken":"x","Records":[${one}]}`,
    ]) {
      for (const at of [[], [1], [one.length + 20], [one.length + 14, one.length + 15, text.length - 2], [text.indexOf(']}') + 2]]) {
        const r = inPieces(text, at);
        const expected = events(text);
        if (r.left === undefined) expect(r.values).toEqual(expected);
        else expect([...r.values, ...events(r.left)], text.slice(0, 40)).toEqual(expected);
      }
    }
  });

  test('a damaged file: the lines made are its records before the damage, and the parser gets the damage', () => {
    const docs = edited(fc.subarray(records.slice(0, 20), { minLength: 1 }).map((l) => `{"Records":[${l.join(',')}]}`), [...'{}[]":,\\ \n', '\\u', 'é'], 3);
    fc.assert(
      fc.property(docs, cuts, (text, at) => {
        const r = inPieces(text, at);
        let parsed: { Records: unknown[] } | undefined;
        try {
          parsed = JSON.parse(text) as { Records: unknown[] };
        } catch {
          // Not JSON: something is left, and the parser finds the damage in it.
          expect(r.left).toBeDefined();
          expect(() => JSON.parse(r.left!)).toThrow();
          return;
        }
        const rest = r.left === undefined ? [] : ((JSON.parse(r.left) as { Records?: unknown[] }).Records ?? []);
        if (Array.isArray(parsed.Records)) expect([...r.values, ...rest]).toEqual(parsed.Records);
      }),
      { numRuns: 400 },
    );
  });
});
