// The fields read from a line's bytes (fast/projection.ts) against an EventView of the parsed
// line, over real events: the sample's items, the corpus's items and records, and a real
// account's trail records as lines (test/fixtures). Every expression must select the same lines
// both ways, and every field must have the same value.
import { isUtf8 } from 'node:buffer';
import { describe, expect, test } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { EventView } from '../../src/events/event-view';
import { parsePath } from '../../src/events/field-path';
import { compileWhere } from '../../src/expr/where-program';
import { Projection } from '../../src/fast/projection';
import { LOOKUP, RECORDS, ROOT, SAMPLE } from '../helpers';

const grycap = path.join(ROOT, 'test/fixtures/realdata/grycap');
const trailRecords = readdirSync(grycap).flatMap((f) => (JSON.parse(gunzipSync(readFileSync(path.join(grycap, f))).toString('utf8')) as { Records: unknown[] }).Records.map((r) => JSON.stringify(r)));
const LINES = [
  ...gunzipSync(readFileSync(SAMPLE)).toString('utf8').split('\n'),
  ...readFileSync(LOOKUP, 'utf8').split('\n'),
  ...readFileSync(RECORDS, 'utf8').split('\n'),
  ...trailRecords,
].filter((l) => l.trim() !== '');

const EXPRESSIONS = [
  'readOnly=true', 'errorCode~Denied', 'errorCode exists', 'user=root', 'user$=/alice or user~Admin', 'userIdentity.type=AssumedRole',
  "resources[].ARN~'arn:aws:iam'", 'requestParameters.instanceType exists', 'sourceIPAddress in 203.0.113.0/24', 'eventTime >= 2024-07-23T00:00:00Z',
  'not eventName in (ConsoleLogin, AssumeRole)', 'userIdentity.sessionContext.sessionIssuer.userName exists', 'responseElements.ConsoleLogin=Failure',
  'awsRegion=us-east-1 and eventSource=ec2.amazonaws.com', 'additionalEventData.MFAUsed=No', 'tlsDetails.tlsVersion~1.3', 'requestParameters missing',
];

describe('fields read from the bytes, against the parsed event', () => {
  test(`${EXPRESSIONS.length} expressions select the same lines both ways, over ${LINES.length} real events`, () => {
    let fromBytes = 0;
    for (const expression of EXPRESSIONS) {
      const program = compileWhere([expression], { now: Date.UTC(2024, 6, 24) });
      const projection = Projection.for(program.paths)!;
      expect(projection, expression).toBeDefined();
      const buf = Buffer.from(`${LINES.join('\n')}\n`);
      projection.beginLines(buf, isUtf8(buf));
      let start = 0;
      let selected = 0;
      for (const line of LINES) {
        const end = start + Buffer.byteLength(line);
        const found = projection.read({ buf, start, end });
        const parsed = program.matches(new EventView(JSON.parse(line)));
        if (found) {
          fromBytes++;
          expect(program.matches(found), `${expression} on ${line.slice(0, 120)}`).toBe(parsed);
        }
        if (parsed) selected++;
        start = end + 1;
      }
      expect(selected, expression).toBeGreaterThan(0);
    }
    // Nearly every line was read from its bytes: the comparison covers them.
    expect(fromBytes).toBeGreaterThan(EXPRESSIONS.length * LINES.length * 0.9);
  });

  test('every field of ct-csv\'s defaults has the same value both ways', () => {
    const paths = ['eventTime', 'eventSource', 'eventName', 'awsRegion', 'sourceIPAddress', 'userIdentity.arn', 'user', 'errorCode', 'errorMessage', 'eventID', 'readOnly', 'resources[].ARN', 'requestParameters']
      .map((p) => parsePath(p, 'test'));
    const projection = Projection.for(paths)!;
    const buf = Buffer.from(`${LINES.join('\n')}\n`);
    projection.beginLines(buf, isUtf8(buf));
    let start = 0;
    for (const line of LINES) {
      const end = start + Buffer.byteLength(line);
      const found = projection.read({ buf, start, end });
      const view = new EventView(JSON.parse(line));
      if (found) for (const p of paths) expect(found.resolve(p), `${p.text} of ${line.slice(0, 100)}`).toEqual(view.resolve(p));
      start = end + 1;
    }
  });

  test('fields of the item itself, and consoleUrl, are left to the parser', () => {
    for (const p of ['Username', 'EventTime', 'Resources[].ResourceName', 'consoleUrl', 'CloudTrailEvent']) expect(Projection.for([parsePath(p, 't')]), p).toBeUndefined();
  });
});
