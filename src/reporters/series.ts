import type { Finding } from '../core/finding.js';

/**
 * A measured series attached to a finding (`details.series`), e.g. a server's RSS against the
 * number of requests sent. Text and markdown reports draw it as a sparkline, HTML as an SVG chart.
 */
export interface Series {
  name: string;
  xLabel: string;
  yLabel: string;
  points: [number, number][];
}

export function seriesOf(finding: Finding): Series[] {
  const raw = finding.details?.['series'];
  if (!Array.isArray(raw)) return [];
  return raw.filter(
    (s): s is Series =>
      typeof s === 'object' && s !== null && typeof (s as Series).name === 'string' && Array.isArray((s as Series).points),
  );
}

const BARS = '▁▂▃▄▅▆▇█';

/**
 * One y range for several series, so they can be compared by eye. It spans at least 5% of the
 * largest value: noise of a few pages on a flat RSS line then draws flat, not as full-height swings.
 */
export function commonRange(series: readonly Series[]): [number, number] | undefined {
  const ys = series.flatMap((s) => s.points.map((p) => p[1])).filter(Number.isFinite);
  if (ys.length === 0) return undefined;
  const min = Math.min(...ys);
  const max = Math.max(...ys);
  return [min, Math.max(max, Number((min + Math.abs(max) * 0.05).toPrecision(4)))];
}

/** Unicode sparkline of the y values, resampled to at most `width` columns; scaled to `range` when given. */
export function sparkline(points: readonly [number, number][], width = 60, range?: [number, number]): string {
  if (points.length === 0) return '';
  const ys = resample(points.map((p) => p[1]), width);
  const min = range?.[0] ?? Math.min(...ys);
  const span = (range?.[1] ?? Math.max(...ys)) - min || 1;
  return ys.map((y) => BARS[Math.min(BARS.length - 1, Math.floor(((y - min) / span) * BARS.length))]).join('');
}

function resample(values: number[], width: number): number[] {
  if (values.length <= width) return values;
  return Array.from({ length: width }, (_, i) => values[Math.floor((i * values.length) / width)] ?? 0);
}
