// Reading times as users write them and as events store them, as epoch milliseconds.

const RELATIVE = /^[-+]?(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|d|w)$/i;
const UNIT_MS: Record<string, number> = { s: 1e3, sec: 1e3, m: 6e4, min: 6e4, h: 36e5, d: 864e5, w: 6048e5 };
const ISO_LIKE = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * A time literal: ISO 8601 with any zone or none (no zone = the local zone, as `date -d` reads
 * it), `YYYY-MM-DD HH:MM[:SS]`, or relative to now: `now`, `2h`, `-2h` (both two hours ago),
 * `3d`, `1w`. Returns undefined when the text is not a time.
 */
export function parseTimeLiteral(text: string, now: number): number | undefined {
  const t = text.trim();
  if (t.toLowerCase() === 'now') return now;
  const rel = RELATIVE.exec(t);
  if (rel) return now - Number(rel[1]) * UNIT_MS[rel[2].toLowerCase()];
  return parseIso(t, 'local') ?? undefined;
}

/** True when the text has the form of an ISO 8601 time, whether or not it is a real one. */
export function isoShaped(text: string): boolean {
  return ISO_LIKE.test(text.trim());
}

/**
 * ISO 8601 (date, optional time with any fraction, optional zone); no zone means `defaultZone`.
 * Undefined when the text is not of that form; null when it is but names no real date or time
 * (`2024-02-30`, which Date.parse would read as March 1).
 */
function parseIso(text: string, defaultZone: 'local' | 'utc'): number | null | undefined {
  const iso = ISO_LIKE.exec(text);
  if (!iso) return undefined;
  const [, date, clock = '00:00', zone] = iso;
  if (!realDate(date) || !realClock(clock)) return null;
  let z = zone ?? (defaultZone === 'utc' ? 'Z' : '');
  if (z && z.toUpperCase() !== 'Z' && !z.includes(':')) z = z.length === 3 ? `${z}:00` : `${z.slice(0, 3)}:${z.slice(3)}`;
  const ms = Date.parse(`${date}T${clock.replace(/(\.\d{3})\d+$/, '$1')}${z.toUpperCase() === 'Z' ? 'Z' : z}`);
  return Number.isNaN(ms) ? null : ms;
}

/** YYYY-MM-DD that is on the calendar (the Gregorian one, as ISO 8601 means). */
function realDate(date: string): boolean {
  const [y, m, d] = date.split('-').map(Number);
  return m >= 1 && m <= 12 && d >= 1 && d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** HH:MM[:SS[.fff]] within a day. */
function realClock(clock: string): boolean {
  const [h, m, s = 0] = clock.split(':').map(Number);
  return h <= 23 && m <= 59 && s < 60;
}

/**
 * An event's time: an ISO string (no zone = UTC, as CloudTrail and tools that copy it mean), or
 * epoch seconds as older AWS CLI output prints EventTime.
 */
export function eventTimeMs(value: unknown): number | undefined {
  if (typeof value === 'number') return inRange(value < 1e11 ? value * 1000 : value);
  if (typeof value !== 'string') return undefined;
  const canonical = cloudTrailTime(value);
  if (canonical !== undefined) return canonical ?? undefined;
  const iso = parseIso(value, 'utc');
  if (iso !== undefined) return iso ?? undefined;
  const ms = Date.parse(value);
  if (!Number.isNaN(ms)) return ms;
  return /^\d+(\.\d+)?$/.test(value) ? eventTimeMs(Number(value)) : undefined;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * CloudTrail's own form, `2024-07-22T09:00:00Z` (nearly every event), read from its characters:
 * a regular expression and Date.parse were an eighth of ct-count's time. The same answers as
 * parseIso (null for a date or time that does not exist); undefined for any other form.
 */
function cloudTrailTime(s: string): number | null | undefined {
  if (s.length !== 20 || s.charCodeAt(19) !== 90 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 ||
    s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return undefined;
  const digits = (at: number, length: number): number => {
    let v = 0;
    for (let i = at; i < at + length; i++) {
      const d = s.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return NaN;
      v = v * 10 + d;
    }
    return v;
  };
  const [year, month, day, hour, minute, second] = [digits(0, 4), digits(5, 2), digits(8, 2), digits(11, 2), digits(14, 2), digits(17, 2)];
  // Date.UTC reads years 0-99 as 1900-1999: those go the long way.
  if (Number.isNaN(year + month + day + hour + minute + second) || year < 100) return undefined;
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 1 : 0;
  if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1] + leap || hour > 23 || minute > 59 || second > 59) return null;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

/** The most a Date can hold either side of 1970 (ECMA-262: 100,000,000 days). */
const MAX_DATE_MS = 8.64e15;

function inRange(ms: number): number | undefined {
  return Math.abs(ms) <= MAX_DATE_MS ? ms : undefined;
}

/**
 * ISO 8601 of an instant as seen at `offsetMinutes` east of UTC: `2024-07-22T18:00:00+09:00`,
 * whole seconds (as CloudTrail writes them). Years outside 0000-9999 take ISO's expanded form
 * (`+010000`, `-000001` for 2 BC: ISO counts 1 BC as year 0000).
 */
export function isoAtOffset(ms: number, offsetMinutes: number): string {
  // At the very edge of the calendar the shifted clock has no date: say it in UTC.
  if (Math.abs(ms + offsetMinutes * 6e4) > MAX_DATE_MS) offsetMinutes = 0;
  const local = new Date(Math.floor(ms / 1000) * 1000 + offsetMinutes * 6e4).toISOString().replace(/\.\d{3}Z$/, '');
  if (offsetMinutes === 0) return `${local}Z`;
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
