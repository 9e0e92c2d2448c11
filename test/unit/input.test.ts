import { describe, expect, test } from 'vitest';
import { writeFileSync, mkdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { readBatches, type Batch, type LinesBatch } from '../../src/input/read-batches';
import { READ_CHUNK } from '../../src/input/readers';
import { WHOLE_DOCUMENT_LIMIT } from '../../src/input/whole-document';
import { tempDir } from '../helpers';

interface Read {
  events: unknown[];
  problems: string[];
}

/** Reads like every command does; NDJSON lines are parsed here only to compare. */
async function read(args: string[], stdin: string | Buffer | Buffer[] = ''): Promise<Read> {
  const events: unknown[] = [];
  const problems: string[] = [];
  const chunks = Array.isArray(stdin) ? stdin : [Buffer.from(stdin)];
  const batches: AsyncGenerator<Batch> = readBatches(args, Readable.from(chunks), (place, msg) => problems.push(`${place}: ${msg}`));
  for await (const b of batches) {
    if (b.kind === 'values') events.push(...b.values);
    else for (const l of b.buf.toString('utf8').split('\n')) if (l.trim()) events.push(JSON.parse(l));
  }
  return { events, problems };
}

const rec = (n: number): object => ({ eventName: `E${n}`, eventTime: '2024-07-22T00:00:00Z' });

describe('the reader', () => {
  test('reads NDJSON with a BOM, CRLF line ends and blank lines', async () => {
    const text = `\uFEFF${JSON.stringify(rec(1))}\r\n\r\n${JSON.stringify(rec(2))}\r\n`;
    const { events } = await read([], text);
    expect(events).toHaveLength(2);
  });

  test('reads a trail file document and streams its Records', async () => {
    const { events, problems } = await read([], JSON.stringify({ Records: [rec(1), rec(2), rec(3)] }, null, 2));
    expect(events.map((e) => (e as { eventName: string }).eventName)).toEqual(['E1', 'E2', 'E3']);
    expect(problems).toEqual([]);
  });

  test('reads several concatenated lookup-events pages and skips NextToken', async () => {
    const page = (ids: string[]): string => JSON.stringify({ Events: ids.map((EventId) => ({ EventId, CloudTrailEvent: '{}' })), NextToken: 'abc' }, null, 4);
    const { events } = await read([], `${page(['a', 'b'])}\n${page(['c'])}`);
    expect(events.map((e) => (e as { EventId: string }).EventId)).toEqual(['a', 'b', 'c']);
  });

  test('reads a JSON array of records and a pretty-printed single record', async () => {
    expect((await read([], JSON.stringify([rec(1), rec(2)], null, 2))).events).toHaveLength(2);
    expect((await read([], JSON.stringify(rec(7), null, 2))).events).toEqual([rec(7)]);
  });

  test('detects gzip by its magic bytes, not the file name', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'no-extension');
    writeFileSync(file, gzipSync(`${JSON.stringify({ Records: [rec(1), rec(2)] })}`));
    expect((await read([file])).events).toHaveLength(2);
  });

  test('walks a directory for .json and .json.gz files as aws s3 sync leaves a trail bucket', async () => {
    const dir = tempDir();
    const day = path.join(dir, 'AWSLogs/123456789012/CloudTrail/us-east-1/2024/07/22');
    mkdirSync(day, { recursive: true });
    writeFileSync(path.join(day, 'a_CloudTrail_us-east-1_20240722T0000Z_x.json.gz'), gzipSync(JSON.stringify({ Records: [rec(1)] })));
    writeFileSync(path.join(day, 'b.json'), JSON.stringify({ Records: [rec(2), rec(3)] }));
    writeFileSync(path.join(day, 'notes.txt'), 'not data');
    expect((await read([dir])).events).toHaveLength(3);
  });

  test('names the byte offset of a broken document and goes on with the next file', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'bad.json'), '{"Records": [{"eventName": "A"}, {"eventName": ]}');
    writeFileSync(path.join(dir, 'good.json'), JSON.stringify({ Records: [rec(1)] }));
    const { events, problems } = await read([path.join(dir, 'bad.json'), path.join(dir, 'good.json')]);
    expect(events).toEqual([{ eventName: 'A' }, rec(1)]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/bad\.json: byte \d+: invalid JSON/);
  });

  test('reports a truncated gzip file', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'cut.json.gz');
    writeFileSync(file, gzipSync(JSON.stringify({ Records: [rec(1)] })).subarray(0, 20));
    const { problems } = await read([file]);
    expect(problems.join('\n')).toMatch(/cut\.json\.gz: gzip: /);
  });

  test('reports a missing file by name', async () => {
    const { problems } = await read(['/nonexistent/x.json']);
    expect(problems).toEqual(['/nonexistent/x.json: no such file or directory']);
  });

  /** The bytes of `text` in pieces of `size`, as a pipe delivers them. */
  const piecesOf = (text: string, size: number, first = size): Buffer[] => {
    const b = Buffer.from(text);
    const out = [b.subarray(0, first)];
    for (let i = first; i < b.length; i += size) out.push(b.subarray(i, i + size));
    return out;
  };

  test('reads a 10 MB event on the first line, delivered 64 KiB at a time', async () => {
    const big = { eventName: 'Big', requestParameters: { blob: 'x'.repeat(10 * 1024 * 1024) } };
    const { events, problems } = await read([], piecesOf(`${JSON.stringify(big)}\n${JSON.stringify(rec(1))}\n`, 65536));
    expect(problems).toEqual([]);
    expect(events.map((e) => (e as { eventName: string }).eventName)).toEqual(['Big', 'E1']);
  });

  test('tells a one-line trail file from NDJSON by its first bytes, even when they arrive alone', async () => {
    const doc = JSON.stringify({ Records: Array.from({ length: 300 }, (_, i) => ({ ...rec(i), pad: 'p'.repeat(1000) })) });
    const { events, problems } = await read([], piecesOf(doc, 65536, 5));
    expect(problems).toEqual([]);
    expect(events).toHaveLength(300);
  });

  test('reads a single 10 MB event', async () => {
    const big = { eventName: 'Big', requestParameters: { blob: 'x'.repeat(10 * 1024 * 1024) } };
    const { events } = await read([], `${JSON.stringify(rec(1))}\n${JSON.stringify(big)}\n${JSON.stringify(rec(2))}\n`);
    expect(events).toHaveLength(3);
    expect((events[1] as typeof big).requestParameters.blob).toHaveLength(10 * 1024 * 1024);
  });

  test('a document over 1 MiB is streamed, with the same events and labels as a small one', async () => {
    const records = Array.from({ length: 1100 }, (_, i) => ({ ...rec(i), pad: 'p'.repeat(1000) }));
    const doc = `{"Records":${JSON.stringify([...records, 'not an event', rec(1101)])}}`;
    expect(doc.length).toBeGreaterThan(WHOLE_DOCUMENT_LIMIT);
    const { events, problems } = await read([], piecesOf(doc, 65536));
    expect(events).toHaveLength(1101);
    expect(problems).toEqual(['stdin: Records[1100]: not an event: expected a JSON object']);
    const small = await read([], `{"Records":${JSON.stringify([rec(0), 'not an event', rec(2)])}}`);
    expect(small.problems).toEqual(['stdin: Records[1]: not an event: expected a JSON object']);
    expect(small.events).toHaveLength(2);
  });

  test('several concatenated pages, too small to stream, are still read whole', async () => {
    const page = (n: number) => JSON.stringify({ Events: [{ EventId: `e${n}`, CloudTrailEvent: '{}' }], NextToken: `t${n}` });
    const { events, problems } = await read([], `${page(1)}\n${page(2)}\n`.replace(/\n/g, '\n  '));
    expect(problems).toEqual([]);
    expect(events.map((e) => (e as { EventId: string }).EventId)).toEqual(['e1', 'e2']);
  });

  describe('a regular file read into the consumer\'s arena', () => {
    /** The lines batches of `file`, each copied as it comes (the arena is read over), and how many were in it. */
    async function arenaRead(file: string, size: number): Promise<{ batches: LinesBatch[]; inArena: number }> {
      const area = Buffer.alloc(size);
      const batches: LinesBatch[] = [];
      let inArena = 0;
      for await (const b of readBatches([file], Readable.from([]), () => undefined, { area: () => area })) {
        if (b.kind !== 'lines') throw new Error('expected lines');
        if (b.buf.buffer === area.buffer) inArena++;
        batches.push({ ...b, buf: Buffer.from(b.buf) });
      }
      return { batches, inArena };
    }

    // Past the first read (READ_CHUNK), the lines are read into an arena of a few bytes to a few
    // KiB, with lines shorter and longer than it (a line that fills it goes on without it).
    const line = fc.oneof(
      { weight: 8, arbitrary: fc.string({ maxLength: 120 }) },
      { weight: 1, arbitrary: fc.string({ minLength: 2000, maxLength: 9000 }) },
      { weight: 1, arbitrary: fc.constantFrom('', '\r', '  ') },
    );

    test('hands on every byte once, in order, as whole lines, and uses the arena', async () => {
      const dir = tempDir();
      let used = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 80 }), fc.integer({ min: 1, max: 4096 }), fc.boolean(), async (some, size, endsInNewline) => {
          // An event first (so the file is NDJSON, not a document), then the same lines again
          // and again until the file is past the first read.
          const body: string[] = [JSON.stringify(rec(0))];
          for (let total = 0; total <= READ_CHUNK + 3 * size; ) {
            for (const l of some) {
              body.push(l);
              total += Buffer.byteLength(l) + 1;
            }
          }
          const text = body.join('\n') + (endsInNewline ? '\n' : '');
          const file = path.join(dir, 'lines.ndjson');
          writeFileSync(file, text);
          const { batches, inArena } = await arenaRead(file, size);
          used += inArena;
          expect(Buffer.concat(batches.map((b) => b.buf)).toString()).toBe(text);
          expect(batches.map((b) => b.first)).toEqual(batches.map((_, i) => i === 0));
          for (const b of batches.slice(0, -1)) expect(b.buf[b.buf.length - 1]).toBe(10);
        }),
        { numRuns: 60 },
      );
      expect(used).toBeGreaterThan(0);
    });

    test('a line longer than the arena is read on without it, whole, and the arena is used again after it', async () => {
      const dir = tempDir();
      const file = path.join(dir, 'long.ndjson');
      const long = `{"blob":"${'x'.repeat(5000)}"}`;
      const lines = `${JSON.stringify(rec(1))}\n`.repeat(Math.ceil(READ_CHUNK / 40) + 100);
      const text = `${lines}${long}\n${lines}`;
      writeFileSync(file, text);
      const area = Buffer.alloc(1024);
      const seen: { text: string; inArena: boolean }[] = [];
      for await (const b of readBatches([file], Readable.from([]), () => undefined, { area: () => area })) {
        if (b.kind === 'lines') seen.push({ text: b.buf.toString(), inArena: b.buf.buffer === area.buffer });
      }
      expect(seen.map((b) => b.text).join('')).toBe(text);
      const at = seen.findIndex((b) => b.text.includes(long));
      expect(seen[at]).toEqual({ text: `${long}\n`, inArena: false });
      expect(seen.slice(0, at).some((b) => b.inArena)).toBe(true);
      expect(seen.slice(at + 1).some((b) => b.inArena)).toBe(true);
    });
  });
});


describe('a broken first line (issue 13, item 8)', () => {
  test.each(['{"eventVersion":"1.08",', '{"eventVersion":"1.08","userIdentity":{', '{"eventVersion":"1.08","resources":['])(
    'NDJSON whose first line is %j loses only that line',
    async (broken) => {
      const dir = tempDir();
      const file = path.join(dir, 'events.ndjson');
      writeFileSync(file, [broken, ...Array.from({ length: 500 }, (_, i) => JSON.stringify({ eventID: `e${i}`, eventVersion: '1.08' }))].join('\n') + '\n');
      const problems: string[] = [];
      let lines = 0;
      for await (const batch of readBatches([file], Readable.from([]), (place, message) => problems.push(`${place}: ${message}`))) {
        expect(batch.kind).toBe('lines');
        if (batch.kind === 'lines') lines += batch.buf.toString('utf8').split('\n').filter(Boolean).length;
      }
      expect(lines).toBe(501);
      expect(problems).toEqual([]);
    },
  );

  test('pretty-printed JSON is still a document', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'record.json');
    writeFileSync(file, JSON.stringify({ eventVersion: '1.08', userIdentity: { type: 'Root' } }, null, 2));
    const kinds: string[] = [];
    for await (const batch of readBatches([file], Readable.from([]), () => undefined)) kinds.push(batch.kind);
    expect(kinds).toEqual(['values']);
  });
});
