// LookupEvents request checking and matching, with the errors CloudTrail answers.
import { createHash } from 'node:crypto';
import type { StoredEvent } from './event-store';
import { ATTRIBUTE_KEYS, INSIGHT_KEYS, attributeValueLength } from '../catalog/lookup-keys';

/**
 * The messages of LookupEvents' own errors: AWS publishes no wire texts for them, so ct-serve
 * answers with each error's description in the CloudTrail API reference (LookupEvents, Errors),
 * word for word. The README lists every error ct-serve answers and where its text comes from.
 */
export const API_REFERENCE_TEXT = {
  InvalidLookupAttributesException: 'Occurs when a lookup attribute is specified that is not valid.',
  InvalidTimeRangeException:
    'Occurs if the timestamp values are not valid. Either the start time occurs after the end time, or the time range is outside the range of possible values.',
  InvalidMaxResultsException: 'This exception is thrown if the limit specified is not valid.',
  InvalidNextTokenException:
    'A token that is not valid, or a token that was previously used in a request with different parameters. This exception is thrown if the token is not valid.',
  InvalidEventCategoryException: 'Occurs if an event category that is not valid is specified as a value of EventCategory.',
} as const;

/** One of LookupEvents' own errors, with the API reference's text. */
function referenceError(type: keyof typeof API_REFERENCE_TEXT): ApiError {
  return new ApiError(type, API_REFERENCE_TEXT[type]);
}

export class ApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}


export interface LookupRequest {
  key?: string;
  value?: string;
  startMs?: number;
  endMs?: number;
  insight: boolean;
  maxResults: number;
  /** Where the page starts in the Region's event list (from NextToken; 0 for the first page). */
  offset: number;
}

export function parseLookupRequest(body: Record<string, unknown>, region: string): LookupRequest {
  const attrs = body.LookupAttributes;
  let key: string | undefined;
  let value: string | undefined;
  if (attrs !== undefined) {
    if (!Array.isArray(attrs)) throw referenceError('InvalidLookupAttributesException');
    if (attrs.length > 1) throw referenceError('InvalidLookupAttributesException');
    if (attrs.length === 1) {
      key = (attrs[0] as Record<string, unknown>)?.AttributeKey as string;
      value = (attrs[0] as Record<string, unknown>)?.AttributeValue as string;
      if (!ATTRIBUTE_KEYS.includes(key)) throw referenceError('InvalidLookupAttributesException');
      if (typeof value !== 'string' || value.length === 0) throw referenceError('InvalidLookupAttributesException');
      if (attributeValueLength(value) > 2000) throw referenceError('InvalidLookupAttributesException');
    }
  }
  const category = body.EventCategory;
  if (category !== undefined && category !== 'insight') throw referenceError('InvalidEventCategoryException');
  const insight = category === 'insight';
  if (insight && key && !INSIGHT_KEYS.includes(key)) {
    throw referenceError('InvalidLookupAttributesException');
  }
  const startMs = epochMs(body.StartTime);
  const endMs = epochMs(body.EndTime);
  if (startMs !== undefined && endMs !== undefined && startMs > endMs) {
    throw referenceError('InvalidTimeRangeException');
  }
  const max = body.MaxResults ?? 50;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 50) {
    throw referenceError('InvalidMaxResultsException');
  }
  const request: LookupRequest = { key, value, startMs, endMs, insight, maxResults: max, offset: 0 };
  if (body.NextToken !== undefined) request.offset = readToken(body.NextToken, fingerprint(request, region));
  return request;
}

function epochMs(v: unknown): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ApiError('ValidationException', 'Timestamps must be epoch seconds.');
  return Math.round(v * 1000);
}

/** Everything but the token: a token is valid only with exactly these parameters. */
function fingerprint(r: LookupRequest, region: string): Buffer {
  const text = JSON.stringify([region, r.key, r.value, r.startMs, r.endMs, r.insight, r.maxResults]);
  return createHash('sha256').update(text).digest().subarray(0, FINGERPRINT_BYTES);
}

/**
 * A NextToken is opaque bytes in standard base64, as AWS's are: a mark, the offset (4 bytes) and
 * the parameters' fingerprint. The mark 0xC0 is never UTF-8, so botocore, which tries every
 * --starting-token / StartingToken as its own base64 JSON first, cannot take one for its own
 * (a token of base64 JSON was read as parameters: "Unknown parameter in input: o").
 */
const TOKEN_MARK = [0xc0, 0x01];
const FINGERPRINT_BYTES = 12;
const TOKEN_BYTES = TOKEN_MARK.length + 4 + FINGERPRINT_BYTES;

export function makeToken(r: LookupRequest, region: string, offset: number): string {
  const bytes = Buffer.alloc(TOKEN_BYTES);
  bytes.set(TOKEN_MARK, 0);
  bytes.writeUInt32BE(offset, TOKEN_MARK.length);
  fingerprint(r, region).copy(bytes, TOKEN_MARK.length + 4);
  return bytes.toString('base64');
}

function readToken(token: unknown, expected: Buffer): number {
  const bytes = typeof token === 'string' && /^[A-Za-z0-9+/]+={0,2}$/.test(token) ? Buffer.from(token, 'base64') : Buffer.alloc(0);
  if (bytes.length === TOKEN_BYTES && TOKEN_MARK.every((b, i) => bytes[i] === b) && bytes.subarray(TOKEN_MARK.length + 4).equals(expected)) {
    return bytes.readUInt32BE(TOKEN_MARK.length);
  }
  throw referenceError('InvalidNextTokenException');
}

/** Exact, case-sensitive matching on the lookup fields. */
export function matches(e: StoredEvent, r: LookupRequest): boolean {
  if (e.insight !== r.insight) return false;
  if (r.startMs !== undefined && e.timeMs < r.startMs) return false;
  if (r.endMs !== undefined && e.timeMs > r.endMs) return false;
  if (!r.key) return true;
  if (r.key === 'ResourceType' || r.key === 'ResourceName') {
    const resources = e.item.Resources;
    return Array.isArray(resources) && resources.some((x) => (x as Record<string, unknown>)?.[r.key!] === r.value);
  }
  return e.item[r.key] === r.value;
}
