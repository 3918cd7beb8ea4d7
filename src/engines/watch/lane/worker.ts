import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { describeError } from '../../../core/errors.js';
import type { WatchConfig } from '../config.js';
import { LineReader } from '../line-reader.js';
import { createParsers } from '../parsers/index.js';
import { RecordMapper } from '../parsers/record.js';
import { LineSplitter } from '../sources/lines.js';
import { readAccessLine } from './fast-access.js';
import { FastJson, type FastEvent } from './fast-json.js';
import { Interner } from './interner.js';
import { JsonLines } from './json-lines.js';
import { BLANK, EVENT, IGNORED, IN_FLIGHT, MALFORMED, OVERSIZED, type Batch, type FedChunk, type LaneMessage, type LaneOptions } from './protocol.js';

// The parsing thread of a large log: reads it (or is fed the chunks of a stream), splits and parses every line,
// and sends the results in batches to the thread that runs detection.
const options = workerData as LaneOptions;
const config = options.config as WatchConfig;
const control = new Int32Array(options.control);
const send = (message: LaneMessage, transfer: ArrayBuffer[] = []) => parentPort!.postMessage(message, transfer);

/**
 * Buffers in each ring shared with the detecting thread (chunks, batch columns): it is never more than
 * IN_FLIGHT batches behind (see flush), so a ring's buffer is free again when its turn comes.
 */
const RING = IN_FLIGHT + 2;
/** Records a batch starts with room for; it grows for a chunk of many short lines. */
const RECORDS = 8192;
let chunk: Buffer | undefined;
/** The chunk is sent with the first batch that refers to it. */
let chunkSent = true;
/** Where the line being parsed sits in the chunk, or undefined when it is not in it. */
let at: [number, number] | undefined;
const table = new JsonLines(config.maxLineBytes);
const interner = new Interner(table);
const mapper = new RecordMapper(config);
const fast = new FastJson(mapper);
const event: FastEvent = { time: NaN, failure: false, ipStart: 0, ipEnd: 0, userStart: 0, userEnd: 0 };

type Columns = Pick<Batch, 'kinds' | 'lineNos' | 'times' | 'failures' | 'starts' | 'ends' | 'ips' | 'users'>;

/**
 * The columns of batches live in a ring of buffers shared with the other thread (see RING), as the chunks of
 * a file do, so no batch allocates any.
 */
const columns: Columns[] = [];
let batchTurn = -1;

/** The next batch, empty, in the next columns of the ring. */
function fresh(): Batch {
  const k = ++batchTurn % RING;
  return { count: 0, ...(columns[k] ??= sharedColumns(RECORDS)), strings: [], reset: false, texts: [], sizes: [], places: [], format: undefined, lineNo: 0 };
}

function sharedColumns(capacity: number): Columns {
  const column = <T>(Column: new (buffer: SharedArrayBuffer) => T, bytes: number) => new Column(new SharedArrayBuffer(capacity * bytes));
  return {
    kinds: column(Uint8Array, 1),
    lineNos: column(Int32Array, 4),
    times: column(Float64Array, 8),
    failures: column(Uint8Array, 1),
    starts: column(Int32Array, 4),
    ends: column(Int32Array, 4),
    ips: column(Int32Array, 4),
    users: column(Int32Array, 4),
  };
}

let batch = fresh();

function record(kind: number, lineNo: number): number {
  if (batch.count === batch.kinds.length) grow();
  const i = batch.count++;
  batch.kinds[i] = kind;
  batch.lineNos[i] = lineNo;
  return i;
}

/** Twice the room for the batch, kept in its place of the ring. */
function grow(): void {
  const wider = sharedColumns(batch.kinds.length * 2);
  for (const name of Object.keys(wider) as (keyof Columns)[]) wider[name].set(batch[name] as never);
  columns[batchTurn % RING] = wider;
  Object.assign(batch, wider);
}

/**
 * Sends the batch: at the end of each chunk only, as the chunk goes with it and cannot be read here after.
 * A fed chunk is always answered, even with no line, so the feeder can count what is in flight.
 */
function flush(always = false): void {
  if (batch.count === 0 && !always) return;
  // Shared buffers are not moved: only a fed chunk is.
  const transfer: ArrayBuffer[] = [];
  if (!chunkSent && chunk) {
    batch.chunk = chunk.buffer;
    if (!(batch.chunk instanceof SharedArrayBuffer)) transfer.push(batch.chunk);
    chunkSent = true;
  }
  idsOfQueued();
  batch.format = reader.format;
  batch.lineNo = reader.lineNo;
  const { strings, reset } = interner.take();
  batch.strings = strings;
  batch.reset = reset;
  // Wait while the detecting thread is IN_FLIGHT batches behind.
  const sent = Atomics.add(control, 0, 1) + 1;
  send({ type: 'batch', batch }, transfer);
  for (let done = Atomics.load(control, 1); sent - done > IN_FLIGHT; done = Atomics.load(control, 1)) Atomics.wait(control, 1, done);
  batch = fresh();
}

const reader = new LineReader(createParsers(config), options.format, {
  blank: () => void record(BLANK, 0),
  oversized: (lineNo, head, bytes) => {
    record(OVERSIZED, lineNo);
    batch.texts.push(head);
    batch.sizes.push(bytes);
  },
  parsed: (lineNo, text, result, current) => {
    if (result === 'malformed') {
      record(MALFORMED, lineNo);
      batch.texts.push(text);
    } else if (result === 'ignored') {
      record(IGNORED, lineNo);
    } else {
      const i = record(EVENT, lineNo);
      batch.times[i] = result.time;
      batch.failures[i] = result.failure ? 1 : 0;
      // A line of the chunk with a byte per character: its values are found in the chunk, and their lookups
      // queued with the chunk's (see fastLine), so their cache misses overlap.
      const line = current && at && at[1] - at[0] === text.length ? at[0] : -1;
      batch.ips[i] = line < 0 ? interner.text(result.ip) : interner.inLine(text, result.ip, line);
      batch.users[i] = line < 0 ? interner.text(result.user) : interner.inLine(text, result.user, line);
      if (current && at) [batch.starts[i], batch.ends[i]] = at;
      else {
        batch.starts[i] = -1;
        batch.texts.push(text);
      }
      if (result.lat !== undefined || result.country !== undefined) batch.places.push({ record: i, lat: result.lat, lon: result.lon, country: result.country });
    }
  },
});

const splitter = new LineSplitter(config.maxLineBytes, {
  bulk: (bytes, start) => (bytes === chunk && reader.format === 'json' ? bulkLines(start) : start),
  line: (bytes, start, end) => {
    // JSON and access lines go the fast way first; the reader numbers them all the same.
    if (reader.format === 'json') {
      const result = fast.read(bytes, start, end, event);
      if (result !== undefined) {
        table.learn(fast);
        return fastLine(result, bytes, start, end);
      }
    } else if (reader.format === 'combined') {
      const result = readAccessLine(bytes, start, end, event);
      if (result !== undefined) return fastLine(result, bytes, start, end);
    }
    at = bytes === chunk ? [start, end] : undefined;
    reader.line(bytes.toString('utf8', start, end));
  },
  oversized: (head, bytes) => reader.oversized(head, bytes),
});

/**
 * The lines of the chunk from `start` on that the bulk path reads (those of the shape the fast path read
 * last), recorded as the fast path records them; where it stopped.
 */
function bulkLines(start: number): number {
  const { next, count, records } = table.run(start, chunk!.length);
  if (count === 0) return next;
  while (batch.count + count > batch.kinds.length) grow();
  const at = batch.count;
  batch.kinds.set(records.kinds.subarray(0, count), at);
  batch.failures.set(records.failures.subarray(0, count), at);
  batch.times.set(records.times.subarray(0, count), at);
  batch.starts.set(records.starts.subarray(0, count), at);
  batch.ends.set(records.ends.subarray(0, count), at);
  batch.users.set(records.users.subarray(0, count), at);
  batch.ips.set(records.ips.subarray(0, count), at);
  for (let i = at; i < at + count; i++) batch.lineNos[i] = reader.numberLine();
  batch.count += count;
  return next;
}

/** A line the fast path read: recorded as the reader would have, numbered by it. */
function fastLine(result: FastEvent | 'ignored', bytes: Buffer, start: number, end: number): void {
  const lineNo = reader.numberLine();
  if (result === 'ignored') {
    record(IGNORED, lineNo);
    return;
  }
  const i = record(EVENT, lineNo);
  batch.times[i] = result.time;
  batch.failures[i] = result.failure ? 1 : 0;
  if (bytes === chunk) {
    // Their ids are looked up with the rest of the chunk's when it is sent (see flush); until then the
    // columns hold -1 - their numbers in the queue.
    batch.users[i] = -1 - interner.queue(result.userStart, result.userEnd);
    batch.ips[i] = -1 - interner.queue(result.ipStart, result.ipEnd);
    batch.starts[i] = start;
    batch.ends[i] = end;
  } else {
    batch.users[i] = interner.bytes(bytes, result.userStart, result.userEnd);
    batch.ips[i] = interner.bytes(bytes, result.ipStart, result.ipEnd);
    batch.starts[i] = -1;
    batch.texts.push(bytes.toString('utf8', start, end));
  }
}

/** Looks up the ids queued for the events of the batch, all at once, and puts them in its columns. */
function idsOfQueued(): void {
  const ids = interner.lookUpQueued();
  const { kinds, users, ips, count } = batch;
  for (let i = 0; i < count; i++) {
    // Other records keep what the columns held before.
    if (kinds[i] !== EVENT) continue;
    if (users[i]! < 0) users[i] = ids[-1 - users[i]!]!;
    if (ips[i]! < 0) ips[i] = ids[-1 - ips[i]!]!;
  }
}

/** Makes `next` the chunk lines are read from, here and in the WebAssembly module. */
function use(next: Buffer): void {
  chunk = next;
  chunkSent = false;
  table.load(next);
}

/**
 * The file's chunks are read into a ring of buffers shared with the other thread (see RING). A chunk that was
 * not sent (no line ended in it) is not the other thread's: its buffer is read into again. Fresh memory for each
 * chunk would cost a page fault every 4 KiB here and garbage collection there.
 */
const ring: SharedArrayBuffer[] = [];
let turn = -1;
/** The first chunk is small: the detecting thread waits for it, and it is read while this thread's code is cold. */
const FIRST_CHUNK = 64 * 1024;

/** The next chunk of the file, in the next buffer of the ring. */
function readChunk(fd: number): Buffer | undefined {
  if (chunkSent) turn++;
  const k = turn % RING;
  const next = Buffer.from((ring[k] ??= new SharedArrayBuffer(options.chunkBytes)));
  const bytesRead = readSync(fd, next, 0, chunk ? next.length : Math.min(next.length, FIRST_CHUNK), null);
  return bytesRead === 0 ? undefined : next.subarray(0, bytesRead);
}

/** Reads and parses the whole file; what went wrong reading it, if anything. */
function readAll(file: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    for (let next = readChunk(fd); next; next = readChunk(fd)) {
      use(next);
      splitter.push(next);
      flush();
    }
    return undefined;
  } catch (error) {
    return `cannot read ${file}: ${describeError(error)}`;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function finish(): void {
  splitter.end();
  reader.detect();
  flush();
  send({ type: 'done' });
}

if (options.file !== undefined) {
  const failure = readAll(options.file);
  if (failure) send({ type: 'error', message: failure });
  else finish();
} else {
  parentPort!.on('message', (message: FedChunk) => {
    if ('end' in message) {
      finish();
      parentPort!.close();
      return;
    }
    use(Buffer.from(message.chunk, 0, message.length));
    splitter.push(chunk!);
    flush(true);
  });
}
