// The bundled catalogue (data/catalog.json, made by scripts/catalog.mjs), loaded on first use.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AttributeKey } from './lookup-keys';

export interface CatalogValue {
  value: string;
  tier: string;
  sources: string[];
}

export interface Catalog {
  generatedBy: string;
  inputs: Record<string, string>;
  eventSources: CatalogValue[];
  resourceTypes: CatalogValue[];
  eventNames: Record<string, string[]>;
  attributeKeys: AttributeKey[];
  fields: string[];
  regions: { value: string; partition: string; description: string }[];
}

let loaded: Catalog | undefined;

export function catalog(): Catalog {
  loaded ??= JSON.parse(readFileSync(path.join(__dirname, '../../data/catalog.json'), 'utf8')) as Catalog;
  return loaded;
}
