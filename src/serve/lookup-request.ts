// LookupEvents request checking and matching, with the errors CloudTrail answers.
import { createHash } from 'node:crypto';
import type { StoredEvent } from './event-store';
import { ATTRIBUTE_KEYS, INSIGHT_KEYS, attributeValueLength } from '../catalog/lookup-keys';

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
    if (!Array.isArray(attrs)) throw new ApiError('InvalidLookupAttributesException', 'LookupAttributes must be a list.');
    if (attrs.length > 1) throw new ApiError('InvalidLookupAttributesException', 'You cannot specify more than one lookup attribute.');
    if (attrs.length === 1) {
      key = (attrs[0] as Record<string, unknown>)?.AttributeKey as string;
      value = (attrs[0] as Record<string, unknown>)?.AttributeValue as string;
      if (!ATTRIBUTE_KEYS.includes(key)) throw new ApiError('InvalidLookupAttributesException', `Invalid attribute key: ${String(key)}.`);
      if (typeof value !== 'string' || value.length === 0) throw new ApiError('InvalidLookupAttributesException', 'The attribute value must not be empty.');
      if (attributeValueLength(value) > 2000) throw new ApiError('InvalidLookupAttributesException', 'The attribute value is longer than 2000 characters.');
    }
  }
  const category = body.EventCategory;
  if (category !== undefined && category !== 'insight') throw new ApiError('InvalidEventCategoryException', `Invalid event category: ${typeof category === 'string' ? category : JSON.stringify(category)}.`);
  const insight = category === 'insight';
  if (insight && key && !INSIGHT_KEYS.includes(key)) {
    throw new ApiError('InvalidLookupAttributesException', `Insights events can be looked up only by ${INSIGHT_KEYS.join(', ')}.`);
  }
  const startMs = epochMs(body.StartTime);
  const endMs = epochMs(body.EndTime);
  if (startMs !== undefined && endMs !== undefined && startMs > endMs) {
    throw new ApiError('InvalidTimeRangeException', 'The start time must be at or before the end time.');
  }
  const max = body.MaxResults ?? 50;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 50) {
    throw new ApiError('InvalidMaxResultsException', 'MaxResults must be from 1 to 50.');
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
function fingerprint(r: LookupRequest, region: string): string {
  const text = JSON.stringify([region, r.key, r.value, r.startMs, r.endMs, r.insight, r.maxResults]);
  return createHash('sha256').update(text).digest('base64url').slice(0, 16);
}

export function makeToken(r: LookupRequest, region: string, offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset, f: fingerprint(r, region) })).toString('base64url');
}

function readToken(token: unknown, expected: string): number {
  try {
    const t = JSON.parse(Buffer.from(String(token), 'base64url').toString('utf8')) as { o: unknown; f: unknown };
    if (t.f === expected && typeof t.o === 'number' && Number.isInteger(t.o) && t.o >= 0) return t.o;
  } catch {
    // fall through
  }
  throw new ApiError('InvalidNextTokenException', 'Invalid NextToken: it must come from a call with the same parameters.');
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
