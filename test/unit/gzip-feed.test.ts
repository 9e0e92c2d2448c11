// gzip-members' feed(): the deflate data of one member goes to the inflater in slices, and what
// the inflater did not use (the trailer, the next member, bytes after them) comes back whole,
// whenever the member's end is seen: after a slice, with the rest of a read not written yet, or
// after more was written. The inflater is a stub that ends where it is told (its timing is the
// point of the test; node's own inflater is run by the e2e tests).
import { EventEmitter } from 'node:events';
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { feed } from '../../src/input/gzip-members';

/** An inflater whose data ends after `uses` bytes; it says so `lag` writes after the one that completed them. */
function stubInflater(uses: number, lag: number) {
  const events = new EventEmitter();
  let written = 0;
  let late = -1;
  return Object.assign(events, {
    bytesWritten: 0,
    write(chunk: Buffer): boolean {
      written += chunk.length;
      this.bytesWritten = Math.min(written, uses);
      if (written >= uses) late++;
      setImmediate(() => events.emit(late >= lag ? 'end' : 'drain'));
      return false;
    },
    end(): void {
      setImmediate(() => events.emit('end'));
    },
  });
}

/** The chunks as reads, counting how many were taken. */
function reads(chunks: Buffer[]): AsyncIterator<Buffer> & { taken: number } {
  const it = {
    taken: 0,
    next: () => Promise.resolve(it.taken < chunks.length ? { done: false as const, value: chunks[it.taken++] } : { done: true as const, value: undefined }),
  };
  return it;
}

describe('feed', () => {
  test('what the inflater did not use comes back whole, whenever its end is seen', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 200_000 }), { minLength: 1, maxLength: 4 }), fc.nat(), fc.integer({ min: 0, max: 6 }), async (sizes, at, lag) => {
        const all = Buffer.from(Array.from({ length: sizes.reduce((a, b) => a + b, 0) }, (_, i) => i % 251));
        const chunks: Buffer[] = [];
        for (let from = 0, k = 0; k < sizes.length; from += sizes[k++]) chunks.push(all.subarray(from, from + sizes[k]));
        const uses = at % (all.length + 1);
        const rest = reads(chunks.slice(1));
        const { left } = await feed(stubInflater(uses, lag) as never, chunks[0], rest);
        // What is left, then what was not read yet: all the bytes after the member's data.
        const unread = chunks.slice(1 + rest.taken);
        expect(Buffer.concat([left, ...unread]).equals(all.subarray(uses))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
