import type { SlotResolver } from '../ingest.js';
import type { KeySpace } from '../keys.js';
import type { DetectionKeys } from '../rules/context.js';

/** Not looked up yet in this id table's life. */
const UNKNOWN = -2;
const NONE = -1;

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

  constructor(
    keys: DetectionKeys,
    /** The ids of the event being admitted. */
    private readonly ids: KeyIds,
  ) {
    this.ip = new IdSlots(keys.ip);
    this.user = new IdSlots(keys.user);
  }

  /** The thread's id table started over: its ids now name other strings. */
  reset(): void {
    this.ip.reset();
    this.user.reset();
  }
}

/** Per id, its slot in one key space (or NONE, or UNKNOWN); per slot, the id that names its key. */
class IdSlots {
  private slots = new Int32Array(1 << 16).fill(UNKNOWN);
  /** Per slot, its id + 1 (0: none), up to `named`: the array is as large as the key space may grow, so only what was used is ever written. */
  private readonly ids: Int32Array;
  private named = 0;
  /** Slots whose id is known here: when that is every slot of the space, an id without one has no key with one. */
  private owned = 0;

  constructor(private readonly space: KeySpace) {
    this.ids = new Int32Array(space.max);
    space.onEvict((slot) => {
      const id = this.ids[slot]! - 1;
      if (id < 0) return;
      this.slots[id] = NONE;
      this.ids[slot] = 0;
      this.owned--;
    });
  }

  /**
   * The id's slot or NONE when that settles it (a slot is touched when `create`, as KeySpace.resolve does),
   * else UNKNOWN: then `slot` must be asked, with the key.
   */
  known(id: number, create: boolean): number {
    const slot = id < this.slots.length ? this.slots[id]! : UNKNOWN;
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
    if (id >= this.slots.length) this.grow(id);
    const slot = this.owned === this.space.size ? this.space.resolveNew(key, create) : this.space.resolve(key, create);
    this.name(id, slot);
    return slot;
  }

  reset(): void {
    this.slots.fill(UNKNOWN);
    this.ids.fill(0, 0, this.named);
    this.owned = 0;
  }

  private name(id: number, slot: number): void {
    this.slots[id] = slot;
    if (slot < 0) return;
    if (this.ids[slot] === 0) this.owned++;
    this.ids[slot] = id + 1;
    if (slot >= this.named) this.named = slot + 1;
  }

  private grow(id: number): void {
    const wider = new Int32Array(Math.max(id + 1, this.slots.length * 2)).fill(UNKNOWN);
    wider.set(this.slots);
    this.slots = wider;
  }
}
