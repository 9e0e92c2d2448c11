// The events ct-serve answers from: per Region, newest first, each as a LookupEvents item.
// Records become items the way CloudTrail's event history shows them.
import { ownValue } from '../events/field-path';
import { parseRecord } from '../events/event-view';
import { eventTimeMs } from '../events/time';
import { CtError } from '../common/errors';

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

export function toLookupItem(record: Record<string, unknown>): Record<string, unknown> {
  const item: Record<string, unknown> = {};
  const set = (key: string, value: unknown): void => {
    if (value !== undefined && value !== null) item[key] = value;
  };
  set('EventId', ownValue(record, 'eventID'));
  set('EventName', ownValue(record, 'eventName'));
  const readOnly = ownValue(record, 'readOnly');
  if (typeof readOnly === 'boolean' || typeof readOnly === 'string') item.ReadOnly = String(readOnly);
  set('AccessKeyId', ownValue(ownValue(record, 'userIdentity'), 'accessKeyId'));
  set('EventTime', ownValue(record, 'eventTime'));
  set('EventSource', ownValue(record, 'eventSource'));
  set('Username', lookupUsername(record));
  const resources = ownValue(record, 'resources');
  item.Resources = Array.isArray(resources)
    ? resources.map((r) => ({ ResourceType: ownValue(r, 'type') ?? null, ResourceName: ownValue(r, 'ARN') ?? null }))
    : [];
  item.CloudTrailEvent = JSON.stringify(record);
  return item;
}

export class EventStore {
  private readonly byRegion = new Map<string, StoredEvent[]>();
  private seq = 0;

  constructor(private readonly defaultRegion: string) {}

  /** Adds a LookupEvents item or a record; its Region is the record's awsRegion. */
  add(event: unknown): void {
    const record = parseRecord(event);
    const item = record === event ? toLookupItem(record) : (event as Record<string, unknown>);
    const timeMs = eventTimeMs(ownValue(item, 'EventTime') ?? ownValue(record, 'eventTime'));
    if (timeMs === undefined) throw new CtError('no-time', 'skipped: the event has no readable EventTime or eventTime');
    const insight = ownValue(record, 'eventCategory') === 'Insight' || ownValue(record, 'eventType') === 'AwsCloudTrailInsight';
    const region = str(ownValue(record, 'awsRegion')) ?? this.defaultRegion;
    const list = this.byRegion.get(region) ?? [];
    list.push({ item, timeMs, insight, seq: this.seq++ });
    this.byRegion.set(region, list);
  }

  /** Call once after the last add: newest first. */
  seal(): void {
    for (const list of this.byRegion.values()) list.sort((a, b) => b.timeMs - a.timeMs || a.seq - b.seq);
  }

  events(region: string): readonly StoredEvent[] {
    return this.byRegion.get(region) ?? [];
  }

  regions(): Map<string, number> {
    return new Map([...this.byRegion].map(([r, l]) => [r, l.length]));
  }
}
