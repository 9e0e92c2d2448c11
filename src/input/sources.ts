// Expands command-line arguments into byte streams: stdin, files, and directories walked for
// the `.json` / `.json.gz` / `.ndjson` files that `aws s3 sync` of a trail bucket leaves.
import { createReadStream, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { FileReader, READ_CHUNK, type ByteStream } from './readers';

export interface Source {
  /** How diagnostics name it: the path as given, or "stdin". */
  name: string;
  open(): ByteStream;
}

const DATA_FILE = /\.(json|ndjson|jsonl)(\.gz)?$/i;


export async function* expandSources(
  args: readonly string[],
  stdin: ByteStream,
  onMissing: (name: string, message: string) => void,
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
      onMissing(arg, (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : String(err));
      continue;
    }
    if (stat.isDirectory()) yield* walk(arg);
    else yield fileSource(arg, stat.isFile());
  }
}

function fileSource(file: string, regular: boolean): Source {
  return { name: file, open: () => (regular ? new FileReader(file) : createReadStream(file, { highWaterMark: READ_CHUNK })) };
}

async function* walk(dir: string): AsyncGenerator<Source> {
  const entries = readdirSync(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (entry.isFile() && DATA_FILE.test(entry.name)) yield fileSource(full, true);
  }
}
