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
  // The extras: a JSON object or dict repr, else key=value pairs; then the line's own time and level.
  const dict = mapper.blank();
  const values = readFlatDict(rest, mapper.keys, dict) ? dict : extrasValues(rest, mapper);
  mapper.set(values, 'asctime', time);
  mapper.set(values, 'levelname', level);
  // The message itself (`auth_failure ...`) names the event when no extra does.
  const message = /^[\w.-]+/.exec(rest)?.[0];
  if (message && mapper.get(values, 'event') === undefined) mapper.set(values, 'event', message);
  return mapper.mapValues(values);
}

/** A brace, then a single quote: a Python dict repr, which JSON.parse would only throw at. */
const DICT_START = /^\{\s*'/;

/** The values of the extras: a JSON object or dict repr (from the first brace on), else key=value pairs. */
function extrasValues(rest: string, mapper: RecordMapper): unknown[] {
  const brace = rest.indexOf('{');
  const object = brace < 0 ? undefined : rest.slice(brace);
  // A dict repr goes straight to its reading: a thrown error per line costs microseconds.
  const record = object === undefined ? undefined : ((DICT_START.test(object) ? undefined : parseJson(object)) ?? parseDict(object));
  if (record) return mapper.valuesOf(record);
  const values = mapper.blank();
  readPairs(rest, mapper.keys, values);
  return values;
}

/** Characters a plain string of a flat dict repr may hold: printable ASCII but quotes and the backslash. */
const PLAIN = /^[ !#-&(-[\]-~]*$/;
/** Words the dict repr's reading rewrites wherever they stand, strings included (see parseDict). */
const LITERAL_WORD = /True|False|None/;
const JSON_NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
/** Between values, with what JSON takes for whitespace around. */
const SEPARATOR = /[ \t\n\r]*([,:}])[ \t\n\r]*/y;
const OPENING = /\{[ \t\n\r]*'/y;

/**
 * The usual dict repr, `{'event': 'auth_failure', 'n': 3, 'mfa': True}`, read into `values` in one pass: a flat
 * dict of plain single-quoted strings, JSON numbers and True/False/None, after the first brace of `rest` and
 * with nothing after it. False for anything else (nothing then counts of what it wrote): parseDict reads it.
 */
function readFlatDict(rest: string, keys: KeyTable, values: unknown[]): boolean {
  OPENING.lastIndex = rest.indexOf('{');
  if (OPENING.lastIndex < 0 || !OPENING.test(rest)) return false;
  let at = OPENING.lastIndex - 1;
  for (;;) {
    const key = plainString(rest, at);
    if (key === undefined) return false;
    at += key.length + 2;
    SEPARATOR.lastIndex = at;
    if (SEPARATOR.exec(rest)?.[1] !== ':') return false;
    at = SEPARATOR.lastIndex;
    let value: unknown;
    let width: number;
    if (rest[at] === "'") {
      value = plainString(rest, at);
      if (value === undefined) return false;
      width = (value as string).length + 2;
    } else if (rest.startsWith('True', at) || rest.startsWith('None', at)) {
      [value, width] = [rest[at] === 'T' ? true : null, 4];
    } else if (rest.startsWith('False', at)) {
      [value, width] = [false, 5];
    } else {
      JSON_NUMBER.lastIndex = at;
      const number = JSON_NUMBER.exec(rest)?.[0];
      if (number === undefined) return false;
      [value, width] = [Number(number), number.length];
    }
    let hash = 0;
    for (let i = 0; i < key.length; i++) hash = step(hash, key.charCodeAt(i));
    const index = keys.find(hash, key, 0, key.length);
    if (index >= 0) values[index] = value;
    SEPARATOR.lastIndex = at + width;
    const separator = SEPARATOR.exec(rest)?.[1];
    if (separator === '}') return SEPARATOR.lastIndex === rest.length;
    if (separator !== ',') return false;
    at = SEPARATOR.lastIndex;
  }
}

/** The content of the plain single-quoted string at `at` (see PLAIN, LITERAL_WORD), else undefined. */
function plainString(text: string, at: number): string | undefined {
  if (text[at] !== "'") return undefined;
  const close = text.indexOf("'", at + 1);
  if (close < 0) return undefined;
  const content = text.slice(at + 1, close);
  return PLAIN.test(content) && !LITERAL_WORD.test(content) ? content : undefined;
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
