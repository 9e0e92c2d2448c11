// Standard output when it is a pipe, a file or a device: blocking writes, as cat makes them,
// and a writer thread for large outputs to a pipe (see pipe-writer.ts).
import { writeSync } from 'node:fs';
import { Writable } from 'node:stream';
import { PipeWriter } from './pipe-writer';

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
      if (!this.writer && (!this.isPipe || this.written < PIPE_THREAD_AFTER)) {
        this.writeBlocking(chunk, progress);
        this.written += progress.at;
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
