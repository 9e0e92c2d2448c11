// isJsonObjectText lets ct-explode write a CloudTrailEvent without parsing it, so it must never
// vouch for a text JSON.parse would reject (or that is not an object), and should vouch for
// every compact object, which is what CloudTrail and JSON.stringify write.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { JsonChecker } from '../../src/fast/json-check';
import { edited } from '../helpers';

/** What JSON.parse makes of the text: an object, something else, or an error. */
function parsedKind(text: string): 'object' | 'other' | 'error' {
  try {
    const v = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? 'object' : 'other';
  } catch {
    return 'error';
  }
}

/** Characters that make and break JSON. */
const NOISE = [...'{}[]":,\\/-+.0123456789eEtrufalsn u\u0000\t\n', '\\u', '\\"', 'é', '\ud800'];

/** Strings long enough for the checker's 16-byte steps, and short ones. */
const someString = fc.oneof(fc.string(), fc.string({ unit: 'binary', minLength: 15, maxLength: 70 }));

/** A valid object's text with a few characters inserted, deleted or replaced. */
const mutated = edited(
  fc.dictionary(someString, fc.oneof(fc.jsonValue(), someString, fc.array(someString))).map((v) => JSON.stringify(v)),
  NOISE,
  4,
);

const checker = new JsonChecker();
const isJsonObjectText = (text: string): boolean => checker.isJsonObjectText(text);

describe('isJsonObjectText', () => {
  test('never vouches for a text that JSON.parse rejects or that is not an object (mutated objects)', () => {
    fc.assert(
      fc.property(mutated, (text) => {
        if (isJsonObjectText(text)) expect(parsedKind(text)).toBe('object');
      }),
      { numRuns: 5000 },
    );
  });

  test('never vouches for arbitrary JSON-like noise that is not an object', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...NOISE)).map((a) => a.join('')), (text) => {
        if (isJsonObjectText(text)) expect(parsedKind(text)).toBe('object');
      }),
      { numRuns: 5000 },
    );
  });

  test('vouches for every compact object, whatever its strings hold (lone surrogates, controls, escapes)', () => {
    const anyString = fc.string({ unit: 'binary' });
    fc.assert(
      fc.property(fc.dictionary(anyString, fc.jsonValue({ maxDepth: 6 })), fc.array(anyString), (object, strings) => {
        expect(isJsonObjectText(JSON.stringify({ ...object, strings }))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  test.each([
    ['{}', true],
    [' {"a" : [ 1 , {"b" : null} ] } ', true],
    ['{"a":-0,"b":1.5e+10,"c":2E-3,"d":0.25}', true],
    ['{"a":"\\u00e9\\"\\\\\\/\\b\\f\\n\\r\\t"}', true],
    ['{"a":1,"a":2}', true],
    ['{"a":"é\ud800"}', true],
    ['[]', false],
    ['null', false],
    ['"{}"', false],
    ['{"a":01}', false],
    ['{"a":1.}', false],
    ['{"a":.5}', false],
    ['{"a":1e}', false],
    ['{"a":-}', false],
    ['{"a":tru}', false],
    ['{"a":nul}', false],
    ['{"a":"\\x"}', false],
    ['{"a":"\\u12"}', false],
    ['{"a":"\\u12g4"}', false],
    ['{"a":"a string longer than 16 bytes \u0001 with a raw control"}', false],
    ['{"a":"a string longer than 16 bytes with a raw control at its end\u001f"}', false],
    ['{"a":"a string longer than 16 bytes, then a backslash: \\\\ and an escape \\u00e9"}', true],
    ['{"a":"b}', false],
    ['{"a":1,}', false],
    ['{"a":[1,]}', false],
    ['{a:1}', false],
    ['{"a" 1}', false],
    ['{"a":1} x', false],
    ['{"a":1}}', false],
    ['{"a":[1}', false],
    ['{"a":1\\}', false],
    // Not certain, so parsed by the caller: raw control characters, even where JSON allows them.
    ['{\n"a":1}', false],
    ['{"a":\t1}', false],
  ])('%j -> %s', (text, expected) => {
    expect(isJsonObjectText(text)).toBe(expected);
    if (expected) expect(parsedKind(text)).toBe('object');
  });

  test('nesting deeper than 1,000 is left to JSON.parse', () => {
    const deep = (n: number) => `{"a":${'['.repeat(n)}${']'.repeat(n)}}`;
    // The object and the arrays around the innermost (empty) one: 1,000 open at once.
    expect(isJsonObjectText(deep(1000))).toBe(true);
    expect(isJsonObjectText(deep(1001))).toBe(false);
    expect(parsedKind(deep(1001))).toBe('object');
  });
});
