// AssemblyScript, compiled to dist/fast/json-check.wasm by `npm run build` (see
// src/fast/json-check.ts, which loads it). Checks JSON bytes in linear memory without building
// values, and unescapes a LookupEvents item's CloudTrailEvent string into its record's bytes.
//
// ct-explode must vouch for every record it writes but needs none of its values. In JavaScript,
// decoding each line, JSON.parse of the item and a check of its record, and encoding the record
// again cost several times what this module does with 16-byte SIMD steps through strings, and a
// byte loop in JavaScript was no faster (figures in the README's Benchmark section).
//
// Both checks answer only "certainly" or "not certain": raw control characters (in the record
// they come from escapes in the CloudTrailEvent string: tabs and newlines of a pretty-printed
// record, which is parsed and written on one line), whitespace
// other than spaces, nesting over 1,000 deep, a top-level key with an escape, a lone surrogate,
// or anything invalid make them say no, and the caller parses the text instead, for the value
// or for the exact error. The bytes must be valid UTF-8 (the caller checks).

const MAX_DEPTH: i32 = 1000;
/** What is open at each depth: `{` or `[`. */
const OPEN: usize = memory.data(MAX_DEPTH);
const QUOTE: u32 = 0x22;
const BACKSLASH: u32 = 0x5c;
const SLASH: u32 = 0x2f;
const SPACE: u32 = 0x20;
const COMMA: u32 = 0x2c;
const COLON: u32 = 0x3a;
const OPEN_OBJECT: u32 = 0x7b;
const OPEN_ARRAY: u32 = 0x5b;
/** `}` is `{` + 2 and `]` is `[` + 2. */
const CLOSE_OFFSET: u32 = 2;
/** Results of item() that are not an output position. */
const NOT_CERTAIN: isize = -1;
const PLAIN_RECORD: isize = -2;

/** The top-level key just read is CloudTrailEvent: its value is to be unescaped. */
let pendingRecord = false;
/** Where the unescaped CloudTrailEvent went: [recordStart, recordEnd); -1 when there is none. */
let recordStart: isize = -1;
let recordEnd: isize = -1;
/** An EventId key: a LookupEvents item, even without a CloudTrailEvent. */
let eventId = false;
/** A top-level key starting with `event`: the mark of a CloudTrail record (src/events/shapes.ts). */
let eventKey = false;
/** While recordsToLines checks a trail file's elements: a CloudTrailEvent key is not certain. */
let recordsOnly = false;
/**
 * For each 8-bit mask of bytes to drop, the places of the bytes kept, in order: a swizzle packs
 * them (unescapeRecord). The first 256 entries for bytes 0-7 of a step, the next 256 for 8-15.
 */
const KEEP: usize = memory.data(2 * 256 * 8);
for (let half: u32 = 0; half < 2; half++) {
  for (let mask: u32 = 0; mask < 256; mask++) {
    const entry = KEEP + 2048 * <usize>half + 8 * <usize>mask;
    let kept: usize = 0;
    for (let b: u32 = 0; b < 8; b++) if (((mask >> b) & 1) == 0) store<u8>(entry + kept++, <u8>(8 * half + b));
    while (kept < 8) store<u8>(entry + kept++, 0xff);
  }
}
/** Where the record is to be written. */
let outAt: usize = 0;
/** Most top-level members recorded per object (see memberTable); past it none are. */
const MAX_MEMBERS: i32 = 1024;
/** [keyStart (top bit: the key holds an escape), keyEnd, valueStart, valueEnd] of each top-level member of the object check() last read. */
const MEMBERS: usize = memory.data(16 * MAX_MEMBERS);
let memberCount: i32 = 0;
/** Whether check() records members at all (a reader of fields asks; ct-explode does not). */
let recordMembers = false;

export function recordMemberTable(on: bool): void {
  recordMembers = on;
}

/** Most keys wantKeys() takes, and the room for their bytes. */
const MAX_WANTED: i32 = 32;
const WANTED_BYTES: usize = 1024;
/** [start, length] of each wanted key's bytes (in WANTED_KEYS), set by the caller. */
const WANTED: usize = memory.data(8 * MAX_WANTED);
const WANTED_KEYS: usize = memory.data(<i32>WANTED_BYTES);
/** For each wanted key, the index in the member table of its last member in the object checked last, or -1. */
const SLOTS: usize = memory.data(4 * MAX_WANTED);
let wantedCount: i32 = 0;
/** A top-level member of the object checked last has a key with an escape: it may be a wanted key, written otherwise. */
let escapedMember = false;

/** Where the caller writes the wanted keys' [start, length] pairs, and their bytes (see wantKeys). */
export function wantedTable(): usize {
  return WANTED;
}
export function wantedBytes(): usize {
  return WANTED_KEYS;
}
export function slots(): usize {
  return SLOTS;
}
export function heldEscapedMember(): bool {
  return escapedMember;
}

/**
 * From now on, while the member table is recorded, the last member of each of these `count` keys
 * (written in wantedTable()) is also found by its key (see SLOTS): a reader of a few fields need
 * not look at every member's key. Keys with an escape are not compared (see heldEscapedMember).
 */
export function wantKeys(count: i32): void {
  wantedCount = count;
}
/** Where the key just read starts and ends (its quotes included), for the member table. */
let keyStart: usize = 0;
let keyEnd: usize = 0;

/** Set when a string checked since item() began holds an escape of a surrogate (\ud800-\udfff). */
let surrogateEscape = false;

/** Where memory free for the caller begins. */
export function heapBase(): usize {
  return __heap_base;
}

/**
 * One NDJSON line at [start, end). Returns NOT_CERTAIN (-1); PLAIN_RECORD (-2): a JSON object
 * with no CloudTrailEvent and no EventId key and a key starting with `event` (a CloudTrail
 * record; an object without one is left to the parser, which passes it over), to be written as
 * it is; or, for an item whose
 * record is certainly a JSON object, the end of what was written at `out`: the record and "\n".
 * Writes may reach 16 bytes past that end, and never more than (end - start) + 16 bytes past
 * `out`. A line with a Records, Events or NextToken key may hold events: NOT_CERTAIN.
 */
export function item(start: usize, end: usize, out: usize): isize {
  surrogateEscape = false;
  recordStart = -1;
  recordEnd = -1;
  eventId = false;
  eventKey = false;
  outAt = out;
  if (!check(start, end, true)) return NOT_CERTAIN;
  if (recordStart < 0) return eventId || !eventKey ? NOT_CERTAIN : PLAIN_RECORD;
  if (!check(<usize>recordStart, <usize>recordEnd, false)) return NOT_CERTAIN;
  store<u8>(<usize>recordEnd, 0x0a);
  return recordEnd + 1;
}

/**
 * Whether the line item() last checked holds an escape of a surrogate: its strings decode whole
 * only as pairs, which the bytes alone do not tell; a reader that decodes strings asks the parser.
 */
export function heldSurrogateEscape(): bool {
  return surrogateEscape;
}

/**
 * The top-level members of the object item() last vouched for (the record: an item's, or the
 * line itself): how many are in memberTable(), or -1 when there were too many to record.
 */
export function members(): i32 {
  return memberCount;
}

export function memberTable(): usize {
  return MEMBERS;
}

/** True only if [start, end) is certainly one JSON object (not an array, not null). */
export function isObject(start: usize, end: usize): bool {
  return check(start, end, false);
}

/**
 * A trail file, `{"Records":[{...},{...}]}`, made NDJSON in place: when [start, end) is certainly
 * such a document (its one member Records, an array of CloudTrail records, each certainly valid,
 * with a key starting with `event` and no CloudTrailEvent, EventId or container key, and no white
 * space but spaces inside), the bytes around the elements become spaces and the byte after each
 * element a newline, so each line holds one record; returns how many. -1 when not certain
 * (other members, other elements, anything else): the bytes may then be changed, so the caller
 * keeps its own copy. White space outside the elements may be any JSON white space.
 */
export function recordsToLines(start: usize, end: usize): i32 {
  const head = recordsHead(start, end);
  if (head < 0) return -1;
  // The whole array as one last piece, then its object's end.
  const made = recordsPiece(<usize>head, end, true);
  if (pieceState != PIECE_ENDED) return -1;
  const i = blanks(pieceTail, end);
  if (i >= end || at(i) != OPEN_OBJECT + CLOSE_OFFSET) return -1;
  if (blanks(i + 1, end) != end) return -1;
  fill(made, end);
  return pieceCount;
}

/** recordsHead(): the bytes end before the head could be told. */
export const HEAD_CUT: isize = -2;

/**
 * The head of a trail file too large to be read whole, `{"Records":[`, at [start, end): made
 * spaces; returns where the array's first element (or its end) starts, -1 when the bytes do not
 * start so, or HEAD_CUT. Its elements are then made lines piece by piece (recordsPiece).
 */
export function recordsHead(start: usize, end: usize): isize {
  let i = blanks(start, end);
  if (i >= end) return HEAD_CUT;
  if (at(i) != OPEN_OBJECT) return -1;
  i = blanks(i + 1, end);
  if (i + 9 > end) return HEAD_CUT;
  if (!named(i, 9, '"Records"')) return -1;
  i = blanks(i + 9, end);
  if (i >= end) return HEAD_CUT;
  if (at(i) != COLON) return -1;
  i = blanks(i + 1, end);
  if (i >= end) return HEAD_CUT;
  if (at(i) != OPEN_ARRAY) return -1;
  fill(start, i + 1);
  return i + 1;
}

/** How the last recordsPiece() ended. */
export const PIECE_CUT = 0;
export const PIECE_ENDED = 1;
export const PIECE_FAILED = 2;
let pieceState: i32 = PIECE_CUT;
let pieceTail: usize = 0;
let pieceCount: i32 = 0;

/** PIECE_CUT (the rest is to come again with more bytes), PIECE_ENDED (see pieceTailAt) or PIECE_FAILED. */
export function pieceEnd(): i32 {
  return pieceState;
}
/** After PIECE_ENDED: where the bytes after the array's `]` start (a `}` and white space must follow). */
export function pieceTailAt(): usize {
  return pieceTail;
}
/** Records made lines by the last recordsPiece(). */
export function pieceRecords(): i32 {
  return pieceCount;
}

/**
 * The elements of a trail file's Records array in [start, end) (white space first, then an
 * element or the array's `]`), made lines in place as recordsToLines makes them: returns the end
 * of the last line made, after its newline; what follows is to come again, with more bytes after
 * it (PIECE_CUT: an element, or what follows it, goes past `end`), or is the array's end
 * (PIECE_ENDED), or is not certainly a CloudTrail record (PIECE_FAILED). With `last`, nothing may
 * be cut short: that fails.
 */
export function recordsPiece(start: usize, end: usize, last: bool): usize {
  pieceCount = 0;
  let made = start;
  let i = blanks(start, end);
  if (i < end && at(i) == OPEN_ARRAY + CLOSE_OFFSET) {
    pieceState = PIECE_ENDED;
    pieceTail = i + 1;
    fill(start, i + 1);
    return start;
  }
  recordsOnly = true;
  while (true) {
    eventKey = false;
    eventId = false;
    let close: usize = 0;
    if (hitsOn) {
      // An element far from the next hit is only found: if the hit is inside it after all, or it
      // is not found (cut short, a control character, brackets that do not pair), it is checked.
      const next = nextHit(i);
      if (next - i >= NEAR_HIT) {
        close = objectBounds(i, end);
        if (close != 0 && next < close) close = 0;
        // Taken as a record: its bytes hold nothing a filter looks for, so it is never read.
        if (close != 0) eventKey = true;
      }
    }
    if (close == 0) close = objectEnd(i, end, true);
    if (close == 0) {
      // Cut at `end`, or not valid: told apart by the bytes to come.
      pieceState = last ? PIECE_FAILED : PIECE_CUT;
      break;
    }
    const j = blanks(close, end);
    const c = j < end ? at(j) : 0;
    if (!eventKey || eventId || (j < end && c != COMMA && c != OPEN_ARRAY + CLOSE_OFFSET)) {
      pieceState = PIECE_FAILED;
      break;
    }
    if (j >= end) {
      pieceState = last ? PIECE_FAILED : PIECE_CUT;
      break;
    }
    if (hitsOn && nextHit(i) < close) {
      // A record that may match: where its line is, and its number in the piece.
      const entry = candidatesAt + 12 * <usize>candidateCount;
      candidateCount++;
      store<u32>(entry, <u32>i);
      store<u32>(entry + 4, <u32>close + 1);
      store<u32>(entry + 8, <u32>pieceCount);
    }
    fill(made, i);
    store<u8>(close, 0x0a);
    pieceCount++;
    made = close + 1;
    if (c != COMMA) {
      fill(made, j + 1);
      pieceState = PIECE_ENDED;
      pieceTail = j + 1;
      break;
    }
    fill(made, j + 1);
    i = blanks(j + 1, end);
  }
  recordsOnly = false;
  return made;
}

/**
 * Whether recordsPiece checks only the elements that hold a hit (see useHits); the next hit not
 * yet passed, and the end of their table (addresses, ascending).
 */
let hitsOn = false;
let hitAt: usize = 0;
let hitEnd: usize = 0;
/** An element whose start is nearer than this to the next hit is checked at once (nearly every record holds a broad filter's needle). */
const NEAR_HIT: usize = 2048;

/**
 * For ct-where, which reads only the records that may match: the places in the bytes recordsPiece
 * is to look at next where a match may be (a needle of the filter, an escape), `count` addresses in
 * ascending order at `at`. Elements that hold none are only found (objectBounds), not checked,
 * as ct-where's skipped NDJSON lines are; those that hold one are checked as before. A count
 * below 0: every element is checked.
 */
export function useHits(at: usize, count: i32, candidates: usize): void {
  hitsOn = count >= 0;
  hitAt = at;
  hitEnd = count > 0 ? at + 4 * <usize>count : at;
  candidatesAt = candidates;
  candidateCount = 0;
}

/**
 * The records recordsPiece found a hit in (each holds one, so there are no more than hits):
 * [lineStart, lineEnd (after its newline), number in the piece from 0] each, at candidatesAt.
 */
let candidatesAt: usize = 0;
let candidateCount: i32 = 0;
export function candidates(): i32 {
  return candidateCount;
}

/** The first hit at or after i, or the largest address when none is left. */
function nextHit(i: usize): usize {
  while (hitAt < hitEnd && <usize>load<u32>(hitAt) < i) hitAt += 4;
  return hitAt < hitEnd ? <usize>load<u32>(hitAt) : <usize>-1;
}

/** The masks of four 16-byte tests, of 64 bytes in a row, as one. */
@inline function mask64(a: v128, b: v128, c: v128, d: v128): u64 {
  return <u64>i8x16.bitmask(a) | (<u64>i8x16.bitmask(b) << 16) | (<u64>i8x16.bitmask(c) << 32) | (<u64>i8x16.bitmask(d) << 48);
}

/**
 * The end of the object whose `{` is at i, found from its strings and brackets alone, 64 bytes a
 * step (the way simdjson's first stage finds structure): returns the index after its `}`, or 0
 * when it is not found (it goes past `end`, holds a control character, or its brackets do not
 * pair). Whatever else is wrong inside goes unseen: the caller checks what it is to read. Reads
 * up to 63 bytes past `end` (masked off): the caller leaves room.
 */
function objectBounds(i: usize, end: usize): usize {
  if (i >= end || at(i) != OPEN_OBJECT) return 0;
  let depth: i32 = 0;
  /** All ones when a string is open at the start of the step. */
  let inString: u64 = 0;
  /** 1 when the first byte of the step is escaped (the last one before was a backslash that escapes). */
  let carried: u64 = 0;
  for (let p = i; p < end; p += 64) {
    const left = end - p;
    const valid: u64 = left >= 64 ? <u64>-1 : (<u64>1 << <u64>left) - 1;
    const v0 = v128.load(p);
    const v1 = v128.load(p + 16);
    const v2 = v128.load(p + 32);
    const v3 = v128.load(p + 48);
    const space = i8x16.splat(<i8>SPACE);
    const controls = v128.or(v128.or(i8x16.lt_u(v0, space), i8x16.lt_u(v1, space)), v128.or(i8x16.lt_u(v2, space), i8x16.lt_u(v3, space)));
    if (v128.any_true(controls) && (mask64(i8x16.lt_u(v0, space), i8x16.lt_u(v1, space), i8x16.lt_u(v2, space), i8x16.lt_u(v3, space)) & valid) != 0) return 0;
    const quote = i8x16.splat(<i8>QUOTE);
    let quotes = mask64(i8x16.eq(v0, quote), i8x16.eq(v1, quote), i8x16.eq(v2, quote), i8x16.eq(v3, quote)) & valid;
    const backslash = i8x16.splat(<i8>BACKSLASH);
    const slashes = v128.or(v128.or(i8x16.eq(v0, backslash), i8x16.eq(v1, backslash)), v128.or(i8x16.eq(v2, backslash), i8x16.eq(v3, backslash)));
    let escaped = carried;
    carried = 0;
    if (v128.any_true(slashes)) {
      // Each backslash not escaped itself escapes the byte after it (the next step's first, past the last).
      let b = mask64(i8x16.eq(v0, backslash), i8x16.eq(v1, backslash), i8x16.eq(v2, backslash), i8x16.eq(v3, backslash)) & valid & ~escaped;
      while (b != 0) {
        const k = ctz(b);
        if (k == 63) {
          carried = 1;
          break;
        }
        escaped |= <u64>1 << (k + 1);
        b &= ~(<u64>3 << k);
      }
    }
    quotes &= ~escaped;
    // Bit k set when byte k is inside a string (its opening quote included): a running XOR of the quotes.
    let strings = quotes ^ (quotes << 1);
    strings ^= strings << 2;
    strings ^= strings << 4;
    strings ^= strings << 8;
    strings ^= strings << 16;
    strings ^= strings << 32;
    strings ^= inString;
    inString = <u64>(<i64>strings >> 63);
    // { } [ ] (0x7b 0x7d 0x5b 0x5d) are [ ] once bit 0x20 is cleared.
    const fold = i8x16.splat(<i8>0xdf);
    const a0 = v128.and(v0, fold);
    const a1 = v128.and(v1, fold);
    const a2 = v128.and(v2, fold);
    const a3 = v128.and(v3, fold);
    const opens = i8x16.splat(<i8>OPEN_ARRAY);
    const closes = i8x16.splat(<i8>(OPEN_ARRAY + CLOSE_OFFSET));
    let brackets =
      mask64(v128.or(i8x16.eq(a0, opens), i8x16.eq(a0, closes)), v128.or(i8x16.eq(a1, opens), i8x16.eq(a1, closes)), v128.or(i8x16.eq(a2, opens), i8x16.eq(a2, closes)), v128.or(i8x16.eq(a3, opens), i8x16.eq(a3, closes))) &
      valid &
      ~strings;
    while (brackets != 0) {
      const at_ = p + <usize>ctz(brackets);
      const c = at(at_);
      if (c == OPEN_OBJECT || c == OPEN_ARRAY) {
        if (depth == MAX_DEPTH) return 0;
        store<u8>(OPEN + <usize>depth, <u8>c);
        depth++;
      } else {
        if (depth == 0 || at(OPEN + <usize>(depth - 1)) + CLOSE_OFFSET != c) return 0;
        depth--;
        if (depth == 0) return at_ + 1;
      }
      brackets &= brackets - 1;
    }
  }
  return 0;
}

/** JSON white space of any kind (between a trail file's elements). */
function blanks(i: usize, end: usize): usize {
  while (i < end) {
    const c = at(i);
    if (c != SPACE && c != 0x0a && c != 0x0d && c != 0x09) break;
    i++;
  }
  return i;
}

/** Spaces over [from, to). */
function fill(from: usize, to: usize): void {
  if (to > from) memory.fill(from, <u8>SPACE, to - from);
}

@inline function at(p: usize): u32 {
  return <u32>load<u8>(p);
}

/** With `top`, the keys of the outermost object are looked at (see key()). */
function check(start: usize, end: usize, top: bool): bool {
  const close = objectEnd(spaces(start, end), end, top);
  return close != 0 && spaces(close, end) == end;
}

/** Checks the object whose `{` is at i; returns the index after its `}`, or 0 when not certainly valid. */
function objectEnd(i: usize, end: usize, top: bool): usize {
  pendingRecord = false;
  memberCount = 0;
  if (wantedCount > 0) {
    memory.fill(SLOTS, 0xff, 4 * <usize>wantedCount);
    escapedMember = false;
  }
  if (i >= end || at(i) != OPEN_OBJECT) return 0;
  let depth: i32 = 0;
  while (true) {
    // A value starts at i.
    if (i >= end) return 0;
    const c = at(i);
    if (pendingRecord) {
      pendingRecord = false;
      if (c != QUOTE) return 0; // a CloudTrailEvent that is not a string
      i = unescapeRecord(i, end);
    } else if (c == OPEN_OBJECT || c == OPEN_ARRAY) {
      i = spaces(i + 1, end);
      if (i < end && at(i) == c + CLOSE_OFFSET) i++;
      else {
        if (depth == MAX_DEPTH) return 0;
        store<u8>(OPEN + <usize>depth, <u8>c);
        depth++;
        if (c == OPEN_OBJECT && (i = key(i, end, top && depth == 1)) == 0) return 0;
        if (depth == 1 && recordMembers) member(i);
        continue;
      }
    } else if (c == QUOTE) i = skipString(i, end);
    else i = literalOrNumber(i, end);
    if (i == 0) return 0;
    // After a value: close what is complete, then expect a comma or the end.
    while (true) {
      // A value in the outermost object ends here.
      if (depth == 1 && memberCount > 0 && recordMembers) store<u32>(MEMBERS + 16 * (<usize>memberCount - 1) + 12, <u32>i);
      if (depth == 0) return i;
      i = spaces(i, end);
      if (i >= end) return 0;
      const d = at(i);
      const open = at(OPEN + <usize>(depth - 1));
      if (d == COMMA) {
        i = spaces(i + 1, end);
        if (open == OPEN_OBJECT && (i = key(i, end, top && depth == 1)) == 0) return 0;
        if (depth == 1 && recordMembers) member(i);
        break;
      }
      if (d != open + CLOSE_OFFSET) return 0;
      depth--;
      i++;
    }
  }
  return 0;
}

/** Records a member of the outermost object: its key (just read) and where its value starts. */
function member(valueStart: usize): void {
  if (memberCount < 0) return;
  if (memberCount == MAX_MEMBERS) {
    memberCount = -1;
    return;
  }
  const at = MEMBERS + 16 * <usize>memberCount;
  // The top bit of the key's start says it holds an escape (addresses stay under 2 GiB); the
  // key was the string skipped last.
  const escaped: u32 = stringEscaped ? 0x80000000 : 0;
  store<u32>(at, <u32>keyStart | escaped);
  store<u32>(at + 4, <u32>keyEnd);
  store<u32>(at + 8, <u32>valueStart);
  if (wantedCount > 0) {
    if (stringEscaped) escapedMember = true;
    else {
      const length = keyEnd - keyStart - 2;
      for (let w: i32 = 0; w < wantedCount; w++) {
        const entry = WANTED + 8 * <usize>w;
        if (<usize>load<u32>(entry + 4) == length && memory.compare(<usize>load<u32>(entry), keyStart + 1, length) == 0) {
          store<i32>(SLOTS + 4 * <usize>w, memberCount);
          break;
        }
      }
    }
  }
  memberCount++;
}

/** `"key" :` and the spaces after it; returns where the value starts, or 0. */
function key(i: usize, end: usize, top: bool): usize {
  if (i >= end || at(i) != QUOTE) return 0;
  const from = i + 1;
  keyStart = i;
  if ((i = skipString(i, end)) == 0) return 0;
  keyEnd = i;
  if (top) {
    if (stringEscaped) return 0;
    // Told apart by the first letter: most keys of a record are none of these (a third of a
    // trail file's check went to comparing every key with each name).
    const length = i - 1 - from;
    const first = at(from);
    if (first == 0x65 /* e */) {
      if (!eventKey && startsWith(from, length, 'event')) eventKey = true;
    } else if (first == 0x43 /* C */) {
      // Twice: the second is written over the first, and counts, as with JSON.parse.
      if (named(from, length, 'CloudTrailEvent')) {
        // A trail file's element is a record; an item there is left to the parser.
        if (recordsOnly) return 0;
        pendingRecord = true;
      }
    } else if (first == 0x45 /* E */) {
      if (named(from, length, 'EventId')) eventId = true;
      // A container key (src/events/shapes.ts): the line may hold events, for the parser to decide.
      else if (named(from, length, 'Events')) return 0;
    } else if ((first == 0x52 /* R */ && named(from, length, 'Records')) || (first == 0x4e /* N */ && named(from, length, 'NextToken'))) return 0;
  }
  i = spaces(i, end);
  if (i >= end || at(i) != COLON) return 0;
  return spaces(i + 1, end);
}

function named(p: usize, length: usize, name: string): bool {
  return length == <usize>name.length && startsWith(p, length, name);
}

function startsWith(p: usize, length: usize, prefix: string): bool {
  if (length < <usize>prefix.length) return false;
  for (let k: usize = 0; k < <usize>prefix.length; k++) if (at(p + k) != <u32>prefix.charCodeAt(<i32>k)) return false;
  return true;
}

function spaces(i: usize, end: usize): usize {
  while (i < end && at(i) == SPACE) i++;
  return i;
}

/** Whether the string skipString() last skipped holds an escape. */
let stringEscaped = false;

/** The string whose quote is at i; returns the index after its closing quote, or 0. */
function skipString(i: usize, end: usize): usize {
  i++;
  stringEscaped = false;
  while (true) {
    // 16 bytes at a time to the next quote, backslash or control character.
    while (i + 16 <= end) {
      const v = v128.load(i);
      const special = v128.or(
        v128.or(i8x16.eq(v, i8x16.splat(<i8>QUOTE)), i8x16.eq(v, i8x16.splat(<i8>BACKSLASH))),
        i8x16.lt_u(v, i8x16.splat(<i8>SPACE)),
      );
      const mask = i8x16.bitmask(special);
      if (mask == 0) {
        i += 16;
        continue;
      }
      i += <usize>ctz(mask);
      break;
    }
    if (i >= end) return 0;
    const c = at(i++);
    if (c == QUOTE) return i;
    if (c == BACKSLASH) {
      stringEscaped = true;
      if (i >= end) return 0;
      const e = at(i++);
      if (e == 0x75 /* u */) {
        const u = hex4(i, end);
        if (u < 0) return 0;
        if (u >= 0xd800 && u <= 0xdfff) surrogateEscape = true;
        i += 4;
      } else if (!isSimpleEscape(e)) return 0;
    } else if (c < SPACE) return 0;
  }
  return 0;
}

/**
 * Unescapes the string whose quote is at i (CloudTrailEvent's) to outAt, as UTF-8: the
 * record's text. Every escape is longer than the bytes it stands for, so the text is never
 * longer than the string. Control characters, raw or escaped, are copied: the record's check
 * rejects them.
 * Returns the index after the closing quote, or 0.
 */
function unescapeRecord(i: usize, end: usize): usize {
  let o = outAt;
  i++;
  while (true) {
    // 16 bytes at a time, copied whole, to the next quote or backslash. The escaped quotes of
    // the record (\", every key and string has two) are unescaped here without leaving the loop.
    while (i + 16 <= end) {
      const v = v128.load(i);
      const backslashes = i8x16.bitmask(i8x16.eq(v, i8x16.splat(<i8>BACKSLASH)));
      const quotes = i8x16.bitmask(i8x16.eq(v, i8x16.splat(<i8>QUOTE)));
      // The usual step: every escape in these bytes is \" (a backslash before each quote, a
      // quote after each backslash); the backslashes are dropped, the bytes packed, 8 at a time.
      // A backslash in the last byte is left to the next step.
      const n: usize = backslashes & 0x8000 ? 15 : 16;
      const dropped = backslashes & 0x7fff;
      if (dropped << 1 == quotes) {
        const low = dropped & 0xff;
        const high = dropped >> 8;
        v128.store64_lane(o, i8x16.swizzle(v, v128.load64_zero(KEEP + 8 * <usize>low)), 0);
        v128.store64_lane(o + 8 - <usize>popcnt(low), i8x16.swizzle(v, v128.load64_zero(KEEP + 2048 + 8 * <usize>high)), 0);
        i += n;
        o += n - <usize>popcnt(dropped);
        continue;
      }
      v128.store(o, v);
      const k = <usize>ctz(backslashes | quotes);
      i += k;
      o += k;
      if (i + 1 >= end || at(i) != BACKSLASH) break;
      const e = at(i + 1);
      if (e != QUOTE && e != BACKSLASH && e != SLASH) break;
      store<u8>(o++, <u8>e);
      i += 2;
    }
    if (i >= end) return 0;
    const c = at(i++);
    if (c == QUOTE) break;
    if (c != BACKSLASH) {
      store<u8>(o++, <u8>c);
      continue;
    }
    if (i >= end) return 0;
    const e = at(i++);
    if (e == QUOTE || e == BACKSLASH || e == SLASH) {
      store<u8>(o++, <u8>e);
      continue;
    }
    if (e != 0x75 /* u */) return 0;
    let u = hex4(i, end);
    if (u < 0) return 0;
    i += 4;
    if (u < 0x80) store<u8>(o++, <u8>u);
    else if (u < 0x800) {
      store<u8>(o++, <u8>(0xc0 | (u >> 6)));
      store<u8>(o++, <u8>(0x80 | (u & 0x3f)));
    } else if (u < 0xd800 || u > 0xdfff) {
      store<u8>(o++, <u8>(0xe0 | (u >> 12)));
      store<u8>(o++, <u8>(0x80 | ((u >> 6) & 0x3f)));
      store<u8>(o++, <u8>(0x80 | (u & 0x3f)));
    } else {
      // A surrogate pair; a lone surrogate is left to the parser.
      if (u > 0xdbff || i + 6 > end || at(i) != BACKSLASH || at(i + 1) != 0x75) return 0;
      const low = hex4(i + 2, end);
      if (low < 0xdc00 || low > 0xdfff) return 0;
      i += 6;
      u = 0x10000 + ((u - 0xd800) << 10) + (low - 0xdc00);
      store<u8>(o++, <u8>(0xf0 | (u >> 18)));
      store<u8>(o++, <u8>(0x80 | ((u >> 12) & 0x3f)));
      store<u8>(o++, <u8>(0x80 | ((u >> 6) & 0x3f)));
      store<u8>(o++, <u8>(0x80 | (u & 0x3f)));
    }
  }
  recordStart = <isize>outAt;
  recordEnd = <isize>o;
  return i;
}

/** " \\ / b f n r t */
function isSimpleEscape(e: u32): bool {
  return e == QUOTE || e == BACKSLASH || e == SLASH || e == 0x62 || e == 0x66 || e == 0x6e || e == 0x72 || e == 0x74;
}

/** The value of the 4 hex digits at i, or -1. */
function hex4(i: usize, end: usize): i32 {
  if (i + 4 > end) return -1;
  let v: i32 = 0;
  for (let k: usize = 0; k < 4; k++) {
    const c = at(i + k);
    const lower = c | 0x20;
    if (c >= 0x30 && c <= 0x39) v = (v << 4) | <i32>(c - 0x30);
    else if (lower >= 0x61 && lower <= 0x66) v = (v << 4) | <i32>(lower - 0x57);
    else return -1;
  }
  return v;
}

/** true, false, null or a number at i; returns the index after it, or 0. */
function literalOrNumber(i: usize, end: usize): usize {
  const c = at(i);
  if (c == 0x74) return word(i, end, 'true');
  if (c == 0x66) return word(i, end, 'false');
  if (c == 0x6e) return word(i, end, 'null');
  return number(i, end);
}

function word(i: usize, end: usize, w: string): usize {
  const length = <usize>w.length;
  if (i + length > end || !named(i, length, w)) return 0;
  return i + length;
}

/** -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
function number(i: usize, end: usize): usize {
  if (at(i) == 0x2d) i++;
  if (i >= end) return 0;
  const first = at(i);
  if (first == 0x30) i++;
  else if (first >= 0x31 && first <= 0x39) i = digits(i, end);
  else return 0;
  if (i < end && at(i) == 0x2e) {
    if (!isDigit(i + 1, end)) return 0;
    i = digits(i + 1, end);
  }
  if (i < end && (at(i) | 0x20) == 0x65) {
    i++;
    if (i < end && (at(i) == 0x2b || at(i) == 0x2d)) i++;
    if (!isDigit(i, end)) return 0;
    i = digits(i, end);
  }
  return i;
}

function isDigit(i: usize, end: usize): bool {
  if (i >= end) return false;
  const c = at(i);
  return c >= 0x30 && c <= 0x39;
}

function digits(i: usize, end: usize): usize {
  while (isDigit(i, end)) i++;
  return i;
}
