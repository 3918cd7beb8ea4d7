import type { Finding } from '../core/finding.js';

/**
 * A measured series attached to a finding (`details.series`), e.g. a server's RSS against the
 * number of requests sent. Text reports draw it as a sparkline, HTML as an SVG chart.
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

/** Unicode sparkline of the y values, resampled to at most `width` columns. */
export function sparkline(points: readonly [number, number][], width = 60): string {
  if (points.length === 0) return '';
  const ys = resample(points.map((p) => p[1]), width);
  const min = Math.min(...ys);
  const span = Math.max(...ys) - min || 1;
  return ys.map((y) => BARS[Math.min(BARS.length - 1, Math.floor(((y - min) / span) * BARS.length))]).join('');
}

function resample(values: number[], width: number): number[] {
  if (values.length <= width) return values;
  return Array.from({ length: width }, (_, i) => values[Math.floor((i * values.length) / width)] ?? 0);
}
