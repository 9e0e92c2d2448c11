// --starting-token: where each lookup stopped. `ct1:` + base64url JSON {lookup: [token|null, skip] | "done"},
// a lookup named by its Region (ct-fetch -a) or by its Region and query (ct-fetch --where, whose
// token also keeps "@now", the clock its relative times were read by); a bare token (a NextToken
// printed by the AWS CLI) applies to a single Region.

export interface RegionPosition {
  /** The NextToken of the page to ask for next (null: the first page). */
  token: string | null;
  /** Events of that page already written. */
  skip: number;
  done: boolean;
}

const PREFIX = 'ct1:';
/** A page holds at most 50 events, so at most 49 of one can have been written before a stop. */
const MAX_SKIP = 49;

const NOW = '@now';

export function encodeResume(positions: Map<string, RegionPosition>, now?: number): string {
  const body: Record<string, [string | null, number] | 'done' | number> = {};
  if (now !== undefined) body[NOW] = now;
  for (const [region, p] of positions) body[region] = p.done ? 'done' : [p.token, p.skip];
  return PREFIX + Buffer.from(JSON.stringify(body)).toString('base64url');
}

/** The clock a --where token was made with; undefined for another token. */
export function resumeClock(text: string): number | undefined {
  if (!text.startsWith(PREFIX)) return undefined;
  try {
    const now = (JSON.parse(Buffer.from(text.slice(PREFIX.length), 'base64url').toString('utf8')) as Record<string, unknown>)?.[NOW];
    return typeof now === 'number' && Number.isFinite(now) ? now : undefined;
  } catch {
    return undefined;
  }
}

/** Positions for `regions` (the lookups' names: a Region, or a Region and its query), or what is wrong. */
export function decodeResume(text: string, regions: string[]): Map<string, RegionPosition> | string {
  const out = new Map<string, RegionPosition>();
  if (text.trim() === '') return 'the token is empty; copy it whole from the resume command';
  if (!text.startsWith(PREFIX)) {
    if (regions.length !== 1) return 'a bare NextToken applies to one Region; pass exactly one --region';
    out.set(regions[0], botocoreToken(text) ?? { token: text, skip: 0, done: false });
    return out;
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(text.slice(PREFIX.length), 'base64url').toString('utf8'));
  } catch {
    return 'the token is damaged; copy it whole from the resume command';
  }
  for (const region of regions) {
    const v = (body as Record<string, unknown>)?.[region];
    if (v === 'done') out.set(region, { token: null, skip: 0, done: true });
    else if (Array.isArray(v) && v.length === 2 && (typeof v[0] === 'string' || v[0] === null) && isSkip(v[1])) {
      out.set(region, { token: v[0] as string | null, skip: v[1], done: false });
    } else if (Array.isArray(v)) return `the token's position for Region ${region} is damaged; copy it whole from the resume command`;
    else if (region.includes(' ')) return `the token has no position for the lookup ${region}; use the same --where, --region and time options as the command that printed it`;
    else return `the token has no position for Region ${region}; use the same --region as the command that printed it`;
  }
  return out;
}

function isSkip(n: unknown): n is number {
  return Number.isInteger(n) && (n as number) >= 0 && (n as number) <= MAX_SKIP;
}

/**
 * The AWS CLI's --max-items NextToken: botocore's own base64 JSON, `{"NextToken": T,
 * "boto_truncate_amount": N}`: the page at T (null: the first), of which N events were printed.
 */
function botocoreToken(text: string): RegionPosition | undefined {
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(text, 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!body || typeof body !== 'object' || !('NextToken' in body)) return undefined;
  const { NextToken: token, boto_truncate_amount: skip = 0 } = body as { NextToken: unknown; boto_truncate_amount?: unknown };
  if (!(token === null || typeof token === 'string') || !isSkip(skip)) return undefined;
  return { token, skip, done: false };
}
