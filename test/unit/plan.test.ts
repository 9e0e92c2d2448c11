// ct-fetch --where's planner (issue 17): which lookups an expression becomes, and that their union
// always holds every event the expression matches (checked on the sample, 3,000 events in 4
// Regions, for random expressions), so the filter on the client sees all it must.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { EventView } from '../../src/events/event-view';
import { parseExpression } from '../../src/expr/parser';
import { formatExpr } from '../../src/expr/format';
import { compileWhere } from '../../src/expr/where-program';
import { Planner, returnedBy, type Lookup, type PlanInput } from '../../src/fetch/plan';
import { PlanFilter } from '../../src/fetch/plan-filter';
import { SAMPLE } from '../helpers';
import json from '../cases/where.cases.json';

const NOW = Date.parse('2024-07-24T00:00:00Z');
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-northeast-1'];

function plan(expression: string, regions = ['eu-west-1'], extra: Partial<PlanInput> = {}) {
  return new Planner({ expr: parseExpression(expression), now: NOW, insightOnly: false, ...extra }).plan(regions);
}

/** `Region KEY=VALUE` per lookup, `*` for a whole read, `+insight` for the category. */
const brief = (lookups: Lookup[]): string[] =>
  lookups.map((l) => `${l.region} ${l.attribute ? `${l.attribute.key}=${l.attribute.value}` : '*'}${l.insight ? ' +insight' : ''}`);

describe('what the API can narrow by becomes a lookup', () => {
  test.each([
    ['eventName=RunInstances', ['eu-west-1 EventName=RunInstances']],
    ['EventName=RunInstances', ['eu-west-1 EventName=RunInstances']],
    ['eventSource=ec2.amazonaws.com', ['eu-west-1 EventSource=ec2.amazonaws.com']],
    ['eventID=abc', ['eu-west-1 EventId=abc']],
    ['EventId=abc', ['eu-west-1 EventId=abc']],
    ['userIdentity.accessKeyId=AKIAEXAMPLE', ['eu-west-1 AccessKeyId=AKIAEXAMPLE']],
    ['AccessKeyId=AKIAEXAMPLE', ['eu-west-1 AccessKeyId=AKIAEXAMPLE']],
    ['readOnly=false', ['eu-west-1 ReadOnly=false']],
    ['ReadOnly=true', ['eu-west-1 ReadOnly=true']],
    ['Username=alice', ['eu-west-1 Username=alice']],
    ['Resources[].ResourceName=i-0abc', ['eu-west-1 ResourceName=i-0abc']],
    ['Resources.ResourceType=AWS::EC2::Instance', ['eu-west-1 ResourceType=AWS::EC2::Instance']],
    ['Resources[0].ResourceType=AWS::EC2::Instance', ['eu-west-1 ResourceType=AWS::EC2::Instance']],
  ])('%s', (expression, want) => {
    expect(brief(plan(expression).lookups)).toEqual(want);
  });

  test.each([
    ['sourceIPAddress=203.0.113.7', 'not an attribute'],
    ['eventName~Console', 'a pattern'],
    ['eventName!=ConsoleLogin', 'a negation'],
    ['not eventName=ConsoleLogin', 'a negation'],
    ['eventName not in (A, B)', 'a negation'],
    ['readOnly=TRUE', 'a value ReadOnly does not take (and that matches no record)'],
    ['eventName=""', 'an empty value'],
    ['userIdentity.userName=alice', "the record's user name is not event history's Username"],
    ['eventName=RunInstances or sourceIPAddress=203.0.113.7', 'a branch that no attribute narrows'],
    ['Username in (alice, 10.0.0.0/8)', 'a CIDR block in the list'],
  ])('%s: the whole window (%s)', (expression) => {
    const p = plan(expression);
    expect(brief(p.lookups)).toEqual(['eu-west-1 *']);
    expect(p.notices.join('\n')).toContain('no lookup attribute narrows');
  });

  test('in an `and`, the narrowest kind: EventName over its EventSource, Username over ReadOnly, EventId over all', () => {
    expect(brief(plan('eventSource=ec2.amazonaws.com and eventName=RunInstances').lookups)).toEqual(['eu-west-1 EventName=RunInstances']);
    expect(brief(plan('readOnly=false and Username=alice').lookups)).toEqual(['eu-west-1 Username=alice']);
    expect(brief(plan('eventName=RunInstances and eventID=abc and AccessKeyId=AKIA1').lookups)).toEqual(['eu-west-1 EventId=abc']);
    // The catalogue: a service with many calls (ec2) is wider than one with few (sts).
    expect(brief(plan('eventSource=ec2.amazonaws.com or eventSource=kms.amazonaws.com').lookups)).toHaveLength(2);
    const why = plan('eventSource=ec2.amazonaws.com and eventName=RunInstances').lookups[0].why.join('\n');
    expect(why).toMatch(/the narrowest .* of EventSource ~\d+%, EventName ~1%/);
  });

  test('`or` and `in` fan out, one lookup per value; the same lookup twice is made once', () => {
    expect(brief(plan('eventName in (StopInstances, StartInstances)').lookups)).toEqual(['eu-west-1 EventName=StopInstances', 'eu-west-1 EventName=StartInstances']);
    expect(brief(plan('eventName=StopInstances or (eventName=StopInstances and errorCode exists) or Username=bob').lookups)).toEqual([
      'eu-west-1 EventName=StopInstances',
      'eu-west-1 Username=bob',
    ]);
    // (A or B) and C: C is narrower than both, so one lookup.
    expect(brief(plan('(readOnly=true or readOnly=false) and eventID=abc').lookups)).toEqual(['eu-west-1 EventId=abc']);
  });

  test('`not` is pushed down: not (a != v) is a = v; not (a or b) is (not a) and (not b)', () => {
    expect(brief(plan('not eventName!=RunInstances').lookups)).toEqual(['eu-west-1 EventName=RunInstances']);
    expect(brief(plan('not (eventName!=RunInstances or sourceIPAddress=1.2.3.4)').lookups)).toEqual(['eu-west-1 EventName=RunInstances']);
    expect(brief(plan('not (eventName not in (A, B))').lookups)).toEqual(['eu-west-1 EventName=A', 'eu-west-1 EventName=B']);
  });

  test('lookups that would return most events anyway are one whole read', () => {
    const p = plan('readOnly=true or readOnly=false');
    expect(brief(p.lookups)).toEqual(['eu-west-1 *']);
    expect(p.lookups[0].why.join()).toContain('one read of the whole window costs fewer calls');
  });
});

describe('time, Regions, category', () => {
  test('eventTime bounds become StartTime/EndTime in whole seconds, inside --start-time/--end-time', () => {
    const p = plan("eventName=X and eventTime >= '2024-07-23T10:00:00.500Z' and eventTime < -1h", ['eu-west-1'], { startMs: Date.parse('2024-07-20T00:00:00Z') });
    expect(p.lookups[0].startMs).toBe(Date.parse('2024-07-23T10:00:00Z'));
    expect(p.lookups[0].endMs).toBe(NOW - 3_600_000);
    // Outside the window asked: nothing to ask.
    const none = plan('eventTime < 2024-07-01', ['eu-west-1'], { startMs: Date.parse('2024-07-20T00:00:00Z') });
    expect(none.lookups).toEqual([]);
    expect(none.skipped.join()).toContain('outside the window asked');
  });

  test('a time that is text or a number narrows nothing', () => {
    expect(plan('eventName=X and eventTime > 5').lookups[0].startMs).toBeUndefined();
    expect(plan('eventName=X and eventTime > "abc"').lookups[0].startMs).toBeUndefined();
  });

  test('awsRegion picks the Regions among those asked, and gives them when none are asked', () => {
    expect(brief(plan('awsRegion=eu-west-1 and eventName=X', REGIONS).lookups)).toEqual(['eu-west-1 EventName=X']);
    expect(brief(plan('(awsRegion=eu-west-1 and eventName=X) or (awsRegion=us-west-2 and Username=bob)', REGIONS).lookups)).toEqual([
      'us-west-2 Username=bob',
      'eu-west-1 EventName=X',
    ]);
    const p = new Planner({ expr: parseExpression('awsRegion in (eu-west-1, ap-northeast-1) and eventName=X'), now: NOW, insightOnly: false });
    expect(p.expressionRegions()).toEqual(['eu-west-1', 'ap-northeast-1']);
    expect(new Planner({ expr: parseExpression('awsRegion=eu-west-1 or eventName=X'), now: NOW, insightOnly: false }).expressionRegions()).toBeUndefined();
    const skipped = plan('awsRegion=sa-east-1 and eventName=X', ['eu-west-1']);
    expect(skipped.lookups).toEqual([]);
    expect(skipped.skipped.join()).toContain('not among the Regions asked');
  });

  test('a global service is looked up in us-east-1, with a notice; STS and sign-in there too', () => {
    const iam = plan('eventSource=iam.amazonaws.com and errorCode exists', ['eu-west-1']);
    expect(brief(iam.lookups)).toEqual(['us-east-1 EventSource=iam.amazonaws.com']);
    expect(iam.notices.join()).toContain("recorded in us-east-1's event history only");
    expect(brief(plan('eventName=CreateAccessKey', ['eu-west-1']).lookups)).toEqual(['us-east-1 EventName=CreateAccessKey']);
    // A name other services have too (transfer, workmail...: CreateUser) stays in the Regions asked.
    expect(brief(plan('eventName=CreateUser', ['eu-west-1']).lookups)).toEqual(['eu-west-1 EventName=CreateUser']);
    const login = plan('eventName=ConsoleLogin', ['eu-west-1']);
    expect(brief(login.lookups)).toEqual(['eu-west-1 EventName=ConsoleLogin', 'us-east-1 EventName=ConsoleLogin']);
    expect(login.notices.join()).toContain('looked up there too');
    expect(plan('eventName=ConsoleLogin', ['us-east-1']).notices).toEqual([]);
    // Asked by awsRegion for another Region: not moved; the empty answer will say why.
    const elsewhere = plan('awsRegion=eu-west-1 and eventSource=iam.amazonaws.com', REGIONS);
    expect(brief(elsewhere.lookups)).toEqual(['eu-west-1 EventSource=iam.amazonaws.com']);
    expect(elsewhere.hints.join()).toContain('a global service');
  });

  test('eventCategory=Insight asks the insight category, by the attributes it takes', () => {
    expect(brief(plan('eventCategory=Insight and eventName=RunInstances').lookups)).toEqual(['eu-west-1 EventName=RunInstances +insight']);
    expect(brief(plan('eventCategory=Insight and Username=alice').lookups)).toEqual(['eu-west-1 * +insight']);
    // Either category: both; the Insights lookup by EventName=X is inside the whole Insights read.
    expect(brief(plan('eventCategory=Insight or eventName=X').lookups)).toEqual(['eu-west-1 EventName=X', 'eu-west-1 * +insight']);
    expect(brief(plan('eventName=X', ['eu-west-1'], { insightOnly: true }).lookups)).toEqual(['eu-west-1 EventName=X +insight']);
    expect(plan('eventCategory=Management and eventName=X', ['eu-west-1'], { insightOnly: true }).lookups).toEqual([]);
  });
});

test("the terms left for the client keep their parentheses when joined by 'and'", () => {
  const filter = new PlanFilter(parseExpression('(eventName=A or eventName=B) and sourceIPAddress=1.2.3.4'), { now: NOW }, [], () => undefined);
  expect(filter.terms.map((t) => t.text).join(' and ')).toBe('(eventName=A or eventName=B) and sourceIPAddress=1.2.3.4');
});

describe('the expression back as text reads the same', () => {
  const cases = (json as { given: unknown; cases: { expression: string; result?: boolean }[] }[]).flatMap((g) =>
    g.cases.filter((c) => c.result !== undefined).map((c) => ({ ...c, given: g.given })),
  );
  test.each(cases.map((c) => [c.expression, c] as const))('%s', (_, c) => {
    const again = formatExpr(parseExpression(c.expression));
    const now = Date.parse('2024-07-22T12:00:00Z');
    const view = new EventView(c.given);
    expect(compileWhere([again], { now }).matches(view)).toBe(compileWhere([c.expression], { now }).matches(view));
  });
});

// The property the whole design rests on: every event the expression matches is returned by a
// lookup of the plan (in its Region, its category, its window).
const items = gunzipSync(readFileSync(SAMPLE)).toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
const views = items.map((item) => ({ item, view: new EventView(item), region: JSON.parse(item.CloudTrailEvent as string).awsRegion as string, ms: Date.parse(item.EventTime as string) }));
const pick = <T,>(list: readonly T[]): fc.Arbitrary<T> => fc.constantFrom(...list);
const valuesOf = (key: string): string[] => [...new Set(items.map((i) => i[key]).filter((v): v is string => typeof v === 'string'))].slice(0, 12);

export const atom: fc.Arbitrary<string> = fc.oneof(
  pick(valuesOf('EventName')).map((v) => `eventName=${v}`),
  fc.array(pick(valuesOf('EventName')), { minLength: 2, maxLength: 3 }).map((vs) => `EventName in (${vs.join(', ')})`),
  pick(valuesOf('EventSource')).map((v) => `eventSource=${v}`),
  pick(['true', 'false']).map((v) => `readOnly=${v}`),
  pick(valuesOf('Username')).map((v) => `Username="${v}"`),
  pick(valuesOf('AccessKeyId')).map((v) => `userIdentity.accessKeyId=${v}`),
  pick(['AWS::S3::Bucket', 'AWS::IAM::Role', 'AWS::KMS::Key', 'AWS::EC2::Instance']).map((v) => `Resources[].ResourceType=${v}`),
  pick(REGIONS).map((v) => `awsRegion=${v}`),
  fc.integer({ min: 1, max: 40 }).map((h) => `eventTime >= -${h}h`),
  fc.integer({ min: 1, max: 40 }).map((h) => `eventTime < -${h}h`),
  pick(['errorCode exists', 'errorCode~Denied', 'sourceIPAddress in 203.0.113.0/24', 'eventCategory=Insight', 'eventCategory=Management', 'userIdentity.type=Root']),
);

export const expression: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    atom,
    fc.tuple(tie('e'), pick(['and', 'or']), tie('e')).map(([a, op, b]) => `(${a} ${op} ${b})`),
    tie('e').map((a) => `not ${a}`),
  ),
})).e;

describe('the union of the lookups holds every event that matches', () => {
  test('random expressions over the sample: each matching event is returned by a lookup of its Region', () => {
    fc.assert(
      fc.property(expression, fc.subarray(REGIONS, { minLength: 1 }), (text, asked) => {
        const expr = parseExpression(text);
        const p = new Planner({ expr, now: NOW, insightOnly: false }).plan([...asked]);
        const program = compileWhere([text], { now: NOW });
        for (const { item, view, region, ms } of views) {
          if (!asked.includes(region) || !program.matches(view)) continue;
          const found = p.lookups.some((l) => l.region === region && !l.insight && returnedBy(item, ms, l));
          if (!found) throw new Error(`${text}: ${String(item.EventId)} (${region}) matches but no lookup returns it`);
        }
      }),
      { numRuns: 300 },
    );
  });
});
