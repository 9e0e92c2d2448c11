// Trail files read as NDJSON: the WebAssembly check vouches for a whole `{"Records":[...]}`
// document and makes it one record a line in place (see recordsToLines in wasm/json-check.ts),
// so its records go through the same byte paths as NDJSON lines (ct-where's prefilter and fields
// read from bytes, ct-explode's records written as they are, worker threads), not JSON.parse of the
// document. A file too large to be read whole is made lines a piece at a time, as its bytes come
// (recordsPiece), so memory stays a piece's worth whatever its size. Each has a module instance of
// its own: its memory holds the bytes being looked at.
//
// A filter (ct-where) that reads only the lines its search finds a needle in gives that search:
// then only the records that hold a hit are checked, the others only found by their strings and
// brackets (a third of the check's time), as its NDJSON lines are only looked at, and a file (or
// each piece of a large one) gives only the lines of the records that hold a hit, numbered (the
// others are not copied or scanned again); its lines are then not vouched for.
import type { DocumentLines, LinePieces, MadeLines, PiecesLeft } from '../input/read-batches';
import { JsonChecker, PIECE_CUT, PIECE_FAILED, type HitSearch } from './json-check';

export function trailLines(hits?: HitSearch): DocumentLines {
  let checker: JsonChecker | undefined;
  // Instances for files made lines a piece at a time, kept for the next file: a module's memory
  // is freed only when a collection finds the instance unused (a new one per file held 20 MB).
  const free: JsonChecker[] = [];
  return {
    vouches: !hits,
    toLines: (doc) => {
      checker ??= new JsonChecker();
      if (hits) return checker.recordsThatMayMatch(doc, hits);
      return checker.recordsToLines(doc) >= 0 ? { lines: doc } : undefined;
    },
    inPieces: () => new TrailPieces(() => free.pop() ?? new JsonChecker(), (done) => free.push(done), hits),
  };
}

const EMPTY = Buffer.alloc(0);

/** What a trail file's parser needs before bytes left at each stage to read them in context. */
const IN_ARRAY = '{"Records":[';
const AFTER_ARRAY = '{"Records":[]';

class TrailPieces implements LinePieces {
  /** Taken at the first piece, given back after the last (see trailLines). */
  private checker: JsonChecker | undefined;
  private records = 0;
  /** After the array's `]`: whether its object's `}` has been seen (then only white space may follow). */
  private tail: 'array' | 'object' | 'document' = 'array';
  private leftOver: PiecesLeft | undefined;
  /**
   * With a filter's hits: whether this file's lines are handed on in part, numbered. Decided at
   * its first piece of records (in part if its hits were sparse), so a file's batches are numbered
   * all or none; a later piece with dense hits then gives all its lines, numbered.
   */
  private inPart: boolean | undefined;

  constructor(
    private readonly take: () => JsonChecker,
    private readonly giveBack: (checker: JsonChecker) => void,
    private readonly hits: HitSearch | undefined,
  ) {}

  next(parts: Buffer[], last: boolean): MadeLines {
    if (this.leftOver) throw new Error('TrailPieces: next() after the rest was left to the parser');
    if (this.tail !== 'array') {
      // As one: what is left must be all the bytes from the first one that is not white space.
      this.checkTail(parts.length === 1 ? parts[0] : Buffer.concat(parts), last, parts);
      return { lines: EMPTY };
    }
    if (!this.checker) {
      this.checker = this.take();
      this.checker.startTrail();
    }
    const piece = this.checker.trailPiece(parts, last, this.hits, this.inPart !== false);
    if (last || piece.end !== PIECE_CUT) {
      // No piece follows: the checker goes to the next file, which uses it only in its turn,
      // after these lines (in its memory) have been handled.
      this.giveBack(this.checker);
    }
    const prefix = piece.looked ? IN_ARRAY : '';
    const before = this.records;
    this.records += piece.records;
    if (piece.end === PIECE_FAILED) {
      // The lines made so far stand; the parser reads on from the element that is not certain.
      this.leftOver = { parts: tailOf(parts, piece.rest), records: this.records, prefix };
    } else if (piece.end !== PIECE_CUT) {
      this.tail = 'object';
      this.checkTail(piece.rest, last, parts);
    }
    if (this.hits && piece.records > 0) this.inPart ??= piece.numbers !== undefined;
    if (!this.inPart) return { lines: piece.lines };
    const numbers = piece.numbers ?? Int32Array.from({ length: piece.records }, (_, k) => k + 1);
    return { lines: piece.lines, numbers: numbers.map((n) => before + n) };
  }

  left(): PiecesLeft | undefined {
    return this.leftOver;
  }

  /**
   * The bytes after the array: its object's `}` and white space, else they are left to the
   * parser. `bytes` are the last of `parts` (or all of them).
   */
  private checkTail(bytes: Buffer, last: boolean, parts: Buffer[]): void {
    for (let i = 0; i < bytes.length; i++) {
      const c = bytes[i];
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
      if (c === 0x7d && this.tail === 'object') {
        this.tail = 'document';
        continue;
      }
      // After the document, what follows is read from its start: a later array is numbered from 0.
      const after = this.tail === 'document';
      this.leftOver = { parts: tailOf(parts, bytes.subarray(i)), records: after ? 0 : this.records, prefix: after ? '' : AFTER_ARRAY };
      return;
    }
    if (last && this.tail === 'object') this.leftOver = { parts: [], records: this.records, prefix: AFTER_ARRAY };
  }
}

/**
 * `rest`, the last bytes pushed (often a view of the module's memory, which the next piece
 * reuses), as views of the parts they came in, which are the source's own; a copy only where
 * they began before these parts (an element cut short at the piece before). Trail files one
 * after another in a source leave most of a piece at each one's end, and a fresh buffer for
 * each (its pages faulted in) cost more than making its lines.
 */
function tailOf(parts: Buffer[], rest: Buffer): Buffer[] {
  const views: Buffer[] = [];
  let n = rest.length;
  for (let i = parts.length - 1; i >= 0 && n > 0; i--) {
    const part = parts[i];
    views.push(part.length > n ? part.subarray(part.length - n) : part);
    n -= Math.min(n, part.length);
  }
  return n > 0 ? [Buffer.from(rest)] : views.reverse();
}
