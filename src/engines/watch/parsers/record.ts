import type { FieldMap, WatchConfig } from '../config.js';
import type { ParseResult } from '../event.js';
import { parseTimestamp } from '../time.js';
import { KeyTable } from './flat-json.js';

type Field = keyof FieldMap;

/**
 * Turns a flat key/value record (JSON, logfmt, Python extras) into an auth event, using the configured field
 * names. It reads the record's values by name index (see `names`), so the fast JSON scanner can hand over an
 * array instead of building an object.
 */
export class RecordMapper {
  private readonly failures: Set<string>;
  private readonly successes: Set<string>;
  /** Every field name the mapping reads, each once; `values` arrays are indexed like it. */
  readonly names: readonly string[];
  readonly keys: KeyTable;
  /** Each name's index in `names`. */
  private readonly index: Map<string, number>;
  /** Per field, the indices of its names in `names`, in order of preference. */
  private readonly slots: Record<Field, number[]>;
  private readonly scratch: unknown[];
  private lastValue: string | undefined;
  private lastKind: boolean | undefined;

  constructor(config: Pick<WatchConfig, 'fields' | 'failureValues' | 'successValues'>) {
    this.failures = new Set(config.failureValues.map((v) => v.toLowerCase()));
    this.successes = new Set(config.successValues.map((v) => v.toLowerCase()));
    this.names = [...new Set(Object.values(config.fields).flat())];
    const index = new Map(this.names.map((name, i) => [name, i]));
    this.index = index;
    this.slots = Object.fromEntries(Object.entries(config.fields).map(([field, names]) => [field, names.map((name) => index.get(name)!)])) as Record<Field, number[]>;
    this.keys = new KeyTable(this.names);
    this.scratch = this.names.map(() => undefined);
  }

  /** A values array with nothing set, for one line (reused: read it before the next call). */
  blank(): unknown[] {
    return this.scratch.fill(undefined);
  }

  /** The first value set for one field's names (its slots), skipping empty ones. */
  private pick(values: readonly unknown[], slots: readonly number[]): unknown {
    for (const slot of slots) {
      const value = values[slot];
      if (value !== undefined && value !== null && value !== '') return value;
    }
    return undefined;
  }

  /** Failure or success from the event name, else from an HTTP status (401/403 fail; 2xx with a user succeeds). */
  private outcome(values: readonly unknown[], user: string, status: number | undefined): boolean | undefined {
    for (const slot of this.slots.event) {
      const value = values[slot];
      if (typeof value !== 'string') continue;
      const kind = this.classify(value);
      if (kind !== undefined) return kind;
    }
    if (status === 401 || status === 403) return true;
    if (status !== undefined && status >= 200 && status < 300 && user) return false;
    return undefined;
  }

  /** Per field, the indices of its names in `names`, in order of preference (for readers that pick themselves). */
  fieldSlots(): Readonly<Record<Field, readonly number[]>> {
    return this.slots;
  }

  /** True for a failure value, false for a success, undefined for neither; the last answer is kept, as logs repeat it. */
  classify(value: string): boolean | undefined {
    if (value === this.lastValue) return this.lastKind;
    const lower = value.toLowerCase();
    this.lastKind = this.failures.has(lower) ? true : this.successes.has(lower) ? false : undefined;
    this.lastValue = value;
    return this.lastKind;
  }

  map(record: Record<string, unknown>): ParseResult {
    return this.mapValues(this.valuesOf(record));
  }

  /** The values of a record (see `blank`), by its own keys. */
  valuesOf(record: Record<string, unknown>): unknown[] {
    const values = this.blank();
    // By the record's own keys (a handful), not by every name (40 by default): a record's shape changes from
    // line to line, and looking up an absent name costs a slow lookup of its own.
    for (const key of Object.keys(record)) {
      const i = this.index.get(key);
      if (i !== undefined) values[i] = record[key];
    }
    return values;
  }

  /** The value of the field name `name` in `values`; undefined when absent, or when the mapping never reads it. */
  get(values: readonly unknown[], name: string): unknown {
    const i = this.index.get(name);
    return i === undefined ? undefined : values[i];
  }

  /** Sets the value of `name` in `values`, when the mapping reads that name. */
  set(values: unknown[], name: string, value: unknown): void {
    const i = this.index.get(name);
    if (i !== undefined) values[i] = value;
  }

  /** The event from the values of `names` (values[i] is the value of names[i], undefined when absent). */
  mapValues(values: readonly unknown[]): ParseResult {
    const user = text(this.pick(values, this.slots.user));
    const statusValue = Number(this.pick(values, this.slots.status));
    const status = Number.isInteger(statusValue) ? statusValue : undefined;
    const failure = this.outcome(values, user, status);
    if (failure === undefined) return 'ignored';
    const event: Exclude<ParseResult, string> = {
      time: parseTimestamp(this.pick(values, this.slots.time)),
      failure,
      ip: text(this.pick(values, this.slots.ip)),
      user,
    };
    const method = this.pick(values, this.slots.method);
    if (typeof method === 'string') event.method = method;
    const path = this.pick(values, this.slots.path);
    if (typeof path === 'string') event.path = path;
    if (status !== undefined) event.status = status;
    const latValue = this.pick(values, this.slots.lat);
    const lat = Number(latValue);
    const lon = Number(this.pick(values, this.slots.lon));
    if (Number.isFinite(lat) && Number.isFinite(lon) && latValue !== undefined) {
      event.lat = lat;
      event.lon = lon;
    }
    const country = this.pick(values, this.slots.country);
    if (typeof country === 'string') event.country = country.toUpperCase();
    return event;
  }
}

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return '';
}
