// Every example every --help shows, and every command of the README's quick start and cookbook,
// runs as printed: taken from the help text of the built bins and from README.md, and run by bash in a folder holding the files the examples name (made from the sample), with
// stdin the sample's events. ct-fetch reaches a ct-serve on 127.0.0.1:8080 (as the examples say)
// or, where the example names no endpoint, through AWS_ENDPOINT_URL, the SDK's own setting.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { BIN_NAMES, binDir, ROOT, SAMPLE, serve, tempDir, type Served } from '../helpers';

const COMMANDS = BIN_NAMES;

/** The example lines of a command's --help: the lines under "Examples:" indented by two spaces. */
function examplesOf(command: string): string[] {
  const help = spawnSync(path.join(binDir(), command), ['--help'], { encoding: 'utf8' }).stdout;
  const section = help.slice(help.indexOf('\nExamples:\n') + 11, help.indexOf('\nExit status:'));
  return section.split('\n').filter((l) => /^ {2}\S/.test(l)).map((l) => l.trim());
}

const items = gunzipSync(readFileSync(SAMPLE)).toString('utf8');
const records = items.split('\n').filter(Boolean).map((l) => JSON.parse(JSON.parse(l).CloudTrailEvent) as unknown);
let dir = '';
let server: Served;

beforeAll(async () => {
  dir = tempDir();
  writeFileSync(path.join(dir, 'events.ndjson'), items);
  writeFileSync(path.join(dir, 'page.json'), JSON.stringify({ Events: items.split('\n').filter(Boolean).slice(0, 50).map((l) => JSON.parse(l) as unknown) }));
  const day = path.join(dir, 'AWSLogs/123456789012/CloudTrail/us-east-1/2024/07/22');
  mkdirSync(day, { recursive: true });
  writeFileSync(path.join(day, '123456789012_CloudTrail_us-east-1_20240722T0000Z_a.json.gz'), gzipSync(JSON.stringify({ Records: records.slice(0, 500) })));
  mkdirSync(path.join(dir, 'trail'));
  writeFileSync(path.join(dir, 'trail/t.json'), JSON.stringify({ Records: records.slice(500, 600) }));
  mkdirSync(path.join(dir, 'data'));
  copyFileSync(SAMPLE, path.join(dir, 'data/sample-events.ndjson.gz'));
  server = await serve(['--port', '8080', '--rate', '0', '--shift', SAMPLE]);
});
afterAll(() => server?.stop());

/** Examples that talk to something other than ct-serve: the AWS CLI's own calls are tested in serve-protocol. */
const elsewhere = (line: string): boolean => line.startsWith('aws ');

/**
 * The commands of a README section's ```sh blocks: continuation lines joined, comments and blank
 * lines left out, and what the test itself stands for left out too (npm, the exported dummy
 * keys, the ct-serve started in the background: the test's own ct-serve is on port 8080).
 */
function readmeCommands(heading: string): string[] {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf(`\n## ${heading}\n`);
  const section = readme.slice(start, readme.indexOf('\n## ', start + 4));
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
  return blocks
    .flatMap((b) => b.replace(/\\\n\s*/g, ' ').split('\n'))
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter((l) => l && !l.startsWith('#') && !/^(npm|export) /.test(l) && !/^ct-serve .*&$/.test(l));
}

describe.each(['Quick start', 'Cookbook'])('README: %s', (heading) => {
  test('every command runs as written', () => {
    const lines = readmeCommands(heading);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines.filter((l) => !elsewhere(l))) run(line);
  }, 120000);
});

describe.each(COMMANDS)('%s --help', (command) => {
  test('every example runs as printed', () => {
    const examples = examplesOf(command);
    expect(examples.length).toBeGreaterThanOrEqual(3);
    for (const line of examples.filter((l) => !elsewhere(l))) run(line);
  }, 120000);
});

/** Runs one line as a user would in bash; it must end 0 and say nothing of an error. */
function run(line: string): void {
  // A ct-serve example serves until stopped: two seconds, then SIGINT, as a user would (on any
  // free port: the test's own ct-serve holds 8080).
  const script = line.startsWith('ct-serve') ? `timeout -s INT 2 ${line.replace('--port 8080', '--port 0')}; test $? -eq 0 -o $? -eq 124` : line;
  const r = spawnSync('bash', ['-c', `set -o pipefail; ${script}`], {
    cwd: dir,
    input: items,
    encoding: 'utf8',
    timeout: 20000,
    maxBuffer: 64 * 1024 * 1024,
    env: {
      ...process.env,
      PATH: `${binDir()}:${process.env.PATH}`,
      AWS_ENDPOINT_URL: 'http://127.0.0.1:8080',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'example',
      AWS_EC2_METADATA_DISABLED: 'true',
    },
  });
  expect({ line, status: r.status, stderr: r.stderr }).toMatchObject({ line, status: 0 });
  expect(r.stderr, line).not.toMatch(/error|unknown|Usage|did you mean/i);
}
