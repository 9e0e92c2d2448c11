// Pages through LookupEvents in one Region: paced by the Region's budget, retried with backoff
// and jitter on throttling, 5xx and network errors, each page written as soon as it arrives.
// The position (page token + events of that page written) is kept for the resume command.
import { LookupEventsCommand, type CloudTrailClient, type LookupEventsCommandOutput } from '@aws-sdk/client-cloudtrail';
import { WriteFailure, type OutputWriter } from '../output/output-writer';
import type { LookupParams } from './lookup-options';
import type { RegionPosition } from './resume-token';
import { backoffMs, isRetryable, ThrottleBudget } from './throttle-budget';

export interface RegionStats {
  events: number;
  pages: number;
  retries: number;
}

/** What all Regions share: the output, the --max-items allowance, and the stop signal. */
export interface FetchRun {
  out: OutputWriter;
  remaining: number;
  stopped: boolean;
  abort: AbortController;
  maxAttempts: number;
  pageSize: number;
  sleep: (ms: number) => Promise<void>;
  /** Reports a problem with one event that does not stop the run. */
  note: (message: string) => void;
  /** Told before a call in `region` is tried again after `err` (`attempt` tries made so far). */
  retrying: (region: string, err: unknown, attempt: number) => void;
}

/** The resume position does not fit what the endpoint returns: resuming again would not help. */
export class ResumeMismatch extends Error {
  override name = 'ResumeMismatch';
}

/**
 * Decides, for each event a lookup returns, whether it is written (ct-fetch --where: the
 * expression matches, and no earlier lookup of the plan returned it). Without one, all are.
 */
export type Accept = (item: Item, eventMs: number | undefined) => boolean;

/** One LookupEvents query paged to its end (or to --max-items, a stop, a failure). */
export async function fetchLookup(
  client: CloudTrailClient,
  params: LookupParams,
  position: RegionPosition,
  run: FetchRun,
  budget: ThrottleBudget,
  stats: RegionStats,
  accept?: Accept,
): Promise<void> {
  while (!position.done && !run.stopped && run.remaining > 0) {
    const page = await callWithRetries(client, params, position.token, run, budget, stats);
    if (run.stopped) return;
    stats.pages++;
    const events = page.Events ?? [];
    if (position.skip > 0 && position.skip >= events.length) {
      // Only a token edited by hand gets here; going on would drop the rest of the page unseen.
      throw new ResumeMismatch(`the --starting-token says ${position.skip} events of this page were written, but the page has ${events.length}`);
    }
    // Events of the page looked at (written or not taken): the position moves past them.
    let seen = 0;
    /** For each line written, the events of the page looked at before it. */
    const seenBefore: number[] = [];
    for (let i = position.skip; i < events.length && seenBefore.length < run.remaining; i++) {
      const item = itemOf(events[i], run.note);
      seen++;
      if (accept && !accept(item, eventMs(events[i]))) continue;
      seenBefore.push(seen - 1);
      run.out.write(`${JSON.stringify(item)}\n`);
    }
    const written = seenBefore.length;
    try {
      await run.out.flush();
    } catch (err) {
      // Standard output failed (a full disk): the position counts the lines that went out whole.
      if (err instanceof WriteFailure) {
        const whole = err.takeLines();
        advance(position, page, whole < written ? seenBefore[whole] : seen, events.length);
      }
      throw err;
    }
    stats.events += written;
    run.remaining -= written;
    if (run.out.closed) {
      run.stopped = true;
      return;
    }
    if (position.skip + seen < events.length) {
      position.skip += seen;
      return;
    }
    advance(position, page, seen, events.length);
  }
}

/** The first page of a lookup, with the run's retries and pace (ct-fetch --diagnose). */
export function firstPage(client: CloudTrailClient, params: LookupParams, run: FetchRun, budget: ThrottleBudget): Promise<LookupEventsCommandOutput> {
  return callWithRetries(client, params, null, run, budget, { events: 0, pages: 0, retries: 0 });
}

/** `written` more events of the page are out: the next page once the page is all out. */
function advance(position: RegionPosition, page: LookupEventsCommandOutput, written: number, pageLength: number): void {
  position.skip += written;
  if (position.skip < pageLength) return;
  if (page.NextToken) Object.assign(position, { token: page.NextToken, skip: 0 });
  else position.done = true;
}

async function callWithRetries(
  client: CloudTrailClient,
  params: LookupParams,
  token: string | null,
  run: FetchRun,
  budget: ThrottleBudget,
  stats: RegionStats,
): Promise<LookupEventsCommandOutput> {
  const command = new LookupEventsCommand({
    LookupAttributes: params.attribute ? [{ AttributeKey: params.attribute.key as never, AttributeValue: params.attribute.value }] : undefined,
    StartTime: params.startMs === undefined ? undefined : new Date(params.startMs),
    EndTime: params.endMs === undefined ? undefined : new Date(params.endMs),
    EventCategory: params.insight ? 'insight' : undefined,
    MaxResults: run.pageSize,
    NextToken: token ?? undefined,
  });
  for (let attempt = 1; ; attempt++) {
    await budget.take();
    try {
      return await client.send(command, { abortSignal: run.abort.signal });
    } catch (err) {
      if (run.stopped || !isRetryable(err) || attempt >= run.maxAttempts) throw err;
      stats.retries++;
      run.retrying(await client.config.region(), err, attempt);
      await run.sleep(backoffMs(attempt));
    }
  }
}

export type Item = Record<string, unknown>;

function eventMs(e: ApiEvent): number | undefined {
  const ms = e.EventTime instanceof Date ? e.EventTime.getTime() : NaN;
  return Number.isNaN(ms) ? undefined : ms;
}

type ApiEvent = NonNullable<LookupEventsCommandOutput['Events']>[number];

/**
 * The API's item with EventTime as ISO 8601 UTC, keys in the API's order. An EventTime no
 * calendar holds (the SDK gives an invalid Date) is written as null and reported.
 */
function itemOf(e: ApiEvent, note: (message: string) => void): Item {
  let time: unknown = e.EventTime;
  if (e.EventTime instanceof Date) {
    if (Number.isNaN(e.EventTime.getTime())) {
      note(`event ${e.EventId}: EventTime out of range (no calendar date); written with EventTime null`);
      time = null;
    } else time = e.EventTime.toISOString().replace('.000Z', 'Z');
  }
  return {
    EventId: e.EventId,
    EventName: e.EventName,
    ReadOnly: e.ReadOnly,
    AccessKeyId: e.AccessKeyId,
    EventTime: time,
    EventSource: e.EventSource,
    Username: e.Username,
    Resources: e.Resources,
    CloudTrailEvent: e.CloudTrailEvent,
  };
}
