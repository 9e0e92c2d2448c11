// Chooses how the process's own descriptors are read and written.
import { fstatSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { FileReader, PipeReader, type ByteStream } from '../input/readers';
import { FdOutput } from '../output/fd-output';

/**
 * A redirected file (`< events.ndjson`) is read with readSync (see FileReader); a pipe from a
 * non-blocking descriptor (see PipeReader), whose reads wait with the whole thread, so only when
 * every write has been taken by then (`stdout` is ours, or a terminal's, which node writes
 * synchronously); terminals keep process.stdin.
 */
export function standardInput(stdout: Writable): ByteStream {
  try {
    const stat = fstatSync(0);
    if (stat.isFile()) return new FileReader(0);
    if (stat.isFIFO() && (stdout instanceof FdOutput || isTerminal(1))) return PipeReader.forStdin() ?? process.stdin;
  } catch {
    // no fd 0: fall back
  }
  return process.stdin;
}

/** Pipes, files and devices get blocking writes (see FdOutput); a terminal keeps process.stdout. */
export function standardOutput(): Writable {
  try {
    const stat = fstatSync(1);
    if (stat.isFIFO() || stat.isFile() || (stat.isCharacterDevice() && !isTerminal(1))) return new FdOutput(1, stat.isFIFO());
  } catch {
    // no fd 1: fall back
  }
  return process.stdout;
}

/** Whether stdin is a terminal (node:tty is asked only about a character device). */
export function stdinIsTerminal(): boolean {
  try {
    return fstatSync(0).isCharacterDevice() && isTerminal(0);
  } catch {
    return false;
  }
}

/** Whether fd is a terminal; node:tty (which loads node:net) only when asked, not at every start. */
export function isTerminal(fd: number): boolean {
  return process.getBuiltinModule('node:tty').isatty(fd);
}
