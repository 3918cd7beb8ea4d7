import type { SlotResolver } from '../ingest.js';
import type { KeySpace } from '../keys.js';
import type { DetectionKeys } from '../rules/context.js';

/** Not looked up yet in this id table's life. */
const UNKNOWN = -2;
const NONE = -1;
const IP = 0;
const USER = 1;

/** Where the parsing thread's event says which ids its IP and username have. */
export interface KeyIds {
  readonly ipId: number;
  readonly userId: number;
}

/**
 * Key slots for the events of the parsing thread, from the ids their IPs and usernames came with (one id per
 * distinct string until the thread's id table starts over, see interner.ts): an event needs no Map lookup,
 * only the first event of each id does. Kept in step with the key spaces' evictions.
 */
export class LaneKeys {
  private readonly ip: IdSlots;
  private readonly user: IdSlots;

  /** The strings are read only for an id seen the first time, or about to get a slot. */
  readonly resolve: SlotResolver = (event, createIp, createUser) => {
    const { ipId, userId } = this.ids;
    const ip = this.ip.known(ipId, createIp);
    event.ipSlot = ip === UNKNOWN ? this.ip.slot(ipId, event.ip, createIp) : ip;
    const user = this.user.known(userId, createUser);
    event.userSlot = user === UNKNOWN ? this.user.slot(userId, event.user, createUser) : user;
  };

  private readonly table = new IdTable();

  constructor(
    keys: DetectionKeys,
    /** The ids of the event being admitted. */
    private readonly ids: KeyIds,
  ) {
    this.ip = new IdSlots(keys.ip, IP, this.table);
    this.user = new IdSlots(keys.user, USER, this.table);
  }

  /** The thread's id table started over: its ids now name other strings. */
  reset(): void {
    this.table.entries.fill(0);
    this.ip.reset();
    this.user.reset();
  }
}

/**
 * Per id, what one of the two key spaces knows of it: 0 (nothing), or a state (a slot, or NONE) and the space
 * it is for. One table for both, as an id names an IP or a username and seldom both: every event looks up two
 * ids, and a table half the size misses the cache less. An id's state in the other space is kept apart.
 */
class IdTable {
  entries = new Int32Array(1 << 16);

  static entry(state: number, space: number): number {
    return ((state + 2) << 1) | space;
  }

  grow(id: number): void {
    if (id < this.entries.length) return;
    const wider = new Int32Array(Math.max(id + 1, this.entries.length * 2));
    wider.set(this.entries);
    this.entries = wider;
  }
}

/** Per id, its slot in one key space (or NONE, or UNKNOWN); per slot, the id that names its key. */
class IdSlots {
  /** The states of ids whose entry in the table is the other space's. */
  private readonly others = new Map<number, number>();
  /** Per slot, its id + 1 (0: none), up to `named`: the array is as large as the key space may grow, so only what was used is ever written. */
  private readonly ids: Int32Array;
  private named = 0;
  /** Slots whose id is known here: when that is every slot of the space, an id without one has no key with one. */
  private owned = 0;

  constructor(
    private readonly space: KeySpace,
    /** IP or USER: which entries of the table are this space's. */
    private readonly bit: number,
    private readonly table: IdTable,
  ) {
    this.ids = new Int32Array(space.max);
    space.onEvict((slot) => {
      const id = this.ids[slot]! - 1;
      if (id < 0) return;
      this.set(id, NONE);
      this.ids[slot] = 0;
      this.owned--;
    });
  }

  /**
   * The id's slot or NONE when that settles it (a slot is touched when `create`, as KeySpace.resolve does),
   * else UNKNOWN: then `slot` must be asked, with the key.
   */
  known(id: number, create: boolean): number {
    const slot = this.get(id);
    if (slot >= 0) {
      if (create) this.space.touch(slot);
      return slot;
    }
    return slot === NONE && create ? UNKNOWN : slot;
  }

  /**
   * The id's slot from its key, as KeySpace.resolve gives it, kept for the id's next events. While every key
   * of the space came through here (one input: the common case), it is not looked up: it has none.
   */
  slot(id: number, key: string, create: boolean): number {
    this.table.grow(id);
    const slot = this.owned === this.space.size ? this.space.resolveNew(key, create) : this.space.resolve(key, create);
    this.name(id, slot);
    return slot;
  }

  reset(): void {
    this.others.clear();
    this.ids.fill(0, 0, this.named);
    this.owned = 0;
  }

  private get(id: number): number {
    const entries = this.table.entries;
    const entry = id < entries.length ? entries[id]! : 0;
    if (entry === 0) return UNKNOWN;
    if ((entry & 1) === this.bit) return (entry >> 1) - 2;
    return this.others.get(id) ?? UNKNOWN;
  }

  /** Records the id's state (the table has room for it): in the table, unless its entry is the other space's. */
  private set(id: number, state: number): void {
    const entry = this.table.entries[id]!;
    if (entry === 0 || (entry & 1) === this.bit) this.table.entries[id] = IdTable.entry(state, this.bit);
    else this.others.set(id, state);
  }

  private name(id: number, slot: number): void {
    this.set(id, slot);
    if (slot < 0) return;
    if (this.ids[slot] === 0) this.owned++;
    this.ids[slot] = id + 1;
    if (slot >= this.named) this.named = slot + 1;
  }
}
