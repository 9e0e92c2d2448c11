// Text for a person at a terminal: display widths (East Asian wide characters take two columns),
// cutting a line to the terminal's width, ANSI colour, and JSON pretty-printed with jq's colours.
// Event data is untrusted: every control character (C0, DEL, C1) and every bidirectional control
// is written as an escape, so no value can move the cursor, retitle the window or reorder a line.

/** Control characters and bidirectional controls (U+061C, U+200E-F, U+202A-E, U+2066-9). */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** One line of text a terminal shows as it is: unsafe characters as \n, \t, \xHH or \u{HHHH}. */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\t') return '\\t';
    if (c === '\r') return '\\r';
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
}

/** Columns a code point takes: 2 for East Asian wide and full-width characters and emoji, 0 for combining marks, else 1. */
function columnsOf(c: number): number {
  // Combining marks and zero-width characters take none.
  if ((c >= 0x300 && c <= 0x36f) || (c >= 0x1ab0 && c <= 0x1aff) || (c >= 0x1dc0 && c <= 0x1dff) || (c >= 0x20d0 && c <= 0x20ff) ||
    (c >= 0xfe20 && c <= 0xfe2f) || (c >= 0x200b && c <= 0x200d) || (c >= 0xfe00 && c <= 0xfe0f)) return 0;
  return (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) ||
    (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x1f300 && c <= 0x1faff) ||
    (c >= 0x20000 && c <= 0x3fffd)
    ? 2
    : 1;
}

/** The columns `text` takes on a terminal (text without escape sequences). */
export function displayWidth(text: string): number {
  let n = 0;
  // ASCII-only text (most cells) without the per-character loop.
  if (!/[^\x00-\x7f]/.test(text)) return text.length;
  for (const ch of text) n += columnsOf(ch.codePointAt(0)!);
  return n;
}

/** `text` padded with spaces to `width` columns. */
export function padTo(text: string, width: number): string {
  const w = displayWidth(text);
  return w >= width ? text : text + ' '.repeat(width - w);
}

/** `text` (no escape sequences) cut to at most `width` columns, ending in … when cut. */
export function cutTo(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  let out = '';
  let used = 0;
  for (const ch of text) {
    const w = columnsOf(ch.codePointAt(0)!);
    if (used + w > width - 1) break;
    out += ch;
    used += w;
  }
  return `${out}…`;
}

/** SGR codes used here, as jq 1.7 colours JSON by default. */
export const STYLE = {
  red: '31',
  boldRed: '1;31',
  dim: '2',
  bold: '1',
  key: '34;1',
  string: '0;32',
  plain: '0;39',
  null: '1;30',
  brackets: '1;39',
} as const;

/** Writes text in one style, or as it is when colour is off. */
export type Painter = (style: string, text: string) => string;

export const paint: Painter = (style, text) => (text === '' ? '' : `\u001b[${style}m${text}\u001b[0m`);
export const noPaint: Painter = (_style, text) => text;

/** A JSON string literal a terminal shows safely: JSON's escapes, and \u escapes for DEL, C1 and bidi controls. */
function jsonString(text: string): string {
  return JSON.stringify(text).replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `value` as indented JSON (two spaces, as jq), coloured by `p`. Valid JSON whatever the colour. */
export function prettyJson(value: unknown, p: Painter, indent = ''): string {
  if (value === null || value === undefined) return p(STYLE.null, 'null');
  if (typeof value === 'string') return p(STYLE.string, jsonString(value));
  if (typeof value !== 'object') return p(STYLE.plain, JSON.stringify(value) ?? 'null');
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return p(STYLE.brackets, '[]');
    const items = value.map((v) => inner + prettyJson(v, p, inner));
    return `${p(STYLE.brackets, '[')}\n${items.join(`${p(STYLE.brackets, ',')}\n`)}\n${indent}${p(STYLE.brackets, ']')}`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return p(STYLE.brackets, '{}');
  const members = entries.map(([k, v]) => `${inner}${p(STYLE.key, jsonString(k))}${p(STYLE.brackets, ':')} ${prettyJson(v, p, inner)}`);
  return `${p(STYLE.brackets, '{')}\n${members.join(`${p(STYLE.brackets, ',')}\n`)}\n${indent}${p(STYLE.brackets, '}')}`;
}
