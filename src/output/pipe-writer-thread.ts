// The body of a PipeWriter thread: writes what the main thread puts in the shared ring to the
// file descriptor with blocking writes, oldest first, until told to stop or the write fails.
import { writeSync } from 'node:fs';
import { workerData } from 'node:worker_threads';
import { AT, FAILED_EPIPE, FAILED_OTHER, STATE, STOP, USED, type PipeWriterData } from './pipe-writer';

const { fd, ring, control } = workerData as PipeWriterData;
const bytes = Buffer.from(ring);
const ctl = new Int32Array(control);
/** A pipe that is non-blocking after all (another process or stream made it so) is retried this often. */
const RETRY_MS = 1;

let tail = 0;
for (;;) {
  let used = Atomics.load(ctl, USED);
  while (used === 0 && Atomics.load(ctl, STATE) !== STOP) {
    Atomics.wait(ctl, USED, 0);
    used = Atomics.load(ctl, USED);
  }
  if (used === 0) break; // told to stop, and everything is written
  const n = Math.min(used, bytes.length - tail);
  let done = 0;
  try {
    while (done < n) {
      try {
        done += writeSync(fd, bytes, tail + done, n - done);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
        Atomics.wait(ctl, AT, Atomics.load(ctl, AT), RETRY_MS);
      }
    }
  } catch (err) {
    Atomics.store(ctl, STATE, (err as NodeJS.ErrnoException).code === 'EPIPE' ? FAILED_EPIPE : FAILED_OTHER);
    Atomics.notify(ctl, USED);
    break;
  }
  tail = (tail + n) % bytes.length;
  Atomics.sub(ctl, USED, n);
  Atomics.notify(ctl, USED);
}
