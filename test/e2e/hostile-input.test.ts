// Hostile input: what an adversarial run fed the readers. Each bad event or file is reported with
// its place, and everything after it is still read.
import { describe, expect, test } from 'vitest';
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { binDir, lines, sh, tempDir } from '../helpers';

const DEEP = `${'['.repeat(5000)}${']'.repeat(5000)}`;

describe('a record nested 5,000 levels deep', () => {
  const dir = tempDir();
  writeFileSync(path.join(dir, 'deep.ndjson'), `{"eventName":"A","requestParameters":{"x":${DEEP}}}\n{"eventName":"B","requestParameters":{"x":1}}\n`);
  writeFileSync(path.join(dir, 'deep.json'), `{"Records":[{"eventName":"A","requestParameters":{"x":${DEEP}}},{"eventName":"B"}]}`);
  const record = JSON.stringify({ eventName: 'A', eventID: 'deep', requestParameters: { x: 'DEEP' } }).replace('"DEEP"', DEEP);
  writeFileSync(path.join(dir, 'deep-item.ndjson'), `${JSON.stringify({ EventId: 'deep', EventName: 'A', CloudTrailEvent: record })}\n`);
  writeFileSync(path.join(dir, 'later.json'), '{"Records":[{"eventName":"C"}]}');

  test.each([
    ['ct-csv -f eventName,requestParameters --no-header deep.ndjson later.json', 'deep.ndjson:1', ['B,"{""x"":1}"', 'C,']],
    ['ct-explode deep.json later.json', 'deep.json: Records[0]', ['{"eventName":"B"}', '{"eventName":"C"}']],
    ['ct-explode --keep-lookup deep-item.ndjson later.json', 'deep-item.ndjson:1', ['{"eventName":"C"}']],
  ])('%s: the event is reported and skipped, the rest is read, exit 1', async (command, place, expected) => {
    const r = await sh(command, { cwd: dir });
    expect(r.stderr).toBe(`${command.split(' ')[0]}: ${place}: nested too deeply to handle (thousands of levels); event skipped\n`);
    expect(lines(r.stdout)).toEqual(expected);
    expect(r.code).toBe(1);
  });
});

describe('walking a folder', () => {
  /** A tree with a locked folder, a link loop, a link to a folder walked anyway, a linked file and a broken link. */
  function tree(): string {
    const dir = tempDir();
    const at = (p: string): string => path.join(dir, p);
    for (const d of ['walk/a', 'walk/b', 'walk/locked']) mkdirSync(at(d), { recursive: true });
    writeFileSync(at('walk/a/1.json'), '{"eventName":"A"}\n');
    writeFileSync(at('walk/b/2.json'), '{"eventName":"B"}\n');
    writeFileSync(at('walk/locked/3.json'), '{"eventName":"L"}\n');
    symlinkSync('../b', at('walk/a/linkb'));
    symlinkSync('..', at('walk/b/up'));
    symlinkSync('../a/1.json', at('walk/b/linked.json'));
    symlinkSync('nowhere.json', at('walk/b/broken.json'));
    chmodSync(at('walk/locked'), 0);
    return dir;
  }

  test('an unreadable folder and a broken link are reported and passed over; links are followed, each file read once', async () => {
    const dir = tree();
    // Root reads any folder: the walk runs without the capabilities that let it (setpriv, util-linux).
    const caps = '-dac_override,-dac_read_search';
    const asUser = process.getuid?.() === 0 ? `setpriv --inh-caps=${caps} --bounding-set=${caps} ` : '';
    const r = await sh(`${asUser}${binDir()}/ct-csv -f eventName --no-header walk`, { cwd: dir });
    expect(lines(r.stdout)).toEqual(['A', 'B']);
    expect(lines(r.stderr)).toEqual([
      'ct-csv: walk/a/linkb/broken.json: broken symbolic link: no such file or directory; skipped',
      'ct-csv: walk/a/linkb/linked.json: note: the same file as walk/a/1.json, read once only',
      'ct-csv: walk/a/linkb/up: note: the same directory as walk, read once only',
      'ct-csv: walk/b: note: the same directory as walk/a/linkb, read once only',
      'ct-csv: walk/locked: cannot read the directory: permission denied (EACCES); skipped',
    ]);
    expect(r.code).toBe(1);
  });

  test('links alone (no unreadable folder): notes only, exit 0', async () => {
    const dir = tree();
    chmodSync(path.join(dir, 'walk/locked'), 0o755);
    const r = await sh('rm walk/b/broken.json && ct-where -c "eventName exists" walk', { cwd: dir });
    expect(r.stdout).toBe('3\n');
    expect(r.stderr).not.toMatch(/skipped/);
    expect(r.code).toBe(0);
  });
});

describe('a line longer than --max-line', () => {
  const dir = tempDir();
  const big = 'a'.repeat(3 * 1024 * 1024);
  writeFileSync(path.join(dir, 'long.ndjson'), `{"eventName":"A"}\n{"eventName":"${big}"}\n{"eventName":"B"}\n{"eventName":\n{"eventName":"C"}\n`);

  test.each([
    ['a file', 'ct-where --max-line 1M "eventName exists" long.ndjson', 'long.ndjson'],
    ['a pipe', 'cat long.ndjson | ct-where --max-line 1M "eventName exists"', 'stdin'],
    ['a gzipped file', 'gzip -c long.ndjson > long.gz && ct-where --max-line 1M "eventName exists" long.gz', 'long.gz'],
  ])('in %s: reported with its byte offset and skipped; the lines after it keep their numbers', async (_, command, name) => {
    const r = await sh(command, { cwd: dir });
    expect(lines(r.stdout)).toEqual(['{"eventName":"A"}', '{"eventName":"B"}', '{"eventName":"C"}']);
    expect(lines(r.stderr)).toHaveLength(2);
    expect(lines(r.stderr)[0]).toBe(`ct-where: ${name}: byte 18: a line longer than 1M (--max-line); skipped`);
    expect(lines(r.stderr)[1]).toMatch(new RegExp(`^ct-where: ${name}:4: invalid JSON: `));
    expect(r.code).toBe(1);
  });

  test('a first line of 400 MB with no newline: memory stays bounded (under 200 MB), the run goes on', async () => {
    const r = await sh(`{ head -c 400000000 /dev/zero | tr '\\0' a; printf '\\n{"eventName":"B"}\\n'; } | /usr/bin/time -f %M -o rss ct-csv -f eventName --no-header; tail -1 rss`, { cwd: dir });
    expect(lines(r.stdout)[0]).toBe('B');
    expect(r.stderr).toBe('ct-csv: stdin: byte 0: a line longer than 16M (--max-line); skipped\n');
    expect(Number(lines(r.stdout)[1])).toBeLessThan(200 * 1024);
  }, 60000);

  test('--max-line takes a size, or is a usage error', async () => {
    const bad = await sh('ct-where --max-line lots "eventName exists" < /dev/null');
    expect(bad.stderr).toContain("ct-where: --max-line: expected a size such as 64M, 512K or 1G, not 'lots'");
    expect(bad.code).toBe(2);
  });
});

describe('a broken document', () => {
  const dir = tempDir();
  const records = (n: number): string => JSON.stringify({ Records: Array.from({ length: n }, (_, i) => ({ eventName: `E${i}`, x: 'y'.repeat(100) })) });
  // Three quotes before E30's name: the string "" ends, and a ',' was due at the third quote.
  const broken = (text: string): { text: string; at: number } => {
    const at = text.indexOf('"E30"') + 1;
    return { text: `${text.slice(0, at)}""${text.slice(at)}`, at: at + 1 };
  };
  const big = broken(records(5000)); // over 512 KiB: streamed
  const small = broken(records(40)); // parsed whole first
  writeFileSync(path.join(dir, 'big.json'), big.text);
  writeFileSync(path.join(dir, 'small.json'), `\uFEFF${small.text}`);

  test.each([
    ['big.json', big.at],
    ['small.json', small.at + 3], // after a byte-order mark
  ])('%s: the error names the byte where it is, and the events before it come out', async (file, at) => {
    const r = await sh(`ct-explode ${file} | wc -l`, { cwd: dir });
    expect(r.stderr).toBe(`ct-explode: ${file}: byte ${at}: invalid JSON: expected ','\n`);
    expect(r.stdout.trim()).toBe('30');
  });
});

describe('the fast path agrees with parsing', () => {
  const dir = tempDir();
  writeFileSync(path.join(dir, 'ips.ndjson'), ['::ffff:a01:203', '::FFFF:10.1.2.3', '10.1.2.3', '192.0.2.1'].map((a) => `{"sourceIPAddress":"${a}"}\n`).join(''));
  writeFileSync(path.join(dir, 'numbers.ndjson'), '{"requestParameters":{"count":1e999}}\n{"requestParameters":{"count":5}}\n');
  writeFileSync(path.join(dir, 'bytes.ndjson'), Buffer.concat([Buffer.from('{"eventName":"caf'), Buffer.from([0xff]), Buffer.from('"}\n{"eventName":"cafe"}\n')]));

  test.each([
    ['sourceIPAddress in 10.0.0.0/8', 'ips.ndjson', 3],
    ['requestParameters.count=Infinity', 'numbers.ndjson', 1],
    ['eventName~caf\\uFFFD', 'bytes.ndjson', 1],
  ])("ct-where -c '%s' and its -v add up to every event of %s", async (expression, file, matching) => {
    const yes = await sh(`ct-where -c '${expression}' ${file}`, { cwd: dir });
    const no = await sh(`ct-where -v -c '${expression}' ${file}`, { cwd: dir });
    const total = (await sh(`wc -l < ${file}`, { cwd: dir })).stdout.trim();
    expect(Number(yes.stdout)).toBe(matching);
    expect(Number(yes.stdout) + Number(no.stdout)).toBe(Number(total));
  });
});

describe('text that decodes with a loss', () => {
  const dir = tempDir();
  const item = JSON.stringify({ EventId: 'i1', CloudTrailEvent: JSON.stringify({ eventName: 'X', userName: 'car\udc00ol' }) });
  writeFileSync(
    path.join(dir, 'lossy.ndjson'),
    Buffer.concat([Buffer.from('{"eventName":"caf'), Buffer.from([0xff]), Buffer.from('"}\n{"eventName":"ok"}\n{"eventName":"\\ud800x"}\n{"eventName":"\\ud83d\\ude00"}\n'), Buffer.from(`${item}\n`)]),
  );
  writeFileSync(path.join(dir, 'lossy.json'), Buffer.concat([Buffer.from('{"Records":[{"eventName":"caf'), Buffer.from([0xff]), Buffer.from('"},{"eventName":"b"}]}')]));
  const lossy = (line: number, what: string): string => `lossy.ndjson:${line}: text read as U+FFFD: ${what}; the event is kept (a line written whole keeps its bytes)`;

  test('bytes that are not UTF-8 and half surrogate pairs are reported with their line; ct-where passes the lines on byte for byte', async () => {
    const r = await sh('ct-where "eventName exists" lossy.ndjson | od -An -tx1 | tr -d " \\n"', { cwd: dir });
    expect(r.stdout).toContain('636166ff22'); // caf, the 0xff byte, "
    expect(lines(r.stderr)).toEqual([
      `ct-where: ${lossy(1, 'bytes that are not UTF-8 (from byte 17 of the line)')}`,
      `ct-where: ${lossy(3, 'an escape of half a surrogate pair (\\ud800)')}`,
      `ct-where: ${lossy(5, 'an escape of half a surrogate pair (\\ud800)')}`,
    ]);
    expect(r.code).toBe(0); // od's status; ct-where's is checked below
    expect((await sh('ct-where -c "eventName exists" lossy.ndjson', { cwd: dir })).code).toBe(1);
  });

  test('ct-csv writes U+FFFD and says so; a valid pair (an emoji) is no problem', async () => {
    const r = await sh('ct-explode lossy.ndjson | ct-csv -f eventName --no-header', { cwd: dir });
    expect(lines(r.stdout)).toEqual(['caf\uFFFD', 'ok', '\uFFFDx', '\u{1F600}', 'X']);
    // ct-explode passes the bytes on (it reports them); the escapes stay escapes until ct-csv reads them.
    const inCsv = (what: string): string => lossy(1, what).replace('lossy.ndjson:1', 'stdin:N');
    expect(lines(r.stderr).sort()).toEqual([
      `ct-explode: ${lossy(1, 'bytes that are not UTF-8 (from byte 17 of the line)')}`,
      `ct-csv: ${inCsv('bytes that are not UTF-8 (from byte 17 of the line)').replace('N', '1')}`,
      `ct-csv: ${inCsv('an escape of half a surrogate pair (\\ud800)').replace('N', '3')}`,
      `ct-csv: ${inCsv('an escape of half a surrogate pair (\\ud800)').replace('N', '5')}`,
    ].sort()); // two processes: their lines may come in either order
  });

  test('in a document: the byte is named, the rest is read', async () => {
    const r = await sh('ct-explode lossy.json', { cwd: dir });
    expect(lines(r.stdout)).toHaveLength(2);
    expect(r.stderr).toBe('ct-explode: lossy.json: byte 29: text read as U+FFFD: bytes that are not UTF-8; the document is read on\n');
    expect(r.code).toBe(1);
  });

  test('lines ended by CR alone are read as lines, with a note', async () => {
    const r = await sh(`printf '{"eventName":"a"}\\r{"eventName":"b"}\\r{bad\\r{"eventName":"c"}' | ct-where 'eventName exists'`);
    expect(lines(r.stdout)).toEqual(['{"eventName":"a"}', '{"eventName":"b"}', '{"eventName":"c"}']);
    expect(lines(r.stderr)[0]).toBe('ct-where: stdin: note: lines end in CR alone (classic Mac OS); read as lines');
    expect(lines(r.stderr)[1]).toMatch(/^ct-where: stdin:3: invalid JSON/);
  });
});

describe('gzip, member by member', () => {
  const dir = tempDir();
  const records = Array.from({ length: 500 }, (_, i) => JSON.stringify({ eventID: `r${i}`, eventName: 'GetObject', pad: 'x'.repeat(i % 50) })).join('\n') + '\n';
  const member = gzipSync(records);
  writeFileSync(path.join(dir, 'garbage.gz'), Buffer.concat([member, Buffer.from('garbage\n')]));
  writeFileSync(path.join(dir, 'two.gz'), Buffer.concat([member, member]));
  writeFileSync(path.join(dir, 'padded.gz'), Buffer.concat([member, Buffer.alloc(1000)]));
  writeFileSync(path.join(dir, 'cut.gz'), member.subarray(0, member.length - 100));

  test('bytes after the last member: every record before them comes out, and they are reported as zcat does', async () => {
    const r = await sh('ct-where -c "eventName exists" garbage.gz', { cwd: dir });
    expect(r.stdout).toBe('500\n');
    expect(r.stderr).toBe(`ct-where: garbage.gz: gzip: byte ${member.length}: 8 bytes after the last gzip member (1 read whole) are no gzip; ignored, as zcat does\n`);
    expect(r.code).toBe(1);
    expect((await sh('zcat garbage.gz | wc -l', { cwd: dir })).stdout.trim()).toBe('500');
  });

  test('several members are one stream, zero padding is no problem, a cut file is reported', async () => {
    expect((await sh('ct-where -c "eventName exists" two.gz padded.gz', { cwd: dir })).stdout).toBe('1500\n');
    const cut = await sh('ct-where -c "eventName exists" two.gz padded.gz cut.gz', { cwd: dir });
    expect(cut.stderr).toBe('ct-where: cut.gz: gzip: unexpected end of file (truncated download?)\n');
    expect(cut.code).toBe(1);
  });
});

describe('Ctrl-C on a filter', () => {
  /** `ct-where` reading a pipe the test writes to: a line, SIGINT (or two), a line, then the end. */
  async function interrupted(signals: number): Promise<{ out: string; code: number | null }> {
    const child = spawn(path.join(binDir(), 'ct-where'), ['n exists']);
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stdin.on('error', () => undefined);
    const code = new Promise<number | null>((res) => child.on('close', res));
    child.stdin.write('{"n":1}\n');
    await new Promise((res) => setTimeout(res, 700));
    for (let i = 0; i < signals; i++) child.kill('SIGINT');
    await new Promise((res) => setTimeout(res, 300));
    child.stdin.end('{"n":2}\n');
    const status = await code;
    return { out, code: status };
  }

  test('one SIGINT while reading a pipe: what the writer still sends comes out, then exit 130', async () => {
    const r = await interrupted(1);
    expect(lines(r.out)).toEqual(['{"n":1}', '{"n":2}']);
    expect(r.code).toBe(130);
  });

  test('a second SIGINT ends it at once, with what is still in the pipe left unread', async () => {
    const child = spawn(path.join(binDir(), 'ct-where'), ['-c', 'n exists']);
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stdin.on('error', () => undefined);
    const code = new Promise<number | null>((res) => child.on('close', res));
    // A backlog to work through: far more than a moment's work.
    const line = `{"n":1,"pad":"${'x'.repeat(200)}"}\n`;
    const block = line.repeat(5000);
    let blocks = 0;
    const write = (): void => {
      while (blocks < 400 && child.stdin.write(block)) blocks++;
      if (blocks < 400) child.stdin.once('drain', write);
      else child.stdin.end();
    };
    write();
    await new Promise((res) => setTimeout(res, 300));
    child.kill('SIGINT');
    await new Promise((res) => setTimeout(res, 100));
    child.kill('SIGINT');
    expect(await code).toBe(130);
    expect(out).toBe(''); // ended before its count
    expect(blocks).toBeLessThan(400);
  });
});

describe('a trail bucket synced to disk', () => {
  test('CloudTrail-Digest files in a walked AWSLogs folder are passed over with one note; the trail files are read', async () => {
    const dir = tempDir();
    const day = 'AWSLogs/123456789012/%s/us-east-1/2024/07/22';
    const trail = path.join(dir, day.replace('%s', 'CloudTrail'));
    const digest = path.join(dir, day.replace('%s', 'CloudTrail-Digest'));
    mkdirSync(trail, { recursive: true });
    mkdirSync(digest, { recursive: true });
    writeFileSync(path.join(trail, '123456789012_CloudTrail_us-east-1_20240722T0000Z_abc.json.gz'), gzipSync('{"Records":[{"eventVersion":"1.09","eventName":"A"}]}'));
    for (const hour of ['01', '02']) {
      writeFileSync(
        path.join(digest, `123456789012_CloudTrail-Digest_us-east-1_trail_us-east-1_20240722T${hour}0000Z.json.gz`),
        gzipSync('{"awsAccountId":"123456789012","digestStartTime":"2024-07-22T00:00:00Z","logFiles":[]}'),
      );
    }
    const r = await sh('ct-explode AWSLogs', { cwd: dir });
    expect(r.stdout).toBe('{"eventVersion":"1.09","eventName":"A"}\n');
    expect(r.stderr).toBe('ct-explode: AWSLogs: note: 2 CloudTrail-Digest file(s) passed over: digests that prove trail files unchanged, not events\n');
    expect(r.code).toBe(0);
  });

  test('JSON that is not CloudTrail (AWS Config files beside the trail, a policy line) is passed over, with one note saying how many', async () => {
    const dir = tempDir();
    const config = path.join(dir, 'AWSLogs/123456789012/Config/us-east-1/2024/7/22/ConfigSnapshot');
    const trail = path.join(dir, 'AWSLogs/123456789012/CloudTrail/us-east-1/2024/07/22');
    mkdirSync(config, { recursive: true });
    mkdirSync(trail, { recursive: true });
    writeFileSync(path.join(trail, '123456789012_CloudTrail_us-east-1_20240722T0000Z_abc.json.gz'), gzipSync('{"Records":[{"eventVersion":"1.09","eventName":"A"}]}'));
    // AWS Config writes pretty-printed snapshot and history files into the same bucket.
    const snapshot = { fileVersion: '1.0', configSnapshotId: 'a1b2', configurationItems: [{ configurationItemVersion: '1.3', resourceType: 'AWS::S3::Bucket' }] };
    writeFileSync(path.join(config, '123456789012_Config_us-east-1_ConfigSnapshot_20240722T000000Z_a1b2.json.gz'), gzipSync(JSON.stringify(snapshot, null, 2)));
    writeFileSync(path.join(config, '123456789012_Config_us-east-1_ConfigHistory_AWS::S3::Bucket_20240722T000000Z.json.gz'), gzipSync(JSON.stringify(snapshot)));
    // NDJSON: read from the bytes (the WebAssembly checker) and when parsed (an escape in a key) alike.
    const ndjson = [
      '{"eventVersion":"1.09","eventName":"B"}',
      '{"Version":"2012-10-17","Statement":[{"Effect":"Deny"}]}',
      '{"Vers\\u0069on":"2012-10-17"}',
      '{"event\\u004eame":"C"}',
      '{"eventname":"lake-style","eventtime":"2024-07-22 00:00:00"}',
      '{}',
    ].join('\n');
    const r = await sh(`printf '%s\\n' '${ndjson}' > lines.ndjson; ct-explode AWSLogs lines.ndjson`, { cwd: dir });
    expect(lines(r.stdout)).toEqual([
      '{"eventVersion":"1.09","eventName":"A"}',
      '{"eventVersion":"1.09","eventName":"B"}',
      '{"event\\u004eame":"C"}',
      '{"eventname":"lake-style","eventtime":"2024-07-22 00:00:00"}',
    ]);
    expect(r.stderr).toBe('ct-explode: note: 5 JSON objects that are not CloudTrail passed over (no key starting with "event": AWS Config files, policies...)\n');
    expect(r.code).toBe(0);
  });
});

describe('AWS CLI table output, however it arrives', () => {
  test.each([
    ['its title row', (rule: string, title: string) => `printf '%s\\n|    ' '${rule}'; sleep 0.2; printf '%s\\n+---+\\n' '${title.slice(5)}'`],
    ['the rule, after its newline', (rule: string, title: string) => `printf '%s\\n' '${rule}'; sleep 0.2; printf '%s\\n+---+\\n' '${title}'`],
    ['two dashes', (rule: string, title: string) => `printf -- '--'; sleep 0.2; printf '%s\\n%s\\n' '${rule.slice(2)}' '${title}'`],
  ])('a table whose first read ends in %s is still told as one line', async (_, write) => {
    const rule = '-'.repeat(3000);
    const title = `|${' '.repeat(1490)}LookupEvents${' '.repeat(1496)}|`;
    const r = await sh(`{ ${write(rule, title)}; } | ct-explode`);
    expect(r.stderr).toBe('ct-explode: stdin: this is AWS CLI output in its table form: run the command with --output json (or fetch with ct-fetch); skipped\n');
    expect(r.code).toBe(1);
  });
});
