// ct-fetch --where: the lookups that answer a ct-where expression. LookupEvents takes one
// attribute, exact, per call; the plan finds a set of lookups whose union holds every event that
// can match (a cover), and the whole expression is then checked on what they return.
//
// cover(E) is a list of slices, each a conjunction of what the API can narrow by (attributes,
// a time window, Regions, the category); an event that matches E fits at least one slice.
// `and` crosses its sides' slices, `or` joins them, `not` is pushed down to the tests (De Morgan;
// `not a!=v` is `a=v`); a test the API cannot narrow by is a slice of everything. Each slice then
// becomes one lookup per Region by its narrowest attribute; an event two lookups return is written
// by the first only (`returnedBy` tells, from the item itself), so nothing is kept in memory.
import { globalHome, GLOBAL_REGION } from '../catalog/global-services';
import { eventNamesBySource } from '../catalog/catalog';
import { attributeValueLength, INSIGHT_KEYS } from '../catalog/lookup-keys';
import { cidrBlock, orderOperand } from '../expr/evaluate';
import { formatLiteral, formatTest } from '../expr/format';
import { operatorRow } from '../expr/operators';
import type { Expr, Test } from '../expr/parser';
import { testsOf } from '../expr/where-program';
import type { Literal } from '../expr/tokens';
import type { FieldPath } from '../events/field-path';
import { iso, type LookupAttribute } from './lookup-options';

export type Category = 'management' | 'insight';

/** An attribute a term of the expression pins, with that term as written, for --explain. */
interface Pin extends LookupAttribute {
  term: string;
}

interface Slice {
  pins: Pin[];
  startMs: number;
  endMs: number;
  /** Regions an awsRegion term allows; undefined: any. */
  regions?: ReadonlySet<string>;
  category?: Category;
  /** The terms that narrowed the window, the Regions, the category (for --explain). */
  narrowed: string[];
}

/** One LookupEvents query, paged to its end. */
export interface Lookup {
  region: string;
  attribute?: LookupAttribute;
  startMs?: number;
  endMs?: number;
  insight: boolean;
  /** Why this lookup and not another: one line each. */
  why: string[];
  /** The expression's terms this lookup answers by itself (for --explain's filter left for the client). */
  pushed: string[];
}

export interface Plan {
  lookups: Lookup[];
  /** The Regions the lookups ask (in the order asked); us-east-1 may be added for a global service. */
  regions: string[];
  /** Said at the start of every run: a global service looked up in us-east-1, a whole window read. */
  notices: string[];
  /** For --explain: Regions asked and left out, and why. */
  skipped: string[];
  /** For an empty answer: a global service's events asked for by awsRegion outside us-east-1. */
  hints: string[];
}

const EVERYTHING: Slice = { pins: [], startMs: -Infinity, endMs: Infinity, narrowed: [] };

/** Above this many slices an `and` keeps its cheaper side instead of crossing both. */
const MAX_SLICES = 64;
/** A Region's lookups that would return this share of its events (or more) are one whole read instead. */
const WHOLE_READ_SHARE = 0.75;

/** The lookup attribute a field path maps to, on either spelling (the record's or the item's). */
function attributeKeyOf(path: FieldPath): string | undefined {
  const names = path.steps.map((s) => (s.kind === 'key' ? s.name : '[]'));
  const joined = names.join('.');
  switch (joined) {
    case 'eventName':
    case 'EventName':
      return 'EventName';
    case 'eventSource':
    case 'EventSource':
      return 'EventSource';
    case 'eventID':
    case 'EventId':
      return 'EventId';
    case 'userIdentity.accessKeyId':
    case 'AccessKeyId':
      return 'AccessKeyId';
    case 'readOnly':
    case 'ReadOnly':
      return 'ReadOnly';
    case 'Username':
      return 'Username';
    case 'Resources.ResourceName':
    case 'Resources.[].ResourceName':
      return 'ResourceName';
    case 'Resources.ResourceType':
    case 'Resources.[].ResourceType':
      return 'ResourceType';
    default:
      return undefined;
  }
}

function isPath(path: FieldPath, ...spellings: string[]): boolean {
  return path.steps.length === 1 && path.steps[0].kind === 'key' && spellings.includes(path.steps[0].name);
}

/** A value LookupEvents takes for `key` and matches exactly as the test does. */
function pushable(key: string, lit: Literal): boolean {
  if (lit.text === '' || attributeValueLength(lit.text) > 2000) return false;
  if (key === 'ReadOnly') return lit.text === 'true' || lit.text === 'false';
  return true;
}

/** The share of a window's events a lookup by `a` is likely to return (an order of kinds, refined by the catalogue). */
export function estimatedShare(a: LookupAttribute): number {
  switch (a.key) {
    case 'EventId':
      return 1e-6;
    case 'ResourceName':
      return 0.005;
    case 'AccessKeyId':
      return 0.008;
    case 'EventName':
      return 0.01;
    case 'Username':
      return 0.02;
    case 'ResourceType':
      return 0.04;
    case 'EventSource':
      // A service with more calls is likelier to make more of the events; any is wider than one of its names.
      return Math.min(0.5, 0.05 + 0.0005 * (eventNamesBySource()[a.value]?.length ?? 20));
    case 'ReadOnly':
      return a.value === 'true' ? 0.7 : 0.3;
    default:
      return 1;
  }
}

function percent(share: number): string {
  return share < 0.001 ? 'one event' : `~${+(share * 100).toPrecision(2)}%`;
}

function sliceCost(s: Slice, insight: boolean): number {
  const usable = s.pins.filter((p) => !insight || INSIGHT_KEYS.includes(p.key));
  return usable.length ? Math.min(...usable.map(estimatedShare)) : 1;
}

function cost(slices: readonly Slice[]): number {
  return slices.reduce((n, s) => n + sliceCost(s, false), 0);
}

function both(a: Slice, b: Slice): Slice | undefined {
  const startMs = Math.max(a.startMs, b.startMs);
  const endMs = Math.min(a.endMs, b.endMs);
  if (startMs > endMs) return undefined;
  let regions = a.regions ?? b.regions;
  if (a.regions && b.regions) regions = new Set([...a.regions].filter((r) => b.regions!.has(r)));
  if (regions && regions.size === 0) return undefined;
  if (a.category && b.category && a.category !== b.category) return undefined;
  const pins = [...a.pins, ...b.pins.filter((p) => !a.pins.some((q) => q.key === p.key && q.value === p.value))];
  return { pins, startMs, endMs, regions, category: a.category ?? b.category, narrowed: [...new Set([...a.narrowed, ...b.narrowed])] };
}

/** The slices of an expression; `negate`: of its negation. */
function cover(e: Expr, negate: boolean, now: number): Slice[] {
  switch (e.kind) {
    case 'not':
      return cover(e.operand, !negate, now);
    case 'and':
    case 'or': {
      const left = cover(e.left, negate, now);
      const right = cover(e.right, negate, now);
      if ((e.kind === 'or') !== negate) return [...left, ...right];
      if (left.length * right.length > MAX_SLICES) return cost(left) <= cost(right) ? left : right;
      return left.flatMap((l) => right.map((r) => both(l, r))).filter((s): s is Slice => s !== undefined);
    }
    case 'test':
      return coverTest(e, negate, now);
  }
}

function coverTest(t: Test, negate: boolean, now: number): Slice[] {
  const row = operatorRow(t.op);
  // A negated operator under a `not` is the plain test; a plain one (or `not` of a plain one) narrows nothing.
  if (row.negated !== negate) return [EVERYTHING];
  const text = `${t.path.text}`;
  if (row.test === 'order') {
    if (!isPath(t.path, 'eventTime', 'EventTime')) return [EVERYTHING];
    const operand = orderOperand(t.values[0], now);
    if (operand.kind !== 'time') return [EVERYTHING];
    const term = formatTest(t);
    // Whole seconds, widened: event times are whole seconds, StartTime and EndTime inclusive.
    if (t.op === '>' || t.op === '>=') return [{ ...EVERYTHING, startMs: Math.floor(operand.ms / 1000) * 1000, narrowed: [term] }];
    return [{ ...EVERYTHING, endMs: Math.ceil(operand.ms / 1000) * 1000, narrowed: [term] }];
  }
  if (row.test !== 'equals' && row.test !== 'member') return [EVERYTHING];
  // A CIDR block in a list matches addresses, not one value.
  if (t.values.some((v) => cidrBlock(v) !== undefined)) return [EVERYTHING];
  // The test as written when it is one value; each value of a list as its own equality.
  const term = (v: Literal): string => (row.test === 'equals' ? formatTest(t) : `${text}=${formatLiteral(v, false)}`);
  if (isPath(t.path, 'awsRegion')) {
    return [{ ...EVERYTHING, regions: new Set(t.values.map((v) => v.text)), narrowed: [formatTest(t)] }];
  }
  if (isPath(t.path, 'eventCategory')) {
    const categories = new Set(t.values.map((v): Category => (v.text === 'Insight' ? 'insight' : 'management')));
    return [...categories].map((category) => ({ ...EVERYTHING, category, narrowed: [formatTest(t)] }));
  }
  const key = attributeKeyOf(t.path);
  if (!key || !t.values.every((v) => pushable(key, v))) return [EVERYTHING];
  return t.values.map((v) => ({ ...EVERYTHING, pins: [{ key, value: v.text, term: term(v) }] }));
}

export interface PlanInput {
  expr: Expr;
  /** The clock relative times in the expression are read by (kept in the resume token). */
  now: number;
  /** --start-time / --end-time. */
  startMs?: number;
  endMs?: number;
  /** --event-category insight: Insights events only. */
  insightOnly: boolean;
}

/** The planner for one expression: its slices, then the lookups for the Regions asked. */
export class Planner {
  private readonly slices: Slice[];
  /** The expression asks for Insights events (eventCategory=Insight), so they are in the question. */
  readonly asksInsights: boolean;

  constructor(private readonly input: PlanInput) {
    this.slices = cover(input.expr, false, input.now);
    this.asksInsights = input.insightOnly || this.slices.some((s) => s.category === 'insight');
  }

  /** The Regions awsRegion terms allow, when every slice names them (used when no --region is given). */
  expressionRegions(): string[] | undefined {
    if (this.slices.length === 0 || this.slices.some((s) => !s.regions)) return undefined;
    return [...new Set(this.slices.flatMap((s) => [...s.regions!]))];
  }

  plan(asked: readonly string[]): Plan {
    const { startMs: windowStart = -Infinity, endMs: windowEnd = Infinity } = this.input;
    const notices = new Set<string>();
    const hints = new Set<string>();
    const skipped: string[] = [];
    const wanted: Lookup[] = [];
    for (const slice of this.slices) {
      const startMs = Math.max(windowStart, slice.startMs);
      const endMs = Math.min(windowEnd, slice.endMs);
      if (startMs > endMs) {
        skipped.push(`${slice.narrowed.join(' and ')}: outside the window asked; no lookup`);
        continue;
      }
      const regions = slice.regions ? asked.filter((r) => slice.regions!.has(r)) : [...asked];
      for (const pin of slice.pins) {
        const home = globalHome(pin.key, pin.value);
        if (home?.home === 'only' && slice.regions && !slice.regions.has(GLOBAL_REGION)) {
          hints.add(`${pin.term}: a global service, recorded in ${GLOBAL_REGION}'s event history with awsRegion ${GLOBAL_REGION}, and ${slice.narrowed.filter((n) => n.startsWith('awsRegion')).join(' and ')} asks for another Region`);
        }
      }
      if (slice.regions && regions.length === 0) {
        skipped.push(`${[...slice.regions].join(', ')} (${slice.narrowed.join(' and ')}): not among the Regions asked (--region ${asked.join(',')}); no lookup`);
        continue;
      }
      const categories: Category[] = slice.category ? [slice.category] : this.input.insightOnly ? ['insight'] : this.asksInsights ? ['management', 'insight'] : ['management'];
      for (const category of categories) {
        if (this.input.insightOnly && category !== 'insight') continue;
        wanted.push(...this.lookupsOf(slice, category, regions, { startMs, endMs }, notices, Boolean(slice.regions)));
      }
    }
    const lookups = dedupe(wanted);
    const whole = wholeReads(lookups, notices);
    const order = [...asked, ...(whole.some((l) => !asked.includes(l.region)) ? [GLOBAL_REGION] : [])];
    whole.sort((a, b) => order.indexOf(a.region) - order.indexOf(b.region) || share(a) - share(b));
    return { lookups: whole, regions: order.filter((r) => whole.some((l) => l.region === r)), notices: [...notices], skipped, hints: [...hints] };
  }

  private lookupsOf(slice: Slice, category: Category, regions: string[], window: { startMs: number; endMs: number }, notices: Set<string>, pinnedRegions: boolean): Lookup[] {
    const insight = category === 'insight';
    const usable = slice.pins.filter((p) => !insight || INSIGHT_KEYS.includes(p.key));
    const chosen = usable.reduce<Pin | undefined>((best, p) => (!best || estimatedShare(p) < estimatedShare(best) ? p : best), undefined);
    const why: string[] = [];
    if (chosen) {
      const others = usable.filter((p) => p !== chosen);
      why.push(
        others.length
          ? `${chosen.term} -> ${chosen.key}=${chosen.value}: the narrowest (${percent(estimatedShare(chosen))} of events) of ${usable.map((p) => `${p.key} ${percent(estimatedShare(p))}`).join(', ')}`
          : `${chosen.term} -> ${chosen.key}=${chosen.value} (${percent(estimatedShare(chosen))} of events)`,
      );
    } else {
      why.push(slice.pins.length && insight ? `Insights lookups take only ${INSIGHT_KEYS.join(', ')}: the whole window` : 'no term here that a lookup attribute can narrow: the whole window');
    }
    for (const n of slice.narrowed) why.push(`${n} narrows the ${/^(awsRegion)/.test(n) ? 'Regions' : /^eventCategory/.test(n) ? 'category' : 'window'}`);
    if (insight) why.push('Insights events (--event-category insight)');
    let where = regions;
    const home = chosen && !pinnedRegions ? globalHome(chosen.key, chosen.value) : undefined;
    /** A reason for the us-east-1 lookup only. */
    let globalWhy: string | undefined;
    if (home) {
      const what = chosen!.key === 'EventSource' ? chosen!.value : `${chosen!.value} (${home.sources.join(', ')})`;
      if (home.home === 'only') {
        where = [GLOBAL_REGION];
        if (regions.some((r) => r !== GLOBAL_REGION)) notices.add(`notice: ${what} is recorded in ${GLOBAL_REGION}'s event history only: looked up there, whatever --region says`);
        globalWhy = `a global service: its events are in ${GLOBAL_REGION}'s event history only`;
      } else if (!regions.includes(GLOBAL_REGION)) {
        where = [...regions, GLOBAL_REGION];
        notices.add(`notice: ${what} calls to the global endpoint are recorded in ${GLOBAL_REGION}: looked up there too`);
        globalWhy = `calls to the global endpoint are recorded in ${GLOBAL_REGION} (those to a Regional endpoint in its Region)`;
      }
    }
    return where.map((region) => ({
      region,
      attribute: chosen ? { key: chosen.key, value: chosen.value } : undefined,
      startMs: Number.isFinite(window.startMs) ? window.startMs : undefined,
      endMs: Number.isFinite(window.endMs) ? window.endMs : undefined,
      insight,
      why: globalWhy && region === GLOBAL_REGION ? [...why, globalWhy] : [...why],
      pushed: [...(chosen ? [chosen.term] : []), ...slice.narrowed],
    }));
  }
}

function share(l: Lookup): number {
  return l.attribute ? estimatedShare(l.attribute) : 1;
}

function sameQuery(a: Lookup, b: Lookup): boolean {
  return a.region === b.region && a.insight === b.insight && a.startMs === b.startMs && a.endMs === b.endMs && a.attribute?.key === b.attribute?.key && a.attribute?.value === b.attribute?.value;
}

/** Within: every event `inner` returns, `outer` returns too. */
function within(inner: Lookup, outer: Lookup): boolean {
  if (inner.region !== outer.region || inner.insight !== outer.insight) return false;
  if (outer.attribute && (outer.attribute.key !== inner.attribute?.key || outer.attribute.value !== inner.attribute.value)) return false;
  return (outer.startMs ?? -Infinity) <= (inner.startMs ?? -Infinity) && (inner.endMs ?? Infinity) <= (outer.endMs ?? Infinity);
}

/** One lookup for the same query (their reasons joined); none that another already holds. */
function dedupe(lookups: Lookup[]): Lookup[] {
  const out: Lookup[] = [];
  for (const l of lookups) {
    const same = out.find((o) => sameQuery(o, l));
    if (same) {
      same.why.push(...l.why.filter((w) => !same.why.includes(w)));
      same.pushed = same.pushed.filter((p) => l.pushed.includes(p));
    } else out.push({ ...l, why: [...l.why] });
  }
  return out.filter((l, i) => !out.some((o, j) => j !== i && !sameQuery(o, l) && within(l, o)));
}

/**
 * Where a Region's lookups of one category would return most of its events anyway (readOnly=true
 * or readOnly=false), one read of the whole window costs fewer calls than all of them.
 */
function wholeReads(lookups: Lookup[], notices: Set<string>): Lookup[] {
  const groups = new Map<string, Lookup[]>();
  for (const l of lookups) {
    const key = `${l.region} ${l.insight}`;
    groups.set(key, [...(groups.get(key) ?? []), l]);
  }
  const out: Lookup[] = [];
  for (const group of groups.values()) {
    const total = group.reduce((n, l) => n + share(l), 0);
    if (group.length > 1 && total >= WHOLE_READ_SHARE) {
      const startMs = group.some((l) => l.startMs === undefined) ? undefined : Math.min(...group.map((l) => l.startMs!));
      const endMs = group.some((l) => l.endMs === undefined) ? undefined : Math.max(...group.map((l) => l.endMs!));
      const why = group.some((l) => !l.attribute)
        ? ['no term here that a lookup attribute can narrow: the whole window']
        : [`${group.length} lookups would return ~${Math.round(total * 100)}% of the events: one read of the whole window costs fewer calls`];
      out.push({ region: group[0].region, insight: group[0].insight, startMs, endMs, why, pushed: [] });
    } else out.push(...group);
  }
  // Insights events are few: reading all of a window's is cheap.
  if (out.some((l) => !l.attribute && !l.insight)) {
    const regions = [...new Set(out.filter((l) => !l.attribute && !l.insight).map((l) => l.region))];
    notices.add(
      `notice: no lookup attribute narrows ${regions.length === 1 ? `${regions[0]}'s part of the question` : `the question in ${regions.join(', ')}`}: ` +
        'reading the whole window there, 50 events a call at 2 calls/s per Region (6,000 events a minute; 100,000 events take 2,000 calls, about 17 minutes)',
    );
  }
  return out;
}

/** Whether LookupEvents `l` returns the item (as the API matches: exact, case-sensitive). */
export function returnedBy(item: Record<string, unknown>, eventMs: number | undefined, l: Lookup): boolean {
  if (l.startMs !== undefined && (eventMs === undefined || eventMs < l.startMs)) return false;
  if (l.endMs !== undefined && (eventMs === undefined || eventMs > l.endMs)) return false;
  if (!l.attribute) return true;
  const { key, value } = l.attribute;
  if (key === 'ResourceName' || key === 'ResourceType') {
    const resources = item.Resources;
    return Array.isArray(resources) && resources.some((r) => (r as Record<string, unknown> | null)?.[key] === value);
  }
  return item[key] === value;
}

/** One line for a lookup: `EventName=ConsoleLogin, 2024-07-22T08:00:00Z to now, Insights`. */
export function lookupText(l: Lookup): string {
  const what = l.attribute ? `${l.attribute.key}=${l.attribute.value}` : 'every event';
  const window = l.startMs === undefined && l.endMs === undefined ? 'all of event history (90 days)' : `${l.startMs === undefined ? 'start of history' : iso(l.startMs)} to ${l.endMs === undefined ? 'now' : iso(l.endMs)}`;
  return `${what}, ${window}${l.insight ? ', Insights' : ''}`;
}

/** The values the expression's equality and `in` tests give lookup attributes, anywhere in it (for checks against the catalogue). */
export function attributeTerms(e: Expr): (LookupAttribute & { term: string })[] {
  return testsOf(e).flatMap((t) => {
    const key = attributeKeyOf(t.path);
    const row = operatorRow(t.op);
    if (!key || (row.test !== 'equals' && row.test !== 'member')) return [];
    return t.values.map((v) => ({ key, value: v.text, term: `${t.path.text}=${formatLiteral(v, false)}` }));
  });
}

/** Every test of the expression on one of these paths (by the path as written). */
export function testsOn(e: Expr, match: (path: FieldPath) => boolean): Test[] {
  return testsOf(e).filter((t) => match(t.path));
}

/** Whether every event lookup `l` returns matches `e` (for --explain: a term the lookup answers by itself). */
export function answers(e: Expr, l: Lookup): boolean {
  switch (e.kind) {
    case 'or':
      return answers(e.left, l) || answers(e.right, l);
    case 'and':
      return answers(e.left, l) && answers(e.right, l);
    case 'not':
      return false;
    case 'test': {
      const row = operatorRow(e.op);
      if (row.negated || (row.test !== 'equals' && row.test !== 'member') || !l.attribute) return false;
      // The item's own spelling is what the API matched; the record's is the same field.
      return attributeKeyOf(e.path) === l.attribute.key && e.values.some((v) => v.text === l.attribute!.value && cidrBlock(v) === undefined);
    }
  }
}
