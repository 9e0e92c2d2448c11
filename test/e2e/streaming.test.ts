// Streams, always: memory stays flat on a large input even when the reader is slow, and a single
// 10 MB event goes through. Peak RSS is read with GNU time (.ci/run installs it).
import { describe, expect, test } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { absent, lines, needs, pathWithout, RECORDS, ROOT, sh, tempDir } from '../helpers';

describe('streaming', () => {
  test('ct-where keeps its memory flat over 150 MB fed to a slow reader', async () => {
    const dir = tempDir();
    const line = JSON.stringify({ eventName: 'A', readOnly: true, requestParameters: { pad: 'x'.repeat(1400) } });
    writeFileSync(path.join(dir, 'line'), `${line}\n`);
    const r = await sh(
      `yes "$(cat line)" | head -n 100000 | /usr/bin/time -f %M -o rss ct-where readOnly=true | (sleep 1; wc -l); cat rss`,
      { cwd: dir },
    );
    const [count, rssKb] = lines(r.stdout).map(Number);
    expect(count).toBe(100000);
    expect(rssKb / 1024).toBeLessThan(150);
  }, 60000);

  test('output is written while the input waits: matches reach the end of a pipeline before their input ends', async () => {
    // ct-where holds small output back for up to 20 ms after a write ('c' comes 10 ms after 'a',
    // once ct-where has started); it is written when the input stalls, before the read that waits.
    const item = (id: string) => JSON.stringify({ EventId: id, CloudTrailEvent: JSON.stringify({ eventID: id, errorCode: 'AccessDenied' }) });
    const r = await sh(
      `start=$(date +%s%N); { sleep 1; echo '${item('a')}'; sleep 0.01; echo '${item('c')}'; sleep 3; echo '${item('b')}'; } |
       ct-where errorCode~Denied | ct-explode | ct-csv -f eventID --no-header |
       { read -r a; read -r c; now=$(date +%s%N); echo "$a $c $(( (now - start) / 1000000 ))"; cat; }`,
      { cwd: tempDir() },
    );
    const [first, last] = lines(r.stdout);
    const [a, c, ms] = first.split(' ');
    expect([a, c]).toEqual(['a', 'c']);
    expect(Number(ms)).toBeLessThan(3500);
    expect(last).toBe('b');
  }, 30000);

  test('input that stalls while a worker thread holds batches: their matches are written before the read waits', async () => {
    // 6 MB of lines that match (asked for, ct-where starts its thread past 2 MiB of lines), then the
    // input waits 3 s: every match must reach the reader before the last line comes.
    const dir = tempDir();
    const line = JSON.stringify({ eventName: 'A', readOnly: true, pad: 'x'.repeat(1000) });
    writeFileSync(path.join(dir, 'big.ndjson'), `${line}\n`.repeat(6000));
    const r = await sh(
      `start=$(date +%s%N); { cat big.ndjson; sleep 3; echo '${line}'; } | CTPIPE_THREADS=1 CTPIPE_DEBUG=1 ct-where readOnly=true 2> err |
       { head -n 6000 > /dev/null; echo $(( ($(date +%s%N) - start) / 1000000 )); wc -l; }; grep worker err`,
      { cwd: dir },
    );
    const [ms, rest, debug] = lines(r.stdout);
    expect(Number(ms)).toBeLessThan(2500);
    expect(Number(rest)).toBe(1);
    expect(debug).toContain('1 worker thread(s)');
  }, 30000);

  test('lines read into a reused buffer, from a file or a pipe, come out every one, whole, in order', async () => {
    // Lengths that straddle every read; a line of 1.5 MB (longer than the 1 MiB buffer) in the middle.
    const dir = tempDir();
    const event = (i: number, pad: number) => JSON.stringify({ eventName: `E${i}`, pad: 'x'.repeat(pad) });
    const all = Array.from({ length: 6000 }, (_, i) => event(i, (i * 7919) % 1500));
    all.splice(3000, 0, event(-1, 1_500_000));
    const text = `${all.join('\n')}\n`;
    writeFileSync(path.join(dir, 'in.ndjson'), text);
    const r = await sh('ct-where eventName~E < in.ndjson > file.out; cat in.ndjson | ct-where eventName~E > pipe.out; cat in.ndjson | ct-where -c eventName~E', { cwd: dir });
    expect(r.stdout).toBe('6001\n');
    expect(readFileSync(path.join(dir, 'file.out'), 'utf8') === text).toBe(true);
    expect(readFileSync(path.join(dir, 'pipe.out'), 'utf8') === text).toBe(true);
  }, 30000);

  test('a pipe is written with blocking writes; one made non-blocking (shared with stderr by 2>&1) still gets every byte', async () => {
    const dir = tempDir();
    const item = (i: number) => JSON.stringify({ EventId: `e${i}`, CloudTrailEvent: JSON.stringify({ eventID: `e${i}`, userName: 'Zoë', pad: 'p'.repeat(900) }) });
    writeFileSync(path.join(dir, 'items.ndjson'), `${Array.from({ length: 3000 }, (_, i) => item(i)).join('\n')}\n`);
    // The reader sleeps while ~3 MB wait: the 64 KiB pipe fills; ct-explode's stderr is the same
    // pipe, which process.stderr makes non-blocking, so a blocking write fails (EAGAIN) and the
    // rest goes through process.stdout.
    const r = await sh(
      'ct-explode items.ndjson > file.out; ct-explode items.ndjson | (sleep 0.5; cat) > pipe.out; ct-explode items.ndjson 2>&1 | (sleep 0.5; cat) > shared.out; ' +
        'md5sum < file.out; md5sum < pipe.out; md5sum < shared.out; wc -l < shared.out',
      { cwd: dir },
    );
    const [file, pipe, shared, count] = lines(r.stdout);
    expect(pipe).toBe(file);
    expect(shared).toBe(file);
    expect(Number(count)).toBe(3000);
  }, 60000);

  test('past its first MiB a pipe whose reader lags, and that cannot be enlarged (no perl), is written by a thread: a reader that stops early still ends it quietly, exit 0', async () => {
    const dir = tempDir();
    const noPerl = pathWithout(['perl']);
    const item = JSON.stringify({ EventId: 'e', CloudTrailEvent: JSON.stringify({ eventID: 'e', pad: 'p'.repeat(1500) }) });
    writeFileSync(path.join(dir, 'line'), `${item}\n`);
    // `yes` never ends: the test ends only if ct-explode sees that its reader is gone.
    const r = await sh(`export PATH=${noPerl}; { yes "$(cat line)" | CTPIPE_DEBUG=1 ct-explode 2> err; echo $? > status; } | { sleep 0.3; head -c 3000000; } | wc -c; cat status err`, { cwd: dir });
    expect(r.stderr).toBe('');
    const [count, status, enlarge, debug, ...rest] = lines(r.stdout);
    expect([count, status, enlarge, rest]).toEqual(['3000000', '0', 'ct-explode: debug: the pipe could not be made to hold more (perl: ENOENT)', []]);
    expect(debug).toMatch(/^ct-explode: debug: a thread writes the pipe from here: \d+\.\d MB written, writes waited \d+ ms for the reader$/);
  }, 60000);

  test.skipIf(absent('perl'))(`a pipe that carries much is made to hold 1 MiB, by the command writing it or else the one reading it; no thread, the same bytes; without perl both are left as they were ${needs('perl', 'perl-base')}`, async () => {
    const dir = tempDir();
    const item = (i: number) => JSON.stringify({ EventId: `e${i}`, CloudTrailEvent: JSON.stringify({ eventID: `e${i}`, eventName: i % 2 ? 'GetObject' : 'PutObject', pad: 'p'.repeat(1500) }) });
    writeFileSync(path.join(dir, 'a.ndjson'), `${Array.from({ length: 12000 }, (_, i) => item(i)).join('\n')}\n`);
    // What the pipe holds, as the reader at its other end sees it (F_GETPIPE_SZ), once all is read.
    const size = (handle: string) => `perl -e 'my $c = 0; if ("${handle}" eq "STDIN") { $c += length while <STDIN>; } print STDERR "holds ", fcntl(${handle}, 1032, 0), " after $c\\n"'`;
    const run = `ct-explode a.ndjson > ref; ct-where eventName=GetObject ref | md5sum; cat ref ref | md5sum; wc -c < ref
      CTPIPE_DEBUG=1 ct-explode a.ndjson 2> out.err | { sleep 0.3; ${size('STDIN')}; } 2> out.size
      CTPIPE_DEBUG=1 ct-explode a.ndjson 2> twice.err | CTPIPE_DEBUG=1 ct-where eventName=GetObject 2> in.err | md5sum
      cat a.ndjson a.ndjson | CTPIPE_DEBUG=1 ct-explode 2> cat.err | md5sum
      { cat a.ndjson; ${size('STDOUT')}; } 2> cat.size | ct-explode | wc -c
      { CTPIPE_DEBUG=1 ct-explode a.ndjson 2> head.err; echo $? > head.status; } | { sleep 0.3; head -c 3000000; } | wc -c
      for f in out.err out.size twice.err in.err cat.err cat.size head.status head.err; do sed "s/^/$f /" $f; done`;
    // Each in a folder of its own: the files they write are named alike.
    for (const sub of ['perl', 'none']) mkdirSync(path.join(dir, sub));
    const script = run.replaceAll('a.ndjson', '../a.ndjson');
    const [withPerl, without] = await Promise.all([
      sh(script, { cwd: path.join(dir, 'perl') }),
      sh(`export PATH=${pathWithout(['perl'])}; ${script}`, { cwd: path.join(dir, 'none') }),
    ]);
    expect(withPerl.stderr).toBe('');
    const [where, twice, bytes, piped, catted, catBytes, cut, ...said] = lines(withPerl.stdout);
    // A reader that stops early, once the pipe holds 1 MiB: a quiet end, exit 0.
    expect(cut).toBe('3000000');
    expect(said.filter((l) => l.startsWith('head.'))).toEqual(['head.status 0', expect.stringMatching(/^head\.err ct-explode: debug: the pipe holds 1024 KiB from here/)]);
    expect(Number(bytes)).toBeGreaterThan(18e6);
    expect([piped, catted, catBytes]).toEqual([where, twice, bytes]);
    // ct-explode asks once past its first MiB (its reader sleeps, or is ct-where), and ct-where,
    // reading a pipe that holds 1 MiB, does not; read from cat, ct-explode asks itself past 8 MiB. No
    // thread: the pipe holds enough. (Whether a command's pipe to md5sum waits enough to be asked for
    // depends on the machine: those lines are not looked at.)
    const about = (l: string): boolean => /debug: the pipe|holds|thread writes/.test(l);
    const toMd5sum = /^(in|cat)\.err ct-\w+: debug: the pipe (holds|could not)/;
    expect(said.filter((l) => about(l) && !toMd5sum.test(l) && !l.startsWith('head.'))).toEqual([
      expect.stringMatching(/^out\.err ct-explode: debug: the pipe holds 1024 KiB from here \(it held 64\): \d+\.\d MB written, writes waited \d+ ms for the reader$/),
      expect.stringMatching(/^out\.size holds 1048576 after \d{8}$/),
      expect.stringMatching(/^twice\.err ct-explode: debug: the pipe holds 1024 KiB from here/),
      expect.stringMatching(/^cat\.err ct-explode: debug: the pipe read holds 1024 KiB from here \(it held 64\): \d+\.\d MB read$/),
      'cat.size holds 1048576 after 0',
    ]);
    // Without perl: the same bytes, pipes left at 64 KiB, a thread where the reader lags (the reader
    // that ends unread here, with no perl, ends ct-explode quietly).
    const plain = lines(without.stdout);
    expect(plain.slice(0, 7)).toEqual([where, twice, bytes, where, twice, bytes, cut]);
    const none = plain.slice(7).filter((l) => about(l) && !toMd5sum.test(l));
    expect(none).toEqual(
      expect.arrayContaining([
        'twice.err ct-explode: debug: the pipe could not be made to hold more (perl: ENOENT)',
        expect.stringMatching(/^twice\.err ct-explode: debug: a thread writes the pipe from here/),
        // A pipe still at 64 KiB past 8 MiB: its reader asks in turn.
        'in.err ct-where: debug: the pipe read could not be made to hold more (perl: ENOENT)',
        'cat.err ct-explode: debug: the pipe read could not be made to hold more (perl: ENOENT)',
      ]),
    );
    expect(none.filter((l) => l.includes(' holds '))).toEqual([]);
  }, 60000);

  test("the writer thread's ring takes chunks at every alignment, larger than its scratch buffer and across its end, byte for byte", async () => {
    // Chunks of 1 byte to 700 KB starting at offsets 0 to 12 (a copy into shared memory is done a
    // word at a time only when source and target are equally aligned): 70 MB through a 4 MiB
    // ring to a reader that starts late, against the same chunks' md5.
    const dir = tempDir();
    const script = `
      const { PipeWriter } = require(${JSON.stringify(path.join(ROOT, 'dist/output/pipe-writer.js'))});
      const hash = require('node:crypto').createHash('md5');
      const src = Buffer.alloc(800000);
      for (let i = 0, x = 1; i < src.length; i++) src[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
      const writer = new PipeWriter(1);
      for (let i = 0; i < 200; i++) {
        const at = i % 13, n = ((i * 7919) % 700000) + 1;
        writer.write(src.subarray(at, at + n));
        hash.update(src.subarray(at, at + n));
      }
      writer.finish();
      process.stderr.write(hash.digest('hex') + '\\n');`;
    writeFileSync(path.join(dir, 'write.js'), script);
    const r = await sh('node write.js 2> expected | { sleep 0.3; md5sum; } | cut -d" " -f1; cat expected', { cwd: dir });
    const [got, expected] = lines(r.stdout);
    expect(expected).toMatch(/^[0-9a-f]{32}$/);
    expect(got).toBe(expected);
  }, 60000);

  test('a pipe whose reader keeps up is written without a thread (ct-where handing a trickle of matches on); one that lags, and cannot be enlarged (no perl), gets it; the bytes are the same', async () => {
    const dir = tempDir();
    const noPerl = pathWithout(['perl']);
    const item = (i: number) =>
      JSON.stringify({ EventId: `e${i}`, CloudTrailEvent: JSON.stringify({ eventID: `e${i}`, eventName: i % 2 ? 'GetObject' : 'PutObject', pad: 'p'.repeat(1500) }) });
    writeFileSync(path.join(dir, 'a.ndjson'), `${Array.from({ length: 8000 }, (_, i) => item(i)).join('\n')}\n`);
    // 32 KB of whole lines a millisecond (some 30 MB/s): ct-where writes its 6 MB of matches in small
    // pieces, each taken at once by cat.
    const slow = `node -e 'const d = require("fs").readFileSync("a.ndjson"); let at = 0; const t = setInterval(() => { const end = d.indexOf(10, at + 32768) + 1 || d.length; process.stdout.write(d.subarray(at, end)); at = end; if (at >= d.length) clearInterval(t); }, 1)'`;
    const r = await sh(
      `export PATH=${noPerl}; ct-where eventName=GetObject a.ndjson > file.out; md5sum < file.out; wc -c < file.out
       ${slow} | CTPIPE_DEBUG=1 ct-where eventName=GetObject 2> keeps-up.err | cat | md5sum
       CTPIPE_DEBUG=1 ct-where eventName=GetObject a.ndjson 2> lags.err | { sleep 0.5; cat; } | md5sum
       grep -c 'a thread writes' keeps-up.err; grep 'a thread writes' lags.err`,
      { cwd: dir },
    );
    const [sum, size, keepsUp, lags, keepsUpThreads, lagsThread, ...rest] = lines(r.stdout);
    expect(Number(size)).toBeGreaterThan(5e6);
    expect([keepsUp, lags]).toEqual([sum, sum]);
    expect(keepsUpThreads).toBe('0');
    expect(lagsThread).toMatch(/^ct-where: debug: a thread writes the pipe from here: \d+\.\d MB written, writes waited \d+ ms for the reader$/);
    expect(rest).toEqual([]);
  }, 60000);

  test('a 10 MB event goes through explode, where and csv', async () => {
    const dir = tempDir();
    const record = { eventName: 'Big', errorCode: 'AccessDenied', requestParameters: { policy: 'p'.repeat(10 * 1024 * 1024) } };
    const item = { EventId: 'big', EventName: 'Big', CloudTrailEvent: JSON.stringify(record) };
    writeFileSync(path.join(dir, 'big.ndjson'), `{"EventId":"a","CloudTrailEvent":"{}"}\n${JSON.stringify(item)}\n`);
    const r = await sh(`ct-explode big.ndjson | ct-where errorCode~Denied | ct-csv -f eventName,requestParameters.policy --no-header | wc -c`, { cwd: dir });
    expect(Number(r.stdout.trim())).toBe('Big,'.length + 10 * 1024 * 1024 + 1);
    expect(r.stderr).toBe('');
  }, 30000);

  test('the fast path, switched off where most lines pass and on again where few do, loses no match and no line number', async () => {
    // 40,000 items (12 MB): the first 16,000 all hold "true", so after the first 256 KiB the
    // fast path is off for 8 MiB (to line ~29,000); after that few lines pass and it stays on.
    // One truncated line falls while it is off, one after it is back on.
    const dir = tempDir();
    const pad = 'p'.repeat(200);
    const item = (i: number, readOnly: boolean) =>
      JSON.stringify({ EventId: `e${i}`, CloudTrailEvent: JSON.stringify({ eventID: `e${i}`, readOnly, pad }) });
    const out: string[] = [];
    let matches = 0;
    for (let i = 1; i <= 40000; i++) {
      const readOnly = i <= 16000 || i % 97 === 0;
      if (readOnly) matches++;
      out.push(i === 20000 || i === 39000 ? '{"EventId":"cut' : item(i, readOnly));
    }
    writeFileSync(path.join(dir, 'items.ndjson'), `${out.join('\n')}\n`);
    const r = await sh('ct-where -c readOnly=true < items.ndjson; ct-where -c -i items.ndjson readOnly=true', { cwd: dir });
    expect(lines(r.stdout).map(Number)).toEqual([matches, matches]);
    expect(lines(r.stderr).filter((l) => l.includes('invalid JSON')).map((l) => /^ct-where: (\S+?:\d+):/.exec(l)?.[1])).toEqual([
      'stdin:20000', 'stdin:39000', 'items.ndjson:20000', 'items.ndjson:39000',
    ]);
  }, 60000);

  // Up to 4 MiB a trail file is read whole (ahead of its turn) and made lines; past it, made
  // lines a piece at a time. Memory stays bounded either way (issue 16: under 150 MB for any size).
  const padded = (i: number) => ({ eventID: `e${i}`, eventName: 'GetObject', readOnly: i % 2 === 0, requestParameters: { pad: 'p'.repeat(1200) } });
  const trailDoc = (from: number, n: number) => `{"Records":[${Array.from({ length: n }, (_, i) => JSON.stringify(padded(from + i))).join(',')}]}`;

  test.each([
    [3000, 100],
    [10000, 100],
    [20000, 100],
    [30000, 100],
  ])('a gzipped trail document of %i records (1.2 KB each): peak RSS under %i MB', async (n, limit) => {
    const dir = tempDir();
    const doc = trailDoc(0, n);
    writeFileSync(path.join(dir, 'trail.json.gz'), gzipSync(doc));
    const r = await sh('/usr/bin/time -f %M -o rss ct-explode trail.json.gz | wc -l; cat rss', { cwd: dir });
    const [count, rssKb] = lines(r.stdout).map(Number);
    expect(doc.length).toBeGreaterThan(n * 1200);
    expect(count).toBe(n);
    expect(rssKb / 1024).toBeLessThan(limit);
  }, 60000);

  test.each(['ct-explode', 'ct-where readOnly=true', 'ct-csv -f eventID'])(
    '%s on a folder of large trail files (4 x 25 MB, gzipped and not): peak RSS under 150 MB, every record once',
    async (command) => {
      const dir = tempDir();
      mkdirSync(path.join(dir, 'bucket'));
      for (let k = 0; k < 4; k++) {
        const doc = trailDoc(k * 20000, 20000);
        if (k % 2) writeFileSync(path.join(dir, 'bucket', `t${k}.json`), doc);
        else writeFileSync(path.join(dir, 'bucket', `t${k}.json.gz`), gzipSync(doc));
      }
      const r = await sh(`/usr/bin/time -f %M -o rss ${command} bucket > out; cat rss`, { cwd: dir });
      expect(r.stderr).toBe('');
      const out = lines(readFileSync(path.join(dir, 'out'), 'utf8'));
      const ids = command.startsWith('ct-csv') ? out.slice(1) : out.map((l) => (JSON.parse(l) as { eventID: string }).eventID);
      const expected = Array.from({ length: 80000 }, (_, i) => `e${i}`).filter((_, i) => !command.includes('readOnly') || i % 2 === 0);
      expect(ids).toEqual(expected);
      expect(Number(r.stdout.trim()) / 1024).toBeLessThan(150);
    },
    90000,
  );

  test.each(['ct-csv -f eventID,eventName', 'ct-count eventName', 'ct-where readOnly=true'])(
    '%s over a 20 MB trail file named 12 times: peak RSS stays under 150 MB (dead buffers are collected as it reads)',
    async (command) => {
      const dir = tempDir();
      const records = bigTrailFile(dir);
      const r = await sh(`/usr/bin/time -f %M -o rss ${command} ${Array(12).fill('big.json.gz').join(' ')} > out; cat rss`, { cwd: dir });
      expect(r.stderr).toBe('');
      if (command.startsWith('ct-csv')) expect(lines(readFileSync(path.join(dir, 'out'), 'utf8'))).toHaveLength(12 * records + 1);
      expect(Number(r.stdout.trim()) / 1024).toBeLessThan(150);
    },
    120000,
  );

  test.each(['cat', 'zcat'])(
    'the same 20 MB trail file 12 times in one stream (%s ... |): every row, and peak RSS under 150 MB (a collection every 32 MiB made lines)',
    async (feed) => {
      const dir = tempDir();
      const records = bigTrailFile(dir);
      const r = await sh(`${feed} ${Array(12).fill('big.json.gz').join(' ')} | /usr/bin/time -f %M -o rss ct-csv -f eventID,eventName > out; cat rss`, { cwd: dir });
      expect(r.stderr).toBe('');
      expect(lines(readFileSync(path.join(dir, 'out'), 'utf8'))).toHaveLength(12 * records + 1);
      expect(Number(r.stdout.trim()) / 1024).toBeLessThan(150);
    },
    120000,
  );

  test.each(["ct-where 'EventId exists'", 'ct-explode', 'ct-csv'])(
    '%s < FILE | head -1 stops reading the file (regular files are read synchronously)',
    async (command) => {
      // stdin's file offset is shared with the shell: what cat still reads afterwards is what the
      // command left unread.
      const dir = tempDir();
      const item = (i: number) => JSON.stringify({ EventId: `e${i}`, CloudTrailEvent: JSON.stringify({ eventID: `e${i}`, pad: 'p'.repeat(1500) }) });
      writeFileSync(path.join(dir, 'items.ndjson'), `${Array.from({ length: 12000 }, (_, i) => item(i)).join('\n')}\n`);
      const r = await sh(`{ ${command} | head -1 > first; cat | wc -c; } < items.ndjson; wc -c < items.ndjson; wc -l < first`, { cwd: dir });
      const [left, size, firstLines] = lines(r.stdout).map(Number);
      expect(firstLines).toBe(1);
      expect(r.stderr).toBe('');
      expect(left).toBeGreaterThan(size / 2);
    },
    30000,
  );
});

/** big.json.gz in `dir`: real records (as compressible as a trail file is), over and over, 20 MB; how many. */
function bigTrailFile(dir: string): number {
  const real = readFileSync(RECORDS, 'utf8').split('\n').filter(Boolean);
  const many = Array.from({ length: 20_000_000 / 1500 }, (_, i) => real[i % real.length]);
  writeFileSync(path.join(dir, 'big.json.gz'), gzipSync(`{"Records":[${many.join(',')}]}`));
  return many.length;
}
