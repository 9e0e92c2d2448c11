// The scanner for ct-where expressions. Which token comes next depends on where the parser is
// (after a field path an operator, after an operator a value), so the parser asks for the kind
// it expects: structural tokens, a path, an operator, a value, or a list.
import { scanPath, PathSyntaxError, type FieldPath } from '../events/field-path';
import { ALL_SPELLINGS, OPERATORS, type Operator } from './operators';

export class ExprSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

export type Structural = { kind: '(' | ')' | 'and' | 'or' | 'not' | 'eof' | 'path'; pos: number };

export interface Literal {
  text: string;
  quoted: boolean;
  pos: number;
}

/** Longest first, so `!~*` is not read as `!~` then `*`. */
const SYMBOL_OPERATORS: readonly Operator[] = OPERATORS.map((r) => r.spelling)
  .filter((s) => !/^[a-z]/.test(s))
  .sort((a, b) => b.length - a.length);
/** Words (`not in` is read as `not` then `in`). */
const WORD_OPERATORS: readonly string[] = OPERATORS.map((r) => r.spelling).filter((s) => /^[a-z]+$/.test(s));

const KEYWORDS = new Set(['and', 'or', 'not']);
const WORD_CHAR = /[A-Za-z0-9_@:-]/;

export class Scanner {
  pos = 0;

  constructor(readonly text: string) {}

  private skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
  }

  /** A word (keyword) at the position, ending where a name cannot continue. */
  private wordAt(pos: number): string {
    let end = pos;
    while (end < this.text.length && WORD_CHAR.test(this.text[end])) end++;
    return this.text.slice(pos, end);
  }

  peekStructural(): Structural {
    this.skipSpace();
    const pos = this.pos;
    if (pos >= this.text.length) return { kind: 'eof', pos };
    const c = this.text[pos];
    if (c === '(' || c === ')') return { kind: c, pos };
    const word = this.wordAt(pos).toLowerCase();
    if (KEYWORDS.has(word)) return { kind: word as 'and' | 'or' | 'not', pos };
    return { kind: 'path', pos };
  }

  /** Consumes what peekStructural returned. */
  consume(token: Structural): void {
    if (token.kind === '(' || token.kind === ')') this.pos = token.pos + 1;
    else if (token.kind !== 'eof' && token.kind !== 'path') this.pos = token.pos + token.kind.length;
  }

  readPath(): FieldPath {
    this.skipSpace();
    try {
      const { path, end } = scanPath(this.text, this.pos);
      this.pos = end;
      return path;
    } catch (err) {
      if (err instanceof PathSyntaxError) throw new ExprSyntaxError(err.message, err.position);
      throw err;
    }
  }

  readOperator(): { op: Operator; pos: number } {
    this.skipSpace();
    const pos = this.pos;
    for (const op of SYMBOL_OPERATORS) {
      if (this.text.startsWith(op, pos)) {
        this.pos += op.length;
        return { op, pos };
      }
    }
    const word = this.wordAt(pos).toLowerCase();
    if (WORD_OPERATORS.includes(word)) {
      this.pos += word.length;
      return { op: word as Operator, pos };
    }
    if (word === 'not') {
      const save = this.pos;
      this.pos += 3;
      this.skipSpace();
      if (this.wordAt(this.pos).toLowerCase() === 'in') {
        this.pos += 2;
        return { op: 'not in', pos };
      }
      this.pos = save;
    }
    throw new ExprSyntaxError(`expected an operator: ${ALL_SPELLINGS}`, pos);
  }

  /**
   * A quoted string ('...' or "...", with backslash escapes) or a bare word. A bare word ends at
   * white space, or at a `)` or (in lists) `,` that is not inside its own parentheses, so
   * regular expressions like `(Denied|Forbidden)` need no quotes.
   */
  readValue(listClose?: ')' | ']'): Literal {
    this.skipSpace();
    const pos = this.pos;
    const q = this.text[pos];
    if (q === '"' || q === "'") return this.readQuoted(q, pos);
    let depth = 0;
    let end = pos;
    for (; end < this.text.length; end++) {
      const c = this.text[end];
      if (/\s/.test(c)) break;
      if (c === '\\') {
        end++;
        continue;
      }
      if (c === '(') depth++;
      else if (c === ')') {
        if (depth === 0) break;
        depth--;
      } else if (listClose && depth === 0 && (c === ',' || c === listClose)) break;
    }
    if (end === pos) throw new ExprSyntaxError('expected a value', pos);
    this.pos = end;
    return { text: this.text.slice(pos, end), quoted: false, pos };
  }

  private readQuoted(q: string, pos: number): Literal {
    let out = '';
    let i = pos + 1;
    for (; i < this.text.length && this.text[i] !== q; i++) {
      if (this.text[i] === '\\' && i + 1 < this.text.length) {
        const next = this.text[i + 1];
        if (next === q || next === '\\') i++;
      }
      out += this.text[i];
    }
    if (i >= this.text.length) throw new ExprSyntaxError('unterminated string', pos);
    this.pos = i + 1;
    return { text: out, quoted: true, pos };
  }

  /** After `in`: `(a, b, c)`, `[a, b]`, or one value (such as a CIDR block). */
  readList(): Literal[] {
    this.skipSpace();
    const open = this.text[this.pos];
    if (open !== '(' && open !== '[') return [this.readValue()];
    const close = open === '(' ? ')' : ']';
    this.pos++;
    const items: Literal[] = [];
    for (;;) {
      items.push(this.readValue(close));
      this.skipSpace();
      const c = this.text[this.pos];
      if (c === ',') {
        this.pos++;
        continue;
      }
      if (c === close) {
        this.pos++;
        return items;
      }
      throw new ExprSyntaxError(`expected ',' or '${close}' in the list`, this.pos);
    }
  }
}
