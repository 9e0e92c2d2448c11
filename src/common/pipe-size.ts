// A pipe between two commands holds 64 KiB on Linux: the writer sleeps once it is full and the
// reader once it is empty, 16 times per MiB each way. Linux lets a pipe hold more (fcntl
// F_SETPIPE_SZ, up to /proc/sys/fs/pipe-max-size, 1 MiB by default, for any user). With 1 MiB,
// `ct-explode | ct-where | ct-csv` on the bench's items took 0.83 s instead of 0.98 s (a sixth
// less CPU), `cat FILE | ct-where` 0.34 s instead of 0.46 s (PERFORMANCE.md, session 18).
//
// Node has no fcntl(). perl has, and is on every Debian and Ubuntu (perl-base is an essential
// package): it makes the call on the descriptor it inherits, which is the same pipe. The call
// costs ~30 ms of CPU (a process started), so it is made once, for a pipe that carries much.
// Wherever it cannot be made (no perl, another system, a limit on a user's pipe memory) the pipe
// stays as it is and nothing else changes.
import { readFileSync } from 'node:fs';

const F_SETPIPE_SZ = 1031;
/** What a pipe is made to hold, if the system allows as much. */
const WANTED = 1024 * 1024;
/** What a pipe holds unless told otherwise (Linux). */
export const PIPE_DEFAULT = 64 * 1024;

/**
 * Makes the pipe on `fd` (0, standard input, or 1, standard output) hold up to 1 MiB; the bytes it
 * now holds, or why it could not. Blocks for the ~15 ms perl takes.
 */
export function enlargePipe(fd: 0 | 1): number | string {
  if (process.platform !== 'linux') return 'not Linux';
  const size = Math.min(WANTED, pipeMaxSize());
  if (size <= PIPE_DEFAULT) return `/proc/sys/fs/pipe-max-size is ${size}`;
  const handle = fd === 0 ? 'STDIN' : 'STDOUT';
  // node:child_process only now: most runs never ask.
  const { spawnSync } = process.getBuiltinModule('node:child_process');
  const ran = spawnSync('perl', ['-e', `fcntl(${handle}, ${F_SETPIPE_SZ}, int($ARGV[0])) or exit 1`, String(size)], {
    stdio: fd === 0 ? [0, 'ignore', 'ignore'] : ['ignore', 1, 'ignore'],
    timeout: 5000,
  });
  if (ran.status === 0) return size;
  return ran.error ? `perl: ${(ran.error as NodeJS.ErrnoException).code ?? ran.error.message}` : `perl: exit ${ran.status ?? ran.signal}`;
}

function pipeMaxSize(): number {
  try {
    return Number.parseInt(readFileSync('/proc/sys/fs/pipe-max-size', 'utf8'), 10) || WANTED;
  } catch {
    return WANTED;
  }
}
