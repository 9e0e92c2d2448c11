// What ct-count does with each event: one group per distinct combination of the fields, with its
// count, first and last seen and (with --distinct) the set of another field's values. Built on
// the main thread and on worker threads alike: a thread sends each batch's groups to the main
// thread as JSON (its output), where absorb() adds them in; counts, times and sets merge in any order.
import { EventView } from '../events/event-view';
import { parsePath } from '../events/field-path';
import { Projection } from '../fast/projection';
import { eventTimeMs } from '../events/time';
import type { OutputWriter } from '../output/output-writer';
import type { EventHandler, RawLine } from '../run/handler';
import { cell } from '../events/cells';

export interface CountPlan {
  fields: string[];
  distinct?: string;
  /** Groups and distinct values held at most; past it nothing more is held (see CountGroups.over). */
  maxGroups: number;
  /** On a worker thread: write each batch's groups out, for the main thread to absorb. */
  partial?: boolean;
}

export interface Group {
  values: string[];
  count: number;
  /** Milliseconds, NaN when no event of the group had a readable time. */
  first: number;
  last: number;
  distinct?: Set<string>;
}

/** A group as a thread sends it: [values, count, first, last, distinct values]; NaN as null. */
type SentGroup = [string[], number, number | null, number | null, string[] | null];

export class CountGroups {
  readonly groups = new Map<string, Group>();
  /** Groups and distinct values held. */
  private held = 0;
  /** Set once past maxGroups: nothing more is held, and the run ends in an error. */
  over = false;

  constructor(private readonly maxGroups: number) {}

  add(values: string[], time: number, distinctValue: string | undefined, count = 1): void {
    if (this.over) return;
    const key = values.length === 1 ? values[0] : JSON.stringify(values);
    let group = this.groups.get(key);
    if (!group) {
      if (++this.held > this.maxGroups) return void (this.over = true);
      group = { values, count: 0, first: time, last: time, distinct: distinctValue === undefined ? undefined : new Set() };
      this.groups.set(key, group);
    }
    group.count += count;
    if (time < group.first || Number.isNaN(group.first)) group.first = time;
    if (time > group.last || Number.isNaN(group.last)) group.last = time;
    if (distinctValue !== undefined && distinctValue !== '' && group.distinct && !group.distinct.has(distinctValue)) {
      if (++this.held > this.maxGroups) return void (this.over = true);
      group.distinct.add(distinctValue);
    }
  }

  /** The groups as JSON, for the main thread; then none are held. */
  take(): string {
    const sent: SentGroup[] = [...this.groups.values()].map((g) => [
      g.values, g.count, nullable(g.first), nullable(g.last), g.distinct ? [...g.distinct] : null,
    ]);
    this.groups.clear();
    this.held = 0;
    return JSON.stringify(sent);
  }

  /** Adds in the groups a thread sent (see take). */
  absorb(json: string): void {
    for (const [values, count, first, last, distinct] of JSON.parse(json) as SentGroup[]) {
      const firstMs = first ?? NaN;
      this.add(values, firstMs, distinct ? '' : undefined, count);
      if (last !== null) this.add(values, last, undefined, 0);
      for (const value of distinct ?? []) this.add(values, firstMs, value, 0);
    }
  }
}

const nullable = (ms: number): number | null => (Number.isNaN(ms) ? null : ms);

// A thread's batch holds no more groups than it has events: the limit is the main thread's to keep.
export function countHandler(plan: CountPlan, out: OutputWriter, groups = new CountGroups(plan.partial ? Infinity : plan.maxGroups)): EventHandler & { groups: CountGroups } {
  const fields = plan.fields.map((text) => parsePath(text, 'FIELDS'));
  const distinct = plan.distinct === undefined ? undefined : parsePath(plan.distinct, '--distinct');
  const eventTime = parsePath('eventTime', 'eventTime');
  const itemTime = parsePath('EventTime', 'EventTime');
  // The record's fields from the bytes, where every field is one of the record's (see Projection).
  const bytes = Projection.for([...fields, ...(distinct ? [distinct] : []), eventTime]);
  return {
    groups,
    lineArena: bytes,
    beginLines: bytes && ((buf: Buffer, utf8: boolean) => bytes.beginLines(buf, utf8)),
    line: bytes && ((raw: RawLine) => {
      if (groups.over) return true;
      const found = bytes.read(raw);
      if (!found) return false;
      const time = eventTimeMs(found.resolve(eventTime)) ?? NaN;
      groups.add(fields.map((f) => String(cell(found.resolve(f)))), time, distinct ? String(cell(found.resolve(distinct))) : undefined);
      return true;
    }),
    event(event: unknown) {
      if (groups.over) return;
      const view = new EventView(event);
      const values = fields.map((f) => String(cell(view.resolve(f))));
      // The record's eventTime, as read from the bytes; an item's EventTime only when its record has none.
      const time = eventTimeMs(view.resolve(eventTime)) ?? (view.isLookupItem ? eventTimeMs(view.resolve(itemTime)) : undefined) ?? NaN;
      groups.add(values, time, distinct ? String(cell(view.resolve(distinct))) : undefined);
    },
    endBatch() {
      if (plan.partial && groups.groups.size > 0) out.writeLine(groups.take());
    },
    absorb(output: Buffer) {
      for (const line of output.toString('utf8').split('\n')) if (line !== '') groups.absorb(line);
    },
  };
}
