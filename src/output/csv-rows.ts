// CSV rows written straight into bytes, for the cells that csv-stringify, with ct-csv's options,
// would write as they are: a name, a time, an address, an absent value. A row holding any other
// cell (one to quote for a quote or a line break, one that may start a formula, an object) is
// left to csv-stringify: the caller drops what was written of it (dropRow) and hands the row's
// values over instead. Either way the bytes are the same (test/unit/csv-rows.test.ts).
import { mayStartFormula } from './csv-cells';

export interface CsvFormat {
  delimiter: ',' | '\t';
  recordDelimiter: '\n' | '\r\n';
  /** Cells that may start a formula get a ' (see neutraliseFormulas): those rows are csv-stringify's. */
  escapeFormulas: boolean;
}

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;
/** The first byte of U+F000-U+FFFF in UTF-8, the full-width = + - @ among them: such a cell is csv-stringify's. */
const FULL_WIDTH_LEAD = 0xef;
/** Bytes copied one at a time below this length; Buffer.copy's call costs more for short cells. */
const SHORT_CELL = 32;
const FIRST_BUFFER = 64 * 1024;

export class CsvRowWriter {
  private buf = Buffer.allocUnsafe(FIRST_BUFFER);
  private at = 0;
  private rowStart = 0;
  private cells = 0;
  private readonly delimiter: number;
  private readonly escapeFormulas: boolean;
  private readonly crlf: boolean;

  constructor(format: CsvFormat) {
    this.delimiter = format.delimiter.charCodeAt(0);
    this.escapeFormulas = format.escapeFormulas;
    this.crlf = format.recordDelimiter === '\r\n';
  }

  startRow(): void {
    this.rowStart = this.at;
    this.cells = 0;
  }

  /**
   * A cell from the UTF-8 text of a JSON string that holds no escape (so no quote, no control
   * character, no line break); false when the row is csv-stringify's (a possible formula).
   */
  bytesCell(src: Buffer, start: number, end: number): boolean {
    if (this.escapeFormulas && end > start && (src[start] === FULL_WIDTH_LEAD || mayStartFormula(src[start]))) return false;
    let quoted = false;
    for (let k = start; k < end; k++) {
      if (src[k] === this.delimiter) {
        quoted = true;
        break;
      }
    }
    const buf = this.room(end - start + 3);
    let at = this.separate();
    if (quoted) buf[at++] = QUOTE;
    if (end - start < SHORT_CELL) for (let k = start; k < end; k++) buf[at++] = src[k];
    else at += src.copy(buf, at, start, end);
    if (quoted) buf[at++] = QUOTE;
    this.at = at;
    return true;
  }

  /** A cell from a value (absent, null, a boolean, a number, a string); false when the row is csv-stringify's. */
  valueCell(value: unknown): boolean {
    if (value === undefined || value === null) {
      this.room(1);
      this.at = this.separate();
      return true;
    }
    if (typeof value === 'string') return this.textCell(value);
    // As csv-stringify casts them: String(b) (our cast), '' + n (its own; a number is no formula).
    if (typeof value === 'boolean' || typeof value === 'number') return this.plainText(String(value));
    return false;
  }

  endRow(): void {
    const buf = this.room(2);
    if (this.crlf) buf[this.at++] = CR;
    buf[this.at++] = LF;
  }

  /** Takes back what was written of the row since startRow. */
  dropRow(): void {
    this.at = this.rowStart;
  }

  /** Appends text as it is: rows csv-stringify wrote. */
  text(text: string): void {
    this.room(Buffer.byteLength(text));
    this.at += this.buf.write(text, this.at, 'utf8');
  }

  /** The rows written since the last take, or undefined when there are none; the bytes are the caller's. */
  take(): Buffer | undefined {
    if (this.at === 0) return undefined;
    const rows = this.buf.subarray(0, this.at);
    this.buf = Buffer.allocUnsafe(Math.max(FIRST_BUFFER, this.buf.length));
    this.at = 0;
    return rows;
  }

  private textCell(text: string): boolean {
    if (text.length === 0) return this.plainText(text);
    if (this.escapeFormulas && mayStartFormula(text.charCodeAt(0))) return false;
    let quoted = false;
    let ascii = true;
    for (let k = 0; k < text.length; k++) {
      const c = text.charCodeAt(k);
      if (c === QUOTE || c === CR || c === LF) return false;
      if (c === this.delimiter) quoted = true;
      else if (c > 0x7f) ascii = false;
    }
    if (!quoted && ascii) return this.plainText(text);
    const buf = this.room(3 * text.length + 3);
    let at = this.separate();
    if (quoted) buf[at++] = QUOTE;
    at += buf.write(text, at, 'utf8');
    if (quoted) buf[at++] = QUOTE;
    this.at = at;
    return true;
  }

  /** ASCII text with nothing to quote. */
  private plainText(text: string): boolean {
    const buf = this.room(text.length + 1);
    let at = this.separate();
    for (let k = 0; k < text.length; k++) buf[at++] = text.charCodeAt(k);
    this.at = at;
    return true;
  }

  /** Writes the delimiter before every cell but a row's first; returns where the cell goes. */
  private separate(): number {
    if (this.cells++ > 0) this.buf[this.at++] = this.delimiter;
    return this.at;
  }

  /** The buffer, with room for `bytes` more (and a delimiter). */
  private room(bytes: number): Buffer {
    if (this.at + bytes + 1 > this.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(2 * this.buf.length, this.at + bytes + 1));
      this.buf.copy(bigger, 0, 0, this.at);
      this.buf = bigger;
    }
    return this.buf;
  }
}
