// Standard output when it is a pipe, a file or a device: blocking writes, as cat makes them,
// and a writer thread for large outputs to a pipe (see pipe-writer.ts).
import { writeSync } from 'node:fs';
import { Writable } from 'node:stream';
import { PipeWriter } from './pipe-writer';

/** Output to a pipe past this much may go through a PipeWriter thread; less is written directly. */
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
 * lags (writes wait for room) is written by a thread (see PipeWriter). A pipe made non-blocking
 * anyway is made blocking again (see makeStdoutBlocking); if that fails, what is left goes to
 * the thread, which waits for room.
 */
export class FdOutput extends Writable {
  private written = 0;
  /** Milliseconds spent in writes that waited for the reader (see PIPE_THREAD_AFTER_WAITING_MS). */
  private waited = 0;
  private firstWrite = -1;
  private writer: PipeWriter | undefined;
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

  private startWriter(): PipeWriter {
    if (process.env.CTPIPE_DEBUG) {
      const command = (process.argv[1] ?? '').replace(/^.*\//, '').replace(/\.js$/, '');
      writeSync(2, `${command}: debug: a thread writes the pipe from here: ${(this.written / 1e6).toFixed(1)} MB written, writes waited ${this.waited.toFixed(0)} ms for the reader\n`);
    }
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
