// AssemblyScript, built to WebAssembly with 128-bit SIMD (`npm run build:wasm`): the parsing thread's bulk path
// for JSON lines, and its table of ids for IPs and usernames. See ../json-lines.ts for the side that calls it.
// It is built with AssemblyScript's `stub` runtime, the one without a garbage collector: it allocates nothing,
// its memory is laid out by hand (see `reserve`).
//
// A log writes one line after another in the same shape: the same keys in the same order, with the same
// bytes between the values. The thread gives this module the shape of a line its fast path (../fast-json.ts)
// has read, as a template; `run` then reads every following line of that shape here, in bulk, until one
// differs, and hands that one back. A line of the template's shape means what the template line meant but for
// its values, so reading the values as the fast path does gives the fast path's reading. Whatever it is not
// sure of, it leaves to the thread.

/**
 * The id of the string of `length` bytes at `ptr`, not in the table: a new one, or (when the table is full and
 * it is not `stored` in it) the one the thread may have given it already (see ../interner.ts).
 */
declare function fresh(ptr: usize, length: i32, stored: bool): i32;
/** Date.parse of the 19 bytes at `ptr` (`2024-05-01T12:00:00`) as UTC, or NaN. */
declare function utcSeconds(ptr: usize): f64;

const QUOTE: u8 = 34;
const BACKSLASH: u8 = 92;
const CLOSE: u8 = 125;
const NEWLINE: u8 = 10;
const CR: u8 = 13;

/** Record kinds, as in ../protocol.ts. */
const IGNORED: u8 = 3;
const EVENT: u8 = 4;

// The id table: an open-addressing table of 2^SLOT_BITS slots of four i32: first hash, second hash, length,
// id + 1 (0: empty). It takes entries up to half full; the thread keeps later strings (see `fresh`).
const SLOT_BITS = 18;
const SLOT_MASK: u32 = (1 << SLOT_BITS) - 1;
const MAX_ENTRIES = 1 << (SLOT_BITS - 1);
const TABLE_BYTES: usize = 16 << SLOT_BITS;

// The template, as the thread writes it at `program` (i32s): the number of values n; per value its gap (the
// bytes from the brace or comma before its key to the start of its value, after the quote of a string) as an
// offset into `gapBytes` and a length, and 1 for a string or 0 for a number or literal; then for each field in
// FIELDS order, a count and the values that may give it, in the order the field mapping picks them.
const PROGRAM_INTS = 1024;
const GAP_BYTES = 8192;
const FIELD_USER = 0;
const FIELD_IP = 1;
const FIELD_EVENT = 2;
const FIELD_TIME = 3;
const FIELD_STATUS = 4;
const FIELDS = 5;
const MAX_VALUES = 256;

// Event values whose meaning the thread knows (`known`: per entry offset into `knownBytes`, length, and 0 for
// neither, 1 for a failure, 2 for a success).
const MAX_KNOWN = 16;
const KNOWN_BYTES = 4096;

let table: usize = 0;
let program: usize = 0;
let gapBytes: usize = 0;
let known: usize = 0;
let knownBytes: usize = 0;
let knownCount = 0;
/** Where each value of the line being read starts and ends, by its number in the template. */
let valueStarts: usize = 0;
let valueEnds: usize = 0;
/** Per field, the value that gives it in this line, or -1 (see `pick`). */
let fieldOffsets: usize = 0;
/** The last time read, for the lines of the same second that follow it. */
let timeBytes: usize = 0;
let timeMs: f64 = NaN;
let layoutInts: usize = 0;
let entries = 0;

// Per chunk (see `reserve`): the chunk's bytes, the records `run` reads, the lookups `queue` takes.
let chunk: usize = 0;
let scratch: usize = 0;
let recordCap = 0;
let recordCount = 0;
let kinds: usize = 0;
let failures: usize = 0;
let times: usize = 0;
let starts: usize = 0;
let ends: usize = 0;
let users: usize = 0;
let ips: usize = 0;
let queueCap = 0;
let queued = 0;
let queuePtrs: usize = 0;
let queueLengths: usize = 0;
let queueH1: usize = 0;
let queueH2: usize = 0;
let queueIds: usize = 0;

/**
 * Makes room for a chunk of `chunkBytes` and values of up to `scratchBytes` read from elsewhere, and returns
 * where the layout is written (i32s: chunk, scratch, record columns, queue ids, template, known values, and
 * the records the columns have room for).
 */
export function reserve(chunkBytes: i32, scratchBytes: i32): usize {
  if (table === 0) fixed();
  // A line `run` reads takes 8 bytes at least ({"a":1} and its newline), and two lookups.
  const cap = chunkBytes / 8 + 16;
  chunk = align(fieldOffsets + 4 * FIELDS);
  // 64 bytes after the chunk and the scratch hold zeros: reads 16 bytes at a time may run past their end.
  scratch = align(chunk + <usize>chunkBytes + 64);
  kinds = align(scratch + <usize>scratchBytes + 64);
  failures = align(kinds + <usize>cap);
  times = align(failures + <usize>cap);
  starts = times + 8 * <usize>cap;
  ends = starts + 4 * <usize>cap;
  users = ends + 4 * <usize>cap;
  ips = users + 4 * <usize>cap;
  queueCap = 2 * cap;
  queuePtrs = ips + 4 * <usize>cap;
  queueLengths = queuePtrs + 4 * <usize>queueCap;
  queueH1 = queueLengths + 4 * <usize>queueCap;
  queueH2 = queueH1 + 4 * <usize>queueCap;
  queueIds = queueH2 + 4 * <usize>queueCap;
  recordCap = cap;
  queued = 0;
  grow(queueIds + 4 * <usize>queueCap);
  memory.fill(scratch + <usize>scratchBytes, 0, 64);
  let at = layoutInts;
  at = put(at, chunk);
  at = put(at, scratch);
  at = put(at, kinds);
  at = put(at, failures);
  at = put(at, times);
  at = put(at, starts);
  at = put(at, ends);
  at = put(at, users);
  at = put(at, ips);
  at = put(at, queueIds);
  at = put(at, program);
  at = put(at, gapBytes);
  at = put(at, known);
  at = put(at, knownBytes);
  put(at, cap);
  return layoutInts;
}

function put(at: usize, value: usize): usize {
  store<i32>(at, <i32>value);
  return at + 4;
}

/** Grows the memory to hold `top` bytes (no managed allocations here: the memory is all laid out by hand). */
function grow(top: usize): void {
  const pages = <i32>((top + 0xffff) >> 16) - memory.size();
  if (pages > 0 && memory.grow(pages) < 0) unreachable();
}

/** Lays out what does not depend on the chunk size, once. */
function fixed(): void {
  table = align(__heap_base);
  program = table + TABLE_BYTES;
  gapBytes = program + 4 * PROGRAM_INTS;
  known = gapBytes + GAP_BYTES + 64;
  knownBytes = known + 12 * MAX_KNOWN;
  valueStarts = knownBytes + KNOWN_BYTES + 64;
  valueEnds = valueStarts + 4 * MAX_VALUES;
  timeBytes = valueEnds + 4 * MAX_VALUES;
  layoutInts = timeBytes + 32;
  fieldOffsets = layoutInts + 4 * 16;
  grow(fieldOffsets + 4 * FIELDS);
  store<i32>(program, 0);
}

function align(at: usize): usize {
  return (at + 15) & ~(<usize>15);
}

/** Zeros after `length` bytes of the chunk, so that reads past its end stop there. */
export function loaded(length: i32): void {
  memory.fill(chunk + <usize>length, 0, 64);
}

/** The number of known event values the thread has written. */
export function setKnown(count: i32): void {
  knownCount = count;
}

/** The records the last `run` read. */
export function recordsRead(): i32 {
  return recordCount;
}

/**
 * Reads the lines of the chunk from `from` up to `end` that have the template's shape, each ended by a newline
 * and at most `maxLine` bytes long, into the record columns; stops at the first other line, when the columns
 * are full, or at the end. Returns where it stopped: the start of a line it did not read.
 */
export function run(from: i32, end: i32, maxLine: i32): i32 {
  let at = from;
  let count = 0;
  const n = load<i32>(program);
  if (n === 0) {
    recordCount = 0;
    return at;
  }
  while (count < recordCap && queued + 2 <= queueCap) {
    const close = matchLine(chunk + <usize>at, n);
    if (close === 0) break;
    // The line ends at its closing brace, but for one CR before the newline.
    let newline = close + 1;
    if (load<u8>(newline) === CR) newline++;
    if (load<u8>(newline) !== NEWLINE) break;
    const lineEnd = <i32>(close + 1 - chunk);
    const next = <i32>(newline - chunk);
    if (next >= end || next - at > maxLine) break;
    if (!readValues(count, at, lineEnd)) break;
    count++;
    at = next + 1;
  }
  recordCount = count;
  return at;
}

/** Where the closing brace of the template-shaped line at `line` is, or 0; each value's place is kept. */
function matchLine(line: usize, n: i32): usize {
  let i = line;
  for (let k = 0; k < n; k++) {
    const gap = program + 4 + 12 * <usize>k;
    const length = load<i32>(gap, 4);
    if (!same(i, gapBytes + <usize>load<i32>(gap), length)) return 0;
    i += <usize>length;
    const valueEnd = load<i32>(gap, 8) === 1 ? stringEnd(i) : scalarEnd(i);
    if (valueEnd === 0) return 0;
    store<i32>(valueStarts + 4 * <usize>k, <i32>(i - chunk));
    store<i32>(valueEnds + 4 * <usize>k, <i32>(valueEnd - chunk));
    i = load<i32>(gap, 8) === 1 ? valueEnd + 1 : valueEnd;
  }
  return load<u8>(i) === CLOSE ? i : 0;
}

/** Whether the `length` bytes at `a` are those at `b` (both readable 16 bytes past them). */
function same(a: usize, b: usize, length: i32): bool {
  let k = 0;
  for (; k + 16 <= length; k += 16) {
    if (i8x16.bitmask(i8x16.eq(v128.load(a + <usize>k), v128.load(b + <usize>k))) !== 0xffff) return false;
  }
  if (k === length) return true;
  const differ = ~i8x16.bitmask(i8x16.eq(v128.load(a + <usize>k), v128.load(b + <usize>k))) & 0xffff;
  return (differ & ((1 << (length - k)) - 1)) === 0;
}

/**
 * The quote ending the string that starts at `at`, or 0 when a byte comes first that the fast path leaves to
 * the text parser: a backslash, a control character (a line's end is one) or non-ASCII.
 */
function stringEnd(at: usize): usize {
  const quote = i8x16.splat(QUOTE);
  const backslash = i8x16.splat(BACKSLASH);
  const space = i8x16.splat(32);
  let i = at;
  let stops = 0;
  // Signed, bytes of 0x80 and above are below a space too.
  while ((stops = i8x16.bitmask(v128.or(v128.or(i8x16.eq(v128.load(i), quote), i8x16.eq(v128.load(i), backslash)), i8x16.lt_s(v128.load(i), space)))) === 0) i += 16;
  const stop = i + <usize>ctz(stops);
  return load<u8>(stop) === QUOTE ? stop : 0;
}

function isDigit(c: u8): bool {
  return c >= 48 && c <= 57;
}

/** The end of the JSON number or literal at `i` (JSON.parse's grammar), or 0, as the fast path reads it. */
function scalarEnd(i: usize): usize {
  const c = load<u8>(i);
  if (c === 116) return literal(i, 0x65757274, 4); // true
  if (c === 110) return literal(i, 0x6c6c756e, 4); // null
  if (c === 102) return load<u8>(i, 4) === 101 ? literal(i, 0x736c6166, 5) : 0; // false
  if (c === 45) i++;
  if (load<u8>(i) === 48) i++;
  else if (isDigit(load<u8>(i))) while (isDigit(load<u8>(i))) i++;
  else return 0;
  if (load<u8>(i) === 46) {
    if (!isDigit(load<u8>(++i))) return 0;
    while (isDigit(load<u8>(i))) i++;
  }
  if (load<u8>(i) === 101 || load<u8>(i) === 69) {
    if (load<u8>(i, 1) === 43 || load<u8>(i, 1) === 45) i++;
    if (!isDigit(load<u8>(++i))) return 0;
    while (isDigit(load<u8>(i))) i++;
  }
  return i;
}

/** The end of the literal whose first four bytes are `word` (and `e` after them for false), or 0. */
function literal(i: usize, word: u32, length: usize): usize {
  return load<u32>(i) === word ? i + length : 0;
}

/**
 * Reads the values of the line [start, end) matched last into record `r`, as the fast path would: false when
 * the fast path would leave the line to the text parser, or when it has not met its event value yet.
 */
function readValues(r: i32, start: i32, end: i32): bool {
  const fields = program + 4 + 12 * <usize>load<i32>(program);
  let list = fields;
  for (let f = 0; f < FIELDS; f++) {
    store<i32>(fieldOffsets + 4 * <usize>f, pick(list));
    list += 4 + 4 * <usize>load<i32>(list);
  }
  const status = statusOf(load<i32>(fieldOffsets + 4 * FIELD_STATUS));
  if (status === -2) return false;
  const user = load<i32>(fieldOffsets + 4 * FIELD_USER);
  const outcome = outcomeOf(eventList(fields), status, user >= 0);
  if (outcome < 0) return false;
  store<i32>(starts + 4 * <usize>r, start);
  store<i32>(ends + 4 * <usize>r, end);
  if (outcome === 0) {
    store<u8>(kinds + <usize>r, IGNORED);
    store<u8>(failures + <usize>r, 0);
    store<f64>(times + 8 * <usize>r, 0);
    store<i32>(users + 4 * <usize>r, 0);
    store<i32>(ips + 4 * <usize>r, 0);
    return true;
  }
  const t = load<i32>(fieldOffsets + 4 * FIELD_TIME);
  const time = t < 0 ? NaN : isoUtc(chunk + <usize>valueStart(t), chunk + <usize>valueEnd(t));
  // Another time form (Python's, epoch seconds): the text parser knows them all.
  if (t >= 0 && !(time > 1e11)) return false;
  store<u8>(kinds + <usize>r, EVENT);
  store<u8>(failures + <usize>r, outcome === 1 ? 1 : 0);
  store<f64>(times + 8 * <usize>r, time);
  const ip = load<i32>(fieldOffsets + 4 * FIELD_IP);
  store<i32>(users + 4 * <usize>r, -1 - (user < 0 ? queueSpan(start, start) : queueSpan(valueStart(user), valueEnd(user))));
  store<i32>(ips + 4 * <usize>r, -1 - (ip < 0 ? queueSpan(start, start) : queueSpan(valueStart(ip), valueEnd(ip))));
  return true;
}

function valueStart(k: i32): i32 {
  return load<i32>(valueStarts + 4 * <usize>k);
}

function valueEnd(k: i32): i32 {
  return load<i32>(valueEnds + 4 * <usize>k);
}

/** The first value of the list at `list` that is not empty, as the field mapping picks; -1 for none. */
function pick(list: usize): i32 {
  const count = load<i32>(list);
  for (let i = 0; i < count; i++) {
    const k = load<i32>(list + 4 + 4 * <usize>i);
    if (valueEnd(k) > valueStart(k)) return k;
  }
  return -1;
}

function eventList(fields: usize): usize {
  let list = fields;
  for (let f = 0; f < FIELD_EVENT; f++) list += 4 + 4 * <usize>load<i32>(list);
  return list;
}

/** The status value k holds: -1 for none, -2 when it is not all digits (the text parser's then). */
function statusOf(k: i32): f64 {
  if (k < 0) return -1;
  const start = valueStart(k);
  const end = valueEnd(k);
  if (end - start > 15) return -2;
  let value: f64 = 0;
  for (let i = start; i < end; i++) {
    const d = <i32>load<u8>(chunk + <usize>i) - 48;
    if (d < 0 || d > 9) return -2;
    value = value * 10 + <f64>d;
  }
  return value;
}

/**
 * 1 for a failure, 2 for a success, 0 for neither, as the field mapping reads them: the event values first (in
 * order, up to one whose meaning is known to be either), then the status. -1 for an event value not known.
 */
function outcomeOf(list: usize, status: f64, user: bool): i32 {
  const count = load<i32>(list);
  for (let i = 0; i < count; i++) {
    const k = load<i32>(list + 4 + 4 * <usize>i);
    const kind = classify(valueStart(k), valueEnd(k));
    if (kind < 0) return -1;
    if (kind > 0) return kind;
  }
  if (status === 401 || status === 403) return 1;
  if (status >= 200 && status < 300 && user) return 2;
  return 0;
}

function classify(start: i32, end: i32): i32 {
  const length = end - start;
  for (let i = 0; i < knownCount; i++) {
    const entry = known + 12 * <usize>i;
    if (load<i32>(entry, 4) === length && same(chunk + <usize>start, knownBytes + <usize>load<i32>(entry), length)) return load<i32>(entry, 8);
  }
  return -1;
}

/** What the fast path reads from `2024-05-01T12:00:00.123Z` (or `+00:00`) in [start, end): ms since 1970, or NaN. */
function isoUtc(start: usize, end: usize): f64 {
  const n = <i32>(end - start);
  let utc = -1;
  if (load<u8>(end - 1) === 90) utc = n - 1;
  else if (n >= 6 && load<u8>(end - 6) === 43 && load<u8>(end - 5) === 48 && load<u8>(end - 4) === 48 && load<u8>(end - 3) === 58 && load<u8>(end - 2) === 48 && load<u8>(end - 1) === 48) utc = n - 6;
  if (utc < 19 || load<u8>(start + 10) !== 84) return NaN;
  if (!same(start, timeBytes, 19)) {
    memory.copy(timeBytes, start, 19);
    timeMs = utcSeconds(timeBytes);
  }
  if (utc === 19) return timeMs;
  if (load<u8>(start + 19) !== 46) return NaN;
  let ms: f64 = 0;
  let scale: f64 = 100;
  for (let i = start + 20; i < start + <usize>utc; i++) {
    const d = <i32>load<u8>(i) - 48;
    if (d < 0 || d > 9) return NaN;
    ms += <f64>d * scale;
    scale /= 10;
  }
  return timeMs + Math.floor(ms);
}

/** Queues the lookup of the chunk's bytes [start, end) for `lookUpQueued`; its number in the queue. */
export function queueSpan(start: i32, end: i32): i32 {
  return queuePtr(chunk + <usize>start, end - start);
}

/** Queues the lookup of the `length` bytes at `ptr`; its number in the queue. Hashed now, while they are in the cache. */
function queuePtr(ptr: usize, length: i32): i32 {
  const q = queued++;
  hash(ptr, length);
  const at: usize = <usize>q << 2;
  store<u32>(queuePtrs + at, <u32>ptr);
  store<i32>(queueLengths + at, length);
  store<u32>(queueH1 + at, hash1);
  store<u32>(queueH2 + at, hash2);
  return q;
}

/** The two hashes of the last `hash`. */
let hash1: u32 = 0;
let hash2: u32 = 0;

function hash(ptr: usize, length: i32): void {
  let h1: u32 = 0;
  let h2: u32 = 0x811c9dc5;
  for (let i: usize = 0; i < <usize>length; i++) {
    const c = <u32>load<u8>(ptr + i);
    h1 = h1 * 31 + c;
    h2 = (h2 ^ c) * 0x01000193;
  }
  hash1 = h1;
  hash2 = h2;
}

/**
 * Looks up all that was queued, in queue order (the order new strings get ids in), into the queue's ids; the
 * queue is then empty. Returns how many there were. By blocks: a first loop reads each value's first slot
 * only, so the cache misses of a block overlap instead of following one another, and the second finds them in
 * the cache.
 */
export function lookUpQueued(): i32 {
  const count = queued;
  for (let from = 0; from < count; from += 512) {
    const to = min(count, from + 512);
    for (let q = from; q < to; q++) store<i32>(queueIds + 4 * <usize>q, load<i32>(slotAt(load<u32>(queueH1 + 4 * <usize>q)), 12));
    for (let q = from; q < to; q++) {
      const at: usize = <usize>q << 2;
      const ptr = <usize>load<u32>(queuePtrs + at);
      const length = load<i32>(queueLengths + at);
      const h1 = load<u32>(queueH1 + at);
      const h2 = load<u32>(queueH2 + at);
      const slot = slotAt(h1);
      const id = load<i32>(queueIds + at);
      const hit = id !== 0 && load<u32>(slot) === h1 && load<u32>(slot, 4) === h2 && load<i32>(slot, 8) === length;
      store<i32>(queueIds + at, hit ? id - 1 : find(ptr, length, h1, h2));
    }
  }
  queued = 0;
  return count;
}

/** The id of the `length` bytes at `scratch` (a value the thread copied there), looked up now. */
export function lookUpScratch(length: i32): i32 {
  hash(scratch, length);
  return find(scratch, length, hash1, hash2);
}

function slotAt(h1: u32): usize {
  return table + 16 * <usize>(((h1 ^ (h1 >> 16)) * 0x45d9f3b) >> (32 - SLOT_BITS));
}

/** The id of the bytes at `ptr`, found in the table or given now by the thread. */
function find(ptr: usize, length: i32, h1: u32, h2: u32): i32 {
  let slot = slotAt(h1);
  while (load<i32>(slot, 12) !== 0 && !(load<u32>(slot) === h1 && load<u32>(slot, 4) === h2 && load<i32>(slot, 8) === length)) {
    slot = table + ((slot - table + 16) & (<usize>SLOT_MASK << 4));
  }
  if (load<i32>(slot, 12) !== 0) return load<i32>(slot, 12) - 1;
  const stored = entries < MAX_ENTRIES;
  const given = fresh(ptr, length, stored);
  if (stored) {
    store<u32>(slot, h1);
    store<u32>(slot, h2, 4);
    store<i32>(slot, length, 8);
    store<i32>(slot, given + 1, 12);
    entries++;
  }
  return given;
}

/** Empties the id table (the thread's string table starts over). */
export function clearTable(): void {
  memory.fill(table, 0, TABLE_BYTES);
  entries = 0;
}
