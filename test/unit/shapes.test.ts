// One rule for which objects hold events (src/events/shapes.ts), whatever the reader: the same
// objects written one per line (the NDJSON line scanner) and pretty-printed (the whole-document
// and streaming readers) give the same events and the same problems.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { containedValues, firstKeyOf } from '../../src/events/shapes';
import { OutputWriter } from '../../src/output/output-writer';
import { EventLoop } from '../../src/run/event-loop';
import { tempDir } from '../helpers';

const scalar = fc.oneof(fc.string({ maxLength: 6 }), fc.integer(), fc.boolean(), fc.constant(null));
const record = fc.dictionary(fc.constantFrom('eventName', 'eventID', 'readOnly', 'awsRegion', 'x'), scalar, { maxKeys: 4 });
const element = fc.oneof({ weight: 4, arbitrary: record }, { weight: 1, arbitrary: scalar }, { weight: 1, arbitrary: fc.array(record, { maxLength: 2 }) });
const eventArray = fc.array(element, { maxLength: 4 });
/** Containers, objects with container keys later on, records, and arrays at the top. */
const topValue: fc.Arbitrary<unknown> = fc.oneof(
  record,
  fc.tuple(fc.constantFrom('Records', 'Events', 'NextToken'), fc.oneof(eventArray, scalar), record, fc.option(eventArray)).map(([first, value, rest, events]) => ({
    [first]: value,
    ...rest,
    ...(events ? { Events: events } : {}),
  })),
  fc.tuple(record, eventArray, fc.constantFrom('Records', 'Events')).map(([r, events, key]) => ({ eventName: 'X', ...r, [key]: events })),
  eventArray,
);

interface Seen {
  events: string[];
  problems: string[];
}

async function read(text: string): Promise<Seen> {
  const file = path.join(tempDir(), 'in.json');
  writeFileSync(file, text);
  let stderr = '';
  const errors = new PassThrough().on('data', (d: Buffer) => (stderr += String(d)));
  const io = { stdin: new PassThrough(), out: new OutputWriter(new PassThrough()), stderr: errors, name: 'ct-test' };
  const events: string[] = [];
  await new EventLoop(io, false).run([file], { event: (e) => void events.push(JSON.stringify(e)) });
  // The message, without its place: a line number in one form is a label in the other.
  const place = new RegExp(`^ct-test: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(:\\d+|: \\S+): `);
  const problems = stderr.split('\n').filter(Boolean).map((l) => l.replace(place, ''));
  return { events, problems };
}

describe('one-line and pretty-printed forms', () => {
  test('give the same events and the same problems, with or without a plain event first', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(topValue, { minLength: 1, maxLength: 4 }), fc.boolean(), async (values, lead) => {
        const all = lead ? [{ eventID: 'lead' }, ...values] : values;
        const oneLine = await read(all.map((v) => `${JSON.stringify(v)}\n`).join(''));
        const pretty = await read(all.map((v) => `${JSON.stringify(v, null, 2)}\n`).join(''));
        expect(oneLine).toEqual(pretty);
      }),
      { seed: 12, numRuns: 150 },
    );
  });

  test('an event with a Records or Events field after its first key is an event, not a container', async () => {
    const text = '{"eventName":"X","Records":[{"eventName":"inner"}]}';
    expect(firstKeyOf(text)).toBe('eventName');
    expect(containedValues(JSON.parse(text), text)).toBeUndefined();
    for (const form of [`${text}\n`, `${JSON.stringify(JSON.parse(text), null, 2)}\n`]) {
      expect((await read(form)).events).toEqual([text]);
    }
  });

  test('a container yields its event arrays in order and passes over NextToken', async () => {
    const text = '{"NextToken":"t","Events":[{"EventId":"a"}],"Records":[{"eventID":"b"}, 3]}';
    expect(containedValues(JSON.parse(text), text)?.map((c) => c.label)).toEqual(['Events[0]', 'Records[0]', 'Records[1]']);
    const seen = await read(`{"eventID":"lead"}\n${text}\n`);
    expect(seen.events).toEqual(['{"eventID":"lead"}', '{"EventId":"a"}', '{"eventID":"b"}']);
    expect(seen.problems).toEqual(['not an event: expected a JSON object']);
  });
});
