import type { Worker } from 'node:worker_threads';
import { ToolError } from '../../../core/errors.js';
import { startWorker } from '../../../core/worker.js';
import type { AuthEvent } from '../event.js';
import type { Ingest, Source } from '../ingest.js';
import type { ConcreteFormat } from '../parsers/index.js';
import { LaneKeys, type KeyIds } from './keys.js';
import { BLANK, EVENT, IGNORED, MALFORMED, OVERSIZED, READ_AHEAD, type Batch, type FedChunk, type LaneMessage, type LaneOptions } from './protocol.js';

const CHUNK = 1 << 20;

/**
 * An event parsed on the parsing thread. One object is filled in again for every event (detectors copy what
 * they keep). Its IP and username come as ids and are read from the string table only when asked for (most
 * events need only their slots), and its line is decoded from the chunk only when an alert quotes it.
 */
class LaneEvent implements AuthEvent, KeyIds {
  time = NaN;
  failure = false;
  ipId = 0;
  userId = 0;
  /** The thread's string table, by id. */
  strings: string[] = [];
  lat: number | undefined = undefined;
  lon: number | undefined = undefined;
  country: string | undefined = undefined;
  source = '';
  line = 0;
  ipSlot = -1;
  userSlot = -1;
  private bytes: Buffer | undefined = undefined;
  private start = 0;
  private end = 0;
  private text: string | undefined = undefined;

  /** Where the line is: bytes[start, end), or its text when it was not in a chunk. */
  from(bytes: Buffer | undefined, start: number, end: number, text: string | undefined): this {
    this.bytes = bytes;
    this.start = start;
    this.end = end;
    this.text = text;
    this.lat = this.lon = undefined;
    this.country = undefined;
    return this;
  }

  get ip(): string {
    return this.strings[this.ipId]!;
  }

  get user(): string {
    return this.strings[this.userId]!;
  }

  get raw(): string {
    return (this.text ??= this.bytes!.toString('utf8', this.start, this.end));
  }

  set raw(text: string) {
    this.text = text;
  }
}

/**
 * A parsing thread and what this thread does with its batches: the lines of one input, parsed there while
 * detection runs here, so the two halves of the work overlap. What reaches the detectors is what reading on
 * this thread gives, line for line.
 */
class Lane {
  readonly finished: Promise<void>;
  private readonly worker: Worker;
  private readonly counters: Int32Array;
  // One event object carries every event in turn: detectors copy what they keep.
  private readonly event = new LaneEvent();
  private chunk: Buffer | undefined;
  private readonly keys: LaneKeys;
  /** Batches detected so far, and who waits for the next. */
  private batches = 0;
  private wake: (() => void) | undefined;
  private settled = false;

  constructor(
    private readonly source: Source,
    private readonly ingest: Ingest,
    input: { file?: string; format: ConcreteFormat | undefined; chunkBytes: number },
    what: string,
  ) {
    this.keys = new LaneKeys(ingest.keys, this.event);
    source.slots = this.keys.resolve;
    const control = new SharedArrayBuffer(8);
    this.counters = new Int32Array(control);
    const options: LaneOptions = { ...input, config: ingest.config, control };
    this.worker = startWorker(import.meta.url, 'worker', options);
    this.finished = new Promise<void>((resolve, reject) => {
      const settle = (error?: Error) => {
        if (this.settled) return;
        this.settled = true;
        void this.worker.terminate();
        this.wake?.();
        if (error) reject(error);
        else resolve();
      };
      this.worker.on('message', (message: LaneMessage) => {
        if (message.type === 'batch') {
          try {
            this.run(message.batch);
          } catch (error) {
            settle(error as Error);
            return;
          }
          this.batches++;
          Atomics.add(this.counters, 1, 1);
          Atomics.notify(this.counters, 1);
          this.wake?.();
        } else if (message.type === 'done') settle();
        else settle(new ToolError(message.message));
      });
      this.worker.once('error', (error) => settle(error));
      this.worker.once('exit', (code) => settle(new Error(`the parsing thread stopped before the end of ${what} (exit code ${code})`)));
    });
  }

  /**
   * Hands over a stream's chunks, gathered into chunks of about `chunkBytes` (a pipe gives 64 KiB at a time),
   * copied into buffers of their own (a stream's chunks may share memory), never more than READ_AHEAD
   * ahead of detection; then the end of the stream.
   */
  async feed(chunks: AsyncIterable<Buffer>, chunkBytes: number): Promise<void> {
    let sent = 0;
    let parts: Buffer[] = [];
    let size = 0;
    // The chunks are gathered into a ring of buffers shared with the thread: a chunk's buffer is free again once
    // its batch is detected, which READ_AHEAD chunks later it is (fresh memory per chunk costs page faults and
    // garbage on both threads).
    const ring: SharedArrayBuffer[] = [];
    const send = async () => {
      while (sent - this.batches >= READ_AHEAD && !this.settled) await new Promise<void>((resolve) => (this.wake = resolve));
      const k = sent % READ_AHEAD;
      if ((ring[k]?.byteLength ?? 0) < size) ring[k] = new SharedArrayBuffer(size);
      const whole = Buffer.from(ring[k]!);
      let at = 0;
      for (const part of parts) at += part.copy(whole, at);
      this.worker.postMessage({ chunk: ring[k]!, length: size } satisfies FedChunk);
      sent++;
      parts = [];
      size = 0;
    };
    for await (const chunk of chunks) {
      if (this.settled) return;
      parts.push(chunk);
      size += chunk.length;
      if (size >= chunkBytes) await send();
    }
    if (size > 0) await send();
    this.worker.postMessage({ end: true } satisfies FedChunk);
  }

  stop(): void {
    void this.worker.terminate();
  }

  private run(batch: Batch): void {
    const { source, ingest } = this;
    if (batch.chunk) this.chunk = Buffer.from(batch.chunk);
    const e = this.event;
    if (batch.reset) {
      e.strings = [];
      this.keys.reset();
    }
    for (const text of batch.strings) e.strings.push(text);
    let text = 0;
    let size = 0;
    let place = 0;
    for (let i = 0; i < batch.count; i++) {
      const kind = batch.kinds[i];
      const lineNo = batch.lineNos[i]!;
      if (kind === EVENT) {
        const start = batch.starts[i]!;
        e.from(this.chunk, start, batch.ends[i]!, start >= 0 ? undefined : batch.texts[text++]);
        e.time = batch.times[i]!;
        e.failure = batch.failures[i] === 1;
        e.ipId = batch.ips[i]!;
        e.userId = batch.users[i]!;
        const where = batch.places[place];
        if (where?.record === i) {
          place++;
          e.lat = where.lat;
          e.lon = where.lon;
          e.country = where.country;
        }
        ingest.parsed(source, lineNo, e);
      } else if (kind === BLANK) ingest.blank();
      else if (kind === IGNORED) ingest.parsed(source, lineNo, 'ignored');
      else if (kind === MALFORMED) ingest.parsed(source, lineNo, 'malformed', batch.texts[text++]);
      else if (kind === OVERSIZED) ingest.oversized(source, lineNo, batch.texts[text++]!, batch.sizes[size++]!);
    }
    source.reader.lineNo = batch.lineNo;
    if (batch.format && !source.format) source.reader.use(batch.format);
  }
}

/** Reads one file, its lines parsed on a second thread (which reads the file itself). */
export async function readFileInLane(file: string, source: Source, ingest: Ingest, format: ConcreteFormat | undefined, chunkBytes = CHUNK): Promise<void> {
  await new Lane(source, ingest, { file, format, chunkBytes }, file).finished;
}

/** Reads a stream (standard input), its lines parsed on a second thread: this one hands the chunks over. */
export async function readStreamInLane(chunks: AsyncIterable<Buffer>, source: Source, ingest: Ingest, format: ConcreteFormat | undefined): Promise<void> {
  const lane = new Lane(source, ingest, { format, chunkBytes: CHUNK }, 'standard input');
  const fed = lane.feed(chunks, CHUNK).catch((error: unknown) => {
    lane.stop();
    throw error;
  });
  await Promise.all([fed, lane.finished]);
}
