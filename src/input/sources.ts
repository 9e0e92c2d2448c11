// Expands command-line arguments into byte streams: stdin, files, and directories walked for
// the `.json` / `.json.gz` / `.ndjson` files that `aws s3 sync` of a trail bucket leaves.
import { createReadStream, readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import path from 'node:path';
import { FileReader, READ_CHUNK, type ByteStream } from './readers';
import { outsideScope, type PathScope } from './trail-layout';

export interface Source {
  /** How diagnostics name it: the path as given, or "stdin". */
  name: string;
  open(): ByteStream;
}

/** Where bad input is told. A `note` is worth saying but is no problem (no exit status 1). */
export type ProblemSink = (place: string, message: string, severity?: 'note') => void;

const DIGEST_FILE = /_CloudTrail-Digest_/;

const DATA_FILE = /\.(json|ndjson|jsonl)(\.gz)?$/i;


/** Folders and files of a trail bucket's layout that a walk passed over by their path (see trail-layout.ts). */
export interface Pruned {
  folders: number;
  files: number;
}

export async function* expandSources(
  args: readonly string[],
  stdin: ByteStream,
  onMissing: ProblemSink,
  scope?: { within: PathScope; pruned: Pruned },
): AsyncGenerator<Source> {
  const list = args.length === 0 ? ['-'] : args;
  for (const arg of list) {
    if (arg === '-') {
      yield { name: 'stdin', open: () => stdin };
      continue;
    }
    let stat;
    try {
      stat = statSync(arg);
    } catch (err) {
      onMissing(arg, fileErrorText(err));
      continue;
    }
    if (stat.isDirectory()) {
      const digests = { count: 0 };
      const real = realpathSync.native(arg);
      yield* walk(arg, real, new Map([[real, arg]]), onMissing, digests, scope);
      if (digests.count) onMissing(arg, `${digests.count} CloudTrail-Digest file(s) passed over: digests that prove trail files unchanged, not events`, 'note');
    }
    else yield fileSource(arg, stat.isFile());
  }
}

/**
 * The bytes the inputs hold, when that is known before reading them: every one a regular file
 * not named `.gz` (stdin too, when redirected from one). Undefined for a directory, a pipe, a
 * gzipped file (it holds many times its size). Names that are not there count nothing.
 */
export function knownInputBytes(args: readonly string[], stdin: ByteStream): number | undefined {
  let total = 0;
  for (const arg of args.length === 0 ? ['-'] : args) {
    if (arg === '-') {
      if (!(stdin instanceof FileReader)) return undefined;
      total += stdin.size();
      continue;
    }
    if (/\.gz$/i.test(arg)) return undefined;
    let stat;
    try {
      stat = statSync(arg);
    } catch {
      continue;
    }
    if (!stat.isFile()) return undefined;
    total += stat.size;
  }
  return total;
}

/** `no such file or directory`, `permission denied (EACCES)`: an errno as a user reads it. */
export function fileErrorText(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'ENOENT') return 'no such file or directory';
  if (e.code === 'EACCES') return 'permission denied (EACCES)';
  if (e.code === 'ELOOP') return 'too many levels of symbolic links (ELOOP)';
  return e.code && e.message.startsWith(`${e.code}: `) ? `${e.message.slice(e.code.length + 2).replace(/,.*$/, '')} (${e.code})` : String(err);
}

function fileSource(file: string, regular: boolean): Source {
  return { name: file, open: () => (regular ? new FileReader(file) : createReadStream(file, { highWaterMark: READ_CHUNK })) };
}

/**
 * The data files under `dir`, in name order. A directory that cannot be read is reported and
 * passed over. Symbolic links are followed; a directory or file reached a second time (a link
 * loop, or a link to what the walk reads anyway) is reported and read once only; a broken link
 * is reported. `seen` maps the real path of each directory and file read to its name here.
 */
async function* walk(
  dir: string,
  /** The real path of `dir`: an entry that is no symbolic link is really there too, without a realpath call (one per file cost 2% of a folder of trail files). */
  realDir: string,
  seen: Map<string, string>,
  onProblem: ProblemSink,
  digests: { count: number },
  scope?: { within: PathScope; pruned: Pruned },
): AsyncGenerator<Source> {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    onProblem(dir, `cannot read the directory: ${fileErrorText(err)}; skipped`);
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    let isDirectory = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      try {
        const target = statSync(full);
        isDirectory = target.isDirectory();
        isFile = target.isFile();
      } catch (err) {
        if (DATA_FILE.test(entry.name) || (err as NodeJS.ErrnoException).code === 'ELOOP') onProblem(full, `broken symbolic link: ${fileErrorText(err)}; skipped`);
        continue;
      }
    }
    if (!isDirectory && !(isFile && DATA_FILE.test(entry.name))) continue;
    // AWSLogs/ACCOUNT/CloudTrail-Digest/...: ACCOUNT_CloudTrail-Digest_REGION_..._DATE.json.gz
    if (isFile && DIGEST_FILE.test(entry.name)) {
      digests.count++;
      continue;
    }
    // A folder or file of the AWSLogs layout that cannot hold an event asked for is not opened.
    if (scope && outsideScope(path.resolve(full), isDirectory, scope.within)) {
      scope.pruned[isDirectory ? 'folders' : 'files']++;
      continue;
    }
    const real = entry.isSymbolicLink() ? realpathSync.native(full) : path.join(realDir, entry.name);
    const first = seen.get(real);
    if (first !== undefined) {
      onProblem(full, `the same ${isDirectory ? 'directory' : 'file'} as ${first}, read once only`, 'note');
      continue;
    }
    seen.set(real, full);
    if (isDirectory) yield* walk(full, real, seen, onProblem, digests, scope);
    else yield fileSource(full, true);
  }
}
