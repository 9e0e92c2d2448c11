// npm run demo: the offline pipeline over the bundled sample, through a real shell pipe.
//   ct-explode sample | ct-where 'errorCode~Denied and sourceIPAddress in 203.0.113.0/24' | ct-csv
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => `node ${JSON.stringify(path.join(root, 'dist/bin', `${name}.js`))}`;
const sample = JSON.stringify(path.join(root, 'data/sample-events.ndjson.gz'));
const pipeline =
  `${bin('ct-explode')} ${sample}` +
  ` | ${bin('ct-where')} 'errorCode~Denied and sourceIPAddress in 203.0.113.0/24'` +
  ` | ${bin('ct-csv')} -f eventTime,eventName,user,sourceIPAddress,errorCode --tz Asia/Tokyo`;
console.error(`$ ct-explode data/sample-events.ndjson.gz | ct-where 'errorCode~Denied and sourceIPAddress in 203.0.113.0/24' | ct-csv -f eventTime,eventName,user,sourceIPAddress,errorCode --tz Asia/Tokyo`);
const run = spawnSync('sh', ['-c', pipeline], { stdio: 'inherit' });
process.exitCode = run.status ?? 1;
