// Documents small enough are parsed whole (whole-document.ts); the rest are streamed
// (document-events.ts). Both must give the same events, labels and problems.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { DocumentEvents } from '../../src/input/document-events';
import { wholeDocument, type DocumentEntry } from '../../src/input/whole-document';

async function streamed(text: string): Promise<DocumentEntry[]> {
  const out: DocumentEntry[] = [];
  const doc = new DocumentEvents((label, problem) => {
    const { values, labels } = doc.take();
    values.forEach((value, i) => out.push({ label: labels[i], value }));
    out.push({ label, problem });
  });
  doc.write(Buffer.from(text));
  await doc.end();
  const { values, labels } = doc.take();
  values.forEach((value, i) => out.push({ label: labels[i], value }));
  return out;
}

const CASES: [string, string][] = [
  ['a trail file', '{"Records":[{"eventName":"A"},{"eventName":"B"}]}'],
  ['a lookup-events page', '{"Events":[{"EventId":"1","CloudTrailEvent":"{}"}],"NextToken":"t"}'],
  ['a page whose first key is NextToken', '{"NextToken":"t","Events":[{"EventId":"1"}]}'],
  ['an array of records', '[{"eventName":"A"},{"eventName":"B"}]'],
  ['a pretty-printed record', '{\n  "eventName": "A",\n  "Records": 1\n}'],
  ['a record with an integer-like key', '{"eventName":"A","7":1}'],
  ['a container with an integer-like key after Records', '{"Records":[{"eventName":"A"}],"7":1}'],
  ['elements that are not events', '{"Records":[{"a":1},2,null,[3],"x",{"b":2}]}'],
  ['an array with a non-event', '[1,{"a":1}]'],
  ['a top-level scalar', '42'],
  ['a container with other keys', '{"Records":[{"a":1}],"Other":{"x":[1,2]},"Events":[{"b":2}]}'],
  ['an escaped first key', '{"\\u0052ecords":[{"a":1}]}'],
  ['non-ASCII text', '{"Records":[{"userName":"田中太郎","x":"é"}]}'],
  ['a __proto__ key, kept as an own property', '{"Records":[{"__proto__":null,"a":1},{"__proto__":{"x":1}}]}'],
];

describe('a document parsed whole', () => {
  test.each(CASES)('%s: the same events, labels and problems as streaming it', async (_, text) => {
    expect(wholeDocument(text)).toEqual(await streamed(text));
  });

  test('any JSON value, alone or as the Records or Events of a container, agrees with the streamed reading', async () => {
    const doc = fc.oneof(
      fc.jsonValue(),
      fc.tuple(fc.constantFrom('Records', 'Events'), fc.array(fc.jsonValue(), { maxLength: 5 })).map(([k, v]) => ({ [k]: v })),
    );
    await fc.assert(
      fc.asyncProperty(doc, async (value) => {
        const text = JSON.stringify(value);
        expect(wholeDocument(text)).toEqual(await streamed(text));
      }),
      { numRuns: 500 },
    );
  });

  test('is not used for text that is not one document: concatenated pages, bad JSON', () => {
    expect(wholeDocument('{"Events":[]}{"Events":[]}')).toBeUndefined();
    expect(wholeDocument('{"Records":[{"a":1},]}')).toBeUndefined();
  });
});
