import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastJson } from './fast-json.js';

/**
 * The parsing thread's WebAssembly part (wasm/json-lines.ts, built by `npm run build:wasm`): the bulk path for
 * JSON lines of a shape the fast path has read (see there), and the table of ids for IPs and usernames. This
 * side copies each chunk into the module's memory, gives it templates and event values, and reads back its
 * records as columns.
 */

/** Built next to the compiled thread; from sources, the built copy in dist (the paths have the same depth). */
const MODULE = new URL('../../../../dist/engines/watch/lane/json-lines.wasm', import.meta.url);

// Node has WebAssembly; TypeScript's ES libraries do not declare it.
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: object };
};

/** A line's shape, as the fast path read it (see FastJson.template). */
export interface Template {
  /** Per value, the bytes before it (from the brace or comma) and whether it is a string. */
  gaps: Uint8Array[];
  strings: boolean[];
  /** Per field (user, IP, event, time, status), the values that may give it, in the order they are picked. */
  fields: number[][];
}

/**
 * The module has room in a chunk for two queued lookups per this many bytes (the shortest JSON event line and
 * its newline): only lines at least this long may queue theirs.
 */
export const QUEUED_LINE_BYTES = 8;

/** Room the module has for a template and event values (see wasm/json-lines.ts). */
const PROGRAM_INTS = 1024;
const GAP_BYTES = 8192;
const MAX_VALUES = 256;
const MAX_KNOWN = 16;
/** Each event value's room in the module's 4 KiB of them. */
const MAX_KNOWN_BYTES = 255;

interface Exports {
  memory: { buffer: ArrayBuffer };
  reserve(chunkBytes: number, scratchBytes: number): number;
  loaded(length: number): void;
  setKnown(count: number): void;
  recordsRead(): number;
  run(from: number, end: number, maxLine: number): number;
  queueSpan(start: number, end: number): number;
  lookUpQueued(): number;
  lookUpScratch(length: number): number;
  clearTable(): void;
}

/** The columns of the records of a `run`, views of the module's memory. */
export interface Records {
  kinds: Uint8Array;
  failures: Uint8Array;
  times: Float64Array;
  starts: Int32Array;
  ends: Int32Array;
  /** -1 - the number in the queue of the lookup of the username, and of the IP (see Interner). */
  users: Int32Array;
  ips: Int32Array;
}

export class JsonLines {
  /** The id of a string not in the table, `stored` there from now on or not: the interner's. */
  fresh: (text: string, stored: boolean) => number = () => {
    throw new Error('no interner');
  };
  private readonly wasm: Exports;
  private bytes: Buffer;
  private chunkAt = 0;
  private scratchAt = 0;
  private chunkRoom = -1;
  private records: Records | undefined;
  private queueIds = new Int32Array(0);
  private layout: number[] = [];
  /** Event values written to the module, and those of the fast path looked at. */
  private knownCount = 0;
  private knownSeen = 0;
  /** The fast path's count of shapes when the template was taken from it. */
  private shape = -1;

  constructor(readonly maxLineBytes: number) {
    if (!existsSync(MODULE)) throw new Error(`the parsing thread's WebAssembly module is missing (${fileURLToPath(MODULE)}): run npm run build`);
    const imports = {
      'json-lines': {
        fresh: (ptr: number, length: number, stored: number) => this.fresh(this.bytes.toString('latin1', ptr, ptr + length), stored === 1),
        utcSeconds: (ptr: number) => Date.parse(`${this.bytes.toString('latin1', ptr, ptr + 19)}Z`),
      },
    };
    const instance = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(MODULE)), imports);
    this.wasm = instance.exports as unknown as Exports;
    this.bytes = Buffer.alloc(0);
    this.reserve(1 << 16);
  }

  /** Copies `chunk` into the module, for `run` and the queued lookups of its values (which it empties). */
  load(chunk: Buffer): void {
    if (chunk.length > this.chunkRoom) this.reserve(chunk.length);
    this.bytes.set(chunk, this.chunkAt);
    this.wasm.loaded(chunk.length);
  }

  /**
   * Reads the lines of the loaded chunk from `from` on that have the template's shape, up to the first that
   * does not; returns where it stopped, and the records it read (`count` of them).
   */
  run(from: number, end: number): { next: number; count: number; records: Records } {
    const next = this.wasm.run(from, end, this.maxLineBytes);
    return { next, count: this.wasm.recordsRead(), records: this.records! };
  }

  /**
   * Takes the shape of the line the fast path has just read as the template (when it changed: see
   * FastJson.shape), and the event values it has met.
   */
  learn(fast: FastJson): void {
    if (fast.shape !== this.shape) {
      this.shape = fast.shape;
      this.setTemplate(fast.template());
    }
    for (; this.knownSeen < fast.known.length; this.knownSeen++) this.addKnown(fast.known[this.knownSeen]!.value.bytes, fast.known[this.knownSeen]!.kind);
  }

  /** Makes `template` the shape `run` reads; when it does not fit the module, `run` reads nothing. */
  private setTemplate(template: Template): void {
    const program = new Int32Array(this.bytes.buffer, this.layout[10]!, PROGRAM_INTS);
    program[0] = 0;
    if (template.gaps.length > MAX_VALUES) return;
    const ints = [template.gaps.length];
    let offset = 0;
    template.gaps.forEach((gap, k) => {
      ints.push(offset, gap.length, template.strings[k] ? 1 : 0);
      offset += gap.length;
    });
    for (const field of template.fields) ints.push(field.length, ...field);
    if (ints.length > PROGRAM_INTS || offset > GAP_BYTES) return;
    let at = this.layout[11]!;
    for (const gap of template.gaps) {
      this.bytes.set(gap, at);
      at += gap.length;
    }
    program.set(ints.slice(1), 1);
    program[0] = ints[0]!;
  }

  /**
   * Tells the module the meaning of one more event value: true for a failure, false for a success, undefined
   * for neither. Past its room (values of up to MAX_KNOWN_BYTES), lines with other values are read here.
   */
  private addKnown(value: Uint8Array, kind: boolean | undefined): void {
    if (this.knownCount === MAX_KNOWN || value.length > MAX_KNOWN_BYTES) return;
    const entries = new Int32Array(this.bytes.buffer, this.layout[12]!, 3 * MAX_KNOWN);
    const offset = this.knownCount * MAX_KNOWN_BYTES;
    this.bytes.set(value, this.layout[13]! + offset);
    entries.set([offset, value.length, kind === undefined ? 0 : kind ? 1 : 2], 3 * this.knownCount);
    this.wasm.setKnown(++this.knownCount);
  }

  /** Queues the lookup of the loaded chunk's bytes [start, end); its number in the queue. */
  queue(start: number, end: number): number {
    return this.wasm.queueSpan(start, end);
  }

  /** The ids of what was queued, by number in the queue; the queue is then empty. */
  lookUpQueued(): Int32Array {
    this.wasm.lookUpQueued();
    return this.queueIds;
  }

  /** The id of line[start, end), looked up now. */
  lookUp(line: Uint8Array, start: number, end: number): number {
    this.bytes.set(line.subarray(start, end), this.scratchAt);
    return this.wasm.lookUpScratch(end - start);
  }

  /** The id of `text` (ASCII, of up to maxLineBytes), looked up now. */
  lookUpAscii(text: string): number {
    return this.wasm.lookUpScratch(this.bytes.write(text, this.scratchAt, 'latin1'));
  }

  clearTable(): void {
    this.wasm.clearTable();
  }

  private reserve(chunkBytes: number): void {
    const at = this.wasm.reserve(chunkBytes, this.maxLineBytes);
    const buffer = this.wasm.memory.buffer;
    this.bytes = Buffer.from(buffer);
    this.layout = Array.from(new Int32Array(buffer, at, 15));
    const [chunk, scratch, kinds, failures, times, starts, ends, users, ips, queueIds] = this.layout as [number, number, number, number, number, number, number, number, number, number];
    const cap = this.layout[14]!;
    this.chunkAt = chunk;
    this.scratchAt = scratch;
    this.chunkRoom = chunkBytes;
    this.records = {
      kinds: new Uint8Array(buffer, kinds, cap),
      failures: new Uint8Array(buffer, failures, cap),
      times: new Float64Array(buffer, times, cap),
      starts: new Int32Array(buffer, starts, cap),
      ends: new Int32Array(buffer, ends, cap),
      users: new Int32Array(buffer, users, cap),
      ips: new Int32Array(buffer, ips, cap),
    };
    this.queueIds = new Int32Array(buffer, queueIds, 2 * cap);
  }
}
