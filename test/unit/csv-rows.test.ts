// Rows written as bytes (output/csv-rows.ts) against csv-stringify with ct-csv's options: the
// writer alone on generated cells in every format, then ct-csv's handler on real events and on
// generated hostile ones, its byte path against its parsed path. The bytes must be the same.
import { isUtf8 } from 'node:buffer';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { stringify } from 'csv-stringify/sync';
import { describe, expect, test } from 'vitest';
import { csvHandler, stringifyOptions, type CsvPlan } from '../../src/commands/csv-handler';
import { CtError } from '../../src/common/errors';
import { seededRandom } from '../../src/common/random';
import { cell } from '../../src/events/cells';
import { CsvRowWriter } from '../../src/output/csv-rows';
import { OutputWriter } from '../../src/output/output-writer';
import { LOOKUP, RECORDS, ROOT, SAMPLE } from '../helpers';

/** Pieces of hostile text: formula starts (ASCII and full-width), delimiters, quotes, line breaks, escapes, non-ASCII. */
const PIECES = ['a', 'Z', '0', '.', ',', ' ', '=', '+', '-', '@', '\t', '\r', '\n', '"', '\\', "'", 'é', '日本', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20', '\uFF21', '😀', '\u2028', '\u0001'];

function hostileText(random: () => number): string {
  let text = '';
  for (let n = Math.floor(random() * 7); n > 0; n--) text += PIECES[Math.floor(random() * PIECES.length)];
  return text;
}

function hostileValue(random: () => number): unknown {
  const r = random();
  if (r < 0.55) return hostileText(random);
  if (r < 0.65) return [0, -1, 2.5, -0, 1e21, 123456789, -3.25e-7][Math.floor(random() * 7)];
  if (r < 0.72) return random() < 0.5;
  if (r < 0.8) return null;
  if (r < 0.9) return undefined;
  return random() < 0.5 ? { k: hostileText(random) } : [hostileText(random), 1];
}

/** A string JSON holds without an escape: what RecordFields leaves in the bytes. */
const inBytesAsItIs = (text: string): boolean => !/["\\\u0000-\u001f]/.test(text);

const FORMATS: Pick<CsvPlan, 'tsv' | 'excel' | 'escapeFormulas'>[] = [
  { tsv: false, excel: false, escapeFormulas: true },
  { tsv: true, excel: false, escapeFormulas: true },
  { tsv: false, excel: true, escapeFormulas: true },
  { tsv: false, excel: false, escapeFormulas: false },
  { tsv: true, excel: true, escapeFormulas: false },
];

describe('CsvRowWriter', () => {
  test.each(FORMATS)('rows of generated cells come out as csv-stringify writes them: %j', (format) => {
    const random = seededRandom(format.tsv ? 7 : format.excel ? 11 : format.escapeFormulas ? 13 : 17);
    const options = stringifyOptions(format);
    const writer = new CsvRowWriter({ delimiter: format.tsv ? '\t' : ',', recordDelimiter: format.excel ? '\r\n' : '\n', escapeFormulas: format.escapeFormulas });
    const rows: unknown[][] = [];
    let asBytes = 0;
    for (let r = 0; r < 3000; r++) {
      const row = Array.from({ length: 1 + Math.floor(random() * 5) }, () => hostileValue(random));
      rows.push(row.map(cell));
      writer.startRow();
      const plain = row.every((value) => {
        if (typeof value === 'string' && inBytesAsItIs(value) && random() < 0.7) {
          // Inside a larger buffer, as a line's bytes are.
          const bytes = Buffer.from(`{"k":"${value}"}`);
          return writer.bytesCell(bytes, 6, bytes.length - 2);
        }
        return writer.valueCell(value);
      });
      if (plain) {
        writer.endRow();
        asBytes++;
      } else {
        writer.dropRow();
        writer.text(stringify([row.map(cell)], options));
      }
    }
    expect(writer.take()!.toString('utf8')).toBe(stringify(rows, options));
    // Both ways were taken often.
    expect(asBytes).toBeGreaterThan(300);
    expect(asBytes).toBeLessThan(2700);
  });

  test('a long cell, and rows past the first buffer, are copied whole', () => {
    const writer = new CsvRowWriter({ delimiter: ',', recordDelimiter: '\n', escapeFormulas: true });
    const long = Buffer.from('x'.repeat(70_000));
    writer.startRow();
    expect(writer.bytesCell(long, 0, long.length)).toBe(true);
    expect(writer.valueCell('ünïcödé, with a comma')).toBe(true);
    writer.endRow();
    for (let i = 0; i < 5000; i++) {
      writer.startRow();
      writer.valueCell(i);
      writer.valueCell(`row ${i}`);
      writer.endRow();
    }
    const rows = [[long.toString()], ...Array.from({ length: 5000 }, (_, i) => [String(i), `row ${i}`])];
    rows[0].push('ünïcödé, with a comma');
    expect(writer.take()!.toString('utf8')).toBe(stringify(rows));
    expect(writer.take()).toBeUndefined();
  });
});

const grycap = path.join(ROOT, 'test/fixtures/realdata/grycap');
const REAL_LINES = [
  ...gunzipSync(readFileSync(SAMPLE)).toString('utf8').split('\n'),
  ...readFileSync(LOOKUP, 'utf8').split('\n'),
  ...readFileSync(RECORDS, 'utf8').split('\n'),
  ...readdirSync(grycap).flatMap((f) => (JSON.parse(gunzipSync(readFileSync(path.join(grycap, f))).toString('utf8')) as { Records: unknown[] }).Records.map((r) => JSON.stringify(r))),
].filter((l) => l.trim() !== '');

/** Records whose every field asked for is hostile text, a number, true, null, absent or an object. */
function hostileRecords(count: number): string[] {
  const random = seededRandom(2024);
  return Array.from({ length: count }, (_, i) => {
    const record: Record<string, unknown> = { eventVersion: '1.08', eventTime: i % 7 === 0 ? hostileText(random) : '2024-07-22T09:00:00Z', eventName: 'X' };
    for (const key of ['eventSource', 'eventName', 'sourceIPAddress', 'errorCode', 'errorMessage', 'userAgent']) {
      const value = hostileValue(random);
      if (value !== undefined) record[key] = value;
    }
    record.userIdentity = { type: 'IAMUser', userName: hostileText(random), arn: random() < 0.5 ? 'arn:aws:iam::1:user/a' : hostileText(random) };
    return JSON.stringify(record);
  });
}

/** The handler's output for the lines, read from their bytes where it can (as the loop does), or each parsed. */
function csvOf(plan: CsvPlan, lines: string[], fromBytes: boolean): string {
  const out = new OutputWriter(new Writable({ write: (_chunk, _encoding, done) => done() }));
  const handler = csvHandler(plan, out);
  const buf = Buffer.from(`${lines.join('\n')}\n`);
  if (fromBytes) handler.beginLines!(buf, isUtf8(buf));
  let start = 0;
  for (const line of lines) {
    const end = start + Buffer.byteLength(line);
    const raw = { buf, start, end };
    try {
      if (!fromBytes || !handler.line!(raw)) handler.event(JSON.parse(line), raw);
    } catch (err) {
      // A time no calendar holds (--tz): the loop reports it and skips the event.
      if (!(err instanceof CtError)) throw err;
    }
    start = end + 1;
  }
  handler.endBatch!();
  return out.takeInto(Buffer.alloc(0)).toString('utf8');
}

const PLANS: (Partial<CsvPlan> & { fields: string[] })[] = [
  { fields: ['eventTime', 'eventSource', 'eventName', 'awsRegion', 'sourceIPAddress', 'userIdentity.arn', 'user', 'errorCode', 'errorMessage', 'eventID', 'readOnly'] },
  { fields: ['eventTime', 'eventName', 'userAgent', 'requestParameters', 'resources[].ARN', 'userIdentity.userName'], tsv: true },
  { fields: ['eventTime', 'user', 'errorCode', 'sourceIPAddress'], excel: true, escapeFormulas: false },
  { fields: ['eventTime', 'eventName', 'errorMessage'], tz: 'Asia/Tokyo' },
  { fields: ['eventName', 'errorCode', 'sourceIPAddress'], where: { terms: ['errorCode exists'], now: Date.UTC(2024, 6, 24) } },
];

describe("ct-csv's rows from the bytes against its rows from the parsed events", () => {
  test.each(PLANS)('the same CSV for %j', (given) => {
    const plan: CsvPlan = { header: true, tsv: false, excel: false, escapeFormulas: true, ...given };
    for (const lines of [REAL_LINES, hostileRecords(4000)]) {
      const fromBytes = csvOf(plan, lines, true);
      expect(fromBytes).toBe(csvOf(plan, lines, false));
      expect(fromBytes.split(plan.excel ? '\r\n' : '\n').length).toBeGreaterThan(plan.where ? 100 : lines.length);
    }
  });
});
