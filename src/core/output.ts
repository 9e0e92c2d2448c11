// Owns writing to stdout: batches small writes, waits for 'drain' (backpressure) and turns a
// closed pipe (EPIPE, as in `| head -1`) into a quiet stop instead of an error.
import { writeSync } from 'node:fs';
import type { Socket } from 'node:net';
import { Writable } from 'node:stream';
import type { PipeWriter } from './pipe-writer';
import { CtError, EXIT } from './errors';

const FLUSH_BYTES = 256 * 1024;

export class OutputWriter {
  private parts: (Buffer | string)[] = [];
  private pending = 0;
  /** Parts before this index are owned copies (see keep). */
  private kept = 0;
  /** A run of adjacent bytes of one input buffer, kept as offsets until something else is written. */
  private run: { buf: Buffer; start: number; end: number } | null = null;
  private broken = false;
  private failure: Error | undefined;

  constructor(private readonly stream: Writable) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') this.broken = true;
      else this.failure = writeFailure(err);
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
    const { Socket } = require('node:net') as typeof import('node:net'); // not at start-up: few need it
    return this.stream instanceof Socket && (this.stream as Socket).writableLength === 0;
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

  /** Writes out what is batched once enough has gathered; cheap to call per event. */
  async maybeFlush(): Promise<void> {
    if (this.pending >= FLUSH_BYTES) await this.flush();
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

  async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    this.endRun();
    if (this.parts.length === 0 || this.closed) {
      this.parts = [];
      this.pending = 0;
      this.kept = 0;
      return;
    }
    const chunk = this.parts.length === 1 ? this.parts[0] : joinParts(this.parts);
    this.parts = [];
    this.pending = 0;
    this.kept = 0;
    if (!this.stream.write(chunk)) await this.drained();
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

/** `ENOSPC: no space left on device, write` as one line for a user: what failed, and why. */
function writeFailure(err: NodeJS.ErrnoException): CtError {
  const prefix = `${err.code}: `;
  const why = err.code && err.message.startsWith(prefix) ? `${err.message.slice(prefix.length).replace(/, write$/, '')} (${err.code})` : err.message;
  return new CtError('output', `could not write to standard output: ${why}`, EXIT.data);
}

/**
 * One buffer for one write: strings are encoded straight into it (UTF-8 needs at most 3 bytes
 * per UTF-16 unit). Joining the strings first and encoding the result took 4-5x as long: the
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

/** Output to a pipe past this much goes through a PipeWriter thread; less is written directly. */
const PIPE_THREAD_AFTER = 1024 * 1024;

/**
 * Standard output when it is a pipe, a file or a device (not a terminal), written with blocking
 * writes as cat writes: each chunk is taken (written, or copied into the PipeWriter's ring)
 * before write() returns. process.stdout makes a pipe non-blocking: a write puts 64 KiB (what
 * the pipe holds) in, and the rest waits for the event loop to see room, one turn per 64 KiB,
 * while the command waits for 'drain' instead of working. A pipe past the first MiB is written
 * by a thread (see PipeWriter). A pipe made non-blocking anyway is made blocking again (see
 * makeStdoutBlocking); if that fails, what is left goes to the thread, which waits for room.
 */
export class FdOutput extends Writable {
  private written = 0;
  private writer: PipeWriter | undefined;

  constructor(
    private readonly descriptor: number,
    private readonly isPipe: boolean,
  ) {
    super();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (err?: Error | null) => void): void {
    try {
      let at = 0;
      if (!this.writer && (!this.isPipe || this.written < PIPE_THREAD_AFTER)) {
        at = this.writeBlocking(chunk);
        this.written += at;
      }
      if (at < chunk.length) {
        this.writer ??= this.startWriter();
        this.writer.write(at === 0 ? chunk : chunk.subarray(at));
      }
    } catch (err) {
      done(err as Error);
      return;
    }
    done();
  }

  /** Writes with blocking writes; stops short only on a pipe that stays non-blocking. */
  private writeBlocking(chunk: Buffer): number {
    let at = 0;
    for (let madeBlocking = false; ; madeBlocking = true) {
      try {
        while (at < chunk.length) at += writeSync(this.descriptor, chunk, at, chunk.length - at);
        return at;
      } catch (err) {
        if (!this.isPipe || (err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
        if (madeBlocking || !makeStdoutBlocking()) return at;
      }
    }
  }

  private startWriter(): PipeWriter {
    // Loaded here, not at start-up: node:worker_threads is for large outputs only.
    const { PipeWriter } = require('./pipe-writer') as typeof import('./pipe-writer');
    const writer = new PipeWriter(this.descriptor);
    // What is still in the ring is written before the process ends.
    process.on('exit', () => writer.finish());
    return writer;
  }
}

/**
 * Creating process.stdout makes a pipe non-blocking, and much does: yargs when it loads,
 * Readable.pipe() (which compares its destination with process.stdout), process.stderr when it
 * is the same pipe (`2>&1`). Its handle can make the pipe blocking again (libuv's
 * uv_stream_set_blocking); true if it did.
 */
function makeStdoutBlocking(): boolean {
  const handle = (process.stdout as unknown as { _handle?: { setBlocking?(blocking: boolean): number } })._handle;
  return handle?.setBlocking?.(true) === 0;
}
