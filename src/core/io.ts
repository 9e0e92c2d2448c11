// The streams a command runs with: process streams in the bins, in-memory streams in tests.
import type { Writable } from 'node:stream';
import type { ByteStream } from './sources';

export interface Io {
  stdin: ByteStream;
  stdout: Writable;
  stderr: Writable;
  /** The command name that prefixes every diagnostic, e.g. "ct-where". */
  name: string;
  /** The arguments as given, for commands that print a command to run again (ct-fetch's resume). */
  argv?: readonly string[];
}

/** Writes one diagnostic line: `ct-where: file:3: message`. */
export function warn(io: Io, message: string): void {
  io.stderr.write(`${io.name}: ${message}\n`);
}
