// The handlers that run on worker threads, by name: the one registry a thread builds its
// handler from. Each is loaded when first needed, so a command does not load the others' code
// at start-up; a renamed handler or a plan of the wrong shape still fails to compile.
import path from 'node:path';
import type { HandlerFactory } from '../run/handler';
import type { ThreadPlan } from '../run/threads/thread-plan';

export const HANDLERS = {
  where: async () => (await import('./where-handler')).whereHandler,
  explode: async () => (await import('./explode-handler')).explodeHandler,
  count: async () => (await import('./count-handler')).countHandler,
  csv: async () => (await import('./csv-handler')).csvHandler,
} as const;

export type HandlerName = keyof typeof HANDLERS;
type OptionsOf<N extends HandlerName> = Parameters<Awaited<ReturnType<(typeof HANDLERS)[N]>>>[0];

/** `batchBytes`: see ThreadPlan. */
export function threadPlan<N extends HandlerName>(handler: N, options: OptionsOf<N>, batchBytes?: number): ThreadPlan {
  return {
    batchBytes,
    // The built file: threads run from dist/ only (tests reach them through the bins).
    entry: path.join(__dirname, 'handler-thread.js'),
    handler,
    options,
    load: HANDLERS[handler] as () => Promise<HandlerFactory<unknown>>,
  };
}
