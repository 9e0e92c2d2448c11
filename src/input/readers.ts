// Byte streams of input: regular files and pipes on stdin are read with readSync, into the
// caller's buffer when it has one (see run/handler.ts for the rule that comes with that).
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { debug } from '../common/debug';
import { enlargePipe, PIPE_DEFAULT } from '../common/pipe-size';

/**
 * A pipe read past this much, never more than 64 KiB at a time, is made to hold 1 MiB (see
 * common/pipe-size.ts): `cat FILE | ct-where` 0.46 -> 0.34 s, `cat FILE | ct-csv` 0.85 -> 0.65 s.
 * Past 8 MiB, so that a ctpipe command writing the pipe asks first (at 1 MiB, see FdOutput), and
 * the ~30 ms the asking costs is a small share of the run.
 */
const ENLARGE_AFTER = 8 * 1024 * 1024;

/** A source's bytes: chunks in order (a Readable is one). */
export type ByteStream = AsyncIterable<Buffer> & { destroy(): void };

/**
 * Read size for files: larger is faster per byte, smaller keeps peak memory down; at this size
 * larger reads were no faster (see the README's Benchmark section).
 */
export const READ_CHUNK = 128 * 1024;

/** A buffer a read left empty (at the end of a file): each file's reads would otherwise end with one allocated for nothing. */
let unfilled: Buffer | undefined;

/**
 * A regular file (or stdin redirected from one), read with readSync. From the page cache a read
 * never blocks for long, and the event loop does not sit idle while the thread pool reads.
 * A pipe on stdin has PipeReader; named pipes given as arguments and terminals keep node's streams.
 *
 * Chunks come in new buffers; readInto() reads into the caller's own instead (see lineBatches),
 * which spares a fresh allocation per read: its pages, and the collections that free them.
 */
export class FileReader implements ByteStream {
  private fd: number;

  constructor(private readonly file: string | number) {
    this.fd = typeof file === 'number' ? file : -1;
  }

  /** The file's size in bytes. */
  size(): number {
    return this.fd >= 0 ? fstatSync(this.fd).size : typeof this.file === 'number' ? fstatSync(this.file).size : statSync(this.file).size;
  }

  /** Reads into buf[at, buf.length); the number of bytes read, 0 at the end. */
  readInto(buf: Buffer, at: number): number {
    if (this.fd < 0) this.fd = openSync(this.file as string, 'r');
    return readSync(this.fd, buf, at, buf.length - at, null);
  }

  [Symbol.asyncIterator](): AsyncIterator<Buffer> {
    return {
      next: () => {
        const buf = unfilled ?? Buffer.allocUnsafe(READ_CHUNK);
        unfilled = undefined;
        const n = this.readInto(buf, 0);
        if (n > 0) return Promise.resolve({ done: false, value: buf.subarray(0, n) });
        // The read that finds the end: its buffer serves the next file's first read.
        unfilled = buf;
        return Promise.resolve({ done: true, value: undefined });
      },
    };
  }

  destroy(): void {
    if (typeof this.file === 'string' && this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}

/** What PipeReader needs of process.stdin's handle (libuv's uv_stream_set_blocking). */
interface BlockingSwitch {
  setBlocking(blocking: boolean): number;
}

/**
 * Standard input when it is a pipe, read like a file (readSync, into the caller's buffer when
 * it has one) from a descriptor made non-blocking: a read takes what the pipe holds, and reads
 * follow while there is more, so a batch is all that has arrived rather than one 64 KiB read.
 * Read through process.stdin, each 64 KiB came in a new buffer through a callback and the
 * stream's machinery, a cost per read that showed in every pipeline. When the pipe is empty,
 * beforeWait runs first (input has stalled: the consumer writes out what it holds back), then
 * one read waits, with the descriptor blocking for it. Nothing is left waiting at exit.
 */
export class PipeReader implements ByteStream {
  /** Set by the consumer; awaited before a read that waits for input. */
  beforeWait: () => Promise<void> = () => Promise.resolve();
  /** Reads so far, and those that found the pipe empty and waited: input slower than its reader. */
  reads = 0;
  stalls = 0;
  /** Bytes read, the most one read returned, and whether the pipe was asked to hold more (once). */
  private bytesRead = 0;
  private largestRead = 0;
  private enlargeTried = false;

  private constructor(private readonly handle: BlockingSwitch) {}

  /** process.stdin's pipe, if its descriptor can be switched between blocking and not. */
  static forStdin(): PipeReader | undefined {
    const handle = (process.stdin as unknown as { _handle?: Partial<BlockingSwitch> })._handle;
    if (typeof handle?.setBlocking !== 'function' || handle.setBlocking(false) !== 0) return undefined;
    return new PipeReader(handle as BlockingSwitch);
  }

  /** Reads into buf[at, buf.length) what has arrived, waiting only if nothing has; 0 at the end. */
  async readInto(buf: Buffer, at: number): Promise<number> {
    this.reads++;
    if (!this.enlargeTried && this.bytesRead >= ENLARGE_AFTER) this.enlarge();
    let n = this.tryRead(buf, at);
    if (n < 0) {
      this.stalls++;
      await this.beforeWait();
      this.handle.setBlocking(true);
      try {
        return this.counted(readSync(0, buf, at, buf.length - at, null));
      } finally {
        this.handle.setBlocking(false);
      }
    }
    let total = this.counted(n);
    while (n > 0 && at + total < buf.length && (n = this.tryRead(buf, at + total)) > 0) total += this.counted(n);
    return total;
  }

  private counted(n: number): number {
    this.bytesRead += n;
    if (n > this.largestRead) this.largestRead = n;
    return n;
  }

  /** A pipe that holds 64 KiB, as no read returned more, is asked to hold 1 MiB. */
  private enlarge(): void {
    this.enlargeTried = true;
    if (this.largestRead > PIPE_DEFAULT) return;
    const size = enlargePipe(0);
    debug(
      typeof size === 'number'
        ? `the pipe read holds ${size / 1024} KiB from here (it held ${PIPE_DEFAULT / 1024}): ${(this.bytesRead / 1e6).toFixed(1)} MB read`
        : `the pipe read could not be made to hold more (${size})`,
    );
  }

  /**
   * What the pipe holds (0 at the end), or -1 if it is empty. An empty pipe is an error thrown by
   * readSync, at most reads of a pipeline's batches: made without a stack trace, whose capture
   * (frames summarised, source lines found) showed in ct-where's profile behind a pipe.
   */
  private tryRead(buf: Buffer, at: number): number {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      return readSync(0, buf, at, buf.length - at, null);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EAGAIN') return -1;
      throw err;
    } finally {
      Error.stackTraceLimit = limit;
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Buffer> {
    for (;;) {
      const buf = Buffer.allocUnsafe(READ_CHUNK);
      const n = await this.readInto(buf, 0);
      if (n === 0) return;
      yield buf.subarray(0, n);
    }
  }

  destroy(): void {
    process.stdin.destroy();
  }
}

