// Hands NDJSON batches to LineWorkers and writes their results in the order the batches were
// read: the output, the problems with their line numbers, the counts. Lines are gathered into
// batches (ThreadPlan.batchBytes); a new source starts a batch of its own, so line numbers restart.
import type { OutputWriter } from '../../output/output-writer';
import type { EventHandler } from '../handler';
import type { BatchOutput } from './batch-runner';
import type { LineWorkers } from './line-workers';

/** Reports a problem at a place ("file:17"). */
export type PlacedProblem = (message: string, place: string) => void;

interface Job {
  source: string;
  first: boolean;
  element: string | undefined;
}

/** Where line `line` of `source` is: `file:17`, or for a trail file made lines `file: Records[16]`. */
export function linePlace(source: string, line: number, element?: string): string {
  return element ? `${source}: ${element}[${line - 1}]` : `${source}:${line}`;
}

export class ThreadedLines {
  /** Lines gathered but not yet sent: their source, whether they start it, the trail file's array they are. */
  private gathering: Job | undefined;
  /** Batches handed to worker threads (or handled on this one), oldest first. */
  private readonly inFlight: (Job & { result: Promise<BatchOutput> })[] = [];

  constructor(
    private readonly workers: LineWorkers,
    private readonly handler: EventHandler,
    private readonly out: OutputWriter,
    private readonly problem: PlacedProblem,
    /** The line the current source had reached when the threads took over. */
    private lineNo: number,
  ) {}

  /**
   * Takes a batch of lines (copied: `buf` is free at once); waits while too many are in flight.
   * A large one (a trail file made lines) goes out in pieces of whole lines, so every thread works.
   */
  async add(source: string, buf: Buffer, first: boolean, element?: string): Promise<void> {
    for (let at = 0; at < buf.length; ) {
      const cut = at + 2 * this.workers.batchBytes >= buf.length ? buf.length : buf.indexOf(10, at + this.workers.batchBytes) + 1 || buf.length;
      await this.addPiece(source, buf.subarray(at, cut), first && at === 0, element);
      at = cut;
    }
  }

  private async addPiece(source: string, buf: Buffer, first: boolean, element: string | undefined): Promise<void> {
    const gathering = this.gathering;
    if (gathering && (first || source !== gathering.source)) this.send();
    this.workers.append(buf);
    this.gathering ??= { source, first, element };
    if (this.workers.gathered >= this.workers.batchBytes) this.send();
    if (this.inFlight.length >= this.workers.capacity) await this.emit();
  }

  /** Sends what is gathered, then waits for every batch in flight and writes their output. */
  async settle(): Promise<void> {
    if (this.gathering) this.send();
    while (this.inFlight.length > 0 && !this.out.closed) await this.emit();
  }

  close(): Promise<void> {
    return this.workers.close();
  }

  private send(): void {
    const job = this.gathering!;
    this.gathering = undefined;
    const result = this.workers.send();
    // Awaited in order by emit; a failure of a later one must not count as unhandled meanwhile.
    result.catch(() => undefined);
    this.inFlight.push({ ...job, result });
  }

  /** Writes the oldest batch's result: its problems with their line numbers, then its output. */
  private async emit(): Promise<void> {
    const job = this.inFlight.shift()!;
    const result = await job.result;
    if (job.first) this.lineNo = 0;
    const base = this.lineNo;
    this.lineNo += result.lines;
    for (const p of result.problems) this.problem(p.message, linePlace(job.source, base + p.line, job.element));
    if (this.handler.matched !== undefined) this.handler.matched += result.matched;
    if (this.handler.passedOver !== undefined) this.handler.passedOver += result.passedOver;
    if (result.output.length === 0 || this.handler.absorb) {
      if (result.output.length > 0) this.handler.absorb!(result.output);
      this.workers.recycle(result);
      return;
    }
    this.out.write(result.output);
    await this.out.flush();
    // A buffer the output may still refer to is not given back; the collector takes it.
    if (this.out.released) this.workers.recycle(result);
  }
}
