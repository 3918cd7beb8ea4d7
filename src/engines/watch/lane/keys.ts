import type { SlotResolver } from '../ingest.js';
import type { KeySpace } from '../keys.js';
import type { DetectionKeys } from '../rules/context.js';

/** Not looked up yet in this id table's life. */
const UNKNOWN = -2;
const NONE = -1;

/**
 * Key slots for the events of the parsing thread, from the ids their IPs and usernames came with (one id per
 * distinct string until the thread's id table starts over, see interner.ts): an event needs no Map lookup,
 * only the first event of each id does. Kept in step with the key spaces' evictions.
 */
export class LaneKeys {
  private readonly ip: IdSlots;
  private readonly user: IdSlots;
  /** The ids of the event being admitted. */
  ipId = 0;
  userId = 0;

  readonly resolve: SlotResolver = (event, createIp, createUser) => {
    event.ipSlot = this.ip.slot(this.ipId, event.ip, createIp);
    event.userSlot = this.user.slot(this.userId, event.user, createUser);
  };

  constructor(keys: DetectionKeys) {
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
  private readonly ids: Int32Array;

  constructor(private readonly space: KeySpace) {
    this.ids = new Int32Array(space.max).fill(-1);
    space.onEvict((slot) => {
      const id = this.ids[slot]!;
      if (id < 0) return;
      this.slots[id] = NONE;
      this.ids[slot] = -1;
    });
  }

  slot(id: number, key: string, create: boolean): number {
    if (id >= this.slots.length) this.grow(id);
    let slot = this.slots[id]!;
    if (slot === UNKNOWN) this.name(id, (slot = this.space.find(key)));
    if (slot === NONE) {
      if (!create || key === '') return NONE;
      this.name(id, (slot = this.space.add(key)));
    }
    this.space.touch(slot);
    return slot;
  }

  reset(): void {
    this.slots.fill(UNKNOWN);
    this.ids.fill(-1);
  }

  private name(id: number, slot: number): void {
    this.slots[id] = slot;
    if (slot >= 0) this.ids[slot] = id;
  }

  private grow(id: number): void {
    const wider = new Int32Array(Math.max(id + 1, this.slots.length * 2)).fill(UNKNOWN);
    wider.set(this.slots);
    this.slots = wider;
  }
}
