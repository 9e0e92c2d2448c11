import { describe, expect, test } from 'vitest';
import json from '../cases/where.cases.json';
import { EventView } from '../../src/events/event-view';
import { compileWhere } from '../../src/expr/where-program';

interface Case {
  expression: string;
  result?: boolean;
  error?: string;
  now?: string;
}

const cases = json as { comment: string; given: unknown; cases: Case[] }[];
const DEFAULT_NOW = Date.parse('2024-07-22T12:00:00Z');

describe.each(cases)('$comment', ({ given, cases: list }) => {
  test.each(list)('$expression', (c) => {
    const now = c.now ? Date.parse(c.now) : DEFAULT_NOW;
    if (c.error !== undefined) {
      expect(() => compileWhere([c.expression], { now })).toThrow(c.error);
      return;
    }
    const program = compileWhere([c.expression], { now });
    expect(program.matches(new EventView(given))).toBe(c.result);
  });
});
