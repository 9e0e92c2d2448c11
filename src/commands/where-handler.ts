// What ct-where does with each event; built on the main thread and on worker threads alike.
import { EventView } from '../events/event-view';
import { compileWhere } from '../expr/where-program';
import { Projection } from '../fast/projection';
import type { OutputWriter } from '../output/output-writer';
import { writeLine, type EventHandler, type RawLine } from '../run/handler';

/** What a thread needs to filter as ct-where does; `now` is fixed once, for relative times. */
export interface WherePlan {
  terms: string[];
  now: number;
  invert: boolean;
  count: boolean;
}

export function whereHandler(
  plan: WherePlan,
  out: OutputWriter,
  program = compileWhere(plan.terms, { now: plan.now }),
): EventHandler & { matched: number } {
  // Where every field the expression names is one of the record's, lines are read from their bytes.
  const bytes = Projection.for(program.paths);
  return {
    matched: 0,
    lineFilter: plan.invert ? undefined : program.lineFilter,
    lineArena: bytes,
    beginLines: bytes && ((buf: Buffer, utf8: boolean) => bytes.beginLines(buf, utf8)),
    line: bytes && function (this: { matched: number }, raw: RawLine): boolean {
      const found = bytes.read(raw);
      if (!found) return false;
      if (program.matches(found) === plan.invert) return true;
      this.matched++;
      if (!plan.count) writeLine(out, raw);
      return true;
    },
    event(event: unknown, raw: RawLine | null) {
      if (program.matches(new EventView(event)) === plan.invert) return;
      this.matched++;
      if (plan.count) return;
      if (raw) writeLine(out, raw);
      else out.writeLine(JSON.stringify(event));
    },
  };
}
