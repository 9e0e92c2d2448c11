// The one writer of stdout: batches small writes (zero-copy runs of input bytes), decides when
// to flush, waits for 'drain' (backpressure), turns a closed pipe (EPIPE, as in `| head -1`)
// into a quiet stop and any other failed write (ENOSPC) into one error for the user.
import { Writable } from 'node:stream';
import { CtError, EXIT } from '../common/errors';
import { poison } from '../common/poison';
import { FdOutput } from './fd-output';

/** Output held back for at most this long while it is smaller than SMALL_OUTPUT (see flushSoon). */
const FLUSH_DELAY_MS = 20;
const SMALL_OUTPUT = 64 * 1024;
/** The reused buffer a flush joins its parts in (see joinBuffer); a larger flush gets a new one. */
const JOIN_BYTES = 2 * 1024 * 1024;

export class OutputWriter {
  private parts: (Buffer | string)[] = [];
  private pending = 0;
  /** Parts before this index are owned copies (see keep). */
  private kept = 0;
  /** A run of adjacent bytes of one input buffer, kept as offsets until something else is written. */
  private run: { buf: Buffer; start: number; end: number } | null = null;
  private broken = false;
  private failure: Error | undefined;
  private lastFlush = 0;
  private flushTimer: NodeJS.Timeout | undefined;
  private joined: Buffer | undefined;

  constructor(private readonly stream: Writable) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') this.broken = true;
      else this.failure ??= this.ownFailure() ?? writeFailure(err);
    });
  }

  /** True once the reader of our output has gone away; callers stop reading input. */
  get closed(): boolean {
    return this.broken || this.stream.destroyed;
  }

  /** True when each flush() leaves no reference to what was written (see FdOutput). */
  get takesWrites(): boolean {
    return this.stream instanceof FdOutput;
  }

  /**
   * True when, after flush() has returned, nothing still refers to what was written: always for
   * our own output; for process.stdout as a terminal or socket (not looked up by name: that
   * would create it) once it queues nothing; never for a stream in memory (tests), which may
   * keep the chunks themselves.
   */
  get released(): boolean {
    if (this.takesWrites) return true;
    // node:net only now, not at start-up: few runs need it.
    const { Socket } = process.getBuiltinModule('node:net');
    return this.stream instanceof Socket && this.stream.writableLength === 0;
  }

  write(part: Buffer | string): void {
    this.endRun();
    this.parts.push(part);
    this.pending += part.length;
  }

  /** Writes the text and a "\n" (without building the joined string). */
  writeLine(text: string): void {
    this.write(text);
    this.write('\n');
  }

  /** Writes buf[start, end) without copying; adjacent ranges of one buffer become one slice. */
  writeRange(buf: Buffer, start: number, end: number): void {
    const run = this.run;
    if (run && run.buf === buf && run.end === start) run.end = end;
    else {
      this.endRun();
      this.run = { buf, start, end };
    }
    this.pending += end - start;
  }

  private endRun(): void {
    if (!this.run) return;
    this.parts.push(this.run.buf.subarray(this.run.start, this.run.end));
    this.run = null;
  }

  /** Bytes written but not yet flushed. */
  get pendingBytes(): number {
    return this.pending;
  }

  /**
   * Copies what was written since the last call out of the buffers it points into, so output
   * held back for a later flush keeps only its own bytes, not the input chunks they came from.
   */
  keep(): void {
    this.endRun();
    if (this.parts.length - this.kept > 0) {
      const tail = joinParts(this.parts.slice(this.kept));
      this.parts.length = this.kept;
      this.parts.push(tail);
    }
    this.kept = this.parts.length;
  }

  /**
   * Writes out what is held, unless it is little and a write went out less than 20 ms ago: then
   * it waits for more, at most 20 ms (a timer writes it if the input stalls). Reading a pipe 64
   * KiB at a time, a filter wrote a line or two per read, and the next command in the pipeline
   * woke up for each.
   */
  async flushSoon(): Promise<void> {
    if (this.pending === 0) return;
    if (this.pending < SMALL_OUTPUT && performance.now() - this.lastFlush < FLUSH_DELAY_MS) {
      this.keep();
      // A failure is kept, and thrown by the next flush.
      this.flushTimer ??= setTimeout(() => void this.flush().catch(() => undefined), FLUSH_DELAY_MS);
      return;
    }
    await this.flush();
  }

  /**
   * The last flush of a run: writes what is held and throws if any write failed, including one
   * whose failure is only reported after the write returned.
   */
  async finish(): Promise<void> {
    await this.flush();
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.throwIfFailed();
  }

  async flush(): Promise<void> {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.throwIfFailed();
    if (this.pending > 0) this.lastFlush = performance.now();
    this.endRun();
    if (this.parts.length === 0 || this.closed) {
      this.parts = [];
      this.pending = 0;
      this.kept = 0;
      return;
    }
    const chunk = this.parts.length === 1 ? this.parts[0] : joinParts(this.parts, this.joinBuffer());
    this.parts = [];
    this.pending = 0;
    this.kept = 0;
    if (!this.stream.write(chunk)) await this.drained();
    this.throwIfFailed();
    // Under the buffer rule's check, what still pointed into the reused buffer would read '#'.
    if (this.joined && typeof chunk !== 'string' && chunk.buffer === this.joined.buffer) poison(this.joined);
  }

  /**
   * Where a flush to our own output joins its parts: reused, since the output takes each chunk
   * before write() returns. A new buffer per flush cost its pages' faults every time: ct-where
   * readOnly=true on one thread spent a third of its CPU joining and faulting (the matches of a
   * read, half of it, are many slices of the input). Other streams may keep the chunk: a new one.
   */
  private joinBuffer(): Buffer | undefined {
    if (!this.takesWrites) return undefined;
    return (this.joined ??= Buffer.allocUnsafeSlow(JOIN_BYTES));
  }

  /**
   * Everything written so far as bytes, in `target` if it has room, else in a new buffer; for a
   * worker thread that sends its output back instead of writing it to a stream.
   */
  takeInto(target: Buffer): Buffer {
    this.endRun();
    const out = joinParts(this.parts, target);
    this.parts = [];
    this.pending = 0;
    this.kept = 0;
    return out;
  }

  /**
   * A failed write is kept (by the stream's 'error' listener) and thrown by the next flush; our
   * own output's is known at once, with what of the failed chunk did go out.
   */
  private throwIfFailed(): void {
    if (this.stream instanceof FdOutput && this.stream.failed?.error.code === 'EPIPE') this.broken = true;
    else this.failure ??= this.ownFailure();
    const failure: Error | undefined = this.failure;
    if (failure) throw failure;
  }

  private ownFailure(): WriteFailure | undefined {
    const failed = this.stream instanceof FdOutput ? this.stream.failed : undefined;
    return failed && writeFailure(failed.error, failed.chunk.subarray(0, failed.wrote));
  }

  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        this.stream.off('drain', done);
        this.stream.off('close', done);
        this.stream.off('error', done);
        resolve();
      };
      this.stream.on('drain', done);
      this.stream.on('close', done);
      this.stream.on('error', done);
    });
  }
}

/**
 * Standard output failed (a full disk, a file size limit). `lines` counts the lines of the
 * failed write that went out whole; `cut` is how many bytes of a line after them went out too
 * (the output then ends in a line cut short).
 */
export class WriteFailure extends CtError {
  private linesTaken = false;

  constructor(
    message: string,
    private readonly lines: number,
    readonly cut: number,
  ) {
    super('output', message, EXIT.data);
  }

  /** The whole lines of the failed write, to the one writer whose write it was (0 to the others). */
  takeLines(): number {
    if (this.linesTaken) return 0;
    this.linesTaken = true;
    return this.lines;
  }
}

/** `ENOSPC: no space left on device, write` as one line for a user: what failed, and why. */
function writeFailure(err: NodeJS.ErrnoException, wrote?: Buffer): WriteFailure {
  const prefix = `${err.code}: `;
  const why = err.code && err.message.startsWith(prefix) ? `${err.message.slice(prefix.length).replace(/, write$/, '')} (${err.code})` : err.message;
  let lines = 0;
  let lastEnd = 0;
  for (let i = wrote ? wrote.indexOf(10) : -1; i >= 0; i = wrote!.indexOf(10, i + 1)) {
    lines++;
    lastEnd = i + 1;
  }
  return new WriteFailure(`could not write to standard output: ${why}`, lines, wrote ? wrote.length - lastEnd : 0);
}

/**
 * One buffer for one write: strings are encoded straight into it (UTF-8 needs at most 3 bytes
 * per UTF-16 unit). Joining the strings first and encoding the result is much slower: the
 * join copies everything once more, and one two-byte line makes the whole joined string two-byte.
 * With a `target` (a reused buffer), the exact size is counted when the bound does not fit, so
 * the target is used whenever the bytes fit; a new buffer (never a slice of the shared pool, so
 * a worker thread can transfer it) only when they do not.
 */
function joinParts(parts: (Buffer | string)[], target?: Buffer): Buffer {
  let size = 0;
  for (const p of parts) size += typeof p === 'string' ? p.length * 3 : p.length;
  let out: Buffer;
  if (!target) out = Buffer.allocUnsafe(size);
  else {
    if (size > target.length) size = exactSize(parts);
    out = size <= target.length ? target : Buffer.allocUnsafeSlow(size);
  }
  let at = 0;
  for (const p of parts) at += typeof p === 'string' ? out.write(p, at) : p.copy(out, at);
  return out.subarray(0, at);
}

function exactSize(parts: (Buffer | string)[]): number {
  let size = 0;
  for (const p of parts) size += typeof p === 'string' ? Buffer.byteLength(p) : p.length;
  return size;
}
