/** One RSS reading: how many requests had completed, and the app's summed RSS in bytes. */
export interface RssSample {
  requests: number;
  rss: number;
}

/** What the sampler needs from a launched app (kept small so it is easy to drive in tests). */
export interface RssSource {
  processes(): number[];
  rss(pids: number[]): number;
}

const PID_REFRESH_EVERY = 20;

/**
 * Reads the app's RSS on a timer while traffic runs. The process list is refreshed now and then
 * rather than on every tick, since walking /proc costs more than reading a few status files.
 */
export class RssSampler {
  readonly samples: RssSample[] = [];
  private timer: NodeJS.Timeout | undefined;
  private pids: number[] = [];
  private ticks = 0;

  constructor(
    private readonly source: RssSource,
    private readonly requests: () => number,
    private readonly intervalMs = 50,
  ) {}

  start(): void {
    this.pids = this.source.processes();
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
  }

  stop(): RssSample[] {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.sample();
    return this.samples;
  }

  sample(): void {
    if (++this.ticks % PID_REFRESH_EVERY === 0) this.pids = this.source.processes();
    const rss = this.source.rss(this.pids);
    if (rss > 0) this.samples.push({ requests: this.requests(), rss });
  }
}
