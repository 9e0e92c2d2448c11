import { describe, expect, test } from 'vitest';
import { neutraliseFormulas, QUOTE_CELLS_MATCHING } from '../../src/output/csv-cells';

describe('neutraliseFormulas', () => {
  test.each([
    ['=1+1', "'=1+1"],
    ['  @SUM(1)', "'  @SUM(1)"],
    ['\uFF1D1+1', "'\uFF1D1+1"],
    ['\t=1', "'\t=1"],
    ['report.pdf\r=cmd', "report.pdf\r'=cmd"],
    ['a\n+1\r\n-2', "a\n'+1\r\n'-2"],
    ['plain = text - with @ signs', 'plain = text - with @ signs'],
    ['', ''],
  ])('%j -> %j', (text, want) => {
    expect(neutraliseFormulas(text)).toBe(want);
  });

  test('cells with a CR or LF anywhere are quoted', () => {
    expect(['a\rb', 'a\nb', 'ab\r\n'].every((t) => QUOTE_CELLS_MATCHING.test(t))).toBe(true);
    expect(QUOTE_CELLS_MATCHING.test('a b')).toBe(false);
  });
});
