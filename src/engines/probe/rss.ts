import type { MeasuredSeries } from '../../core/report.js';
import { thin } from './growth.js';

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

const SERIES_POINTS = 200;

/** Warm-up, distinct-credential run and control on one request axis, RSS in MiB, for the report. */
export function rssSeries(warmup: readonly RssSample[], test: readonly RssSample[], control: readonly RssSample[]): MeasuredSeries[] {
  const toPoints = (samples: readonly RssSample[]) =>
    thin(samples, SERIES_POINTS).map((s) => [s.requests, Math.round((s.rss / 1024 / 1024) * 100) / 100] as [number, number]);
  return [
    { name: 'RSS, warm-up (one credential)', xLabel: 'requests', yLabel: 'RSS MiB', points: toPoints(warmup) },
    { name: 'RSS, distinct credentials', xLabel: 'requests', yLabel: 'RSS MiB', points: toPoints(test) },
    { name: 'RSS, control (one credential, after)', xLabel: 'requests', yLabel: 'RSS MiB', points: toPoints(control) },
  ];
}
