import type { AuthEvent } from './event.js';
import { SlotTable, type KeySpace } from './keys.js';
import type { DetectionKeys } from './rules/context.js';

const TOP = 10;
const MAX_BUCKETS = 240;

/**
 * The forensic summary of a run: who failed most (by IP and by username) and failures over time.
 * Counters live in the capped key spaces of detection, so heavy hitters stay exact and the long tail is evicted.
 */
export class ForensicSummary {
  private readonly ips: Counts;
  private readonly users: Counts;
  private readonly buckets = new Map<number, number>();
  private bucketMs = 60_000;
  failures = 0;
  successes = 0;
  firstTime = Infinity;
  lastTime = -Infinity;
  /** The top lists as of `events` events: the report's stats and the terminal's text both show them. */
  private tops: { events: number; ips: [string, number][]; users: [string, number][] } | undefined;

  constructor(private readonly keys: DetectionKeys) {
    this.ips = new SlotTable(keys.ip, ['n']);
    this.users = new SlotTable(keys.user, ['n']);
  }

  add(event: AuthEvent): void {
    if (event.time < this.firstTime) this.firstTime = event.time;
    if (event.time > this.lastTime) this.lastTime = event.time;
    if (!event.failure) {
      this.successes++;
      return;
    }
    this.failures++;
    count(this.ips, event.ipSlot);
    count(this.users, event.userSlot);
    const bucket = event.time - (event.time % this.bucketMs);
    this.buckets.set(bucket, (this.buckets.get(bucket) ?? 0) + 1);
    if (this.buckets.size > MAX_BUCKETS) this.widen();
  }

  /** Doubles the bucket width so a long log still fits in a fixed number of buckets. */
  private widen(): void {
    this.bucketMs *= 2;
    const old = [...this.buckets];
    this.buckets.clear();
    for (const [start, n] of old) {
      const bucket = start - (start % this.bucketMs);
      this.buckets.set(bucket, (this.buckets.get(bucket) ?? 0) + n);
    }
  }

  topIps(): [string, number][] {
    return this.topLists().ips;
  }

  topUsers(): [string, number][] {
    return this.topLists().users;
  }

  /** Counts change only with an event (evictions included, which an event's keys cause): one pass per event count. */
  private topLists(): { ips: [string, number][]; users: [string, number][] } {
    const events = this.failures + this.successes;
    if (this.tops?.events !== events) this.tops = { events, ips: top(this.ips, this.keys.ip), users: top(this.users, this.keys.user) };
    return this.tops;
  }

  /** [bucket start ms, failures], oldest first, empty buckets included. */
  failuresOverTime(): { bucketMs: number; points: [number, number][] } {
    if (this.buckets.size === 0) return { bucketMs: this.bucketMs, points: [] };
    const starts = [...this.buckets.keys()];
    const first = Math.min(...starts);
    const last = Math.max(...starts);
    const points: [number, number][] = [];
    for (let t = first; t <= last; t += this.bucketMs) points.push([t, this.buckets.get(t) ?? 0]);
    return { bucketMs: this.bucketMs, points };
  }

  /** Flat report stats (the report schema allows only scalars). */
  stats(): Record<string, string | number> {
    const over = this.failuresOverTime();
    const out: Record<string, string | number> = {
      'summary.failures': this.failures,
      'summary.successes': this.successes,
      'summary.topIps': this.topIps().map(([k, n]) => `${k} (${n})`).join(', '),
      'summary.topUsernames': this.topUsers().map(([k, n]) => `${k} (${n})`).join(', '),
      'summary.failuresBucketSeconds': over.bucketMs / 1000,
      'summary.failuresOverTime': over.points.map(([t, n]) => `${new Date(t).toISOString()}=${n}`).join(' '),
    };
    if (Number.isFinite(this.firstTime)) {
      out['summary.firstEvent'] = new Date(this.firstTime).toISOString();
      out['summary.lastEvent'] = new Date(this.lastTime).toISOString();
    }
    return out;
  }

  /** The summary for a terminal: tables and a sparkline. */
  text(): string {
    const lines = ['Forensic summary', `  ${this.failures} failed and ${this.successes} successful logins`];
    if (Number.isFinite(this.firstTime)) lines.push(`  from ${new Date(this.firstTime).toISOString()} to ${new Date(this.lastTime).toISOString()}`);
    const table = (title: string, rows: [string, number][]): void => {
      if (rows.length === 0) return;
      lines.push(`  ${title}`);
      for (const [key, n] of rows) lines.push(`    ${String(n).padStart(8)}  ${printable(key)}`);
    };
    table('Top client IPs by failures', this.topIps());
    table('Top usernames by failures', this.topUsers());
    const over = this.failuresOverTime();
    if (over.points.length > 0) {
      const max = Math.max(...over.points.map(([, n]) => n));
      const bars = over.points.map(([, n]) => (n === 0 ? ' ' : '▁▂▃▄▅▆▇█'[Math.min(7, Math.floor((n / max) * 7.999))]!)).join('');
      lines.push(`  Failures over time (${over.bucketMs / 60_000} min per mark, peak ${max}):`, `    |${bars}|`);
    }
    return `${lines.join('\n')}\n`;
  }
}

/** Failures per key. */
type Counts = SlotTable<'n'>;

function count(counts: Counts, slot: number): void {
  if (slot < 0) return;
  counts.add(slot);
  counts.columns.n[slot]!++;
}

/** The TOP largest counts (ties by key), in one pass: the tables hold up to maxKeys entries. */
function top(counts: Counts, keys: KeySpace): [string, number][] {
  const before = (a: [string, number], b: [string, number]) => a[1] > b[1] || (a[1] === b[1] && a[0] < b[0]);
  const rows: [string, number][] = [];
  counts.forEach((slot) => {
    const n = counts.columns.n[slot]!;
    // Most keys fall short of the last row on their count alone: no row is made for them.
    if (rows.length === TOP && n < rows[TOP - 1]![1]) return;
    const row: [string, number] = [keys.key(slot), n];
    if (rows.length === TOP && !before(row, rows[TOP - 1]!)) return;
    let i = Math.min(rows.length, TOP - 1);
    rows[i] = row;
    for (; i > 0 && before(rows[i]!, rows[i - 1]!); i--) [rows[i], rows[i - 1]] = [rows[i - 1]!, rows[i]!];
  });
  return rows;
}

/** Escapes JSON leaves alone that a terminal may still act on: DEL, C1 controls (CSI), bidi overrides. */
const UNSAFE = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Attacker-chosen usernames must not drive the terminal. */
export function printable(text: string, max = 120): string {
  return JSON.stringify(text)
    .slice(1, -1)
    .replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .slice(0, max);
}
