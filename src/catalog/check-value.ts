// Warnings for lookup values the catalogue does not know, with the nearest known ones. They never
// block: the API accepts any string and the catalogue can lag behind AWS.
import { catalog, eventNamesBySource } from './catalog';
import { nearest } from '../common/suggest';

/** A warning for an EventSource or ResourceType value, or undefined when the value is known. */
export function unknownValueWarning(key: string, value: string): string | undefined {
  const c = catalog();
  let known: string[];
  if (key === 'EventSource') known = c.eventSources.map((v) => v.value);
  else if (key === 'ResourceType') known = c.resourceTypes.map((v) => v.value);
  else if (key === 'EventName') known = Object.values(eventNamesBySource()).flat();
  else return undefined;
  if (known.includes(value)) return undefined;
  const expanded = key === 'EventSource' && !value.includes('.') ? `${value}.amazonaws.com` : value;
  const near = known.includes(expanded) ? [expanded] : nearest(expanded, known);
  const hint = near.length ? `; did you mean ${near.map((n) => `'${n}'`).join(' or ')}?` : '';
  const shown = value.length > 80 ? `'${value.slice(0, 60)}...' (${value.length} characters)` : `'${value}'`;
  return `warning: ${key} ${shown} is not in the catalogue (matching is exact and case-sensitive)${hint}`;
}
