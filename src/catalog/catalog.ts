// The bundled catalogue (data/catalog.json and data/event-names.json, made by scripts/catalog.mjs;
// data/service-descriptions.json, by scripts/service-descriptions.mjs), each file loaded on first use.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AttributeKey } from './lookup-keys';

export interface CatalogValue {
  value: string;
  tier: string;
  sources: string[];
  /** The service's names in the SDK (full name, abbreviation, id), for search. */
  names?: string[];
  /** A resource type event history is known to use (listed first). */
  eventHistory?: boolean;
  /** An event source only an endpoint prefix vouches for: the value AWS writes instead. */
  use?: string;
}

export interface Catalog {
  generatedBy: string;
  inputs: Record<string, string>;
  eventSources: CatalogValue[];
  resourceTypes: CatalogValue[];
  attributeKeys: AttributeKey[];
  fields: string[];
  regions: { value: string; partition: string; description: string }[];
}

let loaded: Catalog | undefined;
let names: Record<string, string[]> | undefined;

const dataFile = (name: string): unknown => JSON.parse(readFileSync(path.join(__dirname, '../../data', name), 'utf8'));

export function catalog(): Catalog {
  loaded ??= dataFile('catalog.json') as Catalog;
  return loaded;
}

let descriptions: Record<string, string> | undefined;

/** A short description per event source, to search by (`dns` finds route53): hand-kept ones first. */
export function serviceDescriptions(): Record<string, string> {
  if (!descriptions) {
    const file = dataFile('service-descriptions.json') as {
      handKept: Record<string, { description: string }>;
      descriptions: Record<string, string>;
    };
    descriptions = { ...file.descriptions };
    for (const [value, kept] of Object.entries(file.handKept)) descriptions[value] = kept.description;
  }
  return descriptions;
}

/** Event names (API operations) per event source. */
export function eventNamesBySource(): Record<string, string[]> {
  names ??= (dataFile('event-names.json') as { eventNames: Record<string, string[]> }).eventNames;
  return names;
}
