// Turns a batch into handler calls, with no I/O: the bytes of NDJSON lines (the fast path's
// skips, one JSON.parse per line that needs it, lines that hold several events) or the values
// of a document. Problems go to the caller with the label of a document value, or none for a
// line: the caller reads the line number (lineNumber) and names the place.
import { CtError, messageOf } from '../common/errors';
import { isUtf8 } from 'node:buffer';
import { containedValues, NOT_AN_OBJECT } from '../events/shapes';
import { firstInvalidUtf8, hasLoneSurrogate } from '../events/text-checks';
import type { EventHandler, RawLine } from './handler';

export type ProblemSink = (message: string, label?: string) => void;

/** After a batch where the fast path let through over 3/4 of the lines, read this much without it. */
const UNFILTERED_SPAN = 8 * 1024 * 1024;

export class LineScanner {
  /**
   * NDJSON lines seen, those the fast path let through, and those of them parsed (JSON.parse;
   * the rest the handler read from their bytes): are threads worth it? (see EventLoop.run)
   */
  linesSeen = 0;
  linesPassed = 0;
  linesParsed = 0;
  /** Lines of the batch being scanned that were parsed. */
  private parsedInBatch = 0;
  /** The number of the line being looked at; every line is visited once, by the scan or the skip check. */
  private lineNo = 0;
  /** Bytes left to read without the fast path (see scanLines). */
  private unfilteredBytes = 0;
  private readonly raw: RawLine = { buf: Buffer.alloc(0), start: 0, end: 0 };
  /** The batch being scanned is valid UTF-8 throughout (checked once; lines only when not). */
  private batchIsUtf8 = true;
  /** Where the batch's next `\\u` is (-2: not looked for yet; -1: none left). */
  private nextEscape = -2;

  constructor(
    private readonly handler: EventHandler,
    private readonly problem: ProblemSink,
  ) {}

  /** The number of the line being looked at: its place in its source (see scanLines' `numbers`). */
  get lineNumber(): number {
    return (this.numbers && this.numbers[this.lineNo - 1]) ?? this.lineNo;
  }
  /** The lines' numbers in the batch being scanned, when they are not 1, 2, 3... */
  private numbers: Int32Array | undefined;

  /**
   * Handles the whole lines in `buf`; `first` starts a source's numbering again. When the fast
   * path lets most lines through (`readOnly=true` needs only "true", which nearly every line
   * holds), its searches cost more than they save, so it rests for a while; either way every
   * line that can match is evaluated. `utf8`: all of `buf` is known to be UTF-8 (a trail file
   * made lines); `vouched`: every line is a record the check vouched for; `numbers`: each line's
   * number in its source, when only some of its lines are given (with `first`: all of them).
   */
  scanLines(buf: Buffer, first: boolean, utf8 = false, vouched = false, numbers?: Int32Array): void {
    const handler = this.handler;
    this.numbers = numbers;
    // Every line a record the reader vouched for (a trail file made lines): a handler may take them all at once.
    if (vouched && handler.recordLines?.(buf)) {
      if (first) this.lineNo = 0;
      for (let at = buf.indexOf(10); at >= 0; at = buf.indexOf(10, at + 1)) this.lineNo++;
      return;
    }
    let filter = handler.lineFilter?.useful ? handler.lineFilter : undefined;
    if (filter && this.unfilteredBytes > 0) {
      this.unfilteredBytes -= buf.length;
      filter = undefined;
    }
    filter?.begin(buf);
    // Checked once for the scanner and the handler; a trail file made lines was checked whole.
    this.batchIsUtf8 = utf8 || isUtf8(buf);
    this.nextEscape = -2;
    handler.beginLines?.(buf, this.batchIsUtf8);
    // Numbered lines are counted from the batch's start: their numbers say where they are.
    if (first || numbers) this.lineNo = 0;
    const firstLine = this.lineNo;
    let passed = 0;
    this.parsedInBatch = 0;
    this.raw.buf = buf;
    let pos = 0;
    while (pos < buf.length) {
      let start = pos;
      if (filter) {
        const hit = filter.nextHit(pos);
        start = hit < 0 ? buf.length : hit > pos ? Math.max(pos, buf.lastIndexOf(10, hit - 1) + 1) : pos;
        this.checkSkipped(buf, pos, start);
        if (hit < 0) break;
      }
      let end = buf.indexOf(10, start);
      if (end < 0) end = buf.length;
      pos = end + 1;
      this.lineNo++;
      if (filter && !filter.mayMatch(start, end)) continue;
      passed++;
      this.line(buf, start, end);
    }
    // What the fast path lets through, to rest it and to start threads: not told by lines that
    // were chosen as ones that may match (numbered) before they came.
    if (numbers) return;
    const seen = this.lineNo - firstLine;
    this.linesSeen += seen;
    this.linesPassed += passed;
    this.linesParsed += this.parsedInBatch;
    if (filter && seen >= 16 && passed * 4 > seen * 3) this.unfilteredBytes = UNFILTERED_SPAN;
  }

  /** Hands on the values of a document, each with its label. */
  scanValues(values: readonly unknown[], labels: readonly string[]): void {
    for (let i = 0; i < values.length; i++) this.guarded(values[i], null, labels[i]);
  }

  /**
   * Lines the fast path rules out are not parsed, but each must at least look like one JSON
   * object (`{` ... `}`); one that does not (a truncated or garbled line) is parsed and reported.
   */
  private checkSkipped(buf: Buffer, from: number, to: number): void {
    for (let s = from; s < to; ) {
      let e = buf.indexOf(10, s);
      if (e < 0 || e > to) e = to;
      this.lineNo++;
      if (!looksLikeObject(buf, s, e)) this.line(buf, s, e);
      s = e + 1;
    }
  }

  private line(buf: Buffer, start: number, end: number): void {
    let stop = end;
    if (stop > start && buf[stop - 1] === 13) stop--;
    while (start < stop && (buf[start] === 32 || buf[start] === 9)) start++;
    if (start === stop) return;
    this.raw.start = start;
    this.raw.end = stop;
    // A line handled from its bytes keeps them: nothing is lost, so nothing is said.
    if (this.handler.line?.(this.raw)) return;
    this.parsedInBatch++;
    if (!this.batchIsUtf8) {
      const bad = firstInvalidUtf8(buf.subarray(start, stop));
      if (bad >= 0) this.lineProblem(`${LOSSY} bytes that are not UTF-8 (from byte ${bad} of the line)${KEPT}`, buf, start, stop);
    }
    const text = buf.toString('utf8', start, stop);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      this.lineProblem(`invalid JSON: ${messageOf(err)}`, buf, start, stop);
      return;
    }
    if (this.mayHoldSurrogateEscape(buf, start, stop) && hasLoneSurrogate(value)) {
      this.lineProblem(`${LOSSY} an escape of half a surrogate pair (\\ud800)${KEPT}`, buf, start, stop);
    }
    const line = { buf, start, end: stop };
    const contained = containedValues(value, text);
    if (contained) for (const c of contained) this.guarded(c.value, null, undefined, line);
    else this.guarded(value, this.raw, undefined, line);
  }

  private guarded(value: unknown, raw: RawLine | null, label?: string, line?: RawLine): void {
    const problem = (message: string): void => (line ? this.lineProblem(message, line.buf, line.start, line.end) : this.problem(message, label));
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      problem(NOT_AN_OBJECT);
      return;
    }
    try {
      this.handler.event(value, raw);
    } catch (err) {
      if (err instanceof CtError && err.code !== 'strict') problem(err.message);
      else if (isStackOverflow(err)) problem(TOO_DEEP);
      else throw err;
    }
  }

  /**
   * A cheap look at the bytes before a look at the strings: only a `\\ud..` escape makes a lone
   * surrogate. The batch's next `\\u` is kept, so the batch is searched once, not once a line.
   */
  private mayHoldSurrogateEscape(buf: Buffer, start: number, end: number): boolean {
    if (this.nextEscape !== -1 && this.nextEscape < start) this.nextEscape = buf.indexOf(BACKSLASH_U, start);
    for (; this.nextEscape >= 0 && this.nextEscape < end; this.nextEscape = buf.indexOf(BACKSLASH_U, this.nextEscape + 2)) {
      if ((buf[this.nextEscape + 2] | 0x20) === 0x64 /* d or D */) return true;
    }
    return false;
  }

  /**
   * A problem in a line, reported unless the fast path rules the line out: such a line is read
   * only when the fast path rests (see scanLines) or another thread's batch starts elsewhere, and
   * what is reported must not depend on either. A line that does not look like one JSON object
   * is always reported (see checkSkipped).
   */
  private lineProblem(message: string, buf: Buffer, start: number, end: number): void {
    const filter = this.handler.lineFilter;
    if (filter?.useful && looksLikeObject(buf, start, end) && !filter.lineMayMatch(buf.subarray(start, end))) return;
    this.problem(message);
  }
}

const TOO_DEEP = 'nested too deeply to handle (thousands of levels); event skipped';
const LOSSY = 'text read as U+FFFD:';
const KEPT = '; the event is kept (a line written whole keeps its bytes)';
const BACKSLASH_U = Buffer.from('\\u');


/** A record nested thousands of levels deep overflows the stack of any recursive walk (JSON.stringify's too). */
function isStackOverflow(err: unknown): boolean {
  return err instanceof RangeError && err.message.includes('call stack');
}

function looksLikeObject(buf: Buffer, start: number, end: number): boolean {
  while (start < end && (buf[start] === 32 || buf[start] === 9)) start++;
  while (end > start && (buf[end - 1] === 13 || buf[end - 1] === 32 || buf[end - 1] === 9)) end--;
  return start === end || (buf[start] === 0x7b && buf[end - 1] === 0x7d);
}
