// One event as read: a LookupEvents item (with its record in the `CloudTrailEvent` string) or a
// plain CloudTrail record. Fields not on the item are looked up in the record, which is parsed
// at most once per event and only when a field needs it.
import { CtError } from '../common/errors';
import { ownValue, resolveSteps, type FieldPath } from './field-path';
import { ITEM_ID_KEY, ITEM_RECORD_KEY } from './shapes';
import { bestUserName, consoleUrl, CONSOLE_URL, VIRTUAL_USER } from './who';

const NOT_PARSED = Symbol('not parsed');

export class EventView {
  private parsedRecord: unknown = NOT_PARSED;

  constructor(readonly event: unknown) {}

  /** A LookupEvents item carries its record in CloudTrailEvent (a string, or an object in some CLI output). */
  get isLookupItem(): boolean {
    return ownValue(this.event, ITEM_RECORD_KEY) !== undefined || ownValue(this.event, ITEM_ID_KEY) !== undefined;
  }

  /** The CloudTrail record: parsed from CloudTrailEvent, or the event itself. Throws CtError if malformed. */
  record(): Record<string, unknown> {
    if (this.parsedRecord === NOT_PARSED) this.parsedRecord = parseRecord(this.event);
    return this.parsedRecord as Record<string, unknown>;
  }

  resolve(path: FieldPath): unknown {
    const steps = path.steps;
    const first = steps[0];
    let value: unknown;
    if (first.kind === 'key' && this.isLookupItem && ownValue(this.event, first.name) === undefined) {
      value = resolveSteps(this.record(), steps);
    } else {
      value = resolveSteps(this.event, steps);
    }
    if (value === undefined && steps.length === 1 && first.kind === 'key') {
      if (first.name === VIRTUAL_USER) return bestUserName(this.event, () => this.record());
      if (first.name === CONSOLE_URL) return consoleUrl(this.event, () => this.record());
    }
    return value;
  }
}

export function parseRecord(event: unknown): Record<string, unknown> {
  const inner = ownValue(event, ITEM_RECORD_KEY);
  if (inner === undefined) {
    if (ownValue(event, ITEM_ID_KEY) !== undefined) {
      throw new CtError('no-record', 'LookupEvents item has no CloudTrailEvent');
    }
    return event as Record<string, unknown>;
  }
  if (typeof inner === 'object' && inner !== null && !Array.isArray(inner)) return inner as Record<string, unknown>;
  if (typeof inner !== 'string') throw new CtError('bad-record', 'CloudTrailEvent is not a string');
  let parsed: unknown;
  try {
    parsed = JSON.parse(inner);
  } catch (err) {
    throw new CtError('bad-record', `CloudTrailEvent is not valid JSON: ${(err as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new CtError('bad-record', 'CloudTrailEvent is not a JSON object');
  }
  return parsed as Record<string, unknown>;
}
