// Standard output when it is a pipe, a file or a device: blocking writes, as cat makes them; a
// pipe that carries much is made to hold 1 MiB (see common/pipe-size.ts), or else gets a writer
// thread (see pipe-writer.ts).
import { writeSync } from 'node:fs';
import { Writable } from 'node:stream';
import { debug } from '../common/debug';
import { enlargePipe, PIPE_DEFAULT } from '../common/pipe-size';
import { PipeWriter } from './pipe-writer';

/** Output to a pipe past this much may have the pipe enlarged, or else go through a PipeWriter thread. */
const PIPE_THREAD_AFTER = 1024 * 1024;
/**
 * ...and only once its writes have waited for the reader this long in all, and for a quarter of
 * the time since the first write (a write that took over WAITED_MS waited, for room or for a
 * core). A thread costs some 40-60 ms of CPU to start. ct-explode's writes into ct-where wait
 * from the start (35-50% of the time); ct-where's few matches into ct-csv waited 12-40 ms over
 * 0.8 s, sporadically, and a thread there was a tenth of `ct-explode | ct-where | ct-csv`'s time.
 */
const PIPE_THREAD_AFTER_WAITING_MS = 20;
const WAITED_MS = 1;

/**
 * Standard output when it is a pipe, a file or a device (not a terminal), written with blocking
 * writes as cat writes: each chunk is taken (written, or copied into the PipeWriter's ring)
 * before write() returns. process.stdout makes a pipe non-blocking: a write puts 64 KiB (what
 * the pipe holds) in, and the rest waits for the event loop to see room, one turn per 64 KiB,
 * while the command waits for 'drain' instead of working. A pipe past the first MiB whose reader
 * lags (writes wait for room) is made to hold 1 MiB (see enlarge), or else written by a thread
 * (see PipeWriter). A pipe made non-blocking anyway is made blocking again (see
 * makeStdoutBlocking); if that fails, what is left goes to the thread, which waits for room.
 */
export class FdOutput extends Writable {
  private written = 0;
  /** Milliseconds spent in writes that waited for the reader (see PIPE_THREAD_AFTER_WAITING_MS). */
  private waited = 0;
  private firstWrite = -1;
  private writer: PipeWriter | undefined;
  /** Whether the pipe was asked to hold more (once: see enlarge), and whether it does. */
  private enlargeTried = false;
  private enlarged = false;
  /**
   * The failed write, known as it happens (the stream's 'error' event comes ticks later), with
   * how much of its chunk went out before it failed.
   */
  failed: { error: NodeJS.ErrnoException; chunk: Buffer; wrote: number } | undefined;

  constructor(
    private readonly descriptor: number,
    private readonly isPipe: boolean,
  ) {
    super();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (err?: Error | null) => void): void {
    const progress = { at: 0 };
    try {
      if (!this.writer && !this.enlargeTried && this.threadWanted()) this.enlarge();
      if (!this.writer && !this.threadWanted()) {
        const started = this.isPipe ? performance.now() : 0;
        if (this.firstWrite < 0) this.firstWrite = started;
        this.writeBlocking(chunk, progress);
        this.written += progress.at;
        if (this.isPipe) {
          const took = performance.now() - started;
          if (took > WAITED_MS) this.waited += took;
        }
      }
      const at = progress.at;
      if (at < chunk.length) {
        this.writer ??= this.startWriter();
        this.writer.write(at === 0 ? chunk : chunk.subarray(at));
      }
    } catch (err) {
      this.failed ??= { error: err as NodeJS.ErrnoException, chunk, wrote: progress.at };
      done(err as Error);
      return;
    }
    done();
  }

  /** A pipe past its first MiB whose reader has kept this command waiting: a thread writes the rest. */
  private threadWanted(): boolean {
    return (
      this.isPipe &&
      !this.enlarged &&
      this.written >= PIPE_THREAD_AFTER &&
      this.waited >= PIPE_THREAD_AFTER_WAITING_MS &&
      this.waited * 4 >= performance.now() - this.firstWrite
    );
  }

  /** Writes with blocking writes; stops short only on a pipe that stays non-blocking. */
  private writeBlocking(chunk: Buffer, progress: { at: number }): void {
    for (let madeBlocking = false; ; madeBlocking = true) {
      try {
        while (progress.at < chunk.length) progress.at += writeSync(this.descriptor, chunk, progress.at, chunk.length - progress.at);
        return;
      } catch (err) {
        if (!this.isPipe || (err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
        if (madeBlocking || !makeStdoutBlocking()) return;
      }
    }
  }

  /**
   * Before a thread, the pipe is made to hold 1 MiB instead of 64 KiB (see common/pipe-size.ts).
   * That spares more than a thread did, without its start (40-60 ms of CPU) and its ring (4 MiB):
   * ct-explode | ct-where | ct-csv 0.93 s with a thread after it, 0.88 s without; ct-explode |
   * ct-csv 0.89 / 0.83 s; ct-explode | ct-where readOnly=true | ct-count 1.36 / 1.29 s (medians
   * of 5-9 in turn). A thread is for a pipe that stays at 64 KiB.
   */
  private enlarge(): void {
    this.enlargeTried = true;
    const size = enlargePipe(1);
    debug(
      typeof size === 'number'
        ? `the pipe holds ${size / 1024} KiB from here (it held ${PIPE_DEFAULT / 1024}): ${(this.written / 1e6).toFixed(1)} MB written, writes waited ${this.waited.toFixed(0)} ms for the reader`
        : `the pipe could not be made to hold more (${size})`,
    );
    this.enlarged = typeof size === 'number';
  }

  private startWriter(): PipeWriter {
    debug(`a thread writes the pipe from here: ${(this.written / 1e6).toFixed(1)} MB written, writes waited ${this.waited.toFixed(0)} ms for the reader`);
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
