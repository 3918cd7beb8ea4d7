import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { ToolError, describeError } from '../../../core/errors.js';
import type { AuthEvent } from '../event.js';
import type { Ingest, Source } from '../ingest.js';
import { buffers } from './read.js';

/** Small chunks: every input holds at most about one chunk of events while the others catch up. */
const CHUNK = 64 * 1024;
/** Inputs merged at once (open files); more are merged in groups, oldest first, as globs of rotated logs are. */
const WIDTH = 64;

/** Pulls an input's bytes one chunk at a time, so the merge decides which input to read next. */
export interface ChunkReader {
  source: Source;
  /** The next chunk, undefined at the end. */
  next: () => Promise<Buffer | undefined>;
  close: () => Promise<void>;
}

/** Reads `file` from the start up to `end` bytes (the whole file when undefined). */
export async function fileReader(file: string, source: Source, end = Infinity): Promise<ChunkReader> {
  const handle = await open(file, 'r').catch((error: unknown) => {
    throw new ToolError(`cannot read ${file}: ${describeError(error)}`);
  });
  const buffer = Buffer.allocUnsafe(CHUNK);
  let position = 0;
  return {
    source,
    async next() {
      const length = Math.min(CHUNK, end - position);
      if (length <= 0) return undefined;
      const { bytesRead } = await handle.read(buffer, 0, length, position).catch((error: unknown) => {
        throw new ToolError(`cannot read ${file}: ${describeError(error)}`);
      });
      position += bytesRead;
      return bytesRead === 0 ? undefined : buffer.subarray(0, bytesRead);
    },
    close: () => handle.close(),
  };
}

export function streamReader(stream: Readable, source: Source): ChunkReader {
  const chunks = buffers(stream);
  return {
    source,
    async next() {
      const { value, done } = await chunks.next();
      return done ? undefined : value;
    },
    close: async () => {
      await chunks.return(undefined);
    },
  };
}

/**
 * Reads several inputs as one stream in event-time order, so logs of the same period (two servers, two
 * vhosts) are not taken as hours late. The input read next is always the one whose newest event is the
 * oldest; events up to the oldest of those newest times are then released, sorted, to the detectors.
 */
export async function mergeInputs(openers: readonly Opener[], ingest: Ingest, options: MergeOptions = {}): Promise<void> {
  for (let i = 0; i < openers.length; i += WIDTH) await mergeGroup(openers.slice(i, i + WIDTH), ingest, options);
}

type Opener = () => Promise<ChunkReader>;

export interface MergeOptions {
  /** The inputs go on (a backlog before following): a last line without its newline stays pending. */
  partial?: boolean;
}

async function mergeGroup(openers: readonly Opener[], ingest: Ingest, options: MergeOptions): Promise<void> {
  const readers: ChunkReader[] = [];
  const live: ChunkReader[] = [];
  try {
    for (const opener of openers) {
      const reader = await opener();
      reader.source.held = [];
      readers.push(reader);
      live.push(reader);
    }
    while (live.length > 0) {
      const reader = live.reduce((a, b) => (b.source.frontier < a.source.frontier ? b : a));
      const chunk = await reader.next();
      if (chunk) reader.source.push(chunk);
      else {
        if (options.partial) reader.source.idle();
        else reader.source.end();
        live.splice(live.indexOf(reader), 1);
        await reader.close();
      }
      release(readers, ingest, live.length > 0 ? Math.min(...live.map((r) => r.source.frontier)) : Infinity);
    }
  } finally {
    await Promise.all(live.map((r) => r.close()));
    for (const r of readers) r.source.held = undefined;
  }
}

/** Hands every held event at or before `upTo` to the detectors, oldest first. */
function release(readers: readonly ChunkReader[], ingest: Ingest, upTo: number): void {
  const ready: AuthEvent[] = [];
  for (const { source } of readers) {
    const held = source.held!;
    if (held.length === 0) continue;
    const kept: AuthEvent[] = [];
    for (const event of held) (event.time <= upTo ? ready : kept).push(event);
    source.held = kept;
  }
  ready.sort((a, b) => a.time - b.time);
  for (const event of ready) ingest.admit(event);
}
