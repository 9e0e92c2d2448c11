// run(options, io) of ct-where, ct-csv and ct-explode, driven in memory: input from a stream,
// output through the writer onto a stream, no process and no file.
import { describe, expect, test } from 'vitest';
import { csvCommand } from '../../src/commands/csv';
import { explodeCommand } from '../../src/commands/explode';
import { whereCommand } from '../../src/commands/where';
import { memoryIo } from '../helpers';

type OptionsOf<C> = C extends { run(options: infer O, io: never): unknown } ? O : never;

const item = (id: string, record: object): string => JSON.stringify({ EventId: id, Username: 'alice', CloudTrailEvent: JSON.stringify(record) });
const INPUT = [
  item('a', { eventID: 'a', eventName: 'GetObject', errorCode: 'AccessDenied', readOnly: true }),
  '{"eventID":"b",  "eventName":"PutObject","readOnly":false}',
  'not json',
  item('c', { eventID: 'c', eventName: 'ConsoleLogin', responseElements: { ConsoleLogin: 'Failure' } }),
].join('\n');

async function run<O>(command: { run(options: O, io: ReturnType<typeof memoryIo>): Promise<number> }, options: O, input = INPUT) {
  const io = memoryIo(input, 'ct-test');
  const status = await command.run(options, io);
  await io.out.finish();
  return { status, stdout: io.stdoutText(), stderr: io.stderrText() };
}

describe('ct-where run()', () => {
  const options = (expression: string, more: Partial<OptionsOf<typeof whereCommand>> = {}): OptionsOf<typeof whereCommand> => ({
    args: [expression], expression: [], input: [], 'invert-match': false, count: false, strict: false, ...more,
  });

  test('writes matching lines byte for byte and names the bad line', async () => {
    const r = await run(whereCommand, options('readOnly=false or errorCode~Denied'));
    expect(r.stdout).toBe(`${INPUT.split('\n')[0]}\n{"eventID":"b",  "eventName":"PutObject","readOnly":false}\n`);
    expect(r.stderr).toMatch(/^ct-test: stdin:3: invalid JSON: /);
    expect(r.status).toBe(1);
  });

  test('-c counts, -v inverts', async () => {
    expect((await run(whereCommand, options('eventName^=Get', { count: true }), INPUT.replace('not json\n', ''))).stdout).toBe('1\n');
    const inverted = await run(whereCommand, options('eventName^=Get', { 'invert-match': true }), INPUT.replace('not json\n', ''));
    expect(inverted.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l).eventID ?? JSON.parse(l).EventId)).toEqual(['b', 'c']);
    expect(inverted.status).toBe(0);
  });

  test('an expression error is thrown for the caller to report, before any output', async () => {
    await expect(run(whereCommand, options('errorCode ~'))).rejects.toThrow(/expected a value/);
  });
});

describe('ct-csv run()', () => {
  const options = (more: Partial<OptionsOf<typeof csvCommand>> = {}): OptionsOf<typeof csvCommand> => ({
    files: [], fields: ['eventID', 'user', 'responseElements.ConsoleLogin'], tsv: false, header: true, excel: false, 'escape-formulas': true, strict: false, ...more,
  });

  test('a header, one row per event, the computed user, fields from the record', async () => {
    const r = await run(csvCommand, options());
    expect(r.stdout).toBe('eventID,user,responseElements.ConsoleLogin\na,alice,\nb,,\nc,alice,Failure\n');
    expect(r.stderr).toContain('stdin:3: invalid JSON');
    expect(r.status).toBe(1);
  });

  test('--excel: a byte order mark and CRLF; TSV without a header', async () => {
    expect((await run(csvCommand, options({ excel: true }))).stdout.startsWith('\uFEFFeventID,user,responseElements.ConsoleLogin\r\na,alice,\r\n')).toBe(true);
    expect((await run(csvCommand, options({ tsv: true, header: false, fields: ['eventID', 'eventName'] }))).stdout).toBe('a\tGetObject\nb\tPutObject\nc\tConsoleLogin\n');
  });
});

describe('ct-explode run()', () => {
  const options = (keep: boolean): OptionsOf<typeof explodeCommand> => ({ files: [], 'keep-lookup': keep, strict: false });

  test('items become their records, records pass through, the bad line is named', async () => {
    const r = await run(explodeCommand, options(false));
    expect(r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l).eventID)).toEqual(['a', 'b', 'c']);
    expect(r.stdout).toContain('{"eventID":"b",  "eventName":"PutObject","readOnly":false}\n');
    expect(r.stderr).toMatch(/^ct-test: stdin:3: invalid JSON/);
    expect(r.status).toBe(1);
  });

  test('--keep-lookup keeps Username beside the record', async () => {
    const r = await run(explodeCommand, options(true), INPUT.split('\n')[0]);
    expect(JSON.parse(r.stdout)).toEqual({ eventID: 'a', eventName: 'GetObject', errorCode: 'AccessDenied', readOnly: true, Username: 'alice' });
  });
});
