// An expression back as text, in the language ct-where reads: for ct-fetch --explain's "filter
// left for the client". Literals keep their quotes (a quoted number compares as text).
import { operatorRow } from './operators';
import type { Expr, Test } from './parser';
import type { Literal } from './tokens';

/** The expression, parenthesised where the binding powers need it (or < and < not). */
export function formatExpr(e: Expr, parent: 'or' | 'and' | 'not' | 'top' = 'top'): string {
  switch (e.kind) {
    case 'and':
    case 'or': {
      const text = `${formatExpr(e.left, e.kind)} ${e.kind} ${formatExpr(e.right, e.kind)}`;
      return needsParens(e.kind, parent) ? `(${text})` : text;
    }
    case 'not':
      return `not ${formatExpr(e.operand, 'not')}`;
    case 'test':
      return formatTest(e);
  }
}

function needsParens(kind: 'and' | 'or', parent: 'or' | 'and' | 'not' | 'top'): boolean {
  return parent === 'not' || (kind === 'or' && parent === 'and');
}

export function formatTest(t: Test): string {
  const { operand } = operatorRow(t.op);
  if (operand === 'none') return `${t.path.text} ${t.op}`;
  if (operand === 'list') return `${t.path.text} ${t.op} (${t.values.map((v) => formatLiteral(v, true)).join(', ')})`;
  const word = /^[a-z]/.test(t.op);
  return `${t.path.text}${word ? ` ${t.op} ` : t.op}${formatLiteral(t.values[0], false)}`;
}

/** A bare word where the scanner reads it back the same, else "..." with \ and " escaped. */
export function formatLiteral(lit: Literal, inList: boolean): string {
  const bare = !lit.quoted && lit.text !== '' && !/^["']/.test(lit.text) && !/[\s\\]/.test(lit.text) && balanced(lit.text) && !(inList && /[,)\]]/.test(lit.text));
  return bare ? lit.text : `"${lit.text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** No `)` before its `(`: a bare word ends at an unbalanced `)`. */
function balanced(text: string): boolean {
  let depth = 0;
  for (const c of text) {
    if (c === '(') depth++;
    else if (c === ')' && --depth < 0) return false;
  }
  return true;
}
