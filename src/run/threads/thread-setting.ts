// CTPIPE_THREADS: how many worker threads share NDJSON with the main thread. Read once per run,
// before any thread is started (and without loading the thread machinery), so a value that is
// not a number is said even when the input turns out too small for threads.
import { availableParallelism } from 'node:os';
import { warn, type Io } from '../io';

const DEFAULT_WORKERS = 1;

export interface ThreadSetting {
  /** Worker threads to start (0: none, as on one core). */
  count: number;
  /** Set by the user (CTPIPE_THREADS=N, N > 0): started whatever the input's size. */
  asked: boolean;
}

export function threadSetting(io: Io): ThreadSetting {
  const setting = process.env.CTPIPE_THREADS ?? '';
  const valid = /^\d+$/.test(setting);
  if (setting && !valid) warn(io, `CTPIPE_THREADS=${setting} is not a number of threads; using ${DEFAULT_WORKERS}`);
  const count = Math.min(valid ? Number(setting) : DEFAULT_WORKERS, availableParallelism() - 1);
  return { count, asked: valid && count > 0 };
}
