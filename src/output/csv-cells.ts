// What makes a CSV cell safe to open in a spreadsheet (OWASP's CSV injection advice, and what
// LibreOffice and Excel do with line breaks): a cell that holds a line break is always quoted,
// or a spreadsheet starts a new row inside it and runs what follows as a cell of its own; and
// every line of a cell that a spreadsheet would read as a formula gets a leading '.

/** A line that starts, after any spaces, with a formula character (ASCII or full-width), or with a tab or CR. */
const FORMULA_LINE = /(^|\r\n|\r|\n)([ ]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|[\t\r])/g;

/** Cells that must be quoted whatever the record delimiter: any CR or LF. */
export const QUOTE_CELLS_MATCHING = /[\r\n]/;

/** First characters that may start a formula line: = + - @ space tab CR and the full-width forms. */
const MAY_START = new Set([0x3d, 0x2b, 0x2d, 0x40, 0x20, 0x09, 0x0d, 0xff1d, 0xff0b, 0xff0d, 0xff20]);

/** Whether a cell starting with this character (a UTF-16 code) might need a ' (see neutraliseFormulas). */
export function mayStartFormula(code: number): boolean {
  return MAY_START.has(code);
}

/** `text` with a ' before every line that a spreadsheet would run as a formula. */
export function neutraliseFormulas(text: string): string {
  // The usual cell (a time, a name, an address) is one line starting with a letter or digit.
  if (!mayStartFormula(text.charCodeAt(0)) && text.indexOf('\n') < 0 && text.indexOf('\r') < 0) return text;
  return text.replace(FORMULA_LINE, (_, lineStart: string, first: string) => `${lineStart}'${first}`);
}
