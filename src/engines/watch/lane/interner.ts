/**
 * Ids for the IPs and usernames of the parsing thread: each distinct string is made once and sent once, so
 * neither thread makes a string per line. Plain ASCII values straight from a line's bytes are found in an
 * open-addressing table by two independent 32-bit hashes of their bytes and their length, all in one slot, so
 * a lookup costs one memory access (the table is megabytes: every access to it misses the cache). The values
 * of a chunk are queued and looked up together when it is sent, so those misses overlap instead of following
 * one another (see lookUpQueued). Two values agreeing on all three has odds below 1 in 10^9 over a full
 * table. Behind it, a Map from text to id gives each string one id, whichever way it came (detection relies
 * on it: see lane/keys.ts). Bounded: past MAX_IDS the table starts over at the next batch, and the other
 * thread empties its own.
 */
const MAX_IDS = 1 << 17;
const SLOT_BITS = 18;
const SLOT_MASK = (1 << SLOT_BITS) - 1;
/** Entries the table takes before it stops taking more (half full): later strings still get ids. */
const MAX_ENTRIES = 1 << (SLOT_BITS - 1);
/** Per slot: first hash, second hash, length, id + 1 (0: empty). */
const STRIDE = 4;
/** Queued lookups done together (see lookUpQueued): their slots take 32 KiB of cache. */
const LOOKUP_BLOCK = 512;

export class Interner {
  private readonly slots = new Int32Array(STRIDE << SLOT_BITS);
  private entries = 0;
  private readonly byText = new Map<string, number>();
  private count = 0;
  /** Strings that got ids since the last `take`, in id order. */
  private fresh: string[] = [];
  private reset = false;
  private readonly hash = new Int32Array(2);
  private readonly queued = new Queue();

  /** The id of line[start, end) (plain ASCII). */
  bytes(line: Buffer, start: number, end: number): number {
    hashInto(line, start, end, this.hash, 0);
    return this.find(line, start, end, this.hash[0]!, this.hash[1]!);
  }

  /**
   * Queues the lookup of chunk[start, end) (plain ASCII) for `lookUpQueued`; its number in the queue. It is
   * hashed now, while its bytes are in the cache.
   */
  queue(chunk: Buffer, start: number, end: number): number {
    const queued = this.queued;
    if (queued.count === queued.starts.length) queued.grow();
    const q = queued.count++;
    queued.starts[q] = start;
    queued.ends[q] = end;
    hashInto(chunk, start, end, queued.hashes, 2 * q);
    return q;
  }

  /**
   * The ids of what was queued, by queue number, looked up in `chunk` all at once and in queue order (which is
   * the order new strings get ids in); the queue is then empty. A first loop reads only the id of each value's
   * first slot: its reads do not wait for each other, so their cache misses overlap, and the loop that checks
   * the slots then finds them in the cache.
   */
  lookUpQueued(chunk: Buffer): Int32Array {
    const count = this.queued.count;
    // By blocks small enough for their slots to stay in the cache between the two loops.
    for (let from = 0; from < count; from += LOOKUP_BLOCK) this.lookUpBlock(chunk, from, Math.min(count, from + LOOKUP_BLOCK));
    this.queued.count = 0;
    return this.queued.ids;
  }

  private lookUpBlock(chunk: Buffer, from: number, to: number): void {
    const { starts, ends, hashes, ids } = this.queued;
    const slots = this.slots;
    for (let q = from; q < to; q++) ids[q] = slots[firstSlot(hashes[2 * q]!) * STRIDE + 3]!;
    for (let q = from; q < to; q++) {
      const h1 = hashes[2 * q]!;
      const h2 = hashes[2 * q + 1]!;
      const at = firstSlot(h1) * STRIDE;
      // Most values are in their first slot; the others, and new ones, are probed for again.
      const found = ids[q] !== 0 && slots[at] === h1 && slots[at + 1] === h2 && slots[at + 2] === ends[q]! - starts[q]!;
      ids[q] = found ? ids[q]! - 1 : this.find(chunk, starts[q]!, ends[q]!, h1, h2);
    }
  }

  /** The id of line[start, end), whose hashes are h1 and h2, found in the table or given now. */
  private find(line: Buffer, start: number, end: number, h1: number, h2: number): number {
    const length = end - start;
    const slots = this.slots;
    for (let slot = firstSlot(h1); ; slot = (slot + 1) & SLOT_MASK) {
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

/** Where the line's two hashes go: out[at] and out[at + 1]. */
function hashInto(line: Buffer, start: number, end: number, out: Int32Array, at: number): void {
  let h1 = 0;
  let h2 = 0x811c9dc5;
  for (let i = start; i < end; i++) {
    const c = line[i]!;
    h1 = (Math.imul(h1, 31) + c) | 0;
    h2 = Math.imul(h2 ^ c, 0x01000193);
  }
  out[at] = h1;
  out[at + 1] = h2;
}

function firstSlot(h1: number): number {
  return Math.imul(h1 ^ (h1 >>> 16), 0x45d9f3b) >>> (32 - SLOT_BITS);
}

/** Lookups waiting for `lookUpQueued`: where each value is, and room for its hashes and id. */
class Queue {
  count = 0;
  starts = new Int32Array(1 << 14);
  ends = new Int32Array(1 << 14);
  hashes = new Int32Array(2 << 14);
  ids = new Int32Array(1 << 14);

  grow(): void {
    const wider = (column: Int32Array) => {
      const out = new Int32Array(column.length * 2);
      out.set(column);
      return out;
    };
    this.starts = wider(this.starts);
    this.ends = wider(this.ends);
    this.hashes = wider(this.hashes);
    this.ids = new Int32Array(this.ids.length * 2);
  }
}
