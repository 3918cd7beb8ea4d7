import { describe, expect, it } from 'vitest';
import { KeySpace } from './keys.js';
import { DistinctWindow, DistinctWindows, TimeRing, TimeRings } from './tracker.js';

/** Deterministic pseudo-random integers below `n`. */
function random(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state % n;
  };
}

describe('TimeRings', () => {
  it('keeps per key what a TimeRing of its own would, the first time in a column', () => {
    const space = new KeySpace(100);
    const rings = new TimeRings(space, 3);
    const own = new Map<number, TimeRing>();
    const next = random(1);
    for (let i = 0; i < 2000; i++) {
      const slot = space.resolve(`k${next(8)}`, true);
      const time = 1000 * i - next(5000);
      const reference = own.get(slot) ?? own.set(slot, new TimeRing(3)).get(slot)!;
      reference.add(time);
      const ring = rings.add(slot, time);
      expect(ring?.full() ?? false).toBe(reference.full());
      if (ring) expect(ring.span()).toEqual(reference.span());
      if (next(10) === 0) {
        rings.delete(slot);
        own.delete(slot);
      }
    }
    expect(rings.size).toBe(own.size);
  });
});

describe('DistinctWindows', () => {
  it('counts per key what a DistinctWindow of its own would, a key of one value without one', () => {
    const space = new KeySpace(100);
    const windows = new DistinctWindows(space, 60_000, 7, 2);
    const own = new Map<number, DistinctWindow>();
    const next = random(2);
    for (let i = 0; i < 5000; i++) {
      const slot = space.resolve(`k${next(20)}`, true);
      const value = `v${next(next(2) === 0 ? 1 : 12)}`;
      const time = 1000 * i - next(30_000);
      const reference = own.get(slot) ?? own.set(slot, new DistinctWindow(60_000, 7, 2)).get(slot)!;
      expect(windows.add(slot, value, time)).toBe(reference.add(value, time));
      expect(windows.recent(slot, 3)).toEqual(reference.recent(3));
      expect(windows.oldest(slot)).toBe(reference.oldest());
    }
    expect(windows.size).toBe(own.size);
  });
});

describe('DistinctWindow', () => {
  it('over its cap, keeps the most recent half, the earlier of equal times first', () => {
    const window = new DistinctWindow(60_000, 4, 4);
    for (const [value, time] of [['a', 5], ['b', 9], ['c', 7], ['d', 9], ['e', 7]] as const) window.add(value, time);
    expect(window.size).toBe(2);
    expect(window.recent(5)).toEqual(['b', 'd']);
    window.add('f', 7);
    window.add('g', 9);
    window.add('h', 8); // over the cap again: g is as recent as b and d, but came later
    expect(window.recent(5)).toEqual(['b', 'd']);
  });
});
