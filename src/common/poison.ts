// A debug switch for the buffer rule (see run/handler.ts): with CTPIPE_POISON_BUFFERS=1, every
// buffer that is reused is filled with '#' once what it held is done with, so code that keeps a
// view of an old batch reads '#' at once instead of, by luck, the bytes it expected.

const POISON_BYTE = 0x23; // '#'

/** Read once: the switch is for whole runs (CI runs the suite once with it on). */
export const POISONING = process.env.CTPIPE_POISON_BUFFERS === '1';

/** Overwrites buf[start, end) when poisoning is on. */
export function poison(buf: Uint8Array, start = 0, end = buf.length): void {
  if (POISONING && end > start) buf.fill(POISON_BYTE, start, end);
}
