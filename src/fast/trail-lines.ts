// Trail files read as NDJSON: the WebAssembly check vouches for a whole `{"Records":[...]}`
// document and makes it one record a line in place (see recordsToLines in wasm/json-check.ts),
// so its records go through the same byte paths as NDJSON lines (ct-where's prefilter and fields
// read from bytes, ct-explode's records written as they are, worker threads), not JSON.parse of the
// document. One module instance of its own: its memory holds the document being looked at.
import type { DocumentLines } from '../input/read-batches';
import { JsonChecker } from './json-check';

export function trailLines(): DocumentLines {
  let checker: JsonChecker | undefined;
  return { toLines: (doc) => (checker ??= new JsonChecker()).recordsToLines(doc) >= 0 };
}
