// A LookupEvents item's Resources, as event history fills them: from the call itself (names and
// IDs in the request and response, per event: data/event-resources.json), not from the record's
// resources[]; that list, each ARN cut to its name, is only the fallback for events the table
// does not know.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Many, ownValue, parsePath, resolveSteps, type FieldPath } from '../events/field-path';

export interface ItemResource {
  ResourceType: string;
  ResourceName: string;
}

type Rule = [type: string, path: FieldPath][];

interface Table {
  events: Map<string, Rule>;
  sources: Map<string, Rule>;
  none: Set<string>;
}

let table: Table | undefined;

function load(): Table {
  const file = JSON.parse(readFileSync(path.join(__dirname, '../../data/event-resources.json'), 'utf8')) as {
    events: Record<string, [string, string][]>;
    sources: Record<string, [string, string][]>;
    none: string[];
  };
  const rules = (pairs: [string, string][]): Rule => pairs.map(([type, text]) => [type, parsePath(text, 'data/event-resources.json')]);
  return {
    events: new Map(Object.entries(file.events).map(([key, pairs]) => [key, rules(pairs)])),
    sources: new Map(Object.entries(file.sources).map(([key, pairs]) => [key, rules(pairs)])),
    none: new Set(file.none),
  };
}

/** The strings a path reaches (each element of an array on the way). */
function strings(record: unknown, at: FieldPath): string[] {
  const found = resolveSteps(record, at.steps);
  const values = found instanceof Many ? found.values : [found];
  return values.filter((v): v is string => typeof v === 'string' && v !== '');
}

/** `arn:aws:iam::1:role/Admin` -> `Admin`, `arn:aws:s3:::bucket` -> `bucket`, `arn:aws:lambda:r:1:function:f` -> `f`. */
export function nameOfArn(arn: string): string {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return arn;
  const resource = parts.slice(5).join(':');
  if (parts[2] === 's3') return resource;
  const cut = resource.search(/[/:]/);
  return cut >= 0 ? resource.slice(cut + 1) : resource;
}

export function itemResources(record: Record<string, unknown>): ItemResource[] {
  table ??= load();
  const source = ownValue(record, 'eventSource');
  const name = ownValue(record, 'eventName');
  const rule = table.events.get(`${String(source)} ${String(name)}`) ?? table.sources.get(String(source));
  const out: ItemResource[] = [];
  const seen = new Set<string>();
  const add = (type: string, value: string): void => {
    const key = `${type}\n${value}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ ResourceType: type, ResourceName: value });
  };
  if (rule) {
    for (const [type, at] of rule) for (const value of strings(record, at)) add(type, value);
    return out;
  }
  if (typeof source === 'string' && table.none.has(source)) return out;
  const resources = ownValue(record, 'resources');
  if (!Array.isArray(resources)) return out;
  for (const r of resources) {
    const type = ownValue(r, 'type');
    const arn = ownValue(r, 'ARN') ?? ownValue(r, 'ARNPrefix');
    if (typeof type === 'string' && typeof arn === 'string') add(type, nameOfArn(arn));
  }
  return out;
}
