// Turns ct-fetch's options into LookupEvents parameters, checking everything the API would
// reject before any call, with one line that says the fix. Warnings never block.
import { usageError } from '../common/errors';
import { parseTimeLiteral } from '../events/time';
import { nearest } from '../common/suggest';
import { unknownValueWarning } from '../catalog/check-value';
import { ATTRIBUTE_KEYS, INSIGHT_KEYS, attributeValueLength } from '../catalog/lookup-keys';

export interface LookupAttribute {
  key: string;
  value: string;
}

export interface LookupParams {
  attribute?: LookupAttribute;
  startMs?: number;
  endMs?: number;
  insight: boolean;
}

const HISTORY_MS = 90 * 864e5;

const FORMS = "KEY=VALUE, AttributeKey=KEY,AttributeValue=VALUE (quote a value with commas: AttributeValue=\"a,b\"), or JSON [{\"AttributeKey\":\"KEY\",\"AttributeValue\":\"VALUE\"}]";

/**
 * `K=V` (from -a), or as the AWS CLI reads --lookup-attributes: its shorthand in either order
 * (`AttributeKey=K,AttributeValue=V`, a value in quotes when it holds a comma) or its JSON form.
 */
export function parseAttribute(text: string, notes: string[]): LookupAttribute {
  const given = /^\s*[[{]/.test(text) ? fromJson(text) : /^\s*Attribute(Key|Value)\s*=/.test(text) ? fromShorthand(text) : fromPlain(text);
  const key = checkKey(given.key, notes);
  const value = given.value;
  if (value === '') throw usageError(`--lookup-attributes: ${key} needs a value, e.g. ${key}=${exampleFor(key)}`);
  const length = attributeValueLength(value);
  if (length > 2000) throw usageError(`--lookup-attributes: the ${key} value counts ${length} of at most 2000 characters ('_', space, ',' and newline count two)`);
  if (key === 'ReadOnly' && value !== 'true' && value !== 'false') throw usageError(`--lookup-attributes: ReadOnly takes true or false, not '${value}'`);
  const warning = unknownValueWarning(key, value);
  if (warning) notes.push(warning);
  return { key, value };
}

function fromPlain(text: string): LookupAttribute {
  const eq = text.indexOf('=');
  if (eq < 1) throw usageError(`--lookup-attributes: expected ${FORMS}, got '${text}'`);
  return { key: text.slice(0, eq), value: text.slice(eq + 1) };
}

/** `AttributeKey=K,AttributeValue=V` in either order; a value in "..." or '...' may hold commas. */
function fromShorthand(text: string): LookupAttribute {
  const members = new Map<string, string>();
  let at = 0;
  while (at < text.length) {
    const eq = text.indexOf('=', at);
    if (eq < 0) throw usageError(`--lookup-attributes: expected ${FORMS}, got '${text}'`);
    const name = text.slice(at, eq).trim();
    let value: string;
    let next: number;
    const quote = text[eq + 1];
    if (quote === '"' || quote === "'") {
      const close = text.indexOf(quote, eq + 2);
      if (close < 0) throw usageError(`--lookup-attributes: the quote after ${name}= is not closed`);
      value = text.slice(eq + 2, close);
      next = text.indexOf(',', close);
    } else {
      next = text.indexOf(',', eq);
      value = text.slice(eq + 1, next < 0 ? text.length : next);
    }
    if (name !== 'AttributeKey' && name !== 'AttributeValue') throw usageError(`--lookup-attributes: unknown member '${name}': use AttributeKey and AttributeValue`);
    if (members.has(name)) throw usageError(`--lookup-attributes: ${name} given twice; LookupEvents takes one attribute per call`);
    members.set(name, value);
    at = next < 0 ? text.length : next + 1;
  }
  if (!members.has('AttributeKey') || !members.has('AttributeValue')) throw usageError(`--lookup-attributes: expected ${FORMS}, got '${text}'`);
  return { key: members.get('AttributeKey')!, value: members.get('AttributeValue')! };
}

/** The AWS CLI's JSON form: `[{"AttributeKey":"K","AttributeValue":"V"}]`, or the object alone. */
function fromJson(text: string): LookupAttribute {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw usageError(`--lookup-attributes: not valid JSON (${(err as Error).message}); expected ${FORMS}`);
  }
  const list = Array.isArray(parsed) ? parsed : [parsed];
  if (list.length !== 1) throw usageError('--lookup-attributes: LookupEvents takes one lookup attribute per call; filter the rest with ct-where');
  const item = list[0] as { AttributeKey?: unknown; AttributeValue?: unknown } | null;
  if (!item || typeof item.AttributeKey !== 'string' || typeof item.AttributeValue !== 'string') {
    throw usageError(`--lookup-attributes: expected ${FORMS}`);
  }
  return { key: item.AttributeKey, value: item.AttributeValue };
}

function checkKey(raw: string, notes: string[]): string {
  if (ATTRIBUTE_KEYS.includes(raw)) return raw;
  const sameButCase = ATTRIBUTE_KEYS.find((k) => k.toLowerCase() === raw.toLowerCase());
  if (sameButCase) {
    notes.push(`note: attribute key '${raw}' read as '${sameButCase}' (keys are case-sensitive)`);
    return sameButCase;
  }
  const near = nearest(raw, ATTRIBUTE_KEYS);
  const hint = near.length ? `did you mean ${near.join(' or ')}? ` : '';
  throw usageError(`--lookup-attributes: unknown key '${raw}'; ${hint}Keys: ${ATTRIBUTE_KEYS.join(', ')}`);
}

function exampleFor(key: string): string {
  return { EventSource: 'signin.amazonaws.com', EventName: 'ConsoleLogin', ReadOnly: 'false', ResourceType: 'AWS::IAM::Role' }[key] ?? 'VALUE';
}

/** --start-time/--end-time: ISO 8601 (no zone = local), `2024-07-22 00:00`, epoch seconds, `2h`, `3d`, `now`. */
export function parseTimeOption(text: string, option: string, now: number): number {
  if (/^\d{9,11}(\.\d+)?$/.test(text.trim())) return Math.round(Number(text) * 1000);
  const ms = parseTimeLiteral(awsCliDate(text) ?? text, now);
  if (ms === undefined) {
    throw usageError(`${option}: cannot read '${text}' as a time: use ISO 8601 (2024-07-22T09:00:00+09:00), '2024-07-22 09:00' (local), epoch seconds, or relative (2h, 3d, now)`);
  }
  return ms;
}

/**
 * The AWS CLI's other date forms (its docs show them for lookup-events), as ISO 8601 without a
 * zone, which is local time as in the AWS CLI: `01-27-2015`, `01/27/2015, 13:16`,
 * `2015-01-27, 01:16 PM`. Undefined for any other text.
 */
function awsCliDate(text: string): string | undefined {
  const m = /^\s*(?:(\d{1,2})[-/](\d{1,2})[-/](\d{4})|(\d{4})-(\d{1,2})-(\d{1,2}))(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?\s*$/.exec(text);
  if (!m || (!m[1] && !text.includes(','))) return undefined; // plain ISO dates are read as they are
  const [year, month, day] = m[1] ? [m[3], m[1], m[2]] : [m[4], m[5], m[6]];
  let hour = Number(m[7] ?? 0);
  const half = m[10]?.toUpperCase();
  if (half && (hour < 1 || hour > 12)) return undefined;
  if (half === 'PM' && hour < 12) hour += 12;
  if (half === 'AM' && hour === 12) hour = 0;
  const two = (n: string | number): string => String(n).padStart(2, '0');
  return `${year}-${two(month)}-${two(day)}T${two(hour)}:${m[8] ?? '00'}:${m[9] ?? '00'}`;
}

export interface RawLookupOptions {
  attributes: string[];
  startTime?: string;
  endTime?: string;
  eventCategory?: string;
}

export function lookupParams(raw: RawLookupOptions, now: number, notes: string[]): LookupParams {
  if (raw.attributes.length > 1) {
    throw usageError(
      'LookupEvents takes one lookup attribute per call. Fetch by the most selective one and filter the rest with ct-where, e.g.\n' +
        "  ct-fetch -a EventName=ConsoleLogin | ct-where 'userIdentity.userName=alice and sourceIPAddress=198.51.100.7'",
    );
  }
  const attribute = raw.attributes.length ? parseAttribute(raw.attributes[0], notes) : undefined;
  if (raw.eventCategory !== undefined && raw.eventCategory !== 'insight') {
    throw usageError(`--event-category: the only category is 'insight' (lower case), not '${raw.eventCategory}'`);
  }
  const insight = raw.eventCategory === 'insight';
  if (insight && attribute && !INSIGHT_KEYS.includes(attribute.key)) {
    throw usageError(`--event-category insight: look up Insights events by ${INSIGHT_KEYS.join(', ')} only, not ${attribute.key}`);
  }
  const startMs = raw.startTime === undefined ? undefined : parseTimeOption(raw.startTime, '--start-time', now);
  const endMs = raw.endTime === undefined ? undefined : parseTimeOption(raw.endTime, '--end-time', now);
  if (startMs !== undefined && endMs !== undefined && startMs > endMs) {
    throw usageError(`--start-time (${iso(startMs)}) is after --end-time (${iso(endMs)}); swap them`);
  }
  if (startMs !== undefined && endMs === undefined && startMs > now) {
    throw usageError(`--start-time (${iso(startMs)}) is in the future (it is ${iso(now)} now); event history holds past events only`);
  }
  if (startMs !== undefined && startMs < now - HISTORY_MS) {
    notes.push(`warning: --start-time ${iso(startMs)} is more than 90 days ago; event history keeps 90 days, so AWS returns nothing older`);
  }
  return { attribute, startMs, endMs, insight };
}

export function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

export function windowText(p: LookupParams): string {
  const from = p.startMs === undefined ? 'the start of event history' : iso(p.startMs);
  const to = p.endMs === undefined ? 'now' : iso(p.endMs);
  return `time window (UTC): ${from} to ${to}`;
}
