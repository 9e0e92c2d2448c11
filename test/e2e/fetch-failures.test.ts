// ct-fetch when things go wrong: a throttling, flaky or denying endpoint, a closed pipe, Ctrl-C,
// bad options. Every event must arrive exactly once, and nothing secret may be printed.
import { describe, expect, test } from 'vitest';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { eventIds, FETCH_ENV, FETCH_SECRET as SECRET, lines, ROOT, SAMPLE, serve, sh, startFetch, tempDir, type ShellResult, SAMPLE_CLOCK } from '../helpers';

const items = gunzipSync(readFileSync(SAMPLE)).toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const idsIn = (region: string): string[] => items.filter((i) => JSON.parse(i.CloudTrailEvent).awsRegion === region).map((i) => i.EventId).sort();

/** Runs a printed resume command again and again until it finishes; returns all stdout. */
async function runToEnd(first: { stdout: string; stderr: string; code: number | null }): Promise<{ stdout: string; runs: number }> {
  let stdout = first.stdout;
  let last = first;
  let runs = 1;
  while (last.code !== 0 && runs < 60) {
    const resume = /To resume:\n {2}(ct-fetch .*)/.exec(last.stderr);
    expect(resume, last.stderr).not.toBeNull();
    last = await sh(`${FETCH_ENV} ${resume![1]}`);
    stdout += last.stdout;
    runs++;
  }
  expect(last.code).toBe(0);
  return { stdout, runs };
}

describe('against the 2 requests/s limit', () => {
  test('a client pacing itself at the limit is never throttled and gets every event once', async () => {
    const s = await serve([...SAMPLE_CLOCK, SAMPLE]);
    try {
      const r = await sh(`${FETCH_ENV} ct-fetch --endpoint-url ${s.url} --region us-east-1`);
      expect(eventIds(r.stdout)).toEqual(idsIn('us-east-1'));
      expect((await s.stats()).throttled).toBe(0);
    } finally {
      s.stop();
    }
  }, 30000);

  test('a client asking twice as fast is throttled, backs off, and still gets every event once', async () => {
    const s = await serve([...SAMPLE_CLOCK, SAMPLE]);
    try {
      const r = await sh(`${FETCH_ENV} ct-fetch --endpoint-url ${s.url} --region eu-west-1 --rate 4 --max-attempts 20`);
      expect(r.code).toBe(0);
      expect(eventIds(r.stdout)).toEqual(idsIn('eu-west-1'));
      expect((await s.stats()).throttled).toBeGreaterThan(0);
    } finally {
      s.stop();
    }
  }, 60000);
});

describe('a flaky endpoint', () => {
  test('injected 500s, 503s and connection resets are retried with no event lost or doubled', async () => {
    const s = await serve(['--rate', '0', '--fail-rate', '0.3', '--reset-rate', '0.1', '--seed', '3', ...SAMPLE_CLOCK, SAMPLE]);
    try {
      const r = await sh(`${FETCH_ENV} ct-fetch --endpoint-url ${s.url} --region us-west-2 --rate 0 --page-size 25 --max-attempts 15`);
      expect(r.stderr).not.toContain('gave up');
      expect(eventIds(r.stdout)).toEqual(idsIn('us-west-2'));
      const stats = await s.stats();
      expect(stats.failed).toBeGreaterThan(0);
      expect(stats.reset).toBeGreaterThan(0);
    } finally {
      s.stop();
    }
  }, 60000);

  test('when retries run out, the printed command resumes exactly where it stopped', async () => {
    const s = await serve(['--rate', '0', '--fail-rate', '0.4', '--seed', '11', ...SAMPLE_CLOCK, SAMPLE]);
    try {
      const first = await sh(`${FETCH_ENV} ct-fetch --endpoint-url ${s.url} --region ap-northeast-1 --rate 0 --page-size 20 --max-attempts 1`);
      expect(first.code).toBe(1);
      expect(first.stderr).toMatch(/ct-fetch: ap-northeast-1: gave up: (InternalFailure|ServiceUnavailable)/);
      const all = await runToEnd(first);
      expect(all.runs).toBeGreaterThan(1);
      const got = eventIds(all.stdout);
      expect(got).toEqual(idsIn('ap-northeast-1'));
    } finally {
      s.stop();
    }
  }, 60000);

  test('--max-items stops calling mid-page and the resume command continues with the next event', async () => {
    const s = await serve(['--rate', '0', ...SAMPLE_CLOCK, SAMPLE]);
    try {
      const first = await sh(`${FETCH_ENV} ct-fetch --endpoint-url ${s.url} --region us-east-1 --rate 0 --max-items 70`);
      expect(lines(first.stdout)).toHaveLength(70);
      expect((await s.stats()).requests).toBe(2);
      const resume = /to go on:\n {2}(ct-fetch .*)/.exec(first.stderr)![1];
      const rest = await sh(`${FETCH_ENV} ${resume.replace('--max-items 70', '--max-items 100000')}`);
      expect(eventIds(first.stdout + rest.stdout)).toEqual(idsIn('us-east-1'));
    } finally {
      s.stop();
    }
  }, 30000);
});

describe('resuming', () => {
  const token = (body: unknown): string => `ct1:${Buffer.from(JSON.stringify(body)).toString('base64url')}`;

  test.each([['--start-time 1000d'], ['--startTime=1000d --end-time now']])(
    'a relative window (%s) is pinned in the resume command, so the tokens stay valid as time moves',
    async (window) => {
      const s = await serve(['--rate', '0', ...SAMPLE_CLOCK, SAMPLE]);
      try {
        const first = await sh(`${FETCH_ENV} ct-fetch --endpoint-url ${s.url} --region us-east-1 --rate 0 ${window} --max-items 70`);
        const resume = /to go on:\n {2}(ct-fetch .*)/.exec(first.stderr)![1];
        expect(resume).toMatch(/--start-time 20\d\d-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/);
        expect(resume).not.toMatch(/1000d|startTime|now/);
        await new Promise((res) => setTimeout(res, 20));
        const rest = await sh(`${FETCH_ENV} ${resume.replace('--max-items 70', '--max-items 100000')}`);
        expect(rest.stderr).not.toContain('InvalidNextToken');
        expect(rest.code).toBe(0);
        expect(eventIds(first.stdout + rest.stdout)).toEqual(idsIn('us-east-1'));
      } finally {
        s.stop();
      }
    },
    30000,
  );

  test.each([
    ['an empty token', "''", 'the token is empty'],
    ['a negative skip', token({ 'us-east-1': [null, -3] }), 'is damaged'],
    ['a skip past any page', token({ 'us-east-1': [null, 60] }), 'is damaged'],
    ['a position of the wrong shape', token({ 'us-east-1': [null] }), 'is damaged'],
  ])('a tampered token is refused before any call: %s', async (_, given, message) => {
    const s = await serve(['--rate', '0', ...SAMPLE_CLOCK, SAMPLE]);
    try {
      const r = await sh(`${FETCH_ENV} ct-fetch --endpoint-url ${s.url} --region us-east-1 --starting-token ${given}`);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('--starting-token: ');
      expect(r.stderr).toContain(message);
      expect((await s.stats()).requests).toBe(0);
    } finally {
      s.stop();
    }
  });

  test.each([
    ['a skip larger than the page it names', token({ 'us-east-1': [null, 45] }), 'says 45 events of this page were written, but the page has 20'],
    ['a NextToken the endpoint never gave', token({ 'us-east-1': ['bm90LWEtdG9rZW4', 0] }), 'InvalidNextTokenException'],
  ])('a token that does not fit the endpoint stops with no resume command carrying it again: %s', async (_, given, message) => {
    const s = await serve(['--rate', '0', ...SAMPLE_CLOCK, SAMPLE]);
    try {
      const r = await sh(`${FETCH_ENV} ct-fetch --endpoint-url ${s.url} --region us-east-1 --page-size 20 --starting-token ${given}`);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(message);
      expect(r.stderr).toContain('the --starting-token does not fit this command');
      expect(r.stderr).not.toContain('To resume');
    } finally {
      s.stop();
    }
  });
});

describe('a full disk', () => {
  test('stdout fails mid-line: the message says so, and after removing the cut line the resume command gets every event exactly once', async () => {
    const s = await serve(['--rate', '0', ...SAMPLE_CLOCK, SAMPLE]);
    const dir = tempDir();
    try {
      // A file size limit stands in for a full disk: writes past it fail with EFBIG (SIGXFSZ ignored).
      const first = await sh(`trap '' XFSZ; ulimit -f 100; ${FETCH_ENV} ct-fetch --endpoint-url ${s.url} --region us-east-1 --rate 0 --page-size 20 > out`, { cwd: dir });
      expect(first.code).toBe(1);
      expect(first.stderr).toMatch(/could not write to standard output: file too large \(EFBIG\); every event before is on stdout whole\. It ends in a line cut short \(\d+ bytes\)/);
      expect(first.stderr.match(/could not write/g)).toHaveLength(1);
      const resume = /to resume:\n {2}(ct-fetch .*)/.exec(first.stderr)![1];
      const rest = await sh(`sed -i '$d' out && ${FETCH_ENV} ${resume} >> out`, { cwd: dir });
      expect(rest.code).toBe(0);
      expect(eventIds(readFileSync(path.join(dir, 'out'), 'utf8'))).toEqual(idsIn('us-east-1'));
    } finally {
      s.stop();
    }
  });
});

describe('odd data from the endpoint', () => {
  test('an EventTime no calendar holds is reported with its event, written as null, and the rest goes on', async () => {
    // ct-serve refuses such an event when it loads it, so a plain endpoint sends one page holding it.
    const three = items.slice(0, 3).map((i) => ({ ...i, EventTime: Date.parse(i.EventTime) / 1000 }));
    three[1].EventTime = 1e17;
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ Events: three }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const r = await sh(`${FETCH_ENV} ct-fetch --endpoint-url ${url} --region us-east-1 --rate 0 --max-attempts 2`);
      expect(r.stderr).toContain(`ct-fetch: event ${three[1].EventId}: EventTime out of range (no calendar date); written with EventTime null`);
      expect(r.stderr).not.toContain('gave up');
      expect(lines(r.stdout).map((l) => JSON.parse(l).EventId)).toEqual(three.map((i) => i.EventId));
      expect(lines(r.stdout).map((l) => JSON.parse(l).EventTime)).toEqual([items[0].EventTime, null, items[2].EventTime]);
      expect(r.code).toBe(1);
    } finally {
      server.close();
    }
  });
});

describe('stopping early', () => {
  test('| head -1 exits quietly and makes no further calls', async () => {
    const s = await serve(['--rate', '0', ...SAMPLE_CLOCK, SAMPLE]);
    try {
      const r = await sh(`${FETCH_ENV} ct-fetch --endpoint-url ${s.url} --region us-east-1 --rate 0 2>/dev/null | head -1`);
      expect(lines(r.stdout)).toHaveLength(1);
      await new Promise((res) => setTimeout(res, 500));
      expect((await s.stats()).requests).toBe(1);
    } finally {
      s.stop();
    }
  });

  test('Ctrl-C leaves what was fetched on stdout and prints the command that resumes', async () => {
    const s = await serve(['--rate', '0', '--delay', '300', ...SAMPLE_CLOCK, SAMPLE]);
    try {
      const run = startFetch(['--endpoint-url', s.url, '--region', 'eu-west-1', '--rate', '0', '--page-size', '30']);
      await new Promise((res) => setTimeout(res, 1500));
      run.child.kill('SIGINT');
      expect(await run.done).toBe(130);
      const [stdout, stderr] = [run.stdout(), run.stderr()];
      expect(stderr).toContain('ct-fetch: interrupted; what was fetched is on stdout. To resume:');
      expect(lines(stdout).length).toBeGreaterThan(0);
      const all = await runToEnd({ stdout, stderr, code: 1 });
      expect(eventIds(all.stdout)).toEqual(idsIn('eu-west-1'));
    } finally {
      s.stop();
    }
  }, 60000);

  test.each([
    ['SIGTERM', 143, 'stopped by SIGTERM'],
    ['SIGHUP', 129, 'stopped by SIGHUP'],
  ] as const)('%s (timeout, a closed terminal) stops like Ctrl-C: the resume command, exit %i, every event once after resuming', async (name, status, told) => {
    const s = await serve(['--rate', '0', '--delay', '300', ...SAMPLE_CLOCK, SAMPLE]);
    try {
      const run = startFetch(['--endpoint-url', s.url, '--region', 'eu-west-1', '--rate', '0', '--page-size', '30']);
      await new Promise((res) => setTimeout(res, 1500));
      run.child.kill(name);
      expect(await run.done).toBe(status);
      expect(run.stderr()).toContain(`ct-fetch: ${told}; what was fetched is on stdout. To resume:`);
      const all = await runToEnd({ stdout: run.stdout(), stderr: run.stderr(), code: 1 });
      expect(eventIds(all.stdout)).toEqual(idsIn('eu-west-1'));
    } finally {
      s.stop();
    }
  }, 60000);

  test('Ctrl-C during a retry backoff stops at once, not after the sleep', async () => {
    const s = await serve(['--rate', '0', '--fail-rate', '1', ...SAMPLE_CLOCK, SAMPLE]);
    try {
      const run = startFetch(['--endpoint-url', s.url, '--region', 'eu-west-1', '--rate', '0', '--max-attempts', '40']);
      // After the 6th failure the backoff is drawn from 0 to 16 s.
      while ((await s.stats()).failed < 6) await new Promise((res) => setTimeout(res, 50));
      const failedBefore = (await s.stats()).failed;
      const sent = Date.now();
      run.child.kill('SIGINT');
      expect(await run.done).toBe(130);
      // Not a speed target: the bound is far above an exit's cost and far below the backoffs.
      expect(Date.now() - sent).toBeLessThan(3000);
      expect((await s.stats()).failed).toBeLessThanOrEqual(failedBefore + 1);
      expect(run.stderr()).toContain('ct-fetch: interrupted; what was fetched is on stdout. To resume:');
    } finally {
      s.stop();
    }
  }, 60000);

  test('a second Ctrl-C while something will not stop (a credential process that hangs) ends the run at once, with the resume command', async () => {
    const s = await serve(['--rate', '0', ...SAMPLE_CLOCK, SAMPLE]);
    const home = tempDir();
    mkdirSync(path.join(home, '.aws'));
    writeFileSync(path.join(home, '.aws/config'), `[profile slow]\ncredential_process = sleep 7\n`);
    try {
      const child = spawn(path.join(ROOT, 'dist/bin/ct-fetch.js'), ['--profile', 'slow', '--endpoint-url', s.url, '--region', 'eu-west-1'], {
        env: { PATH: process.env.PATH, HOME: home, AWS_EC2_METADATA_DISABLED: 'true' },
      });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      let ended = false;
      const done = new Promise<number | null>((res) => child.on('close', (code) => ((ended = true), res(code))));
      await new Promise((res) => setTimeout(res, 1000));
      child.kill('SIGINT');
      await new Promise((res) => setTimeout(res, 1000));
      expect(ended).toBe(false); // the SDK waits for the credential process
      child.kill('SIGINT');
      expect(await done).toBe(130);
      expect(stderr).toContain('ct-fetch: SIGINT again: stopped at once; what was fetched is on stdout. To resume:\n  ct-fetch --profile slow');
      expect((await s.stats()).requests).toBe(0);
    } finally {
      s.stop();
    }
  }, 30000);

  test('Ctrl-C on `ct-fetch | ct-where > out`, then the resume command until done: every event exactly once, 20 times over', async () => {
    const s = await serve(['--rate', '0', '--delay', '15', ...SAMPLE_CLOCK, SAMPLE]);
    const fetch = `${FETCH_ENV} ${ROOT}/dist/bin/ct-fetch.js --endpoint-url ${s.url} --region eu-west-1 --rate 0 --page-size 20`;
    const where = `${ROOT}/dist/bin/ct-where.js 'eventName exists'`;
    let seed = 7;
    const nextDelay = (): number => 250 + ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % 700);
    /** One run: the pipeline, Ctrl-C to its whole process group (as a terminal sends it), then resumes. */
    const once = async (delay: number): Promise<{ ids: string[]; resumes: number }> => {
      const dir = tempDir();
      // The shell waits for the pipeline (its trap is a handler, which its children do not inherit).
      const group = spawn('sh', ['-c', `trap : INT; { trap : INT; ${fetch} 2>err; echo $? > status; } | ${where} > out; wait`], { cwd: dir, detached: true, stdio: 'ignore' });
      const closed = new Promise((res) => group.on('close', res));
      await new Promise((res) => setTimeout(res, delay));
      try {
        process.kill(-group.pid!, 'SIGINT');
      } catch (err) {
        // The pipeline finished before the moment came: nothing to interrupt, all must be there.
        if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
      }
      await closed;
      let resumes = 0;
      for (;;) {
        const status = readFileSync(path.join(dir, 'status'), 'utf8').trim();
        if (status === '0') break;
        const resume = /To resume:\n {2}(ct-fetch .*)/.exec(readFileSync(path.join(dir, 'err'), 'utf8'));
        // Ctrl-C while node was still starting: ct-fetch ended before any call, nothing to resume.
        if (!resume) expect([status, readFileSync(path.join(dir, 'out'), 'utf8')]).toEqual(['130', '']);
        const again = resume ? `${FETCH_ENV} ${resume[1]}` : fetch;
        await sh(`{ ${again} 2>err; echo $? > status; } | ${where} >> out`, { cwd: dir });
        if (++resumes > 5) throw new Error('no end of resuming');
      }
      return { ids: eventIds(readFileSync(path.join(dir, 'out'), 'utf8')), resumes };
    };
    try {
      const delays = Array.from({ length: 20 }, nextDelay);
      const results: { ids: string[]; resumes: number }[] = [];
      for (let i = 0; i < delays.length; i += 4) results.push(...(await Promise.all(delays.slice(i, i + 4).map(once))));
      for (const r of results) expect(r.ids).toEqual(idsIn('eu-west-1'));
      // Most runs are cut mid-way (a fast machine may finish a few before their moment).
      expect(results.filter((r) => r.resumes > 0).length).toBeGreaterThanOrEqual(5);
    } finally {
      s.stop();
    }
  }, 180000);

  test('Ctrl-C on a whole pipeline (as a terminal sends it) still prints the resume command', async () => {
    const s = await serve(['--rate', '0', '--delay', '300', ...SAMPLE_CLOCK, SAMPLE]);
    const dir = tempDir();
    try {
      const pipeline = `${FETCH_ENV} ${ROOT}/dist/bin/ct-fetch.js --endpoint-url ${s.url} --region eu-west-1 --rate 0 --page-size 30 2>err | ${ROOT}/dist/bin/ct-where.js 'eventName exists' > out`;
      const group = spawn('sh', ['-c', pipeline], { cwd: dir, detached: true, stdio: 'ignore' });
      await new Promise((res) => setTimeout(res, 1500));
      process.kill(-group.pid!, 'SIGINT');
      await new Promise((res) => group.on('close', res));
      const err = readFileSync(path.join(dir, 'err'), 'utf8');
      expect(err).toContain('ct-fetch: interrupted; what was fetched is on stdout. To resume:');
    } finally {
      s.stop();
    }
  }, 30000);
});

describe('times as the AWS CLI takes them', () => {
  test('--start-time "07/22/2024, 13:16" and --end-time "2024-07-23, 01:16 PM" are local times (TZ=Asia/Tokyo here)', async () => {
    const s = await serve(['--rate', '0', ...SAMPLE_CLOCK, SAMPLE]);
    try {
      const r = await sh(`TZ=Asia/Tokyo ${FETCH_ENV} ct-fetch --endpoint-url ${s.url} --region us-east-1 --rate 0 --start-time '07/22/2024, 13:16' --end-time '2024-07-23, 01:16 PM'`);
      expect(r.stderr).toContain('ct-fetch: time window (UTC): 2024-07-22T04:16:00Z to 2024-07-23T04:16:00Z; Region us-east-1');
      expect(r.code).toBe(0);
    } finally {
      s.stop();
    }
  });
});

describe('checks before any call', () => {
  const cases: [string, string][] = [
    ['-a EventSorce=ec2.amazonaws.com', "unknown key 'EventSorce'; did you mean EventSource?"],
    ['-a EventName=A -a Username=b', 'LookupEvents takes one lookup attribute per call'],
    ['-a ReadOnly=yes', "ReadOnly takes true or false, not 'yes'"],
    ['-a Username=', 'Username needs a value'],
    [`-a 'Username=${'a_'.repeat(700)}'`, 'counts 2100 of at most 2000 characters'],
    ['--event-category insight -a Username=x', 'look up Insights events by EventId, EventName, EventSource only'],
    ['--event-category Insight', "the only category is 'insight'"],
    ['--start-time 2024-07-23 --end-time 2024-07-22', 'is after --end-time'],
    ['--start-time yesterday', "cannot read 'yesterday' as a time"],
    ['--page-size 51', '--page-size: 1 to 50'],
    ['--starting-token ct1:!!!', '--starting-token: the token is damaged'],
  ];
  test.each(cases)('%s', async (args, message) => {
    const s = await serve(['--rate', '0', ...SAMPLE_CLOCK, SAMPLE]);
    try {
      const r = await sh(`${FETCH_ENV} ct-fetch --endpoint-url ${s.url} --region us-east-1 ${args}`);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(message);
      expect((await s.stats()).requests).toBe(0);
    } finally {
      s.stop();
    }
  });

  test('warnings never block: a case slip is corrected, an unknown source and an old start are flagged', async () => {
    const s = await serve(['--rate', '0', ...SAMPLE_CLOCK, SAMPLE]);
    try {
      const r = await sh(`${FETCH_ENV} ct-fetch --endpoint-url ${s.url} --region us-east-1 -a eventname=SwitchRole --start-time 2024-07-01`);
      expect(r.stderr).toContain("ct-fetch: note: attribute key 'eventname' read as 'EventName' (keys are case-sensitive)");
      expect(r.stderr).toContain('is more than 90 days ago');
      expect(lines(r.stdout).length).toBeGreaterThan(0);
      const typo = await sh(`${FETCH_ENV} ct-fetch --endpoint-url ${s.url} --region us-east-1 -a EventSource=s3`);
      expect(typo.stderr).toContain("did you mean 's3.amazonaws.com'?");
      expect(typo.code).toBe(0);
    } finally {
      s.stop();
    }
  });
});

describe('long values', () => {
  test('an unknown 1,999-character EventName is flagged in one short line and the lookup goes ahead', async () => {
    const s = await serve(['--rate', '0', ...SAMPLE_CLOCK, SAMPLE]);
    try {
      const value = 'CreateUser'.repeat(200).slice(0, 1999);
      const r = await sh(`${FETCH_ENV} ct-fetch --endpoint-url ${s.url} --region us-east-1 -a EventName=${value}`);
      expect(r.stderr).toContain(`ct-fetch: warning: EventName '${value.slice(0, 60)}...' (1999 characters) is not in the catalogue`);
      expect(r.stderr).not.toContain(value.slice(0, 100));
      expect(r.code).toBe(0);
      expect((await s.stats()).requests).toBe(1);
    } finally {
      s.stop();
    }
  });
});

describe('credentials and permissions', () => {
  test('no credentials anywhere: one clear line, exit 1', async () => {
    const s = await serve(['--rate', '0', ...SAMPLE_CLOCK, SAMPLE]);
    try {
      const home = tempDir();
      const r = await sh(`env -i PATH="$PATH" HOME=${home} AWS_EC2_METADATA_DISABLED=true ct-fetch --endpoint-url ${s.url} --region us-east-1`);
      expect(r.code).toBe(1);
      expect(lines(r.stderr).at(-1)).toBe(
        "ct-fetch: no AWS credentials found (environment, ~/.aws profiles, SSO, instance role): run 'aws configure' or 'aws sso login', or pass --profile",
      );
    } finally {
      s.stop();
    }
  });

  test('AccessDenied on cloudtrail:LookupEvents: one clear line, and no secret or signature anywhere, even when debugging', async () => {
    const s = await serve(['--rate', '0', '--deny', ...SAMPLE_CLOCK, SAMPLE]);
    try {
      const r = await sh(`CTPIPE_DEBUG=1 ${FETCH_ENV} ct-fetch --endpoint-url ${s.url} --region us-east-1`);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('ct-fetch: us-east-1: access denied: these credentials may not call cloudtrail:LookupEvents');
      for (const text of [r.stdout, r.stderr]) {
        expect(text).not.toContain(SECRET);
        expect(text).not.toContain('Signature=');
        expect(text).not.toContain('AKIDEXAMPLE');
      }
    } finally {
      s.stop();
    }
  });

  test('no Region anywhere: a usage error that says where to set one', async () => {
    const home = tempDir();
    const r = await sh(`env -i PATH="$PATH" HOME=${home} AWS_ACCESS_KEY_ID=a AWS_SECRET_ACCESS_KEY=b ct-fetch --endpoint-url http://127.0.0.1:9`);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('ct-fetch: no Region: pass --region (or set AWS_REGION, or a region in your profile)');
  });

  test('an unknown --profile is a usage error naming the profiles there are, before any call, and keys in the environment raise no SDK warning', async () => {
    const s = await serve(['--rate', '0', ...SAMPLE_CLOCK, SAMPLE]);
    try {
      const home = tempDir();
      const setup = `mkdir -p ${home}/.aws && printf '[audit]\\naws_access_key_id = AKIDPROFILE\\naws_secret_access_key = ${SECRET}\\n' > ${home}/.aws/credentials`;
      const run = (profile: string): Promise<ShellResult> =>
        sh(`${setup}; env -i PATH="$PATH" HOME=${home} AWS_EC2_METADATA_DISABLED=true AWS_ACCESS_KEY_ID=AKIDENV AWS_SECRET_ACCESS_KEY=x ct-fetch --profile ${profile} --endpoint-url ${s.url} --region us-east-1 -a EventName=SwitchRole`);
      const typo = await run('audti');
      expect(typo.stderr).toBe(
        "ct-fetch: --profile: no profile 'audti' in ~/.aws/config or ~/.aws/credentials; did you mean audit? Profiles: audit\n",
      );
      expect(typo.code).toBe(2);
      expect((await s.stats()).requests).toBe(0);
      const right = await run('audit');
      expect(right.code).toBe(0);
      expect(right.stderr).not.toContain('WARNING');
      expect(right.stderr.trim().split('\n')).toHaveLength(1);
    } finally {
      s.stop();
    }
  });

  test('an endpoint URL that is no URL is a usage error before any call', async () => {
    const r = await sh(`${FETCH_ENV} ct-fetch --region us-east-1 --endpoint-url 'htp//127.0.0.1 8080'`);
    expect(r.stderr).toContain("ct-fetch: --endpoint-url: 'htp//127.0.0.1 8080' is not an http(s) URL");
    expect(r.code).toBe(2);
  });

  test('an HTML page from a proxy is told as such, not as access denied', async () => {
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(403, { 'content-type': 'text/html' });
        res.end('<html><body><h1>403 Forbidden</h1>Blocked by proxy</body></html>');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const r = await sh(`${FETCH_ENV} ct-fetch --endpoint-url ${url} --region us-east-1 --max-attempts 1`);
      expect(r.stderr).toContain(`ct-fetch: us-east-1: ${url} answered HTTP 403 with something that is not an AWS answer (a proxy, firewall or captive portal in the way`);
      expect(r.stderr).not.toMatch(/access denied|Unexpected token/);
      expect(r.code).toBe(1);
    } finally {
      server.close();
    }
  });

  test('a refused connection: what is being retried is said at once, then that it gave up', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    server.close();
    const r = await sh(`${FETCH_ENV} ct-fetch --endpoint-url ${url} --region us-east-1 --max-attempts 3`);
    expect(lines(r.stderr).slice(1)).toEqual([
      `ct-fetch: us-east-1: cannot reach ${url} (ECONNREFUSED); trying again (up to 3 tries, --max-attempts), attempt 2`,
      `ct-fetch: us-east-1: cannot reach ${url} (ECONNREFUSED); gave up after the retries`,
    ]);
    expect(r.code).toBe(1);
  });

  test('--profile reads the named profile', async () => {
    const s = await serve(['--rate', '0', ...SAMPLE_CLOCK, SAMPLE]);
    try {
      const home = tempDir();
      const setup = `mkdir -p ${home}/.aws && printf '[audit]\\naws_access_key_id = AKIDPROFILE\\naws_secret_access_key = ${SECRET}\\n' > ${home}/.aws/credentials`;
      const r = await sh(`${setup}; env -i PATH="$PATH" HOME=${home} AWS_EC2_METADATA_DISABLED=true ct-fetch --profile audit --endpoint-url ${s.url} --region us-east-1 -a EventName=SwitchRole`);
      expect(r.code).toBe(0);
      expect(lines(r.stdout).length).toBeGreaterThan(0);
    } finally {
      s.stop();
    }
  });
});
