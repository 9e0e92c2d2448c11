// What a command gives the run loop: a handler called for each event (and, optionally, for each
// NDJSON line from its bytes), and the rule about the bytes it is shown.
//
// THE BUFFER RULE. Input lines are read into buffers that are reused: a batch's bytes (RawLine.buf,
// the `buf` of beginLines, a lineArena's area) hold only until the next batch is asked for. A
// handler may write ranges of them to the OutputWriter (which copies or writes them before the
// next read: see OutputWriter.keep) but keeps no view of them past its endBatch(). Parsed values
// are the handler's to keep. With CTPIPE_POISON_BUFFERS=1 every reused buffer is overwritten
// once its batch is done (see common/poison.ts), so a breach shows up in any test.
import type { LineArena } from '../input/read-batches';
import type { OutputWriter } from '../output/output-writer';

/** The bytes of the NDJSON line an event came from; one object, reused for every line. */
export interface RawLine {
  buf: Buffer;
  start: number;
  end: number;
}

/** The fast path's question for a batch of lines: which lines can possibly match? */
export interface LineFilter {
  /** False when it rules out too little to be worth asking. */
  readonly useful: boolean;
  begin(buf: Buffer): void;
  /** The offset of the next place at or after `from` that may be in a matching line, or -1. */
  nextHit(from: number): number;
  /** Whether the line buf[start, end) may match. */
  mayMatch(start: number, end: number): boolean;
  /** Whether a line may match, asked outside a batch (for a line with a problem). */
  lineMayMatch(line: Buffer): boolean;
}

export interface EventHandler {
  /** `raw` is set when the event is a whole NDJSON line, null when it came from a document. */
  event(event: unknown, raw: RawLine | null): void;
  /** Optional: called with each batch of NDJSON lines before its lines are handled; `utf8`: all of it is valid UTF-8. */
  beginLines?(buf: Buffer, utf8: boolean): void;
  /** Optional: handles a whole NDJSON line from its bytes; false leaves it to be parsed. */
  line?(raw: RawLine): boolean;
  /**
   * Optional: a batch whose every line is a CloudTrail record the reader vouched for (a trail file
   * made lines: valid, compact, a key starting with `event`, no CloudTrailEvent); true when it
   * handled them all at once, false leaves them to line() and event().
   */
  recordLines?(buf: Buffer): boolean;
  /** Called after each batch, before output is flushed (ct-csv turns its rows into text here). */
  endBatch?(): void;
  /** Optional: where to read NDJSON to, for a handler that has an area of its own (under the rule). */
  readonly lineArena?: LineArena;
  /** Optional fast path: lines this filter rules out are never parsed. */
  readonly lineFilter?: LineFilter;
  /** Events the handler selected, for a count (ct-where -c); worker threads' counts add to it. */
  matched?: number;
  /** Values the handler passed over as not its kind, for a note (ct-explode); counted as `matched` is. */
  passedOver?: number;
  /**
   * Optional, for handlers whose threads produce partial results (ct-count's groups) rather than
   * output: each batch's output from a worker thread is given to this instead of being written.
   */
  absorb?(output: Buffer): void;
}

/** Builds a command's handler; worker threads build their own from the same options. */
export type HandlerFactory<O> = (options: O, out: OutputWriter) => EventHandler;

const NEWLINE = Buffer.from('\n');

/** The line's bytes with one "\n" at the end (a "\r\n" ending or a missing last newline becomes "\n"). */
export function lineBytes(raw: RawLine): Buffer {
  if (raw.buf[raw.end] === 10) return raw.buf.subarray(raw.start, raw.end + 1);
  return Buffer.concat([raw.buf.subarray(raw.start, raw.end), NEWLINE]);
}

/** Writes the line as it came in, ending in one "\n"; adjacent lines go out as one slice. */
export function writeLine(out: OutputWriter, raw: RawLine): void {
  if (raw.buf[raw.end] === 10) out.writeRange(raw.buf, raw.start, raw.end + 1);
  else out.write(lineBytes(raw));
}
