import { describe, expect, it } from 'vitest';
import { rssSeries, type RssSample } from './rss.js';

const run = (from: number, to: number, step: number): RssSample[] =>
  Array.from({ length: Math.floor((to - from) / step) }, (_, i) => ({ requests: from + i * step, rss: 40 * 1024 * 1024 + i * 4096 }));

describe('rssSeries', () => {
  it('puts the three runs on one request axis in MiB, thinned for the report', () => {
    const series = rssSeries(run(0, 5000, 10), run(5000, 25_000, 20), run(25_000, 30_000, 50));
    expect(series.map((s) => s.name)).toEqual(['RSS, warm-up (one credential)', 'RSS, distinct credentials', 'RSS, control (one credential, after)']);
    expect(series.map((s) => s.points.length)).toEqual([200, 200, 100]);
    expect(series[1]!.points[0]).toEqual([5000, 40]);
    expect(series[1]!.points.at(-1)![0]).toBe(24_980);
  });

  it('keeps an empty run empty', () => {
    expect(rssSeries([], [], []).map((s) => s.points)).toEqual([[], [], []]);
  });
});
