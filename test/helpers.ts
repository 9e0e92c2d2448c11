// Shared by the tests: run the built bins in a real shell, and in-memory streams.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import fc from 'fast-check';
import { OutputWriter } from '../src/output/output-writer';
import type { Io } from '../src/run/io';

export const ROOT = path.resolve(__dirname, '..');
/** Public CloudTrail events with their sources and licences (test/fixtures/corpus/SOURCES.md). */
export const CORPUS = path.join(ROOT, 'test/fixtures/corpus');
export const LOOKUP = path.join(CORPUS, 'converted/lookup-events.ndjson');
export const RECORDS = path.join(CORPUS, 'converted/records.ndjson');
export const SAMPLE = path.join(ROOT, 'data/sample-events.ndjson.gz');
/** The tests' clock for ct-serve over the sample (its events are of 22 and 23 July 2024): a stubbed now. */
export const SAMPLE_CLOCK = ['--now', '2024-07-24T00:00:00Z'];
/** For ct-serve over test data of many years (the corpus, the real data): every event, whatever its age. */
export const ANY_AGE = ['--history-days', '0'];

const BIN_DIR = path.join(ROOT, 'dist/.path');
/** Every bin package.json declares. */
export const BIN_NAMES = Object.keys((JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin);
/** A PATH directory holding ct-* as plain command names, as after `npm link`. */
export function binDir(): string {
  mkdirSync(BIN_DIR, { recursive: true });
  for (const name of BIN_NAMES) {
    const link = path.join(BIN_DIR, name);
    if (!existsSync(link)) {
      try {
        symlinkSync(path.join(ROOT, 'dist/bin', `${name}.js`), link);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    }
  }
  return BIN_DIR;
}

export interface ShellResult {
  stdout: string;
  stderr: string;
  code: number | null;
}

/** Runs `script` with `sh -c`, ct-* on the PATH, in `cwd` (default: the corpus). */
export function sh(script: string, options: { input?: string | Buffer; cwd?: string } = {}): Promise<ShellResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', script], {
      cwd: options.cwd ?? CORPUS,
      env: { ...process.env, PATH: `${binDir()}:${process.env.PATH}` },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout, stderr, code }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

export function lines(text: string): string[] {
  return text.split('\n').filter((l) => l !== '');
}

/**
 * Whether tests that need `program` must be skipped: only outside CI, and only when it is not on
 * the PATH. Under CI (CI=true) a missing program fails its tests: .ci/run installs them all.
 */
export function absent(program: string): boolean {
  if (process.env.CI === 'true') return false;
  return spawnSync('sh', ['-c', `command -v ${program}`]).status !== 0;
}

/** For a test's name: what it needs, and the Debian package that brings it. */
export function needs(program: string, pkg = program): string {
  return `(needs ${program}: apt-get install ${pkg})`;
}

/** Folders made by tempDir() in this test file, removed after it (test/setup.ts). */
const madeDirs: string[] = [];

/**
 * A PATH for `sh` (ct-* first, as sh() gives it) without the named programs: a folder of links to
 * every other program on it. For runs as on a system without them (ctpipe asks perl to enlarge
 * pipes, see src/common/pipe-size.ts).
 */
export function pathWithout(programs: string[]): string {
  const dir = tempDir('ctpipe-path-');
  for (const from of [binDir(), ...(process.env.PATH ?? '').split(':')]) {
    let names: string[];
    try {
      names = readdirSync(from);
    } catch {
      continue;
    }
    for (const name of names) {
      if (programs.includes(name) || existsSync(path.join(dir, name))) continue;
      symlinkSync(path.join(from, name), path.join(dir, name));
    }
  }
  return dir;
}

/** A new folder for a test's files, removed once its test file is done. */
export function tempDir(prefix = 'ctpipe-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  madeDirs.push(dir);
  return dir;
}

/** Removes the folders tempDir() made (a suite run made gigabytes of them, left behind). */
export function removeTempDirs(): void {
  for (const dir of madeDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** In-memory streams for driving a command's run() without a process. */
export function memoryIo(input: string | Buffer, name = 'ct-test'): Io & { stdoutText(): string; stderrText(): string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
  stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
  return {
    stdin: Readable.from([Buffer.from(input)]),
    out: new OutputWriter(stdout),
    stderr,
    name,
    stdoutText: () => out,
    stderrText: () => err,
  };
}

export interface Served {
  url: string;
  pid: number;
  stats(): Promise<{ requests: number; byRegion: Record<string, number>; throttled: number; failed: number; reset: number }>;
  stop(): void;
  /** What it has written on stderr so far (its start-up notes). */
  stderr(): string;
}

/** Starts the built ct-serve with `args` and waits for the URL on its first line. */
export function serve(args: string[]): Promise<Served> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(ROOT, 'dist/bin/ct-serve.js'), args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl < 0) return;
      const url = out.slice(0, nl);
      resolve({
        url,
        pid: child.pid!,
        stats: async () => (await fetch(`${url}/__ctpipe/stats`)).json() as never,
        stop: () => child.kill('SIGTERM'),
        stderr: () => err,
      });
    });
    child.on('exit', (code) => reject(new Error(`ct-serve exited ${code}: ${err}`)));
  });
}

/** Environment for ct-fetch against a local endpoint: dummy credentials, nothing from the host. */
export const FETCH_ENV = 'env -u AWS_PROFILE AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=ct-test-secret-value AWS_EC2_METADATA_DISABLED=true';

/** The secret of FETCH_ENV's dummy keys: no output may ever show it. */
export const FETCH_SECRET = 'ct-test-secret-value';

export interface Fetching {
  child: ReturnType<typeof spawn>;
  stdout: () => string;
  stderr: () => string;
  /** Its exit status (null when a signal ended it). */
  done: Promise<number | null>;
}

/** The built ct-fetch as a child of the test, with FETCH_ENV's keys, its output collected and its end awaited (for signals). */
export function startFetch(args: string[]): Fetching {
  const child = spawn(path.join(ROOT, 'dist/bin/ct-fetch.js'), args, {
    env: { ...process.env, AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: FETCH_SECRET, AWS_EC2_METADATA_DISABLED: 'true' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const done = new Promise<number | null>((resolve) => child.on('close', resolve));
  return { child, stdout: () => stdout, stderr: () => stderr, done };
}

/** The EventIds of NDJSON items, sorted. */
export function eventIds(ndjson: string): string[] {
  return lines(ndjson).map((l) => JSON.parse(l).EventId as string).sort();
}

/** Texts from `texts` with a few of `pieces` inserted, a character deleted, or text replaced. */
export function edited(texts: fc.Arbitrary<string>, pieces: string[], maxEdits: number): fc.Arbitrary<string> {
  return fc
    .tuple(texts, fc.array(fc.tuple(fc.nat(), fc.nat(2), fc.constantFrom(...pieces)), { minLength: 1, maxLength: maxEdits }))
    .map(([text, edits]) => {
      let t = text;
      for (const [at, kind, piece] of edits) {
        const i = at % (t.length + 1);
        if (kind === 0) t = t.slice(0, i) + piece + t.slice(i);
        else if (kind === 1) t = t.slice(0, i) + t.slice(i + 1);
        else t = t.slice(0, i) + piece + t.slice(i + piece.length);
      }
      return t;
    });
}
