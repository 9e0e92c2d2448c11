// A JSON document small enough to parse at once (a trail file, a `lookup-events` page): one
// JSON.parse, 20-50x faster than stream-json's token stream, with the same events, labels and
// problems as the streaming reader (document-events.ts) gives. Larger documents, and text that
// does not parse as one document (several concatenated pages, or bad JSON, whose place the
// streaming reader reports), go through the streaming reader instead.

/**
 * Documents up to this size (decompressed) are parsed whole. Peak RSS grows with the size of
 * the documents parsed whole (measured with ct-explode on trail files: 0.5 MB documents 79-81 MB,
 * 1 MB 82-105 MB, 2 MB 121 MB, 8 MB 195 MB), so the limit keeps a process under 100 MB. Trail
 * files of a few hundred records are this small; larger documents stream.
 */
export const WHOLE_DOCUMENT_LIMIT = 512 * 1024;

export type DocumentEntry = { label: string; value: unknown } | { label: string; problem: string };

const CONTAINER_KEYS = new Set(['Records', 'Events', 'NextToken']);
const EVENT_ARRAYS = new Set(['Records', 'Events']);
const FIRST_KEY = /^\s*\{\s*("(?:[^"\\]|\\.)*")/;

/** The events of one document, in order, or undefined if the text is not one JSON document. */
export function wholeDocument(text: string): DocumentEntry[] | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (Array.isArray(doc)) return doc.map((v, i) => element(v, `[${i}]`));
  if (doc === null || typeof doc !== 'object') {
    return [{ label: 'document 1', problem: 'not an event: a top-level JSON value must be an object or an array' }];
  }
  if (!CONTAINER_KEYS.has(firstKey(text, doc))) return [{ label: 'document 1', value: doc }];
  const out: DocumentEntry[] = [];
  for (const [key, value] of Object.entries(doc)) {
    if (EVENT_ARRAYS.has(key) && Array.isArray(value)) value.forEach((v, i) => out.push(element(v, `${key}[${i}]`)));
  }
  return out;
}

/** The first key as written (JSON.parse lists integer-like keys first, the text may not). */
function firstKey(text: string, doc: object): string {
  const m = FIRST_KEY.exec(text);
  return m ? (JSON.parse(m[1]) as string) : (Object.keys(doc)[0] ?? '');
}

function element(value: unknown, label: string): DocumentEntry {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { label, problem: 'not an event: expected a JSON object' };
  return { label, value };
}
