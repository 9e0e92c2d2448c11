// When ct-fetch --where writes nothing, stderr says what was checked and what it found: each
// lookup's count and the term of the expression that removed its events; then what is known
// without a call: values the catalogue does not know, a global service asked elsewhere, a window
// beyond event history's 90 days or too recent, data events, Insights events not asked for.
import { unknownValueWarning } from '../catalog/check-value';
import { dataEventSource } from '../catalog/data-events';
import type { Expr } from '../expr/parser';
import { iso } from './lookup-options';
import { attributeTerms, lookupText, testsOn, type Plan } from './plan';
import type { Tally } from './plan-filter';

export interface EmptyAnswer {
  expr: Expr;
  plan: Plan;
  tallies: readonly Tally[];
  terms: readonly { text: string }[];
  now: number;
  asksInsights: boolean;
}

const HISTORY_MS = 90 * 864e5;
/** Event history shows an event about 5 minutes after the call, on average (CloudTrail FAQ). */
const DELIVERY_MS = 5 * 60_000;

const count = (n: number, what: string): string => `${n.toLocaleString('en-US')} ${what}${n === 1 ? '' : 's'}`;

/** Lines for stderr, after "no event matched". */
export function whyEmpty(a: EmptyAnswer): string[] {
  const asked = a.plan.lookups.map((l, i) => `${l.region} ${lookupText(l)}: ${evidence(a.tallies[i], a.terms)}`);
  const none = a.plan.lookups.length === 0 ? ['no lookup was made: no event can match in the window and Regions asked'] : [];
  return [...asked, ...none, ...a.plan.skipped.map((s) => `left out: ${s}`), ...knownCauses(a)];
}

function evidence(t: Tally, terms: readonly { text: string }[]): string {
  if (t.returned === 0) return 'returned no events';
  const parts = [`returned ${count(t.returned, 'event')}`];
  if (t.duplicates) parts.push(`${t.duplicates} already written by an earlier lookup`);
  if (t.unreadable) parts.push(`${t.unreadable} with a record that could not be read`);
  let before = t.returned - t.duplicates - t.unreadable;
  for (let k = 0; k < terms.length && before > 0; k++) {
    const n = t.passed[k];
    if (n === 0) {
      parts.push(terms.length === 1 ? `none matched ${terms[k].text}` : `none ${k === 0 ? '' : 'of those '}had ${terms[k].text}`);
      break;
    }
    if (n < before) parts.push(`${n.toLocaleString('en-US')} ${k === 0 ? '' : 'of those '}had ${terms[k].text}`);
    before = n;
  }
  return parts.join('; ');
}

function knownCauses(a: EmptyAnswer): string[] {
  const out: string[] = [];
  const attributes = attributeTerms(a.expr);
  for (const t of attributes) {
    const warning = unknownValueWarning(t.key, t.value);
    if (warning) out.push(`${t.term}: ${warning.replace(/^warning: /, '')}`);
  }
  out.push(...a.plan.hints);
  const starts = a.plan.lookups.map((l) => l.startMs ?? -Infinity);
  const ends = a.plan.lookups.map((l) => l.endMs ?? a.now);
  const start = starts.length ? Math.min(...starts) : -Infinity;
  const end = ends.length ? Math.max(...ends) : a.now;
  if (Number.isFinite(start) && start < a.now - HISTORY_MS) {
    const oldest = a.now - HISTORY_MS;
    out.push(
      end < oldest
        ? `the window (${iso(start)} to ${iso(end)}) is all more than 90 days ago: event history keeps 90 days (nothing before ${iso(oldest)}); older events are only in a trail's files`
        : `the window starts ${iso(start)}, more than 90 days ago: event history keeps 90 days, nothing before ${iso(oldest)} is there`,
    );
  }
  if (end >= a.now - DELIVERY_MS && Number.isFinite(start) && end - start <= 3_600_000) {
    out.push('the window ends in the last 5 minutes: an event reaches event history about 5 minutes after the call (on average), so the newest calls may not be there yet');
  }
  const sources = attributes.filter((t) => t.key === 'EventSource').map((t) => t.value);
  for (const t of attributes.filter((x) => x.key === 'EventName')) {
    const service = sources.map((s) => dataEventSource(t.value, s)).find(Boolean) ?? (sources.length ? undefined : dataEventSource(t.value));
    if (service) out.push(`${t.term}: ${t.value} is a data event of ${service}; event history never holds data events, only a trail that logs them does: read its files (ct-where EXPRESSION -- DIR, after aws s3 sync of the trail's bucket)`);
  }
  for (const t of attributes.filter((x) => x.key === 'ResourceType' && x.value === 'AWS::S3::Object')) {
    out.push(`${t.term}: S3 object calls are data events; event history never holds them, only a trail that logs data events does`);
  }
  const insightTests = testsOn(a.expr, (p) => p.steps[0]?.kind === 'key' && p.steps[0].name === 'insightDetails');
  const insightType = testsOn(a.expr, (p) => p.text === 'eventType').some((t) => t.values.some((v) => v.text === 'AwsCloudTrailInsight'));
  if (!a.asksInsights && (insightTests.length || insightType)) {
    out.push("the expression looks at Insights events, but asks for management events only: Insights events come with eventCategory=Insight in the expression (or --event-category insight)");
  }
  return out;
}
