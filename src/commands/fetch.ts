// ct-fetch: LookupEvents with every option the API has, at the API's speed limit, streamed as
// NDJSON items. Several Regions run in parallel, each with its own budget. On failure or Ctrl-C,
// everything fetched is already on stdout and stderr shows the command that resumes.
import { globalLookupWarning, GLOBAL_REGION } from '../catalog/global-services';
import { checkedRegion } from '../catalog/check-value';
import { setMaxListeners } from 'node:events';
import type { Argv } from 'yargs';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { loadSharedConfigFiles } from '@smithy/core/config';
import { toList, type Command, type OptionTable } from '../cli/command';
import { catalog } from '../catalog/catalog';
import { nearest } from '../common/suggest';
import { CtError, EXIT, usageError } from '../common/errors';
import { warn, type Io } from '../run/io';
import { describeAwsError, retryReason } from '../fetch/aws-errors';
import { lookupParams, windowText, type LookupParams } from '../fetch/lookup-options';
import { Progress } from '../fetch/progress';
import { fetchLookup, firstPage, ResumeMismatch, type Accept, type FetchRun, type RegionStats } from '../fetch/region-fetch';
import { decodeResume, encodeResume, resumeClock, type RegionPosition } from '../fetch/resume-token';
import { attributeTerms, lookupText, Planner, type Plan } from '../fetch/plan';
import { PlanFilter } from '../fetch/plan-filter';
import { explainPlan } from '../fetch/explain';
import { whyEmpty } from '../fetch/why-empty';
import { compileWhere } from '../expr/where-program';
import { unknownValueWarning } from '../catalog/check-value';
import { unknownFieldWarning } from '../events/known-fields';
import { ThrottleBudget } from '../fetch/throttle-budget';
import { WriteFailure } from '../output/output-writer';

interface FetchOptions {
  'start-time'?: string;
  'end-time'?: string;
  'lookup-attributes': string[];
  'event-category'?: string;
  'max-items'?: number;
  'page-size': number;
  'starting-token'?: string;
  region: string[];
  profile?: string;
  'endpoint-url'?: string;
  rate: number;
  'max-attempts': number;
  progress?: boolean;
  where: string[];
  explain?: boolean;
  verbose?: boolean;
  diagnose?: boolean;
}

const OPTIONS: OptionTable = {
  'start-time': { type: 'string', nargs: 1, describe: 'Oldest event (inclusive)' },
  'end-time': { type: 'string', nargs: 1, describe: 'Newest event (inclusive)' },
  'lookup-attributes': { alias: 'a', type: 'string', coerce: toList, default: [], describe: 'KEY=VALUE, AttributeKey=K,AttributeValue=V (either order), or [{"AttributeKey":"K","AttributeValue":"V"}]' },
  'event-category': { type: 'string', describe: "'insight' for Insights events" },
  'max-items': { type: 'number', describe: 'Stop after this many events' },
  'page-size': { alias: 'max-results', type: 'number', default: 50, describe: "Events per call, 1 to 50 (--max-results, as the API and the AWS CLI's --page-size call it)" },
  'starting-token': { type: 'string', describe: 'Resume where a previous run stopped' },
  region: { type: 'string', coerce: toList, default: [], describe: "Region(s): repeat, comma-separate, or 'all'" },
  profile: { type: 'string', describe: 'Credentials profile (default: the SDK chain: env, profiles, SSO, instance role)' },
  'endpoint-url': { type: 'string', describe: 'Another endpoint, e.g. a ct-serve URL' },
  rate: { type: 'number', default: 2, describe: 'Requests per second per Region' },
  'max-attempts': { type: 'number', default: 8, describe: 'Tries per call before giving up' },
  progress: { type: 'boolean', describe: 'Live progress on stderr (default: when stderr is a terminal)' },
  where: { alias: 'w', type: 'string', default: [], coerce: toList, describe: "A ct-where expression: ct-fetch plans the lookups (repeatable, parts joined by 'and')" },
  explain: { type: 'boolean', describe: 'With --where: print the plan (lookups, windows, why) and make no call' },
  verbose: { type: 'boolean', describe: 'With --where: the plan on stderr at the start' },
  diagnose: { type: 'boolean', describe: 'With --where: when nothing matches, spend a few calls checking why (us-east-1, the whole 90 days)' },
};

export const fetchCommand: Command<FetchOptions> = {
  name: 'ct-fetch',
  optionTable: OPTIONS,
  usage: (y: Argv) =>
    y
      .usage(
        'Usage: ct-fetch [options]\n\n' +
          'Fetch CloudTrail event history (LookupEvents) as NDJSON, one API item per line, EventTime\n' +
          'in ISO 8601 UTC. Pages stream out as they arrive, at the API limit of 2 requests/s per\n' +
          'Region, with retries. Times: ISO 8601 (any zone; none = local), "2024-07-22 09:00" (local),\n' +
          'epoch seconds, 2h, 3d, now. One lookup attribute per call (exact, case-sensitive): filter\n' +
          "the rest with ct-where, or ask the question with --where EXPRESSION (ct-where's language)\n" +
          'and ct-fetch plans the lookups (--explain shows how).',
      ),
  examples: [
    ["ct-fetch --start-time '2024-07-22 00:00' -a EventSource=ec2.amazonaws.com", 'EC2 events since a local time'],
    ['ct-fetch --start-time 2h -a EventName=ConsoleLogin | ct-where responseElements.ConsoleLogin=Failure', 'failed logins, last 2 hours'],
    ['ct-fetch --region us-east-1,eu-west-1 --start-time 1d | ct-where errorCode~Denied | ct-csv', 'two Regions in parallel'],
    ['ct-fetch --event-category insight --start-time 7d', 'Insights events'],
    ['ct-fetch --endpoint-url http://127.0.0.1:8080 --region eu-west-1', 'against a local ct-serve (ct-serve --port 8080 --shift data/sample-events.ndjson.gz)'],
    ["ct-fetch --start-time 1d --where 'eventName=ConsoleLogin and responseElements.ConsoleLogin=Failure'", 'the question, not the API: ct-fetch picks the lookups'],
    ["ct-fetch --region us-east-1,eu-west-1 --explain --where 'eventName in (SwitchRole, AssumeRole) and sourceIPAddress=203.0.113.7'", 'the plan, without a call'],
  ],
  run: runFetch,
};

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
type StopSignal = (typeof STOP_SIGNALS)[number];
/** As a shell reports a command a signal ended: 128 + the signal's number. */
const SIGNAL_STATUS: Record<StopSignal, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

/** A backoff that a stop cuts short. */
function abortableSleep(ms: number, abort: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (abort.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      abort.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    abort.addEventListener('abort', done);
  });
}

/** How long a run whose reader went away waits for a SIGINT already on its way. */
const SIGNAL_GRACE_MS = 100;

/** One lookup of the run: a Region's whole query (ct-fetch -a), or one of a --where plan's. */
interface Task {
  /** Its name in the resume token: the Region, or the Region and the query. */
  id: string;
  region: string;
  params: LookupParams;
  accept?: Accept;
}

/** What --where adds to a run: the plan and its filter. */
interface Planned {
  plan: Plan;
  filter: PlanFilter;
  planner: Planner;
  now: number;
}

async function runFetch(options: FetchOptions, io: Io): Promise<number> {
  // The SDK's notice about future Node versions is not the user's business mid-pipeline.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const notes: string[] = [];
  const params = lookupParams(
    { attributes: options['lookup-attributes'], startTime: options['start-time'], endTime: options['end-time'], eventCategory: options['event-category'] },
    Date.now(),
    notes,
  );
  const pageSize = options['page-size'];
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 50) throw usageError(`--page-size: 1 to 50, not ${pageSize}`);
  const maxItems = options['max-items'];
  if (maxItems !== undefined && !(Number.isInteger(maxItems) && maxItems >= 1)) throw usageError(`--max-items: a whole number from 1, not ${maxItems}`);
  if (options['endpoint-url'] !== undefined) checkEndpoint(options['endpoint-url']);
  const where = options.where.length ? options.where : undefined;
  if (!where) {
    for (const flag of ['explain', 'verbose', 'diagnose'] as const) if (options[flag]) throw usageError(`--${flag} goes with --where EXPRESSION`);
  } else if (options['lookup-attributes'].length) {
    throw usageError("--where plans the lookups itself: write the attribute into the expression instead of -a (e.g. --where 'eventName=ConsoleLogin and ...')");
  }
  await checkProfile(options.profile);
  for (const n of notes) warn(io, n);

  let planned: Planned | undefined;
  let regions: string[];
  let tasks: Task[];
  // --where: the expression's relative times are read by one clock, kept in the resume token.
  const now = (where && options['starting-token'] !== undefined ? resumeClock(options['starting-token']) : undefined) ?? Date.now();
  const told = new Set<string>();
  const noteOnce = (message: string): void => {
    if (told.has(message)) return;
    told.add(message);
    noted = true;
    warn(io, message);
  };
  let noted = false;
  if (where) {
    const program = compileWhere(where, { now });
    for (const path of program.paths) {
      const message = unknownFieldWarning(path);
      if (message) warn(io, message);
    }
    for (const hint of program.hints) warn(io, hint);
    for (const t of attributeTerms(program.expr)) {
      const warning = unknownValueWarning(t.key, t.value);
      if (warning) warn(io, warning);
    }
    const planner = new Planner({ expr: program.expr, now, startMs: params.startMs, endMs: params.endMs, insightOnly: params.insight });
    const fromExpression = options.region.length ? undefined : planner.expressionRegions();
    const asked = fromExpression ? [...new Set(fromExpression.map((r) => checkedRegion(r, '--where awsRegion')))] : await resolveRegions(options.region, options.profile);
    const plan = planner.plan(asked);
    regions = plan.regions;
    const filter = new PlanFilter(program.expr, { now }, plan.lookups, noteOnce);
    tasks = plan.lookups.map((l, i) => ({
      id: `${l.region} ${lookupText(l)}`,
      region: l.region,
      params: { attribute: l.attribute, startMs: l.startMs, endMs: l.endMs, insight: l.insight },
      accept: filter.acceptFor(i),
    }));
    planned = { plan, filter, planner, now };
    if (options.explain) {
      io.out.write(explainPlan(plan, asked, filter.terms));
      await io.out.flush();
      return EXIT.ok;
    }
    if (options.verbose) warn(io, `plan:\n${explainPlan(plan, asked, filter.terms).trimEnd()}`);
    for (const n of plan.notices) warn(io, n);
  } else {
    regions = await resolveRegions(options.region, options.profile);
    const global = globalLookupWarning(params.attribute?.key, params.attribute?.value, regions);
    if (global) warn(io, global);
    tasks = regions.map((region) => ({ id: region, region, params }));
  }
  const positions = startingPositions(options['starting-token'], tasks.map((t) => t.id));
  const token = (): string => encodeResume(positions, planned?.now);
  const where1 = regions.length === 1 ? `Region ${regions[0]}` : `${regions.length} Regions`;
  warn(io, planned ? `${windowText(params)}; ${tasks.length === 1 ? '1 lookup' : `${tasks.length} lookups`} in ${where1} (--explain shows the plan)` : `${windowText(params)}; ${where1}`);

  // --profile wins over keys in the environment, as in the AWS CLI, without the SDK's warning about both.
  const credentials = options.profile ? fromNodeProviderChain({ profile: options.profile, logger: QUIET }) : undefined;
  const run: FetchRun = {
    out: io.out,
    remaining: maxItems ?? Infinity,
    stopped: false,
    abort: new AbortController(),
    maxAttempts: Math.max(1, options['max-attempts']),
    pageSize,
    sleep: (ms) => abortableSleep(ms, run.abort.signal),
    note: (message) => {
      noted = true;
      warn(io, message);
    },
    retrying: (region, err, attempt) => {
      // Said once per Region and kind of trouble: a silent half minute looks like a hang.
      const reason = retryReason(err);
      if (reason.text.startsWith('ThrottlingException')) return; // the pace at work: --progress counts these
      const key = `${region} ${reason.text}`;
      if (told.has(key)) return;
      told.add(key);
      const what = reason.network ? `cannot reach ${options['endpoint-url'] ?? `CloudTrail in ${region}`} (${reason.text})` : `got ${reason.text}`;
      warn(io, `${region}: ${what}; trying again (up to ${options['max-attempts']} tries, --max-attempts), attempt ${attempt + 1}`);
    },
  };
  const stats = new Map<string, RegionStats>(regions.map((r) => [r, { events: 0, pages: 0, retries: 0 }]));
  const progress = new Progress(io.stderr, stats, options.progress ?? Boolean((io.stderr as { isTTY?: boolean }).isTTY));
  // Ctrl-C, `timeout` (SIGTERM) or a closed terminal (SIGHUP): stop calling, write what has
  // come, print the resume command. A second signal stops at once, with the command as it stands.
  let signal: StopSignal | undefined;
  const onSignal = (name: StopSignal): void => {
    if (signal) {
      progress.stop();
      warn(io, `${name} again: stopped at once; what was fetched is on stdout. To resume:\n  ${resumeCommand(io.argv ?? [], token(), pinnedWindow(options, params))}`);
      process.exit(SIGNAL_STATUS[signal]);
    }
    signal = name;
    run.stopped = true;
    run.abort.abort();
  };
  // Every lookup's call and backoff in flight listens to the one signal: more than node's default of 10.
  setMaxListeners(2 * tasks.length + 10, run.abort.signal);
  const handlers = STOP_SIGNALS.map((name) => [name, () => onSignal(name)] as const);
  for (const [name, handler] of handlers) process.on(name, handler);
  const failures: string[] = [];
  /** Regions that refused the keys on their first call: opt-in Regions not enabled, if others took them. */
  const refused: { region: string; failure: string }[] = [];
  let badToken = false;
  let outputFailure: WriteFailure | undefined;
  // One client and one budget per Region: all its lookups share its 2 requests/s, interleaved.
  const clients = new Map<string, CloudTrailClient>();
  const budgets = new Map<string, ThrottleBudget>();
  const clientFor = (region: string): CloudTrailClient => {
    if (!clients.has(region)) clients.set(region, new CloudTrailClient({ region, endpoint: options['endpoint-url'], credentials, maxAttempts: 1 }));
    return clients.get(region)!;
  };
  const budgetFor = (region: string): ThrottleBudget => {
    if (!budgets.has(region)) budgets.set(region, new ThrottleBudget(options.rate));
    return budgets.get(region)!;
  };
  try {
    await Promise.all(
      tasks.map(async (task) => {
        const position = positions.get(task.id)!;
        try {
          await fetchLookup(clientFor(task.region), task.params, position, run, budgetFor(task.region), stats.get(task.region)!, task.accept);
        } catch (err) {
          // After Ctrl-C the aborted calls fail too; that is not a failure to report.
          if (signal) return;
          if (err instanceof WriteFailure) {
            outputFailure ??= err;
            run.stopped = true;
            return;
          }
          const name = planned ? `${task.id}` : task.region;
          const failure = err instanceof ResumeMismatch ? `${name}: ${err.message}` : describeAwsError(err, task.region, options['endpoint-url']);
          if ((err as { name?: string })?.name === 'UnrecognizedClientException' && position.token === null && position.skip === 0) {
            if (!refused.some((r) => r.region === task.region)) refused.push({ region: task.region, failure });
          } else if (!failures.includes(failure)) failures.push(failure);
          // The token given does not fit: a resume command carrying it again would fail again.
          if (err instanceof ResumeMismatch || (err as { name?: string })?.name === 'InvalidNextTokenException') badToken = true;
        }
      }),
    );
  } finally {
    // Ctrl-C on a pipeline reaches every command at once: our reader may go away before our own
    // SIGINT handler has run. A moment for it, so the interruption is told as one, with the
    // resume command, not as a reader that went away.
    if (run.out.closed && !signal) await new Promise((resolve) => setTimeout(resolve, SIGNAL_GRACE_MS));
    // A signal from here on finds the fetching over: it changes nothing (a second ends the process,
    // should the last writes hang). Without a handler it would kill the process mid-way, with all
    // fetched and no word of it.
    for (const [name, handler] of handlers) {
      process.off(name, handler);
      process.once(name, () => process.once(name, () => process.exit(SIGNAL_STATUS[name])));
    }
    progress.stop();
    if (!outputFailure) await run.out.flush();
  }
  notEnabled(io, refused, regions.length - refused.length - new Set(failures).size, failures, tasks, positions);
  if (outputFailure) {
    const cut = outputFailure.cut ? ` It ends in a line cut short (${outputFailure.cut} bytes): remove that line (sed -i '$d' FILE) first.` : '';
    const resume = resumeCommand(io.argv ?? [], token(), pinnedWindow(options, params));
    warn(io, `${outputFailure.message}; every event before is on stdout whole.${cut} Then, to resume:\n  ${resume}`);
    outputFailure.told = true;
    for (const c of clients.values()) c.destroy();
    return EXIT.data;
  }
  if (badToken) {
    for (const f of failures) warn(io, f);
    warn(
      io,
      options['starting-token'] === undefined
        ? 'the endpoint refused a NextToken it gave itself; run the command again'
        : 'the --starting-token does not fit this command: resume with the command the stopped run printed, unchanged, or start again without --starting-token',
    );
    for (const c of clients.values()) c.destroy();
    return EXIT.data;
  }
  const complete = !signal && failures.length === 0 && !run.out.closed && [...positions.values()].every((p) => p.done);
  if (planned && complete && options['starting-token'] === undefined && [...stats.values()].every((s) => s.events === 0)) {
    await explainEmpty(io, planned, options.diagnose ? { clientFor, budgetFor, run, endpoint: options['endpoint-url'] } : undefined);
  }
  for (const c of clients.values()) c.destroy();
  const code = finish(io, { failures, signal, positions, maxItems, run, pinned: pinnedWindow(options, params), token: token() });
  return code === EXIT.ok && noted ? EXIT.data : code;
}

/** What --diagnose calls with: the run's clients and budgets, made for a Region the plan did not ask. */
interface Diagnosis {
  clientFor: (region: string) => CloudTrailClient;
  budgetFor: (region: string) => ThrottleBudget;
  run: FetchRun;
  endpoint?: string;
}

/** Nothing matched: say what each lookup returned and what removed it; --diagnose checks more with a few calls. */
async function explainEmpty(
  io: Io,
  planned: Planned,
  diagnose: Diagnosis | undefined,
): Promise<void> {
  const { plan, filter, planner, now } = planned;
  const lines = whyEmpty({ expr: filter.expr, plan, tallies: filter.tallies, terms: filter.terms, now, asksInsights: planner.asksInsights });
  if (diagnose) lines.push(...(await diagnoseEmpty(plan, filter, diagnose)));
  warn(io, `no event matched. What was checked:\n${lines.map((l) => `  ${l}`).join('\n')}`);
}

/** --diagnose: for each lookup by an attribute that returned nothing, the same lookup in us-east-1, and over the whole 90 days. */
async function diagnoseEmpty(
  plan: Plan,
  filter: PlanFilter,
  d: Diagnosis,
): Promise<string[]> {
  const out: string[] = [];
  const probes: { region: string; params: LookupParams; what: string }[] = [];
  plan.lookups.forEach((l, i) => {
    if (!l.attribute || filter.tallies[i].returned > 0) return;
    const params: LookupParams = { attribute: l.attribute, startMs: l.startMs, endMs: l.endMs, insight: l.insight };
    const asked = plan.lookups.some((o) => o.region === GLOBAL_REGION && o.attribute?.key === l.attribute!.key && o.attribute.value === l.attribute!.value);
    if (l.region !== GLOBAL_REGION && !asked) probes.push({ region: GLOBAL_REGION, params, what: `${lookupText(l)} in ${GLOBAL_REGION} (asked in ${l.region})` });
    if (l.startMs !== undefined || l.endMs !== undefined) probes.push({ region: l.region, params: { ...params, startMs: undefined, endMs: undefined }, what: `${l.attribute.key}=${l.attribute.value} in ${l.region} over all 90 days` });
  });
  const seen = new Set<string>();
  for (const probe of probes.slice(0, 6)) {
    const key = `${probe.region} ${JSON.stringify(probe.params)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    try {
      const page = await firstPage(d.clientFor(probe.region), probe.params, d.run, d.budgetFor(probe.region));
      const events = page.Events ?? [];
      const newest = events[0]?.EventTime instanceof Date ? `, the newest at ${events[0].EventTime.toISOString().replace('.000Z', 'Z')}` : '';
      out.push(`--diagnose: ${probe.what}: ${events.length === 0 ? 'no events either' : `${events.length}${page.NextToken ? ' or more' : ''} events${newest}`}`);
    } catch (err) {
      out.push(`--diagnose: ${probe.what}: the call failed (${describeAwsError(err, probe.region, d.endpoint)})`);
    }
  }
  if (probes.length === 0) out.push('--diagnose: no lookup by an attribute came back empty, so there is nothing to check with another call: the filter left for the client removed every event (above)');
  return out;
}

/**
 * AWS answers UnrecognizedClientException ("The security token included in the request is
 * invalid") from an opt-in Region the account has not enabled. When other Regions took the same
 * keys, that is what it means: one note names them and the run goes on without them. When none
 * did, the keys are the trouble: each Region's failure is told as before.
 */
function notEnabled(
  io: Io,
  refused: { region: string; failure: string }[],
  accepted: number,
  failures: string[],
  tasks: readonly Task[],
  positions: Map<string, RegionPosition>,
): void {
  if (refused.length === 0) return;
  if (accepted <= 0) {
    failures.push(...refused.map((r) => r.failure));
    return;
  }
  for (const task of tasks) if (refused.some((r) => r.region === task.region)) positions.get(task.id)!.done = true;
  const names = refused.map((r) => r.region).sort();
  warn(
    io,
    `note: ${names.length} Region(s) refused the credentials the others took (UnrecognizedClientException), as AWS answers from an opt-in Region the account has not enabled: ${names.join(', ')}; fetched the rest`,
  );
}

/**
 * The window as resolved, for the resume command: a token is valid only with the very same
 * parameters, so `--start-time 2h` must come back as the instant it meant, not as `2h` again.
 */
function pinnedWindow(options: FetchOptions, params: LookupParams): Map<string, string> {
  const pinned = new Map<string, string>();
  if (options['start-time'] !== undefined && params.startMs !== undefined) pinned.set('start-time', new Date(params.startMs).toISOString());
  if (options['end-time'] !== undefined && params.endMs !== undefined) pinned.set('end-time', new Date(params.endMs).toISOString());
  return pinned;
}

function finish(
  io: Io,
  s: {
    failures: string[];
    signal: StopSignal | undefined;
    positions: Map<string, RegionPosition>;
    maxItems?: number;
    run: FetchRun;
    pinned: Map<string, string>;
    /** The resume token as things stand. */
    token: string;
  },
): number {
  for (const f of s.failures) warn(io, f);
  const unfinished = [...s.positions.values()].some((p) => !p.done);
  const progressed = [...s.positions.values()].some((p) => p.done || p.token !== null || p.skip > 0);
  // A reader that went away (`| head`) is a normal end, unless Ctrl-C took the whole pipeline down.
  if (s.run.out.closed && !s.signal) return EXIT.ok;
  if (!unfinished || (!progressed && !s.signal)) return s.failures.length ? EXIT.data : EXIT.ok;
  const resume = resumeCommand(io.argv ?? [], s.token, s.pinned);
  if (s.failures.length || s.signal) {
    const how = s.signal === undefined ? 'stopped' : s.signal === 'SIGINT' ? 'interrupted' : `stopped by ${s.signal}`;
    warn(io, `${how}; what was fetched is on stdout. To resume:\n  ${resume}`);
    return s.signal ? SIGNAL_STATUS[s.signal] : EXIT.data;
  }
  warn(io, `stopped at --max-items ${s.maxItems}; to go on:\n  ${resume}`);
  return EXIT.ok;
}

async function resolveRegions(given: string[], profile?: string): Promise<string[]> {
  const names = given.flatMap((r) => r.split(',')).map((r) => r.trim()).filter(Boolean);
  if (names.includes('all')) return catalog().regions.filter((r) => r.partition === 'aws').map((r) => r.value);
  if (names.length) return [...new Set(names.map((n) => checkedRegion(n, '--region')))];
  // As the AWS CLI reads it: AWS_REGION, then AWS_DEFAULT_REGION, then the profile.
  const fromEnvironment = process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION;
  if (fromEnvironment) return [checkedRegion(fromEnvironment, '--region')];
  try {
    const probe = new CloudTrailClient(profile ? { profile } : {});
    const region = await probe.config.region();
    probe.destroy();
    if (region) return [region];
  } catch {
    // fall through
  }
  throw usageError('no Region: pass --region (or set AWS_REGION, or a region in your profile)');
}

/**
 * A Region name the catalogue knows; a near miss (`us-east1`, `US-EAST-1`) is refused with the
 * name meant, before any call. One it has never heard of goes through: new Regions come first.
 */
const QUIET = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** An endpoint URL the SDK can use, or a usage error before any call. */
function checkEndpoint(url: string): void {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || !['http:', 'https:'].includes(parsed.protocol)) {
    throw usageError(`--endpoint-url: '${url}' is not an http(s) URL; e.g. https://cloudtrail.eu-west-1.amazonaws.com or http://127.0.0.1:8080`);
  }
}

/**
 * A named profile (--profile, or AWS_PROFILE) that is in neither ~/.aws/config nor
 * ~/.aws/credentials is a usage error with the names that are, before the SDK looks for it.
 */
async function checkProfile(given: string | undefined): Promise<void> {
  const profile = given ?? process.env.AWS_PROFILE;
  if (!profile) return;
  const { configFile, credentialsFile } = await loadSharedConfigFiles();
  const known = [...new Set([...Object.keys(configFile), ...Object.keys(credentialsFile)])];
  if (known.includes(profile)) return;
  const source = given === undefined ? 'AWS_PROFILE' : '--profile';
  const near = nearest(profile, known);
  const hint = near.length ? `did you mean ${near.join(' or ')}? ` : '';
  const names = known.length ? `Profiles: ${known.join(', ')}` : "there are none: run 'aws configure --profile NAME' or 'aws configure sso'";
  throw usageError(`${source}: no profile '${profile}' in ~/.aws/config or ~/.aws/credentials; ${hint}${names}`);
}

function startingPositions(token: string | undefined, ids: string[]): Map<string, RegionPosition> {
  if (token === undefined) return new Map(ids.map((r) => [r, { token: null, skip: 0, done: false }]));
  const decoded = decodeResume(token, ids);
  if (typeof decoded === 'string') throw new CtError('usage', `--starting-token: ${decoded}`, EXIT.usage);
  return decoded;
}

/**
 * The same command with --starting-token set to where it stopped and the options in `pinned`
 * (long name -> value) replaced by their values, whichever way they were spelled
 * (`--start-time 2h`, `--start-time=2h`, `--startTime 2h`).
 */
export function resumeCommand(argv: readonly string[], token: string, pinned: ReadonlyMap<string, string> = new Map()): string {
  const replaced = new Set(['starting-token', ...pinned.keys()].flatMap((name) => [`--${name}`, `--${camelCase(name)}`]));
  const kept: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const eq = argv[i].indexOf('=');
    const name = eq > 0 ? argv[i].slice(0, eq) : argv[i];
    if (!replaced.has(name)) kept.push(argv[i]);
    else if (eq < 0) i++;
  }
  const pins = [...pinned].flatMap(([name, value]) => [`--${name}`, value]);
  return ['ct-fetch', ...kept, ...pins, '--starting-token', token].map(shellQuote).join(' ');
}

function camelCase(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`;
}
