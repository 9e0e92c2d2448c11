// The events ct-serve answers from: per Region, newest first, each as a LookupEvents item.
// Records become items the way CloudTrail's event history shows them.
import { ownValue } from '../events/field-path';
import { parseRecord } from '../events/event-view';
import { eventTimeMs } from '../events/time';
import { CtError } from '../common/errors';
import { itemResources } from './item-resources';
import { GLOBAL_REGION, recordedGlobally } from '../catalog/global-services';

export interface StoredEvent {
  item: Record<string, unknown>;
  timeMs: number;
  insight: boolean;
  /** Input order, so events with the same time keep a stable order. */
  seq: number;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The Username event history shows: the IAM user, `root`, or the role session name. */
function lookupUsername(record: Record<string, unknown>): string | undefined {
  const identity = ownValue(record, 'userIdentity');
  const type = str(ownValue(identity, 'type'));
  if (type === 'Root') return 'root';
  const name = str(ownValue(identity, 'userName'));
  if (name) return name;
  const principal = str(ownValue(identity, 'principalId'));
  return type === 'AssumedRole' && principal?.includes(':') ? principal.slice(principal.indexOf(':') + 1) : undefined;
}

/** Insight events keep the name and source of the API they are about in insightDetails. */
function isInsight(record: Record<string, unknown>): boolean {
  return ownValue(record, 'eventCategory') === 'Insight' || ownValue(record, 'eventType') === 'AwsCloudTrailInsight';
}

/**
 * Why event history does not show a record, or undefined when it does. It shows management events
 * and Insights events; not data events ("does not show data events", the user guide's
 * view-cloudtrail-events-console) nor network activity events. Records from before
 * managementEvent existed (eventVersion < 1.06) mark S3 object-level calls by their resources.
 */
export function notInEventHistory(record: Record<string, unknown>): string | undefined {
  const category = ownValue(record, 'eventCategory');
  if (category === 'Data') return 'data events';
  if (category === 'NetworkActivity') return 'network activity events';
  const management = ownValue(record, 'managementEvent');
  if (management === false) return 'data events';
  if (management === undefined && category === undefined && ownValue(record, 'eventSource') === 's3.amazonaws.com') {
    const resources = ownValue(record, 'resources');
    if (Array.isArray(resources) && resources.some((r) => ownValue(r, 'type') === 'AWS::S3::Object')) return 'data events';
  }
  return undefined;
}

export function toLookupItem(record: Record<string, unknown>): Record<string, unknown> {
  const item: Record<string, unknown> = {};
  const set = (key: string, value: unknown): void => {
    if (value !== undefined && value !== null) item[key] = value;
  };
  const about = isInsight(record) ? ownValue(record, 'insightDetails') : undefined;
  set('EventId', ownValue(record, 'eventID'));
  set('EventName', ownValue(record, 'eventName') ?? ownValue(about, 'eventName'));
  const readOnly = ownValue(record, 'readOnly');
  if (typeof readOnly === 'boolean' || typeof readOnly === 'string') item.ReadOnly = String(readOnly);
  set('AccessKeyId', ownValue(ownValue(record, 'userIdentity'), 'accessKeyId'));
  set('EventTime', ownValue(record, 'eventTime'));
  set('EventSource', ownValue(record, 'eventSource') ?? ownValue(about, 'eventSource'));
  set('Username', lookupUsername(record));
  item.Resources = itemResources(record);
  item.CloudTrailEvent = JSON.stringify(record);
  return item;
}

/** Moves an event by `delta` ms: its time, its item's EventTime, its record's eventTime. */
function shiftEvent(e: StoredEvent, delta: number): void {
  e.timeMs += delta;
  const time = new Date(e.timeMs).toISOString().replace('.000Z', 'Z');
  const record = JSON.parse(e.item.CloudTrailEvent as string) as Record<string, unknown>;
  if (typeof record.eventTime === 'string') record.eventTime = time;
  e.item = { ...e.item, EventTime: time, CloudTrailEvent: JSON.stringify(record) };
}

export class EventStore {
  private readonly byRegion = new Map<string, StoredEvent[]>();
  private seq = 0;
  /** Events read but not served, by why (see notInEventHistory). */
  readonly heldBack = new Map<string, number>();
  /** Events of global services recorded outside us-east-1, by event source (see global-services). */
  readonly strayGlobal = new Map<string, number>();

  constructor(private readonly defaultRegion: string) {}

  /** Adds a LookupEvents item or a record; its Region is the record's awsRegion. */
  add(event: unknown): void {
    const record = parseRecord(event);
    const why = notInEventHistory(record);
    if (why) {
      this.heldBack.set(why, (this.heldBack.get(why) ?? 0) + 1);
      return;
    }
    const item = record === event ? toLookupItem(record) : (event as Record<string, unknown>);
    const timeMs = eventTimeMs(ownValue(item, 'EventTime') ?? ownValue(record, 'eventTime'));
    if (timeMs === undefined) throw new CtError('no-time', 'skipped: the event has no readable EventTime or eventTime');
    const insight = isInsight(record);
    const region = str(ownValue(record, 'awsRegion')) ?? this.defaultRegion;
    const source = str(ownValue(record, 'eventSource'));
    if (region !== GLOBAL_REGION && source && recordedGlobally(source, () => str(ownValue(ownValue(record, 'tlsDetails'), 'clientProvidedHostHeader')))) {
      this.strayGlobal.set(source, (this.strayGlobal.get(source) ?? 0) + 1);
    }
    const list = this.byRegion.get(region) ?? [];
    list.push({ item, timeMs, insight, seq: this.seq++ });
    this.byRegion.set(region, list);
  }

  /**
   * Call once after the last add. With `shift`, every event moves by one whole number of seconds
   * so that the newest lands a minute before `nowMs` (its item's EventTime and its record's
   * eventTime alike); then only events of the `historyDays` before `nowMs` are kept (0: all), as
   * event history keeps 90 days. Sorts each Region newest first.
   */
  seal(clock: { nowMs: number; shift: boolean; historyDays: number } = { nowMs: Date.now(), shift: false, historyDays: 0 }): void {
    const all = [...this.byRegion.values()].flat();
    if (clock.shift && all.length) {
      // A loop, not Math.max(...): a spread of 200,000 arguments overflows the stack.
      const newest = all.reduce((max, e) => (e.timeMs > max ? e.timeMs : max), -Infinity);
      const delta = Math.floor((clock.nowMs - 60_000 - newest) / 1000) * 1000;
      this.shiftedMs = delta;
      for (const e of all) shiftEvent(e, delta);
    }
    const oldest = clock.historyDays > 0 ? clock.nowMs - clock.historyDays * 864e5 : -Infinity;
    for (const [region, list] of this.byRegion) {
      const kept = list.filter((e) => e.timeMs >= oldest && e.timeMs <= clock.nowMs);
      this.outsideHistory += list.length - kept.length;
      kept.sort((a, b) => b.timeMs - a.timeMs || a.seq - b.seq);
      if (kept.length) this.byRegion.set(region, kept);
      else this.byRegion.delete(region);
    }
  }

  /** Events left out by seal(): older than the history it keeps, or after its clock. */
  outsideHistory = 0;
  /** How far seal() moved the events (with shift), in ms. */
  shiftedMs = 0;

  events(region: string): readonly StoredEvent[] {
    return this.byRegion.get(region) ?? [];
  }

  regions(): Map<string, number> {
    return new Map([...this.byRegion].map(([r, l]) => [r, l.length]));
  }
}
