// What ct-csv does with each event, built on the main thread and on worker threads alike: the
// row of its columns, and each batch's rows as CSV text at the batch's end. Where every column
// is one of the record's fields, lines are read from their bytes (see fast/projection.ts).
import { stringify, type Options } from 'csv-stringify/sync';
import { CtError } from '../common/errors';
import { cell, isTimeField, zoneRenderer } from '../events/cells';
import { EventView } from '../events/event-view';
import { parsePath } from '../events/field-path';
import { compileWhere } from '../expr/where-program';
import { Projection } from '../fast/projection';
import { neutraliseFormulas, QUOTE_CELLS_MATCHING } from '../output/csv-cells';
import type { OutputWriter } from '../output/output-writer';
import type { EventHandler, RawLine } from '../run/handler';

export interface CsvPlan {
  /** The columns, as given (also the header). */
  fields: string[];
  header: boolean;
  tsv: boolean;
  excel: boolean;
  escapeFormulas: boolean;
  tz?: string;
  /** Only events matching these ct-where terms (--start-time, --region...), with the clock for relative times. */
  where?: { terms: string[]; now: number };
}

export function csvHandler(plan: CsvPlan, out: OutputWriter): EventHandler {
  const columns = plan.fields.map((text) => parsePath(text, '--fields'));
  const renderTime = plan.tz ? zoneRenderer(plan.tz) : undefined;
  const inZone = columns.map((p) => (renderTime && isTimeField(p) ? renderTime : undefined));
  const options: Options = {
    delimiter: plan.tsv ? '\t' : ',',
    record_delimiter: plan.excel ? 'windows' : 'unix',
    quoted_match: QUOTE_CELLS_MATCHING,
    cast: {
      boolean: (b: boolean) => String(b),
      string: (text: string) => (plan.escapeFormulas ? neutraliseFormulas(text) : text),
    },
  };
  let rows: unknown[][] = plan.header ? [plan.fields] : [];
  const row = (fields: Pick<EventView, 'resolve'>): unknown[] =>
    columns.map((path, i) => {
      const value = fields.resolve(path);
      const render = inZone[i];
      return cell(render ? render(value) : value);
    });
  const filter = plan.where?.terms.length ? compileWhere(plan.where.terms, { now: plan.where.now }) : undefined;
  const bytes = Projection.for([...columns, ...(filter?.paths ?? [])]);
  return {
    beginLines: bytes && ((buf: Buffer, utf8: boolean) => bytes.beginLines(buf, utf8)),
    line: bytes && ((raw: RawLine) => {
      const found = bytes.read(raw);
      if (!found) return false;
      if (filter && !filter.matches(found)) return true;
      try {
        rows.push(row(found));
      } catch (err) {
        // A time no calendar holds: the parser's path reports it with the line's place.
        if (err instanceof CtError) return false;
        throw err;
      }
      return true;
    }),
    event(event: unknown) {
      const view = new EventView(event);
      if (filter && !filter.matches(view)) return;
      rows.push(row(view));
    },
    endBatch() {
      if (rows.length) out.write(stringify(rows, options));
      rows = [];
    },
  };
}
