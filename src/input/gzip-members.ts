// gzip, member by member, as zcat reads it: a file of several members is one stream, zero bytes
// after the last are padding, and other bytes after it are reported and left, after every record
// before them has come out. zlib's gunzip cannot do the last: it fails on such bytes and drops
// what it had inflated from the same write. So each member's header is read here and its deflate
// data goes to zlib's raw inflater, which stops at the data's end and counts what it used
// (bytesWritten): the 8-byte trailer and whatever follows are found from there.
import type { InflateRaw } from 'node:zlib';

const FHCRC = 2;
const FEXTRA = 4;
const FNAME = 8;
const FCOMMENT = 16;

/**
 * The length of the gzip member header at the start of `bytes`; undefined when more bytes are
 * needed to tell; -1 when the bytes are no gzip member.
 */
export function gzipHeaderLength(bytes: Buffer): number | undefined {
  if (bytes.length >= 1 && bytes[0] !== 0x1f) return -1;
  if (bytes.length >= 2 && bytes[1] !== 0x8b) return -1;
  if (bytes.length >= 3 && bytes[2] !== 8) return -1; // deflate, the only method
  if (bytes.length < 10) return undefined;
  const flags = bytes[3];
  let at = 10;
  if (flags & FEXTRA) {
    if (bytes.length < at + 2) return undefined;
    at += 2 + bytes.readUInt16LE(at);
  }
  for (const flag of [FNAME, FCOMMENT]) {
    if (!(flags & flag)) continue;
    const zero = bytes.indexOf(0, at);
    if (zero < 0) return undefined;
    at = zero + 1;
  }
  if (flags & FHCRC) at += 2;
  return bytes.length >= at ? at : undefined;
}

/** What went wrong after the last member: said once, with what is known of the bytes. */
export type TrailingReport = (message: string) => void;

/**
 * Gzip input up to this size (a trail file) is inflated at once, if it inflates to at most
 * WHOLE_INFLATED; larger output streams, so memory stays bounded (a source is read one or two
 * ahead of its turn, see readBatches).
 */
const WHOLE_COMPRESSED = 4 * 1024 * 1024;
const WHOLE_INFLATED = 8 * 1024 * 1024;
/** The stream's output chunks: fewer round trips through the thread pool than its default 16 KiB. */
const STREAM_CHUNK = 256 * 1024;
/** Compressed bytes written to the stream at a time (see feed). */
const FEED_SLICE = 64 * 1024;
const EMPTY_BUFFER = Buffer.alloc(0);
/** Output chunks of the whole inflation on the thread pool (each a round trip): at least, and at most. */
const MIN_OUTPUT_CHUNK = 64 * 1024;
const MAX_OUTPUT_CHUNK = WHOLE_INFLATED;
/** The size of the pieces an inflated member is handed on in (as the stream's reads). */
const PIECE = 128 * 1024;

export async function* gunzipMembers(first: Buffer, rest: AsyncIterator<Buffer>, report: TrailingReport): AsyncGenerator<Buffer> {
  // A small input is inflated at once, member by member: several times faster than the stream's
  // round trips through the thread pool, and it is all of a trail file. Anything the whole
  // inflation is not sure of (a damaged or cut member, too much output) goes through the stream,
  // which says what is wrong where.
  const parts = [first];
  let size = first.length;
  let ended = false;
  while (size <= WHOLE_COMPRESSED) {
    const r = await rest.next();
    if (r.done) {
      ended = true;
      break;
    }
    parts.push(r.value);
    size += r.value.length;
  }
  const all = parts.length === 1 ? first : Buffer.concat(parts);
  // Held by this generator while the stream below runs: dropped now.
  parts.length = 0;
  // Not loaded at start-up: most input is not gzipped (getBuiltinModule: a module, not an import's copy per call).
  const zlib = process.getBuiltinModule('node:zlib');
  if (ended) {
    const whole = await inflateWhole(zlib, all);
    if (whole) {
      // In pieces as a stream gives them (views, not copies): a line past --max-line is still
      // found as it spans pieces, and a reader of documents joins adjacent views without copying.
      for (const member of whole.members) for (let at = 0; at < member.length; at += PIECE) yield member.subarray(at, at + PIECE);
      if (whole.trailing) report(whole.trailing);
      return;
    }
  }
  yield* streamMembers(zlib, all, ended ? EMPTY : rest, report);
}

const EMPTY: AsyncIterator<Buffer> = { next: () => Promise.resolve({ done: true, value: undefined }) };

/**
 * The members of `all`, each inflated at once on the thread pool, in output chunks large enough
 * that it takes one round trip or two (the default 16 KiB made it four times slower than
 * inflating on this thread), so the main thread handles the file before it meanwhile (see
 * readBatches); undefined when one fails, is cut short, or it all inflates to more than
 * WHOLE_INFLATED.
 */
async function inflateWhole(zlib: typeof import('node:zlib'), all: Buffer): Promise<{ members: Buffer[]; trailing?: string } | undefined> {
  const members: Buffer[] = [];
  let inflated = 0;
  // As large as the last member says it inflates to (its trailer's ISIZE, the size mod 4 GiB; a
  // trail file has one member): one round trip, and no more memory than the output. A chunk
  // of 2 MiB for every file cost an allocation and page faults of its own for each.
  const said = all.length >= 18 ? all.readUInt32LE(all.length - 4) : 0;
  if (said > WHOLE_INFLATED) return undefined;
  const chunkSize = Math.min(Math.max(said + 1024, MIN_OUTPUT_CHUNK), MAX_OUTPUT_CHUNK);
  for (let at = 0, member = 1; ; member++) {
    const left = all.subarray(at);
    if (left.length === 0) return { members };
    const header = gzipHeaderLength(left);
    if (header === undefined || header < 0) {
      if (member === 1) return undefined;
      return { members, trailing: left.some((b) => b !== 0) ? trailingText(at, left.length, member - 1) : undefined };
    }
    const result = await new Promise<{ buffer: Buffer; engine: { bytesWritten: number } } | undefined>((resolve) =>
      zlib.inflateRaw(left.subarray(header), { info: true, chunkSize, maxOutputLength: WHOLE_INFLATED - inflated }, (err, r) =>
        resolve(err ? undefined : (r as unknown as { buffer: Buffer; engine: { bytesWritten: number } })),
      ),
    );
    if (!result) return undefined;
    inflated += result.buffer.length;
    members.push(result.buffer);
    at += header + result.engine.bytesWritten;
    if (all.length - at < 8) return undefined;
    at += 8;
  }
}

async function* streamMembers(zlib: typeof import('node:zlib'), first: Buffer, rest: AsyncIterator<Buffer>, report: TrailingReport): AsyncGenerator<Buffer> {
  const { createInflateRaw } = zlib;
  let pending = first;
  let sourceDone = false;
  /** Compressed bytes of the source before pending[0]. */
  let offset = 0;
  const more = async (): Promise<boolean> => {
    if (sourceDone) return false;
    const r = await rest.next();
    if (r.done) {
      sourceDone = true;
      return false;
    }
    pending = pending.length ? Buffer.concat([pending, r.value]) : r.value;
    return true;
  };
  for (let member = 1; ; member++) {
    let header = gzipHeaderLength(pending);
    while (header === undefined && (await more())) header = gzipHeaderLength(pending);
    if (pending.length === 0) return;
    if (header === undefined || header < 0) {
      if (member === 1) throw Object.assign(new Error('not a gzip stream, or one cut short in its header'), { code: 'Z_DATA_ERROR' });
      if (!sourceDone) await countTrailing(pending, rest, offset, member - 1, report);
      else if (pending.some((b) => b !== 0)) report(trailingText(offset, pending.length, member - 1));
      return;
    }
    const inflater = createInflateRaw({ chunkSize: STREAM_CHUNK });
    const fed = feed(inflater, pending.subarray(header), rest);
    yield* inflater;
    const { left, sourceEnded } = await fed;
    sourceDone ||= sourceEnded;
    // What the inflater did not use is the trailer, then the next member or whatever follows.
    pending = left;
    offset += header + inflater.bytesWritten;
    while (pending.length < 8 && (await more()));
    if (pending.length < 8) throw Object.assign(new Error('unexpected end of file'), { code: 'Z_BUF_ERROR' });
    pending = pending.subarray(8);
    offset += 8;
  }
}

/**
 * Writes a member's deflate data to the inflater until its output ends (the data's end is
 * reached) or the source does. Returns the bytes written or read and not used. A write after
 * the data's end is harmless: the inflater ignores it.
 */
export async function feed(inflater: Pick<InflateRaw, 'write' | 'end' | 'once' | 'bytesWritten'>, body: Buffer, rest: AsyncIterator<Buffer>): Promise<{ left: Buffer; sourceEnded: boolean }> {
  let ended = false;
  let failed = false;
  const done = new Promise<void>((resolve) => {
    inflater.once('end', () => {
      ended = true;
      resolve();
    });
    inflater.once('error', () => {
      failed = true;
      resolve();
    });
  });
  /** Chunks written and not known to be used up, and where the first starts in the member's data. */
  let held: Buffer[] = [];
  let heldFrom = 0;
  let sourceEnded = false;
  /** What was read and not written yet, when the member's data ended before it. */
  let unwritten: Buffer = EMPTY_BUFFER;
  try {
    for (let chunk: Buffer = body, at = 0; ; ) {
      // In slices: the inflater inflates all of a write before it heeds its reader, so a whole
      // compressed file written at once was all inflated into memory ahead of being read.
      const slice = chunk.subarray(at, at + FEED_SLICE);
      at += slice.length;
      held.push(slice);
      if (!inflater.write(slice)) await Promise.race([new Promise((resolve) => inflater.once('drain', resolve)), done]);
      if (ended || failed) {
        unwritten = chunk.subarray(at);
        break;
      }
      // Drop what the inflater has surely used: memory stays a chunk or two, whatever the member's size.
      while (held.length > 1 && heldFrom + held[0].length <= inflater.bytesWritten) {
        heldFrom += held[0].length;
        held = held.slice(1);
      }
      if (at < chunk.length) continue;
      const r = await rest.next();
      if (r.done) {
        sourceEnded = true;
        inflater.end();
        await done;
        break;
      }
      chunk = r.value;
      at = 0;
    }
  } catch {
    // A failed read: the inflater's own error, or the reader's, is what is reported.
  }
  return { left: Buffer.concat([...held, unwritten]).subarray(Math.max(0, inflater.bytesWritten - heldFrom)), sourceEnded };
}

function trailingText(offset: number, count: number, members: number): string {
  return `byte ${offset}: ${count} bytes after the last gzip member (${members} read whole) are no gzip; ignored, as zcat does`;
}

/** Bytes after the last member, counted as they are read (not held): zero padding is fine. */
async function countTrailing(first: Buffer, rest: AsyncIterator<Buffer>, offset: number, members: number, report: TrailingReport): Promise<void> {
  let count = first.length;
  let padding = first.every((b) => b === 0);
  for (let r = await rest.next(); !r.done; r = await rest.next()) {
    count += r.value.length;
    padding &&= r.value.every((b) => b === 0);
  }
  if (!padding) report(trailingText(offset, count, members));
}
