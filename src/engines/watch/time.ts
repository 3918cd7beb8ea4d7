const MONTHS: Record<string, string> = {
  Jan: '01', Feb: '02', Mar: '03', Apr: '04', May: '05', Jun: '06',
  Jul: '07', Aug: '08', Sep: '09', Oct: '10', Nov: '11', Dec: '12',
};

const MONTH_INDEX: Record<string, number> = {
  Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11,
};

const PYTHON_TIME = /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)(?:[,.](\d+))?(Z|[+-]\d\d:?\d\d)?$/;
const CLF_TIME = /^(\d\d)\/(\w{3})\/(\d{4}):(\d\d:\d\d:\d\d) ([+-]\d\d)(\d\d)$/;

/**
 * Event time in ms from the forms auth logs use: ISO 8601, Python logging's `2024-05-01 12:00:00,123`,
 * the access-log `[10/Oct/2000:13:55:36 -0700]`, and epoch seconds or milliseconds.
 * Times without a zone are taken as UTC. NaN when it is none of these.
 */
export function parseTimestamp(value: unknown): number {
  if (typeof value === 'number') return value > 1e11 ? value : value * 1000;
  if (typeof value !== 'string' || value.length === 0) return NaN;
  const fast = fastIsoUtc(value);
  if (!Number.isNaN(fast)) return fast;
  const access = fastClf(value);
  if (!Number.isNaN(access)) return access;
  const python = fastPython(value);
  if (!Number.isNaN(python)) return python;
  const iso = Date.parse(value);
  if (!Number.isNaN(iso) && value.length >= 20 && value[10] === 'T') return iso;
  const py = PYTHON_TIME.exec(value);
  if (py) {
    const ms = (py[3] ?? '0').padEnd(3, '0').slice(0, 3);
    const zone = py[4] ?? 'Z';
    return Date.parse(`${py[1]}T${py[2]}.${ms}${zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone}`);
  }
  const clf = CLF_TIME.exec(value);
  if (clf) return Date.parse(`${clf[3]}-${MONTHS[clf[2]!] ?? '00'}-${clf[1]}T${clf[4]}${clf[5]}:${clf[6]}`);
  if (/^\d+(\.\d+)?$/.test(value)) return parseTimestamp(Number(value));
  return iso;
}

/** Matches no time: the first call parses. */
let cachedPrefix = '';
let cachedMs = NaN;

/**
 * `2024-05-01T12:00:00.123Z` (or `+00:00`), the form most JSON loggers write: logs repeat the same second
 * many times, so the date part is parsed once per second and the milliseconds added by hand.
 */
function fastIsoUtc(value: string): number {
  const n = value.length;
  const utc = value.charCodeAt(n - 1) === 90 /* Z */ ? n - 1 : value.endsWith('+00:00') ? n - 6 : -1;
  if (utc < 19 || value.charCodeAt(10) !== 84 /* T */) return NaN;
  if (!samePrefix(value)) {
    cachedPrefix = value.slice(0, 19);
    cachedMs = Date.parse(`${cachedPrefix}Z`);
  }
  if (utc === 19) return cachedMs;
  if (value.charCodeAt(19) !== 46 /* . */) return NaN;
  return cachedMs + fractionMs(value, 20, utc);
}

/** The milliseconds of the fraction digits value[from, to), truncated; NaN where one is not a digit. */
function fractionMs(value: string, from: number, to: number): number {
  let ms = 0;
  let scale = 100;
  for (let i = from; i < to; i++) {
    const d = value.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return NaN;
    ms += d * scale;
    scale /= 10;
  }
  return Math.floor(ms);
}

/** Starts no time: the first call parses. */
let pythonPrefix = '\u0000';
let pythonMs = NaN;

/**
 * `2024-05-01 12:00:00,123` (or `.123`, or no fraction), Python logging's asctime, read as UTC with the
 * milliseconds truncated, as the general path reads it: the date part once per second. NaN for anything else,
 * and for hour 24, which the general path judges.
 */
function fastPython(value: string): number {
  const n = value.length;
  if (n < 19 || value.charCodeAt(10) !== 32 /* space */ || n === 20) return NaN;
  if (n > 19 && value.charCodeAt(19) !== 44 /* , */ && value.charCodeAt(19) !== 46 /* . */) return NaN;
  if (!value.startsWith(pythonPrefix)) {
    const [year, month, day, hour, minute, second] = [digits(value, 0, 4), digits(value, 5, 2), digits(value, 8, 2), digits(value, 11, 2), digits(value, 14, 2), digits(value, 17, 2)];
    const dashes = value.charCodeAt(4) === 45 && value.charCodeAt(7) === 45 && value.charCodeAt(13) === 58 && value.charCodeAt(16) === 58;
    if (!dashes || !(year >= 0 && month >= 0 && day >= 0 && hour <= 23 && minute >= 0 && second >= 0)) return NaN;
    pythonPrefix = value.slice(0, 19);
    pythonMs = Date.parse(`${value.slice(0, 10)}T${value.slice(11, 19)}Z`);
  }
  return pythonMs + fractionMs(value, 20, n);
}

/** Matches no time: the first call parses. */
let clfValue = '';
let clfMs = NaN;

/**
 * `10/Oct/2000:13:55:36 -0700`, as access logs write it: they repeat the same second many times, so each one
 * is read once. NaN for anything else, and for field values Date.parse would treat otherwise (a two-digit
 * year, hour 24): the general path reads those.
 */
function fastClf(value: string): number {
  if (value === clfValue) return clfMs;
  if (value.length !== 26 || value.charCodeAt(2) !== 47 /* / */ || value.charCodeAt(6) !== 47 || value.charCodeAt(11) !== 58 /* : */) return NaN;
  if (value.charCodeAt(14) !== 58 || value.charCodeAt(17) !== 58 || value.charCodeAt(20) !== 32 /* space */) return NaN;
  const sign = value.charCodeAt(21) === 43 /* + */ ? 1 : value.charCodeAt(21) === 45 /* - */ ? -1 : 0;
  const month = MONTH_INDEX[value.slice(3, 6)];
  const [day, year, hour, minute, second] = [digits(value, 0, 2), digits(value, 7, 4), digits(value, 12, 2), digits(value, 15, 2), digits(value, 18, 2)];
  const [zoneHours, zoneMinutes] = [digits(value, 22, 2), digits(value, 24, 2)];
  const plain = day >= 1 && day <= 31 && year >= 100 && hour <= 23 && minute <= 59 && second <= 59 && zoneHours <= 23 && zoneMinutes <= 59;
  if (month === undefined || sign === 0 || !plain) return NaN;
  clfValue = value;
  clfMs = Date.UTC(year, month, day, hour, minute, second) - sign * (zoneHours * 60 + zoneMinutes) * 60_000;
  return clfMs;
}

/**
 * The access-log time read last, as 32-bit words at its offsets 0, 4, ... 20 and 22 (the last two overlap), so a
 * line's time is compared in seven reads. All 0 at first, with NaN as their time.
 */
const clfWords = new Uint32Array(7);
let clfBytesMs = NaN;
/** A view of the buffer lines are read from, to read words at any offset; made again when the buffer changes. */
let lines: DataView | undefined;
let linesOf: Uint8Array | undefined;

/** What fastClf reads from the 26 bytes at line[start] (NaN: not that form); each distinct second is read once. */
export function clfFromBytes(line: Uint8Array, start: number): number {
  if (line !== linesOf) {
    lines = new DataView(line.buffer, line.byteOffset, line.byteLength);
    linesOf = line;
  }
  const view = lines!;
  // The word with the seconds first: it is the one that changes.
  if (view.getUint32(start + 16, true) === clfWords[4] && view.getUint32(start, true) === clfWords[0] && view.getUint32(start + 4, true) === clfWords[1]) {
    if (view.getUint32(start + 8, true) === clfWords[2] && view.getUint32(start + 12, true) === clfWords[3] && view.getUint32(start + 20, true) === clfWords[5]) {
      if (view.getUint32(start + 22, true) === clfWords[6]) return clfBytesMs;
    }
  }
  for (let k = 0; k < 7; k++) clfWords[k] = view.getUint32(start + Math.min(4 * k, 22), true);
  clfBytesMs = fastClf(String.fromCharCode(...line.subarray(start, start + 26)));
  return clfBytesMs;
}

/** The decimal number of value[at, at + count), or NaN where a character is not a digit. */
function digits(value: string, at: number, count: number): number {
  let n = 0;
  for (let i = at; i < at + count; i++) {
    const d = value.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return NaN;
    n = n * 10 + d;
  }
  return n;
}

/** The cached date and time as bytes, for the same reading straight from a log's bytes. */
const cachedBytes = new Uint8Array(19);
let cachedBytesMs = NaN;

/**
 * What fastIsoUtc reads from `2024-05-01T12:00:00.123Z` (or `+00:00`), from the bytes line[start, end); NaN
 * for any other form (the caller then asks parseTimestamp with the text).
 */
export function isoUtcFromBytes(line: Uint8Array, start: number, end: number): number {
  const n = end - start;
  const zulu = line[end - 1] === 90; /* Z */
  const utc = zulu ? n - 1 : n >= 6 && line[end - 6] === 43 && line[end - 5] === 48 && line[end - 4] === 48 && line[end - 3] === 58 && line[end - 2] === 48 && line[end - 1] === 48 ? n - 6 : -1;
  if (utc < 19 || line[start + 10] !== 84 /* T */) return NaN;
  let same = true;
  for (let i = 18; i >= 0 && same; i--) same = line[start + i] === cachedBytes[i];
  if (!same) {
    cachedBytes.set(line.subarray(start, start + 19));
    cachedBytesMs = Date.parse(`${String.fromCharCode(...cachedBytes)}Z`);
  }
  if (utc === 19) return cachedBytesMs;
  if (line[start + 19] !== 46 /* . */) return NaN;
  let ms = 0;
  let scale = 100;
  for (let i = start + 20; i < start + utc; i++) {
    const d = line[i]! - 48;
    if (d < 0 || d > 9) return NaN;
    ms += d * scale;
    scale /= 10;
  }
  return cachedBytesMs + Math.floor(ms);
}

/** Whether `value` starts with the cached date and time; from the seconds back, as they change most. */
function samePrefix(value: string): boolean {
  for (let i = 18; i >= 0; i--) if (value.charCodeAt(i) !== cachedPrefix.charCodeAt(i)) return false;
  return true;
}

/** `300`, `300s`, `5m`, `2h`, `1d` to milliseconds. */
export function parseDuration(value: number | string): number {
  if (typeof value === 'number') return value * 1000;
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/.exec(value.trim());
  if (!match) return NaN;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] ?? 's']!;
  return Number(match[1]) * unit;
}

/** `5m`, `90s`, `2h` from milliseconds, for messages. */
export function formatDuration(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000}d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${Math.round(ms / 1000)}s`;
}
