// --start-time, --end-time, --region and --account on the commands that read files: what they
// prune (folders and files of a trail bucket, by path) and what they filter (a ct-where
// expression, so every shape and every fast path treats them alike).
import { usageError } from '../common/errors';
import { parseTimeLiteral } from '../events/time';
import type { PathScope } from '../input/trail-layout';

export interface ScopeOptions {
  'start-time'?: string;
  'end-time'?: string;
  region?: string[];
  account?: string[];
}

export interface Scope {
  /** For the walk; undefined when nothing was asked. */
  paths: PathScope | undefined;
  /** The same as ct-where terms, for the events. */
  terms: string[];
}

export async function scopeOf(options: ScopeOptions, now: number): Promise<Scope> {
  const startMs = time(options['start-time'], '--start-time', now);
  const endMs = time(options['end-time'], '--end-time', now);
  if (startMs !== undefined && endMs !== undefined && startMs > endMs) {
    throw usageError(`--start-time (${iso(startMs)}) is after --end-time (${iso(endMs)})`);
  }
  const regionNames = list(options.region);
  // The catalogue only when asked: it costs every start a few milliseconds.
  const { checkedRegion } = regionNames.length ? await import('../catalog/check-value') : { checkedRegion: undefined };
  const regions = regionNames.map((r) => checkedRegion!(r, '--region'));
  const accounts = list(options.account);
  for (const a of accounts) if (!/^\d{12}$/.test(a)) throw usageError(`--account: an account ID is 12 digits, not '${a}'`);
  const terms: string[] = [];
  if (startMs !== undefined) terms.push(`eventTime >= ${iso(startMs)}`);
  if (endMs !== undefined) terms.push(`eventTime <= ${iso(endMs)}`);
  if (regions.length) terms.push(`awsRegion in (${regions.join(', ')})`);
  if (accounts.length) terms.push(`recipientAccountId in (${accounts.join(', ')})`);
  const asked = terms.length > 0;
  return {
    paths: asked ? { startMs, endMs, regions: regions.length ? new Set(regions) : undefined, accounts: accounts.length ? new Set(accounts) : undefined } : undefined,
    terms,
  };
}

function time(text: string | undefined, option: string, now: number): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseTimeLiteral(text, now);
  if (ms === undefined) throw usageError(`${option}: expected a time such as 2024-07-22T09:00:00Z, '2024-07-22 09:00' or 2h, not '${text}'`);
  return ms;
}

function list(values: string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
