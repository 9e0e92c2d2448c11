// The loop every filter command shares: read batches, hand each event to the command, report
// unreadable data with its place (file:line, or file: Records[3]) and keep going (or stop, with
// --strict), flush output per batch, and stop reading once our reader has gone away.
import { readBatches, type LineArena, type LinesBatch } from './input';
import { CtError, EXIT, messageOf } from './errors';
import { warn, type Io } from './io';
import type { BatchOutput, WorkerPlan } from './batch-runner';
import type { LineWorkers } from './line-workers';
import { OutputWriter } from './output';
import { PipeReader, READ_CHUNK } from './sources';
import type { LineFilter } from '../expr/prefilter';

/** The bytes of the NDJSON line an event came from; one object, reused for every line. */
export interface RawLine {
  buf: Buffer;
  start: number;
  end: number;
}

const NEWLINE = Buffer.from('\n');
const UNFILTERED_SPAN = 8 * 1024 * 1024;
/** NDJSON read before worker threads are started: small inputs never pay their start-up. */
const PARALLEL_AFTER = 2 * 1024 * 1024;
/** Batches for worker threads are sent once this much is gathered (about two reads). */
const BATCH_BYTES = 128 * 1024;
/** Output held back for at most this long while it is smaller than SMALL_OUTPUT (see flushSoon). */
const FLUSH_DELAY_MS = 20;
const SMALL_OUTPUT = 64 * 1024;

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

export interface EventHandler {
  /** `raw` is set when the event is a whole NDJSON line, null when it came from a document. */
  event(event: unknown, raw: RawLine | null): void;
  /** Optional: called with each batch of NDJSON lines before its lines are handled. */
  beginLines?(buf: Buffer): void;
  /**
   * Optional: handles a whole NDJSON line from its bytes, without parsing it; false leaves the
   * line to be parsed and passed to event() as usual.
   */
  line?(raw: RawLine): boolean;
  /** Called after each batch, before output is flushed (ct-csv turns its rows into text here). */
  endBatch?(): void;
  /**
   * Optional: where to read NDJSON to (see LineArena), for a handler that has an area of its own;
   * others get a plain buffer. Either way only with output that takes each write: run() writes
   * or copies a batch's output before the next batch is read over it, and handlers keep nothing
   * of a batch's bytes once it is handled.
   */
  readonly lineArena?: LineArena;
  /** Optional fast path: lines this filter rules out are never parsed. */
  readonly lineFilter?: LineFilter;
  /** Events the handler selected, for a count (ct-where -c); worker threads' counts add to it. */
  matched?: number;
}

export class EventScanner {
  readonly out: OutputWriter;
  problems = 0;
  /** Where the event being handled came from: a line of NDJSON, or a document label. */
  private at: { source: string; label: string } = { source: '', label: '' };
  /** The number of the line being looked at; every line is visited once, by the scan or the skip check. */
  private lineNo = 0;
  private lastFlush = 0;
  private flushTimer: NodeJS.Timeout | undefined;
  /** Lines read for worker threads but not yet sent: their source, and whether they start it. */
  private gathering: { source: string; first: boolean } | undefined;
  /** Batches handed to worker threads (or handled on this one), oldest first. */
  private readonly inFlight: { result: Promise<BatchOutput>; source: string; first: boolean }[] = [];
  private readonly raw: RawLine = { buf: Buffer.alloc(0), start: 0, end: 0 };
  /** NDJSON lines seen, and those parsed (not ruled out by the fast path): worth threads? */
  private linesSeen = 0;
  private linesParsed = 0;
  /** Bytes left to read without the fast path, after it let most lines through (see scanLines()). */
  private unfilteredBytes = 0;

  constructor(
    private readonly io: Io,
    private readonly strict: boolean,
  ) {
    this.out = new OutputWriter(io.stdout);
  }

  /** Reports bad data at the current place; with --strict, stops the run. */
  problem(message: string, place = this.placeNow()): void {
    this.problems++;
    warn(this.io, place ? `${place}: ${message}` : message);
    if (this.strict) throw new CtError('strict', 'stopped at the first bad input (--strict)', EXIT.data);
  }

  get lineNumber(): number {
    return this.lineNo;
  }

  private placeNow(): string {
    const { source, label } = this.at;
    if (!source) return '';
    return label ? `${source}: ${label}` : `${source}:${this.lineNo}`;
  }

  /**
   * Runs to the end of input; returns 1 if anything was skipped, else 0. With a `plan`, NDJSON
   * past the first 2 MiB is shared with worker threads running the same handler (not with
   * --strict, which stops at the first problem).
   */
  async run(args: readonly string[], handler: EventHandler, plan?: WorkerPlan): Promise<number> {
    let workers: LineWorkers | undefined;
    let lineBytes = 0;
    try {
      // Lines are read into a buffer reused for each read, when no output is left pointing into it.
      const arena = this.out.takesWrites ? (handler.lineArena ?? this.plainArena()) : undefined;
      if (this.io.stdin instanceof PipeReader) {
        // Input has stalled: what is held back goes out now, not after the next read.
        this.io.stdin.beforeWait = async () => {
          if (workers) await this.settle(workers, handler);
          await this.flushNow();
        };
      }
      for await (const batch of readBatches(args, this.io.stdin, (place, msg) => this.problem(msg, place), arena)) {
        if (batch.kind === 'lines' && plan && !this.strict && lineBytes <= PARALLEL_AFTER) {
          lineBytes += batch.buf.length;
          // Threads pay only where lines are parsed: not when the fast path skips most of them.
          // Loaded only now: it would make a cycle at start-up, and small inputs never need it.
          if (lineBytes > PARALLEL_AFTER && this.linesParsed * 4 > this.linesSeen) {
            workers = (await import('./line-workers')).LineWorkers.start(plan, this.io);
          }
        }
        if (workers && batch.kind === 'lines') {
          const gathering = this.gathering;
          if (gathering && (batch.first || batch.source !== gathering.source)) this.sendGathered(workers);
          workers.append(batch.buf);
          this.gathering ??= { source: batch.source, first: batch.first };
          if (workers.gathered >= BATCH_BYTES) this.sendGathered(workers);
          if (this.inFlight.length >= workers.capacity) await this.emit(workers, handler);
          if (this.out.closed) break;
          continue;
        }
        if (workers) await this.settle(workers, handler);
        if (batch.kind === 'lines') this.scanLines(batch, handler);
        else {
          this.at.source = batch.source;
          for (let i = 0; i < batch.values.length; i++) {
            this.at.label = batch.labels[i];
            this.guarded(handler, batch.values[i], null);
          }
        }
        handler.endBatch?.();
        await this.flushSoon();
        if (this.out.closed) break;
      }
      if (workers) await this.settle(workers, handler);
    } finally {
      clearTimeout(this.flushTimer);
      // What was read before a stop (--strict) is still written.
      handler.endBatch?.();
      await this.out.flush();
      await workers?.close();
    }
    return this.problems > 0 ? EXIT.data : EXIT.ok;
  }

  /**
   * Writes out what the batch gave, unless it is little and a write went out less than 20 ms
   * ago: then it waits for more, at most 20 ms (a timer writes it if the input stalls). Reading
   * a pipe 64 KiB at a time, ct-where wrote a line or two per read, and the next command in the
   * pipeline woke up for each (ct-csv spent 0.8 s on 4,000 lines).
   */
  private async flushSoon(): Promise<void> {
    const now = performance.now();
    if (this.out.pendingBytes === 0) return;
    if (this.out.pendingBytes < SMALL_OUTPUT && now - this.lastFlush < FLUSH_DELAY_MS) {
      this.out.keep();
      this.flushTimer ??= setTimeout(() => {
        this.flushTimer = undefined;
        this.lastFlush = performance.now();
        // A failure is kept by the writer and thrown by the next flush.
        this.out.flush().catch(() => undefined);
      }, FLUSH_DELAY_MS);
      return;
    }
    await this.flushNow();
  }

  private async flushNow(): Promise<void> {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.out.pendingBytes > 0) this.lastFlush = performance.now();
    await this.out.flush();
  }

  /**
   * The buffer lines are read into when the handler has no arena of its own (see LineArena): as
   * large as a read was (batches for worker threads, and what they hold, stay the same size).
   */
  private plainArena(): LineArena {
    const area = Buffer.allocUnsafe(READ_CHUNK);
    return { area: () => area };
  }

  /** Sends what is gathered, then waits for every batch in flight and writes their output. */
  private async settle(workers: LineWorkers, handler: EventHandler): Promise<void> {
    if (this.gathering) this.sendGathered(workers);
    while (this.inFlight.length > 0 && !this.out.closed) await this.emit(workers, handler);
  }

  private sendGathered(workers: LineWorkers): void {
    const { source, first } = this.gathering!;
    this.gathering = undefined;
    const result = workers.send(source);
    // Awaited in order by emit; a failure of a later one must not count as unhandled meanwhile.
    result.catch(() => undefined);
    this.inFlight.push({ result, source, first });
  }

  /** Writes the oldest batch's result: its problems with their line numbers, then its output. */
  private async emit(workers: LineWorkers, handler: EventHandler): Promise<void> {
    const job = this.inFlight.shift()!;
    const result = await job.result;
    if (job.first) this.lineNo = 0;
    const base = this.lineNo;
    this.lineNo += result.lines;
    for (const p of result.problems) this.problem(p.message, `${job.source}:${base + p.line}`);
    if (handler.matched !== undefined) handler.matched += result.matched;
    if (result.output.length === 0) {
      workers.recycle(result);
      return;
    }
    this.out.write(result.output);
    await this.out.flush();
    // A buffer the output may still refer to is not given back; the collector takes it.
    if (this.out.released) workers.recycle(result);
  }

  /**
   * When the fast path lets most lines through (`readOnly=true` needs only "true", which nearly
   * every line holds), its searches cost more than they save: after a batch where it passed
   * over 3/4 of the lines, the next 8 MiB are read without it, then it is tried again. Either
   * way every line that can match is evaluated.
   */
  scanLines(batch: LinesBatch, handler: EventHandler): void {
    const { buf } = batch;
    let filter = handler.lineFilter?.useful ? handler.lineFilter : undefined;
    if (filter && this.unfilteredBytes > 0) {
      this.unfilteredBytes -= buf.length;
      filter = undefined;
    }
    filter?.begin(buf);
    handler.beginLines?.(buf);
    this.at.source = batch.source;
    this.at.label = '';
    if (batch.first) this.lineNo = 0;
    const firstLine = this.lineNo;
    let passed = 0;
    this.raw.buf = buf;
    let pos = 0;
    while (pos < buf.length) {
      let start = pos;
      if (filter) {
        const hit = filter.nextHit(pos);
        start = hit < 0 ? buf.length : hit > pos ? Math.max(pos, buf.lastIndexOf(10, hit - 1) + 1) : pos;
        this.checkSkipped(buf, handler, pos, start);
        if (hit < 0) break;
      }
      let end = buf.indexOf(10, start);
      if (end < 0) end = buf.length;
      pos = end + 1;
      this.lineNo++;
      if (filter && !filter.mayMatch(start, end)) continue;
      passed++;
      this.line(buf, handler, start, end);
    }
    const seen = this.lineNo - firstLine;
    this.linesSeen += seen;
    this.linesParsed += passed;
    if (filter && seen >= 16 && passed * 4 > seen * 3) this.unfilteredBytes = UNFILTERED_SPAN;
  }

  /**
   * Lines the fast path rules out are not parsed, but each must at least look like one JSON
   * object (`{` ... `}`); one that does not (a truncated or garbled line) is parsed and reported.
   */
  private checkSkipped(buf: Buffer, handler: EventHandler, from: number, to: number): void {
    for (let s = from; s < to; ) {
      let e = buf.indexOf(10, s);
      if (e < 0 || e > to) e = to;
      this.lineNo++;
      if (!looksLikeObject(buf, s, e)) this.line(buf, handler, s, e);
      s = e + 1;
    }
  }

  private line(buf: Buffer, handler: EventHandler, start: number, end: number): void {
    let stop = end;
    if (stop > start && buf[stop - 1] === 13) stop--;
    while (start < stop && (buf[start] === 32 || buf[start] === 9)) start++;
    if (start === stop) return;
    this.raw.start = start;
    this.raw.end = stop;
    if (handler.line?.(this.raw)) return;
    let value: unknown;
    try {
      value = JSON.parse(buf.toString('utf8', start, stop));
    } catch (err) {
      this.problem(`invalid JSON: ${messageOf(err)}`);
      return;
    }
    const items = containerItems(value);
    if (items) {
      for (let i = 0; i < items.length; i++) this.guarded(handler, items[i], null);
      return;
    }
    this.guarded(handler, value, this.raw);
  }

  private guarded(handler: EventHandler, value: unknown, raw: RawLine | null): void {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.problem('not an event: expected a JSON object');
      return;
    }
    try {
      handler.event(value, raw);
    } catch (err) {
      if (err instanceof CtError && err.code !== 'strict') this.problem(err.message);
      else throw err;
    }
  }
}

function looksLikeObject(buf: Buffer, start: number, end: number): boolean {
  while (start < end && (buf[start] === 32 || buf[start] === 9)) start++;
  while (end > start && (buf[end - 1] === 13 || buf[end - 1] === 32 || buf[end - 1] === 9)) end--;
  return start === end || (buf[start] === 0x7b && buf[end - 1] === 0x7d);
}

/** A line holding a whole document (`{"Records":[...]}`, a `lookup-events` page) yields its events. */
function containerItems(value: unknown): unknown[] | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  if (Array.isArray(v.Records) && !('eventVersion' in v)) return v.Records;
  if (Array.isArray(v.Events) && !('EventId' in v)) return v.Events;
  return undefined;
}

