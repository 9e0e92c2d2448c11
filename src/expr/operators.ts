// Every operator of the expression language, one row each: how it is spelled, what follows it,
// what it tests and whether it is the negation of that test. The scanner, the parser, the
// evaluator, the raw-text prefilter and ct-where's help all read this table.

/** What an operator tests; a negated row is true exactly where its test is false. */
export type TestKind = 'equals' | 'matches' | 'matches-any-case' | 'starts' | 'ends' | 'order' | 'member' | 'present';

export interface OperatorRow {
  readonly spelling: string;
  /** What follows it: one value, a list of values, or nothing. */
  readonly operand: 'value' | 'list' | 'none';
  readonly test: TestKind;
  readonly negated: boolean;
}

export const OPERATORS = [
  { spelling: '=', operand: 'value', test: 'equals', negated: false },
  { spelling: '==', operand: 'value', test: 'equals', negated: false },
  { spelling: '!=', operand: 'value', test: 'equals', negated: true },
  { spelling: '~', operand: 'value', test: 'matches', negated: false },
  { spelling: '!~', operand: 'value', test: 'matches', negated: true },
  { spelling: '~*', operand: 'value', test: 'matches-any-case', negated: false },
  { spelling: '!~*', operand: 'value', test: 'matches-any-case', negated: true },
  { spelling: '^=', operand: 'value', test: 'starts', negated: false },
  { spelling: '$=', operand: 'value', test: 'ends', negated: false },
  { spelling: '<', operand: 'value', test: 'order', negated: false },
  { spelling: '<=', operand: 'value', test: 'order', negated: false },
  { spelling: '>', operand: 'value', test: 'order', negated: false },
  { spelling: '>=', operand: 'value', test: 'order', negated: false },
  { spelling: 'in', operand: 'list', test: 'member', negated: false },
  { spelling: 'not in', operand: 'list', test: 'member', negated: true },
  { spelling: 'exists', operand: 'none', test: 'present', negated: false },
  { spelling: 'missing', operand: 'none', test: 'present', negated: true },
] as const satisfies readonly OperatorRow[];

export type Operator = (typeof OPERATORS)[number]['spelling'];

const BY_SPELLING = new Map<string, OperatorRow>(OPERATORS.map((row) => [row.spelling, row]));

export function operatorRow(op: Operator): OperatorRow {
  return BY_SPELLING.get(op)!;
}

/** The help's lines: what each group of operators does (ct-where --help). */
const HELP: readonly { tests: readonly TestKind[]; usage?: string; text: string }[] = [
  { tests: ['equals'], text: 'equal (exact; "true" equals true, numbers compare as numbers)' },
  { tests: ['matches', 'matches-any-case'], text: 'regular expression, unanchored (plain text = contains); * = any case' },
  { tests: ['starts', 'ends'], text: 'starts with / ends with' },
  { tests: ['order'], text: 'numbers, or times: ISO 8601 with any zone, or relative (-2h, 3d, now; s m h d w)' },
  { tests: ['member'], usage: 'in, not in (A, ...)', text: 'one of a list; a CIDR block (10.0.0.0/8, 2001:db8::/32) matches addresses' },
  { tests: ['present'], text: 'the field is there (not null) / is not' },
];

/** The operators for ct-where's help, one group a line. */
export function operatorHelp(): string {
  return HELP.map(({ tests, usage, text }) => {
    const spellings = usage ?? OPERATORS.filter((r) => (tests as readonly string[]).includes(r.test)).map((r) => r.spelling).join(' ');
    return `  ${spellings.padEnd(19)} ${text}`;
  }).join('\n');
}

/** Every spelling, for a message that lists them. */
export const ALL_SPELLINGS = OPERATORS.map((r) => r.spelling).join(' ');
