// Reading a few fields of a record without parsing all of it: the projection DuckDB's read_json
// does with `columns=`. The WebAssembly checker vouches for a line (an item's record is unescaped
// into its memory, a plain record is used as it is); then only the members on the asked paths
// are parsed, every other value is stepped over in its bytes. Values are what JSON.parse and
// resolveSteps would give (the last of duplicate keys, own keys only, arrays as Many).
import { isUtf8 } from 'node:buffer';
import { resolveSteps, type FieldPath, type Step } from '../events/field-path';
import type { RawLine } from '../run/handler';
import { JsonChecker, NOT_CERTAIN, PLAIN_RECORD } from './json-check';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

/** Batches larger than this (a line of many MB) are left to the parser, as LineExploder does. */
const LARGEST_BATCH = 8 * 1024 * 1024;

/** One key of the paths' tree: the paths that end here (with what is left of them), and the keys below. */
interface KeyNode {
  ends: { index: number; rest: readonly Step[] }[];
  below: Map<string, KeyNode>;
  /** The keys below, as UTF-8 bytes by their length: a key in the data is matched without making a string of it. */
  byLength: Map<number, { bytes: Buffer; node: KeyNode }[]>;
}

function keyTree(paths: readonly FieldPath[]): KeyNode {
  const root: KeyNode = { ends: [], below: new Map(), byLength: new Map() };
  paths.forEach((path, index) => {
    let node = root;
    let i = 0;
    for (; i < path.steps.length; i++) {
      const step = path.steps[i];
      if (step.kind !== 'key') break;
      let next = node.below.get(step.name);
      if (!next) {
        node.below.set(step.name, (next = { ends: [], below: new Map(), byLength: new Map() }));
        const bytes = Buffer.from(step.name, 'utf8');
        const same = node.byLength.get(bytes.length) ?? [];
        node.byLength.set(bytes.length, [...same, { bytes, node: next }]);
      }
      node = next;
    }
    node.ends.push({ index, rest: path.steps.slice(i) });
  });
  return root;
}

/** A value read as the bytes of its text: a string without escapes, for a path that asked (see RecordFields.textAt). */
export const STRING_BYTES: unique symbol = Symbol('string bytes');

/** The fields `paths` name, read from the bytes of records. */
export class RecordFields {
  private readonly tree: KeyNode;
  /** Made with the first batch of lines: a run that reads none (a document, empty input) never compiles the module. */
  private checkerMade: JsonChecker | undefined;
  private loaded = false;
  private utf8 = false;
  private buf: Buffer = Buffer.alloc(0);
  /** Whether the last record read came from a LookupEvents item. */
  fromItem = false;

  /** For each value read as STRING_BYTES: where its text starts and ends in `source` (2 numbers a path). */
  readonly textAt: Int32Array;

  /**
   * `asBytes[i]`: path i's value, when it is a string without escapes, is left in the bytes
   * (STRING_BYTES) instead of being made a string.
   */
  constructor(
    private readonly paths: readonly FieldPath[],
    private readonly asBytes: readonly boolean[] = [],
  ) {
    this.tree = keyTree(paths);
    this.textAt = new Int32Array(2 * paths.length);
    if (paths.some((p) => p.steps[0]?.kind !== 'key')) throw new RangeError('every path must start with a key');
  }

  /** The nodes of the top-level keys asked for, in the order the checker was given them (see wantKeys); empty when it was not. */
  private wanted: KeyNode[] = [];

  private get checker(): JsonChecker {
    if (!this.checkerMade) {
      this.checkerMade = new JsonChecker();
      this.checkerMade.recordMembers();
      const keys = [...this.tree.below.keys()];
      if (this.checkerMade.wantKeys(keys)) this.wanted = keys.map((k) => this.tree.below.get(k)!);
    }
    return this.checkerMade;
  }

  /**
   * Where lines are read to (see LineArena): the checker's line area, so a batch is checked where
   * it was read, not copied into the module first (ct-where spent as much copying its input in as
   * searching it).
   */
  area(): Buffer {
    return this.checker.lineArea();
  }

  beginLines(buf: Buffer, utf8: boolean): void {
    this.loaded = buf.length <= LARGEST_BATCH;
    if (!this.loaded) return;
    this.checker.loadLines(buf);
    this.utf8 = utf8;
  }

  /**
   * The values of the paths in the record of one NDJSON line (an item's record, or a record), or
   * undefined when the line is not one the checker can vouch for: it is then parsed as usual.
   */
  read(raw: RawLine): unknown[] | undefined {
    if (!this.loaded || (!this.utf8 && !isUtf8(raw.buf.subarray(raw.start, raw.end)))) return undefined;
    const found = this.checker.checkLine(raw.start, raw.end);
    // A line with an escaped surrogate is the parser's: it reports half a pair (as LineScanner
    // does, whichever field it is in), and decodes a whole one.
    if (found === NOT_CERTAIN || this.checker.heldSurrogateEscape()) {
      if (found === 0) this.checker.takeRecords(true);
      return undefined;
    }
    const values = new Array<unknown>(this.paths.length).fill(undefined);
    this.fromItem = found !== PLAIN_RECORD;
    // An item's record (and its "\n"), in the module's memory until the next batch.
    const record = this.fromItem ? this.checker.takeRecords(true)! : undefined;
    // Its top-level members as the checker found them; past 1,024 of them, found here.
    const count = this.checker.memberCount();
    if (count >= 0) {
      this.buf = this.checker.memory();
      this.fromTable(this.checker.memberTable(), count, values);
    } else if (record) {
      this.buf = record;
      this.members(this.tree, skipSpace(record, 0), values);
    } else {
      this.buf = raw.buf;
      this.members(this.tree, skipSpace(raw.buf, raw.start), values);
    }
    return values;
  }

  /**
   * The top-level members from the checker's table; the last of a duplicate key wins. The
   * checker found those of the keys asked for, unless a key held an escape: then each is looked at.
   */
  private fromTable(table: Int32Array, count: number, values: unknown[]): void {
    const found = this.wanted.length ? this.checker.wantedMembers() : undefined;
    if (found) {
      for (let w = 0; w < this.wanted.length; w++) if (found[w] >= 0) this.settle(this.wanted[w], table[4 * found[w] + 2], values);
      return;
    }
    const buf = this.buf;
    const nodes: KeyNode[] = [];
    const starts: number[] = [];
    for (let m = 0; m < 4 * count; m += 4) {
      // The checker marks a key holding an escape with the top bit of its start: childFor decodes it.
      const keyStart = table[m] & 0x7fffffff;
      escaped = table[m] < 0;
      const child = childFor(this.tree, buf, keyStart, table[m + 1]);
      if (!child) continue;
      const seen = nodes.indexOf(child);
      if (seen >= 0) starts[seen] = table[m + 2];
      else {
        nodes.push(child);
        starts.push(table[m + 2]);
      }
    }
    for (let k = 0; k < nodes.length; k++) this.settle(nodes[k], starts[k], values);
  }

  /** Reads the object starting at `at` for the keys below `node`; the last of a duplicate key wins. */
  private members(node: KeyNode, at: number, values: unknown[]): void {
    const buf = this.buf;
    const nodes: KeyNode[] = [];
    const starts: number[] = [];
    let i = skipSpace(buf, at + 1);
    if (buf[i] !== CLOSE_OBJECT) {
      for (;;) {
        const keyEnd = skipString(buf, i);
        const child = childFor(node, buf, i, keyEnd);
        i = skipSpace(buf, keyEnd);
        // buf[i] is the colon
        i = skipSpace(buf, i + 1);
        if (child) {
          const seen = nodes.indexOf(child);
          if (seen >= 0) starts[seen] = i;
          else {
            nodes.push(child);
            starts.push(i);
          }
        }
        i = skipSpace(buf, skipValue(buf, i));
        if (buf[i] !== COMMA) break;
        i = skipSpace(buf, i + 1);
      }
    }
    for (let k = 0; k < nodes.length; k++) this.settle(nodes[k], starts[k], values);
  }

  /** The bytes the values of the last read are in: a STRING_BYTES value's text is there (see textAt), until the next read. */
  get source(): Buffer {
    return this.buf;
  }

  private settle(child: KeyNode, start: number, values: unknown[]): void {
    if (child.ends.length > 0) {
      const end = skipValue(this.buf, start);
      const plainString = this.buf[start] === QUOTE && !escaped;
      let value: unknown;
      let parsed = false;
      for (const { index, rest } of child.ends) {
        if (rest.length === 0 && plainString && this.asBytes[index]) {
          values[index] = STRING_BYTES;
          this.textAt[2 * index] = start + 1;
          this.textAt[2 * index + 1] = end - 1;
          continue;
        }
        if (!parsed) {
          value = parseValue(this.buf, start, end, plainString);
          parsed = true;
        }
        values[index] = rest.length === 0 ? value : resolveSteps(value, rest);
      }
    }
    if (child.below.size === 0) return;
    if (this.buf[start] === OPEN_OBJECT) this.members(child, start, values);
    else if (this.buf[start] === OPEN_ARRAY) {
      // Through an array a key step maps over its items: the parser's way, as resolveSteps does.
      const value = parseValue(this.buf, start, skipValue(this.buf, start), false);
      this.resolveBelow(child, value, [], values);
    }
  }

  /** For the paths below `node`, from a value parsed whole. */
  private resolveBelow(node: KeyNode, value: unknown, steps: Step[], values: unknown[]): void {
    for (const [name, child] of node.below) {
      const at = [...steps, { kind: 'key', name } as Step];
      for (const end of child.ends) values[end.index] = resolveSteps(value, [...at, ...end.rest]);
      this.resolveBelow(child, value, at, values);
    }
  }
}

function skipSpace(buf: Buffer, i: number): number {
  let c = buf[i];
  if (c > 0x20) return i;
  while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = buf[++i];
  return i;
}

/** Whether the last string skipped held an escape. */
let escaped = false;

/** From the opening quote to just past the closing one. */
function skipString(buf: Buffer, i: number): number {
  escaped = false;
  for (i++; ; i++) {
    const c = buf[i];
    if (c === QUOTE) return i + 1;
    if (c === BACKSLASH) {
      escaped = true;
      i++;
    }
  }
}

/** Just past the value starting at `i` (valid JSON: the checker vouched for it). */
function skipValue(buf: Buffer, i: number): number {
  const c = buf[i];
  if (c === QUOTE) return skipString(buf, i);
  if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
    let depth = 0;
    for (;; i++) {
      const b = buf[i];
      if (b === QUOTE) i = skipString(buf, i) - 1;
      else if (b === OPEN_OBJECT || b === OPEN_ARRAY) depth++;
      else if (b === CLOSE_OBJECT || b === CLOSE_ARRAY) {
        if (--depth === 0) return i + 1;
      }
    }
  }
  // A number, true, false or null.
  for (;; i++) {
    const b = buf[i];
    if (b === COMMA || b === CLOSE_OBJECT || b === CLOSE_ARRAY || b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09 || b === COLON || b === undefined) return i;
  }
}

/** The node below `node` for the key at buf[start, end) (quotes included, just skipped), if it is one asked for. */
function childFor(node: KeyNode, buf: Buffer, start: number, end: number): KeyNode | undefined {
  const candidates = node.byLength.get(end - start - 2);
  if (candidates) {
    for (const { bytes, node: child } of candidates) {
      let i = 0;
      while (i < bytes.length && buf[start + 1 + i] === bytes[i]) i++;
      if (i === bytes.length) return child;
    }
  }
  // A key written with escapes (\u0065ventName) is decoded and looked up by its text.
  return escaped ? node.below.get(keyText(buf, start, end)) : undefined;
}

/** A key's text: as it is, or decoded when it holds an escape. */
function keyText(buf: Buffer, start: number, end: number): string {
  for (let i = start + 1; i < end - 1; i++) if (buf[i] === BACKSLASH) return parseText(buf.toString('utf8', start, end)) as string;
  return buf.toString('utf8', start + 1, end - 1);
}

/** The value at buf[start, end), just skipped by skipValue; `plainString`: a string without escapes. */
function parseValue(buf: Buffer, start: number, end: number, plainString: boolean): unknown {
  if (plainString) return buf.toString('utf8', start + 1, end - 1);
  return parseText(buf.toString('utf8', start, end));
}

function parseText(text: string): unknown {
  return JSON.parse(text) as unknown;
}
