import type { ParseResult } from '../event.js';
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
  const object = extrasObject(rest);
  const values = object ? mapper.valuesOf(object) : mapper.blank();
  if (!object) readPairs(rest, mapper.keys, values);
  mapper.set(values, 'asctime', time);
  mapper.set(values, 'levelname', level);
  // The message itself (`auth_failure ...`) names the event when no extra does.
  const message = /^[\w.-]+/.exec(rest)?.[0];
  if (message && mapper.get(values, 'event') === undefined) mapper.set(values, 'event', message);
  return mapper.mapValues(values);
}

/** A brace, then a single quote: a Python dict repr, which JSON.parse would only throw at. */
const DICT_START = /^\{\s*'/;

/** The extras as an object, when they are one (from the first brace on); undefined for key=value pairs. */
function extrasObject(rest: string): Record<string, unknown> | undefined {
  const brace = rest.indexOf('{');
  if (brace < 0) return undefined;
  const object = rest.slice(brace);
  // A dict repr goes straight to its reading: a thrown error per line costs microseconds.
  return (DICT_START.test(object) ? undefined : parseJson(object)) ?? parseDict(object);
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
