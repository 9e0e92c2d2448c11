// What ct-where does with each event; built on the main thread and on worker threads alike.
import { EventView } from '../events/event-view';
import { compileWhere } from '../expr/where-program';
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
  return {
    matched: 0,
    lineFilter: plan.invert ? undefined : program.lineFilter,
    event(event: unknown, raw: RawLine | null) {
      if (program.matches(new EventView(event)) === plan.invert) return;
      this.matched++;
      if (plan.count) return;
      if (raw) writeLine(out, raw);
      else out.writeLine(JSON.stringify(event));
    },
  };
}
