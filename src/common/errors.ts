// The one error type: a code for tests, a one-line message for users, and the exit status.

export const EXIT = { ok: 0, data: 1, usage: 2 } as const;
export type ExitStatus = (typeof EXIT)[keyof typeof EXIT];

export const EXIT_CODES_HELP =
  'Exit status: 0 ok; 1 bad data (a line or document was skipped) or a failed call; 2 usage or expression error.';

export class CtError extends Error {
  /** Set once a command has told the user in its own words: not reported again. */
  told = false;

  constructor(
    readonly code: string,
    message: string,
    readonly exitStatus: ExitStatus = EXIT.data,
  ) {
    super(message);
    this.name = 'CtError';
  }
}

export const usageError = (message: string): CtError => new CtError('usage', message, EXIT.usage);

export function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
