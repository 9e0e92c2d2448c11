// What it takes to run a command's handler on worker threads as well as on this one.
import type { HandlerFactory } from '../handler';

export interface ThreadPlan<O = unknown> {
  /** The built module a worker thread starts from; it builds the handler named `handler`. */
  entry: string;
  handler: string;
  /** Cloned to each thread (structured clone): plain data only. */
  options: O;
  /** Loads the same handler, for the batches this thread handles itself. */
  load(): Promise<HandlerFactory<O>>;
  /** Bytes of lines gathered into a batch before it goes to a thread (BATCH_BYTES unless set). */
  batchBytes?: number;
}

/**
 * A batch is sent once this much is gathered. At 128 KiB a 1 MiB read went out as eight
 * batches, each a message there and back: on the bench's items, medians in turn, ct-where
 * readOnly=true 0.82-0.95 -> 0.72-0.76 s and ct-count 1.02 -> 0.83 s with 512 KiB (256 KiB
 * 0.77 s, 1 MiB 0.75 s and 10 MB more memory).
 */
export const BATCH_BYTES = 512 * 1024;

/**
 * For a handler whose output outgrows its input and whose lines are all parsed (ct-explode
 * --keep-lookup: each item and its record): peak RSS on 60 MB of items 94 MB with 128 KiB
 * batches, 146 MB with 512 KiB.
 */
export const SMALL_BATCH_BYTES = 128 * 1024;
