// ct-fetch --where (issue 17) the way a user runs it: the built bin, the real AWS SDK, ct-serve's
// wire protocol, calls counted by ct-serve's stats. Its answer must be what fetching everything
// and piping it through ct-where gives, with fewer calls when the API can narrow the question.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CORPUS, FETCH_ENV, lines, ROOT, SAMPLE, serve, sh, startFetch, tempDir, type Served } from '../helpers';

const dir = tempDir();
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-northeast-1'];
const fetchAt = (s: Served, args: string, rate = 0): string => `${FETCH_ENV} ct-fetch --endpoint-url ${s.url} --rate ${rate} ${args}`;
const q = (text: string): string => `'${text.replace(/'/g, "'\\''")}'`;
const ids = (ndjson: string): string[] => lines(ndjson).map((l) => JSON.parse(l).EventId as string).sort();

/** Calls ct-serve answered while `run` ran. */
/**
 * The calls `run` made that were answered: one throttled (the paced client can still burst when
 * the machine is loaded, as with the whole suite on two cores) is retried, and counts once.
 */
async function counted<T>(s: Served, run: () => Promise<T>): Promise<{ result: T; calls: number }> {
  const before = await s.stats();
  const result = await run();
  const after = await s.stats();
  return { result, calls: after.requests - after.throttled - (before.requests - before.throttled) };
}

describe('the same events as a full fetch piped through ct-where, never more calls', () => {
  let s: Served;
  let full = '';
  let fullCalls = 0;
  let newest = 0;
  beforeAll(async () => {
    // 8,000 generated events in 4 Regions (scripts/lib/synth.mjs, as the bench makes them).
    const data = path.join(dir, 'events.ndjson');
    writeFileSync(data, execFileSync('node', ['--input-type=module', '-e', `import { lookupLines } from ${JSON.stringify(path.join(ROOT, 'scripts/lib/synth.mjs'))}; process.stdout.write([...lookupLines(17, 8000)].join(''));`], { maxBuffer: 1 << 30 }));
    s = await serve(['--rate', '0', '--shift', data]);
    const r = await counted(s, () => sh(`${fetchAt(s, `--region ${REGIONS.join(',')}`)} > ${dir}/full.ndjson`));
    expect(r.result.code).toBe(0);
    fullCalls = r.calls;
    full = path.join(dir, 'full.ndjson');
    newest = Math.max(...lines(readFileSync(full, 'utf8')).slice(0, 50).map((l) => Date.parse(JSON.parse(l).EventTime as string)));
  }, 120000);
  afterAll(() => s?.stop());

  test('random expressions (fast-check): same EventIds, each once; fewer calls whenever a lookup attribute narrows every part', async () => {
    const items = lines(readFileSync(full, 'utf8')).map((l) => JSON.parse(l) as Record<string, string>);
    const valuesOf = (key: string): string[] => [...new Set(items.map((i) => i[key]).filter((v) => typeof v === 'string'))].slice(0, 10);
    const pick = <T,>(list: readonly T[]): fc.Arbitrary<T> => fc.constantFrom(...list);
    // Absolute times, so ct-fetch and ct-where read them alike.
    const at = (hours: number): string => new Date(newest - hours * 3_600_000).toISOString();
    const atom = fc.oneof(
      pick(valuesOf('EventName')).map((v) => `eventName=${v}`),
      fc.array(pick(valuesOf('EventName')), { minLength: 2, maxLength: 3 }).map((vs) => `EventName in (${vs.join(', ')})`),
      pick(valuesOf('EventSource')).map((v) => `eventSource=${v}`),
      pick(['true', 'false']).map((v) => `readOnly=${v}`),
      pick(valuesOf('Username')).map((v) => `Username="${v}"`),
      pick(valuesOf('AccessKeyId')).map((v) => `userIdentity.accessKeyId=${v}`),
      pick(['AWS::S3::Bucket', 'AWS::IAM::Role', 'AWS::KMS::Key', 'AWS::EC2::Instance']).map((v) => `Resources[].ResourceType=${v}`),
      pick(REGIONS).map((v) => `awsRegion=${v}`),
      fc.integer({ min: 1, max: 80 }).map((h) => `eventTime >= ${at(h)}`),
      fc.integer({ min: 1, max: 80 }).map((h) => `eventTime < ${at(h)}`),
      pick(['errorCode exists', 'errorCode~Denied', 'sourceIPAddress in 203.0.113.0/24', 'eventCategory=Management', 'userIdentity.type=Root']),
    );
    const expression = fc.letrec<{ e: string }>((tie) => ({
      e: fc.oneof(
        { depthSize: 'small' },
        atom,
        fc.tuple(tie('e'), pick(['and', 'or']), tie('e')).map(([a, op, b]) => `(${a} ${op} ${b})`),
        tie('e').map((a) => `not ${a}`),
      ),
    })).e;
    let narrowed = 0;
    await fc.assert(
      fc.asyncProperty(expression, async (text) => {
        const want = await sh(`ct-where ${q(text)} ${full}`);
        const got = await counted(s, () => sh(fetchAt(s, `--region ${REGIONS.join(',')} --where ${q(text)}`)));
        expect(got.result.code, got.result.stderr).toBe(0);
        const gotIds = ids(got.result.stdout);
        expect(new Set(gotIds).size, 'an event written twice').toBe(gotIds.length);
        expect(gotIds, text).toEqual(ids(want.stdout));
        expect(got.calls, text).toBeLessThanOrEqual(fullCalls);
        if (!got.result.stderr.includes('no lookup attribute narrows')) {
          narrowed++;
          expect(got.calls, text).toBeLessThan(fullCalls);
        }
      }),
      { numRuns: 40 },
    );
    expect(narrowed).toBeGreaterThan(5);
  }, 600000);
});

describe("the seed's questions at the real limit (2 calls/s per Region)", () => {
  let s: Served;
  let fullCalls = 0;
  let fullSeconds = 0;
  const full = path.join(dir, 'sample-full.ndjson');
  beforeAll(async () => {
    s = await serve(['--shift', SAMPLE]);
    const started = Date.now();
    const r = await counted(s, () => sh(`${fetchAt(s, `--region ${REGIONS.join(',')}`, 2)} > ${full}`));
    fullSeconds = (Date.now() - started) / 1000;
    expect(r.result.code).toBe(0);
    expect((await s.stats()).throttled).toBe(0);
    fullCalls = r.calls;
  }, 120000);
  afterAll(() => s?.stop());

  const questions: [string, string, string, boolean][] = [
    ['errorCode contains Denied, last 2 hours, EC2', '--start-time 2h', 'eventSource=ec2.amazonaws.com and errorCode~Denied', true],
    ['one source address', '', 'sourceIPAddress=203.0.113.7', false],
    ['a user AND an address', '', 'Username=alice and sourceIPAddress in 203.0.113.0/24', true],
    ['failed SwitchRole', '', 'eventName=SwitchRole and responseElements.SwitchRole=Failure', true],
    ['failed console logins', '', 'eventName=ConsoleLogin and responseElements.ConsoleLogin=Failure', true],
  ];
  test.each(questions)('%s: one command, the same events, its calls and seconds against the full fetch', async (_, window, expression, pushable) => {
    const started = Date.now();
    const got = await counted(s, () => sh(fetchAt(s, `--region ${REGIONS.join(',')} ${window} --where ${q(expression)}`, 2)));
    const seconds = (Date.now() - started) / 1000;
    expect(got.result.code, got.result.stderr).toBe(0);
    // The full fetch filtered by the same expression, in the same window.
    const start = /time window \(UTC\): (.+?) to now/.exec(got.result.stderr)![1];
    const bound = start === 'the start of event history' ? '' : ` and eventTime >= ${start}`;
    const want = await sh(`ct-where ${q(`(${expression})${bound}`)} ${full}`);
    expect(ids(got.result.stdout)).toEqual(ids(want.stdout));
    expect(ids(got.result.stdout).length).toBeGreaterThan(0);
    console.log(`${expression}: ${got.calls} calls, ${seconds.toFixed(1)} s; full fetch ${fullCalls} calls, ${fullSeconds.toFixed(1)} s`);
    if (pushable) expect(got.calls).toBeLessThanOrEqual(Math.ceil(fullCalls / 5));
    else {
      expect(got.calls).toBe(fullCalls);
      expect(got.result.stderr).toContain('no lookup attribute narrows');
    }
  }, 120000);
});

describe('a failing or throttling endpoint', () => {
  test.each([
    ['5xx answers and dropped connections', ['--fail-rate', '0.3', '--reset-rate', '0.1', '--rate', '0'], '--rate 0'],
    ['throttling (the client asks 10/s of a 2/s endpoint)', [], '--rate 10'],
  ])('%s: every lookup retries, the same events come out once', async (_, serveArgs, rate) => {
    const flaky = await serve([...serveArgs, '--shift', SAMPLE]);
    const steady = await serve(['--rate', '0', '--shift', SAMPLE]);
    try {
      const expression = q('eventName in (ConsoleLogin, SwitchRole, CreateUser) or Username=bob');
      const want = await sh(fetchAt(steady, `--region us-east-1,eu-west-1 --where ${expression}`));
      const got = await sh(`${FETCH_ENV} ct-fetch --endpoint-url ${flaky.url} ${rate} --max-attempts 20 --region us-east-1,eu-west-1 --where ${expression}`);
      expect(got.code, got.stderr).toBe(0);
      expect(ids(got.stdout)).toEqual(ids(want.stdout));
      expect(new Set(ids(got.stdout)).size).toBe(lines(got.stdout).length);
      const stats = await flaky.stats();
      expect(stats.failed + stats.reset + stats.throttled).toBeGreaterThan(0);
    } finally {
      flaky.stop();
      steady.stop();
    }
  }, 120000);
});

describe('--explain, --verbose, notices', () => {
  let s: Served;
  beforeAll(async () => {
    s = await serve(['--rate', '0', '--shift', SAMPLE]);
  });
  afterAll(() => s?.stop());

  test('--explain prints the plan and makes no call', async () => {
    const r = await counted(s, () => sh(fetchAt(s, `--region eu-west-1 --start-time 2h --explain --where ${q('eventSource=ec2.amazonaws.com and eventName in (RunInstances, TerminateInstances) and errorCode exists')}`)));
    expect(r.calls).toBe(0);
    expect(r.result.code).toBe(0);
    const out = r.result.stdout;
    expect(out).toMatch(/^2 lookups in Region eu-west-1/);
    expect(out).toMatch(/1\. EventName=RunInstances, \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z to now/);
    expect(out).toMatch(/2\. EventName=TerminateInstances, /);
    expect(out).toContain('why: eventName=RunInstances -> EventName=RunInstances: the narrowest (~1% of events) of EventSource ~36%, EventName ~1%');
    // The lookup answers `eventName in (...)` by itself; the rest is left for the client.
    expect(out).toContain('left for the client: eventSource=ec2.amazonaws.com and errorCode exists');
    expect(out).toContain('checked against the whole expression, as ct-where checks it');
  });

  test('--verbose: the same plan on stderr at the start of a real run; a global service notice', async () => {
    const plan = await sh(fetchAt(s, `--region eu-west-1 --explain --where ${q('eventSource=iam.amazonaws.com and errorCode exists')}`));
    const r = await sh(fetchAt(s, `--region eu-west-1 --verbose --where ${q('eventSource=iam.amazonaws.com and errorCode exists')}`));
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`ct-fetch: plan:\n${plan.stdout.trimEnd()}`);
    expect(r.stderr).toContain("iam.amazonaws.com is recorded in us-east-1's event history only: looked up there, whatever --region says");
    expect(lines(r.stdout).length).toBeGreaterThan(0);
    expect(lines(r.stdout).every((l) => JSON.parse(l).EventSource === 'iam.amazonaws.com')).toBe(true);
  });

  test('an expression error shows the caret, exit 2; -a with --where, --explain without it: usage errors', async () => {
    const bad = await sh(fetchAt(s, `--region eu-west-1 --where ${q('eventName=X and (')}`));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/expression error at position 18: .*\n {2}eventName=X and \(\n {19}\^/);
    const both = await sh(fetchAt(s, `--region eu-west-1 -a EventName=X --where ${q('readOnly=true')}`));
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('write the attribute into the expression');
    const alone = await sh(fetchAt(s, '--region eu-west-1 --explain'));
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('--explain goes with --where EXPRESSION');
  });

  test('a field no event has gets did-you-mean, as in ct-where', async () => {
    const r = await sh(fetchAt(s, `--region eu-west-1 --explain --where ${q('eventNme=RunInstances')}`));
    const where = await sh(`ct-where ${q('eventNme=RunInstances')} < /dev/null`);
    const warning = where.stderr.split('\n').find((l) => l.includes('eventNme'))!;
    expect(warning).toMatch(/did you mean .*'eventName'/);
    expect(r.stderr).toContain(warning.replace('ct-where:', 'ct-fetch:'));
  });

  test('awsRegion gives the Regions when --region does not', async () => {
    const r = await sh(`env -u AWS_REGION -u AWS_DEFAULT_REGION ${fetchAt(s, `--explain --where ${q('awsRegion in (eu-west-1, ap-northeast-1) and readOnly=false')}`)}`);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^2 lookups in 2 Regions \(Regions asked: eu-west-1, ap-northeast-1\)/);
  });
});

describe('--max-items, resume, a reader that goes away', () => {
  let s: Served;
  beforeAll(async () => {
    s = await serve(['--rate', '0', '--shift', SAMPLE]);
  });
  afterAll(() => s?.stop());

  test('--max-items counts written events; resuming again and again gives every event once, relative times pinned', async () => {
    const expression = 'eventName in (ConsoleLogin, SwitchRole) and eventTime >= -3d';
    const base = `--region us-east-1,eu-west-1 --where ${q(expression)}`;
    const whole = await sh(fetchAt(s, base));
    let out = '';
    let r = await sh(fetchAt(s, `${base} --max-items 25`));
    let rounds = 0;
    for (;;) {
      expect(r.code, r.stderr).toBe(0);
      expect(lines(r.stdout).length).toBeLessThanOrEqual(25);
      out += r.stdout;
      const next = /to go on:\n {2}(.*)/.exec(r.stderr)?.[1];
      if (!next) break;
      expect(next).toContain('--starting-token ct1:');
      rounds++;
      r = await sh(`${FETCH_ENV} ${next}`);
    }
    expect(rounds).toBeGreaterThan(3);
    expect(ids(out)).toEqual(ids(whole.stdout));
    expect(new Set(ids(out)).size).toBe(lines(out).length);
  }, 120000);

  test('Ctrl-C in the middle of several lookups: exit 130, the resume command; resuming gives every event once', async () => {
    const slow = await serve(['--rate', '0', '--delay', '300', '--shift', SAMPLE]);
    try {
      const whole = await sh(fetchAt(slow, `--region eu-west-1 --where ${q('readOnly=false or eventName=ConsoleLogin')}`));
      const run = startFetch(['--endpoint-url', slow.url, '--region', 'eu-west-1', '--rate', '0', '--page-size', '10', '--where', 'readOnly=false or eventName=ConsoleLogin']);
      await new Promise((res) => setTimeout(res, 1500));
      run.child.kill('SIGINT');
      expect(await run.done).toBe(130);
      const [stdout, stderr] = [run.stdout(), run.stderr()];
      expect(stderr).toContain('ct-fetch: interrupted; what was fetched is on stdout. To resume:');
      expect(lines(stdout).length).toBeGreaterThan(0);
      let out = stdout;
      let next = /To resume:\n {2}(.*)/.exec(stderr)?.[1];
      expect(next).toContain("--where 'readOnly=false or eventName=ConsoleLogin'");
      const r = await sh(`${FETCH_ENV} ${next}`);
      expect(r.code, r.stderr).toBe(0);
      out += r.stdout;
      next = /To resume:\n {2}(.*)/.exec(r.stderr)?.[1];
      expect(next).toBeUndefined();
      expect(ids(out)).toEqual(ids(whole.stdout));
      expect(new Set(ids(out)).size).toBe(lines(out).length);
    } finally {
      slow.stop();
    }
  }, 120000);

  test('| head -1 ends quietly and makes no further calls', async () => {
    const r = await counted(s, () => sh(`${fetchAt(s, `--region us-east-1,eu-west-1 --where ${q('readOnly=true or eventName=ConsoleLogin')}`)} | head -1`));
    expect(r.result.code).toBe(0);
    expect(lines(r.result.stdout)).toHaveLength(1);
    expect(r.result.stderr).not.toMatch(/error|EPIPE|resume/i);
    const after = (await s.stats()).requests;
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await s.stats()).requests).toBe(after);
    expect(r.calls).toBeLessThan(10);
  });
});

describe('an empty answer explains itself', () => {
  let s: Served;
  beforeAll(async () => {
    s = await serve(['--rate', '0', '--shift', SAMPLE]);
  });
  afterAll(() => s?.stop());

  test('each lookup says what it returned and which term removed it', async () => {
    const r = await sh(fetchAt(s, `--region us-east-1 --where ${q('eventName=ConsoleLogin and responseElements.ConsoleLogin=Failur')}`));
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const returned = (await sh(fetchAt(s, '--region us-east-1 -a EventName=ConsoleLogin'))).stdout;
    expect(r.stderr).toContain(
      `no event matched. What was checked:\n  us-east-1 EventName=ConsoleLogin, all of event history (90 days): returned ${lines(returned).length} events; none of those had responseElements.ConsoleLogin=Failur`,
    );
    const chain = await sh(fetchAt(s, `--region us-east-1 --where ${q('eventName=ConsoleLogin and userIdentity.type=Root and sourceIPAddress=192.0.2.1')}`));
    const roots = lines(returned).filter((l) => JSON.parse(JSON.parse(l).CloudTrailEvent).userIdentity.type === 'Root').length;
    expect(chain.stderr).toContain(`; ${roots} of those had userIdentity.type=Root; none of those had sourceIPAddress=192.0.2.1`);
  });

  test('a question no event can match in the window asked: no call, and it says why', async () => {
    const r = await counted(s, () => sh(fetchAt(s, `--region us-east-1 --start-time 2h --where ${q('eventName=ConsoleLogin and eventTime < -3h')}`)));
    expect(r.calls).toBe(0);
    expect(r.result.code).toBe(0);
    expect(r.result.stderr).toContain('no lookup was made: no event can match in the window and Regions asked');
    expect(r.result.stderr).toContain('left out: eventTime<-3h: outside the window asked; no lookup');
  });

  test('a value the catalogue does not know, or knows in another case: did-you-mean', async () => {
    const r = await sh(fetchAt(s, `--region us-east-1 --where ${q('eventName=consoleLogin')}`));
    expect(r.stderr).toContain('us-east-1 EventName=consoleLogin, all of event history (90 days): returned no events');
    expect(r.stderr).toMatch(/ {2}eventName=consoleLogin: EventName 'consoleLogin' is not in the catalogue \(matching is exact and case-sensitive\); did you mean 'ConsoleLogin'/);
  });

  test('a global service asked in another Region by awsRegion', async () => {
    const r = await sh(fetchAt(s, `--region eu-west-1 --where ${q('awsRegion=eu-west-1 and eventSource=iam.amazonaws.com')}`));
    expect(r.stderr).toContain("eventSource=iam.amazonaws.com: a global service, recorded in us-east-1's event history with awsRegion us-east-1, and awsRegion=eu-west-1 asks for another Region");
  });

  test('a window beyond 90 days, a window of the last minutes, data events, Insights not asked for', async () => {
    const old = await sh(fetchAt(s, `--region us-east-1 --start-time 200d --end-time 120d --where ${q('eventName=RunInstances')}`));
    expect(old.stderr).toMatch(/the window \(.*\) is all more than 90 days ago: event history keeps 90 days/);
    const recent = await sh(fetchAt(s, `--region us-east-1 --start-time 2m --where ${q('eventName=ConsoleLogin and sourceIPAddress=192.0.2.1')}`));
    expect(recent.stderr).toContain('the window ends in the last 5 minutes: an event reaches event history about 5 minutes after the call');
    const data = await sh(fetchAt(s, `--region us-east-1 --where ${q('eventSource=s3.amazonaws.com and eventName=GetObject')}`));
    expect(data.stderr).toContain('eventName=GetObject: GetObject is a data event of s3.amazonaws.com; event history never holds data events');
    const insight = await sh(fetchAt(s, `--region us-east-1 --where ${q('insightDetails.state=Start')}`));
    expect(insight.stderr).toContain('the expression looks at Insights events, but asks for management events only');
  });

  test('--diagnose spends a few calls: the same lookup in us-east-1 and over all 90 days, and says what it found', async () => {
    const expression = 'eventName=CreateAccessKey and awsRegion=eu-west-1';
    const r = await counted(s, () => sh(fetchAt(s, `--region eu-west-1 --start-time 1h --diagnose --where ${q(expression)}`)));
    expect(r.result.stderr).toMatch(/--diagnose: EventName=CreateAccessKey, \S+ to now in us-east-1 \(asked in eu-west-1\): (no events either|\d+ (or more )?events)/);
    expect(r.result.stderr).toMatch(/--diagnose: EventName=CreateAccessKey in eu-west-1 over all 90 days: no events either/);
    expect(r.calls).toBe(3);
    const all = await sh(fetchAt(s, '--region us-east-1 -a EventName=CreateAccessKey'));
    expect(lines(all.stdout).length).toBeGreaterThan(0);
  });
});

test('Insights: eventCategory=Insight asks the insight category, as --event-category insight does', async () => {
  const s = await serve(['--rate', '0', '--history-days', '0', `${CORPUS}/converted/lookup-events.ndjson`, `${CORPUS}/aws-cloudtrail-user-guide/view-insights-events-cli.L56.json`]);
  try {
    const byFlag = await sh(fetchAt(s, '--region us-east-1 --event-category insight'));
    const byWhere = await sh(fetchAt(s, `--region us-east-1 --where ${q('eventCategory=Insight')}`));
    expect(lines(byFlag.stdout).length).toBeGreaterThan(0);
    expect(ids(byWhere.stdout)).toEqual(ids(byFlag.stdout.split('\n').filter((l) => l && JSON.parse(JSON.parse(l).CloudTrailEvent).eventCategory === 'Insight').join('\n')));
  } finally {
    s.stop();
  }
});
