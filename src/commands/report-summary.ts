// What ct-report draws, gathered in one pass with memory bounded by the number of distinct values
// (never by the number of events): counts per principal, address, error code and event name, a
// timeline whose buckets widen as the span grows (at most MAX_BUCKETS of them), and the first
// rows of the table.
import { CtError, EXIT } from '../common/errors';
import { EventView } from '../events/event-view';
import { parsePath } from '../events/field-path';
import { eventTimeMs } from '../events/time';
import { cell } from '../events/cells';

/** Bucket widths tried in turn, in minutes: the narrowest that keeps the timeline to MAX_BUCKETS. */
const WIDTHS_MINUTES = [1, 5, 15, 60, 180, 360, 720, 1440, 7 * 1440, 30 * 1440, 365 * 1440];
export const MAX_BUCKETS = 200;

/** The table's columns: the field shown, and its heading. */
export const TABLE_COLUMNS = [
  ['eventTime', 'Time (UTC)'], ['awsRegion', 'Region'], ['eventSource', 'Source'], ['eventName', 'Name'], ['user', 'User'],
  ['sourceIPAddress', 'Source address'], ['errorCode', 'Error code'], ['consoleUrl', 'Console'],
] as const;
const TABLE_PATHS = TABLE_COLUMNS.map(([field]) => parsePath(field, field));

/** The lists the page ranks, by the field each counts. */
export const TOP_LISTS = [
  ['user', 'Principals'], ['sourceIPAddress', 'Source addresses'], ['errorCode', 'Error codes'], ['eventName', 'Event names'],
] as const;
const TOP_PATHS = TOP_LISTS.map(([field]) => parsePath(field, field));

export interface Summary {
  events: number;
  /** Events with no readable eventTime: counted, not on the timeline. */
  untimed: number;
  first?: string;
  last?: string;
  by: string;
  bucketMinutes: number;
  /** Bucket starts (ISO, UTC), oldest first, every bucket from the first event's to the last's. */
  buckets: string[];
  /** The largest series (by total), then "other": counts per bucket. */
  series: { name: string; counts: number[] }[];
  top: { field: string; title: string; rows: [string, number][] }[];
  columns: string[];
  rows: string[][];
}

export class ReportSummary {
  private events = 0;
  private untimed = 0;
  private first = Infinity;
  private last = -Infinity;
  private width = 0;
  /** Bucket start (ms) -> series -> count. */
  private timeline = new Map<number, Map<string, number>>();
  private counts: Map<string, number>[] = TOP_PATHS.map(() => new Map<string, number>());
  private held = 0;
  private readonly rows: string[][] = [];
  private readonly byPath;

  constructor(
    private readonly by: string,
    private readonly top: number,
    private readonly maxRows: number,
    private readonly maxGroups: number,
  ) {
    this.byPath = parsePath(by, '--by');
  }

  /** Set once more than maxGroups values are held: nothing more is counted, and the run ends in tooMany(). */
  over = false;

  add(event: unknown): void {
    if (this.over) return;
    const view = new EventView(event);
    const time = eventTimeMs(view.resolve(TABLE_PATHS[0]));
    this.events++;
    TOP_PATHS.forEach((path, i) => this.bump(this.counts[i], text(view.resolve(path))));
    if (time === undefined) this.untimed++;
    else {
      this.first = Math.min(this.first, time);
      this.last = Math.max(this.last, time);
      this.place(time, text(view.resolve(this.byPath)));
    }
    if (this.rows.length < this.maxRows) this.rows.push(TABLE_PATHS.map((path) => text(view.resolve(path))));
  }

  private bump(map: Map<string, number>, key: string): void {
    const n = map.get(key);
    if (n === undefined) {
      if (++this.held > this.maxGroups) return void (this.over = true);
      map.set(key, 1);
    } else map.set(key, n + 1);
  }

  /** Counts the event in its bucket; widens every bucket when the span needs more than MAX_BUCKETS. */
  private place(time: number, series: string): void {
    while ((this.last - this.first) / this.widthMs() >= MAX_BUCKETS && this.width < WIDTHS_MINUTES.length - 1) this.widen();
    const start = Math.floor(time / this.widthMs()) * this.widthMs();
    let bucket = this.timeline.get(start);
    if (!bucket) this.timeline.set(start, (bucket = new Map<string, number>()));
    this.bump(bucket, series);
  }

  private widthMs(): number {
    return WIDTHS_MINUTES[this.width] * 60_000;
  }

  private widen(): void {
    this.width++;
    const old = this.timeline;
    this.timeline = new Map();
    this.held -= [...old.values()].reduce((n, b) => n + b.size, 0);
    for (const [start, bucket] of old) {
      const to = Math.floor(start / this.widthMs()) * this.widthMs();
      let merged = this.timeline.get(to);
      if (!merged) this.timeline.set(to, (merged = new Map<string, number>()));
      for (const [series, n] of bucket) {
        if (!merged.has(series)) this.held++;
        merged.set(series, (merged.get(series) ?? 0) + n);
      }
    }
  }

  summary(): Summary {
    const width = this.widthMs();
    const starts: number[] = [];
    if (this.timeline.size > 0) for (let t = Math.floor(this.first / width) * width; t <= this.last; t += width) starts.push(t);
    const totals = new Map<string, number>();
    for (const bucket of this.timeline.values()) for (const [s, n] of bucket) totals.set(s, (totals.get(s) ?? 0) + n);
    const ranked = ranking(totals);
    const shown = ranked.slice(0, this.top).map(([name]) => name);
    const series = shown.map((name) => ({ name, counts: starts.map((t) => this.timeline.get(t)?.get(name) ?? 0) }));
    if (ranked.length > shown.length) {
      const kept = new Set(shown);
      const other = starts.map((t) => [...(this.timeline.get(t) ?? [])].reduce((n, [s, c]) => n + (kept.has(s) ? 0 : c), 0));
      series.push({ name: `${ranked.length - shown.length} other`, counts: other });
    }
    return {
      events: this.events,
      untimed: this.untimed,
      first: this.timeline.size ? iso(this.first) : undefined,
      last: this.timeline.size ? iso(this.last) : undefined,
      by: this.by,
      bucketMinutes: WIDTHS_MINUTES[this.width],
      buckets: starts.map(iso),
      series,
      // Calls that succeeded have no error code: the error list ranks the failed ones only.
      top: TOP_LISTS.map(([field, title], i) => ({
        field, title, rows: ranking(this.counts[i]).filter(([name]) => field !== 'errorCode' || name !== NONE).slice(0, this.top),
      })),
      columns: TABLE_COLUMNS.map(([, heading]) => heading),
      rows: this.rows,
    };
  }
}

const NONE = '(none)';

/** Most first, then by name; '' (absent) named "(none)". */
function ranking(counts: Map<string, number>): [string, number][] {
  return [...counts].map(([k, n]): [string, number] => [k === '' ? NONE : k, n]).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

function text(value: unknown): string {
  return String(cell(value));
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

export function tooMany(max: number): CtError {
  return new CtError('limit', `more than ${max} distinct values to count (--max-groups): raise the limit, or report on fewer events`, EXIT.data);
}
