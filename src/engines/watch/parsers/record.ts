import type { FieldMap, WatchConfig } from '../config.js';
import type { ParseResult } from '../event.js';
import { parseTimestamp } from '../time.js';

type Field = keyof FieldMap;

/** Turns a flat key/value record (JSON, logfmt, Python extras) into an auth event, using the configured field names. */
export class RecordMapper {
  private readonly fields: FieldMap;
  private readonly failures: Set<string>;
  private readonly successes: Set<string>;
  /** Every field name the mapping reads, so scanners can skip the rest. */
  readonly names: ReadonlySet<string>;

  constructor(config: Pick<WatchConfig, 'fields' | 'failureValues' | 'successValues'>) {
    this.fields = config.fields;
    this.failures = new Set(config.failureValues.map((v) => v.toLowerCase()));
    this.successes = new Set(config.successValues.map((v) => v.toLowerCase()));
    this.names = new Set(Object.values(config.fields).flat());
  }

  private pick(record: Record<string, unknown>, field: Field): unknown {
    for (const name of this.fields[field]) {
      const value = record[name];
      if (value !== undefined && value !== null && value !== '') return value;
    }
    return undefined;
  }

  /** Failure or success from the event name, else from an HTTP status (401/403 fail; 2xx with a user succeeds). */
  private outcome(record: Record<string, unknown>, user: string, status: number | undefined): boolean | undefined {
    for (const name of this.fields.event) {
      const value = record[name];
      if (typeof value !== 'string') continue;
      const lower = value.toLowerCase();
      if (this.failures.has(lower)) return true;
      if (this.successes.has(lower)) return false;
    }
    if (status === 401 || status === 403) return true;
    if (status !== undefined && status >= 200 && status < 300 && user) return false;
    return undefined;
  }

  map(record: Record<string, unknown>): ParseResult {
    const user = text(this.pick(record, 'user'));
    const statusValue = Number(this.pick(record, 'status'));
    const status = Number.isInteger(statusValue) ? statusValue : undefined;
    const failure = this.outcome(record, user, status);
    if (failure === undefined) return 'ignored';
    const event: Exclude<ParseResult, string> = {
      time: parseTimestamp(this.pick(record, 'time')),
      failure,
      ip: text(this.pick(record, 'ip')),
      user,
    };
    const method = this.pick(record, 'method');
    if (typeof method === 'string') event.method = method;
    const path = this.pick(record, 'path');
    if (typeof path === 'string') event.path = path;
    if (status !== undefined) event.status = status;
    const lat = Number(this.pick(record, 'lat'));
    const lon = Number(this.pick(record, 'lon'));
    if (Number.isFinite(lat) && Number.isFinite(lon) && this.pick(record, 'lat') !== undefined) {
      event.lat = lat;
      event.lon = lon;
    }
    const country = this.pick(record, 'country');
    if (typeof country === 'string') event.country = country.toUpperCase();
    return event;
  }
}

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return '';
}
