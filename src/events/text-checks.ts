// Text that decodes with a loss: bytes that are not UTF-8, and \uD800-style escapes of half a
// surrogate pair. Both become U+FFFD without a word from JSON.parse or TextDecoder; these say where.

/** The offset of the first byte of `bytes` that is not part of valid UTF-8, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i];
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    // Overlong three- and four-byte forms, UTF-16 surrogates, and code points past U+10FFFF.
    const c1 = bytes[i + 1];
    if ((b === 0xe0 && c1 < 0xa0) || (b === 0xed && c1 >= 0xa0) || (b === 0xf0 && c1 < 0x90) || (b === 0xf4 && c1 >= 0x90)) return i;
    i += need + 1;
  }
  return -1;
}

/**
 * Whether a parsed value holds half a surrogate pair in a string (from a `\ud800` escape); a
 * string that is itself JSON (a LookupEvents item's CloudTrailEvent) is looked into as well.
 */
export function hasLoneSurrogate(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') {
    // (String.prototype.isWellFormed: Node 20; TypeScript's ES2022 library does not declare it.)
    if (!(value as unknown as { isWellFormed(): boolean }).isWellFormed()) return true;
    if (depth < 2 && value.startsWith('{') && /\\u[dD][89a-fA-F]/.test(value)) {
      try {
        return hasLoneSurrogate(JSON.parse(value), depth + 1);
      } catch {
        return false;
      }
    }
    return false;
  }
  if (value === null || typeof value !== 'object') return false;
  for (const v of Array.isArray(value) ? value : Object.values(value)) if (hasLoneSurrogate(v, depth)) return true;
  return false;
}
