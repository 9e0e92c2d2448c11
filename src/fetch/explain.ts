// ct-fetch --explain (and --verbose): the plan as text. Per Region, each lookup with its window
// and why it was chosen; the terms left for the client; what was left out and why.
import type { Expr } from '../expr/parser';
import { answers, lookupText, type Plan } from './plan';

export function explainPlan(plan: Plan, asked: readonly string[], terms: readonly { expr: Expr; text: string }[]): string {
  const out: string[] = [];
  const calls = plan.lookups.length;
  out.push(`${calls === 1 ? '1 lookup' : `${calls} lookups`} in ${plan.regions.length === 1 ? `Region ${plan.regions[0] ?? ''}` : `${plan.regions.length} Regions`} (Regions asked: ${asked.join(', ')}); each pages at 50 events a call, a Region's lookups share its 2 calls/s`);
  let n = 0;
  for (const region of plan.regions) {
    out.push(`${region}:`);
    for (const l of plan.lookups.filter((x) => x.region === region)) {
      out.push(`  ${++n}. ${lookupText(l)}`);
      for (const why of l.why) out.push(`     why: ${why}`);
      const left = terms.filter((t) => !l.pushed.includes(t.text) && !answers(t.expr, l));
      out.push(`     left for the client: ${left.length ? left.map((t) => t.text).join(' and ') : 'nothing (the lookup answers it)'}`);
    }
  }
  if (calls === 0) out.push('no lookup: no event can match in the window and Regions asked');
  for (const s of plan.skipped) out.push(`left out: ${s}`);
  for (const notice of plan.notices) out.push(notice);
  if (calls > 1) out.push('an event two lookups return is written once (by the first; the item tells which lookups return it)');
  out.push(`every event returned is checked against the whole expression, as ct-where checks it: ${terms.map((t) => t.text).join(' and ')}`);
  return `${out.join('\n')}\n`;
}
