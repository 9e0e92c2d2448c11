// Writes data/sample-events.ndjson.gz: 3,000 deterministic LookupEvents items (same bytes on
// every run; gzip level and header time are fixed). Usage: npm run sample
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { lookupLines } from './lib/synth.mjs';

const out = new URL('../data/sample-events.ndjson.gz', import.meta.url);
const text = [...lookupLines(20240722, 3000)].join('');
writeFileSync(out, gzipSync(text, { level: 9 }));
console.log(`wrote ${out.pathname}: 3000 events, ${text.length} bytes before gzip`);
