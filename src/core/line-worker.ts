// The body of a LineWorkers thread: builds the command's handler once, then answers each batch
// of NDJSON lines it is sent with the output bytes and problems (see BatchRunner).
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { BatchRunner, type WorkerPlan } from './batch-runner';
import { messageOf } from './errors';
import type { BatchReply, BatchRequest } from './line-workers';

const { plan, name, replies } = workerData as { plan: WorkerPlan; name: string; replies: MessagePort };
const runner = new BatchRunner(plan, name);

parentPort!.on('message', (request: BatchRequest) => {
  let reply: BatchReply;
  const transfer: ArrayBuffer[] = [];
  try {
    const input = Buffer.from(request.input, 0, request.length);
    const { output, problems, lines, matched } = runner.run(request.source, input, Buffer.from(request.output));
    reply = { id: request.id, input: request.input, output: output.buffer as ArrayBuffer, outputLength: output.length, problems, lines, matched };
    transfer.push(request.input, reply.output);
  } catch (err) {
    reply = { id: request.id, error: messageOf(err) };
  }
  replies.postMessage(reply, transfer);
});
