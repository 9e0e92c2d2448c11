// Runs a command's handler on one batch of NDJSON lines and returns, instead of writing, what it
// produced: the output bytes and the problems, numbered by line within the batch. LineWorkers
// uses it on worker threads and on the main thread alike, so both give the same bytes.
import { Writable } from 'node:stream';
import { OutputWriter } from '../../output/output-writer';
import type { EventHandler, HandlerFactory } from '../handler';
import { LineScanner } from '../line-scanner';

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
  /** Values the handler passed over in the batch (see EventHandler.passedOver). */
  passedOver: number;
}

export class BatchRunner<O> {
  private readonly out = new OutputWriter(new Writable({ write: (_chunk, _encoding, done) => done() }));
  private readonly handler: EventHandler;
  private readonly scanner: LineScanner;
  private found: BatchProblem[] = [];

  constructor(factory: HandlerFactory<O>, options: O) {
    this.handler = factory(options, this.out);
    this.scanner = new LineScanner(this.handler, (message) => this.found.push({ line: this.scanner.lineNumber, message }));
  }

  /** Handles the lines in `input`; the output goes into `target` if it fits, else a new buffer. */
  run(input: Buffer, target: Buffer): BatchOutput {
    this.found = [];
    if (this.handler.matched !== undefined) this.handler.matched = 0;
    if (this.handler.passedOver !== undefined) this.handler.passedOver = 0;
    this.scanner.scanLines(input, true);
    this.handler.endBatch?.();
    const output = this.out.takeInto(target);
    const { matched = 0, passedOver = 0 } = this.handler;
    return { output, problems: this.found, lines: this.scanner.lineNumber, matched, passedOver };
  }
}
