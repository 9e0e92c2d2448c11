// The loop every command that reads events shares: read batches, hand them to the line scanner
// (or to worker threads), report unreadable data with its place (file:line, or file: Records[3])
// and keep going (or stop, with --strict), let the writer flush, and stop reading once our
// reader has gone away.
import { existsSync } from 'node:fs';
import { CtError, EXIT } from '../common/errors';
import { DEFAULT_MAX_LINE, readBatches, type DocumentLines, type LineArena, type LinesBatch } from '../input/read-batches';
import { knownInputBytes } from '../input/sources';
import { PipeReader } from '../input/readers';
import type { PathScope } from '../input/trail-layout';
import type { OutputWriter } from '../output/output-writer';
import type { EventHandler } from './handler';
import { warn, type Io } from './io';
import { LineScanner } from './line-scanner';
import type { ThreadPlan } from './threads/thread-plan';
import { threadSetting } from './threads/thread-setting';
import { linePlace, type ThreadedLines } from './threads/threaded-lines';

/** NDJSON read before worker threads are started: small inputs never pay their start-up. */
const PARALLEL_AFTER = 2 * 1024 * 1024;
/**
 * Inputs known to hold less than this (files, not gzipped) are read on this thread alone: a
 * worker takes some 60 ms to start (an isolate, the handler's modules) beside the main thread,
 * and on files of up to 64 MB one thread was done sooner, on 128 MB as soon (PERFORMANCE.md).
 */
const THREADS_FROM = 96 * 1024 * 1024;

/** The most of a batch of lines handled at once (as much as a line arena holds). */
const PIECE = 1024 * 1024;

/** As a shell reports a command that SIGINT ended. */
const INTERRUPTED = 130;

export class EventLoop {
  problems = 0;
  /**
   * Ctrl-C (SIGINT) on a pipeline reaches every command in it. Set by the filters (ct-where,
   * ct-csv, ct-explode): the first SIGINT while reading a pipe lets the run finish what the
   * command before it has written (it is stopping too, and counts what it wrote: ct-fetch's
   * resume command starts after it), then exit 130; while reading files it stops at once; a
   * second SIGINT ends the process at once.
   */
  interruptible = false;
  /**
   * What events are asked for (--start-time, --end-time, --region, --account): folders and files
   * of the AWSLogs layout that cannot hold one are passed over unread while walking, and counted
   * in one note. The events themselves are filtered by the command.
   */
  scope: PathScope | undefined;
  /** Makes trail files NDJSON, one record a line, so their records take the fast paths (set by the command). */
  documentLines: DocumentLines | undefined;
  /** CTPIPE_THREADS=N asked for threads: started whatever the input (see workersFor). */
  private threadsAsked = false;
  private interrupted = false;
  private stopNow = false;

  constructor(
    private readonly io: Io,
    private readonly strict: boolean,
    /** The longest line read (--max-line); a longer one is reported and skipped. */
    private readonly maxLine = DEFAULT_MAX_LINE,
  ) {}

  get out(): OutputWriter {
    return this.io.out;
  }

  /**
   * How many worker threads may share the lines (see thread-setting.ts): none for inputs known to
   * be smaller than THREADS_FROM, unless CTPIPE_THREADS asks for them.
   */
  private workersFor(inputs: readonly string[]): number {
    const setting = threadSetting(this.io);
    this.threadsAsked = setting.asked;
    if (setting.count === 0 || setting.asked) return setting.count;
    const known = knownInputBytes(inputs, this.io.stdin);
    if (known === undefined || known >= THREADS_FROM) return setting.count;
    if (process.env.CTPIPE_DEBUG) warn(this.io, `debug: no worker thread: ${(known / 1e6).toFixed(1)} MB of input is read sooner on one`);
    return 0;
  }

  /**
   * Threads pay only where lines are read: not when the fast path skips most of them. Where
   * something else keeps a core busy making the lines, a worker pays only where lines are parsed
   * (lines read from their bytes were done as soon or sooner on one thread, with a fifth less
   * CPU: PERFORMANCE.md, session 17): stdin, a pipe, whose command before runs beside this one,
   * and trail files made lines (`element`), inflated on the thread pool and checked whole here.
   * Nor does a pipe get one when it was empty at more than half of its reads (lines come slower
   * than this thread handles them, as in `ct-where errorCode~Denied | ct-csv`, and a worker, some
   * 60 ms of CPU to start, would only wait beside it). CTPIPE_THREADS asks past these rules.
   */
  private async threadsIfWorth(scanner: LineScanner, batch: LinesBatch, start: () => Promise<ThreadedLines>): Promise<ThreadedLines | undefined> {
    if (scanner.linesPassed * 4 <= scanner.linesSeen) return undefined;
    if (this.threadsAsked) return start();
    const none = (why: string): undefined => {
      if (process.env.CTPIPE_DEBUG) warn(this.io, `debug: no worker thread: ${why}`);
      return undefined;
    };
    const stdin = this.io.stdin;
    const pipe = batch.source === 'stdin' && stdin instanceof PipeReader ? stdin : undefined;
    if (scanner.linesParsed * 4 <= scanner.linesSeen) {
      if (pipe) return none('lines from a pipe are read from their bytes, sooner on one thread while the command before has the other core');
      if (batch.element) return none("a trail file's lines are read from their bytes, sooner on one thread while the next files are inflated");
    }
    if (pipe && pipe.stalls * 2 > pipe.reads) return none('the pipe was empty at most reads (the command before is the slower)');
    return start();
  }

  /** Reports bad data at a place; with --strict, stops the run. */
  problem(message: string, place: string): void {
    this.problems++;
    warn(this.io, place ? `${place}: ${message}` : message);
    if (this.strict) throw new CtError('strict', 'stopped at the first bad input (--strict)', EXIT.data);
  }

  /**
   * Runs `handler` over every event of `inputs` (stdin when empty); 1 if anything was skipped,
   * else 0. With `threads`, NDJSON past the first 2 MiB is shared with worker threads running
   * the same handler (not with --strict, which stops at the first problem, nor for files known to
   * be small: see workersFor).
   */
  async run(given: readonly string[], handler: EventHandler, threads?: ThreadPlan): Promise<number> {
    const out = this.out;
    // A name that is not there is said before any output (ct-csv's header, say), not when reached.
    const inputs = given.filter((name) => name === '-' || existsSync(name) || (this.problem('no such file or directory', name), false));
    if (given.length > 0 && inputs.length === 0) return EXIT.data;
    let source = '';
    let element: string | undefined;
    const scanner = new LineScanner(handler, (message, label) =>
      this.problem(message, label ? `${source}: ${label}` : linePlace(source, scanner.lineNumber, element)),
    );
    let parallel: ThreadedLines | undefined;
    let lineBytes = 0;
    /** Whether worker threads were started or not, once (see threadsIfWorth). */
    let decided = false;
    const workers = threads && !this.strict ? this.workersFor(inputs) : 0;
    const onInterrupt = (): void => {
      if (this.interrupted) process.exit(INTERRUPTED);
      this.interrupted = true;
      const readingStdin = source === 'stdin' || (source === '' && (inputs.length === 0 || inputs[0] === '-'));
      if (!readingStdin || this.io.stdinIsTerminal) this.stopNow = true;
    };
    if (this.interruptible) process.on('SIGINT', onInterrupt);
    try {
      if (this.io.stdin instanceof PipeReader) {
        // Input has stalled: what is held back goes out now, not after the next read.
        this.io.stdin.beforeWait = async () => {
          await parallel?.settle();
          await out.flush();
        };
      }
      // Lines are read into a reused buffer when no output is left pointing into it.
      const arena = out.takesWrites ? (handler.lineArena ?? plainArena()) : undefined;
      const problem = (place: string, message: string, severity?: 'note'): void =>
        severity === 'note' ? warn(this.io, `${place}: note: ${message}`) : this.problem(message, place);
      if (this.io.stdinIsTerminal && (inputs.length === 0 || inputs.includes('-'))) {
        warn(this.io, 'reading events from the terminal: paste them and end with Ctrl-D, or name a file or pipe them in');
      }
      const pruning = this.scope && { within: this.scope, pruned: { folders: 0, files: 0 } };
      for await (const batch of readBatches(inputs, this.io.stdin, problem, arena, this.maxLine, pruning, this.documentLines)) {
        source = batch.source;
        element = batch.kind === 'lines' ? batch.element : undefined;
        // A trail file's lines that a filter may match, numbered (see MadeLines), stay on this thread.
        const threadable = batch.kind === 'lines' && !batch.numbers;
        if (threadable && threads && workers > 0 && !decided) {
          lineBytes += batch.buf.length;
          // Decided once, past 2 MiB, on what the lines scanned so far took (a trail file's first
          // batch may hold more than that: it is scanned here first).
          if (lineBytes > PARALLEL_AFTER && scanner.linesSeen > 0) {
            decided = true;
            parallel = await this.threadsIfWorth(scanner, batch, () =>
              startThreads(threads, workers, this.io, handler, (m, p) => this.problem(m, p), scanner.lineNumber));
          }
        }
        if (parallel && threadable) {
          await parallel.add(batch.source, batch.buf, batch.first, batch.element);
        } else {
          await parallel?.settle();
          if (batch.kind === 'lines') {
            // A trail file made lines is one batch of up to TRAIL_LINES_LIMIT: handled in pieces of
            // whole lines, so a handler copies in (ct-explode's module) no more than a read's worth.
            for (let at = 0; at < batch.buf.length && !out.closed && !this.stopNow; ) {
              const whole = at + 2 * PIECE >= batch.buf.length || batch.numbers !== undefined;
              const cut = whole ? batch.buf.length : batch.buf.indexOf(10, at + PIECE) + 1 || batch.buf.length;
              scanner.scanLines(batch.buf.subarray(at, cut), batch.first && at === 0, batch.element !== undefined, batch.vouched === true, batch.numbers);
              handler.endBatch?.();
              await out.flushSoon();
              at = cut;
            }
          } else {
            scanner.scanValues(batch.values, batch.labels);
            handler.endBatch?.();
            await out.flushSoon();
          }
        }
        if (out.closed || this.stopNow) break;
      }
      await parallel?.settle();
      if (pruning && pruning.pruned.folders + pruning.pruned.files > 0) {
        const { folders, files } = pruning.pruned;
        warn(this.io, `note: ${folders} folder(s) and ${files} file(s) of the AWSLogs layout not opened: their path says they hold no event asked for`);
      }
    } finally {
      process.off('SIGINT', onInterrupt);
      // What was read before a stop (--strict) is still written.
      handler.endBatch?.();
      await out.flush();
      await parallel?.close();
    }
    if (this.interrupted) return INTERRUPTED;
    return this.problems > 0 ? EXIT.data : EXIT.ok;
  }
}

/** Loaded only when needed: small inputs never start threads. */
async function startThreads(
  plan: ThreadPlan,
  count: number,
  io: Io,
  handler: EventHandler,
  problem: (message: string, place: string) => void,
  lineNo: number,
): Promise<ThreadedLines> {
  const { LineWorkers } = await import('./threads/line-workers');
  const workers = LineWorkers.start(plan, await plan.load(), count, io);
  const { ThreadedLines } = await import('./threads/threaded-lines');
  return new ThreadedLines(workers, handler, io.out, problem, lineNo);
}

/**
 * The buffer lines are read into when the handler has no arena of its own: 1 MiB, as ct-explode's
 * (see LINE_AREA). A filter whose fast path passes over most lines spends per batch what it
 * saves per line: ct-where errorCode~Denied on the bench's records, medians of 13, 0.34 s with
 * 128 KiB, 0.32 with 512 KiB, 0.31 with 1 MiB, 0.32 with 2 MiB. Worker threads get batches of
 * about 512 KiB (see ThreadedLines).
 */
const ARENA_BYTES = 1024 * 1024;

function plainArena(): LineArena {
  const area = Buffer.allocUnsafe(ARENA_BYTES);
  return { area: () => area };
}
