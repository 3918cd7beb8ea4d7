/**
 * A Map capped at `max` keys that evicts the least recently touched one, so no input, however many
 * distinct IPs or users it holds, grows memory past the cap. Touching re-inserts (Map keeps insertion order).
 */
export class LruMap<V> {
  private readonly map = new Map<string, V>();
  evictions = 0;

  constructor(private readonly max: number) {}

  get size(): number {
    return this.map.size;
  }

  /** The value for `key`, created with `make` when absent, and marked most recently used. */
  touch(key: string, make: () => V): V {
    let value = this.map.get(key);
    if (value === undefined) {
      value = make();
      if (this.map.size >= this.max) {
        this.map.delete(this.map.keys().next().value as string);
        this.evictions++;
      }
    } else {
      this.map.delete(key);
    }
    this.map.set(key, value);
    return value;
  }

  set(key: string, value: V): void {
    this.touch(key, () => value);
    this.map.set(key, value);
  }

  peek(key: string): V | undefined {
    return this.map.get(key);
  }

  delete(key: string): void {
    this.map.delete(key);
  }

  entries(): IterableIterator<[string, V]> {
    return this.map.entries();
  }
}

/**
 * The times of the last `capacity` events of one key, in a ring. With capacity = threshold + 1, "more than
 * threshold events within the window" is exactly "the oldest kept time is within the window of the newest".
 */
export class TimeRing {
  private readonly times: Float64Array;
  private next = 0;
  size = 0;

  constructor(capacity: number) {
    this.times = new Float64Array(capacity);
  }

  /** Adds a time (late ones included: the ring holds the most recent arrivals, the span check uses min/max). */
  add(time: number): void {
    this.times[this.next] = time;
    this.next = (this.next + 1) % this.times.length;
    if (this.size < this.times.length) this.size++;
  }

  full(): boolean {
    return this.size === this.times.length;
  }

  /** Oldest and newest kept times. */
  span(): [number, number] {
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < this.size; i++) {
      const t = this.times[i]!;
      if (t < min) min = t;
      if (t > max) max = t;
    }
    return [min, max];
  }
}

/**
 * Distinct values seen for one key within a sliding window: value -> last time, in recency order,
 * capped so a key that sees endless distinct values stays small.
 */
export class DistinctWindow {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly windowMs: number,
    private readonly cap: number,
  ) {}

  /** Records `value` at `time` and returns how many distinct values fall within the window ending at `time`. */
  add(value: string, time: number): number {
    const previous = this.seen.get(value);
    if (previous !== undefined) this.seen.delete(value);
    this.seen.set(value, previous !== undefined && previous > time ? previous : time);
    const horizon = time - this.windowMs;
    for (const [v, t] of this.seen) {
      if (t >= horizon && this.seen.size <= this.cap) break;
      this.seen.delete(v);
    }
    return this.seen.size;
  }

  get size(): number {
    return this.seen.size;
  }

  /** The earliest last-seen time still kept. */
  oldest(): number {
    for (const t of this.seen.values()) return t;
    return NaN;
  }

  /** Up to `n` of the most recent values, for alert details. */
  recent(n: number): string[] {
    return [...this.seen.keys()].slice(-n);
  }
}
