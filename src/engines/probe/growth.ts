import type { RssSample } from './rss.js';

/**
 * The memory-growth statistic, pure so it can be tested on literal series.
 *
 * RSS against requests is not a clean line: allocators grab memory in steps (pymalloc arenas,
 * glibc per-thread arenas as a thread pool fills, V8 heap pages, dict/hash-table doublings) and
 * hand little back. So: drop a warm-up prefix, fit a Theil-Sen line (median of pairwise slopes,
 * which one step or a burst of outliers cannot drag), and call growth sustained only when most
 * quarters of the window grow too. A single step, however large, is not a leak; a staircase is.
 */

export interface Fit {
  /** Bytes per request. */
  slope: number;
  intercept: number;
  /** 1 - SSres/SStot of the robust line: near 1 for a steady climb, near 0 for a flat noisy series. */
  r2: number;
  /** Requests inside the fitted window. */
  span: number;
  /** slope * span: what the line says the window added, in bytes. */
  growth: number;
  /** How many of the window's quarters grew by at least a quarter of the growth they should show. */
  growingQuarters: number;
  samples: number;
}

export interface GrowthThresholds {
  /** Smallest per-request growth worth reporting, bytes. */
  minSlope: number;
  /** Smallest total growth over the window, bytes: below it, page-sized noise could be the cause. */
  minGrowth: number;
  /** Of 4 quarters, how many must grow. */
  minQuarters: number;
  /** Fewest requests in the window for any verdict. */
  minSpan: number;
  /** Fraction of a run treated as warm-up and left out of the fit. */
  warmup: number;
}

export const DEFAULT_THRESHOLDS: GrowthThresholds = {
  minSlope: 48,
  minGrowth: 1024 * 1024,
  minQuarters: 3,
  minSpan: 1500,
  warmup: 0.15,
};

export type Verdict = 'leak' | 'flat' | 'inconclusive';

export interface GrowthResult {
  verdict: Verdict;
  /** Why, in one sentence. */
  reason: string;
  test?: Fit;
  control?: Fit;
  /** True when the control run (one repeated credential) grows about as fast: a per-request leak. */
  perRequest?: boolean;
}

const MAX_FIT_POINTS = 240;

/** Theil-Sen fit of [x, y] points, subsampled evenly so the pairwise step stays cheap. */
export function theilSen(points: readonly [number, number][]): { slope: number; intercept: number } {
  const pts = thin(points, MAX_FIT_POINTS);
  const slopes: number[] = [];
  for (let i = 0; i < pts.length; i++) {
    for (let j = i + 1; j < pts.length; j++) {
      const dx = pts[j]![0] - pts[i]![0];
      if (dx > 0) slopes.push((pts[j]![1] - pts[i]![1]) / dx);
    }
  }
  const slope = median(slopes);
  const intercept = median(pts.map(([x, y]) => y - slope * x));
  return { slope, intercept };
}

/** Fits the part of a run after its warm-up; undefined when too little is left. */
export function fitRun(samples: readonly RssSample[], thresholds: GrowthThresholds = DEFAULT_THRESHOLDS): Fit | undefined {
  if (samples.length < 8) return undefined;
  const start = samples[0]!.requests;
  const end = samples[samples.length - 1]!.requests;
  const cut = start + (end - start) * thresholds.warmup;
  const window = samples.filter((s) => s.requests >= cut).map((s) => [s.requests, s.rss] as [number, number]);
  if (window.length < 8) return undefined;
  const span = window[window.length - 1]![0] - window[0]![0];
  if (span <= 0) return undefined;
  const { slope, intercept } = theilSen(window);
  return { slope, intercept, r2: rSquared(window, slope, intercept), span, growth: slope * span, growingQuarters: growingQuarters(window, slope), samples: window.length };
}

/**
 * The verdict: a leak when the distinct-credential run climbs steadily by enough; flat when it
 * does not; inconclusive when the run was too short to tell.
 */
export function judgeGrowth(
  test: readonly RssSample[],
  control: readonly RssSample[],
  thresholds: GrowthThresholds = DEFAULT_THRESHOLDS,
): GrowthResult {
  const t = fitRun(test, thresholds);
  const c = fitRun(control, thresholds);
  const result: GrowthResult = { verdict: 'inconclusive', reason: '' };
  if (t) result.test = t;
  if (c) result.control = c;
  if (!t || t.span < thresholds.minSpan) {
    result.reason = `only ${t?.span ?? 0} requests after warm-up (at least ${thresholds.minSpan} are needed): raise --requests or --time-cap`;
    return result;
  }
  const steady = t.slope >= thresholds.minSlope && t.growth >= thresholds.minGrowth && t.growingQuarters >= thresholds.minQuarters;
  if (!steady) {
    result.verdict = 'flat';
    result.reason =
      t.slope < thresholds.minSlope
        ? `${t.slope.toFixed(1)} bytes/request is below the ${thresholds.minSlope} bytes/request floor`
        : t.growth < thresholds.minGrowth
          ? `the window grew ${formatBytes(t.growth)}, below the ${formatBytes(thresholds.minGrowth)} floor`
          : `growth came in ${4 - t.growingQuarters} step(s), not sustained (${t.growingQuarters}/4 quarters grew)`;
    return result;
  }
  result.verdict = 'leak';
  result.perRequest = c !== undefined && c.slope >= Math.max(thresholds.minSlope, t.slope / 3);
  result.reason = `sustained growth of ${t.slope.toFixed(0)} bytes/request over ${t.span} requests (${t.growingQuarters}/4 quarters grew, R² ${t.r2.toFixed(2)})`;
  return result;
}

function growingQuarters(window: readonly [number, number][], slope: number): number {
  const x0 = window[0]![0];
  const quarter = (window[window.length - 1]![0] - x0) / 4;
  let growing = 0;
  for (let q = 0; q < 4; q++) {
    const part = window.filter(([x]) => x >= x0 + q * quarter && x <= x0 + (q + 1) * quarter);
    if (part.length < 2) continue;
    // Median of the last third against median of the first third: robust to single spikes.
    const third = Math.max(1, Math.floor(part.length / 3));
    const rise = median(part.slice(-third).map((p) => p[1])) - median(part.slice(0, third).map((p) => p[1]));
    const expected = slope * (part[part.length - 1]![0] - part[0]![0]) * ((part.length - third) / part.length);
    if (rise > 0 && rise >= expected / 4) growing++;
  }
  return growing;
}

function rSquared(points: readonly [number, number][], slope: number, intercept: number): number {
  const mean = points.reduce((s, p) => s + p[1], 0) / points.length;
  let res = 0;
  let tot = 0;
  for (const [x, y] of points) {
    res += (y - (slope * x + intercept)) ** 2;
    tot += (y - mean) ** 2;
  }
  return tot === 0 ? 0 : Math.max(0, 1 - res / tot);
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function thin<T>(values: readonly T[], max: number): T[] {
  if (values.length <= max) return [...values];
  return Array.from({ length: max }, (_, i) => values[Math.round((i * (values.length - 1)) / (max - 1))]!);
}

export function formatBytes(bytes: number): string {
  const abs = Math.abs(bytes);
  if (abs >= 1024 * 1024 * 1024) return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
  if (abs >= 1024 * 1024) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  if (abs >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${Math.round(bytes)} B`;
}
