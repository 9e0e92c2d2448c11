// The module a worker thread starts from: it serves batches with a handler from the registry.
import { serveBatches } from '../run/threads/line-worker';
import { HANDLERS } from './handlers';

void serveBatches(HANDLERS);
