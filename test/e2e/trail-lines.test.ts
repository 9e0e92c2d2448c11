// Trail files read as lines (issue 16): a compact `{"Records":[...]}` file goes through the byte
// paths, one record a line, with the same output as reading it as a document and with problems
// placed by element (`file: Records[N]`), on one thread and on several.
import { describe, expect, test } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { lines, sh, tempDir } from '../helpers';

const dir = tempDir();
const record = (i: number): Record<string, unknown> => ({
  eventVersion: '1.09',
  eventTime: new Date(Date.UTC(2024, 6, 22) + i * 1000).toISOString().replace('.000Z', 'Z'),
  eventSource: 'ec2.amazonaws.com',
  eventName: i % 3 ? 'DescribeInstances' : 'RunInstances',
  awsRegion: 'eu-west-1',
  sourceIPAddress: '203.0.113.7',
  userAgent: 'x'.repeat(300),
  readOnly: i % 3 !== 0,
  eventID: `id-${i}`,
});

/** `count` records, the one at `bad` with an escape of half a surrogate pair (valid JSON, text read with a loss). */
function trail(count: number, bad: number): string {
  const texts = Array.from({ length: count }, (_, i) => JSON.stringify(record(i)));
  texts[bad] = texts[bad].replace('"eventName":"', '"eventName":"\\ud800');
  return `{"Records":[${texts.join(',')}]}`;
}

describe('a trail file made lines', () => {
  const small = trail(50, 7);
  const big = trail(12000, 11000); // 5 MB: past the 2 MiB after which threads start
  writeFileSync(path.join(dir, 'small.json.gz'), gzipSync(small));
  writeFileSync(path.join(dir, 'big.json.gz'), gzipSync(big));
  // The same records pretty-printed: read as a document, as before.
  writeFileSync(path.join(dir, 'pretty.json'), JSON.stringify(JSON.parse(small), null, 2));

  test.each(['small', 'big'])('%s: a problem is placed by element, on one thread and on several', async (name) => {
    const bad = name === 'small' ? 7 : 11000;
    for (const threads of ['CTPIPE_THREADS=1 ', 'CTPIPE_THREADS=0 ']) {
      const r = await sh(`${threads}ct-csv -f eventName,eventID ${name}.json.gz`, { cwd: dir });
      expect(r.stderr).toContain(`ct-csv: ${name}.json.gz: Records[${bad}]: text read as U+FFFD: an escape of half a surrogate pair`);
      expect(lines(r.stdout)).toHaveLength((name === 'small' ? 50 : 12000) + 1);
    }
  });

  test('the same output as the document read as values (pretty-printed: parsed), records written as they are', async () => {
    const asLines = await sh('ct-explode small.json.gz', { cwd: dir });
    const asDocument = await sh('ct-explode pretty.json', { cwd: dir });
    expect(lines(asLines.stdout).map((l) => JSON.parse(l))).toEqual(lines(asDocument.stdout).map((l) => JSON.parse(l)));
    // Byte for byte what the file holds.
    expect(asLines.stdout).toBe(`${(JSON.parse(small) as { Records: unknown[] }).Records.map((r) => JSON.stringify(r)).join('\n').replace('"eventName":"\ufffd', '"eventName":"\\ud800')}\n`);
    const where = await sh("ct-where 'eventName=RunInstances' big.json.gz", { cwd: dir });
    expect(lines(where.stdout)).toHaveLength(4000);
    expect(where.stderr).toBe('');
  });

  test('ct-explode writes the records as they are, without the spaces a pretty layout between them leaves', async () => {
    const texts = [0, 1, 2].map((i) => JSON.stringify(record(i)));
    writeFileSync(path.join(dir, 'spaced.json.gz'), gzipSync(`{ "Records" : [\n  ${texts.join(' ,\n  ')}\n] }\n`));
    const r = await sh('ct-explode spaced.json.gz', { cwd: dir });
    expect(r.stdout).toBe(`${texts.join('\n')}\n`);
    expect(r.stderr).toBe('');
  });

  test('| head -1 ends quietly', async () => {
    // The last: a filter whose records are handed on in part, numbered (sparse hits: id-57, id-57x, id-57xx).
    for (const command of ['ct-explode big.json.gz', "ct-where 'eventName exists' big.json.gz", "ct-where 'eventID~id-57' big.json.gz"]) {
      const r = await sh(`${command} | head -1`, { cwd: dir });
      expect(r.code).toBe(0);
      expect(lines(r.stdout)).toHaveLength(1);
      expect(r.stderr).toBe('');
    }
  });

  test('from a pipe too, and a gzip stream cut short is still reported', async () => {
    const piped = await sh('cat big.json.gz | ct-where -c readOnly=false', { cwd: dir });
    expect(piped.stdout.trim()).toBe('4000');
    writeFileSync(path.join(dir, 'cut.json.gz'), gzipSync(small).subarray(0, 200));
    const cut = await sh('ct-explode cut.json.gz', { cwd: dir });
    expect(cut.code).toBe(1);
    expect(cut.stderr).toMatch(/cut\.json\.gz: .*(unexpected end of file|truncated)/);
  });
});

describe('one source ahead', () => {
  test('while a file is handled the next is read and inflated, yet events and problems come in file order', async () => {
    const folder = path.join(dir, 'ahead');
    mkdirSync(folder);
    const doc = (from: number): string => `{"Records":[${[0, 1, 2].map((i) => JSON.stringify(record(from + i))).join(',')}]}`;
    writeFileSync(path.join(folder, 'a.json.gz'), gzipSync(doc(0)));
    writeFileSync(path.join(folder, 'b.ndjson'), `${JSON.stringify(record(3))}\n{"eventName":\n${JSON.stringify(record(4))}\n`);
    writeFileSync(path.join(folder, 'c.json.gz'), Buffer.concat([gzipSync(doc(5)), Buffer.from('junk')]));
    writeFileSync(path.join(folder, 'd.ndjson'), `not json\n${JSON.stringify(record(8))}\n`);
    for (const threads of ['', 'CTPIPE_THREADS=0 ']) {
      const r = await sh(`${threads}ct-where 'eventName exists' ahead`, { cwd: dir });
      expect(lines(r.stdout).map((l) => JSON.parse(l).eventID)).toEqual(['id-0', 'id-1', 'id-2', 'id-3', 'id-4', 'id-5', 'id-6', 'id-7', 'id-8']);
      const told = lines(r.stderr);
      expect(told).toHaveLength(3);
      expect(told[0]).toMatch(/^ct-where: ahead\/b\.ndjson:2: invalid JSON/);
      expect(told[1]).toMatch(/^ct-where: ahead\/c\.json\.gz: gzip: byte \d+: 4 bytes after the last gzip member/);
      expect(told[2]).toMatch(/^ct-where: ahead\/d\.ndjson:1: invalid JSON/);
    }
  });
});


describe('a trail file too large to be read whole (past 4 MiB): made lines a piece at a time', () => {
  const texts = Array.from({ length: 12000 }, (_, i) => JSON.stringify(record(i)));

  test('damaged in the middle: the records before it, then the damage placed by its byte, as the parser reads it', async () => {
    const folder = tempDir();
    const damaged = [...texts];
    damaged[6000] = '{"eventName":}';
    const doc = `{"Records":[${damaged.join(',')}]}`;
    writeFileSync(path.join(folder, 'damaged.json'), doc);
    writeFileSync(path.join(folder, 'damaged.json.gz'), gzipSync(doc));
    for (const name of ['damaged.json', 'damaged.json.gz']) {
      const r = await sh(`ct-explode ${name}`, { cwd: folder });
      expect(r.code).toBe(1);
      expect(r.stdout).toBe(`${texts.slice(0, 6000).join('\n')}\n`);
      expect(lines(r.stderr)).toEqual([`ct-explode: ${name}: byte ${doc.indexOf('{"eventName":}') + 13}: invalid JSON: expected a value`]);
    }
  });

  test('an element that is no compact record: read by the parser from there on, numbered on; the same events as the file parsed', async () => {
    const folder = tempDir();
    const mixed = [...texts];
    mixed[7000] = JSON.stringify({ EventId: 'item-1', CloudTrailEvent: JSON.stringify(record(7000)) });
    mixed[7001] = JSON.stringify(record(7001), null, 1);
    mixed[9000] = '"not an event"';
    const doc = `{"Records":[${mixed.join(',')}],"NextToken":"t"}`;
    writeFileSync(path.join(folder, 'mixed.json.gz'), gzipSync(doc));
    writeFileSync(path.join(folder, 'pretty.json'), JSON.stringify(JSON.parse(doc), null, 2));
    const asPieces = await sh('ct-explode mixed.json.gz', { cwd: folder });
    const parsed = await sh('ct-explode pretty.json', { cwd: folder });
    expect(lines(asPieces.stdout).map((l) => JSON.parse(l))).toEqual(lines(parsed.stdout).map((l) => JSON.parse(l)));
    expect(lines(asPieces.stdout)).toHaveLength(11999);
    expect(lines(asPieces.stderr)).toEqual(['ct-explode: mixed.json.gz: Records[9000]: not an event: expected a JSON object']);
    expect(lines(parsed.stderr)).toEqual(['ct-explode: pretty.json: Records[9000]: not an event: expected a JSON object']);
  });
});

describe('gzip past what is inflated at once (8 MiB of output): the inflate stream, fed in slices', () => {
  test('two large members and bytes after them: every record once, in order, the bytes after reported; a document across the members made lines', async () => {
    const folder = tempDir();
    const texts = Array.from({ length: 18000 }, (_, i) => JSON.stringify(record(i)));
    const ndjson = (from: number, to: number) => `${texts.slice(from, to).join('\n')}\n`;
    writeFileSync(path.join(folder, 'members.ndjson.gz'), Buffer.concat([gzipSync(ndjson(0, 9000)), gzipSync(ndjson(9000, 18000)), Buffer.from('junk')]));
    const doc = `{"Records":[${texts.join(',')}]}`;
    writeFileSync(path.join(folder, 'doc.json.gz'), Buffer.concat([gzipSync(doc.slice(0, 5_000_000)), gzipSync(doc.slice(5_000_000))]));
    const members = await sh('ct-explode members.ndjson.gz', { cwd: folder });
    expect(members.stdout).toBe(ndjson(0, 18000));
    expect(lines(members.stderr)).toEqual([expect.stringMatching(/^ct-explode: members\.ndjson\.gz: gzip: byte \d+: 4 bytes after the last gzip member \(2 read whole\)/)]);
    const asDoc = await sh('ct-explode doc.json.gz', { cwd: folder });
    expect(asDoc.stdout).toBe(ndjson(0, 18000));
    expect(asDoc.stderr).toBe('');
  });
});

describe('trail files one after another in one source (zcat *.json.gz, cat *.json.gz)', () => {
  // Records written with a number as `1.0`: kept so where made lines, written `1` where parsed.
  const recordText = (i: number, bad: boolean): string => {
    const text = JSON.stringify({ ...record(i), n: 0 }).replace('"n":0', '"n":1.0');
    return bad ? text.replace('"eventName":"', '"eventName":"\\ud800') : text;
  };
  const docOf = (from: number, count: number, bad = -1): string =>
    `{"Records":[${Array.from({ length: count }, (_, i) => recordText(from + i, i === bad)).join(',')}]}`;
  const folder = tempDir();
  // 9 files of 300 to 1,900 records (0.1-0.9 MB): 4.5 MB in all, past what a source holds whole.
  const sizes = [1900, 300, 1200, 700, 1600, 450, 1000, 1800, 600];
  const starts = sizes.map((_, k) => sizes.slice(0, k).reduce((a, b) => a + b, 0) * 10);
  sizes.forEach((count, k) => writeFileSync(path.join(folder, `f${k}.json.gz`), gzipSync(`${docOf(starts[k], count, k === 6 ? 999 : -1)}${k % 2 ? '\n' : ''}`)));
  const names = sizes.map((_, k) => `f${k}.json.gz`).join(' ');

  test('each is made lines, its records written as they are; the output and problems are those of the files named one by one', async () => {
    const named = await sh(`ct-explode ${names}`, { cwd: folder });
    expect(lines(named.stdout)).toHaveLength(sizes.reduce((a, b) => a + b, 0));
    expect(named.stdout).not.toContain('"n":1,');
    const csv = await sh(`ct-csv -f eventID,eventName ${names}`, { cwd: folder });
    expect(lines(csv.stderr)).toEqual([expect.stringMatching(/^ct-csv: f6\.json\.gz: Records\[999\]: text read as U\+FFFD/)]);
    // From a pipe (read into reused buffers), inflated here, and from one file of them all.
    await sh(`zcat ${names} > all.json`, { cwd: folder });
    for (const [feed, name] of [[`zcat ${names} |`, 'stdin'], [`cat ${names} |`, 'stdin'], ['< all.json', 'stdin'], ['all.json', 'all.json']]) {
      const [before, after] = feed.endsWith('|') ? [feed, ''] : ['', feed];
      const piped = await sh(`${before} ct-explode ${after}`, { cwd: folder });
      expect(piped.stdout === named.stdout).toBe(true);
      expect(piped.stderr).toBe('');
      const pipedCsv = await sh(`${before} ct-csv -f eventID,eventName ${after}`, { cwd: folder });
      expect(pipedCsv.stdout === csv.stdout).toBe(true);
      expect(pipedCsv.stderr).toBe(csv.stderr.replace('f6.json.gz', name));
    }
  });

  test("ct-where, handed only the records that may match, numbers them within their own file", async () => {
    for (const expression of ['eventID~id-1', 'readOnly=false']) {
      const named = await sh(`ct-where '${expression}' ${names}`, { cwd: folder });
      const piped = await sh(`zcat ${names} | ct-where '${expression}'`, { cwd: folder });
      expect(lines(named.stdout).length).toBeGreaterThan(100);
      expect(piped.stdout === named.stdout).toBe(true);
      expect(piped.stderr).toBe(named.stderr.replace('f6.json.gz', 'stdin'));
    }
  });

  test('a document after them that is no trail file is read by the parser, its events numbered from its own start', async () => {
    const other = JSON.stringify({ Events: [{ EventId: 'x', CloudTrailEvent: '{"eventID":' }, { EventId: 'y', CloudTrailEvent: JSON.stringify(record(1)) }] });
    writeFileSync(path.join(folder, 'events.json'), other);
    const r = await sh(`{ zcat ${names}; cat events.json; } | ct-explode | tail -1`, { cwd: folder });
    expect(JSON.parse(r.stdout).eventID).toBe('id-1');
    expect(lines(r.stderr).filter((l) => !l.includes('Records[999]'))).toEqual([expect.stringMatching(/^ct-explode: stdin: Events\[0\]: /)]);
  });
});

describe('ct-where reads only the records of a trail file that may match', () => {
  // 30 records of some 400 bytes; only the 21st holds `id-20`, the needle of eventID=id-20.
  const doc = (damaged: number): string =>
    `{"Records":[${Array.from({ length: 30 }, (_, i) => JSON.stringify(record(i)).replace(/}$/, i === damaged ? ',"n":tru}' : '}')).join(',')}]}`;

  test('damage in a record that cannot match goes unseen, as in an NDJSON line the fast path skips; ct-explode and -v still report it', async () => {
    const folder = tempDir();
    writeFileSync(path.join(folder, 'quiet.json.gz'), gzipSync(doc(5)));
    const r = await sh("ct-where 'eventID=id-20' quiet.json.gz", { cwd: folder });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(lines(r.stdout).map((l) => JSON.parse(l).eventID)).toEqual(['id-20']);
    for (const command of ["ct-where -v 'eventID=id-20'", 'ct-explode']) {
      const all = await sh(`${command} quiet.json.gz`, { cwd: folder });
      expect(all.code).toBe(1);
      expect(all.stderr).toMatch(/quiet\.json\.gz: byte \d+: invalid JSON: expected a value/);
    }
  });

  test('of a file read whole only the records that may match are scanned: a problem is still placed by its element, and the output is that of the file parsed', async () => {
    const folder = tempDir();
    writeFileSync(path.join(folder, 't.json.gz'), gzipSync(trail(3000, 2500)));
    writeFileSync(path.join(folder, 'pretty.json'), JSON.stringify(JSON.parse(trail(3000, 2500)), null, 1));
    const told = 'Records[2500]: text read as U+FFFD: an escape of half a surrogate pair (\\ud800); the event is kept (a line written whole keeps its bytes)';
    for (const expression of ['eventID=id-2500', 'eventID~id-25']) {
      const lines_ = await sh(`ct-where '${expression}' t.json.gz`, { cwd: folder });
      const parsed = await sh(`ct-where '${expression}' pretty.json`, { cwd: folder });
      expect(lines(lines_.stdout).map((l) => JSON.parse(l))).toEqual(lines(parsed.stdout).map((l) => JSON.parse(l)));
      expect(lines(lines_.stdout)).toHaveLength(expression.includes('~') ? 111 : 1);
      expect(lines(lines_.stderr)).toEqual([`ct-where: t.json.gz: ${told}`]);
    }
  });

  test('of a file too large to read whole, too: each piece hands on only those records, numbered across pieces', async () => {
    const folder = tempDir();
    const text = trail(12000, 11000); // 5 MB: made lines a piece at a time
    writeFileSync(path.join(folder, 'big.json.gz'), gzipSync(text));
    writeFileSync(path.join(folder, 'pretty.json'), JSON.stringify(JSON.parse(text), null, 1));
    const told = 'ct-where: big.json.gz: Records[11000]: text read as U+FFFD: an escape of half a surrogate pair (\\ud800); the event is kept (a line written whole keeps its bytes)';
    for (const threads of ['', 'CTPIPE_THREADS=1 ']) {
      const r = await sh(`${threads}ct-where 'eventID~id-110' big.json.gz`, { cwd: folder });
      const parsed = await sh("ct-where 'eventID~id-110' pretty.json", { cwd: folder });
      expect(lines(r.stdout)).toHaveLength(111);
      expect(lines(r.stdout).map((l) => JSON.parse(l))).toEqual(lines(parsed.stdout).map((l) => JSON.parse(l)));
      expect(lines(r.stderr)).toEqual([told]);
    }
  });

  test('damage in a record that may match is reported, placed by its byte, as before', async () => {
    const folder = tempDir();
    const text = doc(20);
    writeFileSync(path.join(folder, 'loud.json.gz'), gzipSync(text));
    const r = await sh("ct-where 'eventID=id-20' loud.json.gz", { cwd: folder });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr)).toEqual([`ct-where: loud.json.gz: byte ${text.indexOf(',"n":tru}') + 8}: invalid JSON: expected a value`]);
  });
});

describe('a folder of gzipped trail files, some damaged', () => {
  test('a damaged file between good ones does not touch them: cut, bytes after, two members, no gzip at all', async () => {
    const folder = tempDir();
    const docOf = (from: number): string => `{"Records":[${[0, 1, 2].map((i) => JSON.stringify(record(from + i))).join(',')}]}`;
    const half = docOf(30).indexOf(',{') + 1;
    const files: [string, Buffer][] = [
      ['a.json.gz', gzipSync(docOf(0))],
      ['b.json.gz', gzipSync(docOf(100)).subarray(0, 120)],
      ['c.json.gz', gzipSync(docOf(10))],
      ['d.json.gz', Buffer.concat([gzipSync(docOf(20)), Buffer.from('trailing bytes')])],
      ['e.json.gz', Buffer.concat([gzipSync(docOf(30).slice(0, half)), gzipSync(docOf(30).slice(half))])],
      ['f.json.gz', Buffer.from(docOf(40))],
      ['g.json.gz', gzipSync(docOf(50))],
    ];
    for (const [name, bytes] of files) writeFileSync(path.join(folder, name), bytes);
    const r = await sh('ct-explode .', { cwd: folder });
    const ids = lines(r.stdout).map((l) => Number(JSON.parse(l).eventID.slice(3)));
    expect(ids).toEqual([0, 1, 2, 10, 11, 12, 20, 21, 22, 30, 31, 32, 40, 41, 42, 50, 51, 52]);
    const told = lines(r.stderr);
    expect(told).toHaveLength(2);
    expect(told[0]).toMatch(/^ct-explode: b\.json\.gz: .*(unexpected end of file|truncated)/);
    expect(told[1]).toMatch(/^ct-explode: d\.json\.gz: gzip: byte \d+: 14 bytes after the last gzip member/);
  });
});

describe("NDJSON read straight into the checker's memory (ct-where, ct-csv, ct-count)", () => {
  test('with trail files, gzip and a pipe between NDJSON files: the output and problems of each source read alone, plain and with reused buffers poisoned', async () => {
    const folder = tempDir();
    const ndjson = (from: number, count: number): string => Array.from({ length: count }, (_, i) => JSON.stringify(record(from + i))).join('\n');
    // 3.4 MB NDJSON files (past one 1 MiB read), a bad line in the second; a 3.7 MB trail file read
    // whole and a 6 MB one read in pieces (each handed on from memory other than the lines'); gzip.
    writeFileSync(path.join(folder, 'a.ndjson'), `${ndjson(0, 8000)}\n`);
    writeFileSync(path.join(folder, 'b.ndjson'), `${ndjson(8000, 4000)}\n{"eventID":"cut\n${ndjson(12000, 4000)}\n`);
    writeFileSync(path.join(folder, 'whole.json'), `{"Records":[${ndjson(16000, 9000).split('\n').join(',')}]}`);
    writeFileSync(path.join(folder, 'pieces.json.gz'), gzipSync(`{"Records":[${ndjson(25000, 14000).split('\n').join(',')}]}`));
    writeFileSync(path.join(folder, 'c.ndjson.gz'), gzipSync(`${ndjson(39000, 5000)}\n`));
    // A 3 MB line, past the 1 MiB read: handed on in a buffer of its own, for which the module's memory grows.
    writeFileSync(path.join(folder, 'long.ndjson'), `${ndjson(44000, 100)}\n${JSON.stringify({ ...record(44100), userAgent: 'y'.repeat(3e6) })}\n${ndjson(44101, 3000)}\n`);
    const order = ['a.ndjson', 'whole.json', 'b.ndjson', 'long.ndjson', 'pieces.json.gz', '-', 'c.ndjson.gz', 'a.ndjson'];
    for (const command of ['ct-where eventName~Run', "ct-where 'readOnly=true and eventID~id-1'", 'ct-csv --no-header -f eventID,eventName,readOnly', 'ct-count eventName --csv']) {
      const alone = [];
      for (const name of order) alone.push(await sh(name === '-' ? `${command} < b.ndjson` : `${command} ${name}`, { cwd: folder }));
      for (const poison of ['', 'CTPIPE_POISON_BUFFERS=1 ']) {
        const together = await sh(`${poison}${command} ${order.join(' ')} < b.ndjson`, { cwd: folder });
        expect(lines(together.stderr)).toEqual(alone.flatMap((r, k) => lines(r.stderr.replace('b.ndjson:', order[k] === '-' ? 'stdin:' : 'b.ndjson:'))));
        if (command.startsWith('ct-count')) continue; // groups added up across the sources: checked against the one run below
        expect(together.stdout === alone.map((r) => r.stdout).join('')).toBe(true);
      }
      if (command.startsWith('ct-count')) {
        // count,first seen,last seen,eventName
        const counts = (texts: string[]): Map<string, number> => {
          const byName = new Map<string, number>();
          for (const text of texts) for (const [count, , , name] of lines(text).slice(1).map((row) => row.split(','))) byName.set(name, (byName.get(name) ?? 0) + Number(count));
          return byName;
        };
        const together = await sh(`CTPIPE_POISON_BUFFERS=1 ${command} ${order.join(' ')} < b.ndjson`, { cwd: folder });
        expect(counts([together.stdout])).toEqual(counts(alone.map((r) => r.stdout)));
        expect([...counts([together.stdout]).values()].reduce((a, b) => a + b)).toBe(63101);
      }
    }
  });
});
