// A pipe buffer of our own: bytes for a pipe go into a ring shared with a thread that writes
// them with blocking writes. A pipe holds 64 KiB; a command whose reader is a little behind
// waited in every write for the reader to take the last 64 KiB, and the reader waited for it in
// turn, twice per 64 KiB. With the ring the command goes on working while the thread waits:
// pipelines of three commands gain most (see the README's Benchmark section).
import path from 'node:path';

/** Indexes in the control array. */
export const USED = 0;
export const STATE = 1;
/** Only waited on, with a timeout (a sleep between retries of a non-blocking pipe). */
export const AT = 2;
/** STATE values. */
export const RUNNING = 0;
export const STOP = 1;
export const FAILED_EPIPE = 2;
export const FAILED_OTHER = 3;

export interface PipeWriterData {
  fd: number;
  ring: SharedArrayBuffer;
  control: SharedArrayBuffer;
}

/**
 * In `ct-explode | ct-where | ct-csv` on the bench's items, 1 MiB took 0.85 s, 4 MiB 0.76 s, 8 MiB
 * 0.73 s, 16 MiB 0.71 s (PERFORMANCE.md, session 14): the command runs ahead of a reader that
 * lags at times. Each MiB is touched, and counts against ct-explode --keep-lookup's 100 MB.
 */
const RING_BYTES = 4 * 1024 * 1024;
/** A chunk copied through the scratch buffer goes in pieces of this much (a multiple of 8). */
const SCRATCH_BYTES = 256 * 1024;

export class PipeWriter {
  private readonly bytes: Buffer;
  private readonly ctl: Int32Array;
  private head = 0;
  private scratch: Buffer | undefined;
  private readonly worker: import('node:worker_threads').Worker;

  constructor(fd: number) {
    const ring = new SharedArrayBuffer(RING_BYTES);
    const control = new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT);
    this.bytes = Buffer.from(ring);
    this.ctl = new Int32Array(control);
    const data: PipeWriterData = { fd, ring, control };
    // stdout/stderr: true, so the thread leaves process.stdout alone (creating it would make
    // the pipe non-blocking). Not kept alive by the thread: finish() waits for what is left.
    // node:worker_threads only now: most outputs never need a writer thread.
    const { Worker } = process.getBuiltinModule('node:worker_threads');
    this.worker = new Worker(path.join(__dirname, 'pipe-writer-thread.js'), {
      workerData: data,
      stdout: true,
      stderr: true,
      resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 8 },
    });
    this.worker.unref();
  }

  /**
   * Puts the bytes in the ring, waiting while it is full. Throws an error with the code EPIPE
   * once the reader has gone away, or another error if a write failed.
   */
  write(chunk: Buffer): void {
    const ctl = this.ctl;
    const size = this.bytes.length;
    for (let at = 0; at < chunk.length; ) {
      let used = Atomics.load(ctl, USED);
      while (used === size && Atomics.load(ctl, STATE) === RUNNING) {
        Atomics.wait(ctl, USED, used);
        used = Atomics.load(ctl, USED);
      }
      this.check();
      const n = Math.min(chunk.length - at, size - used, size - this.head);
      this.put(chunk, at, n);
      this.head = (this.head + n) % size;
      at += n;
      Atomics.add(ctl, USED, n);
      Atomics.notify(ctl, USED);
    }
  }

  /** Waits until everything put in is written (or writing failed), then lets the thread end. */
  finish(): void {
    const ctl = this.ctl;
    let used = Atomics.load(ctl, USED);
    while (used > 0 && Atomics.load(ctl, STATE) === RUNNING) {
      Atomics.wait(ctl, USED, used);
      used = Atomics.load(ctl, USED);
    }
    Atomics.compareExchange(ctl, STATE, RUNNING, STOP);
    Atomics.notify(ctl, USED);
  }

  /**
   * Copies chunk[at, at + n) to the ring at its head. V8 copies into shared memory a word at a
   * time only where source and target are equally aligned, else byte by byte (its Relaxed_Memcpy):
   * 246 MB took ~100 ms so, 25 ms through a scratch buffer placed at the ring's alignment (an
   * ordinary memcpy, then words).
   */
  private put(chunk: Buffer, at: number, n: number): void {
    if (((chunk.byteOffset + at - this.head) & 7) === 0) {
      chunk.copy(this.bytes, this.head, at, at + n);
      return;
    }
    const scratch = (this.scratch ??= Buffer.allocUnsafeSlow(SCRATCH_BYTES + 8));
    const shift = (this.head - scratch.byteOffset) & 7;
    for (let done = 0; done < n; ) {
      const k = Math.min(n - done, SCRATCH_BYTES);
      // Both at the same alignment as the ring's place for them: done is a multiple of 8.
      chunk.copy(scratch, shift, at + done, at + done + k);
      scratch.copy(this.bytes, this.head + done, shift, shift + k);
      done += k;
    }
  }

  private check(): void {
    const state = Atomics.load(this.ctl, STATE);
    if (state === FAILED_EPIPE) throw Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
    if (state === FAILED_OTHER) throw new Error('a write by the writer thread failed');
  }
}
