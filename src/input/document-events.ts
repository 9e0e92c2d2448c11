// Turns the token stream of one or more concatenated JSON documents into events, holding one
// event in memory at a time. A top-level object whose first key is a container key (see
// events/shapes.ts) yields the elements of its event arrays; a top-level array yields its
// elements; any other top-level object is itself an event.
import { Parser } from 'stream-json';
import Assembler from 'stream-json/Assembler';
import { CONTAINER_KEYS, EVENT_ARRAYS, NOT_AN_OBJECT } from '../events/shapes';
import { JsonPosition } from './json-position';

interface Token {
  name: string;
  value?: string;
}

/**
 * stream-json's Assembler stores a value with `object[key] = value`, so a `__proto__` key set the
 * object's prototype instead of a property: the key vanished from the event (found by the
 * property test against JSON.parse). This one defines it as an own property, as JSON.parse does.
 */
class OwnKeyAssembler extends Assembler {
  _saveValue(value: unknown): void {
    const self = this as unknown as { done: boolean; current: object; key: string | null };
    if (!self.done && !Array.isArray(self.current) && self.key === '__proto__') {
      Object.defineProperty(self.current, '__proto__', { value, writable: true, enumerable: true, configurable: true });
      self.key = null;
      return;
    }
    (Assembler.prototype as unknown as { _saveValue(v: unknown): void })._saveValue.call(this, value);
  }

  // Assembler aliases stringValue to its own _saveValue: point it at this one.
  stringValue(value: string): void {
    this._saveValue(value);
  }
}


type Mode =
  | { kind: 'top' }
  | { kind: 'object-head' } // saw `{` at top level, waiting for its first key
  | { kind: 'container'; key: string | null; depth: number; index: number; inArray: boolean }
  | { kind: 'array'; index: number };

export class DocumentEvents {
  private readonly parser: Parser;
  private mode: Mode = { kind: 'top' };
  private asm: Assembler | null = null;
  private skipDepth = 0;
  private label = '';
  private values: unknown[] = [];
  private labels: string[] = [];
  private bytes = 0;
  /** stream-json says what is wrong, not where: this scanner, fed the same bytes, says where. */
  private readonly position: JsonPosition;
  private documents = 0;
  failed = false;

  /**
   * `base`: bytes of the source before the first one written here (a byte-order mark; may be
   * negative when JSON is written first to give bytes their context). `firstIndex`: the number
   * of the first element of the first event array (the elements before it were read otherwise).
   */
  constructor(
    private readonly problem: (label: string, message: string) => void,
    private readonly base = 0,
    private firstIndex = 0,
  ) {
    this.parser = new Parser({
      jsonStreaming: true,
      packKeys: true,
      streamKeys: false,
      packStrings: true,
      streamStrings: false,
      packNumbers: true,
      streamNumbers: false,
    });
    this.parser.on('data', (t: Token) => this.token(t));
    this.parser.on('error', (err: Error) => this.fail(err));
    this.position = new JsonPosition(base);
  }

  write(chunk: Buffer): void {
    if (this.failed) return;
    this.bytes += chunk.length;
    this.position.write(chunk);
    this.parser.write(chunk);
  }

  end(): Promise<void> {
    return new Promise((resolve) => {
      if (this.failed) return resolve();
      this.parser.once('end', resolve);
      this.parser.once('error', () => resolve());
      this.parser.resume();
      this.parser.end();
    });
  }

  take(): { values: unknown[]; labels: string[] } {
    const out = { values: this.values, labels: this.labels };
    this.values = [];
    this.labels = [];
    return out;
  }

  private fail(err: Error): void {
    if (this.failed) return;
    this.failed = true;
    const reason = err.message.replace(/^Parser (cannot parse input|has expected)[: ]*/, '');
    this.position.end();
    this.problem(`byte ${this.position.fault ?? this.base + this.bytes}`, `invalid JSON: ${reason}`);
  }

  private token(t: Token): void {
    if (this.asm) return this.assemble(t);
    if (this.skipDepth > 0) return this.skip(t);
    const m = this.mode;
    switch (m.kind) {
      case 'top':
        return this.top(t);
      case 'object-head':
        return this.objectHead(t);
      case 'container':
        return this.container(m, t);
      case 'array':
        if (t.name === 'endArray') this.mode = { kind: 'top' };
        else this.startEvent(t, `[${m.index++}]`);
        return;
    }
  }

  private top(t: Token): void {
    this.documents++;
    if (t.name === 'startObject') this.mode = { kind: 'object-head' };
    else if (t.name === 'startArray') this.mode = { kind: 'array', index: 0 };
    else this.problem(`document ${this.documents}`, 'not an event: a top-level JSON value must be an object or an array');
  }

  private objectHead(t: Token): void {
    if (t.name === 'keyValue' && CONTAINER_KEYS.has(t.value!)) {
      this.mode = { kind: 'container', key: t.value!, depth: 1, index: 0, inArray: false };
      return;
    }
    // An ordinary object: it is the event itself. Replay the `{` we held back.
    this.mode = { kind: 'top' };
    this.label = `document ${this.documents}`;
    this.asm = new OwnKeyAssembler();
    this.asm.consume({ name: 'startObject' });
    this.assemble(t);
  }

  private container(m: Extract<Mode, { kind: 'container' }>, t: Token): void {
    if (m.inArray) {
      if (t.name === 'endArray') m.inArray = false;
      else this.startEvent(t, `${m.key}[${m.index++}]`);
      return;
    }
    if (t.name === 'keyValue') {
      m.key = t.value!;
      return;
    }
    if (t.name === 'endObject') {
      this.mode = { kind: 'top' };
      return;
    }
    if (t.name === 'startArray' && EVENT_ARRAYS.has(m.key!)) {
      m.inArray = true;
      m.index = this.firstIndex;
      this.firstIndex = 0;
      return;
    }
    if (t.name === 'startArray' || t.name === 'startObject') this.skipDepth = 1;
  }

  private startEvent(t: Token, label: string): void {
    if (t.name !== 'startObject') {
      this.problem(label, NOT_AN_OBJECT);
      if (t.name === 'startArray') this.skipDepth = 1;
      return;
    }
    this.label = label;
    this.asm = new OwnKeyAssembler();
    this.assemble(t);
  }

  private assemble(t: Token): void {
    const asm = this.asm!;
    asm.consume(t);
    if (asm.done) {
      this.values.push(asm.current);
      this.labels.push(this.label);
      this.asm = null;
    }
  }

  private skip(t: Token): void {
    if (t.name === 'startArray' || t.name === 'startObject') this.skipDepth++;
    else if (t.name === 'endArray' || t.name === 'endObject') this.skipDepth--;
  }
}
