// Where JSON goes wrong, to the byte. stream-json says what is wrong but not where, and JSON.parse
// gives a position for some faults only; this scanner is fed the same bytes, holds no more than
// the nesting of containers, and keeps the offset of the first byte that cannot be JSON. It
// accepts what the reader accepts: one or more top-level values separated by white space.

const enum S {
  /** A value may start here (top level, after `[`, `,` in an array, `:`). */
  Value,
  /** After `[`: a value or `]`. */
  ValueOrClose,
  /** After `{`: a key or `}`. */
  KeyOrClose,
  /** After `,` in an object. */
  Key,
  Colon,
  /** After a value: `,`, the container's close, or (at top level) white space and another value. */
  After,
  String,
  Escape,
  Unicode,
  Literal,
  /** Number sub-states: after `-`, after a leading 0, in integer digits, after `.`, in fraction, after e, after e sign, in exponent. */
  Minus,
  Zero,
  Int,
  Dot,
  Frac,
  Exp,
  ExpSign,
  ExpDigits,
}

const OBJECT = 1;
const ARRAY = 2;
const LITERALS = ['true', 'false', 'null'];

export class JsonPosition {
  /** Offset of the first byte that cannot be JSON, or undefined while all is well. */
  fault: number | undefined;
  /** Top-level values begun. */
  values = 0;
  private state = S.Value;
  private readonly stack: number[] = [];
  /** Is the string being read a key (then a colon follows)? */
  private key = false;
  private hexLeft = 0;
  private literal = '';
  private offset: number;

  constructor(base = 0) {
    this.offset = base;
  }

  write(bytes: Uint8Array): void {
    const n = bytes.length;
    for (let i = 0; i < n && this.fault === undefined; i++) {
      if (this.state === S.String) {
        // Most bytes are inside strings: run through them to the next quote, backslash or control byte.
        let c = bytes[i];
        while (c !== 0x22 && c !== 0x5c && c >= 0x20 && ++i < n) c = bytes[i];
        if (i === n) break;
      }
      this.byte(bytes[i], this.offset + i);
    }
    this.offset += n;
  }

  /** At the end of input: a value left open is a fault at the end. */
  end(): void {
    if (this.fault !== undefined) return;
    if (this.state === S.Int || this.state === S.Zero || this.state === S.Frac || this.state === S.ExpDigits) this.state = S.After;
    if (!(this.stack.length === 0 && (this.state === S.After || this.state === S.Value))) this.fault = this.offset;
  }

  private byte(c: number, at: number): void {
    const white = c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
    switch (this.state) {
      case S.String:
        if (c === 0x22) this.closeString();
        else if (c === 0x5c) this.state = S.Escape;
        else if (c < 0x20) this.fault = at;
        return;
      case S.Escape:
        if (c === 0x75) {
          this.state = S.Unicode;
          this.hexLeft = 4;
        } else if ('"\\/bfnrt'.includes(String.fromCharCode(c))) this.state = S.String;
        else this.fault = at;
        return;
      case S.Unicode:
        if (!isHex(c)) this.fault = at;
        else if (--this.hexLeft === 0) this.state = S.String;
        return;
      case S.Literal: {
        const next = this.literal + String.fromCharCode(c);
        if (LITERALS.includes(next)) {
          this.literal = '';
          this.state = S.After;
        } else if (LITERALS.some((l) => l.startsWith(next))) this.literal = next;
        else this.fault = at;
        return;
      }
      case S.Minus:
        if (c === 0x30) this.state = S.Zero;
        else if (isDigit(c)) this.state = S.Int;
        else this.fault = at;
        return;
      case S.Zero:
      case S.Int:
        if (isDigit(c) && this.state === S.Int) return;
        if (c === 0x2e) this.state = S.Dot;
        else if (c === 0x65 || c === 0x45) this.state = S.Exp;
        else return this.afterNumber(c, at, white);
        return;
      case S.Dot:
        if (isDigit(c)) this.state = S.Frac;
        else this.fault = at;
        return;
      case S.Frac:
        if (isDigit(c)) return;
        if (c === 0x65 || c === 0x45) this.state = S.Exp;
        else this.afterNumber(c, at, white);
        return;
      case S.Exp:
        if (c === 0x2b || c === 0x2d) this.state = S.ExpSign;
        else if (isDigit(c)) this.state = S.ExpDigits;
        else this.fault = at;
        return;
      case S.ExpSign:
        if (isDigit(c)) this.state = S.ExpDigits;
        else this.fault = at;
        return;
      case S.ExpDigits:
        if (!isDigit(c)) this.afterNumber(c, at, white);
        return;
      default:
        if (white) return;
        this.structural(c, at);
    }
  }

  private afterNumber(c: number, at: number, white: boolean): void {
    this.state = S.After;
    if (!white) this.structural(c, at);
  }

  private structural(c: number, at: number): void {
    const top = this.stack[this.stack.length - 1];
    switch (this.state) {
      case S.Value:
      case S.ValueOrClose:
        if (c === 0x5d && this.state === S.ValueOrClose) return this.close(ARRAY, at);
        return this.startValue(c, at);
      case S.KeyOrClose:
      case S.Key:
        if (c === 0x7d && this.state === S.KeyOrClose) return this.close(OBJECT, at);
        if (c !== 0x22) return void (this.fault = at);
        this.key = true;
        this.state = S.String;
        return;
      case S.Colon:
        if (c !== 0x3a) return void (this.fault = at);
        this.state = S.Value;
        return;
      case S.After:
        if (c === 0x2c && top === ARRAY) this.state = S.Value;
        else if (c === 0x2c && top === OBJECT) this.state = S.Key;
        else if (c === 0x5d || c === 0x7d) this.close(c === 0x5d ? ARRAY : OBJECT, at);
        // Another top-level value (concatenated documents).
        else if (top === undefined) this.startValue(c, at);
        else this.fault = at;
        return;
    }
  }

  private startValue(c: number, at: number): void {
    if (this.stack.length === 0) this.values++;
    if (c === 0x7b) {
      this.stack.push(OBJECT);
      this.state = S.KeyOrClose;
    } else if (c === 0x5b) {
      this.stack.push(ARRAY);
      this.state = S.ValueOrClose;
    } else if (c === 0x22) {
      this.key = false;
      this.state = S.String;
    } else if (c === 0x2d) this.state = S.Minus;
    else if (c === 0x30) this.state = S.Zero;
    else if (isDigit(c)) this.state = S.Int;
    else if (c === 0x74 || c === 0x66 || c === 0x6e) {
      this.state = S.Literal;
      this.literal = String.fromCharCode(c);
    } else this.fault = at;
  }

  private close(kind: number, at: number): void {
    if (this.stack.pop() !== kind) this.fault = at;
    else this.state = S.After;
  }

  private closeString(): void {
    this.state = this.key ? S.Colon : S.After;
    this.key = false;
  }
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isHex(c: number): boolean {
  return isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}
