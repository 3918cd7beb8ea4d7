/**
 * A map capped at `max` keys, whatever the input (a million distinct IPs included). Two generations:
 * keys touched recently live in `young`; when it holds max/2 keys it becomes `old` and the previous old
 * generation is dropped (those keys are evicted). A key touched while old moves back to young.
 * Every operation is O(1); V8 Maps that delete at the front and iterate from it are not.
 */
export class LruMap<V> {
  private young = new Map<string, V>();
  private old = new Map<string, V>();
  private readonly half: number;
  evictions = 0;

  constructor(max: number) {
    this.half = Math.max(1, Math.floor(max / 2));
  }

  get size(): number {
    return this.young.size + this.old.size;
  }

  /** The value for `key`, created with `make` when absent, and marked as recently used. */
  touch(key: string, make: () => V): V {
    const value = this.young.get(key);
    if (value !== undefined) return value;
    // Until the first generation ages, every key is young: one Map lookup instead of two.
    const aged = this.old.size > 0 ? this.old.get(key) : undefined;
    if (aged !== undefined) this.old.delete(key);
    return this.insert(key, aged ?? make());
  }

  set(key: string, value: V): void {
    if (this.young.has(key)) this.young.set(key, value);
    else {
      if (this.old.size > 0) this.old.delete(key);
      this.insert(key, value);
    }
  }

  peek(key: string): V | undefined {
    const value = this.young.get(key);
    return value !== undefined || this.old.size === 0 ? value : this.old.get(key);
  }

  delete(key: string): void {
    if (!this.young.delete(key) && this.old.size > 0) this.old.delete(key);
  }

  *entries(): IterableIterator<[string, V]> {
    yield* this.old;
    yield* this.young;
  }

  private insert(key: string, value: V): V {
    if (this.young.size >= this.half) {
      this.evictions += this.old.size;
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(key, value);
    return value;
  }
}

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
    for (const [v, t] of this.seen) if (t < horizon) this.seen.delete(v);
    if (this.seen.size <= this.cap) return;
    // Still over the cap: keep the most recent half, so the sort is paid once per cap/2 additions.
    const keep = [...this.seen].sort((a, b) => b[1] - a[1]).slice(0, Math.ceil(this.cap / 2));
    this.seen.clear();
    for (const [v, t] of keep) this.seen.set(v, t);
  }
}
