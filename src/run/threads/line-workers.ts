// Spreads batches of NDJSON lines over a worker thread and the main thread. Both run the
// command's own handler on a batch (BatchRunner) and give back the output bytes and the
// problems found, numbered by line within the batch; results are taken in the order the
// batches were read, so output and diagnostics come out as from a single thread.
//
// The worker gets each batch it can take (it keeps two in hand, so it never waits for the main
// thread); the main thread handles the rest itself between reads and writes. One worker, not
// one per core: on 2 cores that is as fast as two workers beside an idle main thread, and each
// worker costs memory out of a per-process budget of 100 MB (see the README's Benchmark section).
//
// Buffers go back and forth (transferred, not copied) and are reused.
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { poison, POISONING } from '../../common/poison';
import { warn, type Io } from '../io';
import { BatchRunner, type BatchOutput } from './batch-runner';
import type { HandlerFactory } from '../handler';
import { BATCH_BYTES, type ThreadPlan } from './thread-plan';
import type { BatchReply, BatchRequest, WorkerStart } from './messages';

/** Batches in a worker's hands: one being handled, one waiting, so it never idles. */
const PER_WORKER = 2;
/**
 * Batches the main thread may handle before the oldest one a worker holds is back: without
 * this room it waited for the worker instead of working, and handled a third of the batches.
 */
const MAIN_AHEAD = 3;

interface Waiting {
  resolve(r: BatchOutput): void;
  reject(err: Error): void;
}

export class LineWorkers {
  /** How many batches may be in flight before the caller should wait for the oldest. */
  readonly capacity: number;
  /** Bytes of lines to gather into a batch (see ThreadedLines). */
  readonly batchBytes: number;
  /** Room for a batch (up to three times batchBytes: see ThreadedLines.add) and its output: batches never grow. */
  private readonly bufferSize: number;
  private readonly workers: Worker[];
  private readonly busy = new Map<Worker, number>();
  /** Where each worker's replies arrive; read without waiting too (see poll). */
  private readonly replies = new Map<Worker, MessagePort>();
  private readonly local: BatchRunner<unknown>;
  /** Buffers to reuse: inputs come back with each reply, outputs once written (recycle). */
  private readonly inputs: ArrayBuffer[] = [];
  private readonly outputs: ArrayBuffer[] = [];
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 0;
  /** The batch being gathered. */
  private open: ArrayBuffer | undefined;
  private openLength = 0;
  private failure: Error | undefined;
  private closing = false;

  /** `count` threads for `plan` (see thread-setting.ts); CTPIPE_DEBUG says how many. */
  static start(plan: ThreadPlan, factory: HandlerFactory<unknown>, count: number, io: Io): LineWorkers {
    if (process.env.CTPIPE_DEBUG) warn(io, `debug: ${count} worker thread(s)`);
    return new LineWorkers(plan, factory, count);
  }

  private constructor(plan: ThreadPlan, factory: HandlerFactory<unknown>, count: number) {
    this.capacity = count * PER_WORKER + MAIN_AHEAD;
    this.batchBytes = plan.batchBytes ?? BATCH_BYTES;
    this.bufferSize = 4 * this.batchBytes;
    this.local = new BatchRunner(factory, plan.options);
    this.workers = [];
    for (let i = 0; i < count; i++) {
      const { port1, port2 } = new MessageChannel();
      const start: WorkerStart = { handler: plan.handler, options: plan.options, replies: port2 };
      // The built entry: threads run from dist/ only (tests reach them through the bins).
      const worker = new Worker(plan.entry, { workerData: start, transferList: [port2] });
      this.workers.push(worker);
      this.busy.set(worker, 0);
      this.replies.set(worker, port1);
      port1.on('message', (reply: BatchReply) => this.settle(worker, reply));
      worker.on('error', (err) => this.fail(err));
      worker.on('exit', (code) => this.fail(new Error(`worker thread stopped (exit ${code})`)));
    }
  }

  /** Bytes gathered for the next batch (see append). */
  get gathered(): number {
    return this.openLength;
  }

  /**
   * Adds whole lines to the next batch; the bytes are copied, `buf` is free at once. Reads come
   * as a chunk's lines plus, between chunks, the one line that straddled them: gathering them
   * keeps every batch large (a batch of one line kept a worker waiting).
   */
  append(buf: Buffer): void {
    if (!this.open) this.open = this.inputs.pop() ?? new ArrayBuffer(this.bufferSize);
    if (this.open.byteLength < this.openLength + buf.length) {
      const bigger = new ArrayBuffer(this.openLength + buf.length);
      Buffer.from(this.open, 0, this.openLength).copy(Buffer.from(bigger));
      this.open = bigger;
    }
    buf.copy(Buffer.from(this.open), this.openLength);
    this.openLength += buf.length;
  }

  /** Hands the gathered lines to the least busy worker, or handles them here if all are busy. */
  send(): Promise<BatchOutput> {
    if (this.failure) return Promise.reject(this.failure);
    const input = this.open ?? new ArrayBuffer(0);
    const length = this.openLength;
    this.open = undefined;
    this.openLength = 0;
    this.poll();
    const output = this.outputs.pop() ?? new ArrayBuffer(this.bufferSize);
    let worker = this.workers[0];
    for (const w of this.workers) if (this.busy.get(w)! < this.busy.get(worker)!) worker = w;
    if (this.busy.get(worker)! >= PER_WORKER) {
      const result = this.local.run(Buffer.from(input, 0, length), Buffer.from(output));
      this.reuse(this.inputs, input);
      return Promise.resolve(result);
    }
    this.busy.set(worker, this.busy.get(worker)! + 1);
    const id = this.nextId++;
    const request: BatchRequest = { id, input, length, output };
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage(request, [input, output]);
    });
  }

  /**
   * Gives a result's output buffer back for reuse, once its bytes have been written out. Only
   * for output that went to the process's own stdout: a stream in memory may keep the chunk.
   */
  recycle(result: BatchOutput): void {
    this.reuse(this.outputs, result.output.buffer as ArrayBuffer);
  }

  /** Stops the workers; batches still in flight are dropped (their promises never settle). */
  async close(): Promise<void> {
    this.closing = true;
    this.waiting.clear();
    for (const port of this.replies.values()) port.close();
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  /**
   * Takes the replies that have arrived. The main thread reads and handles batches without
   * returning to the event loop, so without this it would see every worker as still busy and
   * handle too many batches itself.
   */
  private poll(): void {
    for (const [worker, port] of this.replies) {
      for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) this.settle(worker, m.message as BatchReply);
    }
  }

  private settle(worker: Worker, reply: BatchReply): void {
    const waiting = this.waiting.get(reply.id);
    if (!waiting) return;
    this.waiting.delete(reply.id);
    this.busy.set(worker, this.busy.get(worker)! - 1);
    if ('error' in reply) {
      waiting.reject(new Error(reply.error));
      return;
    }
    this.reuse(this.inputs, reply.input);
    const { problems, lines, matched, passedOver } = reply;
    waiting.resolve({ output: Buffer.from(reply.output, 0, reply.outputLength), problems, lines, matched, passedOver });
  }

  private fail(err: Error): void {
    if (this.closing) return;
    this.failure ??= err;
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
  }

  /** Keeps a buffer for the next batch, unless a huge line made it larger than batches need. */
  private reuse(pool: ArrayBuffer[], buffer: ArrayBuffer): void {
    if (buffer.byteLength > this.bufferSize) return;
    if (POISONING) poison(new Uint8Array(buffer));
    pool.push(buffer);
  }
}
