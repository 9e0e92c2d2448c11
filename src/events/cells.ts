// An event's values as cells, for every command that writes them as text (ct-csv, ct-count,
// ct-show, ct-report): absent as '', objects and lists as compact JSON, times in a chosen zone.
import { CtError, EXIT, usageError } from '../common/errors';
import { Many, type FieldPath } from './field-path';
import { eventTimeMs, isoAtOffset } from './time';

/** Fields holding instants, rendered in --tz. */
const TIME_FIELDS = new Set(['eventTime', 'EventTime', 'creationDate']);

export function isTimeField(path: FieldPath): boolean {
  const last = path.steps[path.steps.length - 1];
  return last.kind === 'key' && TIME_FIELDS.has(last.name);
}

export function cell(value: unknown): unknown {
  if (value === undefined || value === null) return '';
  if (value instanceof Many) return value.values.length === 1 ? cell(value.values[0]) : JSON.stringify(value.values);
  if (typeof value === 'object') return JSON.stringify(value);
  return value;
}

/**
 * Renders an instant as ISO 8601 with the zone's offset: 2024-07-22T09:00:00+09:00 (Z for UTC).
 * Zones whose offset then had seconds (local mean time before 1900, +09:18:59) are written with
 * the offset rounded to the minute and the clock moved with it: the same instant, valid ISO.
 * A value that is no time passes unchanged; a time no calendar holds (1e20) is a bad event.
 */
export function zoneRenderer(tz: string): (value: unknown) => unknown {
  const timeZone = tz === 'local' ? Intl.DateTimeFormat().resolvedOptions().timeZone : tz;
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
  } catch {
    throw usageError(`--tz: unknown time zone '${tz}': use an IANA name such as Asia/Tokyo or Europe/Paris, UTC, or 'local'`);
  }
  return (value) => {
    if (value instanceof Many) return value;
    const ms = eventTimeMs(value);
    if (ms === undefined) {
      if (typeof value === 'number' || (typeof value === 'string' && /^\s*[-+]?\d/.test(value))) {
        throw new CtError('data', `time out of range: ${String(value).slice(0, 40)} (no calendar date); event skipped`, EXIT.data);
      }
      return value;
    }
    const name = format.formatToParts(ms).find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
    return isoAtOffset(ms, offsetMinutes(name));
  };
}

/** `GMT`, `GMT+09:00`, `GMT-03:30`, `GMT+09:18:59` -> minutes east of UTC, to the nearest minute. */
function offsetMinutes(name: string): number {
  const m = /^GMT([+-])(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(name);
  if (!m) return 0;
  const minutes = Number(m[2]) * 60 + Number(m[3]) + Math.round(Number(m[4] ?? 0) / 60);
  return m[1] === '-' ? -minutes : minutes;
}
