// Trail files made NDJSON in place (issue 16): the WebAssembly check turns `{"Records":[...]}`
// into one record a line only when it is certainly a valid trail file of compact records, and
// then each line parses to exactly the element it came from; anything else is left as it was.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { JsonChecker, type HitSearch } from '../../src/fast/json-check';
import { compileWhere } from '../../src/expr/where-program';
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
    const { lines } = pieces.next(i % 2 ? [window.subarray(0, half), window.subarray(half)] : [window], i === windows.length - 1);
    // Whole lines: each a record; none holds a line break of its own.
    if (lines.length > 0) expect(lines[lines.length - 1]).toBe(0x0a);
    for (const line of lines.toString('utf8').split('\n').slice(0, -1)) values.push(JSON.parse(line));
    const left = pieces.left();
    if (left) {
      const unfed = Buffer.concat(windows.slice(i + 1)).toString('utf8');
      return { values, left: left.prefix + Buffer.concat(left.parts).toString('utf8') + unfed };
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

/** ct-where's search for `expression` (its prefilter), as the command gives it to trailLines. */
function search(expression: string): HitSearch {
  const filter = compileWhere([expression], { now: 0 }).lineFilter;
  expect(filter.useful).toBe(true);
  return filter;
}

/** What the check makes of `text` with a filter's hits: the lines made, or undefined when it leaves the bytes alone. */
function madeWith(text: string, hits: HitSearch | undefined): string[] | undefined {
  const doc = Buffer.from(text);
  const count = checker.recordsToLines(doc, hits);
  return count < 0 ? undefined : doc.toString('utf8').split('\n').slice(0, count);
}

/** Text full of what ends strings and nests values when it is not escaped: quotes, backslashes, brackets; and characters of every width. */
const trickyText = fc.string({ unit: fc.constantFrom('a', 'Z', '"', '\\', '{', '}', '[', ']', ',', ':', ' ', 'é', '€', '😀', '\\\\', '\\"', '\t'), maxLength: 90 });
const trickyValue = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, trickyText, fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(trickyText, tie('value'), { maxKeys: 4 }),
})).value;
/** A record the check vouches for (an `event` key, top-level keys without escapes) with values of any shape and text. */
const tricky = fc.dictionary(fc.string({ unit: fc.constantFrom('a', 'b', 'x'), minLength: 1 }), trickyValue, { maxKeys: 8 }).map((members) => JSON.stringify({ eventName: 'X', ...members }));

describe('with a filter (ct-where): records that hold none of its hits are only found, not checked', () => {
  test('valid trail files: the same lines as when every record is checked, whatever the strings and wherever 64-byte steps fall', () => {
    const chosen = fc.array(fc.oneof(fc.constantFrom(...records), tricky), { maxLength: 12 });
    fc.assert(
      fc.property(chosen, blank, fc.nat(70), fc.constantFrom('errorCode~Zqzqzq', 'errorCode~Denied', 'eventName=X', 'readOnly=true'), (elements, b, shift, expression) => {
        const text = `${' '.repeat(shift)}{"Records":[${elements.join(`${b},`)}]}`;
        const all = madeWith(text, undefined);
        expect(all).toBeDefined();
        expect(madeWith(text, search(expression))).toEqual(all);
        expect(all!.map((l) => JSON.parse(l) as unknown)).toEqual(elements.map((e) => JSON.parse(e) as unknown));
      }),
      { numRuns: 400 },
    );
  });

  test('a file read whole gives only the lines of the records that hold a hit, numbered: every record that holds the needle, each line as the file makes it', () => {
    const withNeedle = tricky.map((t) => t.replace('"eventName":"X"', '"eventName":"XZqzqX"'));
    const chosen = fc.array(fc.oneof({ arbitrary: fc.constantFrom(...records), weight: 4 }, { arbitrary: tricky, weight: 2 }, { arbitrary: withNeedle, weight: 1 }), { minLength: 8, maxLength: 40 });
    let numbered = 0;
    fc.assert(
      fc.property(chosen, blank, fc.nat(70), (elements, b, shift) => {
        const text = `${' '.repeat(shift)}{"Records":[${elements.join(`${b},`)}]}`;
        const all = madeWith(text, undefined)!;
        const given = checker.recordsThatMayMatch(Buffer.from(text), search('eventName~Zqzq'));
        expect(given).toBeDefined();
        if (!given!.numbers) {
          // Too small a file, or hits too dense: every line, in place.
          expect(given!.lines.toString('utf8').split('\n').slice(0, elements.length)).toEqual(all);
          return;
        }
        numbered++;
        const numbers = [...given!.numbers];
        const lines = given!.lines.toString('utf8').split('\n');
        expect(lines.pop()).toBe('');
        // Without the spaces before the record that its line in the file has.
        expect(lines).toEqual(numbers.map((n) => all[n - 1].trimStart()));
        expect(numbers).toEqual([...numbers].sort((x, y) => x - y));
        const holding = elements.flatMap((e, i) => (e.includes('Zqzq') || e.includes('\\u00') ? [i + 1] : []));
        for (const n of holding) expect(numbers).toContain(n);
      }),
      { numRuns: 300 },
    );
    // Most files are large enough, and their hits sparse enough, to be given in part.
    expect(numbered).toBeGreaterThan(150);
  });

  test('damage in a record without a hit goes unseen, as in a skipped line; in a record with one, the file is left to the parser', () => {
    const [one, two] = records;
    const damaged = '{"eventName":"X","n":tru,"s":"a\\qb"}';
    const text = `{"Records":[${one},${damaged},${two}]}`;
    expect(madeWith(text, undefined)).toBeUndefined();
    const lines = madeWith(text, search('errorCode~Zqzqzq'));
    expect(lines?.map((l) => l.trim())).toEqual([one, damaged, two]);
    expect(madeWith(text, search('n~tru'))).toBeUndefined();
    // An escape may stand for a needle's character: a record with `\u00` is checked.
    expect(madeWith(`{"Records":[${one},{"eventName":"\\u0041","n":tru}]}`, search('eventName=A'))).toBeUndefined();
    // What is not found is checked, and so left alone: a control character, brackets that do not pair, a cut.
    for (const bad of ['{"eventName":"X\n"}', '{"eventName":"X","a":[}', '{"eventName":"X","a":{]}', `{"eventName":"X"`]) {
      expect(madeWith(`{"Records":[${one},${bad}]}`, search('errorCode~Zqzqzq')), bad).toBeUndefined();
    }
  });

  test('mutated trail files: a line that holds the needle is always a record checked as valid', () => {
    const docs = edited(fc.subarray(records.slice(0, 20), { minLength: 1 }).map((l) => `{"Records":[${l.join(',')}]}`), [...'{}[]":,\\ \n', '\\u', 'é', 'Zq'], 4);
    fc.assert(
      fc.property(docs, (text) => {
        const lines = madeWith(text, search('eventName~Zq'));
        if (!lines) return;
        for (const line of lines) if (line.includes('Zq') || line.includes('\\u00')) expect(() => JSON.parse(line) as unknown).not.toThrow();
        // A valid file's lines are its records.
        let parsed: { Records: unknown[] } | undefined;
        try {
          parsed = JSON.parse(text) as { Records: unknown[] };
        } catch {
          return;
        }
        expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual(parsed.Records);
      }),
      { numRuns: 400 },
    );
  });

  test('made lines piece by piece, wherever cut: numbered all or none, each line the record its number says, every record that holds the needle given', () => {
    const filtered = trailLines(search('errorCode~Denied'));
    const withNeedle = tricky.map((t) => t.replace('"eventName":"X"', '"eventName":"X","errorCode":"AccessDenied"'));
    const chosen = fc.oneof({ arbitrary: fc.constantFrom(...records), weight: 4 }, { arbitrary: tricky, weight: 2 }, { arbitrary: withNeedle, weight: 1 });
    let inPart = 0;
    fc.assert(
      fc.property(fc.array(chosen, { maxLength: 40 }), fc.array(fc.nat(), { maxLength: 12 }), (elements, cuts) => {
        const text = `{"Records":[${elements.join(',')}]}`;
        const doc = Buffer.from(text);
        const at = [...new Set(cuts.map((c) => c % (doc.length + 1)))].sort((a, b) => a - b).filter((c) => c > 0 && c < doc.length);
        const pieces = filtered.inPieces();
        const made: { line: string; number?: number }[] = [];
        const numbered = new Set<boolean>();
        [0, ...at].forEach((from, i) => {
          const { lines, numbers } = pieces.next([doc.subarray(from, i < at.length ? at[i] : doc.length)], i === at.length);
          const texts = lines.toString('utf8').split('\n').slice(0, -1);
          if (texts.length > 0 || numbers) numbered.add(numbers !== undefined);
          if (numbers) expect(numbers).toHaveLength(texts.length);
          texts.forEach((line, k) => made.push({ line, number: numbers?.[k] }));
        });
        expect(pieces.left()).toBeUndefined();
        expect(numbered.size).toBeLessThanOrEqual(1);
        const all = elements.map((e) => JSON.parse(e) as unknown);
        if (!numbered.has(true)) {
          expect(made.map((m) => JSON.parse(m.line) as unknown)).toEqual(all);
          return;
        }
        inPart++;
        const numbers = made.map((m) => m.number!);
        expect(numbers).toEqual([...new Set(numbers)].sort((x, y) => x - y));
        for (const m of made) expect(JSON.parse(m.line)).toEqual(all[m.number! - 1]);
        elements.forEach((e, i) => {
          if (e.includes('Denied') || e.includes('\\u00')) expect(numbers).toContain(i + 1);
        });
      }),
      { numRuns: 300 },
    );
    // Many files are handed on in part (one whose first piece of records is under 2 KiB is not).
    expect(inPart).toBeGreaterThan(50);
  });
});
