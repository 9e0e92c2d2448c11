// What ct-csv does with each event, built on the main thread and on worker threads alike: the
// row of its columns, and each batch's rows as CSV at the batch's end. Where every column is one
// of the record's fields, lines are read from their bytes (see fast/projection.ts), and a row
// whose every cell is plain (a name, a time, an address) is written as bytes, its strings copied
// from the line (output/csv-rows.ts); every other row goes through csv-stringify, in order.
import { stringify, type Options } from 'csv-stringify/sync';
import { CtError } from '../common/errors';
import { cell, isTimeField, zoneRenderer } from '../events/cells';
import { EventView } from '../events/event-view';
import { parsePath } from '../events/field-path';
import { compileWhere } from '../expr/where-program';
import { Projection, STRING_BYTES } from '../fast/projection';
import { neutraliseFormulas, QUOTE_CELLS_MATCHING } from '../output/csv-cells';
import { CsvRowWriter } from '../output/csv-rows';
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

/** csv-stringify's options for the plan's format: what every row not written as bytes goes through. */
export function stringifyOptions(plan: Pick<CsvPlan, 'tsv' | 'excel' | 'escapeFormulas'>): Options {
  return {
    delimiter: plan.tsv ? '\t' : ',',
    record_delimiter: plan.excel ? 'windows' : 'unix',
    quoted_match: QUOTE_CELLS_MATCHING,
    cast: {
      boolean: (b: boolean) => String(b),
      string: (text: string) => (plan.escapeFormulas ? neutraliseFormulas(text) : text),
    },
  };
}

export function csvHandler(plan: CsvPlan, out: OutputWriter): EventHandler {
  const columns = plan.fields.map((text) => parsePath(text, '--fields'));
  const renderTime = plan.tz ? zoneRenderer(plan.tz) : undefined;
  const inZone = columns.map((p) => (renderTime && isTimeField(p) ? renderTime : undefined));
  const options = stringifyOptions(plan);
  // Rows csv-stringify is to write, after those already in `written`.
  let rows: unknown[][] = plan.header ? [plan.fields] : [];
  const row = (fields: Pick<EventView, 'resolve'>): unknown[] =>
    columns.map((path, i) => {
      const value = fields.resolve(path);
      const render = inZone[i];
      return cell(render ? render(value) : value);
    });
  const filter = plan.where?.terms.length ? compileWhere(plan.where.terms, { now: plan.where.now }) : undefined;
  // A column's string is copied from the line's bytes, unless its time is shown in a zone.
  const bytes = Projection.for(
    [...(filter?.paths ?? []), ...columns.filter((_, i) => inZone[i])],
    columns.filter((_, i) => !inZone[i]),
  );
  const at = bytes ? columns.map((path) => bytes.indexOf(path)) : [];
  const written = new CsvRowWriter({ delimiter: plan.tsv ? '\t' : ',', recordDelimiter: plan.excel ? '\r\n' : '\n', escapeFormulas: plan.escapeFormulas });
  const writeRows = (): void => {
    if (rows.length) written.text(stringify(rows, options));
    rows = [];
  };
  /** The line's row, written as bytes when every cell can be (see CsvRowWriter); false leaves it to csv-stringify. */
  const rowAsBytes = (found: Projection): boolean => {
    if (rows.length) writeRows();
    written.startRow();
    for (let i = 0; i < at.length; i++) {
      const value = found.rawAt(at[i]);
      const render = inZone[i];
      const done =
        value === STRING_BYTES
          ? written.bytesCell(found.source, found.textStart(at[i]), found.textEnd(at[i]))
          : written.valueCell(render ? render(value) : value);
      if (!done) {
        written.dropRow();
        return false;
      }
    }
    written.endRow();
    return true;
  };
  return {
    lineArena: bytes,
    beginLines: bytes && ((buf: Buffer, utf8: boolean) => bytes.beginLines(buf, utf8)),
    line: bytes && ((raw: RawLine) => {
      const found = bytes.read(raw);
      if (!found) return false;
      if (filter && !filter.matches(found)) return true;
      try {
        if (!rowAsBytes(bytes)) rows.push(row(found));
      } catch (err) {
        // A time no calendar holds: the parser's path reports it with the line's place.
        if (err instanceof CtError) {
          written.dropRow();
          return false;
        }
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
      writeRows();
      const text = written.take();
      if (text) out.write(text);
    },
  };
}
