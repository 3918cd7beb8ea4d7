import { SlotMap, SlotTable, type KeySpace } from './keys.js';

/**
 * The times of the last `capacity` events of one key, in a ring. With capacity = threshold + 1, "more than
 * threshold events within the window" is exactly "the oldest kept time is within the window of the newest".
 */
export class TimeRing {
  // A plain array that grows to `capacity`, then wraps: most keys see one or two events, and a
  // Float64Array costs several times more per key than a short packed array of doubles.
  private readonly times: number[] = [];
  private next = 0;

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.times.length;
  }

  /** Adds a time (late ones included: the ring holds the most recent arrivals, the span check uses min/max). */
  add(time: number): void {
    if (this.times.length < this.capacity) this.times.push(time);
    else {
      this.times[this.next] = time;
      this.next = (this.next + 1) % this.capacity;
    }
  }

  full(): boolean {
    return this.times.length === this.capacity;
  }

  /** Oldest and newest kept times. */
  span(): [number, number] {
    let min = Infinity;
    let max = -Infinity;
    for (const t of this.times) {
      if (t < min) min = t;
      if (t > max) max = t;
    }
    return [min, max];
  }
}

/**
 * Distinct values seen for one key within a sliding window (value -> last time), capped so a key that sees
 * endless distinct values stays small. Expired values are pruned only when the count matters (near the
 * threshold or at the cap), so the common case is one Map write.
 */
export class DistinctWindow {
  private readonly seen = new Map<string, number>();
  /** No kept time is below this: until the window passes it, a prune has nothing to expire. */
  private floor = Infinity;

  constructor(
    private readonly windowMs: number,
    private readonly cap: number,
    /** Counts at or below this need no pruning: they cannot fire anything. */
    private readonly quiet = 0,
  ) {}

  /** Records `value` at `time` and returns how many distinct values fall within the window ending at `time`. */
  add(value: string, time: number): number {
    const previous = this.seen.get(value);
    if (previous === undefined || time > previous) this.seen.set(value, time);
    if (previous === undefined && time < this.floor) this.floor = time;
    if (this.seen.size > this.quiet) this.prune(time);
    return this.seen.size;
  }

  get size(): number {
    return this.seen.size;
  }

  /** The exact count within the window ending at `now` (prunes first). */
  count(now: number): number {
    this.prune(now);
    return this.seen.size;
  }

  /** The earliest time still kept. */
  oldest(): number {
    let min = Infinity;
    for (const t of this.seen.values()) if (t < min) min = t;
    return min;
  }

  /** Up to `n` of the most recent values, for alert details. */
  recent(n: number): string[] {
    return [...this.seen].sort((a, b) => b[1] - a[1]).slice(0, n).map(([v]) => v);
  }

  private prune(now: number): void {
    const horizon = now - this.windowMs;
    if (horizon > this.floor) {
      this.floor = Infinity;
      this.seen.forEach((t, v) => {
        if (t < horizon) this.seen.delete(v);
        else if (t < this.floor) this.floor = t;
      });
    }
    if (this.seen.size > this.cap) this.trim();
  }

  /**
   * Keeps the most recent half of the cap (ties: the earlier kept first, as a stable sort of the entries
   * would), so the sort is paid once per cap/2 additions. Sorts positions in scratch arrays: no entry objects.
   */
  private trim(): void {
    const values = scratchValues;
    const times = scratchTimes;
    const order = scratchOrder;
    let n = 0;
    this.seen.forEach((t, v) => {
      values[n] = v;
      times[n] = t;
      order[n] = n;
      n++;
    });
    order.length = n;
    order.sort((a, b) => times[b]! - times[a]! || a - b);
    this.seen.clear();
    for (let i = 0; i < Math.ceil(this.cap / 2); i++) this.seen.set(values[order[i]!]!, times[order[i]!]!);
  }
}

/** Reused by every DistinctWindow's trim (one at a time: detection runs on one thread), never shrunk. */
const scratchValues: string[] = [];
const scratchTimes: number[] = [];
const scratchOrder: number[] = [];

/**
 * A TimeRing per key of a KeySpace. A key's first time is kept in a column, not in a ring of its own: most keys
 * see one event only. A ring of one time is never full, as its capacity (a threshold + 1) is at least 2.
 */
export class TimeRings {
  private readonly rings: SlotMap<TimeRing>;
  private readonly firsts: SlotTable<'time'>;

  constructor(
    space: KeySpace,
    private readonly capacity: number,
  ) {
    this.rings = new SlotMap(space);
    this.firsts = new SlotTable(space, ['time']);
  }

  /** Adds a time to the key's ring: the ring, once it holds two times or more. */
  add(slot: number, time: number): TimeRing | undefined {
    const ring = this.rings.get(slot);
    if (ring) {
      ring.add(time);
      return ring;
    }
    const first = this.firsts.columns.time;
    if (!this.firsts.has(slot)) {
      this.firsts.add(slot);
      first[slot] = time;
      return undefined;
    }
    const made = this.rings.set(slot, new TimeRing(this.capacity));
    made.add(first[slot]!);
    made.add(time);
    this.firsts.delete(slot);
    return made;
  }

  delete(slot: number): void {
    this.rings.delete(slot);
    this.firsts.delete(slot);
  }

  get size(): number {
    return this.rings.size + this.firsts.size;
  }

  get evictions(): number {
    return this.rings.evictions + this.firsts.evictions;
  }
}

/**
 * A DistinctWindow per key of a KeySpace. While a key has seen one value only, the value and its times are kept
 * in columns, not in a window and Map of its own: most keys never see a second.
 */
export class DistinctWindows {
  private readonly windows: SlotMap<DistinctWindow>;
  /** Per key with one value: when it was first and last seen. */
  private readonly single: SlotTable<'first' | 'last'>;
  private readonly values: string[] = [];

  constructor(
    space: KeySpace,
    private readonly windowMs: number,
    private readonly cap: number,
    private readonly quiet: number,
  ) {
    this.windows = new SlotMap(space);
    this.single = new SlotTable(space, ['first', 'last'], (slot) => (this.values[slot] = ''));
  }

  /** Records `value` at `time` for the key (see DistinctWindow.add): how many distinct values are within the window. */
  add(slot: number, value: string, time: number): number {
    const window = this.windows.get(slot);
    if (window) return window.add(value, time);
    const { first, last } = this.single.columns;
    if (!this.single.has(slot)) {
      this.single.add(slot);
      this.values[slot] = value;
      first[slot] = last[slot] = time;
      // One value is within any `quiet` (a threshold, at least 1): a window would not prune it either.
      return 1;
    }
    if (value === this.values[slot]) {
      if (time > last[slot]!) last[slot] = time;
      return 1;
    }
    // A second value: the window the key would have had from the start.
    const made = this.windows.set(slot, new DistinctWindow(this.windowMs, this.cap, this.quiet));
    made.add(this.values[slot]!, first[slot]!);
    made.add(this.values[slot]!, last[slot]!);
    this.single.delete(slot);
    this.values[slot] = '';
    return made.add(value, time);
  }

  /** The earliest time kept for the key. */
  oldest(slot: number): number {
    return this.windows.get(slot)?.oldest() ?? this.single.columns.last[slot]!;
  }

  /** Up to `n` of the key's most recent values. */
  recent(slot: number, n: number): string[] {
    return this.windows.get(slot)?.recent(n) ?? [this.values[slot]!].slice(0, n);
  }

  get size(): number {
    return this.windows.size + this.single.size;
  }

  get evictions(): number {
    return this.windows.evictions + this.single.evictions;
  }
}
