// ct-explode: one CloudTrail record per line. LookupEvents items become the record parsed from
// their CloudTrailEvent string; records pass through unchanged, so this is also how trail files
// and `aws cloudtrail lookup-events` output become NDJSON.
import { isUtf8 } from 'node:buffer';
import type { Argv, Options } from 'yargs';
import type { Command } from '../cli/main';
import { EventView } from '../core/event';
import { EventScanner, writeLine, type EventHandler, type RawLine } from '../core/event-scan';
import { ownValue } from '../core/field-path';
import { JsonChecker, NOT_CERTAIN, PLAIN_RECORD } from '../core/json-check';
import type { Io } from '../core/io';
import type { LineArena } from '../core/input';
import type { OutputWriter } from '../core/output';

interface ExplodeOptions {
  files: string[];
  'keep-lookup': boolean;
  strict: boolean;
}

const OPTIONS: Record<string, Options> = {
  'keep-lookup': { type: 'boolean', default: false, describe: 'Keep the lookup-only fields Username and Resources beside the record' },
  strict: { type: 'boolean', default: false, describe: 'Stop at the first unreadable line, document or CloudTrailEvent' },
};

export const explodeCommand: Command<ExplodeOptions> = {
  name: 'ct-explode',
  options: (y: Argv) =>
    y
      .usage(
        'Usage: ct-explode [options] [FILE|DIR...]\n\n' +
          'Write each event as its full CloudTrail record, one JSON object per line. Reads stdin, files and\n' +
          'directories (walked for .json/.json.gz): NDJSON, lookup-events output, trail files, arrays, gzipped or not.\n' +
          'With --keep-lookup, past 2 MiB of NDJSON a worker thread shares the work (CTPIPE_THREADS=0: one thread).',
      )
      .command('$0 [files..]', false)
      .options(OPTIONS)
      .example([
        ['ct-fetch --start-time -1d | ct-explode > records.ndjson', 'records from event history'],
        ['aws cloudtrail lookup-events --max-items 500 | ct-explode', 'AWS CLI output, any number of pages'],
        ['ct-explode AWSLogs/123456789012/CloudTrail/ > all.ndjson', 'a synced trail bucket (gzipped files)'],
        ['ct-explode --keep-lookup page.json | jq .Username', 'keep the lookup fields'],
      ]) as unknown as Argv<ExplodeOptions>,
  run: runExplode,
  plain: { positional: 'files', options: OPTIONS, minimum: 0 },
};

async function runExplode(options: ExplodeOptions, io: Io): Promise<number> {
  const scanner = new EventScanner(io, options.strict);
  // Lines are read from their bytes faster than a worker thread pays for itself (see
  // LineExploder); with --keep-lookup every line is parsed, and a thread shares the parsing.
  const plan = options['keep-lookup'] ? { module: __filename, factory: 'explodeHandler', options } : undefined;
  return scanner.run((options.files ?? []).map(String), explodeHandler(options, scanner.out), plan);
}

/** What ct-explode does with each event; also run by worker threads (see LineWorkers). */
export function explodeHandler(options: ExplodeOptions, out: OutputWriter): EventHandler {
  const fromBytes = new LineExploder(out);
  return {
    // With --keep-lookup every event is parsed: its other fields are wanted.
    beginLines: options['keep-lookup'] ? undefined : (buf) => fromBytes.beginLines(buf),
    lineArena: options['keep-lookup'] ? undefined : fromBytes,
    line: options['keep-lookup'] ? undefined : (raw) => fromBytes.line(raw),
    endBatch: () => fromBytes.flush(true),
    event(event: unknown, raw: RawLine | null) {
      fromBytes.flush(false);
      const view = new EventView(event);
      if (!view.isLookupItem) {
        if (raw) writeLine(out, raw);
        else out.writeLine(JSON.stringify(event));
        return;
      }
      if (options['keep-lookup']) {
        out.writeLine(JSON.stringify({ ...view.record(), ...lookupOnly(event) }));
        return;
      }
      const text = ownValue(event, 'CloudTrailEvent');
      // The usual case: a compact record, written as it is once checked (not parsed).
      if (typeof text === 'string' && fromBytes.checker.isJsonObjectText(text)) {
        out.writeLine(text);
        return;
      }
      const record = view.record(); // throws, naming the problem, if the record is bad
      const oneLine = typeof text === 'string' && text.indexOf('\n') < 0 && text.indexOf('\r') < 0;
      out.writeLine(oneLine ? text : JSON.stringify(record));
    },
  };
}

/** Batches larger than this (a line of many MB) are left to the parser: module memory never shrinks. */
const LARGEST_BATCH = 8 * 1024 * 1024;

/**
 * The usual line, from its bytes (see JsonChecker.checkLine): an item whose record is checked
 * and written by the WebAssembly module, or a record written as it came. Anything it cannot
 * vouch for is parsed instead, which writes the same bytes or reports the problem.
 */
class LineExploder implements LineArena {
  readonly checker = new JsonChecker();
  private loaded = false;
  /** Whether the whole batch is valid UTF-8 (else each line is checked). */
  private utf8 = false;

  constructor(private readonly out: OutputWriter) {}

  /** Lines from a file or a pipe are read straight into the module's memory (see LineArena). */
  area(): Buffer {
    return this.checker.lineArea();
  }

  beginLines(buf: Buffer): void {
    if (!this.checker.inArea(buf)) collectAfterReading(buf.length);
    this.flush(false);
    this.loaded = buf.length <= LARGEST_BATCH;
    if (!this.loaded) return;
    this.checker.loadLines(buf);
    this.utf8 = isUtf8(buf);
  }

  line(raw: RawLine): boolean {
    if (!this.loaded || (!this.utf8 && !isUtf8(raw.buf.subarray(raw.start, raw.end)))) return false;
    const found = this.checker.checkLine(raw.start, raw.end);
    if (found === NOT_CERTAIN) return false;
    if (found === PLAIN_RECORD) {
      this.flush(false);
      writeLine(this.out, raw);
    }
    return true;
  }

  /**
   * Writes the records the module wrote so far; before anything else is written, and after each
   * batch. At the end of a batch, output that takes each write at once (see FdOutput) gets them
   * without a copy: EventScanner writes or copies (keeps) a batch's output before the next
   * batch is loaded over them.
   */
  flush(endOfBatch: boolean): void {
    const records = this.checker.takeRecords(endOfBatch && this.out.takesWrites);
    if (records) this.out.write(records);
  }
}

/** Bytes read between two collections of the young generation. */
const COLLECT_EVERY = 2 * 1024 * 1024;
let readSinceCollect = 0;

/**
 * Reading lines from their bytes allocates almost nothing on the JavaScript heap, so the read
 * buffers, which die young but count as external memory, were collected only every 64 MB or so
 * (peak RSS 97 MB). The bins run node with --expose-gc; a young-generation collection every
 * 2 MiB (under 1 ms) frees them: 61-70 MB at the same speed. Not for commands that parse every
 * line (ct-csv): they collect often anyway, and forced collections promote their live objects
 * early (ct-csv 72 -> 92 MB).
 */
function collectAfterReading(bytes: number): void {
  readSinceCollect += bytes;
  if (readSinceCollect < COLLECT_EVERY) return;
  readSinceCollect = 0;
  (globalThis as { gc?: (options: { type: 'minor' }) => void }).gc?.({ type: 'minor' });
}

function lookupOnly(event: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of ['Username', 'Resources']) {
    const v = ownValue(event, key);
    if (v !== undefined) out[key] = v;
  }
  return out;
}
