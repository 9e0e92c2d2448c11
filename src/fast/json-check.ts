// JSON checks over bytes, run by the WebAssembly module built from src/fast/wasm/json-check.ts (see
// there for what they vouch for and why they are not JavaScript). One JsonChecker per thread
// owns one instance of the module and lays out its memory:
//
//   [ module data | lines (a batch, read or copied in) | records written | text for isJsonObjectText ]
import { isUtf8 } from 'node:buffer';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { poison } from '../common/poison';
import type { MadeLines } from '../input/read-batches';

// The little of WebAssembly used here (TypeScript's ES and Node libraries do not declare it).
interface WasmModule {
  readonly kind: 'module';
}
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
const WebAssembly = (
  globalThis as unknown as {
    WebAssembly: {
      Module: new (bytes: Uint8Array) => WasmModule;
      Instance: new (module: WasmModule, imports: object) => { readonly exports: object };
    };
  }
).WebAssembly;

interface Exports {
  memory: WasmMemory;
  heapBase(): number;
  item(start: number, end: number, out: number): number;
  isObject(start: number, end: number): number;
  heldSurrogateEscape(): number;
  members(): number;
  memberTable(): number;
  recordMemberTable(on: number): void;
  recordsToLines(start: number, end: number): number;
  recordsHead(start: number, end: number): number;
  recordsPiece(start: number, end: number, last: number): number;
  pieceEnd(): number;
  pieceTailAt(): number;
  pieceRecords(): number;
  useHits(at: number, count: number, candidates: number): void;
  candidates(): number;
  wantedTable(): number;
  wantedBytes(): number;
  wantKeys(count: number): void;
  slots(): number;
  heldEscapedMember(): number;
}

/** Most top-level members recorded per object (as in the module). */
const MAX_MEMBERS = 1024;
/** Most keys wantKeys() takes, and the room for their bytes (as in the module). */
const MAX_WANTED = 32;
const WANTED_BYTES = 1024;

/**
 * Where in some bytes a filter's match may be (ct-where's prefilter: a needle, an escape), so a
 * trail file's records that hold none are only found, not checked (see useHits in the module).
 */
export interface HitSearch {
  begin(buf: Buffer): void;
  /** The offset of the next place at or after `from`, or -1. */
  nextHit(from: number): number;
}

/** How a piece of a trail file ended (see trailPiece); recordsHead's bytes too few to tell. */
const HEAD_CUT = -2;
export const PIECE_CUT = 0;
export const PIECE_ENDED = 1;
export const PIECE_FAILED = 2;

export interface TrailPiece {
  /** The records made lines, whole lines (a view of the module's memory, held until the next call). */
  lines: Buffer;
  records: number;
  end: typeof PIECE_CUT | typeof PIECE_ENDED | typeof PIECE_FAILED;
  /** PIECE_ENDED: the bytes after the array's `]`; else what is not made lines (as they came). */
  rest: Buffer;
  /** False while the file's head is not read (not UTF-8, or no trail file's head, or cut short): `rest` is then all its bytes. */
  looked: boolean;
  /**
   * With a filter's hits, when its lines are handed on in part: `lines` holds only those of the
   * records that hold a hit (a buffer of its own), and these are their numbers in the piece (1 for
   * its first record).
   */
  numbers?: Int32Array;
}

/** What checkLine found, when it is not an item whose record was written. */
export const NOT_CERTAIN = -1;
export const PLAIN_RECORD = -2;
/** Writes may run this far past the end of what is written (16-byte SIMD stores). */
const SLACK = 16;
/** Reads of a trail file's bytes may run this far past their end (objectBounds' 64-byte steps). */
const READ_SLACK = 64;
/** Hits of a search past one in this many bytes: nearly every record holds one, so all are checked. */
const BYTES_A_HIT = 2048;
const PAGE = 64 * 1024;
/** The size of the region lines are read straight into (see lineArea). */
export const LINE_AREA = 1024 * 1024;
/** Built beside this file in dist/fast; tests run the sources, and find it in dist. */
function wasmFile(): string {
  const built = path.join(__dirname, 'json-check.wasm');
  return existsSync(built) ? built : path.join(__dirname, '..', '..', 'dist', 'fast', 'json-check.wasm');
}

let compiled: WasmModule | undefined;
const EMPTY = Buffer.alloc(0);

export class JsonChecker {
  private readonly exports: Exports;
  private bytes: Buffer;
  private readonly base: number;
  /** Where the batch of lines is, and its size; records are written from `recordsAt`. */
  private linesAt: number;
  private linesLength = 0;
  private recordsAt: number;
  /** The records written since the last takeRecords(): [taken, written). */
  private taken: number;
  private written: number;
  private tableViews: { members: Int32Array; slots: Int32Array } | undefined;

  constructor() {
    compiled ??= new WebAssembly.Module(readFileSync(wasmFile()));
    this.exports = new WebAssembly.Instance(compiled, { env: { abort: moduleAbort } }).exports as unknown as Exports;
    this.base = Math.ceil(this.exports.heapBase() / SLACK) * SLACK;
    this.bytes = Buffer.from(this.exports.memory.buffer);
    this.linesAt = this.recordsAt = this.taken = this.written = this.base;
  }

  /**
   * Where to read lines to, so they need no copying in: LINE_AREA bytes at the start of the
   * lines. Memory is grown first for all a batch from it can need (its records, and any text of
   * its lines for isJsonObjectText), so it never grows, and the batch never moves, while its
   * lines are handled. A view of it holds until loadLines() gets a larger batch.
   */
  lineArea(): Buffer {
    this.room(this.base + 5 * LINE_AREA + 3 * SLACK);
    return this.bytes.subarray(this.base, this.base + LINE_AREA);
  }

  /** True if `buf` lies at the start of lineArea() (lines read into it). */
  inArea(buf: Buffer): boolean {
    return buf.buffer === this.bytes.buffer && buf.byteOffset === this.base && buf.length <= LINE_AREA;
  }

  /**
   * Takes a batch of lines (copied in, unless it was read into lineArea()); checkLine then takes
   * offsets in it. Records not taken are dropped.
   */
  loadLines(buf: Buffer): void {
    const inPlace = this.inArea(buf);
    // The last batch's records, which takeRecords(true) may have lent out, are done with; those
    // that lay in the area are already read over by this batch's lines.
    poison(this.bytes, inPlace ? Math.max(this.recordsAt, this.base + LINE_AREA) : this.recordsAt, this.written);
    if (inPlace) {
      // In place. Records go after the whole area: the rest of it holds the next line's start.
      this.linesLength = buf.length;
      this.recordsAt = this.taken = this.written = this.base + LINE_AREA + SLACK;
      return;
    }
    this.linesAt = this.base;
    this.linesLength = buf.length;
    this.recordsAt = this.linesAt + buf.length + SLACK;
    this.room(this.recordsAt + buf.length + SLACK);
    this.bytes.set(buf, this.linesAt);
    this.taken = this.written = this.recordsAt;
  }

  /**
   * The line at buf[start, end) of the loaded batch: NOT_CERTAIN, PLAIN_RECORD (a JSON object
   * without CloudTrailEvent or EventId, with a key starting with `event`: a CloudTrail record, see
   * isCloudTrailRecord), or 0 when it is an item whose record (and "\n") was
   * written, to be collected with takeRecords().
   */
  checkLine(start: number, end: number): number {
    if (end > this.linesLength) throw new RangeError('line outside the loaded batch');
    const written = this.exports.item(this.linesAt + start, this.linesAt + end, this.written);
    if (written < 0) return written;
    this.written = written;
    return 0;
  }

  /** From now on, checkLine records the top-level members of each record it vouches for (see members). */
  recordMembers(): void {
    this.exports.recordMemberTable(1);
  }

  /**
   * The top-level members of the record checkLine last vouched for (an item's record, or the line
   * itself): [keyStart, keyEnd, valueStart, valueEnd] each, as offsets in memory(), the key with
   * its quotes, keyStart with its top bit set when the key holds an escape (in memberTable()): how
   * many, or -1 when it had too many to record.
   */
  memberCount(): number {
    return this.exports.members();
  }

  /** The member table (see memberCount): a view kept from call to call. */
  memberTable(): Int32Array {
    return this.views().members;
  }

  /** Views of the member table and of the wanted keys' slots, made once (again only when memory grows: see room). */
  private views(): { members: Int32Array; slots: Int32Array } {
    const buffer = this.exports.memory.buffer;
    return (this.tableViews ??= {
      members: new Int32Array(buffer, this.exports.memberTable(), 4 * MAX_MEMBERS),
      slots: new Int32Array(buffer, this.exports.slots(), MAX_WANTED),
    });
  }

  /**
   * With the member table recorded, the last member of each of these top-level keys is found by
   * its key too (see wantedMembers); false, and none are, when they are too many or too long.
   */
  wantKeys(keys: readonly string[]): boolean {
    const bytes = keys.map((k) => Buffer.from(k, 'utf8'));
    if (bytes.length > MAX_WANTED || bytes.reduce((n, b) => n + b.length, 0) > WANTED_BYTES) return false;
    const table = new Int32Array(this.exports.memory.buffer, this.exports.wantedTable(), 2 * bytes.length);
    let at = this.exports.wantedBytes();
    bytes.forEach((b, w) => {
      this.bytes.set(b, at);
      table[2 * w] = at;
      table[2 * w + 1] = b.length;
      at += b.length;
    });
    this.exports.wantKeys(bytes.length);
    return true;
  }

  /**
   * For each key given to wantKeys (in order; the rest unused), the index in memberTable() of its last member in the record
   * checkLine last vouched for, or -1; undefined when a key there holds an escape (it may be a
   * wanted key written otherwise: look at every member then).
   */
  wantedMembers(): Int32Array | undefined {
    return this.exports.heldEscapedMember() !== 0 ? undefined : this.views().slots;
  }

  /** The module's memory, where lines are checked and records written (valid until it grows). */
  memory(): Buffer {
    return this.bytes;
  }

  /** Whether the line checkLine last looked at holds an escape of a surrogate (`\\ud800`), paired or not. */
  heldSurrogateEscape(): boolean {
    return this.exports.heldSurrogateEscape() !== 0;
  }

  /**
   * The records written since the last call (null if none): a copy, or with `view` the module's
   * memory itself, which holds them only until the next loadLines() or isJsonObjectText().
   */
  takeRecords(view: boolean): Buffer | null {
    if (this.written === this.taken) return null;
    const records = this.bytes.subarray(this.taken, this.written);
    this.taken = this.written;
    return view ? records : Buffer.from(records);
  }

  /** True only if JSON.parse(text) certainly gives an object (not an array, not null). */
  isJsonObjectText(text: string): boolean {
    // After the batch and its records: a check of a text may come between two lines.
    const at = this.recordsAt + this.linesLength + SLACK;
    this.room(at + text.length * 3);
    const length = this.bytes.write(text, at);
    return this.exports.isObject(at, at + length) !== 0;
  }

  /**
   * A trail file made NDJSON in place (see recordsToLines in the module): `doc` becomes one line
   * per record, each ending in "\n", the rest spaces; returns how many records, or -1 when it is
   * not certainly such a file (and `doc` is as it was). The bytes must be valid UTF-8. Uses the
   * memory lines use: an instance of its own, not one that is checking lines. With `hits` (a
   * filter's search), only the records that hold a hit are checked; the others are only found.
   */
  recordsToLines(doc: Buffer, hits?: HitSearch): number {
    const count = this.linesInMemory(doc, hits);
    if (count >= 0) this.bytes.copy(doc, 0, this.base, this.base + doc.length);
    return count;
  }

  /**
   * For a filter: a trail file made lines as recordsToLines makes them with `hits`, of which only
   * the lines of the records that hold a hit are given, in a buffer of their own, with their
   * numbers (1 for `Records[0]`): the others cannot match, and are not copied or scanned again.
   * Where hits are too dense to be worth it, every line (in `doc`, no numbers). Undefined when
   * `doc` is not certainly a trail file (and as it was).
   */
  recordsThatMayMatch(doc: Buffer, hits: HitSearch): MadeLines | undefined {
    const count = this.linesInMemory(doc, hits);
    if (count < 0) return undefined;
    if (!this.hitsUsed) {
      this.bytes.copy(doc, 0, this.base, this.base + doc.length);
      return { lines: doc };
    }
    return this.chosenLines();
  }

  /** After recordsPiece with hits: the lines of the records that hold one, copied out, and their numbers (1 for the first record made). */
  private chosenLines(): Required<MadeLines> {
    const found = this.exports.candidates();
    const table = new Int32Array(this.exports.memory.buffer, this.candidatesAt, 3 * found);
    let size = 0;
    for (let k = 0; k < found; k++) size += table[3 * k + 1] - table[3 * k];
    const lines = Buffer.allocUnsafe(size);
    const numbers = new Int32Array(found);
    for (let k = 0, at = 0; k < found; k++) {
      at += this.bytes.copy(lines, at, table[3 * k], table[3 * k + 1]);
      numbers[k] = table[3 * k + 2] + 1;
    }
    return { lines, numbers };
  }

  /** `doc` copied into memory and made lines there (see recordsToLines); whether hits were used is in hitsUsed. */
  private linesInMemory(doc: Buffer, hits: HitSearch | undefined): number {
    this.room(this.base + doc.length + hitRoom(doc.length));
    this.bytes.set(doc, this.base);
    this.useHits(hits, this.base, this.base + doc.length);
    return this.exports.recordsToLines(this.base, this.base + doc.length);
  }

  /** What the last trailPiece() left, at its end: [pieceLeft, pieceEnd); and whether the trail file's head is read. */
  private pieceLeft = 0;
  private pieceEnd = 0;
  private headRead = false;

  /** Forgets the trail file trailPiece() was making lines of: the next piece is a file's start. */
  startTrail(): void {
    this.headRead = false;
    this.pieceLeft = this.pieceEnd = 0;
  }

  /**
   * A trail file too large to be read whole, made lines a piece at a time (see recordsPiece in the
   * module): the parts' bytes go after what the last piece left (an element cut short), and the
   * records that end in them are made lines in place. One file at a time (see startTrail), in the
   * memory lines use: an instance of its own. With `hits`, as recordsThatMayMatch (`inPart`: the
   * lines handed on in part where the hits allow; else all of them).
   */
  trailPiece(parts: Buffer[], last: boolean, hits?: HitSearch, inPart = true): TrailPiece {
    const left = this.pieceEnd - this.pieceLeft;
    let end = this.base + left;
    const size = left + parts.reduce((n, p) => n + p.length, 0);
    // Grown once, up front: views of the memory made before the hits are found stay valid.
    this.room(this.base + size + hitRoom(size));
    if (left > 0) this.bytes.copyWithin(this.base, this.pieceLeft, this.pieceEnd);
    for (const part of parts) {
      this.bytes.set(part, end);
      end += part.length;
    }
    // Valid UTF-8 up to the last ASCII byte (a character may be cut at the end), or it is not
    // made lines: the parser reads it, bytes as they came.
    let ascii = end;
    while (ascii > this.base && this.bytes[ascii - 1] >= 0x80) ascii--;
    const untouched: TrailPiece = { lines: EMPTY, records: 0, end: PIECE_FAILED, rest: this.bytes.subarray(this.base, end), looked: this.headRead };
    if (!isUtf8(this.bytes.subarray(this.base, ascii))) return untouched;
    let from = this.base;
    if (!this.headRead) {
      from = this.exports.recordsHead(this.base, end);
      if (from === HEAD_CUT && !last) {
        // Too few bytes yet to tell: all of them again with the next.
        this.pieceLeft = this.base;
        this.pieceEnd = end;
        return { ...untouched, end: PIECE_CUT };
      }
      if (from < 0) return untouched;
      this.headRead = true;
    }
    this.useHits(hits, from, end);
    const made = this.exports.recordsPiece(from, end, last ? 1 : 0);
    const state = this.exports.pieceEnd() as TrailPiece['end'];
    this.pieceLeft = made;
    this.pieceEnd = end;
    const rest = state === PIECE_ENDED ? this.bytes.subarray(this.exports.pieceTailAt(), end) : this.bytes.subarray(made, end);
    const records = this.exports.pieceRecords();
    if (this.hitsUsed && inPart) return { ...this.chosenLines(), records, end: state, rest, looked: true };
    // No record made: what is before `made` is spaces only (a file's head), no line.
    return { lines: records > 0 ? this.bytes.subarray(this.base, made) : EMPTY, records, end: state, rest, looked: true };
  }

  /**
   * Where in memory[from, end) `hits` finds places a match may be, given to the module after
   * those bytes; without a search, or where hits are dense, every element is to be checked.
   */
  private useHits(hits: HitSearch | undefined, from: number, end: number): void {
    const most = Math.floor((end - from) / BYTES_A_HIT);
    this.hitsUsed = false;
    if (!hits || most === 0) {
      this.exports.useHits(0, -1, 0);
      return;
    }
    const at = Math.ceil((end + READ_SLACK) / 4) * 4;
    this.room(end + hitRoom(end - from));
    const table = new Int32Array(this.exports.memory.buffer, at, most);
    hits.begin(this.bytes.subarray(from, end));
    let count = 0;
    for (let hit = hits.nextHit(0); hit >= 0; hit = hits.nextHit(hit + 1)) {
      if (count === most) {
        this.exports.useHits(0, -1, 0);
        return;
      }
      table[count++] = from + hit;
    }
    // After the hits, the records found to hold them (see candidates in the module): three numbers each.
    this.candidatesAt = at + 4 * most;
    this.hitsUsed = true;
    this.exports.useHits(at, count, this.candidatesAt);
  }

  /** Whether the last trail file or piece was made lines with a filter's hits, and where the records that hold them are listed. */
  private hitsUsed = false;
  private candidatesAt = 0;

  /** Grows memory to hold `size` bytes; the old view is then detached, so a new one is made. */
  private room(size: number): void {
    const memory = this.exports.memory;
    if (size <= memory.buffer.byteLength) return;
    memory.grow(Math.ceil((size - memory.buffer.byteLength) / PAGE));
    this.bytes = Buffer.from(memory.buffer);
    this.tableViews = undefined;
  }
}

/** Room after `size` bytes of a trail file: for reads past their end, a table of hits and one of the records that hold them (see useHits). */
function hitRoom(size: number): number {
  return READ_SLACK + 4 + 16 * Math.floor(size / BYTES_A_HIT);
}

function moduleAbort(): never {
  throw new Error('json-check.wasm aborted');
}
