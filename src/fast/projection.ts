// The fields a command needs, read from a line's bytes (see RecordFields) and answered as an
// EventView answers them: the same values for the same paths, the computed `user` included. A
// command that needs only the record's fields uses it before parsing a line; when it cannot
// answer (a line the checker does not vouch for, a field of the item itself, an item whose
// record names no one), the line is parsed as usual.
import type { FieldPath } from '../events/field-path';
import { parsePath } from '../events/field-path';
import { CONSOLE_URL, userOfIdentity, VIRTUAL_USER } from '../events/who';
import type { RawLine } from '../run/handler';
import { RecordFields } from './record-fields';

const USER_IDENTITY = parsePath('userIdentity', 'userIdentity');

/** The values of one line's fields, by path (an EventView's resolve, for these paths only). */
export interface FieldValues {
  resolve(path: FieldPath): unknown;
}

export class Projection {
  private readonly reader: RecordFields;
  /** Where each path's value is, by the path object and by its text. */
  private readonly index = new Map<FieldPath | string, number>();
  private readonly users: number[];
  private readonly values: FieldValues;
  private current: unknown[] = [];

  /** Undefined when a path needs the parser: a field of the item itself (capitalised: Username, EventTime...) or consoleUrl. */
  static for(paths: readonly FieldPath[]): Projection | undefined {
    const needsItem = (p: FieldPath): boolean => p.steps[0]?.kind !== 'key' || /^[A-Z]/.test(p.steps[0].name) || p.text === CONSOLE_URL;
    return paths.some(needsItem) ? undefined : new Projection(paths);
  }

  private constructor(paths: readonly FieldPath[]) {
    const unique: FieldPath[] = [];
    for (const path of paths) {
      const at = this.index.get(path.text) ?? unique.push(path) - 1;
      this.index.set(path, at);
      this.index.set(path.text, at);
    }
    this.users = unique.map((p, i) => (p.text === VIRTUAL_USER ? i : -1)).filter((i) => i >= 0);
    this.reader = new RecordFields(this.users.length ? [...unique, USER_IDENTITY] : unique);
    this.values = { resolve: (path) => this.current[this.index.get(path) ?? this.index.get(path.text)!] };
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
