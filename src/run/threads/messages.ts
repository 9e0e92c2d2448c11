// What the main thread and a LineWorkers thread send each other.
import type { MessagePort } from 'node:worker_threads';
import type { BatchOutput } from './batch-runner';

/** workerData: the handler to build, by name in the registry, and where to reply. */
export interface WorkerStart {
  handler: string;
  options: unknown;
  replies: MessagePort;
}

/** main -> worker */
export interface BatchRequest {
  id: number;
  input: ArrayBuffer;
  length: number;
  output: ArrayBuffer;
}

/** worker -> main */
export type BatchReply =
  | { id: number; input: ArrayBuffer; output: ArrayBuffer; outputLength: number } & Omit<BatchOutput, 'output'>
  | { id: number; error: string };

