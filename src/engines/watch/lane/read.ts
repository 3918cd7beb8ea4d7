import { ToolError } from '../../../core/errors.js';
import { startWorker } from '../../../core/worker.js';
import type { AuthEvent } from '../event.js';
import type { Ingest, Source } from '../ingest.js';
import type { ConcreteFormat } from '../parsers/index.js';
import { BLANK, EVENT, IGNORED, MALFORMED, OVERSIZED, type Batch, type LaneMessage, type LaneOptions } from './protocol.js';

const CHUNK = 1 << 20;

/**
 * An event parsed on the reading thread. One object is filled in again for every event (detectors copy what
 * they keep), and its line is decoded from the chunk only when an alert quotes it.
 */
class LaneEvent implements AuthEvent {
  time = NaN;
  failure = false;
  ip = '';
  user = '';
  lat: number | undefined = undefined;
  lon: number | undefined = undefined;
  country: string | undefined = undefined;
  source = '';
  line = 0;
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

  get raw(): string {
    return (this.text ??= this.bytes!.toString('utf8', this.start, this.end));
  }

  set raw(text: string) {
    this.text = text;
  }
}

/**
 * Reads one file with its lines parsed on a second thread while this one runs detection: the two halves of
 * the work overlap. What reaches the detectors is what reading on this thread gives, line for line.
 */
export function readFileInLane(file: string, source: Source, ingest: Ingest, format: ConcreteFormat | undefined, chunkBytes = CHUNK): Promise<void> {
  const control = new SharedArrayBuffer(8);
  const counters = new Int32Array(control);
  const options: LaneOptions = { file, config: ingest.config, format, chunkBytes, control };
  const worker = startWorker(import.meta.url, 'worker', options);
  const event = new LaneEvent();
  let chunk: Buffer | undefined;
  let strings: string[] = [];

  function run(batch: Batch): void {
    if (batch.chunk) chunk = Buffer.from(batch.chunk);
    if (batch.reset) strings = [];
    for (const text of batch.strings) strings.push(text);
    let text = 0;
    let size = 0;
    let place = 0;
    for (let i = 0; i < batch.count; i++) {
      const kind = batch.kinds[i];
      const lineNo = batch.lineNos[i]!;
      if (kind === EVENT) {
        const start = batch.starts[i]!;
        const e = event.from(chunk, start, batch.ends[i]!, start >= 0 ? undefined : batch.texts[text++]);
        e.time = batch.times[i]!;
        e.failure = batch.failures[i] === 1;
        e.ip = strings[batch.ips[i]!]!;
        e.user = strings[batch.users[i]!]!;
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

  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const settle = (error?: Error) => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      if (error) reject(error);
      else resolve();
    };
    worker.on('message', (message: LaneMessage) => {
      if (message.type === 'batch') {
        try {
          run(message.batch);
        } catch (error) {
          settle(error as Error);
          return;
        }
        Atomics.add(counters, 1, 1);
        Atomics.notify(counters, 1);
      } else if (message.type === 'done') settle();
      else settle(new ToolError(message.message));
    });
    worker.once('error', (error) => settle(error));
    worker.once('exit', (code) => settle(new Error(`the parsing thread stopped before the end of ${file} (exit code ${code})`)));
  });
}
