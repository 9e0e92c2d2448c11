// What ct-explode does with each event; built on the main thread and on worker threads alike.
import { EventView } from '../events/event-view';
import { ownValue } from '../events/field-path';
import { isCloudTrailRecord, ITEM_RECORD_KEY } from '../events/shapes';
import { compileWhere } from '../expr/where-program';
import { LineExploder } from '../fast/line-exploder';
import type { OutputWriter } from '../output/output-writer';
import { writeLine, type EventHandler, type RawLine } from '../run/handler';

export interface ExplodeHandlerOptions {
  'keep-lookup': boolean;
  /** Only events matching these ct-where terms (--start-time, --region...), with the clock for relative times. */
  where?: { terms: string[]; now: number };
}

export function explodeHandler(options: ExplodeHandlerOptions, out: OutputWriter): EventHandler & { passedOver: number } {
  const fromBytes = new LineExploder(out);
  const filter = options.where?.terms.length ? compileWhere(options.where.terms, { now: options.where.now }) : undefined;
  // Lines are written from their bytes unless every event is wanted whole (--keep-lookup) or
  // must be looked at (a filter): then each is parsed.
  const bytes = !options['keep-lookup'] && !filter;
  return {
    // JSON that is not CloudTrail (an AWS Config file in AWSLogs/, a policy): counted, not written.
    passedOver: 0,
    // With --keep-lookup every event is parsed: its other fields are wanted.
    beginLines: bytes ? (buf, utf8) => fromBytes.beginLines(buf, utf8) : undefined,
    lineArena: bytes ? fromBytes : undefined,
    line: bytes ? (raw) => fromBytes.line(raw) : undefined,
    recordLines: bytes ? (buf) => fromBytes.recordLines(buf) : undefined,
    endBatch: () => fromBytes.flush(true),
    event(event: unknown, raw: RawLine | null) {
      fromBytes.flush(false);
      const view = new EventView(event);
      if (!view.isLookupItem) {
        if (!isCloudTrailRecord(event as object)) {
          this.passedOver++;
          return;
        }
        if (filter && !filter.matches(view)) return;
        if (raw) writeLine(out, raw);
        else out.writeLine(JSON.stringify(event));
        return;
      }
      if (filter && !filter.matches(view)) return;
      if (options['keep-lookup']) {
        out.writeLine(JSON.stringify({ ...view.record(), ...lookupOnly(event) }));
        return;
      }
      const text = ownValue(event, ITEM_RECORD_KEY);
      // The usual case: a compact record, written as it is once checked (not parsed).
      if (typeof text === 'string' && fromBytes.isJsonObjectText(text)) {
        out.writeLine(text);
        return;
      }
      const record = view.record(); // throws, naming the problem, if the record is bad
      const oneLine = typeof text === 'string' && text.indexOf('\n') < 0 && text.indexOf('\r') < 0;
      out.writeLine(oneLine ? text : JSON.stringify(record));
    },
  };
}

function lookupOnly(event: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of ['Username', 'Resources']) {
    const v = ownValue(event, key);
    if (v !== undefined) out[key] = v;
  }
  return out;
}
