import { Redactor } from '../../src/core/redact.js';
import type { Alert, AlertChange } from '../../src/engines/watch/alerts.js';
import { resolveWatchConfig } from '../../src/engines/watch/config.js';
import type { AuthEvent } from '../../src/engines/watch/event.js';
import { Ingest } from '../../src/engines/watch/ingest.js';

export const T0 = Date.UTC(2024, 4, 1, 12, 0, 0);
export const SEC = 1000;
export const MIN = 60_000;

export type Ev = Partial<AuthEvent> & { time: number };

/** `n` events `every` ms apart from `start`, built by `make(i)`. */
export function series(n: number, start: number, every: number, make: (i: number) => Partial<AuthEvent>): Ev[] {
  return Array.from({ length: n }, (_, i) => ({ time: start + i * every, ...make(i) }));
}

/** Runs events straight into the detectors (no parsing) and returns every alert and every announced change. */
export function detect(events: Ev[], config: unknown = {}): { alerts: Alert[]; changes: { id: string; change: AlertChange; severity: string }[] } {
  const changes: { id: string; change: AlertChange; severity: string }[] = [];
  const ingest = new Ingest(resolveWatchConfig(config), new Redactor(), (a, change) => changes.push({ id: a.id, change, severity: a.severity }));
  events.forEach((e, i) => ingest.event({ failure: true, ip: '', user: '', source: 'test', line: i + 1, raw: JSON.stringify(e), ...e }));
  return { alerts: ingest.alerts.all(), changes };
}

/** Alerts of one rule as `key` strings. */
export function keysOf(alerts: Alert[], ruleId: string): string[] {
  return alerts.filter((a) => a.ruleId === ruleId).map((a) => a.key);
}
