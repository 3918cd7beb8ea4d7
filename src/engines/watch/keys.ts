/**
 * The client IPs (or usernames) detection keeps state for, each given a small integer slot, so the rules
 * index arrays by slot instead of each looking the string up in a Map of its own: an event costs one lookup
 * per key here (none at all when the parsing thread already sent the key as an id, see lane/keys.ts) instead
 * of two or three per rule, and every Map lookup among tens of thousands of keys misses the cache.
 *
 * Bounded at `max` keys, whatever the input: two generations of at most max/2 keys each, kept as a stamp per
 * slot. When the young generation fills, the keys of the old one that were not touched since are evicted (the
 * rules drop their state for them), and the young one becomes old. Every operation is O(1), amortised.
 *
 * The Map from key to slot is made only once a key is looked up by its text: the parsing thread's events find
 * their slots by id (lane/keys.ts), and a lookup in a Map of tens of thousands of strings misses the cache
 * several times over.
 */
export class KeySpace {
  readonly max: number;
  private readonly half: number;
  private slots: Map<string, number> | undefined;
  private readonly keys: string[] = [];
  /** Per slot, the generation it was last touched in (0: free). */
  private readonly stamps: Int32Array;
  private readonly free: number[] = [];
  private generation = 2;
  private young = 0;
  private count = 0;
  private readonly listeners: ((slot: number) => void)[] = [];

  constructor(max: number) {
    this.half = Math.max(1, Math.floor(max / 2));
    this.max = 2 * this.half;
    this.stamps = new Int32Array(this.max);
  }

  get size(): number {
    return this.count;
  }

  /**
   * The slot of `key`, or -1 when it has none (or is empty). `create`: the event may start state, so the key
   * gets a slot if it has none, and is marked as recently used; only such events keep a key alive (a
   * success only reads what failures left).
   */
  resolve(key: string, create: boolean): number {
    if (key === '') return -1;
    if (!create) return this.find(key);
    const slot = this.find(key);
    return slot >= 0 ? this.touched(slot) : this.insert(key);
  }

  /**
   * As `resolve`, for a key the caller knows has no slot (see lane/keys.ts): nothing to look up. With
   * `create`, a slot is made for it.
   */
  resolveNew(key: string, create: boolean): number {
    return key === '' || !create ? -1 : this.insert(key);
  }

  /** The slot of `key`, or -1, without touching it. */
  find(key: string): number {
    return this.byKey().get(key) ?? -1;
  }

  /** A new slot for `key`, touched. */
  private insert(key: string): number {
    const slot = this.free.pop() ?? this.keys.length;
    this.keys[slot] = key;
    this.count++;
    this.slots?.set(key, slot);
    return this.touched(slot);
  }

  private touched(slot: number): number {
    this.touch(slot);
    return slot;
  }

  /** The Map from key to slot, made from the slots the first time it is needed. */
  private byKey(): Map<string, number> {
    if (this.slots) return this.slots;
    this.slots = new Map();
    for (let slot = 0; slot < this.keys.length; slot++) if (this.stamps[slot] !== 0) this.slots.set(this.keys[slot]!, slot);
    return this.slots;
  }

  /** Marks the slot as recently used; may evict the keys of the old generation. */
  touch(slot: number): void {
    if (this.stamps[slot] === this.generation) return;
    this.stamps[slot] = this.generation;
    if (++this.young >= this.half) this.age();
  }

  key(slot: number): string {
    return this.keys[slot]!;
  }

  /** Called with each slot evicted, before it is reused. */
  onEvict(listener: (slot: number) => void): void {
    this.listeners.push(listener);
  }

  private age(): void {
    const old = this.generation - 1;
    for (let slot = 0; slot < this.keys.length; slot++) if (this.stamps[slot] === old) this.evict(slot);
    this.generation++;
    this.young = 0;
  }

  private evict(slot: number): void {
    for (const listener of this.listeners) listener(slot);
    this.slots?.delete(this.keys[slot]!);
    this.count--;
    this.keys[slot] = '';
    this.stamps[slot] = 0;
    this.free.push(slot);
  }
}

/**
 * One rule's state per key of a KeySpace, in an array indexed by slot. A value is dropped when its key is
 * evicted, and counted, so the report can say which rules lost state.
 */
export class SlotMap<V> {
  private readonly values: (V | undefined)[] = [];
  size = 0;
  evictions = 0;

  constructor(space: KeySpace) {
    space.onEvict((slot) => {
      if (this.values[slot] === undefined) return;
      this.values[slot] = undefined;
      this.size--;
      this.evictions++;
    });
  }

  /** The value at `slot` (undefined for none, and for slot -1). */
  get(slot: number): V | undefined {
    return slot < 0 ? undefined : this.values[slot];
  }

  set(slot: number, value: V): V {
    // Appended in slot order so the array stays packed: slots are handed out densely.
    while (this.values.length <= slot) this.values.push(undefined);
    if (this.values[slot] === undefined) this.size++;
    this.values[slot] = value;
    return value;
  }

  delete(slot: number): void {
    if (slot < 0 || this.values[slot] === undefined) return;
    this.values[slot] = undefined;
    this.size--;
  }
}

/**
 * A rule's numbers per key of a KeySpace, one typed column each, for state small enough to need no object:
 * nothing for the collector to trace, and the common check (is anything held for this key?) reads one byte.
 */
export class SlotTable<Column extends string> {
  readonly columns: Record<Column, Float64Array>;
  private readonly list: Float64Array[];
  private readonly held: Uint8Array;
  /** Slots below this may be held. */
  private end = 0;
  size = 0;
  evictions = 0;

  constructor(
    space: KeySpace,
    names: readonly Column[],
    /** Told of each slot dropped by eviction, before its numbers are cleared. */
    evicted?: (slot: number) => void,
  ) {
    this.held = new Uint8Array(space.max);
    this.list = names.map(() => new Float64Array(space.max));
    this.columns = Object.fromEntries(names.map((name, i) => [name, this.list[i]])) as Record<Column, Float64Array>;
    space.onEvict((slot) => {
      if (this.held[slot] !== 1) return;
      this.evictions++;
      evicted?.(slot);
      this.delete(slot);
    });
  }

  has(slot: number): boolean {
    return slot >= 0 && this.held[slot] === 1;
  }

  /** Holds the slot, its numbers all 0. */
  add(slot: number): void {
    if (this.held[slot] === 1) return;
    this.held[slot] = 1;
    this.size++;
    if (slot >= this.end) this.end = slot + 1;
    for (const column of this.list) column[slot] = 0;
  }

  delete(slot: number): void {
    if (!this.has(slot)) return;
    this.held[slot] = 0;
    this.size--;
  }

  /** Calls `visit` with each slot held, in order (it may delete the slot it is given). */
  forEach(visit: (slot: number) => void): void {
    for (let slot = 0; slot < this.end; slot++) if (this.held[slot] === 1) visit(slot);
  }
}
