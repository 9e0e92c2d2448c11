// Turns ct-where's arguments into a program: one predicate (arguments joined by `and`), the
// raw-text line filter for the fast path, and the field paths used (for warnings). Syntax
// errors become usage errors that show the argument with a caret under the position.
import { CtError, EXIT } from '../common/errors';
import type { FieldPath } from '../events/field-path';
import type { EventView } from '../events/event-view';
import { compile, type CompileOptions, type Predicate } from './evaluate';
import { parseExpression, type Expr } from './parser';
import { LineFilter, requirement } from './prefilter';
import { ExprSyntaxError } from './tokens';

export interface WhereProgram {
  matches: Predicate;
  lineFilter: LineFilter;
  paths: FieldPath[];
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
  return { matches, lineFilter: new LineFilter(requirement(expr)), paths: pathsOf(expr) };
}

export function expressionError(text: string, err: ExprSyntaxError): CtError {
  const caret = `${' '.repeat(err.position)}^`;
  return new CtError('expression', `expression error at position ${err.position + 1}: ${err.message}\n  ${text}\n  ${caret}`, EXIT.usage);
}

function pathsOf(expr: Expr): FieldPath[] {
  switch (expr.kind) {
    case 'and':
    case 'or':
      return [...pathsOf(expr.left), ...pathsOf(expr.right)];
    case 'not':
      return pathsOf(expr.operand);
    case 'test':
      return [expr.path];
  }
}
