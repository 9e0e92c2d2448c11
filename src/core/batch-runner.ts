// Runs a command's handler on one batch of NDJSON lines and returns, instead of writing, what it
// produced: the output bytes and the problems, numbered by line within the batch. LineWorkers
// uses it on worker threads and on the main thread alike, so both give the same bytes.
import { Readable, Writable } from 'node:stream';
import { EventScanner, type EventHandler } from './event-scan';
import type { OutputWriter } from './output';

/** What a thread needs to build the handler: `require(module)[factory](options, out)`. */
export interface WorkerPlan {
  module: string;
  factory: string;
  options: unknown;
}

export interface BatchProblem {
  /** 1-based, within the batch. */
  line: number;
  message: string;
}

export interface BatchOutput {
  output: Buffer;
  problems: BatchProblem[];
  /** Lines in the batch (a last line without "\n" counts). */
  lines: number;
  /** Events the handler selected in the batch (see EventHandler.matched). */
  matched: number;
}

/** Collects problems with their line in the batch; whoever runs the batches reports them in order. */
class BatchScanner extends EventScanner {
  found: BatchProblem[] = [];

  override problem(message: string): void {
    this.found.push({ line: this.lineNumber, message });
  }
}

export class BatchRunner {
  private readonly scanner: BatchScanner;
  private readonly handler: EventHandler;

  constructor(plan: WorkerPlan, name: string) {
    const unused = new Writable({ write: (_chunk, _encoding, done) => done() });
    this.scanner = new BatchScanner({ stdin: Readable.from([]), stdout: unused, stderr: unused, name }, false);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const factory = require(plan.module)[plan.factory] as (options: unknown, out: OutputWriter) => EventHandler;
    this.handler = factory(plan.options, this.scanner.out);
  }

  /** Handles the lines in `input`; the output goes into `target` if it fits, else a new buffer. */
  run(source: string, input: Buffer, target: Buffer): BatchOutput {
    this.scanner.found = [];
    if (this.handler.matched !== undefined) this.handler.matched = 0;
    this.scanner.scanLines({ kind: 'lines', source, buf: input, first: true }, this.handler);
    this.handler.endBatch?.();
    const output = this.scanner.out.takeInto(target);
    return { output, problems: this.scanner.found, lines: this.scanner.lineNumber, matched: this.handler.matched ?? 0 };
  }
}
