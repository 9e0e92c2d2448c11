// ct-explode --keep-lookup, ct-where, ct-count and ct-csv hand NDJSON past their first 2 MiB to a worker thread (and
// handle part of it on the main thread), unless ct-where's fast path skips most lines unparsed
// (ct-explode without --keep-lookup reads lines from their bytes, on one thread). Whatever the
// split, the output bytes, the problems and their file:line places must be those of a single
// thread. CTPIPE_THREADS=0 is the single-threaded reference; CTPIPE_THREADS=1 starts the worker
// whatever the input's source and size (files known to be under 96 MiB, and pipes and trail
// files of lines read from their bytes, are otherwise read on one thread); CTPIPE_DEBUG=1 makes
// a run say whether it started a worker.
import { describe, expect, test } from 'vitest';
import { statSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { lines, sh, tempDir } from '../helpers';

/** What CTPIPE_DEBUG says of a pipe whose lines are read from their bytes. */
const BYTES = 'debug: no worker thread: lines from a pipe are read from their bytes, sooner on one thread while the command before has the other core';

/** What CTPIPE_DEBUG says of a trail file whose lines are read from their bytes. */
const TRAIL = "debug: no worker thread: a trail file's lines are read from their bytes, sooner on one thread while the next files are inflated";

/** ~7 MB of NDJSON with every kind of line a reader meets, bad ones spread over the file. */
function mixedLines(tag: string): string {
  const out: string[] = [];
  for (let i = 1; i <= 5000; i++) {
    const record = {
      eventID: `${tag}${i}`, eventName: i % 7 ? 'GetObject' : 'ConsoleLogin', readOnly: i % 2 === 0, eventTime: `2024-07-${10 + (i % 20)}T00:00:00Z`,
      userIdentity: { userName: i % 5 ? 'alice' : '田中太郎' }, errorCode: i % 41 ? undefined : 'AccessDenied', pad: 'p'.repeat(1000 + (i % 300)),
    };
    if (i % 997 === 0) out.push('{"EventId":"cut-off'); // invalid JSON
    else if (i % 1009 === 0) out.push(JSON.stringify({ fileVersion: '1.0', configurationItems: [] })); // not CloudTrail
    else if (i % 1499 === 0) out.push(JSON.stringify({ EventId: `${tag}${i}`, CloudTrailEvent: '{"eventID":' })); // bad record
    else if (i % 1777 === 0) out.push(JSON.stringify({ EventId: `${tag}${i}` })); // no record
    else if (i % 1333 === 0) out.push(JSON.stringify({ Records: [record, record] })); // a document on one line
    else if (i % 3 === 0) out.push(JSON.stringify(record)); // a record passes through
    else if (i % 11 === 0) out.push(`${JSON.stringify({ EventId: `${tag}${i}`, CloudTrailEvent: JSON.stringify(record) })}\r`); // CRLF
    else if (i % 13 === 0) out.push('');
    else out.push(JSON.stringify({ EventId: `${tag}${i}`, Username: 'alice', CloudTrailEvent: JSON.stringify(record) }));
  }
  return out.join('\n'); // no newline after the last line
}

describe('ct-explode, ct-where, ct-count and ct-csv with a worker thread', () => {
  test.each([
    ['ct-explode --keep-lookup, a file', 'ct-explode --keep-lookup < a.ndjson', true],
    ['ct-explode --keep-lookup, two files (line numbers start again)', 'ct-explode --keep-lookup a.ndjson b.ndjson', true],
    ['ct-explode --keep-lookup, a pipe (64 KiB reads)', 'cat a.ndjson | ct-explode --keep-lookup', true],
    ['ct-explode --keep-lookup, NDJSON then a gzipped trail file then NDJSON', 'ct-explode --keep-lookup a.ndjson trail.json.gz b.ndjson', true],
    ['ct-explode reads bytes: no thread', 'ct-explode a.ndjson trail.json.gz b.ndjson', false],
    ['ct-where, most lines pass', 'ct-where readOnly=true -- a.ndjson b.ndjson', true],
    ['ct-where -c', 'ct-where -c readOnly=true -i a.ndjson -i b.ndjson', true],
    ['ct-where -v, a pipe', "cat a.ndjson | ct-where -v 'eventName=GetObject'", true],
    ['ct-where, a relative time', "ct-where 'eventTime<-700d' -i a.ndjson", true],
    ['ct-where, fast path skips most lines: no thread', 'ct-where errorCode~Denied -i a.ndjson', false],
    ['ct-count: groups merged across threads', 'ct-count eventName,user,errorCode --json a.ndjson b.ndjson', true],
    ['ct-count --distinct, a pipe', 'cat a.ndjson b.ndjson | ct-count user --distinct eventID --csv', true],
    ['ct-csv: rows in the order read, one header', 'ct-csv -f eventID,eventName,user,readOnly,pad a.ndjson b.ndjson', true],
    ['ct-csv with --tz, items and records, a pipe', "cat a.ndjson | ct-csv --tz Asia/Tokyo -f eventTime,eventName --excel", true],
  ])('%s: same output, problems and places as one thread', async (_name, command, threaded) => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'a.ndjson'), mixedLines('a'));
    writeFileSync(path.join(dir, 'b.ndjson'), mixedLines('b'));
    const records = Array.from({ length: 300 }, (_, i) => ({ eventID: `t${i}`, eventName: 'PutObject', readOnly: false }));
    writeFileSync(path.join(dir, 'trail.json.gz'), gzipSync(JSON.stringify({ Records: records })));
    const script = (env: string, run: string) =>
      `export ${env}; ${command} > ${run}.out 2> ${run}.err; echo $?; wc -l < ${run}.out; md5sum < ${run}.out; cat ${run}.err`;
    const [one, two] = await Promise.all([sh(script('CTPIPE_THREADS=0', 'one'), { cwd: dir }), sh(script('CTPIPE_DEBUG=1 CTPIPE_THREADS=1', 'two'), { cwd: dir })]);
    const [status, count, sum, ...problems] = lines(one.stdout);
    expect(status).toBe('1');
    expect(Number(count)).toBeGreaterThan(0);
    expect(problems.length).toBeGreaterThanOrEqual(5);
    expect(problems.some((p) => /:4985: invalid JSON/.test(p))).toBe(true); // far past the first 2 MiB
    const second = lines(two.stdout);
    // Pipes made to hold more (see streaming.test.ts) are not this test's business.
    const debug = second.filter((l) => l.includes('debug:') && !l.includes('debug: the pipe'));
    expect(debug).toEqual(threaded ? [`${command.match(/ct-\w+/)![0]}: debug: 1 worker thread(s)`] : []);
    expect(second.filter((l) => !l.includes('debug:'))).toEqual([status, count, sum, ...problems]);
    // ct-explode passes over the 4 lines per file that are not CloudTrail, counted across threads.
    const files = command.match(/[ab]\.ndjson/g)!.length;
    const notes = problems.filter((p) => p.includes('note:'));
    expect(notes).toEqual(command.includes('ct-explode') ? [`ct-explode: note: ${4 * files} JSON objects that are not CloudTrail passed over (no key starting with "event": AWS Config files, policies...)`] : []);
  }, 60000);

  test('problems do not depend on threads, reads or the fast path resting: bad items it rules out are never reported', async () => {
    const dir = tempDir();
    const out: string[] = [];
    for (let i = 1; i <= 9000; i++) {
      if (i % 37 === 0) out.push(`{broken line ${i}`);
      else if (i % 53 === 0) out.push('{"EventId":"x","CloudTrailEvent":"{bad"}'); // cannot match readOnly=true
      else if (i % 59 === 0) out.push('{"EventId":"y","ReadOnly":"true","CloudTrailEvent":"{bad"}'); // can
      else out.push(JSON.stringify({ eventID: `e${i}`, readOnly: i % 2 === 0, managementEvent: true, pad: 'p'.repeat(900 + (i % 200)) }));
    }
    writeFileSync(path.join(dir, 'bad.ndjson'), `${out.join('\n')}\n`);
    const commands = ['CTPIPE_THREADS=0', 'CTPIPE_THREADS=1', 'CTPIPE_THREADS=2', 'CTPIPE_THREADS=1'].map((v) => `env ${v} ct-where readOnly=true bad.ndjson`);
    commands.push('cat bad.ndjson | env CTPIPE_THREADS=0 ct-where readOnly=true');
    const results = [];
    for (const command of commands) {
      const r = await sh(`${command} | md5sum`, { cwd: dir });
      results.push({ stdout: r.stdout, stderr: r.stderr.replaceAll('ct-where: stdin:', 'ct-where: bad.ndjson:') });
    }
    const reference = results[0];
    expect(lines(reference.stderr).filter((l) => l.includes(': invalid JSON'))).toHaveLength(Math.floor(9000 / 37));
    expect(lines(reference.stderr).filter((l) => l.includes('CloudTrailEvent is not valid JSON'))).toHaveLength(
      out.filter((l) => l.includes('"y"')).length,
    );
    for (const r of results) expect([r.stdout, r.stderr]).toEqual([reference.stdout, reference.stderr]);
  }, 60000);

  test('CTPIPE_THREADS that is not a number: one warning, and the default thread', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'a.ndjson'), `${mixedLines('a')}\n`);
    writeFileSync(path.join(dir, 'a.ndjson.gz'), gzipSync(`${mixedLines('a')}\n`));
    // A gzipped file: the input's size is not known, so the default thread starts (see the test below).
    const r = await sh('CTPIPE_THREADS=two CTPIPE_DEBUG=1 ct-where -c eventName=GetObject a.ndjson.gz; CTPIPE_THREADS=0 ct-where -c eventName=GetObject -i a.ndjson 2> /dev/null', { cwd: dir });
    const [threaded, single] = lines(r.stdout);
    expect(threaded).toBe(single);
    const warnings = lines(r.stderr).filter((l) => !/invalid JSON|CloudTrailEvent/.test(l));
    expect(warnings).toEqual(['ct-where: CTPIPE_THREADS=two is not a number of threads; using 1', 'ct-where: debug: 1 worker thread(s)']);
  }, 60000);

  test('a file known to be small is read on one thread, and a pipe or trail file of lines read from their bytes; lines to parse there, a gzipped file, files adding up to 96 MiB or CTPIPE_THREADS=1 start the worker', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'a.ndjson'), `${mixedLines('a')}\n`);
    writeFileSync(path.join(dir, 'a.ndjson.gz'), gzipSync(`${mixedLines('a')}\n`));
    // A trail file of 6 MB, its first batch of lines past 2 MiB alone: made lines, its records read
    // from their bytes unless a field needs the parser (consoleUrl).
    const records = Array.from({ length: 4000 }, (_, i) => JSON.stringify({ eventVersion: '1.09', eventID: `t${i}`, readOnly: i % 2 === 0, pad: 'p'.repeat(1500) }));
    writeFileSync(path.join(dir, 'trail.json.gz'), gzipSync(`{"Records":[${records.join(',')}]}`));
    const sixteen = Array(16).fill('a.ndjson').join(' '); // over 96 MiB
    const runs = [
      'ct-where readOnly=true a.ndjson',
      'ct-where readOnly=true < a.ndjson',
      'cat a.ndjson | ct-where readOnly=true',
      'cat a.ndjson | ct-where Username=alice',
      'cat a.ndjson | CTPIPE_THREADS=1 ct-where readOnly=true',
      'ct-where readOnly=true a.ndjson.gz',
      `ct-where readOnly=true ${sixteen}`,
      'CTPIPE_THREADS=1 ct-where readOnly=true a.ndjson',
      'ct-count eventName a.ndjson',
      'ct-csv -f eventID a.ndjson',
      'ct-csv -f eventID trail.json.gz',
      'ct-csv -f eventID,consoleUrl trail.json.gz',
      'CTPIPE_THREADS=1 ct-csv -f eventID trail.json.gz',
    ];
    const r = await sh(runs.map((c) => `(export CTPIPE_DEBUG=1; ${c} 2>&1 >/dev/null | grep -o 'debug: .*')`).join('; '), { cwd: dir });
    const size = (statSync(path.join(dir, 'a.ndjson')).size / 1e6).toFixed(1);
    const small = `debug: no worker thread: ${size} MB of input is read sooner on one`;
    const one = 'debug: 1 worker thread(s)';
    expect(lines(r.stdout)).toEqual([small, small, BYTES, one, one, one, one, one, small, small, TRAIL, one, one]);
  }, 60000);

  test('a pipe that brings lines to parse slower than one thread reads them starts no worker (the command before is the slower), unless CTPIPE_THREADS asks', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'a.ndjson'), `${mixedLines('a')}\n`);
    // 8 KB of whole lines a millisecond: some 8 MB/s, a thirtieth of what one thread parses, so
    // that ct-where keeps up even on a loaded machine (at 32 KB it fell behind there, and rightly
    // started a thread).
    const slow = `node -e 'const d = require("fs").readFileSync("a.ndjson"); let at = 0; const t = setInterval(() => { const end = d.indexOf(10, at + 8192) + 1 || d.length; process.stdout.write(d.subarray(at, end)); at = end; if (at >= d.length) clearInterval(t); }, 1)'`;
    // Username is the item's own field: every line is parsed (readOnly=true is read from the bytes: see the test above).
    const runs = [`${slow} | ct-where -c Username=alice`, `${slow} | CTPIPE_THREADS=1 ct-where -c Username=alice`, 'cat a.ndjson | ct-where -c Username=alice'];
    const r = await sh(runs.map((c) => `(export CTPIPE_DEBUG=1; ${c} 2>&1 | grep -o 'debug: .*\\|^[0-9]*$')`).join('; '), { cwd: dir });
    const [count] = lines((await sh('CTPIPE_THREADS=0 ct-where -c Username=alice a.ndjson', { cwd: dir })).stdout);
    expect(Number(count)).toBeGreaterThan(0);
    const starved = 'debug: no worker thread: the pipe was empty at most reads (the command before is the slower)';
    const one = 'debug: 1 worker thread(s)';
    expect(lines(r.stdout)).toEqual([starved, count, one, count, one, count]);
  }, 60000);

  test("a trail file's records chosen as ones that may match do not count as lines the fast path let through: NDJSON after it keeps the fast path, on one thread", async () => {
    const dir = tempDir();
    // 3,000 records, one in five AccessDenied: 600 lines handed on, every one evaluated.
    const records = Array.from({ length: 3000 }, (_, i) =>
      JSON.stringify({ eventVersion: '1.09', eventName: 'GetObject', errorCode: i % 5 ? undefined : 'AccessDenied', userAgent: 'x'.repeat(400), eventID: `t-${i}` }),
    );
    writeFileSync(path.join(dir, 'trail.json.gz'), gzipSync(`{"Records":[${records.join(',')}]}`));
    // Then 6 MB of lines of which one in a hundred matches.
    const ndjson = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ eventName: 'PutObject', errorCode: i % 100 ? undefined : 'AccessDenied', pad: 'y'.repeat(2000) }));
    writeFileSync(path.join(dir, 'after.ndjson'), `${ndjson.join('\n')}\n`);
    const r = await sh('CTPIPE_DEBUG=1 ct-where -c errorCode~Denied trail.json.gz after.ndjson; CTPIPE_THREADS=0 ct-where -c errorCode~Denied trail.json.gz after.ndjson', { cwd: dir });
    expect(lines(r.stdout)).toEqual(['630', '630']);
    expect(r.stderr).toBe('');
  }, 60000);

  test('output through a pipe made non-blocking (2>&1) to a slow reader: the same bytes as one thread', async () => {
    // Small outputs per batch (one line in ten) into a pipe that is full while the reader
    // sleeps: a buffer must not go back to the worker while a write still holds it.
    const dir = tempDir();
    const line = (i: number) =>
      JSON.stringify({ EventId: `e${i}`, EventName: i % 10 ? 'GetObject' : 'ConsoleLogin', CloudTrailEvent: JSON.stringify({ eventID: `e${i}`, pad: 'p'.repeat(1200) }) });
    writeFileSync(path.join(dir, 'a.ndjson'), `${Array.from({ length: 6000 }, (_, i) => line(i)).join('\n')}\n`);
    const run = (env: string) => `${env} ct-where -v eventName=GetObject -i a.ndjson 2>&1 | (sleep 0.5; cat) | md5sum`;
    const r = await sh(`${run('CTPIPE_THREADS=0')}; ${run('CTPIPE_THREADS=1')}; CTPIPE_THREADS=1 CTPIPE_DEBUG=1 ct-where -v eventName=GetObject -i a.ndjson 2>&1 > /dev/null`, { cwd: dir });
    const [one, threaded, debug] = lines(r.stdout);
    expect(threaded).toBe(one);
    expect(debug).toBe('ct-where: debug: 1 worker thread(s)');
  }, 60000);

  test('| head -c stops it once workers run: quiet, exit 0, no more reading', async () => {
    const dir = tempDir();
    const item = JSON.stringify({ EventId: 'e', CloudTrailEvent: JSON.stringify({ eventID: 'e', pad: 'p'.repeat(1500) }) });
    writeFileSync(path.join(dir, 'line'), `${item}\n`);
    // `yes` never ends: the test ends only if ct-explode stops once its reader is gone.
    const r = await sh('yes "$(cat line)" | CTPIPE_DEBUG=1 ct-explode --keep-lookup 2> err | head -c 8000000 | wc -c; grep worker err', { cwd: dir });
    expect(lines(r.stdout)).toEqual(['8000000', 'ct-explode: debug: 1 worker thread(s)']);
  }, 60000);

  test('peak RSS stays under 100 MB on 60 MB of items, with the thread and reading bytes', async () => {
    const dir = tempDir();
    const item = (i: number) => JSON.stringify({ EventId: `e${i}`, CloudTrailEvent: JSON.stringify({ eventID: `e${i}`, userName: 'Zoë', pad: 'p'.repeat(1500) }) });
    writeFileSync(path.join(dir, 'items.ndjson'), `${Array.from({ length: 36000 }, (_, i) => item(i)).join('\n')}\n`);
    const r = await sh(
      'CTPIPE_THREADS=1 CTPIPE_DEBUG=1 /usr/bin/time -f %M -o rss1 ct-explode --keep-lookup items.ndjson | wc -l; cat rss1; /usr/bin/time -f %M -o rss2 ct-explode items.ndjson | wc -l; cat rss2',
      { cwd: dir },
    );
    const [count, rssKb, bytesCount, bytesRssKb] = lines(r.stdout).map(Number);
    expect(count).toBe(36000);
    expect(r.stderr).toContain('1 worker thread(s)');
    expect(rssKb / 1024).toBeLessThan(100);
    expect(bytesCount).toBe(36000);
    expect(bytesRssKb / 1024).toBeLessThan(100);
  }, 60000);
});
