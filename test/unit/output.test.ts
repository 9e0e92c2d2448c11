// OutputWriter.takeInto: what a worker thread sends back, in the reused buffer when it fits.
import { describe, expect, test } from 'vitest';
import { PassThrough } from 'node:stream';
import { OutputWriter } from '../../src/output/output-writer';

describe('OutputWriter.takeInto', () => {
  test('uses the target when the bytes fit, though three bytes per character would not', () => {
    const out = new OutputWriter(new PassThrough());
    const target = Buffer.alloc(64);
    out.writeLine('a'.repeat(30)); // bound 90 + 3, exact 31
    out.writeRange(Buffer.from('xyz\n'), 0, 4);
    const taken = out.takeInto(target);
    expect(taken.buffer).toBe(target.buffer);
    expect(taken.toString()).toBe(`${'a'.repeat(30)}\nxyz\n`);
  });

  test('takes a new buffer of the exact size when they do not fit, multi-byte text included', () => {
    const out = new OutputWriter(new PassThrough());
    const target = Buffer.alloc(16);
    out.writeLine('田中太郎 Zoë');
    out.writeLine('😀');
    const taken = out.takeInto(target);
    expect(taken.buffer).not.toBe(target.buffer);
    expect(taken.toString()).toBe('田中太郎 Zoë\n😀\n');
    expect(taken.length).toBe(Buffer.byteLength('田中太郎 Zoë\n😀\n'));
    expect(out.takeInto(target).length).toBe(0);
  });
});
