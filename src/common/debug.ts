// CTPIPE_DEBUG=1: lines on standard error that say what a run chose (threads, pipe sizes), for
// tests and for whoever wonders why a run was fast or slow. Written at once (fd 2), named by the
// command, as the command's own warnings are.
import { writeSync } from 'node:fs';

export function debug(message: string): void {
  if (!process.env.CTPIPE_DEBUG) return;
  const command = (process.argv[1] ?? '').replace(/^.*\//, '').replace(/\.js$/, '');
  writeSync(2, `${command}: debug: ${message}\n`);
}
