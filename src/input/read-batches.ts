// Owns reading input. Every source becomes batches: runs of whole NDJSON lines (kept as bytes so
// a filter can skip lines without parsing them and echo matches byte for byte), or the events of
// JSON documents (`{"Records":[...]}`, `{"Events":[...]}` pages, arrays, pretty-printed records):
// parsed whole up to 512 KiB, else assembled one at a time by stream-json; gzipped or not (told
// by magic bytes, not the name).
import { isUtf8 } from 'node:buffer';
import { firstInvalidUtf8 } from '../events/text-checks';
import { collectSoon, everyBytes } from '../common/collect';
import { poison, POISONING } from '../common/poison';
import { FileReader, PipeReader, type ByteStream } from './readers';
import { expandSources, type ProblemSink, type Pruned, type Source } from './sources';
import type { PathScope } from './trail-layout';
import { CONTAINER_KEYS, firstKeyOf } from '../events/shapes';
import { wholeDocument, WHOLE_DOCUMENT_LIMIT, type DocumentEntry } from './whole-document';

export interface LinesBatch {
  kind: 'lines';
  source: string;
  /** Whole lines; each ends in "\n" except perhaps the last line of the input. */
  buf: Buffer;
  /** True for a source's first batch: line numbers start again at 1. */
  first: boolean;
  /** A trail file made lines (see DocumentLines): line N is this array's element N - 1, its place `Records[N-1]`. */
  element?: string;
  /** With `element`: every line a record the check vouched for (see DocumentLines.vouches); all of it is UTF-8 either way. */
  vouched?: boolean;
  /** With `element`: each line's number when only some of the file's records are given (see MadeLines). */
  numbers?: Int32Array;
}

export interface ValuesBatch {
  kind: 'values';
  source: string;
  values: unknown[];
  /** Where each value sat, for diagnostics: "Records[3]". */
  labels: string[];
}

export type Batch = LinesBatch | ValuesBatch;

/** Called for data that cannot be read; place is "file", "file:line" or "file: Records[3]". */
export type { ProblemSink } from './sources';

/**
 * Where NDJSON from a regular file or a pipe on stdin is read to, instead of a new buffer per
 * read: a region the consumer owns and reuses (ct-explode's lies in its WebAssembly module's
 * memory, so the lines need no copying in). A batch read into it holds only until the next
 * batch is asked for (the buffer rule: see run/handler.ts).
 */
export interface LineArena {
  /** The region; asked for before each read, as a view of it may be replaced meanwhile. */
  area(): Buffer;
}

/**
 * Makes a trail file (`{"Records":[...]}`) NDJSON in place, one record a line, when it is
 * certainly one (valid, compact CloudTrail records): then its records take the line readers' fast
 * paths, and a handler may take its lines as vouched records (EventHandler.recordLines). False
 * leaves the document as it was, to be parsed. Given by the command (fast/ owns the check).
 */
export interface DocumentLines {
  /**
   * False when only the records a filter may read are checked (the others only found: ct-where's
   * fast path, see fast/trail-lines.ts); the lines are then not vouched for, only made.
   */
  readonly vouches: boolean;
  /** A document read whole (valid UTF-8) made lines, if it certainly is a trail file (`doc` may be changed either way). */
  toLines(doc: Buffer): MadeLines | undefined;
  /** For a trail file too large to be read whole (over TRAIL_LINES_LIMIT): made lines as its bytes come. */
  inPieces(): LinePieces;
}

/** A trail file, or a piece of one, made lines. */
export interface MadeLines {
  /** Whole lines, a record each: `doc` itself, or a buffer of their own. */
  lines: Buffer;
  /**
   * Each line's number (1 for `Records[0]`) when only the records a filter may match are given
   * (the others cannot match, and are not scanned again: see fast/trail-lines.ts); else 1, 2, 3...
   */
  numbers?: Int32Array;
}

/** A trail file made lines a piece at a time. */
export interface LinePieces {
  /**
   * The next bytes of the document (its start first; `last`: its end): the records made lines
   * (whole lines, a view held until the next call; numbered when handed on in part, see
   * MadeLines). Once left() says so, the rest is not lines.
   */
  next(parts: Buffer[], last: boolean): MadeLines;
  /** What is not certainly trail records, from there on: for the parser, with what it needs before it. */
  left(): PiecesLeft | undefined;
}

export interface PiecesLeft {
  /**
   * The bytes pushed last that are not made lines, as they came, in parts (what follows them is
   * still to be read): views of the parts pushed, to be used before the source is read on.
   */
  parts: Buffer[];
  /** The records made lines before them: the index the parser numbers the array's elements on from. */
  records: number;
  /** JSON for the parser before them, to read them in context (`{"Records":[`). */
  prefix: string;
}

/** Trail files up to this size (decompressed) are read whole (ahead of their turn) to be made lines; larger ones a piece at a time. */
export const TRAIL_LINES_LIMIT = 4 * 1024 * 1024;
/** The bytes gathered for each piece of a trail file made lines a piece at a time. */
const TRAIL_PIECE = 1024 * 1024;

/** The longest line read unless told otherwise (--max-line): far more than any real event. */
export const DEFAULT_MAX_LINE = 16 * 1024 * 1024;

export async function* readBatches(
  args: readonly string[],
  stdin: ByteStream,
  problem: ProblemSink,
  arena?: LineArena,
  maxLine = DEFAULT_MAX_LINE,
  scope?: { within: PathScope; pruned: Pruned },
  documentLines?: DocumentLines,
): AsyncGenerator<Batch> {
  // Sources ahead: while one source's batches are handled, the next ones are opened and their
  // heads read, and trail files read whole, inflated on the thread pool (see gunzipMembers) and
  // made lines (see DocumentLines), so a folder of trail files keeps both cores busy. What a source
  // has to report waits for its turn. Memory is bounded by the sizes read (see roomAhead).
  const queue: Opened[] = [];
  const sources = expandSources(args, stdin, problem, scope)[Symbol.asyncIterator]();
  let more = true;
  const openMore = async (turn: Opened | undefined): Promise<void> => {
    while (more && (queue.length === 0 || (turn && roomAhead(turn, queue)))) {
      const r = await sources.next();
      if (r.done) more = false;
      else queue.push(openAhead(r.value, maxLine, documentLines));
    }
  };
  try {
    for (let turn: Opened | undefined; ; ) {
      await openMore(undefined);
      turn = queue.shift();
      if (!turn) return;
      // Its bytes first: their size says how many more may be read meanwhile.
      await turn.started.catch(() => undefined);
      await openMore(turn);
      yield* readSource(turn, problem, arena, maxLine);
    }
  } finally {
    // A reader that went away (| head) leaves the sources opened ahead unread.
    for (const opened of queue) if (opened.source.name !== 'stdin') opened.raw.destroy();
  }
}

/** The most sources opened ahead of the one being handled... */
const AHEAD = 2;
/** ...and the most bytes they and it hold (a trail file read whole, up to TRAIL_LINES_LIMIT, is one). */
const AHEAD_BYTES = 8 * 1024 * 1024;

/**
 * Whether another source may be opened ahead of `turn`, the one about to be handled: fewer than
 * AHEAD are, at most one of them still reading (its size not known), and the sizes known are
 * under AHEAD_BYTES, none of them a trail file too large to be read whole. So nothing is read
 * ahead beside a large trail file, and memory stays a few small files' worth.
 */
function roomAhead(turn: Opened, queue: Opened[]): boolean {
  if (queue.length >= AHEAD) return false;
  let bytes = 0;
  let reading = 0;
  for (const opened of [turn, ...queue]) {
    const held = opened.held();
    if (held === undefined) reading++;
    else if (held > TRAIL_LINES_LIMIT) return false;
    else bytes += held;
  }
  return reading <= 1 && bytes < AHEAD_BYTES;
}

/** A source opened ahead of its turn, and what it has read (and reported) meanwhile. */
interface Opened {
  source: Source;
  raw: ByteStream;
  started: Promise<Started>;
  /** The bytes it holds once started (its head, or a document read whole or in part); undefined before. */
  held(): number | undefined;
  /** Problems found before its turn come out in its turn, in the order they were found. */
  inTurn(problem: ProblemSink): void;
}

/** A source's bytes so far: its head and shape, and a document's first part or all of it. */
interface Started {
  chunks: ChunkStream;
  head: Head;
  document?: ReadDocument;
}

/** A document's bytes from the start: all of them when `ended`; made lines by `DocumentLines` when `lines`. */
interface ReadDocument {
  parts: Buffer[];
  size: number;
  ended: boolean;
  /** Bytes of a BOM before the first part. */
  bom: number;
  lines?: MadeLines;
  /**
   * A trail file too large to be read whole: made lines a piece at a time (in its turn), and so
   * is each trail file that follows it in the same source (`zcat *.json.gz`).
   */
  pieces?: () => LinePieces;
  /** Lines made of it are records vouched for (see DocumentLines.vouches). */
  vouched?: boolean;
}

function openAhead(source: Source, maxLine: number, documentLines: DocumentLines | undefined): Opened {
  const raw = source.open();
  let held: Parameters<ProblemSink>[] | undefined = [];
  let sink: ProblemSink | undefined;
  const problem: ProblemSink = (...said) => (sink ? sink(...said) : held!.push(said));
  const started = startSource(raw, source.name, problem, maxLine, documentLines);
  let size: number | undefined;
  started.then(
    (s) => (size = s.document?.size ?? s.head.bytes.length),
    // Awaited in its turn; a failure meanwhile is not an unhandled one.
    () => (size = 0),
  );
  return {
    source,
    raw,
    started,
    held: () => size,
    inTurn: (turn) => {
      sink = turn;
      const said = held ?? [];
      held = undefined;
      for (const p of said) turn(...p);
    },
  };
}

async function startSource(raw: ByteStream, name: string, problem: ProblemSink, maxLine: number, documentLines: DocumentLines | undefined): Promise<Started> {
  const chunks = await decompressed(raw, name, problem);
  const head = await readHead(chunks, maxLine);
  if (head.shape !== 'document') return { chunks, head };
  const text = hasBom(head.bytes) ? head.bytes.subarray(3) : head.bytes;
  const trail = documentLines !== undefined && TRAIL_START.test(text.toString('latin1', 0, TRAIL_HEAD));
  const document = await readUpTo(text, hasBom(head.bytes) ? 3 : 0, chunks.iterator, trail ? TRAIL_LINES_LIMIT : WHOLE_DOCUMENT_LIMIT);
  if (trail) document.vouched = documentLines.vouches;
  if (trail && !document.ended) document.pieces = () => documentLines.inPieces();
  if (trail && document.ended) {
    // The parts are this reader's own (fresh reads, or inflated): adjacent views of one buffer
    // (an inflated member's pieces) are used as they are, others joined.
    const whole = joined(document.parts);
    document.parts = [whole];
    document.lines = isUtf8(whole) ? documentLines.toLines(whole) : undefined;
  }
  return { chunks, head, document };
}

/** A document's bytes from `first` (one part or more) on, until they end or pass `limit`. */
async function readUpTo(first: Buffer | Buffer[], bom: number, rest: AsyncIterator<Buffer>, limit: number): Promise<ReadDocument> {
  const parts = Array.isArray(first) ? [...first] : [first];
  let size = bytesOf(parts);
  while (size <= limit) {
    const r = await rest.next();
    if (r.done) return { parts, size, ended: true, bom };
    parts.push(r.value);
    size += r.value.length;
  }
  return { parts, size, ended: false, bom };
}

async function* readSource(opened: Opened, problem: ProblemSink, arena: LineArena | undefined, maxLine: number): AsyncGenerator<Batch> {
  const { source, raw } = opened;
  try {
    opened.inTurn(problem);
    const { chunks, head, document } = await opened.started;
    if (document) {
      const reader = !chunks.gunzipped && (raw instanceof FileReader || raw instanceof PipeReader) ? raw : undefined;
      yield* documentBatches(source.name, document, chunks.iterator, problem, reader);
      return;
    }
    if (head.bytes.length === 0) return;
    if (head.shape === 'cr-lines') {
      // Lines ended by CR alone (classic Mac OS): read as lines, each CR taken for a newline.
      problem(source.name, 'lines end in CR alone (classic Mac OS); read as lines', 'note');
      yield* lineBatches(source.name, crToLf(head.bytes), mapChunks(chunks.iterator, crToLf), { maxLine, problem });
      return;
    }
    const form = head.shape === 'ndjson' ? awsCliForm(head.bytes) : undefined;
    if (form) {
      // One line for the whole input, not one per line of a table.
      problem(source.name, `this is AWS CLI output in its ${form} form: run the command with --output json (or fetch with ct-fetch); skipped`);
      return;
    }
    const readsInto = raw instanceof FileReader || raw instanceof PipeReader;
    const direct = arena && !chunks.gunzipped && readsInto ? { reader: raw, arena } : undefined;
    yield* lineBatches(source.name, head.bytes, chunks.iterator, { direct, maxLine, problem });
  } catch (err) {
    problem(source.name, readErrorMessage(err));
  } finally {
    if (source.name !== 'stdin') raw.destroy();
  }
}

interface ChunkStream {
  iterator: AsyncIterator<Buffer>;
  gunzipped: boolean;
}

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;

/**
 * Peeks at the first bytes and, for gzip, swaps the stream for its decompressed form (member by
 * member; bytes after the last that are no gzip are reported, see gzip-members.ts).
 */
async function decompressed(raw: ByteStream, source: string, problem: ProblemSink): Promise<ChunkStream> {
  const it = raw[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) return { iterator: emptyIterator(), gunzipped: false };
  const chunk = first.value;
  if (chunk.length >= 2 && chunk[0] === GZIP_MAGIC_0 && chunk[1] === GZIP_MAGIC_1) {
    // Loaded here, not at start-up: most input is not gzipped.
    const { gunzipMembers } = await (gzipMembers ??= import('./gzip-members'));
    const members = gunzipMembers(chunk, it, (message) => problem(`${source}: gzip`, message));
    return { iterator: members[Symbol.asyncIterator](), gunzipped: true };
  }
  return { iterator: prepend(chunk, it), gunzipped: false };
}

/** Modules loaded on first need, once (an import() per source cost a module wrapper each time). */
let gzipMembers: Promise<typeof import('./gzip-members')> | undefined;
let documentEvents: Promise<typeof import('./document-events')> | undefined;

function emptyIterator(): AsyncIterator<Buffer> {
  return { next: () => Promise.resolve({ done: true, value: undefined }) };
}

function prepend(first: Buffer, rest: AsyncIterator<Buffer>): AsyncIterator<Buffer> {
  let sent = false;
  return {
    next: async () => {
      if (sent) return rest.next();
      sent = true;
      return { done: false, value: first };
    },
  };
}

type Shape = 'ndjson' | 'document' | 'cr-lines';

interface Head {
  bytes: Buffer;
  shape: Shape;
}

/**
 * Reads until the shape is known. A document starts with `[`, or with `{` and a key of a
 * container (Records, Events, NextToken), or is an object whose first line does not parse
 * but opens a value (`{`, `"key": {`...), as pretty-printed JSON does, and whose second line
 * is not a whole object.
 */

async function readHead(chunks: ChunkStream, maxLine: number): Promise<Head> {
  const parts: Buffer[] = [];
  let total = 0;
  for (;;) {
    const r = await chunks.iterator.next();
    if (r.done) {
      const bytes = Buffer.concat(parts);
      return { bytes, shape: classify(bytes, true) ?? 'ndjson' };
    }
    const before = total;
    parts.push(r.value);
    total += r.value.length;
    // Join only when a decision may be possible: the first bytes just came in, or a line ended.
    // (Joining on every chunk made a huge first line cost quadratic copying.)
    if (before > HEAD_PEEK && r.value.indexOf(10) < 0) {
      // A first line past --max-line: read as lines, where it is reported and skipped.
      if (total > maxLine) return { bytes: Buffer.concat(parts), shape: 'ndjson' };
      continue;
    }
    const bytes = parts.length === 1 ? parts[0] : Buffer.concat(parts);
    parts.splice(0, parts.length, bytes);
    const shape = classify(bytes, false);
    if (shape) return { bytes, shape };
    if (total > maxLine) return { bytes, shape: 'ndjson' };
  }
}

/** Enough bytes to see a BOM, white space and the first key of a container. */
const HEAD_PEEK = 256;


/**
 * `aws cloudtrail lookup-events --output text | table | yaml`, which people pipe in before they
 * know to ask for JSON: recognised by how each form starts.
 */
function awsCliForm(head: Buffer): 'text' | 'table' | 'yaml' | undefined {
  const lines = head.toString('utf8', 0, Math.min(head.length, 4096)).replace(/^\uFEFF/, '').split(/\r?\n/);
  const first = lines.find((l) => l.trim() !== '') ?? '';
  if (/^(EVENTS|RESOURCES|NEXTTOKEN)\t/.test(first)) return 'text';
  if (/^(Events|NextToken):/.test(first)) return 'yaml';
  // A table starts with a rule as wide as its widest cell (thousands of dashes for CloudTrailEvent),
  // then its title row between bars; what was read may end anywhere in either.
  const second = lines[lines.indexOf(first) + 1];
  if (/^-{3,}\s*$/.test(first) && (second === undefined || second === '' || second.startsWith('|'))) return 'table';
  return undefined;
}

/** A copy with every CR made a LF. */
function crToLf(bytes: Buffer): Buffer {
  const out = Buffer.from(bytes);
  for (let at = out.indexOf(13); at >= 0; at = out.indexOf(13, at + 1)) out[at] = 10;
  return out;
}

function mapChunks(it: AsyncIterator<Buffer>, f: (b: Buffer) => Buffer): AsyncIterator<Buffer> {
  return {
    next: async () => {
      const r = await it.next();
      return r.done ? r : { done: false, value: f(r.value) };
    },
  };
}

function classify(bytes: Buffer, atEnd: boolean): Shape | undefined {
  // No LF, but an object ends in a CR and another follows: lines ended by CR alone.
  if (bytes.indexOf(10) < 0 && bytes.indexOf(13) >= 0 && /\}\r[ \t]*\{/.test(bytes.toString('latin1', 0, Math.min(bytes.length, 1 << 20)))) return 'cr-lines';
  let i = hasBom(bytes) ? 3 : 0;
  while (i < bytes.length && isSpace(bytes[i])) i++;
  if (i >= bytes.length) return atEnd ? 'ndjson' : undefined;
  const c = bytes[i];
  if (c === 0x5b /* [ */) return 'document';
  // Not JSON: lines, once there is a whole first line or enough to tell the AWS CLI's text,
  // table or yaml output by (a pipe may bring only a byte or two first).
  if (c !== 0x7b /* { */) return atEnd || bytes.indexOf(10, i) >= 0 || bytes.length - i >= HEAD_PEEK ? 'ndjson' : undefined;
  const text = bytes.toString('utf8', i, Math.min(bytes.length, i + 64));
  const key = firstKeyOf(text);
  if (key !== undefined && CONTAINER_KEYS.has(key)) return 'document';
  const nl = bytes.indexOf(10, i);
  if (nl < 0) return atEnd ? 'ndjson' : undefined;
  const firstLine = bytes.toString('utf8', i, nl).trim();
  if (parses(firstLine) || !/[{[,]$/.test(firstLine)) return 'ndjson';
  // A first line that opens a value is pretty-printed JSON, unless the next line is a whole
  // object: then it is NDJSON whose first line is broken, and only that line is lost.
  const nl2 = bytes.indexOf(10, nl + 1);
  if (nl2 < 0 && !atEnd) return undefined;
  const second = bytes.toString('utf8', nl + 1, nl2 < 0 ? bytes.length : nl2).trim();
  return second.startsWith('{') && parses(second) ? 'ndjson' : 'document';
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

export function hasBom(b: Buffer): boolean {
  return b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/**
 * Whole lines, a batch per chunk read. Only the line that straddles two chunks is copied (into
 * a batch of its own); the rest of a chunk is handed on as it is. With `direct`, lines past the
 * first chunk are read into the arena instead (see arenaBatches), but for a line longer than the
 * arena, which is read in chunks up to its end.
 */
interface LineOptions {
  /** Reading straight into the handler's arena (see arenaBatches). */
  direct?: { reader: FileReader | PipeReader; arena: LineArena };
  maxLine: number;
  problem: ProblemSink;
}

async function* lineBatches(source: string, head: Buffer, rest: AsyncIterator<Buffer>, options: LineOptions): AsyncGenerator<LinesBatch> {
  const { direct, maxLine } = options;
  let first = true;
  /** The start of a line whose end has not been read yet, in pieces. */
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  /** Bytes of the source before this chunk, for the place of a line too long. */
  let offset = 0;
  /** Inside a line past the limit: its bytes are dropped up to its end. */
  let skipping = false;
  for (let chunk: Buffer | undefined = hasBom(head) ? head.subarray(3) : head; chunk; ) {
    let firstNl = chunk.indexOf(10);
    if (skipping) {
      if (firstNl >= 0) {
        skipping = false;
        // The skipped line still counts, so the lines after it keep their numbers.
        yield { kind: 'lines', source, buf: NEWLINE, first };
        first = false;
        offset += firstNl + 1;
        chunk = chunk.subarray(firstNl + 1);
        firstNl = chunk.indexOf(10);
      } else chunk = EMPTY;
    }
    if (firstNl < 0) {
      if (chunk.length) pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes > maxLine) {
        options.problem(`${source}: byte ${offset + chunk.length - pendingBytes}`, `a line longer than ${sizeText(maxLine)} (--max-line); skipped`);
        pending = [];
        pendingBytes = 0;
        skipping = true;
      }
    } else {
      let body = chunk;
      if (pending.length > 0 && pendingBytes + firstNl > maxLine) {
        options.problem(`${source}: byte ${offset - pendingBytes}`, `a line longer than ${sizeText(maxLine)} (--max-line); skipped`);
        yield { kind: 'lines', source, buf: NEWLINE, first };
        first = false;
        pending = [];
        pendingBytes = 0;
        body = chunk.subarray(firstNl + 1);
      } else if (pending.length > 0) {
        yield { kind: 'lines', source, buf: Buffer.concat([...pending, chunk.subarray(0, firstNl + 1)]), first };
        first = false;
        pending = [];
        pendingBytes = 0;
        body = chunk.subarray(firstNl + 1);
      }
      const lastNl = body.lastIndexOf(10);
      if (lastNl >= 0) {
        yield { kind: 'lines', source, buf: body.subarray(0, lastNl + 1), first };
        first = false;
      }
      if (lastNl + 1 < body.length) {
        pending.push(body.subarray(lastNl + 1));
        pendingBytes = body.length - lastNl - 1;
      }
    }
    offset += chunk.length;
    // Into the arena, once no line that filled it is still being read.
    if (direct && firstNl >= 0 && !skipping) {
      const carried = { bytes: Buffer.concat(pending), at: offset - pendingBytes };
      const left: LongLine | undefined = yield* arenaBatches(source, first, carried, direct.reader, direct.arena);
      if (!left) return;
      first = left.first;
      pending = [left.line];
      pendingBytes = left.line.length;
      offset = left.at + left.line.length;
    }
    const r = await rest.next();
    chunk = r.done ? undefined : r.value;
  }
  if (pending.length > 0) yield { kind: 'lines', source, buf: Buffer.concat(pending), first };
}

const NEWLINE = Buffer.from('\n');
const EMPTY = Buffer.alloc(0);

function sizeText(bytes: number): string {
  for (const [unit, size] of [['G', 1024 ** 3], ['M', 1024 ** 2], ['K', 1024]] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return `${bytes} bytes`;
}

/** A line that filled the arena: its bytes so far, and whether it starts the source's batches. */
interface LongLine {
  line: Buffer;
  first: boolean;
  /** Where the line starts in the source. */
  at: number;
}

/**
 * Reads the rest of a source into the arena: its whole lines go out as a batch in place, and
 * the start of the last line is moved to the front before the next read. Returns at the end of
 * the source; or, when one line fills the arena, returns that line's bytes so far (a copy).
 */
async function* arenaBatches(
  source: string,
  first: boolean,
  carried: { bytes: Buffer; at: number },
  reader: FileReader | PipeReader,
  arena: LineArena,
): AsyncGenerator<LinesBatch, LongLine | undefined> {
  let area = arena.area();
  // Poisoning: batches alternate between the arena and a spare buffer of the same size, so the
  // one just done can be poisoned whole while the next is read (see common/poison.ts).
  const spare = POISONING ? Buffer.alloc(area.length) : undefined;
  /** Where area[0] is in the source. */
  let at = carried.at;
  if (carried.bytes.length >= area.length) return { line: carried.bytes, first, at };
  let carry = carried.bytes.copy(area, 0);
  for (;;) {
    if (carry === area.length) return { line: Buffer.from(area.subarray(0, carry)), first, at };
    const end = carry + (await reader.readInto(area, carry));
    if (end === carry) {
      if (carry > 0) yield { kind: 'lines', source, buf: area.subarray(0, carry), first };
      return undefined;
    }
    const lastNl = area.lastIndexOf(10, end - 1);
    if (lastNl < 0) {
      carry = end;
      continue;
    }
    yield { kind: 'lines', source, buf: area.subarray(0, lastNl + 1), first };
    first = false;
    if (!spare) {
      area = arena.area();
      area.copyWithin(0, lastNl + 1, end);
    } else {
      const done = area === spare ? spare : arena.area();
      area = area === spare ? arena.area() : spare;
      done.copy(area, 0, lastNl + 1, end);
      poison(done, 0, end);
    }
    at += lastNl + 1;
    carry = end - lastNl - 1;
  }
}

/** A document's batches: its lines if it was made lines, else its values, parsed whole if small, else streamed. */
async function* documentBatches(
  source: string,
  document: ReadDocument,
  rest: AsyncIterator<Buffer>,
  problem: ProblemSink,
  reader?: FileReader | PipeReader,
): AsyncGenerator<Batch> {
  const { parts, bom } = document;
  if (document.pieces) {
    yield* pieceBatches(source, document, document.pieces, rest, problem, reader);
    return;
  }
  if (document.lines) {
    const { lines, numbers } = document.lines;
    // A filter's file without a record that may match: no line at all.
    if (lines.length > 0) yield { kind: 'lines', source, buf: lines, first: true, element: 'Records', vouched: document.vouched, numbers };
    return;
  }
  if (document.ended && document.size <= WHOLE_DOCUMENT_LIMIT) {
    const whole = joined(parts);
    const bad = isUtf8(whole) ? -1 : firstInvalidUtf8(whole);
    if (bad >= 0) problem(`${source}: byte ${bad + bom}`, 'text read as U+FFFD: bytes that are not UTF-8; the document is read on');
    const entries = wholeDocument(whole.toString('utf8'));
    if (entries) {
      yield* entryBatches(source, entries, problem);
      return;
    }
  }
  // Loaded here, not at start-up: only large or unusual JSON documents need stream-json.
  const { DocumentEvents } = await (documentEvents ??= import('./document-events'));
  const doc = new DocumentEvents((label, message) => problem(`${source}: ${label}`, message), bom);
  const feed = (chunk: Buffer): ValuesBatch | undefined => {
    doc.write(chunk);
    const { values, labels } = doc.take();
    return values.length ? { kind: 'values', source, values, labels } : undefined;
  };
  for (const part of parts) {
    const batch = feed(part);
    if (batch) yield batch;
  }
  let batch: ValuesBatch | undefined;
  while (!doc.failed && !document.ended) {
    const r = await rest.next();
    if (r.done) break;
    batch = feed(r.value);
    if (batch) yield batch;
  }
  await doc.end();
  const { values, labels } = doc.take();
  if (values.length) yield { kind: 'values', source, values, labels };
}

/**
 * A collection (see collectSoon) after every 32 MiB of large trail files made lines (counted as
 * their pieces are made: one source may hold many, `zcat *.json.gz`). Small ones
 * are left to node's own pace: their buffers are collected young, and counting them too cost 8%
 * of the time.
 */
const collectAfterLines = everyBytes(32 * 1024 * 1024, collectSoon);

/**
 * A trail file made lines a piece at a time: its lines as they are made; from where its bytes
 * are not certainly trail records on (a damaged or unusual file), its values, as the parser reads
 * them in context (numbered on from the records before, placed in the source's bytes). Trail files
 * one after another in the source (`zcat *.json.gz`, `cat *.json.gz`) are each made lines in
 * turn, their records numbered from Records[0] again.
 */
async function* pieceBatches(
  source: string,
  document: ReadDocument,
  piecesOf: () => LinePieces,
  rest: AsyncIterator<Buffer>,
  problem: ProblemSink,
  reader?: FileReader | PipeReader,
): AsyncGenerator<Batch> {
  const windows = reader && new PieceWindows(reader);
  let pieces = piecesOf();
  let first = true;
  let window = document.parts;
  /** Document bytes given to `pieces`. */
  let pushed = 0;
  for (let last = false; ; ) {
    const { lines, numbers } = pieces.next(window, last);
    const windowBytes = bytesOf(window);
    pushed += windowBytes;
    collectAfterLines(windowBytes);
    if (lines.length > 0) {
      yield { kind: 'lines', source, buf: lines, first, element: 'Records', vouched: document.vouched, numbers };
      first = false;
    }
    const left = pieces.left();
    if (left) {
      const leftBytes = bytesOf(left.parts);
      const next: { parts: Buffer[]; last: boolean } | undefined = left.prefix === '' ? await nextTrailFile(left.parts, last ? undefined : rest) : undefined;
      if (next) {
        pieces = piecesOf();
        first = true;
        pushed -= leftBytes;
        window = next.parts;
        last = next.last;
        continue;
      }
      yield* parsedBatches(source, document.bom + pushed - leftBytes, left, last ? undefined : rest, problem);
      return;
    }
    if (last) return;
    if (windows) {
      window = await windows.read();
      last = window.length === 0;
      continue;
    }
    window = [];
    for (let size = 0; size < TRAIL_PIECE; ) {
      const r = await rest.next();
      if (r.done) {
        last = true;
        break;
      }
      window.push(r.value);
      size += r.value.length;
    }
  }
}

/**
 * Pieces of a trail file read straight from a file or pipe (not gzipped) into one reused buffer,
 * not each read into a fresh one: 246 MB of trail files one after another spent a third of their
 * time faulting in the pages of new buffers and collecting them. By the next read a piece's
 * bytes are in the checker's memory, and what a trail file's end left of it (views, see
 * TrailPieces) has gone there too, or to the parser, which reads on from `rest`.
 */
class PieceWindows {
  private buf: Buffer | undefined;

  constructor(private readonly reader: FileReader | PipeReader) {}

  /** The next piece: one part of up to TRAIL_PIECE bytes, none at the end. */
  async read(): Promise<Buffer[]> {
    const buf = (this.buf ??= Buffer.allocUnsafe(TRAIL_PIECE));
    poison(buf);
    let size = 0;
    while (size < buf.length) {
      const n = await this.reader.readInto(buf, size);
      if (n === 0) break;
      size += n;
    }
    return size > 0 ? [buf.subarray(0, size)] : [];
  }
}

/**
 * After a trail file, the bytes that follow it (`after`, from the first that is not white space):
 * when they start another trail file, those bytes and as many more as it took to tell, and
 * whether the source ended there.
 */
async function nextTrailFile(after: Buffer[], rest: AsyncIterator<Buffer> | undefined): Promise<{ parts: Buffer[]; last: boolean } | undefined> {
  const { parts, size, ended } = rest ? await readUpTo(after, 0, rest, TRAIL_HEAD - 1) : { parts: after, size: bytesOf(after), ended: true };
  const head = Buffer.concat(parts, Math.min(size, TRAIL_HEAD)).toString('latin1');
  return TRAIL_START.test(head) ? { parts, last: ended } : undefined;
}

function bytesOf(parts: readonly Buffer[]): number {
  let size = 0;
  for (const part of parts) size += part.length;
  return size;
}

/** The values of the bytes `left` and the rest of the source, at `offset` in it (see pieceBatches). */
async function* parsedBatches(source: string, offset: number, left: PiecesLeft, rest: AsyncIterator<Buffer> | undefined, problem: ProblemSink): AsyncGenerator<ValuesBatch> {
  const prefix = Buffer.from(left.prefix);
  const { DocumentEvents } = await (documentEvents ??= import('./document-events'));
  const doc = new DocumentEvents((label, message) => problem(`${source}: ${label}`, message), offset - prefix.length, left.records);
  const take = (): ValuesBatch | undefined => {
    const { values, labels } = doc.take();
    return values.length ? { kind: 'values', source, values, labels } : undefined;
  };
  doc.write(prefix);
  for (const part of left.parts) doc.write(part);
  let batch = take();
  if (batch) yield batch;
  while (rest && !doc.failed) {
    const r = await rest.next();
    if (r.done) break;
    doc.write(r.value);
    batch = take();
    if (batch) yield batch;
  }
  await doc.end();
  batch = take();
  if (batch) yield batch;
}

/** The parts as one buffer: a view when they lie one after another in the same memory, else a copy. */
function joined(parts: Buffer[]): Buffer {
  let end = parts[0].byteOffset;
  for (const p of parts) {
    if (p.buffer !== parts[0].buffer || p.byteOffset !== end) return Buffer.concat(parts);
    end += p.length;
  }
  return Buffer.from(parts[0].buffer, parts[0].byteOffset, end - parts[0].byteOffset);
}

/** How a trail file starts: its first key is Records (told from its first TRAIL_HEAD bytes). */
const TRAIL_START = /^\s*\{\s*"Records"\s*:/;
const TRAIL_HEAD = 64;

const ENTRY_BATCH = 1000;

/** The entries as batches of values; a problem is reported after the values before it. */
function* entryBatches(source: string, entries: DocumentEntry[], problem: ProblemSink): Generator<ValuesBatch> {
  let batch: ValuesBatch = { kind: 'values', source, values: [], labels: [] };
  for (const entry of entries) {
    if ('problem' in entry) {
      if (batch.values.length) yield batch;
      batch = { kind: 'values', source, values: [], labels: [] };
      problem(`${source}: ${entry.label}`, entry.problem);
      continue;
    }
    batch.values.push(entry.value);
    batch.labels.push(entry.label);
    if (batch.values.length === ENTRY_BATCH) {
      yield batch;
      batch = { kind: 'values', source, values: [], labels: [] };
    }
  }
  if (batch.values.length) yield batch;
}

function readErrorMessage(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e && e.code === 'Z_BUF_ERROR') return 'gzip: unexpected end of file (truncated download?)';
  if (e && typeof e.code === 'string' && e.code.startsWith('Z_')) return `gzip: ${e.message}`;
  if (e && e.code === 'EISDIR') return 'is a directory';
  if (e && e.code === 'EACCES') return 'permission denied';
  return e && e.message ? e.message : String(err);
}
