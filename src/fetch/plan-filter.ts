// What ct-fetch --where writes of what its lookups return: events the expression matches (the
// same compiled predicate as ct-where), each once. It keeps the evidence an empty answer needs:
// per lookup, how many events came back and how far each got through the expression's terms.
import { CtError } from '../common/errors';
import { EventView } from '../events/event-view';
import { compile, type CompileOptions, type Predicate } from '../expr/evaluate';
import { formatExpr } from '../expr/format';
import type { Expr } from '../expr/parser';
import { returnedBy, type Lookup } from './plan';
import type { Accept, Item } from './region-fetch';

/** One term of the expression's top-level `and`, compiled. */
interface Term {
  expr: Expr;
  text: string;
  matches: Predicate;
}

export interface Tally {
  /** Events the lookup returned. */
  returned: number;
  /** Of those, already written by an earlier lookup. */
  duplicates: number;
  /** passed[k]: events that matched terms 0..k. */
  passed: number[];
  /** Events whose record could not be read for a term that needed it. */
  unreadable: number;
}

/** The top-level `and` terms, left to right: `a and (b or c) and d` is a, (b or c), d. */
export function termsOf(e: Expr): Expr[] {
  return e.kind === 'and' ? [...termsOf(e.left), ...termsOf(e.right)] : [e];
}

export class PlanFilter {
  readonly terms: Term[];
  readonly tallies: Tally[];

  constructor(
    readonly expr: Expr,
    options: CompileOptions,
    private readonly lookups: readonly Lookup[],
    private readonly note: (message: string) => void,
  ) {
    this.terms = termsOf(expr).map((t) => ({ expr: t, text: formatExpr(t, 'and'), matches: compile(t, options) }));
    this.tallies = lookups.map(() => ({ returned: 0, duplicates: 0, passed: this.terms.map(() => 0), unreadable: 0 }));
  }

  /** The decision for what lookup `index` returns. */
  acceptFor(index: number): Accept {
    const lookup = this.lookups[index];
    const earlier = this.lookups.slice(0, index).filter((l) => l.region === lookup.region && l.insight === lookup.insight);
    const tally = this.tallies[index];
    return (item: Item, eventMs: number | undefined) => {
      tally.returned++;
      if (earlier.some((l) => returnedBy(item, eventMs, l))) {
        tally.duplicates++;
        return false;
      }
      const view = new EventView(item);
      try {
        for (let k = 0; k < this.terms.length; k++) {
          if (!this.terms[k].matches(view)) return false;
          tally.passed[k]++;
        }
        return true;
      } catch (err) {
        if (!(err instanceof CtError)) throw err;
        tally.unreadable++;
        this.note(`event ${String(item.EventId)}: ${err.message}; not written`);
        return false;
      }
    };
  }
}
