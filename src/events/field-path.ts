// Field paths as ct-where and ct-csv take them, and their resolution against parsed JSON.
//
//   path    := step ( "." step | "[]" | "[" digits "]" )*
//   step    := name | '"' any text, \" and \\ escaped '"' | "[]" | "[" digits "]"
//   name    := [A-Za-z_@] [A-Za-z0-9_@:-]*
//
// A key step applied to an array applies to every element ("resources.ARN" = "resources[].ARN").
// Resolution reads own properties only: `__proto__` or `constructor` reach nothing that the
// data does not hold itself.
import { usageError } from '../common/errors';

export type Step = { kind: 'key'; name: string } | { kind: 'each' } | { kind: 'index'; index: number };

export interface FieldPath {
  readonly text: string;
  readonly steps: readonly Step[];
}

/** Several values, from a path that went through an array. */
export class Many {
  constructor(readonly values: readonly unknown[]) {}
}

export class PathSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

const NAME_START = /[A-Za-z_@]/;
const NAME_CHAR = /[A-Za-z0-9_@:-]/;

/** Reads a path starting at `pos`; stops at the first character that cannot continue it. */
export function scanPath(text: string, pos: number): { path: FieldPath; end: number } {
  const steps: Step[] = [];
  let i = pos;
  for (let first = true; ; first = false) {
    if (text[i] === '[') {
      i = scanBracket(text, i, steps);
    } else {
      if (!first) {
        if (text[i] !== '.') break;
        i++;
      }
      i = scanKey(text, i, steps);
    }
    while (text[i] === '[') i = scanBracket(text, i, steps);
    if (text[i] !== '.') break;
  }
  return { path: { text: text.slice(pos, i), steps }, end: i };
}

function scanKey(text: string, i: number, steps: Step[]): number {
  if (text[i] === '"') {
    let name = '';
    let j = i + 1;
    for (; j < text.length && text[j] !== '"'; j++) {
      if (text[j] === '\\' && j + 1 < text.length) j++;
      name += text[j];
    }
    if (j >= text.length) throw new PathSyntaxError('unterminated quoted field name', i);
    steps.push({ kind: 'key', name });
    return j + 1;
  }
  if (i >= text.length || !NAME_START.test(text[i])) throw new PathSyntaxError('expected a field name', i);
  let j = i + 1;
  while (j < text.length && NAME_CHAR.test(text[j])) j++;
  steps.push({ kind: 'key', name: text.slice(i, j) });
  return j;
}

function scanBracket(text: string, i: number, steps: Step[]): number {
  const close = text.indexOf(']', i);
  const inner = close < 0 ? null : text.slice(i + 1, close);
  if (inner === '') steps.push({ kind: 'each' });
  else if (inner !== null && /^\d+$/.test(inner)) steps.push({ kind: 'index', index: Number(inner) });
  else throw new PathSyntaxError('expected [] or [number]', i);
  return close + 1;
}

/** Parses a whole string as one path; errors name the option they came from. */
export function parsePath(text: string, option: string): FieldPath {
  try {
    const { path, end } = scanPath(text, 0);
    if (end !== text.length) throw new PathSyntaxError(`unexpected '${text[end]}'`, end);
    return path;
  } catch (err) {
    if (err instanceof PathSyntaxError) {
      throw usageError(`${option}: bad field path '${text}' at position ${err.position + 1}: ${err.message}`);
    }
    throw err;
  }
}


export function ownValue(obj: unknown, key: string): unknown {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return undefined;
  return Object.prototype.hasOwnProperty.call(obj, key) ? (obj as Record<string, unknown>)[key] : undefined;
}

/** Follows `steps` from `root`; returns undefined, one value, or Many. */
export function resolveSteps(root: unknown, steps: readonly Step[]): unknown {
  let current: unknown = root;
  for (const step of steps) {
    if (current === undefined) return undefined;
    current = current instanceof Many ? stepMany(current, step) : stepOne(current, step);
  }
  return current;
}

function stepOne(value: unknown, step: Step): unknown {
  if (step.kind === 'key') {
    if (Array.isArray(value)) return stepMany(new Many(value), step);
    return ownValue(value, step.name);
  }
  if (!Array.isArray(value)) return undefined;
  if (step.kind === 'each') return new Many(value);
  return step.index < value.length ? value[step.index] : undefined;
}

function stepMany(many: Many, step: Step): unknown {
  const out: unknown[] = [];
  for (const v of many.values) {
    const next = stepOne(v, step);
    if (next instanceof Many) out.push(...next.values);
    else if (next !== undefined) out.push(next);
  }
  return new Many(out);
}
