import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { ToolError, describeError } from '../../../core/errors.js';
import type { Source } from '../ingest.js';

const CHUNK = 1 << 20;

/** Reads a whole stream (stdin) into a source; `live` streams are followed, so each chunk is acted on at once. */
export async function readStream(stream: Readable, source: Source, live = false): Promise<void> {
  for await (const chunk of buffers(stream)) {
    source.push(chunk);
    if (live) source.idle();
  }
  source.end();
}

/** A stream's chunks as bytes (a stream with an encoding set gives strings). */
export async function* buffers(stream: Readable): AsyncGenerator<Buffer> {
  for await (const chunk of stream) yield typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
}

/** Reads a file once, start to end. */
export async function readFileSource(file: string, source: Source): Promise<void> {
  try {
    await readStream(createReadStream(file, { highWaterMark: CHUNK }), source);
  } catch (error) {
    throw new ToolError(`cannot read ${file}: ${describeError(error)}`);
  }
}
