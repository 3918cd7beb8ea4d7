import type { ParseResult } from '../event.js';
import { step, type KeyTable } from './flat-json.js';
import type { RecordMapper } from './record.js';

/** Per character code below 128: 2 where a key may start (`[A-Za-z_@]`), 1 where it may go on (`[\w.@-]`). */
const KEY = new Uint8Array(128).map((_, c) => (/[A-Za-z_@]/.test(String.fromCharCode(c)) ? 2 : /[\w.@-]/.test(String.fromCharCode(c)) ? 1 : 0));
/** What a regex's `\s` matches beyond ASCII. */
const SPACE = /\s/;

/**
 * Reads the key=value pairs of `text` into `values`, by the index of each wanted key in `keys` (the others are
 * skipped without a string made for them); the last of a repeated key counts. Returns how many distinct keys
 * it met, counting no further than 2. One pass by character code: a key is a run of `[\w.@-]` starting with
 * `[A-Za-z_@]` where no key character precedes it, followed by `=`; a value is a quoted string (a backslash
 * escapes any character but a line end) when it closes there, else it runs to whitespace or a comma.
 */
export function readPairs(text: string, keys: KeyTable, values: unknown[]): number {
  const n = text.length;
  let distinct = 0;
  let firstStart = 0;
  let firstEnd = 0;
  let i = 0;
  /** The class of the character before i (see KEY). */
  let before = 0;
  while (i < n) {
    const kind = keyChar(text, i);
    if (kind !== 2 || before !== 0) {
      before = kind;
      i++;
      continue;
    }
    let hash = step(0, text.charCodeAt(i));
    let j = i + 1;
    for (let c = keyChar(text, j); j < n && c !== 0; c = keyChar(text, ++j)) hash = step(hash, text.charCodeAt(j));
    // No `=` after the run: no key starts inside it, as a key character precedes each of its positions.
    if (text.charCodeAt(j) !== 61 /* = */) {
      before = 1;
      i = j;
      continue;
    }
    if (distinct === 0) [distinct, firstStart, firstEnd] = [1, i, j];
    else if (distinct === 1 && (j - i !== firstEnd - firstStart || !text.startsWith(text.slice(firstStart, firstEnd), i))) distinct = 2;
    const start = j + 1;
    let end = quotedEnd(text, start);
    if (end < 0) for (end = start; end < n && !endsBare(text.charCodeAt(end)); ) end++;
    const index = keys.find(hash, text, i, j);
    if (index >= 0) values[index] = unquoted(text.slice(start, end));
    before = end > 0 ? keyChar(text, end - 1) : 0;
    i = end;
  }
  return distinct;
}

function keyChar(text: string, at: number): number {
  const c = text.charCodeAt(at);
  return c < 128 ? KEY[c]! : 0;
}

/** Where the quoted string at `at` ends (past its closing quote), or -1 when there is none there. */
function quotedEnd(text: string, at: number): number {
  const quote = text.charCodeAt(at);
  if (quote !== 34 /* " */ && quote !== 39 /* ' */) return -1;
  for (let k = at + 1; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c === quote) return k + 1;
    if (c === 92 /* \ */) {
      // A backslash escapes any character but a line end (what a regex's `.` matches).
      const next = text.charCodeAt(k + 1);
      if (Number.isNaN(next) || next === 10 || next === 13 || next === 0x2028 || next === 0x2029) return -1;
      k++;
    }
  }
  return -1;
}

/** Whether a bare value ends at this character: whitespace (what a regex's `\s` matches) or a comma. */
function endsBare(c: number): boolean {
  return c === 44 /* , */ || c === 32 || (c >= 9 && c <= 13) || (c >= 128 && SPACE.test(String.fromCharCode(c)));
}

/** A value as written: quotes and escapes taken off a quoted one. */
function unquoted(raw: string): string {
  const quoted = raw.length >= 2 && (raw[0] === '"' || raw[0] === "'") && raw.at(-1) === raw[0];
  if (!quoted) return raw;
  const inner = raw.slice(1, -1);
  return inner.includes('\\') ? inner.replace(/\\(.)/g, '$1') : inner;
}

/** logfmt / key=value lines: `time=... event=auth_failure username=alice client_ip=203.0.113.9`. */
export function parseLogfmtLine(line: string, mapper: RecordMapper): ParseResult {
  const values = mapper.blank();
  if (readPairs(line, mapper.keys, values) < 2) return 'malformed';
  return mapper.mapValues(values);
}
