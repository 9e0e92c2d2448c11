// The handlers that run on worker threads, by name: the one registry a thread builds its
// handler from. A renamed handler or a plan of the wrong shape fails to compile.
import path from 'node:path';
import type { HandlerFactory } from '../run/handler';
import type { ThreadPlan } from '../run/threads/thread-plan';
import { explodeHandler } from './explode-handler';
import { whereHandler } from './where-handler';

export const HANDLERS = { where: whereHandler, explode: explodeHandler } as const;

export type HandlerName = keyof typeof HANDLERS;
type OptionsOf<N extends HandlerName> = Parameters<(typeof HANDLERS)[N]>[0];

export function threadPlan<N extends HandlerName>(handler: N, options: OptionsOf<N>): ThreadPlan {
  return {
    // The built file: threads run from dist/ only (tests reach them through the bins).
    entry: path.join(__dirname, 'handler-thread.js'),
    handler,
    options,
    factory: HANDLERS[handler] as HandlerFactory<unknown>,
  };
}
