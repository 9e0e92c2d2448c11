// The operator table (src/expr/operators.ts) is the one place an operator is defined: every row
// is read back by the parser, named in ct-where's help, and means the negation of its positive.
import { describe, expect, test } from 'vitest';
import { EventView } from '../../src/events/event-view';
import { OPERATORS, operatorHelp } from '../../src/expr/operators';
import { parseExpression } from '../../src/expr/parser';
import { compileWhere } from '../../src/expr/where-program';

const operand = { value: ' a', list: ' (a, b)', none: '' } as const;

describe.each(OPERATORS)('$spelling', (row) => {
  test('parses back to its own row, with the operand it takes', () => {
    const expr = parseExpression(`f ${row.spelling}${operand[row.operand]}`);
    expect(expr).toMatchObject({ kind: 'test', op: row.spelling, values: { length: row.operand === 'list' ? 2 : row.operand === 'value' ? 1 : 0 } });
  });

  test("is named in ct-where's help", () => {
    expect(operatorHelp()).toContain(row.spelling);
  });
});

describe.each(OPERATORS.filter((r) => r.negated))('$spelling', (row) => {
  test('is true exactly where its positive row is false', () => {
    const positive = OPERATORS.find((r) => r.test === row.test && !r.negated)!;
    for (const event of [{ f: 'a' }, { f: 'b' }, { f: 'c' }, {}]) {
      const view = new EventView(event);
      const neg = compileWhere([`f ${row.spelling}${operand[row.operand]}`], { now: 0 }).matches(view);
      const pos = compileWhere([`f ${positive.spelling}${operand[positive.operand]}`], { now: 0 }).matches(view);
      expect(neg, JSON.stringify(event)).toBe(!pos);
    }
  });
});
