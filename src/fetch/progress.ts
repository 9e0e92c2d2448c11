// The live progress line on stderr: events, pages, rate, retries, elapsed, per Region.
import type { Writable } from 'node:stream';
import type { RegionStats } from './region-fetch';

export class Progress {
  private readonly started = Date.now();
  private readonly timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly stderr: Writable,
    private readonly stats: Map<string, RegionStats>,
    enabled: boolean,
  ) {
    if (enabled) this.timer = setInterval(() => this.draw(), 250);
  }

  private line(): string {
    const seconds = (Date.now() - this.started) / 1000;
    const parts = [...this.stats].map(([region, s]) => `${region} ${s.events} ev/${s.pages} pg${s.retries ? `/${s.retries} retries` : ''}`);
    const total = [...this.stats.values()].reduce((n, s) => n + s.events, 0);
    return `${total} events, ${(total / Math.max(seconds, 0.001)).toFixed(0)}/s, ${seconds.toFixed(1)}s | ${parts.join(' | ')}`;
  }

  private draw(): void {
    this.stderr.write(`\r\x1b[K${this.line()}`);
  }

  stop(): void {
    if (!this.timer) return;
    clearInterval(this.timer);
    this.draw();
    this.stderr.write('\n');
  }
}
