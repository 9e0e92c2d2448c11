// Parser for ct-where expressions.
//
//   expr     := prefix ( ("and" | "or") prefix )*        binding power: or 1 < and 2 < not 3
//   prefix   := "not" prefix | "(" expr ")" | test
//   test     := path op value | path list-op list | path bare-op
//   op, list-op, bare-op := the operators of operators.ts that take a value, a list, nothing
//   list     := "(" value ("," value)* ")" | "[" value ("," value)* "]" | value
//   value    := quoted string | bare word (ends at space, or an unbalanced ")")
//
// Keywords are case-insensitive. Paths are described in events/field-path.ts.
import type { FieldPath } from '../events/field-path';
import { operatorRow, type Operator } from './operators';
import { ExprSyntaxError, Scanner, type Literal } from './tokens';

export type Expr =
  | { readonly kind: 'and' | 'or'; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'not'; readonly operand: Expr }
  | Test;

export interface Test {
  readonly kind: 'test';
  readonly path: FieldPath;
  readonly pathPos: number;
  readonly op: Operator;
  readonly opPos: number;
  /** One literal for comparisons, several for `in`, none for exists/missing. */
  readonly values: readonly Literal[];
}

const BINDING_POWER: Record<'or' | 'and', number> = { or: 1, and: 2 };

export function parseExpression(text: string): Expr {
  const scanner = new Scanner(text);
  const start = scanner.peekStructural();
  if (start.kind === 'eof') throw new ExprSyntaxError('empty expression', start.pos);
  const expr = parseExpr(scanner, 0);
  const rest = scanner.peekStructural();
  if (rest.kind !== 'eof') {
    const what = rest.kind === ')' ? "unmatched ')'" : habitHint(text, rest.pos) ?? "expected 'and', 'or' or the end";
    throw new ExprSyntaxError(what, rest.pos);
  }
  return expr;
}

function parseExpr(scanner: Scanner, minPower: number): Expr {
  let left = parsePrefix(scanner);
  for (;;) {
    const t = scanner.peekStructural();
    if (t.kind !== 'and' && t.kind !== 'or') return left;
    const power = BINDING_POWER[t.kind];
    if (power <= minPower) return left;
    scanner.consume(t);
    const right = parseExpr(scanner, power);
    left = { kind: t.kind, left, right };
  }
}

function parsePrefix(scanner: Scanner): Expr {
  const t = scanner.peekStructural();
  switch (t.kind) {
    case 'not':
      scanner.consume(t);
      // `not` binds tighter than `and`/`or`: `not a=1 and b=2` is `(not a=1) and b=2`.
      return { kind: 'not', operand: parsePrefix(scanner) };
    case '(': {
      scanner.consume(t);
      const inner = parseExpr(scanner, 0);
      const close = scanner.peekStructural();
      if (close.kind !== ')') throw new ExprSyntaxError("expected ')'", close.pos);
      scanner.consume(close);
      return inner;
    }
    case 'path': {
      const hint = habitHint(scanner.text, t.pos);
      if (hint) throw new ExprSyntaxError(hint, t.pos);
      return parseTest(scanner);
    }
    case 'eof':
      throw new ExprSyntaxError('expected a field name, "not" or "(" but the expression ended', t.pos);
    default:
      throw new ExprSyntaxError(`expected a field name, "not" or "(", not '${t.kind}'`, t.pos);
  }
}

/** The spellings other languages taught, where this one has its own: what to write instead. */
const HABITS: readonly [RegExp, string][] = [
  [/^&&/, "use 'and' instead of '&&'"],
  [/^\|\|/, "use 'or' instead of '||'"],
  [/^!(?![=~])/, "use 'not' instead of '!' (as in: not errorCode exists)"],
  [/^like\b/i, "use ~ instead of like: ~ is an unanchored regular expression (plain text = contains; ~* any case)"],
  [/^between\b/i, 'use >= and <= instead of between (eventTime >= A and eventTime <= B)'],
];

function habitHint(text: string, pos: number): string | undefined {
  const rest = text.slice(pos);
  return HABITS.find(([pattern]) => pattern.test(rest))?.[1];
}

function parseTest(scanner: Scanner): Test {
  const pathPos = scanner.pos;
  const path = scanner.readPath();
  const opAt = scanner.pos + (/^\s*/.exec(scanner.text.slice(scanner.pos))?.[0].length ?? 0);
  const opHint = habitHint(scanner.text, opAt);
  if (opHint) throw new ExprSyntaxError(opHint, opAt);
  const { op, pos: opPos } = scanner.readOperator();
  const { operand } = operatorRow(op);
  const values: Literal[] = operand === 'list' ? scanner.readList() : operand === 'value' ? [scanner.readValue()] : [];
  return { kind: 'test', path, pathPos, op, opPos, values };
}
