// ct-catalog: lists the values LookupEvents accepts that AWS publishes nowhere in one place:
// event sources, resource types, event names per source, the attribute keys, record fields, Regions.
import type { Argv } from 'yargs';
import type { Command, OptionTable } from '../cli/command';
import { catalog, eventNamesBySource, serviceDescriptions, type CatalogValue } from '../catalog/catalog';
import { CATALOG_LISTS, completionScript } from '../cli/completion';
import { usageError } from '../common/errors';
import type { Io } from '../run/io';
import { nearest } from '../common/suggest';

const LISTS = CATALOG_LISTS;
type List = (typeof LISTS)[number];

interface CatalogOptions {
  list: List;
  pattern?: string;
  source?: string;
  json: boolean;
  long: boolean;
}

const OPTIONS: OptionTable = {
  source: { type: 'string', describe: 'With event-names: the event source (ec2 or ec2.amazonaws.com)' },
  json: { type: 'boolean', default: false, describe: 'One JSON array, for tools' },
  long: { alias: 'l', type: 'boolean', default: false, describe: 'Show confidence tier and sources (or meaning and example)' },
};

export const catalogCommand: Command<CatalogOptions> = {
  name: 'ct-catalog',
  optionTable: OPTIONS,
  usage: (y: Argv) =>
    y
      .usage(
        'Usage: ct-catalog LIST [PATTERN] [options]\n\n' +
          `List valid values, one per line. LIST is one of: ${LISTS.join(', ')}\n(completion SHELL prints a completion script for bash, zsh or fish).\n` +
          'PATTERN matches case-insensitively anywhere in the value; event sources also by the service\'s\n' +
          'names, then by its description (every word of PATTERN: `dns`, `object storage`). Values come from the AWS SDKs\n' +
          'and CloudFormation, plus documented exceptions (see -l); the API accepts any string, so\n' +
          'a value missing here may still exist.',
      )
      .command('$0 <list> [pattern]', false, (c) =>
        c.positional('list', { choices: LISTS }).positional('pattern', { type: 'string' }),
      ),
  examples: [
    ['ct-catalog event-sources ec2', 'event sources containing "ec2"'],
    ["ct-catalog event-sources 'data warehouse'", 'event sources by what the service does'],
    ['ct-catalog resource-types s3::', 'resource types of S3'],
    ['ct-catalog event-names --source iam | grep -i accesskey', 'IAM event names about access keys'],
    ['ct-catalog -l event-sources monitoring', 'where a value comes from'],
    ['ct-catalog attribute-keys -l', 'the eight lookup keys with examples'],
    ['eval "$(ct-catalog completion bash)"', 'shell completion (bash, zsh, or: ct-catalog completion fish | source)'],
  ],
  run: runCatalog,
};

function runCatalog(options: CatalogOptions, io: Io): Promise<number> {
  if (options.list === 'completion') {
    const script = completionScript(options.pattern ?? '');
    if (!script) throw usageError(`completion: name a shell: bash, zsh or fish (e.g. eval "$(ct-catalog completion bash)")`);
    io.out.write(script);
    return Promise.resolve(0);
  }
  const rows = select(options);
  const text = options.json ? `${JSON.stringify(rows.map((r) => r.json))}\n` : rows.map((r) => `${options.long ? r.long : r.value}\n`).join('');
  io.out.write(text);
  return Promise.resolve(rows.length > 0 || options.json ? 0 : 1);
}

interface Row {
  value: string;
  long: string;
  json: unknown;
}

/**
 * Event sources by value, or by the service's name (`cloudwatch`, `eventbridge`, `cognito`); then,
 * after those, by description: every word of the pattern is a word of it (`dns`, `object storage`,
 * `data warehouse`). -l and --json show the description.
 */
function eventSources(values: CatalogValue[], pattern: string | undefined): Row[] {
  const described = serviceDescriptions();
  const text = pattern?.toLowerCase() ?? '';
  // Whole words, singular or plural: `container` and `containers` find "containers", `signin` not "signing".
  const words = text
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => new RegExp(`(?:^|[^\\p{L}\\p{N}])${escapeRegExp(w.replace(/(?<=..)e?s$/, ''))}(?:s|es)?(?![\\p{L}\\p{N}])`, 'iu'));
  const byName = (v: CatalogValue): boolean => v.value.toLowerCase().includes(text) || (v.names ?? []).some((n) => n.toLowerCase().includes(text));
  const byDescription = (v: CatalogValue): boolean => {
    const description = described[v.value];
    return description !== undefined && words.length > 0 && words.every((w) => w.test(description));
  };
  const first = values.filter(byName);
  // Those whose description says it soonest come first (route53 before guardduty for `dns`).
  const soonest = (v: CatalogValue): number => described[v.value].search(words[0]);
  const then = pattern ? values.filter((v) => !byName(v) && byDescription(v)).sort((a, b) => soonest(a) - soonest(b)) : [];
  return [...first, ...then].map((v) => {
    const description = described[v.value];
    return {
      value: v.value,
      long: [v.value, v.tier, v.sources.join('; '), (v.names ?? []).join('; '), description ?? ''].join('\t').replace(/\t+$/, ''),
      json: description ? { ...v, description } : v,
    };
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function select(options: CatalogOptions): Row[] {
  const c = catalog();
  const match = (v: string): boolean => !options.pattern || v.toLowerCase().includes(options.pattern.toLowerCase());
  const plain = (v: string): Row => ({ value: v, long: v, json: v });
  const tiered = (v: CatalogValue): Row => ({
    value: v.value,
    long: [v.value, v.eventHistory ? `${v.tier}, event history` : v.tier, v.sources.join('; '), ...(v.names?.length ? [v.names.join('; ')] : [])].join('\t'),
    json: v,
  });
  switch (options.list) {
    case 'event-sources':
      return eventSources(c.eventSources, options.pattern);
    case 'resource-types':
      return c.resourceTypes.filter((v) => match(v.value)).map(tiered);
    case 'event-names':
      return eventNames(options.source).filter(match).map(plain);
    case 'attribute-keys':
      return c.attributeKeys
        .filter((k) => match(k.key))
        .map((k) => ({ value: k.key, long: `${k.key}\t${k.meaning}\te.g. ${k.example}`, json: k }));
    case 'fields':
      return c.fields.filter(match).map(plain);
    case 'completion':
      return [];
    case 'regions':
      return c.regions.filter((r) => match(r.value)).map((r) => ({ value: r.value, long: `${r.value}\t${r.partition}\t${r.description}`, json: r }));
  }
}

function eventNames(source: string | undefined): string[] {
  const names = eventNamesBySource();
  if (!source) throw usageError('event-names needs --source, e.g. --source ec2.amazonaws.com');
  const full = source.includes('.') ? source : `${source}.amazonaws.com`;
  if (names[full]) return names[full];
  const near = nearest(full, Object.keys(names));
  throw usageError(`--source: no event names known for '${source}'${near.length ? `; did you mean ${near.join(' or ')}?` : ''}`);
}
