// npm run demo: the main job over the bundled sample, through real shell pipes. ct-serve serves
// data/sample-events.ndjson.gz as recent history (--shift: its newest event a minute ago) on a
// local CloudTrail endpoint (rate limit on), then
//   ct-fetch -a EventSource=signin.amazonaws.com | ct-where '...Failure' | ct-csv
// runs against it with dummy credentials, and the server is stopped.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'dist/bin', `${name}.js`);
const server = spawn(process.execPath, [bin('ct-serve'), '--shift', path.join(root, 'data/sample-events.ndjson.gz')], { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise((resolve, reject) => {
  let text = '';
  server.stdout.setEncoding('utf8').on('data', (d) => {
    text += d;
    if (text.includes('\n')) resolve(text.slice(0, text.indexOf('\n')));
  });
  server.on('exit', (code) => reject(new Error(`ct-serve exited ${code}`)));
});

const shown =
  `ct-fetch --endpoint-url ${url} --region us-east-1,eu-west-1 --start-time 12h -a EventSource=signin.amazonaws.com` +
  ` | ct-where 'responseElements.ConsoleLogin=Failure or responseElements.SwitchRole=Failure'` +
  ` | ct-csv -f eventTime,awsRegion,eventName,user,sourceIPAddress,errorMessage --tz Asia/Tokyo`;
const pipeline = shown.replace(/ct-(fetch|where|csv)/g, (name) => `node ${JSON.stringify(bin(name))}`);
console.error(`$ ${shown}`);
const env = { ...process.env, AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'demo', AWS_EC2_METADATA_DISABLED: 'true' };
delete env.AWS_PROFILE;
const run = spawnSync('sh', ['-c', pipeline], { stdio: 'inherit', env });
server.kill('SIGTERM');
process.exitCode = run.status ?? 1;
