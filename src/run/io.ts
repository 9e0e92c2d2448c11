// What a command runs with: its input, the one writer for its output, stderr and its name. The
// bins give it the process's descriptors (cli/std-streams.ts); tests give it streams in memory.
import type { Writable } from 'node:stream';
import type { ByteStream } from '../input/readers';
import type { OutputWriter } from '../output/output-writer';

export interface Io {
  stdin: ByteStream;
  /** Every byte for stdout goes through this writer (EPIPE, ENOSPC, batching, flushing). */
  out: OutputWriter;
  stderr: Writable;
  /** The command name that prefixes every diagnostic, e.g. "ct-where". */
  name: string;
  /** True when stdin is a terminal: reading it, a command says so once (it would seem to hang). */
  stdinIsTerminal?: boolean;
  /** Set when stdout is a terminal: its width in columns, for commands that write for a person. */
  stdoutTerminal?: { columns: number };
  /** The arguments as given, for commands that print a command to run again (ct-fetch's resume). */
  argv?: readonly string[];
}

/** Control characters but line feed and tab: C0, DEL and C1 (a terminal acts on them). */
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

/** The message with control characters written as \xHH, so bad input cannot drive the terminal. */
export function printable(message: string): string {
  return message.replace(CONTROL, (c) => (c === '\r' ? '\\r' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
}

/**
 * What no message may show, whoever wrote it (an endpoint may echo our request headers back):
 * session tokens, signatures, Authorization headers, secret keys, and the user info of a URL.
 */
const SECRETS: readonly [RegExp, string][] = [
  [/(x-amz-security-token|x-amz-signature|aws_session_token|aws_secret_access_key|secretaccesskey|sessiontoken)(["']?\s*[:=]\s*["']?)[^\s"'&,;]+/gi, '$1$2[redacted]'],
  [/\b(signature)=[0-9a-f]{16,}/gi, '$1=[redacted]'],
  [/(authorization["']?\s*[:=]\s*["']?)[^\r\n"']+/gi, '$1[redacted]'],
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^/\s@'"]+@/gi, '$1[redacted]@'],
];

/** The message with every secret it may hold replaced by [redacted]. */
export function redacted(message: string): string {
  return SECRETS.reduce((text, [pattern, replacement]) => text.replace(pattern, replacement), message);
}

/** Writes one diagnostic line: `ct-where: file:3: message`. */
export function warn(io: Pick<Io, 'stderr' | 'name'>, message: string): void {
  io.stderr.write(`${io.name}: ${printable(redacted(message))}\n`);
}
