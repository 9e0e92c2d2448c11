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
    matches = prev ? (v: EventView) => prev(v) && p(v) : p;
  }
  if (!expr || !matches) throw new CtError('usage', 'no expression given', EXIT.usage);
  return { matches, lineFilter: new LineFilter(requirement(expr)), paths: pathsOf(expr), hints: testsOf(expr).flatMap(habitWarnings) };
}

export function expressionError(text: string, err: ExprSyntaxError): CtError {
  const caret = `${' '.repeat(err.position)}^`;
  return new CtError('expression', `expression error at position ${err.position + 1}: ${err.message}\n  ${text}\n  ${caret}`, EXIT.usage);
}

function pathsOf(expr: Expr): FieldPath[] {
  return testsOf(expr).map((t) => t.path);
}

function testsOf(expr: Expr): Test[] {
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
