// The scanner that says where JSON goes wrong agrees with JSON.parse on what is JSON, and on
// where it is not wherever V8 gives a position.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { JsonPosition } from '../../src/input/json-position';

function scan(text: string, pieces = 1): JsonPosition {
  const bytes = Buffer.from(text);
  const scanner = new JsonPosition();
  const step = Math.max(1, Math.ceil(bytes.length / pieces));
  for (let i = 0; i < bytes.length; i += step) scanner.write(bytes.subarray(i, i + step));
  scanner.end();
  return scanner;
}

const fault = (text: string, pieces = 1): number | undefined => scan(text, pieces).fault;

/** A JSON text with a few characters changed, inserted or removed. */
const damaged = fc
  .tuple(fc.json(), fc.array(fc.tuple(fc.nat(), fc.constantFrom('"', ',', ':', '{', '}', '[', ']', '\\', '1', '-', 'e', '.', ' ', 't', 'x', '\u0001', '')), { maxLength: 3 }))
  .map(([text, edits]) => edits.reduce((t, [at, c]) => t.slice(0, at % (t.length + 1)) + c + t.slice((at % (t.length + 1)) + (c === '' ? 1 : 0)), text));

describe('JsonPosition', () => {
  test('finds no fault exactly when JSON.parse reads the text, however it is cut into pieces', () => {
    fc.assert(
      fc.property(damaged, fc.integer({ min: 1, max: 7 }), (text, pieces) => {
        let parses = true;
        try {
          JSON.parse(text);
        } catch {
          parses = false;
        }
        const scanner = scan(text, pieces);
        // The scanner also reads a stream of top-level values (`1 2`, `[][0]`), which JSON.parse does not.
        if (scanner.fault === undefined && scanner.values !== 1) return;
        expect(scanner.fault === undefined).toBe(parses);
      }),
      { seed: 18, numRuns: 5000 },
    );
  });

  test('puts the fault where V8 does, when V8 says where (ASCII text: characters are bytes)', () => {
    let compared = 0;
    fc.assert(
      fc.property(damaged, (text) => {
        if (!/^[\x20-\x7e]*$/.test(text)) return;
        try {
          JSON.parse(text);
        } catch (err) {
          const at = /at position (\d+)/.exec((err as Error).message);
          if (!at || /after JSON|Unterminated|end of JSON/.test((err as Error).message)) return;
          compared++;
          expect(fault(text)).toBe(Number(at[1]));
        }
      }),
      { seed: 18, numRuns: 5000 },
    );
    expect(compared).toBeGreaterThan(100);
  });

  test('reads concatenated documents, and counts from a base (a byte-order mark)', () => {
    expect(fault('{"a":1} [2]\n"x" 3')).toBeUndefined();
    const scanner = new JsonPosition(3);
    scanner.write(Buffer.from('{"a":1 "b":2}'));
    expect(scanner.fault).toBe(10);
    expect(fault('{"a":[1,2}')).toBe(9);
    expect(fault('{"a":1')).toBe(6);
  });
});
