import { clfFromBytes } from '../time.js';
import type { FastEvent } from './fast-json.js';

const TAB = 9;
const CR = 13;
const SPACE = 32;
const QUOTE = 34;
const PERCENT = 37;
const DASH = 45;
const OPEN = 91;
const CLOSE = 93;
/** `10/Oct/2000:13:55:36 -0700` */
const TIME_BYTES = 26;

/**
 * The parsing thread's fast path for nginx/Apache combined (and common) access lines: what parseCombinedLine
 * reads (see parsers/access.ts), straight from the line's bytes, with no string per line. It reads only lines of
 * the plain shape: ASCII up to the status, a path without quotes, a username without escapes and the usual time
 * form. Any other line it hands back (undefined) to the text parser, which reads them all, so both read every
 * line alike.
 */
export function readAccessLine(line: Uint8Array, start: number, end: number, into: FastEvent): FastEvent | 'ignored' | undefined {
  // `ip ident user [time] "METHOD path...`: three tokens, one space apart.
  const ipEnd = token(line, start, end);
  if (ipEnd === start || line[ipEnd] !== SPACE) return undefined;
  const identEnd = token(line, ipEnd + 1, end);
  if (identEnd === ipEnd + 1 || line[identEnd] !== SPACE) return undefined;
  const userStart = identEnd + 1;
  const userEnd = token(line, userStart, end);
  if (userEnd === userStart || line[userEnd] !== SPACE || line[userEnd + 1] !== OPEN) return undefined;
  const timeStart = userEnd + 2;
  const timeEnd = timeStart + TIME_BYTES;
  if (timeEnd + 3 > end || line[timeEnd] !== CLOSE || line[timeEnd + 1] !== SPACE || line[timeEnd + 2] !== QUOTE) return undefined;
  // The usual form (so no bracket inside, which would end the time sooner), else the text parser judges it.
  into.time = clfFromBytes(line, timeStart);
  if (Number.isNaN(into.time)) return undefined;
  let at = timeEnd + 3;
  const methodStart = at;
  while (at < end && line[at]! >= 65 && line[at]! <= 90) at++;
  if (at === methodStart || line[at] !== SPACE) return undefined;
  const pathStart = at + 1;
  const pathEnd = token(line, pathStart, end);
  // A quote in the path would let the regex take the path shorter: the text parser reads that line.
  if (pathEnd === pathStart || line[pathEnd] === QUOTE || line[pathEnd]! >= 0x80) return undefined;
  // The request runs to the next quote; then ` 401 `.
  at = pathEnd;
  while (at < end && line[at] !== QUOTE) at++;
  if (at + 6 > end || line[at + 1] !== SPACE || line[at + 5] !== SPACE) return undefined;
  const status = digit(line[at + 2]!) * 100 + digit(line[at + 3]!) * 10 + digit(line[at + 4]!);
  if (!(status >= 0)) return undefined;
  const anonymous = userEnd === userStart + 1 && line[userStart] === DASH;
  const failure = status === 401 || status === 403 ? true : status >= 200 && status < 300 && !anonymous ? false : undefined;
  if (failure === undefined) return 'ignored';
  for (let i = userStart; i < userEnd; i++) if (line[i] === PERCENT) return undefined;
  into.failure = failure;
  into.ipStart = start;
  into.ipEnd = ipEnd;
  into.userStart = userStart;
  into.userEnd = anonymous ? userStart : userEnd;
  return into;
}

/**
 * Where the token from `at` ends: at the first whitespace byte, or at a byte the text parser must judge (a
 * quote, or one of 0x80 and above, which may be part of a Unicode space); the caller checks which.
 */
function token(line: Uint8Array, at: number, end: number): number {
  while (at < end && ENDS_TOKEN[line[at]!] === 0) at++;
  return at;
}

/** Per byte, 1 where a token ends (see `token`): one load per byte instead of a chain of comparisons. */
const ENDS_TOKEN = new Uint8Array(256).map((_, byte) => (byte === SPACE || byte === QUOTE || byte >= 0x80 || (byte >= TAB && byte <= CR) ? 1 : 0));

/** The digit's value, or NaN for any other byte. */
function digit(byte: number): number {
  return byte >= 48 && byte <= 57 ? byte - 48 : NaN;
}
