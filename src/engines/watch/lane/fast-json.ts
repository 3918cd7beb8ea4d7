import { same, step } from '../parsers/flat-json.js';
import type { RecordMapper } from '../parsers/record.js';
import { isoUtcFromBytes } from '../time.js';
import type { Template } from './json-lines.js';

/**
 * The parsing thread's path for the usual JSON auth or access line, straight from its bytes: a flat object
 * of plain ASCII strings without escapes, with numbers and literals only in keys it does not read or as an
 * all-digit status, and at most one space after each colon and comma (as Python's json.dumps writes). It
 * makes no string, and reads the bytes of a line four at a time where it can: a string up to its closing
 * quote, and what lies between two values (comma, key, colon) by comparing it with what the last line had
 * there, as logs write their keys in one order. It reads a line in place when its buffer starts on a word
 * (the chunks of a file do), else a copy. What it is not sure of (escapes, other numbers, nested values,
 * non-ASCII or control characters, places, another time format, odd syntax) it leaves to the text parser,
 * so every line means what it means there.
 */
const QUOTE = 34;
const SPACE = 32;
const COLON = 58;
const COMMA = 44;
const OPEN = 123;
const CLOSE = 125;
const KNOWN_EVENTS = 16;
/** The word scan reads bytes in memory order as the low to high bytes of a word. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** An event as read from the line: its IP and username as where they are in it (empty when absent). */
export interface FastEvent {
  time: number;
  failure: boolean;
  ipStart: number;
  ipEnd: number;
  userStart: number;
  userEnd: number;
}

/**
 * Bytes to compare with a line's a word at a time, without shifting the line's words: for each offset they may
 * have in a word (0 to 3), the words a line holding them there has, and which bytes of those words are theirs.
 */
class Pattern {
  readonly length: number;
  readonly words: Int32Array[] = [];
  readonly masks: Int32Array[] = [];
  /** A copy of the bytes, for the bulk path's templates. */
  readonly bytes: Uint8Array;

  constructor(bytes: Uint8Array) {
    this.length = bytes.length;
    this.bytes = Uint8Array.from(bytes);
    for (let offset = 0; offset < 4; offset++) {
      const words = new Int32Array((offset + bytes.length + 3) >> 2);
      const masks = new Int32Array(words.length);
      for (let i = 0; i < bytes.length; i++) {
        const [word, shift] = [(offset + i) >> 2, 8 * ((offset + i) & 3)];
        words[word] = words[word]! | (bytes[i]! << shift);
        masks[word] = masks[word]! | (0xff << shift);
      }
      this.words.push(words);
      this.masks.push(masks);
    }
  }
}

export class FastJson {
  /** Per name index: where its value was found, on the line numbered `seen` (other names are absent). */
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  private readonly seen: Int32Array;
  /** The number of the line being read, so nothing needs clearing between lines. */
  private lineNo = 0;
  private readonly fields: { user: readonly number[]; ip: readonly number[]; event: readonly number[]; time: readonly number[]; status: readonly number[] };
  /** Names whose presence sends the line to the text parser (places: impossible travel is the text parser's). */
  private readonly refused: Uint8Array;
  /** Names that may hold a number (status); whether this line's value was one. */
  private readonly numeric: Uint8Array;
  private readonly isNumber: Uint8Array;
  /**
   * Per key position, the gap the previous line had there (see `scan`), its key's name index (-1: not wanted)
   * and whether a string follows it: logs write keys in one order.
   */
  private readonly guesses: { gap: Pattern; index: number; string: boolean }[] = [];
  /** Event values seen and their meaning: logs repeat a handful of them (auth_failure, auth_success...). */
  readonly known: { value: Pattern; kind: boolean | undefined }[] = [];
  /** The number of values of the line scanned last, and a count of the changes of its shape (see `template`). */
  private values = 0;
  shape = 0;
  /** The buffer of the lines read last and its words (undefined when it cannot be read as words in place). */
  private buffer: Uint8Array | undefined;
  private view: Int32Array | undefined;
  /** The line being read as words: the view of its buffer, or of `copy`. */
  private words: Int32Array = new Int32Array(0);
  /** Where a line is copied when its buffer cannot be read as words where it is. */
  private copy = Buffer.alloc(0);
  private copyWords: Int32Array = new Int32Array(0);

  constructor(private readonly mapper: RecordMapper) {
    const names = mapper.names;
    this.starts = new Int32Array(names.length);
    this.ends = new Int32Array(names.length);
    this.seen = new Int32Array(names.length);
    const slots = mapper.fieldSlots();
    this.fields = { user: slots.user, ip: slots.ip, event: slots.event, time: slots.time, status: slots.status };
    this.refused = new Uint8Array(names.length);
    for (const index of [...slots.lat, ...slots.lon, ...slots.country]) this.refused[index] = 1;
    this.numeric = new Uint8Array(names.length);
    for (const index of slots.status) this.numeric[index] = 1;
    this.isNumber = new Uint8Array(names.length);
  }

  /** The event of line[start, end), 'ignored', or undefined when the text parser must read it. */
  read(line: Buffer, start: number, end: number, into: FastEvent): FastEvent | 'ignored' | undefined {
    if (!LITTLE_ENDIAN || end - start < 2 || line[start] !== OPEN || line[end - 1] !== CLOSE) return undefined;
    // Positions found in the copy are those of the line less `shift`.
    let shift = 0;
    if (this.inPlace(line, end)) this.words = this.view!;
    else {
      shift = start;
      line = this.copied(line, start, end);
      end -= start;
      start = 0;
    }
    this.nextLine();
    if (!this.scan(line, start, end)) return undefined;
    const status = this.status(line);
    if (status === null) return undefined;
    const user = this.pick(this.fields.user);
    const failure = this.outcome(line, status, user >= 0);
    if (failure === undefined) return 'ignored';
    const time = this.pick(this.fields.time);
    into.time = time < 0 ? NaN : isoUtcFromBytes(line, this.starts[time]!, this.ends[time]!);
    // Another time form (Python's, epoch seconds): the text parser knows them all.
    if (time >= 0 && !(into.time > 1e11)) return undefined;
    into.failure = failure;
    const ip = this.pick(this.fields.ip);
    into.userStart = user < 0 ? shift : this.starts[user]! + shift;
    into.userEnd = user < 0 ? shift : this.ends[user]! + shift;
    into.ipStart = ip < 0 ? shift : this.starts[ip]! + shift;
    into.ipEnd = ip < 0 ? shift : this.ends[ip]! + shift;
    return into;
  }

  /**
   * The shape of the line `read` has just read (keys in order, the bytes before each value), as a template for
   * the bulk path (json-lines.ts): a line of the same shape means what this one meant but for its values. A key
   * given twice counts by its last value, as JSON.parse keeps it.
   */
  template(): Template {
    const values = this.guesses.slice(0, this.values);
    const last = new Map<number, number>();
    values.forEach((guess, k) => {
      if (guess.index >= 0) last.set(guess.index, k);
    });
    const of = (names: readonly number[], strings = false) =>
      names.flatMap((name) => {
        const k = last.get(name);
        return k === undefined || (strings && !values[k]!.string) ? [] : [k];
      });
    const { user, ip, event, time, status } = this.fields;
    // Numbers are skipped as event values (see `outcome`).
    return { gaps: values.map((guess) => guess.gap.bytes), strings: values.map((guess) => guess.string), fields: [of(user), of(ip), of(event, true), of(time), of(status)] };
  }

  /** Whether line[..end) can be read as words where it is: its buffer starts on a word, and holds the last word of the line whole. */
  private inPlace(line: Buffer, end: number): boolean {
    if (line !== this.buffer) {
      this.buffer = line;
      this.view = line.byteOffset % 4 === 0 ? new Int32Array(line.buffer, line.byteOffset, (line.buffer.byteLength - line.byteOffset) >> 2) : undefined;
    }
    return this.view !== undefined && (end - 1) >> 2 < this.view.length;
  }

  /** line[start, end) copied to the start of `copy`, which `words` then views. */
  private copied(line: Buffer, start: number, end: number): Buffer {
    if (this.copy.length < end - start + 8) {
      this.copy = Buffer.allocUnsafeSlow(Math.max(1024, 2 * (end - start + 8)));
      this.copyWords = new Int32Array(this.copy.buffer, 0, this.copy.length >> 2);
    }
    line.copy(this.copy, 0, start, end);
    this.words = this.copyWords;
    return this.copy;
  }

  /**
   * Records where each wanted key's value is; false when the line is not plain enough for this path. The line
   * is read as gaps (from the brace or comma to the start of a value) and values; a gap the last line had at
   * its position is compared with that one a word at a time, the rest is read one byte at a time, but for
   * strings (see `stringEnd`).
   */
  private scan(line: Buffer, start: number, end: number): boolean {
    if (end - start === 2) return this.ended(0);
    let i = start;
    for (let ordinal = 0; ; ordinal++) {
      // line[end - 1] is the closing brace: the bytes read here are all in the line.
      if (line[i] === CLOSE) return this.ended(ordinal) && i + 1 === end;
      i = this.gap(line, i, end, ordinal);
      if (i < 0) return false;
      const { index, string } = this.guesses[ordinal]!;
      if (index >= 0 && this.refused[index] === 1) return false;
      if (string) {
        const valueEnd = this.stringEnd(i, end);
        if (valueEnd < 0) return false;
        // A repeated key: JSON.parse keeps the last value.
        if (index >= 0) this.found(index, i, valueEnd, 0);
        i = valueEnd + 1;
      } else {
        // Numbers, true, false and null are stepped over in keys nobody reads; of the wanted ones, only a
        // status may be a number (its digits are checked when it is read), anything else is the text parser's.
        const valueEnd = scalarEnd(line, i, end);
        if (valueEnd < 0 || (index >= 0 && this.numeric[index] !== 1)) return false;
        if (index >= 0) this.found(index, i, valueEnd, 1);
        i = valueEnd;
      }
    }
  }

  /** Notes that the line scanned has `values` values (see `template`); true. */
  private ended(values: number): boolean {
    if (values !== this.values) {
      this.values = values;
      this.shape++;
    }
    return true;
  }

  /**
   * Reads the gap at line[at]: where its value starts (after its quote for a string), or -1. What the gap
   * holds is then in guesses[ordinal]: the gap the last line had there when it is the same, else this one.
   */
  private gap(line: Buffer, at: number, end: number, ordinal: number): number {
    const guess = this.guesses[ordinal];
    if (guess !== undefined && at + guess.gap.length < end && this.matches(guess.gap, at, at + guess.gap.length)) {
      const valueStart = at + guess.gap.length;
      // Before a number the gap could go on with a space or a quote: then it is another one.
      if (guess.string || (line[valueStart] !== SPACE && line[valueStart] !== QUOTE)) return valueStart;
    }
    return this.newGap(line, at, end, ordinal);
  }

  /** Reads the gap at line[at] byte by byte (see `gap`), and keeps it as the guess for the next line. */
  private newGap(line: Buffer, at: number, end: number, ordinal: number): number {
    if (line[at] !== (ordinal === 0 ? OPEN : COMMA)) return -1;
    const keyStart = (ordinal === 0 ? at + 1 : afterSpace(line, at + 1)) + 1;
    if (line[keyStart - 1] !== QUOTE) return -1;
    const keyEnd = this.stringEnd(keyStart, end);
    if (keyEnd < 0 || line[keyEnd + 1] !== COLON) return -1;
    let hash = 0;
    for (let i = keyStart; i < keyEnd; i++) hash = step(hash, line[i]!);
    const index = this.mapper.keys.findBytes(hash, line, keyStart, keyEnd);
    let valueStart = afterSpace(line, keyEnd + 2);
    const string = line[valueStart] === QUOTE;
    if (string) valueStart++;
    this.guesses[ordinal] = { gap: new Pattern(line.subarray(at, valueStart)), index, string };
    this.shape++;
    return valueStart;
  }

  /**
   * The position of the quote that ends the string from `at` on, read a word at a time; -1 when the line ends
   * first or a byte comes first that this path leaves to the text parser (a backslash, a control character,
   * non-ASCII).
   */
  private stringEnd(at: number, end: number): number {
    const words = this.words;
    const last = (end - 1) >> 2;
    let k = at >> 2;
    // The bytes before `at` in its word count for nothing.
    const before = (1 << (8 * (at & 3))) - 1;
    let word = (words[k]! & ~before) | (PLAIN_WORD & before);
    for (;;) {
      const quote = equal(word, QUOTE) & HIGH_BITS;
      const stop = quote | ((word | below(word, SPACE) | equal(word, BACKSLASH)) & HIGH_BITS);
      if (stop !== 0) {
        const first = stop & -stop;
        const position = (k << 2) + ((31 - Math.clz32(first)) >> 3);
        return (quote & first) !== 0 && position < end ? position : -1;
      }
      if (++k > last) return -1;
      word = words[k]!;
    }
  }

  private nextLine(): void {
    if (++this.lineNo === 0x7fffffff) {
      this.lineNo = 1;
      this.seen.fill(0);
    }
  }

  private found(index: number, start: number, end: number, isNumber: number): void {
    this.seen[index] = this.lineNo;
    this.starts[index] = start;
    this.ends[index] = end;
    this.isNumber[index] = isNumber;
  }

  /** Whether the line's bytes [start, end) are those of `pattern`. */
  private matches(pattern: Pattern, start: number, end: number): boolean {
    if (end - start !== pattern.length) return false;
    const expected = pattern.words[start & 3]!;
    const masks = pattern.masks[start & 3]!;
    const words = this.words;
    const first = start >> 2;
    for (let k = 0; k < expected.length; k++) if ((words[first + k]! & masks[k]!) !== expected[k]) return false;
    return true;
  }

  /** The first of a field's names present with a non-empty value (as the mapper picks), or -1. */
  private pick(names: readonly number[]): number {
    for (const index of names) if (this.seen[index] === this.lineNo && this.ends[index]! > this.starts[index]!) return index;
    return -1;
  }

  /**
   * True for a failure, false for a success, undefined for neither, as the mapper reads it: the event names
   * first, then the HTTP status (401 and 403 fail; a 2xx with a username succeeds).
   */
  private outcome(line: Buffer, status: number | undefined, user: boolean): boolean | undefined {
    for (const index of this.fields.event) {
      if (this.seen[index] !== this.lineNo || this.isNumber[index] === 1) continue;
      const kind = this.classify(line, this.starts[index]!, this.ends[index]!);
      if (kind !== undefined) return kind;
    }
    if (status === 401 || status === 403) return true;
    if (status !== undefined && status >= 200 && status < 300 && user) return false;
    return undefined;
  }

  /** The status the mapper would read: of the first status name present, all digits; null when it is not. */
  private status(line: Buffer): number | undefined | null {
    const index = this.pick(this.fields.status);
    if (index < 0) return undefined;
    const start = this.starts[index]!;
    const end = this.ends[index]!;
    if (end - start > 15) return null;
    let value = 0;
    for (let i = start; i < end; i++) {
      const d = line[i]! - 48;
      if (d < 0 || d > 9) return null;
      value = value * 10 + d;
    }
    return value;
  }

  private classify(line: Buffer, start: number, end: number): boolean | undefined {
    for (const { value, kind } of this.known) if (this.matches(value, start, end)) return kind;
    const kind = this.mapper.classify(line.toString('latin1', start, end));
    // A log with endless distinct event values gets no cache beyond the first few.
    if (this.known.length < KNOWN_EVENTS) this.known.push({ value: new Pattern(line.subarray(start, end)), kind });
    return kind;
  }
}

const BACKSLASH = 92;
const HIGH_BITS = 0x80808080 | 0;
/** Four bytes that are none of the above. */
const PLAIN_WORD = 0x61616161;
const LOW_BITS = 0x7f7f7f7f;
const ONES = 0x01010101;

/** The high bit set in each byte of `word` equal to `byte` (others: garbage below the high bits). */
function equal(word: number, byte: number): number {
  const v = word ^ Math.imul(byte, ONES);
  return ~(((v & LOW_BITS) + LOW_BITS) | v);
}

/** The high bit set in each byte of `word` below `byte` (of those under 0x80; others: garbage). */
function below(word: number, byte: number): number {
  return ~((word & LOW_BITS) + Math.imul(0x80 - byte, ONES));
}

/** Past the one space JSON writers put after a colon or a comma, if it is there. */
function afterSpace(line: Buffer, i: number): number {
  return line[i] === SPACE ? i + 1 : i;
}

const WORDS = [Buffer.from('true'), Buffer.from('false'), Buffer.from('null')];
const digit = (c: number | undefined) => c !== undefined && c >= 48 && c <= 57;

/** End of the JSON number or word at line[i] (JSON.parse's grammar, which allows no leading zeros), or -1. */
function scalarEnd(line: Buffer, i: number, end: number): number {
  const word = WORDS.find((w) => w[0] === line[i]);
  if (word) return end - i >= word.length && same(word, line, i) ? i + word.length : -1;
  const at = (k: number) => (k < end ? line[k] : undefined);
  if (at(i) === 45 /* - */) i++;
  if (at(i) === 48 /* 0 */) i++;
  else if (digit(at(i))) while (digit(at(i))) i++;
  else return -1;
  if (at(i) === 46 /* . */) {
    if (!digit(at(++i))) return -1;
    while (digit(at(i))) i++;
  }
  if (at(i) === 101 || at(i) === 69 /* e E */) {
    if (at(i + 1) === 43 || at(i + 1) === 45) i++;
    if (!digit(at(++i))) return -1;
    while (digit(at(i))) i++;
  }
  return i;
}
