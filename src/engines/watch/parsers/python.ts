import type { ParseResult } from '../event.js';
import { parsePairs } from './logfmt.js';
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
  const record: Record<string, unknown> = { ...extras(rest), asctime: time, levelname: level };
  // The message itself (`auth_failure ...`) names the event when no extra does.
  const message = /^[\w.-]+/.exec(rest)?.[0];
  if (message && record['event'] === undefined) record['event'] = message;
  return mapper.map(record);
}

function extras(rest: string): Record<string, unknown> {
  const brace = rest.indexOf('{');
  if (brace >= 0) {
    const object = rest.slice(brace);
    try {
      return JSON.parse(object) as Record<string, unknown>;
    } catch {
      // A Python dict repr: single quotes, True/False/None.
      try {
        const json = object
          .replace(/'((?:[^'\\]|\\.)*)'/g, (_m, s: string) => JSON.stringify(s.replace(/\\'/g, "'")))
          .replace(/\bTrue\b/g, 'true')
          .replace(/\bFalse\b/g, 'false')
          .replace(/\bNone\b/g, 'null');
        return JSON.parse(json) as Record<string, unknown>;
      } catch {
        // Not a dict after all: fall through to key=value pairs.
      }
    }
  }
  return parsePairs(rest) ?? {};
}
