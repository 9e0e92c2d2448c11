// What ct-count does with each event: one group per distinct combination of the fields, with its
// count, first and last seen and (with --distinct) the set of another field's values. Built on
// the main thread and on worker threads alike: a thread sends each batch's groups to the main
// thread as JSON (its output), where absorb() adds them in; counts, times and sets merge in any order.
import { EventView } from '../events/event-view';
import { parsePath, type FieldPath } from '../events/field-path';
import { CONSOLE_URL, userOfIdentity, VIRTUAL_USER } from '../events/who';
import { RecordFields } from '../fast/record-fields';
import { eventTimeMs } from '../events/time';
import type { OutputWriter } from '../output/output-writer';
import type { EventHandler, RawLine } from '../run/handler';
import { cell } from './csv';

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

const USER_PATHS = [parsePath('userIdentity', 'userIdentity')];

/**
 * Reading the fields from a line's bytes (see RecordFields), when every field is one of the
 * record's (a field of the item itself, such as Username or EventTime, needs the item parsed;
 * so does consoleUrl). The values come in the order asked, then eventTime; `user` is worked out
 * from the record's userIdentity, and a line whose record names no one is parsed instead (its
 * item's Username is the answer then).
 */
function fromBytes(paths: FieldPath[]): { beginLines(buf: Buffer): void; read(raw: RawLine): { values: unknown[] } | undefined } | undefined {
  if (paths.some((p) => p.steps[0].kind !== 'key' || /^[A-Z]/.test(p.steps[0].name) || p.text === CONSOLE_URL)) return undefined;
  const time = parsePath('eventTime', 'eventTime');
  const users = paths.map((p, i) => (p.text === VIRTUAL_USER ? i : -1)).filter((i) => i >= 0);
  const reader = new RecordFields([...paths, time, ...(users.length ? USER_PATHS : [])]);
  return {
    beginLines: (buf) => reader.beginLines(buf),
    read(raw) {
      const values = reader.read(raw);
      if (!values) return undefined;
      for (const i of users) {
        if (values[i] !== undefined) continue;
        const user = userOfIdentity(values[values.length - 1]);
        if (user === undefined && reader.fromItem) return undefined;
        values[i] = user;
      }
      if (users.length) values.pop();
      return { values };
    },
  };
}

// A thread's batch holds no more groups than it has events: the limit is the main thread's to keep.
export function countHandler(plan: CountPlan, out: OutputWriter, groups = new CountGroups(plan.partial ? Infinity : plan.maxGroups)): EventHandler & { groups: CountGroups } {
  const fields = plan.fields.map((text) => parsePath(text, 'FIELDS'));
  const distinct = plan.distinct === undefined ? undefined : parsePath(plan.distinct, '--distinct');
  const eventTime = parsePath('eventTime', 'eventTime');
  const itemTime = parsePath('EventTime', 'EventTime');
  const bytes = fromBytes([...fields, ...(distinct ? [distinct] : [])]);
  const n = fields.length;
  return {
    groups,
    beginLines: bytes && ((buf: Buffer) => bytes.beginLines(buf)),
    line: bytes && ((raw: RawLine) => {
      if (groups.over) return true;
      const found = bytes.read(raw);
      if (!found) return false;
      const values = found.values;
      const time = eventTimeMs(values[values.length - 1]) ?? NaN;
      groups.add(values.slice(0, n).map((v) => String(cell(v))), time, distinct ? String(cell(values[n])) : undefined);
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
