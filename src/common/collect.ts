// A full collection, started without waiting for it, after much input has been read into
// buffers. Node frees a dead buffer's memory only at a collection, and starts those by the
// growth of its heap, not of buffers: a run of large trail files (a few small objects, many
// megabytes of buffers) held some 60 MB of dead ones, and malloc kept what they were freed into.
// Measured: ct-csv over twelve 20 MB trail files 155 -> 115 MB peak RSS, no slower.
//
// The bins do not pass --expose-gc (any V8 flag makes node start slower): the function is taken
// once, when first needed, from a context made after the flag is set.
type Collector = (options: { type: 'major'; execution: 'async' }) => void;

let collector: Collector | undefined;

export function collectSoon(): void {
  collector ??= (globalThis as { gc?: Collector }).gc ?? exposed();
  collector({ type: 'major', execution: 'async' });
}

function exposed(): Collector {
  process.getBuiltinModule('node:v8').setFlagsFromString('--expose-gc');
  return process.getBuiltinModule('node:vm').runInNewContext('gc') as Collector;
}

/** A function that counts bytes and runs `action` each time `every` more have been counted. */
export function everyBytes(every: number, action: () => void): (bytes: number) => void {
  let since = 0;
  return (bytes) => {
    since += bytes;
    if (since < every) return;
    since = 0;
    action();
  };
}
