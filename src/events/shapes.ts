// The shapes events come in, written once: which JSON values hold events (trail files,
// `lookup-events` pages, arrays) and which objects are LookupEvents items. Every reader (the
// whole-document and streaming readers, the NDJSON line scanner) decides with these; the
// WebAssembly line checker (src/fast/wasm) leaves any line with a container key to them.

/**
 * An object whose FIRST key, as written, is one of these is a container, not an event: a trail
 * file (`{"Records":[...]}`) or a `lookup-events` page (`{"Events":[...],"NextToken":...}`).
 * The first key decides because a streaming reader cannot look further ahead; an event that
 * merely has a `Records` field somewhere later is still an event.
 */
export const CONTAINER_KEYS: ReadonlySet<string> = new Set(['Records', 'Events', 'NextToken']);
/** In a container, the keys whose arrays hold the events; other keys (NextToken) are passed over. */
export const EVENT_ARRAYS: ReadonlySet<string> = new Set(['Records', 'Events']);
/** A LookupEvents item carries its record in CloudTrailEvent; EventId alone marks one too. */
export const ITEM_RECORD_KEY = 'CloudTrailEvent';
export const ITEM_ID_KEY = 'EventId';

/**
 * Whether an object that is no LookupEvents item is a CloudTrail record: it has a key that starts
 * with `event` (eventVersion, eventTime, eventName, eventSource, eventID, eventType, eventCategory;
 * every record has several, also Insight events, exports cut down to a few fields and CloudTrail
 * Lake's lower-case `eventname`). AWS Config files, digests, policies and package.json have none.
 * The WebAssembly line checker (src/fast/wasm) applies the same rule to the keys as written.
 */
export function isCloudTrailRecord(value: object): boolean {
  for (const key in value) if (key.startsWith('event') && Object.prototype.hasOwnProperty.call(value, key)) return true;
  return false;
}

/** The problem reported for an element or line that is not a JSON object. */
export const NOT_AN_OBJECT = 'not an event: expected a JSON object';

export interface Contained {
  /** Where it sat: `Records[3]`, `[0]`. */
  label: string;
  value: unknown;
}

const CONTAINER_KEY_LIST = [...CONTAINER_KEYS];

/** The usual event has none of them: three lookups, before any look at the text. */
function hasContainerKey(value: object): boolean {
  for (const key of CONTAINER_KEY_LIST) if (Object.prototype.hasOwnProperty.call(value, key)) return true;
  return false;
}

const FIRST_KEY = /^\s*\{\s*("(?:[^"\\]|\\.)*")/;

/** The first key of the object `text` holds, as written (JSON.parse lists integer-like keys first). */
export function firstKeyOf(text: string): string | undefined {
  const m = FIRST_KEY.exec(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  return m ? (JSON.parse(m[1]) as string) : undefined;
}

/**
 * The values `value` (parsed from `text`) holds as events: an array's elements, or a container's
 * event arrays' elements, in order. Undefined when the value is itself an event (or no object).
 */
export function containedValues(value: unknown, text: string): Contained[] | undefined {
  if (Array.isArray(value)) return (value as readonly unknown[]).map((v, i) => ({ label: `[${i}]`, value: v }));
  if (value === null || typeof value !== 'object' || !hasContainerKey(value)) return undefined;
  const first = firstKeyOf(text);
  if (first === undefined || !CONTAINER_KEYS.has(first)) return undefined;
  const out: Contained[] = [];
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    if (!EVENT_ARRAYS.has(key) || !Array.isArray(inner)) continue;
    const events: readonly unknown[] = inner;
    events.forEach((v, i) => out.push({ label: `${key}[${i}]`, value: v }));
  }
  return out;
}
