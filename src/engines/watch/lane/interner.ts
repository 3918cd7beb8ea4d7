import { QUEUED_LINE_BYTES, type JsonLines } from './json-lines.js';

/**
 * Ids for the IPs and usernames of the parsing thread: each distinct string is made once and sent once, so
 * neither thread makes a string per line. ASCII values, whether straight from a line's bytes or parsed, are
 * found in the WebAssembly module's table (see wasm/json-lines.ts): by two hashes of their bytes and their
 * length, all in one slot, so a lookup costs one memory access, and the values of a chunk are queued and looked
 * up together when it is sent, so the cache misses of the table overlap. Two values agreeing on all three has
 * odds below 1 in 10^9 over a full table. A Map from text to id holds the rest: other values, and those met
 * once the table is full. So each string has one id, whichever way it came (detection relies on it: see
 * lane/keys.ts). Bounded: past MAX_IDS the table starts over at the next batch, and the other thread empties
 * its own.
 */
const MAX_IDS = 1 << 17;
const ASCII = /^[\x00-\x7f]*$/;

export class Interner {
  private readonly byText = new Map<string, number>();
  private count = 0;
  /** Strings that got ids since the last `take`, in id order. */
  private fresh: string[] = [];
  private reset = false;

  constructor(private readonly table: JsonLines) {
    table.fresh = (text, stored) => (stored ? this.add(text) : this.mapped(text));
  }

  /** The id of line[start, end) (plain ASCII). */
  bytes(line: Uint8Array, start: number, end: number): number {
    return this.table.lookUp(line, start, end);
  }

  /** Queues the lookup of the loaded chunk's bytes [start, end) (plain ASCII) for `lookUpQueued`; its number in the queue. */
  queue(start: number, end: number): number {
    return this.table.queue(start, end);
  }

  /** The ids of what was queued, by number in the queue, looked up in queue order (the order new strings get ids in). */
  lookUpQueued(): Int32Array {
    return this.table.lookUpQueued();
  }

  /**
   * The id of `value`, found in `text`: a line of the loaded chunk from byte `lineStart`, with one byte per
   * character (so the same offsets). Its lookup is queued (-1 - its number in the queue) when it is ASCII and
   * part of the line, and the line is long enough for the queue's room; else looked up at once.
   */
  inLine(text: string, value: string, lineStart: number): number {
    const k = text.length + 1 >= QUEUED_LINE_BYTES && ASCII.test(value) ? text.indexOf(value) : -1;
    return k < 0 ? this.text(value) : -1 - this.queue(lineStart + k, lineStart + k + value.length);
  }

  text(value: string): number {
    return value.length <= this.table.maxLineBytes && ASCII.test(value) ? this.table.lookUpAscii(value) : this.mapped(value);
  }

  private mapped(value: string): number {
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
      this.table.clearTable();
      this.byText.clear();
      this.count = 0;
      this.reset = true;
    }
    return out;
  }

  private add(text: string): number {
    this.fresh.push(text);
    return this.count++;
  }
}
