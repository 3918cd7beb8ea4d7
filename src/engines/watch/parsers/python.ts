import type { ParseResult } from '../event.js';
import { step, type KeyTable } from './flat-json.js';
import { readPairs } from './logfmt.js';
import type { RecordMapper } from './record.js';

/**
 * Python logging text: `2024-05-01 12:00:00,123 WARNING [app.auth] auth_failure username=alice client_ip=...`.
 * The level may be bracketed and followed by a logger name (`name:` or `name -`); the extras come after the
 * message as key=value pairs, a JSON object or a Python dict repr.
 */
const PYTHON_LINE =
  /^(\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:[,.]\d+)?(?:Z|[+-]\d\d:?\d\d)?)\s+(?:-\s+)?\[?(DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL)\]?\s+(?:-\s+)?(?:\[[\w.]+\]:?\s+|[\w.]+(?::|\s+-)\s+)?(.*)$/;

export function parsePythonLine(line: string, mapper: RecordMapper): ParseResult {
  const match = PYTHON_LINE.exec(line);
  if (!match) return 'malformed';
  const [, time, level, rest] = match as unknown as [string, string, string, string];
  // The extras, then the line's own time and level.
  const values = extrasValues(rest, mapper);
  mapper.set(values, 'asctime', time);
  mapper.set(values, 'levelname', level);
  // The message itself (`auth_failure ...`) names the event when no extra does.
  const message = /^[\w.-]+/.exec(rest)?.[0];
  if (message && mapper.get(values, 'event') === undefined) mapper.set(values, 'event', message);
  return mapper.mapValues(values);
}

/** A brace, then a single quote: a Python dict repr, which JSON.parse would only throw at. */
const DICT_START = /^\{\s*'/;

/**
 * The values of the extras: a JSON object or dict repr (from the first brace on), else key=value pairs. The
 * usual flat dict is read in one pass; other dicts and JSON objects are parsed whole.
 */
function extrasValues(rest: string, mapper: RecordMapper): unknown[] {
  const values = mapper.blank();
  const brace = rest.indexOf('{');
  if (brace >= 0) {
    if (readFlatDict(rest, brace, mapper.keys, values)) return values;
    const object = rest.slice(brace);
    // A dict repr goes straight to its reading: a thrown error per line costs microseconds.
    const record = (DICT_START.test(object) ? undefined : parseJson(object)) ?? parseDict(object);
    if (record) return mapper.valuesOf(record);
  }
  // Afresh: a one-pass read that gave up may have written some values.
  const pairs = mapper.blank();
  readPairs(rest, mapper.keys, pairs);
  return pairs;
}

const JSON_NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
/** The brace and the first key's quote, with only what JSON takes for whitespace between (DICT_START takes any). */
const OPENING = /\{[ \t\n\r]*'/y;

/**
 * The usual dict repr, `{'event': 'auth_failure', 'n': 3, 'mfa': True}`, read into `values` in one pass: a flat
 * dict of plain single-quoted strings (see plainEnd), JSON numbers and True/False/None, from the brace at
 * `brace` and with nothing after it. False for anything else (what it wrote then counts for nothing): parseDict
 * reads it.
 */
function readFlatDict(rest: string, brace: number, keys: KeyTable, values: unknown[]): boolean {
  OPENING.lastIndex = brace;
  if (!OPENING.test(rest)) return false;
  let at = OPENING.lastIndex - 1;
  for (;;) {
    const keyStart = at + 1;
    const keyEnd = plainEnd(rest, at);
    if (keyEnd < 0) return false;
    at = skipSpace(rest, keyEnd + 1);
    if (rest.charCodeAt(at) !== 58 /* : */) return false;
    at = skipSpace(rest, at + 1);
    let value: unknown;
    let end: number;
    const c = rest.charCodeAt(at);
    if (c === 39 /* ' */) {
      end = plainEnd(rest, at) + 1;
      if (end === 0) return false;
      value = rest.slice(at + 1, end - 1);
    } else if (rest.startsWith('True', at) || rest.startsWith('None', at)) {
      value = c === 84 /* T */ ? true : null;
      end = at + 4;
    } else if (rest.startsWith('False', at)) {
      value = false;
      end = at + 5;
    } else {
      JSON_NUMBER.lastIndex = at;
      if (!JSON_NUMBER.test(rest)) return false;
      end = JSON_NUMBER.lastIndex;
      value = Number(rest.slice(at, end));
    }
    let hash = 0;
    for (let i = keyStart; i < keyEnd; i++) hash = step(hash, rest.charCodeAt(i));
    const index = keys.find(hash, rest, keyStart, keyEnd);
    if (index >= 0) values[index] = value;
    at = skipSpace(rest, end);
    const separator = rest.charCodeAt(at);
    if (separator === 125 /* } */) return skipSpace(rest, at + 1) === rest.length;
    if (separator !== 44 /* , */) return false;
    at = skipSpace(rest, at + 1);
  }
}

/**
 * Where the plain single-quoted string at `at` closes (its closing quote), or -1: plain is printable ASCII
 * but the backslash, and none of the words True, False and None, which the dict's reading rewrites wherever
 * they stand (see parseDict).
 */
function plainEnd(text: string, at: number): number {
  if (text.charCodeAt(at) !== 39 /* ' */) return -1;
  for (let i = at + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 39) return i;
    if (c < 32 || c > 126 || c === 92 /* \ */) return -1;
    if ((c === 84 /* T */ && text.startsWith('True', i)) || (c === 70 /* F */ && text.startsWith('False', i)) || (c === 78 /* N */ && text.startsWith('None', i))) return -1;
  }
  return -1;
}

/** The next position from `at` that is not JSON whitespace. */
function skipSpace(text: string, at: number): number {
  for (let c = text.charCodeAt(at); c === 32 || c === 9 || c === 10 || c === 13; c = text.charCodeAt(++at));
  return at;
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** A Python dict repr (single quotes, True/False/None) as JSON; undefined when it is not one after all. */
function parseDict(text: string): Record<string, unknown> | undefined {
  const json = text
    .replace(/'((?:[^'\\]|\\.)*)'/g, (_m, s: string) => JSON.stringify(s.replace(/\\'/g, "'")))
    .replace(/\bTrue\b/g, 'true')
    .replace(/\bFalse\b/g, 'false')
    .replace(/\bNone\b/g, 'null');
  return parseJson(json);
}
