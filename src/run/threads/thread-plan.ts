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
}
