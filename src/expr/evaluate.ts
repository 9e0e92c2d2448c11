// Compiles a parsed expression into a predicate over an EventView. All literal checking (regular
// expressions, times, numbers, CIDR blocks) happens here, once, with the literal's position for
// the error caret. Evaluation goes through EventView.resolve, which reads own properties only.
import type { BlockList } from 'node:net';
import type { EventView } from '../events/event-view';
import { Many } from '../events/field-path';
import { eventTimeMs, isoShaped, parseTimeLiteral } from '../events/time';
import { operatorRow, type TestKind } from './operators';
import type { Expr, Test } from './parser';
import { ExprSyntaxError, type Literal } from './tokens';

/** An event's fields by path: an EventView, or the few fields read from a line's bytes (fast/projection). */
export type Predicate = (view: Pick<EventView, 'resolve'>) => boolean;
type ValueTest = (value: unknown) => boolean;

export interface CompileOptions {
  /** The clock for relative times (`-2h`); tests pass a fixed one. */
  now: number;
}

export function compile(expr: Expr, options: CompileOptions): Predicate {
  switch (expr.kind) {
    case 'and': {
      const l = compile(expr.left, options);
      const r = compile(expr.right, options);
      return (v) => l(v) && r(v);
    }
    case 'or': {
      const l = compile(expr.left, options);
      const r = compile(expr.right, options);
      return (v) => l(v) || r(v);
    }
    case 'not': {
      const inner = compile(expr.operand, options);
      return (v) => !inner(v);
    }
    case 'test':
      return compileTest(expr, options);
  }
}

function compileTest(test: Test, options: CompileOptions): Predicate {
  const path = test.path;
  const row = operatorRow(test.op);
  let positive: Predicate;
  if (row.test === 'present') positive = (v) => isPresent(v.resolve(path));
  else {
    const check = valueTest(test, row.test, options);
    positive = (v) => anyValue(v.resolve(path), check);
  }
  return row.negated ? (v) => !positive(v) : positive;
}

function isPresent(value: unknown): boolean {
  if (value instanceof Many) return value.values.some((x) => x !== null && x !== undefined);
  return value !== null && value !== undefined;
}

function anyValue(value: unknown, check: ValueTest): boolean {
  if (value instanceof Many) {
    for (const x of value.values) if (check(x)) return true;
    return false;
  }
  return value !== undefined && check(value);
}

/** The text a scalar compares as; objects, arrays and null compare as nothing. */
export function scalarText(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
      return String(value);
    default:
      return undefined;
  }
}

const NUMBER = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;

function valueTest(test: Test, kind: Exclude<TestKind, 'present'>, options: CompileOptions): ValueTest {
  const lit = test.values[0];
  switch (kind) {
    case 'equals':
      return equalsTest(lit.text);
    case 'matches':
      return regexTest(lit, '');
    case 'matches-any-case':
      return regexTest(lit, 'i');
    case 'starts':
      return (x) => scalarText(x)?.startsWith(lit.text) ?? false;
    case 'ends':
      return (x) => scalarText(x)?.endsWith(lit.text) ?? false;
    case 'member': {
      const tests = test.values.map(memberTest);
      return (x) => tests.some((t) => t(x));
    }
    case 'order':
      return orderTest(test.op, lit, options);
  }
}

function equalsTest(text: string): ValueTest {
  const asNumber = NUMBER.test(text) ? Number(text) : undefined;
  return (x) => (typeof x === 'number' && asNumber !== undefined ? x === asNumber : scalarText(x) === text);
}

function regexTest(lit: Literal, flags: string): ValueTest {
  let re: RegExp;
  try {
    re = new RegExp(lit.text, flags);
  } catch (err) {
    throw new ExprSyntaxError(`bad regular expression: ${(err as Error).message.replace(/^Invalid regular expression: /, '')}`, lit.pos);
  }
  return (x) => {
    const s = scalarText(x);
    return s !== undefined && re.test(s);
  };
}

/** node:net, for CIDR blocks: loaded by the first one, not at every start. */
function net(): typeof import('node:net') {
  return process.getBuiltinModule('node:net');
}

function memberTest(lit: Literal): ValueTest {
  const block = cidrBlock(lit);
  if (!block) return equalsTest(lit.text);
  const { isIP } = net();
  return (x) => {
    const s = scalarText(x);
    if (s === undefined) return false;
    const family = isIP(s);
    return family !== 0 && block.check(s, family === 4 ? 'ipv4' : 'ipv6');
  };
}

/** A CIDR block (`10.0.0.0/8`, `2001:db8::/32`), or undefined when the literal is not one. */
export function cidrBlock(lit: Literal): BlockList | undefined {
  const slash = lit.text.lastIndexOf('/');
  if (slash < 0) return undefined;
  const address = lit.text.slice(0, slash);
  const { BlockList, isIP } = net();
  const family = isIP(address);
  if (family === 0) return undefined;
  const bits = Number(lit.text.slice(slash + 1));
  const max = family === 4 ? 32 : 128;
  if (!/^\d+$/.test(lit.text.slice(slash + 1)) || bits > max) {
    throw new ExprSyntaxError(`bad CIDR prefix length: expected 0 to ${max}`, lit.pos + slash + 1);
  }
  const list = new BlockList();
  list.addSubnet(address, bits, family === 4 ? 'ipv4' : 'ipv6');
  return list;
}

/** `-2y`, `3mo`: meant as a relative time, in a unit it does not have (compared as text, it matched nothing). */
const LOOKS_RELATIVE = /^[-+]?\d+(\.\d+)?\s*[a-z]+$/i;

/** What an order operator compares with: a number, an instant, or text (the literal's own rules). */
export type OrderOperand = { kind: 'number'; value: number } | { kind: 'time'; ms: number } | { kind: 'text'; text: string };

/** How `<`, `<=`, `>`, `>=` read their literal; ct-fetch --where reads time bounds with it too. */
export function orderOperand(lit: Literal, now: number): OrderOperand {
  if (NUMBER.test(lit.text) && !lit.quoted) return { kind: 'number', value: Number(lit.text) };
  const time = parseTimeLiteral(lit.text, now);
  if (time === undefined && isoShaped(lit.text) && !lit.quoted) {
    throw new ExprSyntaxError(`'${lit.text}' is not a date and time on the calendar; quote it to compare as text`, lit.pos);
  }
  if (time === undefined && LOOKS_RELATIVE.test(lit.text) && !lit.quoted) {
    throw new ExprSyntaxError(`'${lit.text}' is not a time (relative times count s, m, h, d or w, as in -730d); quote it to compare as text`, lit.pos);
  }
  return time === undefined ? { kind: 'text', text: lit.text } : { kind: 'time', ms: time };
}

function orderTest(op: string, lit: Literal, options: CompileOptions): ValueTest {
  const cmp = (a: number | string, b: number | string): boolean =>
    op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
  const operand = orderOperand(lit, options.now);
  switch (operand.kind) {
    case 'number':
      return (x) => {
        const v = typeof x === 'number' ? x : typeof x === 'string' && NUMBER.test(x) ? Number(x) : NaN;
        return !Number.isNaN(v) && cmp(v, operand.value);
      };
    case 'time':
      return (x) => {
        const t = eventTimeMs(x);
        return t !== undefined && cmp(t, operand.ms);
      };
    case 'text':
      return (x) => {
        const s = scalarText(x);
        return s !== undefined && cmp(s, operand.text);
      };
  }
}
