// The body of a LineWorkers thread: builds the command's handler once, from the registry its
// entry module passes (commands/handler-thread.ts), then answers each batch of NDJSON lines it
// is sent with the output bytes and problems (see BatchRunner).
import { parentPort, workerData } from 'node:worker_threads';
import { messageOf } from '../../common/errors';
import type { HandlerFactory } from '../handler';
import { BatchRunner } from './batch-runner';
import type { BatchReply, BatchRequest, WorkerStart } from './messages';

export async function serveBatches(registry: Readonly<Record<string, () => Promise<HandlerFactory<never>>>>): Promise<void> {
  const { handler, options, replies } = workerData as WorkerStart;
  const runner = new BatchRunner((await registry[handler]()) as HandlerFactory<unknown>, options);
  parentPort!.on('message', (request: BatchRequest) => {
    let reply: BatchReply;
    const transfer: ArrayBuffer[] = [];
    try {
      const input = Buffer.from(request.input, 0, request.length);
      const { output, ...counts } = runner.run(input, Buffer.from(request.output));
      reply = { id: request.id, input: request.input, output: output.buffer as ArrayBuffer, outputLength: output.length, ...counts };
      transfer.push(request.input, reply.output);
    } catch (err) {
      reply = { id: request.id, error: messageOf(err) };
    }
    replies.postMessage(reply, transfer);
  });
}
