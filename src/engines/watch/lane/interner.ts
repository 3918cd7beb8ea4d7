/**
 * Ids for the IPs and usernames of the parsing thread: each distinct string is made once and sent once, so
 * neither thread makes a string per line. Plain ASCII values straight from a line's bytes are found in an
 * open-addressing table by two independent 32-bit hashes of their bytes and their length, all in one slot, so
 * a lookup costs one memory access (the table is megabytes: every access to it misses the cache). Two values
 * agreeing on all three has odds below 1 in 10^9 over a full table. Behind it, a Map from text to id gives
 * each string one id, whichever way it came (detection relies on it: see lane/keys.ts). Bounded: past
 * MAX_IDS the table starts over at the next batch, and the other thread empties its own.
 */
const MAX_IDS = 1 << 17;
const SLOT_BITS = 18;
const SLOT_MASK = (1 << SLOT_BITS) - 1;
/** Entries the table takes before it stops taking more (half full): later strings still get ids. */
const MAX_ENTRIES = 1 << (SLOT_BITS - 1);
/** Per slot: first hash, second hash, length, id + 1 (0: empty). */
const STRIDE = 4;

export class Interner {
  private readonly slots = new Int32Array(STRIDE << SLOT_BITS);
  private entries = 0;
  private readonly byText = new Map<string, number>();
  private count = 0;
  /** Strings that got ids since the last `take`, in id order. */
  private fresh: string[] = [];
  private reset = false;

  bytes(line: Buffer, start: number, end: number): number {
    let h1 = 0;
    let h2 = 0x811c9dc5;
    for (let i = start; i < end; i++) {
      const c = line[i]!;
      h1 = (Math.imul(h1, 31) + c) | 0;
      h2 = Math.imul(h2 ^ c, 0x01000193);
    }
    const length = end - start;
    const slots = this.slots;
    for (let slot = Math.imul(h1 ^ (h1 >>> 16), 0x45d9f3b) >>> (32 - SLOT_BITS); ; slot = (slot + 1) & SLOT_MASK) {
      const at = slot * STRIDE;
      const id = slots[at + 3]! - 1;
      if (id < 0) {
        const fresh = this.text(line.toString('latin1', start, end));
        if (this.entries < MAX_ENTRIES) {
          slots[at] = h1;
          slots[at + 1] = h2;
          slots[at + 2] = length;
          slots[at + 3] = fresh + 1;
          this.entries++;
        }
        return fresh;
      }
      if (slots[at] === h1 && slots[at + 1] === h2 && slots[at + 2] === length) return id;
    }
  }

  text(value: string): number {
    let id = this.byText.get(value);
    if (id === undefined) {
      id = this.add(value);
      this.byText.set(value, id);
    }
    return id;
  }

  /** The strings to send with a batch, and whether the other side must first forget the ids it has. */
  take(): { strings: string[]; reset: boolean } {
    const out = { strings: this.fresh, reset: this.reset };
    this.fresh = [];
    this.reset = false;
    if (this.count >= MAX_IDS) {
      this.slots.fill(0);
      this.byText.clear();
      this.count = 0;
      this.entries = 0;
      this.reset = true;
    }
    return out;
  }

  private add(text: string): number {
    this.fresh.push(text);
    return this.count++;
  }
}
