import type { ConcreteFormat } from '../parsers/index.js';

/** What a line turned out to be, per record of a batch. */
export const BLANK = 0;
export const OVERSIZED = 1;
export const MALFORMED = 2;
export const IGNORED = 3;
export const EVENT = 4;

/** Where an event was found, only for the few that say (impossible travel is the one rule that reads it). */
export interface Place {
  record: number;
  lat?: number;
  lon?: number;
  country?: string;
}

/**
 * The lines completed by one chunk of input, parsed, as columns, one record per line. Strings travel only
 * where they must: an event's line stays in the chunk of bytes it came from (moved across with the batch,
 * not copied), and is decoded only if an alert quotes it.
 */
export interface Batch {
  count: number;
  kinds: Uint8Array;
  lineNos: Int32Array;
  times: Float64Array;
  failures: Uint8Array;
  /** The event's line in the latest chunk; -1 when its text is in `texts` instead (a line cut by a chunk end). */
  starts: Int32Array;
  ends: Int32Array;
  /** Per event, its client IP and username as ids of the string table (see `strings`). */
  ips: Int32Array;
  users: Int32Array;
  /**
   * The strings that got ids in this batch, in id order, after the table was emptied when `reset`: each
   * distinct IP and username crosses threads once, and arrives as one string, so lookups compare pointers.
   */
  strings: string[];
  reset: boolean;
  /** In order: malformed lines, oversized heads, and event lines not in the chunk. */
  texts: string[];
  /** Per oversized line, its length in bytes. */
  sizes: number[];
  places: Place[];
  /** New bytes read: events from here on refer to it (shared when the thread reads a file: see worker.ts). */
  chunk?: ArrayBuffer | SharedArrayBuffer;
  /** The input's format and lines numbered so far, as the reader knows them at the end of the batch. */
  format: ConcreteFormat | undefined;
  lineNo: number;
}

export interface LaneOptions {
  /** The file the thread reads; without one, it is fed the chunks of a stream (see FedChunk). */
  file?: string;
  /** The watch config, as plain data: the thread builds its own parsers from it. */
  config: unknown;
  format: ConcreteFormat | undefined;
  chunkBytes: number;
  /** [batches sent, batches done]: the thread waits on it so no more than a few batches are ever queued. */
  control: SharedArrayBuffer;
}

/** A chunk of a stream for the thread to parse (shared, not copied), or the end of the stream. */
export type FedChunk = { chunk: ArrayBuffer | SharedArrayBuffer; length: number } | { end: true };

export type LaneMessage = { type: 'batch'; batch: Batch } | { type: 'done' } | { type: 'error'; message: string };

/** Batches sent but not yet detected, at most: the reader waits beyond it. */
export const IN_FLIGHT = 4;

/**
 * Chunks of a stream handed to the parsing thread ahead of detection, at most: more than it has batches in
 * flight, so it always has the next chunk when this thread, busy detecting, is slow to read the stream.
 */
export const READ_AHEAD = 2 * IN_FLIGHT;
