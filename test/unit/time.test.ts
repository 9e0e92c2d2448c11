// Times as users write them and as events store them (src/events/time.ts): a date that is not
// on the calendar is not a time (issue 13, item 24), wherever it is given.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { eventTimeMs, parseTimeLiteral } from '../../src/events/time';
import { compileWhere } from '../../src/expr/where-program';
import { lookupParams, parseTimeOption } from '../../src/fetch/lookup-options';

const NOW = Date.parse('2024-07-22T12:00:00Z');

describe('dates that are not on the calendar', () => {
  test.each(['2024-02-30', '2023-02-29', '2024-04-31', '2024-13-01', '2024-00-10', '2024-07-22T24:00Z', '2024-07-22T10:60Z'])('%s is no time', (text) => {
    expect(parseTimeLiteral(text, NOW)).toBeUndefined();
    expect(eventTimeMs(text)).toBeUndefined();
    expect(() => parseTimeOption(text, '--start-time', NOW)).toThrow(`--start-time: cannot read '${text}' as a time`);
    expect(() => compileWhere([`eventTime >= ${text}`], { now: NOW })).toThrow('is not a date and time on the calendar');
  });

  test('real ones still are, leap days included', () => {
    expect(parseTimeLiteral('2024-02-29T00:00Z', NOW)).toBe(Date.parse('2024-02-29T00:00:00Z'));
    expect(eventTimeMs('2024-12-31T23:59:59Z')).toBe(Date.parse('2024-12-31T23:59:59Z'));
    expect(compileWhere(['eventTime >= "2024-02-30"'], { now: NOW }).matches).toBeTypeOf('function');
  });
});

describe('ct-fetch windows', () => {
  test('a --start-time in the future is refused without an --end-time too', () => {
    expect(() => lookupParams({ attributes: [], startTime: '2024-07-23T00:00Z' }, NOW, [])).toThrow(
      '--start-time (2024-07-23T00:00:00Z) is in the future (it is 2024-07-22T12:00:00Z now); event history holds past events only',
    );
    expect(lookupParams({ attributes: [], startTime: '2h' }, NOW, []).startMs).toBe(NOW - 2 * 3600e3);
  });
});

describe("CloudTrail's own form, read from its characters", () => {
  test('the same instant as Date.parse for any whole second from year 100 to 9999', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(100, 0, 1), max: Date.UTC(9999, 11, 31, 23, 59, 59) }), (ms) => {
        const text = new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
        expect(eventTimeMs(text)).toBe(Date.parse(text));
      }),
      { numRuns: 2000 },
    );
  });

  test.each(['2023-02-29T00:00:00Z', '2100-02-29T00:00:00Z', '2024-04-31T00:00:00Z', '2024-07-22T24:00:00Z', '2024-07-22T10:00:60Z', '2024-13-01T00:00:00Z'])(
    '%s does not exist: no time',
    (text) => expect(eventTimeMs(text)).toBeUndefined(),
  );

  test.each([['2000-02-29T12:00:00Z', Date.UTC(2000, 1, 29, 12)], ['0050-01-01T00:00:00Z', Date.parse('0050-01-01T00:00:00Z')], ['2024-07-22T09:00:0xZ', undefined]])(
    '%s: leap years by the Gregorian rule; years before 100 and stray characters the long way',
    (text, want) => expect(eventTimeMs(text)).toBe(want),
  );
});
