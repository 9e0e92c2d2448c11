// Did-you-mean: the distance with a limit agrees with the full one, and a long typo is cheap.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { editDistance, nearest } from '../../src/common/suggest';
import { eventNamesBySource } from '../../src/catalog/catalog';

describe('editDistance', () => {
  test('known distances, transpositions counting one', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('ConsoleLogin', 'ConsoelLogin')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });

  test('with a limit: the same distance when within it, limit + 1 when beyond', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), fc.nat({ max: 14 }), (a, b, limit) => {
        const full = editDistance(a, b);
        expect(editDistance(a, b, limit)).toBe(full <= limit ? full : limit + 1);
      }),
      { seed: 13, numRuns: 2000 },
    );
  });
});

describe('nearest', () => {
  const names = Object.values(eventNamesBySource()).flat();

  test('a near miss finds the name; an exact name needs no suggestion', () => {
    expect(nearest('ConsoelLogin', names)).toContain('ConsoleLogin');
    expect(nearest('ConsoleLogin', names)).toEqual([]);
  });

  test('a 1,999-character value against every event name: no suggestion, each name ruled out by its length alone', () => {
    // (It took 25 s of CPU when every pair was aligned in full.)
    const typed = 'CreateUser'.repeat(200).slice(0, 1999);
    expect(nearest(typed, names)).toEqual([]);
    expect(names.every((n) => Math.abs(n.length - typed.length) > Math.ceil(typed.length / 3))).toBe(true);
  });
});
