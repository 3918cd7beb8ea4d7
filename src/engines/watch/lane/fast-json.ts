import { same, step } from '../parsers/flat-json.js';
import type { RecordMapper } from '../parsers/record.js';
import { isoUtcFromBytes } from '../time.js';
import type { Interner } from './interner.js';

/**
 * The parsing thread's path for the usual JSON auth or access line, straight from its bytes: a flat object
 * of plain ASCII strings without escapes, with numbers and literals only in keys it does not read or as an
 * all-digit status. It makes no string but the new IPs and usernames, which is what keeps it ahead of
 * detection. What it is not sure of (escapes, other numbers, nested values, non-ASCII or control
 * characters, places, another time format, odd syntax) it leaves to the text parser, so every line means
 * what it means there.
 */
const QUOTE = 34;
const SPACE = 32;
const PLAIN = 0;
/** Byte classes: inside a string only plain bytes go on without a second look. */
const KIND = new Uint8Array(256).map((_, c) => (c === QUOTE ? 1 : c < SPACE || c === 92 || c >= 0x80 ? 2 : PLAIN));
const KNOWN_EVENTS = 16;

export interface FastEvent {
  time: number;
  failure: boolean;
  ip: number;
  user: number;
}

export class FastJson {
  /** Per name index: where its value was found on this line (start < 0: absent). */
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  private readonly fields: { user: readonly number[]; ip: readonly number[]; event: readonly number[]; time: readonly number[]; status: readonly number[] };
  /** Names whose presence sends the line to the text parser (places: impossible travel is the text parser's). */
  private readonly refused: Uint8Array;
  /** Names that may hold a number (status); whether this line's value was one. */
  private readonly numeric: Uint8Array;
  private readonly isNumber: Uint8Array;
  /** Per key position, the key (quotes and colon) the previous line had there: logs write keys in one order. */
  private readonly guesses: { key: Uint8Array; index: number }[] = [];
  private lastKey = -1;
  /** Event values seen and their meaning: logs repeat a handful of them (auth_failure, auth_success...). */
  private readonly known: { value: Uint8Array; kind: boolean | undefined }[] = [];

  constructor(
    private readonly mapper: RecordMapper,
    private readonly interner: Interner,
  ) {
    const names = mapper.names;
    this.starts = new Int32Array(names.length).fill(-1);
    this.ends = new Int32Array(names.length);
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
    this.starts.fill(-1);
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
    into.user = this.intern(line, user);
    into.ip = this.intern(line, this.pick(this.fields.ip));
    return into;
  }

  /** Records where each wanted key's value is; false when the line is not plain enough for this path. */
  private scan(line: Buffer, start: number, end: number): boolean {
    if (start >= end || line[start] !== 123) return false;
    let i = start + 1;
    if (i < end && line[i] === 125) return i + 1 === end;
    for (let ordinal = 0; ; ordinal++) {
      if (i >= end || line[i] !== QUOTE) return false;
      let index: number;
      const guess = this.guesses[ordinal];
      if (guess !== undefined && end - i > guess.key.length && same(guess.key, line, i)) {
        // The key the last line had here, quotes and colon included: no need to hash and look it up.
        index = guess.index;
        i += guess.key.length;
      } else {
        const keyStart = i + 1;
        const after = this.key(line, keyStart, end);
        if (after < 0) return false;
        index = this.lastKey;
        this.guesses[ordinal] = { key: Uint8Array.prototype.slice.call(line, keyStart - 1, after), index };
        i = after;
      }
      if (index >= 0 && this.refused[index] === 1) return false;
      if (i >= end) return false;
      let c = line[i]!;
      if (c === QUOTE) {
        const valueStart = ++i;
        while (i < end && KIND[(c = line[i]!)] === PLAIN) i++;
        if (index >= 0) {
          // A repeated key: JSON.parse keeps the last value.
          this.starts[index] = valueStart;
          this.ends[index] = i;
          this.isNumber[index] = 0;
        }
        if (i >= end || c !== QUOTE) return false;
        i++;
      } else {
        // Numbers, true, false and null are stepped over in keys nobody reads; of the wanted ones, only a
        // status may be a number (its digits are checked when it is read), anything else is the text parser's.
        const valueStart = i;
        i = scalarEnd(line, i, end);
        if (i < 0) return false;
        if (index >= 0) {
          if (this.numeric[index] !== 1) return false;
          this.starts[index] = valueStart;
          this.ends[index] = i;
          this.isNumber[index] = 1;
        }
      }
      if (i >= end) return false;
      const sep = line[i];
      if (sep === 125) return i + 1 === end;
      if (sep !== 44) return false;
      i++;
    }
  }

  /** Reads the key from line[start] (after its quote) up to its closing quote and colon: the position after them, or -1; the key's name index goes to lastKey. */
  private key(line: Buffer, start: number, end: number): number {
    let i = start;
    let hash = 0;
    let c = 0;
    while (i < end && KIND[(c = line[i]!)] === PLAIN) {
      hash = step(hash, c);
      i++;
    }
    if (i >= end || c !== QUOTE || i + 1 >= end || line[i + 1] !== 58 /* : */) return -1;
    this.lastKey = this.mapper.keys.findBytes(hash, line, start, i);
    return i + 2;
  }

  /** The first of a field's names present with a non-empty value (as the mapper picks), or -1. */
  private pick(names: readonly number[]): number {
    for (const index of names) if (this.starts[index]! >= 0 && this.ends[index]! > this.starts[index]!) return index;
    return -1;
  }

  /**
   * True for a failure, false for a success, undefined for neither, as the mapper reads it: the event names
   * first, then the HTTP status (401 and 403 fail; a 2xx with a username succeeds).
   */
  private outcome(line: Buffer, status: number | undefined, user: boolean): boolean | undefined {
    for (const index of this.fields.event) {
      const start = this.starts[index]!;
      if (start < 0 || this.isNumber[index] === 1) continue;
      const kind = this.classify(line, start, this.ends[index]!);
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
    for (const { value, kind } of this.known) if (value.length === end - start && same(value, line, start)) return kind;
    const kind = this.mapper.classify(line.toString('latin1', start, end));
    // A log with endless distinct event values gets no cache beyond the first few.
    if (this.known.length < KNOWN_EVENTS) this.known.push({ value: Uint8Array.prototype.slice.call(line, start, end), kind });
    return kind;
  }

  private intern(line: Buffer, index: number): number {
    if (index < 0) return this.interner.text('');
    return this.interner.bytes(line, this.starts[index]!, this.ends[index]!);
  }
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
