import { describe, expect, test } from 'vitest';
import cases from '../cases/where.cases.json';
import { EventView } from '../../src/core/event';
import { compileWhere } from '../../src/expr/where-program';

const DEFAULT_NOW = Date.parse('2024-07-22T12:00:00Z');

describe.each(cases)('$comment', ({ given, cases: list }) => {
  test.each(list)('$expression', (c: { expression: string; result?: boolean; error?: string; now?: string }) => {
    const now = c.now ? Date.parse(c.now) : DEFAULT_NOW;
    if (c.error !== undefined) {
      expect(() => compileWhere([c.expression], { now })).toThrow(c.error);
      return;
    }
    const program = compileWhere([c.expression], { now });
    expect(program.matches(new EventView(given))).toBe(c.result);
  });
});
