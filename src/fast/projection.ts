// The fields a command needs, read from a line's bytes (see RecordFields) and answered as an
// EventView answers them: the same values for the same paths, the computed `user` included. A
// command that needs only the record's fields uses it before parsing a line; when it cannot
// answer (a line the checker does not vouch for, a field of the item itself, an item whose
// record names no one), the line is parsed as usual.
import type { FieldPath } from '../events/field-path';
import { parsePath } from '../events/field-path';
import { CONSOLE_URL, userOfIdentity, VIRTUAL_USER } from '../events/who';
import type { LineArena } from '../input/read-batches';
import type { RawLine } from '../run/handler';
import { RecordFields, STRING_BYTES } from './record-fields';

export { STRING_BYTES };

const USER_IDENTITY = parsePath('userIdentity', 'userIdentity');

/** The values of one line's fields, by path (an EventView's resolve, for these paths only). */
export interface FieldValues {
  resolve(path: FieldPath): unknown;
}

export class Projection implements LineArena {
  private readonly reader: RecordFields;
  /** Where each path's value is, by the path object and by its text. */
  private readonly index = new Map<FieldPath | string, number>();
  private readonly users: number[];
  private readonly values: FieldValues;
  private current: unknown[] = [];

  /**
   * Reads `paths`, and `textPaths` too: a string among those (not also among `paths`) without
   * escapes may be left in the bytes (see rawAt). Undefined when a path needs the parser: a field
   * of the item itself (capitalised: Username, EventTime...) or consoleUrl.
   */
  static for(paths: readonly FieldPath[], textPaths: readonly FieldPath[] = []): Projection | undefined {
    const needsItem = (p: FieldPath): boolean => p.steps[0]?.kind !== 'key' || /^[A-Z]/.test(p.steps[0].name) || p.text === CONSOLE_URL;
    return paths.some(needsItem) || textPaths.some(needsItem) ? undefined : new Projection(paths, textPaths);
  }

  private constructor(paths: readonly FieldPath[], textPaths: readonly FieldPath[]) {
    const unique: FieldPath[] = [];
    for (const path of [...paths, ...textPaths]) {
      const at = this.index.get(path.text) ?? unique.push(path) - 1;
      this.index.set(path, at);
      this.index.set(path.text, at);
    }
    const asValues = new Set(paths.map((p) => p.text));
    this.users = unique.map((p, i) => (p.text === VIRTUAL_USER ? i : -1)).filter((i) => i >= 0);
    this.reader = new RecordFields(this.users.length ? [...unique, USER_IDENTITY] : unique, unique.map((p) => !asValues.has(p.text)));
    this.values = { resolve: (path) => this.valueAt(this.indexOf(path)) };
  }

  /** Where `path`'s value is among a read's values (for rawAt and valueAt). */
  indexOf(path: FieldPath): number {
    return this.index.get(path) ?? this.index.get(path.text)!;
  }

  /** Value `i` of the last read, or STRING_BYTES: its text is then source[textStart(i), textEnd(i)). */
  rawAt(i: number): unknown {
    return this.current[i];
  }

  valueAt(i: number): unknown {
    const value = this.current[i];
    return value === STRING_BYTES ? this.reader.source.toString('utf8', this.reader.textAt[2 * i], this.reader.textAt[2 * i + 1]) : value;
  }

  /** The bytes of the last read's STRING_BYTES texts, until the next read. */
  get source(): Buffer {
    return this.reader.source;
  }

  textStart(i: number): number {
    return this.reader.textAt[2 * i];
  }

  textEnd(i: number): number {
    return this.reader.textAt[2 * i + 1];
  }

  /** Lines are read straight into the checker's memory (see RecordFields.area). */
  area(): Buffer {
    return this.reader.area();
  }

  beginLines(buf: Buffer, utf8: boolean): void {
    this.reader.beginLines(buf, utf8);
  }


  /** The line's values, valid until the next read; undefined: parse the line instead. */
  read(raw: RawLine): FieldValues | undefined {
    const values = this.reader.read(raw);
    if (!values) return undefined;
    for (const i of this.users) {
      if (values[i] !== undefined) continue;
      const user = userOfIdentity(values[values.length - 1]);
      // An item's own Username names who acted when its record does not: that needs the item.
      if (user === undefined && this.reader.fromItem) return undefined;
      values[i] = user;
    }
    this.current = values;
    return this.values;
  }
}
