// npm run descriptions [-- BOTOCORE_DATA_DIR]: writes data/service-descriptions.json, a short
// description per event source, so that `ct-catalog event-sources dns` finds route53. The text is
// the service documentation of botocore's service models (Apache-2.0), as shipped by the AWS CLI
// v2 (Debian's `awscli`; its botocore/data by default): the npm registry has no package with the
// services' descriptions (aws-sdk v2's models carry none). The output is committed and read by
// scripts/catalog.mjs; run this again only to refresh it. Same input, same bytes.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_DATA = '/usr/lib/python3/dist-packages/awscli/botocore/data';
const data = process.argv[2] ?? DEFAULT_DATA;
/** Where to write (a test writes elsewhere, to compare): data/service-descriptions.json by default. */
const file = process.argv[3] ?? path.join(root, 'data/service-descriptions.json');
const committed = path.join(root, 'data/service-descriptions.json');
if (!existsSync(data)) {
  console.error(`service-descriptions: ${data}: no botocore data here (apt-get install awscli, or name the folder)`);
  process.exit(2);
}

/** Sentences that say what the document is, not what the service does. */
const BOILERPLATE = /API Reference|API reference|This guide|This document|documentation for|Welcome to|For more information|For information|For details|see the |This section|This is the|This is an|reference documentation|provides descriptions|^Note that|^For a summary|Support and Feedback|We welcome|Discussion Forum|^In this reference|documentation$|list of endpoints|^Operations for|^Use the .* API/;
const MAX_LENGTH = 300;

/** The documentation's opening sentences, as plain text, up to MAX_LENGTH characters. */
function describe(html) {
  const text = html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
  const sentences = text.match(/[^.!?]+(?:[.!?]+(?=\s|$)|$)/g) ?? [];
  let out = '';
  for (const raw of sentences) {
    const sentence = raw.trim();
    if (!sentence || BOILERPLATE.test(sentence)) continue;
    if (out && out.length + sentence.length + 1 > MAX_LENGTH) break;
    out = out ? `${out} ${sentence}` : sentence;
    if (out.length >= MAX_LENGTH / 2) break;
  }
  return out.length > MAX_LENGTH ? `${out.slice(0, MAX_LENGTH - 1)}…` : out;
}

const descriptions = {};
/** value -> how surely the model that described it is the service's own (see below). */
const ranks = {};
let version = 'unknown';
const cli = path.join(data, '..', '..', '__init__.py');
if (existsSync(cli)) version = /__version__ = '([^']+)'/.exec(readFileSync(cli, 'utf8'))?.[1] ?? version;
for (const service of readdirSync(data).sort()) {
  const dir = path.join(data, service);
  if (!statSync(dir).isDirectory()) continue;
  const versions = readdirSync(dir).filter((v) => existsSync(path.join(dir, v, 'service-2.json'))).sort();
  if (!versions.length) continue;
  const model = JSON.parse(readFileSync(path.join(dir, versions.at(-1), 'service-2.json'), 'utf8'));
  const { signingName, endpointPrefix } = model.metadata;
  const value = `${signingName ?? endpointPrefix}.amazonaws.com`;
  // Several models may sign as one service (s3 and s3control; rds, docdb and neptune): the model
  // named after it speaks for it, else one whose endpoint is it.
  const rank = service === (signingName ?? endpointPrefix) ? 2 : !signingName || signingName === endpointPrefix ? 1 : 0;
  const text = describe(model.documentation ?? '');
  if (!(value in ranks) || rank > ranks[value]) {
    ranks[value] = rank;
    if (text) descriptions[value] = text;
    else delete descriptions[value];
  }
}

// Hand-kept descriptions (services with no model, or whose model says nothing about them) are
// kept as they are: each with its citation.
const handKept = existsSync(committed) ? (JSON.parse(readFileSync(committed, 'utf8')).handKept ?? {}) : {};
const out = {
  _source: `descriptions: the service documentation of botocore's service models (Apache-2.0, github.com/boto/botocore), from the AWS CLI ${version} (Debian package awscli): its opening sentences, boilerplate dropped; made by scripts/service-descriptions.mjs. handKept: written here, each with its citation; they win.`,
  handKept,
  descriptions,
};
writeFileSync(file, `${JSON.stringify(out, null, 1)}\n`);
console.log(`${path.relative(root, file)}: ${Object.keys(descriptions).length} event sources`);
