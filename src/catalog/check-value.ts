// Warnings for lookup values the catalogue does not know, with the nearest known ones. They never
// block: the API accepts any string and the catalogue can lag behind AWS.
import { catalog, eventNamesBySource } from './catalog';
import { nearest } from '../common/suggest';
import { usageError } from '../common/errors';

/** A warning for an EventSource or ResourceType value, or undefined when the value is known. */
export function unknownValueWarning(key: string, value: string): string | undefined {
  const c = catalog();
  const shown = value.length > 80 ? `'${value.slice(0, 60)}...' (${value.length} characters)` : `'${value}'`;
  if (key === 'EventSource') {
    // Only an endpoint or IAM prefix vouches for it: AWS writes the service's value (email -> ses,
    // cloudwatch -> monitoring).
    const entry = c.eventSources.find((v) => v.value === value);
    if (entry?.use) {
      const prefix = entry.tier === 'iam-prefix' ? 'IAM prefix' : 'endpoint prefix';
      return `warning: EventSource ${shown} is the service's ${prefix}, not the value AWS writes in eventSource; did you mean '${entry.use}'?`;
    }
  }
  if (key === 'ResourceType') {
    // Known to CloudFormation, but event history spells it its own way (AWS::IAM::SamlProvider).
    const own = c.resourceTypes.find((v) => v.eventHistory && v.value !== value && v.value.toLowerCase() === value.toLowerCase());
    if (own) return `warning: ResourceType ${shown} is CloudFormation's spelling; event history writes '${own.value}' (matching is exact and case-sensitive)`;
  }
  let known: string[];
  if (key === 'EventSource') known = c.eventSources.filter((v) => !v.use).map((v) => v.value);
  else if (key === 'ResourceType') known = c.resourceTypes.map((v) => v.value);
  else if (key === 'EventName') known = Object.values(eventNamesBySource()).flat();
  else return undefined;
  if (known.includes(value)) return undefined;
  const expanded = key === 'EventSource' && !value.includes('.') ? `${value}.amazonaws.com` : value;
  const near = known.includes(expanded) ? [expanded] : nearest(expanded, known);
  const hint = near.length ? `; did you mean ${near.map((n) => `'${n}'`).join(' or ')}?` : '';
  return `warning: ${key} ${shown} is not in the catalogue (matching is exact and case-sensitive)${hint}`;
}

/** A Region name as given to `option`; a near miss of a known one (`us-east1`, `US-EAST-1`) is a usage error with did-you-mean. */
export function checkedRegion(name: string, option: string): string {
  const known = catalog().regions.map((r) => r.value);
  if (known.includes(name)) return name;
  const sameLetters = known.find((k) => k.toLowerCase() === name.toLowerCase());
  const near = sameLetters ? [sameLetters] : nearest(name, known);
  if (near.length) throw usageError(`${option}: unknown Region '${name}'; did you mean ${near.join(' or ')}?`);
  return name;
}
