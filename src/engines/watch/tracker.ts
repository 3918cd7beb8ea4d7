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
      for (const [v, t] of this.seen) {
        if (t < horizon) this.seen.delete(v);
        else if (t < this.floor) this.floor = t;
      }
    }
    if (this.seen.size <= this.cap) return;
    // Still over the cap: keep the most recent half, so the sort is paid once per cap/2 additions.
    const keep = [...this.seen].sort((a, b) => b[1] - a[1]).slice(0, Math.ceil(this.cap / 2));
    this.seen.clear();
    for (const [v, t] of keep) this.seen.set(v, t);
  }
}
