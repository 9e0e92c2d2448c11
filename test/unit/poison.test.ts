// The buffer rule (src/run/handler.ts), enforced: with CTPIPE_POISON_BUFFERS=1 every reused input
// buffer is overwritten once its batch is done, so code that keeps a view of an old batch reads
// '#' at once. CI runs the whole suite once more with the switch on.
import { afterEach, describe, expect, test, vi } from 'vitest';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { tempDir } from '../helpers';

/** The modules, loaded anew with the switch as given (it is read once, at load). */
async function load(poisoning: boolean) {
  vi.resetModules();
  vi.stubEnv('CTPIPE_POISON_BUFFERS', poisoning ? '1' : '');
  const { readBatches } = await import('../../src/input/read-batches');
  const { EventLoop } = await import('../../src/run/event-loop');
  const { OutputWriter } = await import('../../src/output/output-writer');
  const { FdOutput } = await import('../../src/output/fd-output');
  const { writeLine } = await import('../../src/run/handler');
  const { whereHandler } = await import('../../src/commands/where-handler');
  return { readBatches, EventLoop, OutputWriter, FdOutput, writeLine, whereHandler };
}

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

function ndjsonFile(lines: number): string {
  const file = path.join(tempDir(), 'events.ndjson');
  const text = Array.from({ length: lines }, (_, i) => JSON.stringify({ eventID: `e${i}`, eventName: i % 3 ? 'Get' : 'Put', pad: 'x'.repeat(200) })).join('\n');
  writeFileSync(file, `${text}\n`);
  return file;
}

describe('CTPIPE_POISON_BUFFERS=1', () => {
  test.each([true, false])('poisoning %s: a view kept past its batch reads # only when poisoning, and every batch is whole', async (poisoning) => {
    const { readBatches } = await load(poisoning);
    const file = ndjsonFile(3000);
    const area = Buffer.alloc(64 * 1024);
    const copies: Buffer[] = [];
    let previous: { view: Buffer; copy: Buffer; inArena: boolean } | undefined;
    let checked = 0;
    for await (const batch of readBatches([file], new PassThrough(), () => undefined, { area: () => area })) {
      if (batch.kind !== 'lines') throw new Error('expected lines');
      // The batch before this one, seen through the view it was handed out as.
      if (previous?.inArena) {
        checked++;
        expect(previous.view.every((b) => b === 0x23)).toBe(poisoning);
        if (!poisoning) expect(previous.view.equals(previous.copy)).toBe(false);
      }
      copies.push(Buffer.from(batch.buf));
      previous = { view: batch.buf, copy: Buffer.from(batch.buf), inArena: copies.length > 1 };
    }
    expect(checked).toBeGreaterThan(5);
    expect(Buffer.concat(copies).equals(readFileSync(file))).toBe(true);
  });

  test('a handler that keeps line bytes past its batch writes # under poisoning, while one that obeys the rule does not', async () => {
    const { EventLoop, OutputWriter, FdOutput, writeLine, whereHandler } = await load(true);
    // 3 MB: several batches of the loop's 1 MiB arena.
    const file = ndjsonFile(12000);
    const run = async (makeHandler: (out: InstanceType<typeof OutputWriter>) => Parameters<InstanceType<typeof EventLoop>['run']>[1]): Promise<string> => {
      const target = path.join(tempDir(), 'out.ndjson');
      const fd = openSync(target, 'w');
      const out = new OutputWriter(new FdOutput(fd, false));
      const io = { stdin: new PassThrough(), out, stderr: new PassThrough(), name: 'ct-test' };
      await new EventLoop(io, false).run([file], makeHandler(out));
      await out.finish();
      closeSync(fd);
      return readFileSync(target, 'utf8');
    };
    const obeying = await run((out) => whereHandler({ terms: ['eventName=Put'], now: 0, invert: false, count: false }, out));
    expect(obeying.split('\n').filter(Boolean)).toHaveLength(4000);
    expect(obeying).not.toContain('#');
    const breaking = await run((out) => {
      // Holds the first line of each batch and writes it at the end of the next: the rule broken.
      let held: { buf: Buffer; start: number; end: number } | undefined;
      let heldAt = -1;
      let batch = 0;
      return {
        beginLines: () => void batch++,
        event: (_event, raw) => {
          if (raw && !held) ({ held, heldAt } = { held: { ...raw }, heldAt: batch });
        },
        endBatch: () => {
          if (!held || batch === heldAt) return;
          writeLine(out, held);
          held = undefined;
        },
      };
    });
    expect(breaking).toContain('###');
  });

  test.each([true, false])("poisoning %s: a chunk a flush joined in the reused buffer, kept past its write, reads # only when poisoning; the file gets every byte", async (poisoning) => {
    const { OutputWriter, FdOutput } = await load(poisoning);
    const target = path.join(tempDir(), 'out.txt');
    const fd = openSync(target, 'w');
    const kept: Buffer[] = [];
    // An output that breaks the rule FdOutput keeps (it takes each chunk before write() returns).
    class KeepingOutput extends FdOutput {
      override _write(chunk: Buffer, encoding: BufferEncoding, done: (err?: Error | null) => void): void {
        kept.push(chunk);
        super._write(chunk, encoding, done);
      }
    }
    const out = new OutputWriter(new KeepingOutput(fd, false));
    const expected: string[] = [];
    for (let flush = 0; flush < 3; flush++) {
      for (const part of [`first ${flush}\n`, `second ${flush}\n`]) {
        out.write(Buffer.from(part));
        expected.push(part);
      }
      await out.flush();
    }
    closeSync(fd);
    expect(readFileSync(target, 'utf8')).toBe(expected.join(''));
    expect(kept).toHaveLength(3);
    // The last chunk shares the buffer every flush joined into.
    expect(kept.every((chunk) => chunk.buffer === kept[2].buffer && chunk.byteOffset === kept[2].byteOffset)).toBe(true);
    expect(kept.every((chunk) => chunk.every((b) => b === 0x23))).toBe(poisoning);
  });
});
