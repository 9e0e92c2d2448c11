// Decides from a compiled expression which raw text a line must contain to possibly match, so
// ct-where can skip most lines without parsing them. It must never lose a match:
//  - a needle is a run of "plain" characters (no `"`, `\`, `/` or control characters): JSON can
//    only write those as themselves or as a \uXXXX escape, also inside the escaped
//    CloudTrailEvent string, so any line containing `\u` is always a candidate (when every
//    needle is ASCII, only `\u00` can hide one: the scan looks for that, far rarer than `\`);
//  - number-like needles are dropped (1e2 is 100 once parsed), as are non-ASCII case-insensitive
//    ones; the computed `user` field has no raw text;
//  - `not`, `!=`, comparisons, exists/missing require nothing.
import type { Expr, Test } from './parser';
import { cidrBlock } from './evaluate';
import { operatorRow } from './operators';

export type Need =
  | { readonly kind: 'any' }
  | { readonly kind: 'text'; readonly text: string; readonly caseless: boolean }
  | { readonly kind: 'all' | 'some'; readonly parts: readonly Need[] };

const ANY: Need = { kind: 'any' };

export function requirement(expr: Expr): Need {
  switch (expr.kind) {
    case 'and':
    case 'or':
      return { kind: expr.kind === 'and' ? 'all' : 'some', parts: [requirement(expr.left), requirement(expr.right)] };
    case 'not':
      return ANY;
    case 'test':
      return testRequirement(expr);
  }
}

function testRequirement(test: Test): Need {
  const first = test.path.steps[0];
  if (test.path.steps.length === 1 && first.kind === 'key' && (first.name === 'user' || first.name === 'consoleUrl')) return ANY;
  const lit = test.values[0];
  const row = operatorRow(test.op);
  if (row.negated) return ANY;
  switch (row.test) {
    case 'equals':
    case 'starts':
    case 'ends':
      return needle(lit.text, false);
    case 'matches':
      return needle(requiredLiteral(lit.text) ?? '', false);
    case 'matches-any-case':
      return needle(requiredLiteral(lit.text) ?? '', true);
    case 'member':
      return { kind: 'some', parts: test.values.map((v) => (cidrBlock(v) ? cidrNeedle(v.text) : needle(v.text, false))) };
    case 'order':
    case 'present':
      return ANY;
  }
}

function needle(text: string, caseless: boolean): Need {
  let best = '';
  // U+FFFD stands for bytes that are not UTF-8: the line holds those bytes, not the character.
  for (const run of text.split(/["\\/\x00-\x1f\x7f\uFFFD]/)) if (run.length > best.length) best = run;
  // A number is matched by its value's text (String(1e999) is `Infinity`), not the line's.
  if (!best || /^[0-9.eE+-]+$/.test(best) || '-infinity'.includes(best.toLowerCase())) return ANY;
  if (caseless && /[^\x00-\x7f]/.test(best)) return ANY;
  return { kind: 'text', text: caseless ? best.toLowerCase() : best, caseless };
}

/**
 * `203.0.113.0/24` -> addresses in it start with `203.0.113.`, or are IPv4-mapped IPv6
 * (`::ffff:cb00:7109`, `::FFFF:203.0.113.9`), which hold `ffff:` in some case; IPv6 blocks and
 * short prefixes -> nothing.
 */
function cidrNeedle(cidr: string): Need {
  const [address, bits] = cidr.split('/');
  const octets = Math.floor(Number(bits) / 8);
  if (!/^\d+\.\d+\.\d+\.\d+$/.test(address) || octets < 1) return ANY;
  const parts = address.split('.').slice(0, octets);
  return {
    kind: 'some',
    parts: [
      { kind: 'text', text: parts.join('.') + (octets < 4 ? '.' : ''), caseless: false },
      { kind: 'text', text: 'ffff:', caseless: true },
    ],
  };
}

/**
 * The longest literal text every match of the regular expression contains, or undefined.
 * Conservative: alternation gives up; only characters outside groups and classes count; a
 * character followed by ?, * or {..} is optional and breaks the run.
 */
export function requiredLiteral(pattern: string): string | undefined {
  if (pattern.includes('|')) return undefined;
  const runs: string[] = [];
  let run = '';
  let depth = 0;
  const breakRun = (): void => {
    if (run) runs.push(run);
    run = '';
  };
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    let literal: string | undefined;
    if (c === '\\') {
      const next = pattern[++i] ?? '';
      if (/[A-Za-z0-9]/.test(next) || next === '') {
        // \uFFFD, \x41, \u{1F600}, \p{L}, \k<name>, \cA: what follows belongs to the escape.
        const argument = /^(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|[pP]\{[^}]*\}|k<[^>]*>|c[A-Za-z])/.exec(pattern.slice(i));
        if (argument) i += argument[0].length - 1;
        breakRun();
      } else literal = next;
    } else if (c === '[') {
      i = classEnd(pattern, i);
      breakRun();
    } else if (c === '(') {
      depth++;
      breakRun();
    } else if (c === ')') {
      depth--;
      breakRun();
    } else if ('.^$'.includes(c)) {
      breakRun();
    } else if ('?*{'.includes(c)) {
      run = run.slice(0, -1);
      breakRun();
      const quantifier = c === '{' ? /^\{\d*(,\d*)?\}/.exec(pattern.slice(i)) : null;
      if (quantifier) i += quantifier[0].length - 1;
    } else if (c === '+') {
      breakRun();
    } else {
      literal = c;
    }
    if (literal !== undefined) {
      if (depth > 0) continue;
      const q = pattern[i + 1];
      if (q === '?' || q === '*' || q === '{') breakRun();
      else run += literal;
    }
  }
  breakRun();
  let best: string | undefined;
  for (const r of runs) if (!best || r.length > best.length) best = r;
  return best;
}

function classEnd(pattern: string, open: number): number {
  let i = open + 1;
  if (pattern[i] === '^') i++;
  if (pattern[i] === ']') i++;
  for (; i < pattern.length && pattern[i] !== ']'; i++) if (pattern[i] === '\\') i++;
  return i;
}

interface Needle {
  readonly bytes: Buffer;
  readonly text: string;
  readonly caseless: boolean;
}

/** The needles of which every matching line contains at least one, or null if there are none. */
function cover(need: Need): Needle[] | null {
  switch (need.kind) {
    case 'any':
      return null;
    case 'text':
      return [{ bytes: Buffer.from(need.text, 'utf8'), text: need.text, caseless: need.caseless }];
    case 'some': {
      const out: Needle[] = [];
      for (const p of need.parts) {
        const c = cover(p);
        if (!c) return null;
        out.push(...c);
      }
      return out;
    }
    case 'all': {
      let best: Needle[] | null = null;
      for (const p of need.parts) {
        const c = cover(p);
        if (c && (!best || score(c) > score(best))) best = c;
      }
      return best;
    }
  }
}

function score(needles: Needle[]): number {
  return Math.min(...needles.map((n) => n.bytes.length)) - 4 * (needles.length - 1);
}

function hasCaseless(need: Need): boolean {
  if (need.kind === 'text') return need.caseless;
  return need.kind !== 'any' && need.parts.some(hasCaseless);
}

const BACKSLASH = 0x5c;

/** The bytes of a batch's start looked at to tell records (few backslashes) from items (an escaped CloudTrailEvent). */
const SAMPLE = 4096;
/** More backslashes than this in SAMPLE bytes: search for escapes from their `u`. */
const MANY_BACKSLASHES = 16;

/** Whether backslashes are few at the start of `buf` (and so, most likely, in all of it). */
function fewBackslashes(buf: Buffer): boolean {
  const sample = buf.subarray(0, SAMPLE);
  let count = 0;
  for (let at = sample.indexOf(BACKSLASH); at >= 0; at = sample.indexOf(BACKSLASH, at + 1)) {
    if (++count > MANY_BACKSLASHES) return false;
  }
  return true;
}

/**
 * Finds candidate lines in a batch of NDJSON lines. `nextHit` jumps to the next place where a
 * needle (or a \u escape) occurs; `mayMatch` checks the whole requirement on one line.
 */
export class LineFilter {
  private readonly needles: Needle[] | null;
  private readonly caseless: boolean;
  /**
   * What an escape that could stand for a needle character starts with, less its backslash:
   * `u00` when every needle is ASCII, else `u`. Searching from the `u` skips the backslashes
   * of `\"`, which fill an escaped CloudTrailEvent (a search for `\u` is much slower there).
   */
  private readonly escape: Buffer;
  /** The same with its backslash: where backslashes are few (records), a search from it is 5x faster. */
  private readonly escapeWhole: Buffer;
  /** Whether the batch begun is searched for escapes from their backslash (see begin). */
  private fromBackslash = false;
  private buf: Buffer = Buffer.alloc(0);
  private lowered = '';
  private next: number[] = [];

  constructor(private readonly need: Need) {
    this.needles = cover(need);
    this.caseless = hasCaseless(need);
    const ascii = (this.needles ?? []).every((n) => /^[\x00-\x7f]*$/.test(n.text));
    this.escape = Buffer.from(ascii ? 'u00' : 'u');
    this.escapeWhole = Buffer.from(ascii ? '\\u00' : '\\u');
  }

  /** A filter of the same requirement with a search state of its own (for another reader of bytes). */
  another(): LineFilter {
    return new LineFilter(this.need);
  }

  /** False when the expression requires no text, so every line must be parsed. */
  get useful(): boolean {
    return this.needles !== null;
  }

  begin(buf: Buffer): void {
    this.buf = buf;
    this.fromBackslash = fewBackslashes(buf);
    this.lowered = this.caseless ? buf.toString('latin1').toLowerCase() : '';
    this.next = new Array<number>((this.needles?.length ?? 0) + 1).fill(-2);
  }

  /** The offset of the next needle or escape at or after `from`, or -1. */
  nextHit(from: number): number {
    const needles = this.needles!;
    let best = -1;
    for (let i = 0; i <= needles.length; i++) {
      let at = this.next[i];
      if (at !== -1 && at < from) {
        at = i === needles.length ? this.findEscape(this.buf, from) : this.find(needles[i], from);
        this.next[i] = at;
      }
      if (at >= 0 && (best < 0 || at < best)) best = at;
    }
    return best;
  }

  /** The offset of the next `\u` escape (of `\u00` when every needle is ASCII), or -1. */
  private findEscape(buf: Buffer, from: number, fromBackslash = this.fromBackslash): number {
    if (fromBackslash) return buf.indexOf(this.escapeWhole, from);
    for (let at = buf.indexOf(this.escape, from + 1); at >= 0; at = buf.indexOf(this.escape, at + 1)) {
      if (buf[at - 1] === BACKSLASH) return at - 1;
    }
    return -1;
  }

  private find(n: Needle, from: number): number {
    return n.caseless ? this.lowered.indexOf(n.text, from) : this.buf.indexOf(n.bytes, from);
  }

  /** Whether the line [start, end) of the batch begun can satisfy the requirement. */
  mayMatch(start: number, end: number): boolean {
    const line = this.buf.subarray(start, end);
    if (this.findEscape(line, 0) >= 0) return true;
    return this.holds(this.need, line, () => this.lowered.slice(start, end));
  }

  /** The same for a line on its own, outside any batch begun. */
  lineMayMatch(line: Buffer): boolean {
    if (this.findEscape(line, 0, fewBackslashes(line)) >= 0) return true;
    return this.holds(this.need, line, () => line.toString('latin1').toLowerCase());
  }

  private holds(need: Need, line: Buffer, lowered: () => string): boolean {
    switch (need.kind) {
      case 'any':
        return true;
      case 'text':
        return need.caseless ? lowered().includes(need.text) : line.indexOf(need.text) >= 0;
      case 'all':
        return need.parts.every((p) => this.holds(p, line, lowered));
      case 'some':
        return need.parts.some((p) => this.holds(p, line, lowered));
    }
  }
}
