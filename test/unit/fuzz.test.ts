// Fuzzing with a fixed seed and a bounded budget, run by `npm test`:
//  - the readers: any bytes in (fragments of events, documents, gzip, BOMs, CRs, deep nesting,
//    random bytes) give events and one-line problems, never a crash, a stack trace, or memory that
//    grows with a line past --max-line;
//  - the expression language: any soup of its tokens compiles or is one usage error with a caret,
//    and a compiled expression evaluates any event without throwing; the built ct-where, given a
//    sample of the same soup, exits 0, 1 or 2 with no stack trace.
import { describe, expect, test } from 'vitest';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { CtError } from '../../src/common/errors';
import { EventView } from '../../src/events/event-view';
import { compileWhere } from '../../src/expr/where-program';
import { ALL_SPELLINGS } from '../../src/expr/operators';
import { EventLoop } from '../../src/run/event-loop';
import { memoryIo, sh } from '../helpers';

const SEED = 2026;
/** Each property stops taking new runs after this long (the budget), whatever numRuns says. */
const BUDGET_MS = 8000;

const record = fc.record(
  { eventName: fc.string({ maxLength: 8 }), errorCode: fc.option(fc.constantFrom('AccessDenied', 'x'), { nil: undefined }), readOnly: fc.boolean() },
  { requiredKeys: [] },
);
const fragment: fc.Arbitrary<Buffer> = fc.oneof(
  record.map((r) => Buffer.from(`${JSON.stringify(r)}\n`)),
  record.map((r) => Buffer.from(`${JSON.stringify({ EventId: 'i', CloudTrailEvent: JSON.stringify(r) })}\n`)),
  fc.array(record, { maxLength: 3 }).map((rs) => Buffer.from(JSON.stringify({ Records: rs }))),
  fc.array(record, { maxLength: 3 }).map((rs) => gzipSync(JSON.stringify({ Records: rs }))),
  fc.constantFrom('\n', '\r', '\r\n', '\uFEFF', '{', '}', '[', ']', '"', '\\', ',', ':', '{"Records":', '{"Events":[', 'null', '1e999', '\\ud800').map((s) => Buffer.from(s)),
  fc.integer({ min: 1, max: 3000 }).map((n) => Buffer.from('['.repeat(n))),
  fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b)),
  fc.constant(Buffer.from([0x1f, 0x8b])), // a gzip header and nothing after it
  fc.integer({ min: 5000, max: 20000 }).map((n) => Buffer.from('a'.repeat(n))), // past --max-line below
);
const input = fc.array(fragment, { maxLength: 12 }).map((parts) => Buffer.concat(parts));

describe('fuzzing the readers', () => {
  test('any bytes: events and one-line problems, never a crash or a stack trace', async () => {
    let runs = 0;
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    await fc.assert(
      fc.asyncProperty(input, async (bytes) => {
        runs++;
        const io = memoryIo(bytes);
        let events = 0;
        // --max-line 4K: the long runs of `a` must be dropped as they are read.
        const status = await new EventLoop(io, false, 4096).run([], {
          event(e) {
            expect(typeof e).toBe('object');
            events++;
          },
        });
        expect([0, 1]).toContain(status);
        const problems = io.stderrText().split('\n').filter(Boolean);
        for (const p of problems) expect(p).toMatch(/^ct-test: [^\n]+$/);
        expect(problems.join('\n')).not.toMatch(/\n\s+at |unexpected error|Maximum call stack/);
        expect(events).toBeLessThanOrEqual(bytes.length);
        rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
      }),
      { seed: SEED, numRuns: 1500, interruptAfterTimeLimit: BUDGET_MS },
    );
    expect(runs).toBeGreaterThan(100);
    // Inputs are at most a few hundred KB: nothing may hold much more than they do.
    expect(rssPeak - rssBefore).toBeLessThan(200 * 1024 * 1024);
  }, 30000);
});

const WORDS = ALL_SPELLINGS.split(' ');
const token = fc.oneof(
  fc.constantFrom(...WORDS, 'and', 'or', 'not', 'in', 'exists', 'missing', '(', ')', ',', '"', "'", '\\', '/', '[]', '.', '*', '-2h', 'now'),
  fc.constantFrom('eventName', 'errorCode', 'userIdentity.arn', 'user', 'resources[].ARN', 'requestParameters."a.b"', 'readOnly', 'eventTime', 'sourceIPAddress'),
  fc.constantFrom('Denied', 'x', '10.0.0.0/8', '2001:db8::/129', '(a|', '[', '1e999', '日本', '\u0000', '\t', '\n', '\uFFFD', '"a b"', "'it''s'", '2024-02-30'),
  fc.string({ maxLength: 4 }),
);
const soup = fc.array(token, { minLength: 1, maxLength: 10 }).chain((tokens) =>
  fc.array(fc.constantFrom(' ', '', '  '), { minLength: tokens.length, maxLength: tokens.length }).map((gaps) => tokens.map((t, i) => t + gaps[i]).join('')),
);
const EVENTS = [
  { eventName: 'ConsoleLogin', errorCode: 'AccessDenied', readOnly: false, eventTime: '2024-07-22T00:00:00Z', sourceIPAddress: '10.1.2.3', userIdentity: { arn: 'a' } },
  { EventId: 'i', CloudTrailEvent: '{"eventName":"日本","resources":[{"ARN":"x"}],"requestParameters":{"a.b":1e999}}' },
  { eventName: null, readOnly: 'true', resources: 'not a list', userIdentity: [] },
];

describe('fuzzing the expression language', () => {
  test('token soup: compiles, or is one usage error with a caret; what compiles evaluates any event', () => {
    fc.assert(
      fc.property(soup, (text) => {
        let program;
        try {
          program = compileWhere([text], { now: Date.parse('2024-07-22T12:00:00Z') });
        } catch (err) {
          expect(err).toBeInstanceOf(CtError);
          expect((err as CtError).exitStatus).toBe(2);
          return;
        }
        for (const e of EVENTS) expect(typeof program.matches(new EventView(e))).toBe('boolean');
      }),
      { seed: SEED, numRuns: 5000, interruptAfterTimeLimit: BUDGET_MS },
    );
  });

  test('the built ct-where on a sample of the soup: exit 0, 1 or 2, and never a stack trace', async () => {
    const sample = fc.sample(soup, { seed: SEED, numRuns: 25 });
    const quote = (s: string): string => `'${s.replace(/'/g, "'\\''")}'`;
    const input = EVENTS.map((e) => JSON.stringify(e)).join('\n');
    for (const text of sample) {
      const r = await sh(`ct-where -e ${quote(text)}`, { input });
      expect([0, 1, 2]).toContain(r.code);
      expect(r.stderr).not.toMatch(/\n\s+at |unexpected error/);
    }
  }, 30000);
});
