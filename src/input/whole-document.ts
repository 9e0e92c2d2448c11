// A JSON document small enough to parse at once (a trail file, a `lookup-events` page): one
// JSON.parse, many times faster than stream-json's token stream, with the same events, labels and
// problems as the streaming reader (document-events.ts) gives. Larger documents, and text that
// does not parse as one document (several concatenated pages, or bad JSON, whose place the
// streaming reader reports), go through the streaming reader instead.
import { containedValues, NOT_AN_OBJECT } from '../events/shapes';

/**
 * Documents up to this size (decompressed) are parsed whole. Peak RSS grows with the size of
 * the documents parsed whole, and this limit keeps a process under the 100 MB budget (figures in
 * the README's Benchmark section). Trail files of a few hundred records are this small; larger
 * documents stream.
 */
export const WHOLE_DOCUMENT_LIMIT = 512 * 1024;

export type DocumentEntry = { label: string; value: unknown } | { label: string; problem: string };

/** The events of one document, in order, or undefined if the text is not one JSON document. */
export function wholeDocument(text: string): DocumentEntry[] | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (doc === null || typeof doc !== 'object') {
    return [{ label: 'document 1', problem: 'not an event: a top-level JSON value must be an object or an array' }];
  }
  const contained = containedValues(doc, text);
  if (!contained) return [{ label: 'document 1', value: doc }];
  return contained.map((c) => element(c.value, c.label));
}

function element(value: unknown, label: string): DocumentEntry {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { label, problem: NOT_AN_OBJECT };
  return { label, value };
}
