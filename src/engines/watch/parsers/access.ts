import type { ParseResult } from '../event.js';
import { parseTimestamp } from '../time.js';

/** nginx/Apache combined (and common): `ip ident user [time] "METHOD path proto" status bytes "referer" "agent"`. */
const COMBINED = /^(\S+) \S+ (\S+) \[([^\]]+)\] "([A-Z]+) (\S+)[^"]*" (\d{3}) /;

/** uvicorn's access log: `INFO:     203.0.113.9:51234 - "GET /secure HTTP/1.1" 401 Unauthorized` (optionally time-prefixed). */
const UVICORN = /^(?:(\d{4}-\d\d-\d\d[ T][\d:,.]+)\s+)?(?:INFO|WARNING|ERROR|DEBUG):\s+(\S+):(\d+) - "([A-Z]+) (\S+)[^"]*" (\d{3})/;
/** uvicorn's other lines (`INFO:     Started server process [123]`): the same log, nothing auth-related. */
const UVICORN_OTHER = /^(?:\d{4}-\d\d-\d\d[ T][\d:,.]+\s+)?(?:INFO|WARNING|ERROR|DEBUG|CRITICAL):\s+\S/;

function outcome(status: number, user: string): boolean | undefined {
  if (status === 401 || status === 403) return true;
  if (status >= 200 && status < 300 && user) return false;
  return undefined;
}

/** 401 and 403 are failures; a 2xx with an authenticated user (`%u`) is a success; anything else is ignored. */
export function parseCombinedLine(line: string): ParseResult {
  const m = COMBINED.exec(line);
  if (!m) return 'malformed';
  const status = Number(m[6]);
  const user = m[2] === '-' ? '' : decodeUser(m[2]!);
  const failure = outcome(status, user);
  if (failure === undefined) return 'ignored';
  return { time: parseTimestamp(m[3]), failure, ip: m[1]!, user, method: m[4]!, path: m[5]!, status };
}

/** uvicorn logs no user and, by default, no time: events take the time of the source's last timed line. */
export function parseUvicornLine(line: string): ParseResult {
  const m = UVICORN.exec(line);
  if (!m) return UVICORN_OTHER.test(line) ? 'ignored' : 'malformed';
  const status = Number(m[6]);
  const failure = outcome(status, '');
  if (failure === undefined) return 'ignored';
  return { time: m[1] ? parseTimestamp(m[1]) : NaN, failure, ip: m[2]!.replace(/^\[|\]$/g, ''), user: '', method: m[4]!, path: m[5]!, status };
}

function decodeUser(user: string): string {
  // Most names have no escape: decodeURIComponent would give them back as they are, at a cost per line.
  if (!user.includes('%')) return user;
  try {
    return decodeURIComponent(user);
  } catch {
    return user;
  }
}
