// Turns ct-where's expression into a program: one predicate (-e parts joined by `and`), the
// raw-text line filter for the fast path, and the field paths used (for warnings). Syntax
// errors become usage errors that show the argument with a caret under the position.
import { CtError, EXIT } from '../common/errors';
import type { FieldPath } from '../events/field-path';
import type { EventView } from '../events/event-view';
import { compile, type CompileOptions, type Predicate } from './evaluate';
import { operatorRow } from './operators';
import { parseExpression, type Expr, type Test } from './parser';
import { LineFilter, requirement } from './prefilter';
import { ExprSyntaxError } from './tokens';

export interface WhereProgram {
  /** The -e parts joined by `and`. */
  expr: Expr;
  matches: Predicate;
  lineFilter: LineFilter;
  paths: FieldPath[];
  /** Warnings for what is valid but likely meant otherwise (`sourceIPAddress=10.0.0.0/8`). */
  hints: string[];
}

export function compileWhere(terms: readonly string[], options: CompileOptions): WhereProgram {
  let expr: Expr | undefined;
  let matches: Predicate | undefined;
  for (const term of terms) {
    let e: Expr;
    let p: Predicate;
    try {
      e = parseExpression(term);
      p = compile(e, options);
    } catch (err) {
      if (err instanceof ExprSyntaxError) throw expressionError(term, err);
      throw err;
    }
    const prev = matches;
    expr = expr ? { kind: 'and', left: expr, right: e } : e;
    matches = prev ? (v: Pick<EventView, 'resolve'>) => prev(v) && p(v) : p;
  }
  if (!expr || !matches) throw new CtError('usage', 'no expression given', EXIT.usage);
  return { expr, matches, lineFilter: new LineFilter(requirement(expr)), paths: pathsOf(expr), hints: testsOf(expr).flatMap(habitWarnings) };
}

/**
 * The error with the expression's line and a caret under the position, as a terminal shows them:
 * a tab stays a tab, a wide (CJK) character takes two columns, a combining mark none, a control
 * character the width of its escape; an expression of several lines shows the line at fault.
 */
export function expressionError(text: string, err: ExprSyntaxError): CtError {
  const position = Math.max(0, Math.min(err.position, text.length));
  const lineStart = text.lastIndexOf('\n', position - 1) + 1;
  const newline = text.indexOf('\n', position);
  const line = text.slice(lineStart, newline < 0 ? text.length : newline);
  const lineNumber = text.slice(0, lineStart).split('\n').length;
  const where = lineNumber > 1 || newline >= 0 ? `line ${lineNumber}, column ${position - lineStart + 1}` : `position ${position + 1}`;
  const caret = `${[...text.slice(lineStart, position)].map(columnsOf).join('')}^`;
  return new CtError('expression', `expression error at ${where}: ${err.message}\n  ${line}\n  ${caret}`, EXIT.usage);
}

const WIDE = /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u{1F300}-\u{1F64F}\u{1F900}-\u{1F9FF}\u{20000}-\u{3FFFD}]/u;
const ZERO_WIDTH = /[\p{Mn}\p{Me}\u200B-\u200F]/u;
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

/** What stands under one character of the expression's line, for the caret to line up. */
function columnsOf(c: string): string {
  if (c === '\t') return '\t';
  if (c === '\r') return '  '; // printed as \r
  if (CONTROL.test(c)) return '    '; // printed as \xHH
  if (ZERO_WIDTH.test(c)) return '';
  return WIDE.test(c) ? '  ' : ' ';
}

function pathsOf(expr: Expr): FieldPath[] {
  return testsOf(expr).map((t) => t.path);
}

/** Every test of the expression, left to right. */
export function testsOf(expr: Expr): Test[] {
  switch (expr.kind) {
    case 'and':
    case 'or':
      return [...testsOf(expr.left), ...testsOf(expr.right)];
    case 'not':
      return testsOf(expr.operand);
    case 'test':
      return [expr];
  }
}

const CIDR = /^[0-9a-f.:]+\/\d{1,3}$/i;
const SLASHED_REGEX = /^\/(.+)\/([a-z]+)$/;

/** Valid tests that other tools' habits wrote: = with a CIDR block, a regex literal with flags (/x/i). */
function habitWarnings(test: Test): string[] {
  const lit = test.values[0];
  if (!lit || lit.quoted) return [];
  const row = operatorRow(test.op);
  if (row.test === 'equals' && CIDR.test(lit.text)) {
    return [`warning: '${test.path.text}${test.op}${lit.text}' compares text; for the address block write '${test.path.text} in ${lit.text}'`];
  }
  const slashed = SLASHED_REGEX.exec(lit.text);
  if ((row.test === 'matches' || row.test === 'matches-any-case') && slashed) {
    const anyCase = slashed[2].includes('i') || row.test === 'matches-any-case';
    const op = `${row.negated ? '!' : ''}~${anyCase ? '*' : ''}`;
    return [`warning: ~ takes the regular expression without slashes or flags: '${test.path.text}${op}${slashed[1]}' (${lit.text} matches the slashes too; quote it to mean that)`];
  }
  return [];
}
