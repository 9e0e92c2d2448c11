// Where decoding loses text: the UTF-8 check agrees with Node's own, and names the first bad byte.
import { describe, expect, test } from 'vitest';
import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import { firstInvalidUtf8, hasLoneSurrogate } from '../../src/events/text-checks';

describe('firstInvalidUtf8', () => {
  test('finds nothing exactly when Node finds the bytes valid, and the prefix before what it finds is valid', () => {
    const bytes = fc.oneof(fc.uint8Array({ maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 8 }).map((s) => new Uint8Array(Buffer.from(s))));
    fc.assert(
      fc.property(bytes, (b) => {
        const at = firstInvalidUtf8(b);
        expect(at < 0).toBe(isUtf8(b));
        if (at >= 0) expect(isUtf8(b.subarray(0, at))).toBe(true);
      }),
      { seed: 20, numRuns: 20000 },
    );
  });
});

describe('hasLoneSurrogate', () => {
  test('in a string, in a nested value, and inside a CloudTrailEvent that is itself JSON; not for a whole pair', () => {
    expect(hasLoneSurrogate({ a: ['x\ud800'] })).toBe(true);
    expect(hasLoneSurrogate({ CloudTrailEvent: JSON.stringify({ userName: 'car\udc00ol' }) })).toBe(true);
    expect(hasLoneSurrogate({ a: '\ud83d\ude00', CloudTrailEvent: '{"b":"\\ud83d\\ude00"}' })).toBe(false);
  });
});
