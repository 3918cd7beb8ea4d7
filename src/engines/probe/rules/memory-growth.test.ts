import { describe, expect, it } from 'vitest';
import { context, observations } from '../../../../test/probe/observations.js';
import { judgeGrowth } from '../growth.js';
import type { RssSample } from '../rss.js';
import { memoryGrowth } from './memory-growth.js';

/** Deterministic noise, so every run of this test sees the same series. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

const MiB = 1024 * 1024;

/** RSS every 50 requests from `from` to `to`, shaped by `rss(x)` plus page-sized noise. */
function series(from: number, to: number, rss: (x: number) => number, seed = 1): RssSample[] {
  const next = rng(seed);
  const out: RssSample[] = [];
  for (let x = from; x <= to; x += 50) out.push({ requests: x, rss: Math.round(rss(x) + (next() - 0.5) * 64 * 1024) });
  return out;
}

function observe(warmup: RssSample[], test: RssSample[], control: RssSample[]) {
  const result = judgeGrowth(test, control);
  return observations({ memory: { result, warmup, test, control, statuses: { '401': test.length * 50 }, requests: 20_000, durationMs: 15_000 } });
}

describe('probe.memory-growth', () => {
  const warmup = series(0, 5000, (x) => 36 * MiB + Math.min(x, 2000) * 200);

  it('positive: ~450 bytes per distinct credential, with dict-resize steps, control flat afterwards', async () => {
    const test = series(5000, 25_000, (x) => 37 * MiB + (x - 5000) * 450 + (x > 17_000 ? 1.5 * MiB : 0), 2);
    const control = series(25_000, 30_000, () => 37 * MiB + 20_000 * 450 + 1.5 * MiB, 3);
    const findings = await memoryGrowth.check(context(observe(warmup, test, control)));
    expect(findings).toHaveLength(1);
    const details = findings[0]!.details!;
    expect(details['bytesPerRequest']).toBeGreaterThan(400);
    expect(details['bytesPerRequest']).toBeLessThan(560);
    expect(findings[0]!.message).toMatch(/per million requests; fit R² 0\.\d\d/);
    expect(findings[0]!.message).toContain('growth follows distinct credentials');
  });

  it('positive: growth that continues in the control run is called per-request', async () => {
    const test = series(5000, 25_000, (x) => 37 * MiB + (x - 5000) * 300, 4);
    const control = series(25_000, 30_000, (x) => 37 * MiB + (x - 5000) * 300, 5);
    const findings = await memoryGrowth.check(context(observe(warmup, test, control)));
    expect(findings[0]!.message).toContain('not only for every new credential');
  });

  it.each([
    ['flat with page noise', (_x: number) => 37 * MiB],
    ['one 3 MiB step (a thread pool filling up), flat otherwise', (x: number) => 37 * MiB + (x > 12_000 ? 3 * MiB : 0)],
    ['garbage-collector sawtooth', (x: number) => 40 * MiB + ((x % 4000) / 4000) * 4 * MiB],
    ['slow creep under the floor (20 bytes/request)', (x: number) => 37 * MiB + x * 20],
  ])('negative: %s', async (_name, shape) => {
    const test = series(5000, 25_000, shape, 6);
    const control = series(25_000, 30_000, shape, 7);
    expect(await memoryGrowth.check(context(observe(warmup, test, control)))).toEqual([]);
  });

  it('negative: too short a run is inconclusive, not a finding', async () => {
    const test = series(5000, 5600, (x) => 37 * MiB + x * 2000);
    const obs = observe(warmup, test, []);
    expect(obs.memory!.result.verdict).toBe('inconclusive');
    expect(await memoryGrowth.check(context(obs))).toEqual([]);
  });
});
