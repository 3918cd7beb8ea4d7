/**
 * A scanner for the common case of a flat JSON object per line, several times faster than JSON.parse
 * because it builds nothing but the values of the wanted keys, written into an array by key index, and
 * walks the line once by character code (no per-key slices or builtin calls on the hot path).
 * It accepts only what it is sure JSON.parse reads the same way: anything else (control characters,
 * escapes in keys, nested values, odd tokens, bad syntax) returns false, and the caller asks JSON.parse.
 */
const QUOTE = 34;
const BACKSLASH = 92;
const SPACE = 32;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const TABLE_BITS = 10;
const TABLE_MASK = (1 << TABLE_BITS) - 1;

/** A key's hash, computed while scanning it: one multiply-add per character (per byte, from bytes). */
export function step(hash: number, code: number): number {
  return (Math.imul(hash, 31) + code) | 0;
}

/** Whether line[start...] begins with `bytes`: a loop, as Buffer#compare costs a call into C++. */
export function same(bytes: Uint8Array, line: Uint8Array, start: number): boolean {
  for (let k = 0; k < bytes.length; k++) if (bytes[k] !== line[start + k]) return false;
  return true;
}

/** The wanted keys, found by a hash taken while the key is scanned, then confirmed by comparison. */
export class KeyTable {
  /** Open addressing over hashes: slot -> name index + 1 (0: empty). */
  private readonly slots = new Int32Array(1 << TABLE_BITS);
  private readonly hashes = new Int32Array(1 << TABLE_BITS);
  private readonly bytes: Buffer[];

  constructor(readonly names: readonly string[]) {
    this.bytes = names.map((name) => Buffer.from(name));
    if (names.length > TABLE_MASK / 2) throw new Error(`too many field names (${names.length})`);
    names.forEach((name, index) => {
      let hash = 0;
      for (let i = 0; i < name.length; i++) hash = step(hash, name.charCodeAt(i));
      let slot = hash & TABLE_MASK;
      while (this.slots[slot] !== 0) slot = (slot + 1) & TABLE_MASK;
      this.slots[slot] = index + 1;
      this.hashes[slot] = hash;
    });
  }

  /** Index of the key held in line[start, end) whose hash is `hash`, or -1. */
  find(hash: number, line: string, start: number, end: number): number {
    for (let slot = hash & TABLE_MASK; ; slot = (slot + 1) & TABLE_MASK) {
      const entry = this.slots[slot]!;
      if (entry === 0) return -1;
      if (this.hashes[slot] !== hash) continue;
      const name = this.names[entry - 1]!;
      if (name.length === end - start && line.startsWith(name, start)) return entry - 1;
    }
  }

  /**
   * The same from the bytes of a line: the index of the ASCII key in line[start, end), or -1 (a name with
   * other characters hashes differently, and is never found this way).
   */
  findBytes(hash: number, line: Uint8Array, start: number, end: number): number {
    for (let slot = hash & TABLE_MASK; ; slot = (slot + 1) & TABLE_MASK) {
      const entry = this.slots[slot]!;
      if (entry === 0) return -1;
      if (this.hashes[slot] !== hash) continue;
      const name = this.bytes[entry - 1]!;
      if (name.length === end - start && same(name, line, start)) return entry - 1;
    }
  }
}

/**
 * Reads `line` into `values` (values[i] is the last value of keys.names[i], as JSON.parse keeps the last of
 * duplicate keys; untouched when absent). True when the line is a flat object read in full.
 */
export function scanFlatJson(line: string, keys: KeyTable, values: unknown[]): boolean {
  const n = line.length;
  if (line.charCodeAt(0) !== 123) return false;
  let i = skip(line, 1);
  if (line.charCodeAt(i) === 125) return skip(line, i + 1) === n;
  for (;;) {
    if (line.charCodeAt(i) !== QUOTE) return false;
    const keyStart = ++i;
    let hash = 0;
    for (;; i++) {
      if (i >= n) return false;
      const c = line.charCodeAt(i);
      if (c === QUOTE) break;
      if (c < SPACE || c === BACKSLASH) return false;
      hash = step(hash, c);
    }
    const index = keys.find(hash, line, keyStart, i);
    i = skip(line, i + 1);
    if (line.charCodeAt(i) !== 58 /* : */) return false;
    i = skip(line, i + 1);
    const c = line.charCodeAt(i);
    let value: unknown;
    if (c === QUOTE) {
      const start = ++i;
      let escaped = false;
      for (;; i++) {
        if (i >= n) return false;
        const d = line.charCodeAt(i);
        if (d === QUOTE) break;
        if (d < SPACE) return false;
        if (d === BACKSLASH) {
          escaped = true;
          i++;
        }
      }
      // Escapes are rare: JSON.parse decodes the one string, wanted or not, and throws on a bad escape.
      if (escaped) value = JSON.parse(line.slice(start - 1, i + 1));
      else if (index >= 0) value = line.slice(start, i);
      i++;
    } else if (c === 116 /* t */ || c === 102 /* f */ || c === 110 /* n */) {
      const word = c === 116 ? 'true' : c === 102 ? 'false' : 'null';
      if (!line.startsWith(word, i)) return false;
      value = c === 116 ? true : c === 102 ? false : null;
      i += word.length;
    } else {
      NUMBER.lastIndex = i;
      if (!NUMBER.test(line)) return false;
      if (index >= 0) value = Number(line.slice(i, NUMBER.lastIndex));
      i = NUMBER.lastIndex;
    }
    if (index >= 0) values[index] = value;
    i = skip(line, i);
    const sep = line.charCodeAt(i);
    if (sep === 125) return skip(line, i + 1) === n;
    if (sep !== 44) return false;
    i = skip(line, i + 1);
  }
}

/** Spaces only: a line with tabs or other JSON whitespace goes to JSON.parse, which allows them. */
function skip(line: string, i: number): number {
  while (line.charCodeAt(i) === SPACE) i++;
  return i;
}
