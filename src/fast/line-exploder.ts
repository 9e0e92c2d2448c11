// ct-explode's byte path: the usual NDJSON line is checked, and its record written, by the
// WebAssembly module (see json-check.ts) straight from the bytes read, without parsing; plus
// the garbage-collection pacing that this path needs.
import { isUtf8 } from 'node:buffer';
import type { LineArena } from '../input/read-batches';
import type { OutputWriter } from '../output/output-writer';
import { writeLine, type RawLine } from '../run/handler';
import { everyBytes } from '../common/collect';
import { JsonChecker, NOT_CERTAIN, PLAIN_RECORD } from './json-check';

/** Batches larger than this (a line of many MB) are left to the parser: module memory never shrinks. */
const LARGEST_BATCH = 8 * 1024 * 1024;

/**
 * The usual line, from its bytes (see JsonChecker.checkLine): an item whose record is checked
 * and written by the WebAssembly module, or a record written as it came. Anything it cannot
 * vouch for is parsed instead, which writes the same bytes or reports the problem.
 */
export class LineExploder implements LineArena {
  private readonly checker = new JsonChecker();
  private loaded = false;
  /** Whether the whole batch is valid UTF-8 (else each line is checked). */
  private utf8 = false;

  constructor(private readonly out: OutputWriter) {}

  /** Lines from a file or a pipe are read straight into the module's memory (see LineArena). */
  area(): Buffer {
    return this.checker.lineArea();
  }

  /** True only if JSON.parse(text) certainly gives an object (see JsonChecker). */
  isJsonObjectText(text: string): boolean {
    return this.checker.isJsonObjectText(text);
  }

  beginLines(buf: Buffer, utf8: boolean): void {
    if (!this.checker.inArea(buf)) collectAfterReading(buf.length);
    this.flush(false);
    this.loaded = buf.length <= LARGEST_BATCH;
    if (!this.loaded) return;
    this.checker.loadLines(buf);
    this.utf8 = utf8;
  }

  /** Vouched records (see EventHandler.recordLines): written as they are, each line trimmed of the spaces a trail file's commas became. */
  recordLines(buf: Buffer): boolean {
    collectAfterReading(buf.length);
    this.flush(false);
    const raw: RawLine = { buf, start: 0, end: 0 };
    for (let start = 0; start < buf.length; ) {
      let nl = buf.indexOf(10, start);
      if (nl < 0) nl = buf.length;
      while (start < nl && buf[start] === 32) start++;
      if (start < nl) {
        raw.start = start;
        raw.end = nl;
        writeLine(this.out, raw);
      }
      start = nl + 1;
    }
    return true;
  }

  line(raw: RawLine): boolean {
    if (!this.loaded || (!this.utf8 && !isUtf8(raw.buf.subarray(raw.start, raw.end)))) return false;
    const found = this.checker.checkLine(raw.start, raw.end);
    if (found === NOT_CERTAIN) return false;
    if (found === PLAIN_RECORD) {
      this.flush(false);
      writeLine(this.out, raw);
    }
    return true;
  }

  /**
   * Writes the records the module wrote so far; before anything else is written, and after each
   * batch. At the end of a batch, output that takes each write at once (see FdOutput) gets them
   * without a copy: EventScanner writes or copies (keeps) a batch's output before the next
   * batch is loaded over them.
   */
  flush(endOfBatch: boolean): void {
    const records = this.checker.takeRecords(endOfBatch && this.out.takesWrites);
    if (records) this.out.write(records);
  }
}

/**
 * Reading lines from their bytes allocates almost nothing on the JavaScript heap, so the read
 * buffers, which die young but count as external memory, were collected only rarely, and peak
 * RSS rose. The bin runs node with --expose-gc; a young-generation collection every 2 MiB frees
 * them at the same speed. Not for commands that parse every line (ct-csv): they collect often
 * anyway, and forced collections promote their live objects early (a higher peak RSS).
 */
const collectAfterReading = everyBytes(2 * 1024 * 1024, () => (globalThis as { gc?: (options: { type: 'minor' }) => void }).gc?.({ type: 'minor' }));

