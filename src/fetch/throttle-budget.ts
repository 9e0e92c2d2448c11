// Client-side pacing: at most `rate` request starts per second, one budget per account and Region.

export class ThrottleBudget {
  private next = 0;

  /** `rate` requests per second; the 1% margin keeps clear of the service's own window edge. */
  constructor(
    private readonly rate: number,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
    private readonly now: () => number = Date.now,
  ) {}

  async take(): Promise<void> {
    if (this.rate <= 0) return;
    const interval = (1000 / this.rate) * 1.01;
    const at = Math.max(this.now(), this.next);
    this.next = at + interval;
    const wait = at - this.now();
    if (wait > 0) await this.sleep(wait);
  }
}

/** Backoff before retry `attempt` (1-based): full jitter over 250 ms x 2^attempt, capped at 20 s. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(20_000, 250 * 2 ** attempt));
}

/** Errors worth another try: throttling, 5xx, timeouts and dropped connections. */
export function isRetryable(err: unknown): boolean {
  const e = err as { name?: string; code?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
  if (!e || typeof e !== 'object') return false;
  if (e.name === 'ThrottlingException' || e.name === 'TooManyRequestsException' || e.$retryable) return true;
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 500) return true;
  const code = e.code ?? '';
  return ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ECONNABORTED'].includes(code) || e.name === 'TimeoutError';
}
