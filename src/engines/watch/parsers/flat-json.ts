/**
 * A scanner for the common case of a flat JSON object per line, several times faster than JSON.parse
 * because it builds only the fields asked for. It still checks the whole line's syntax; a line it does
 * not handle (nested values, exotic escapes) is passed to JSON.parse instead.
 */
const QUOTE = 34;
const BACKSLASH = 92;

export type FlatResult = Record<string, unknown> | 'malformed' | 'nested';

export function scanFlatJson(line: string, wanted: ReadonlySet<string>): FlatResult {
  const out: Record<string, unknown> = {};
  const n = line.length;
  let i = skip(line, 1);
  if (line.charCodeAt(0) !== 123) return 'malformed';
  if (line.charCodeAt(i) === 125) return skip(line, i + 1) === n ? out : 'malformed';
  for (;;) {
    if (line.charCodeAt(i) !== QUOTE) return 'malformed';
    const keyEnd = stringEnd(line, i + 1);
    if (keyEnd < 0) return 'malformed';
    const key = line.slice(i + 1, keyEnd);
    i = skip(line, keyEnd + 1);
    if (line.charCodeAt(i) !== 58 /* : */) return 'malformed';
    i = skip(line, i + 1);
    const c = line.charCodeAt(i);
    let value: unknown;
    if (c === QUOTE) {
      const end = stringEnd(line, i + 1);
      if (end < 0) return 'malformed';
      const raw = line.slice(i + 1, end);
      value = raw.includes('\\') ? JSON.parse(line.slice(i, end + 1)) : raw;
      i = end + 1;
    } else if (c === 123 || c === 91) {
      return 'nested';
    } else {
      let end = i;
      while (end < n) {
        const d = line.charCodeAt(end);
        if (d === 44 || d === 125 || d === 32 || d === 9) break;
        end++;
      }
      const raw = line.slice(i, end);
      if (raw === 'true') value = true;
      else if (raw === 'false') value = false;
      else if (raw === 'null') value = null;
      else {
        value = Number(raw);
        if (raw.length === 0 || Number.isNaN(value)) return 'malformed';
      }
      i = end;
    }
    if (wanted.has(key)) out[key] = value;
    i = skip(line, i);
    const sep = line.charCodeAt(i);
    if (sep === 125) return skip(line, i + 1) === n ? out : 'malformed';
    if (sep !== 44) return 'malformed';
    i = skip(line, i + 1);
  }
}

/** Index of the closing quote of a string whose body starts at `i`, or -1. */
function stringEnd(line: string, i: number): number {
  for (;;) {
    const q = line.indexOf('"', i);
    if (q < 0) return -1;
    let backslashes = 0;
    for (let j = q - 1; j >= i && line.charCodeAt(j) === BACKSLASH; j--) backslashes++;
    if (backslashes % 2 === 0) return q;
    i = q + 1;
  }
}

function skip(line: string, i: number): number {
  for (;;) {
    const c = line.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13) return i;
    i++;
  }
}
