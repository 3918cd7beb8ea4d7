import type { RuleMeta } from '../../core/rule.js';
import { SEVERITIES, type Severity } from '../../core/severity.js';

/** What an alert is about: one client IP, one username, or every account at once. */
export type Subject = 'ip' | 'user' | 'all';

export interface AlertSample {
  time: string;
  source: string;
  line: number;
  /** The log line, truncated and redacted. */
  text: string;
}

export interface Alert {
  /** Unique within a run: rule, key and the start of the alert's window. */
  id: string;
  ruleId: string;
  subject: Subject;
  key: string;
  severity: Severity;
  /** 1 when raised; each escalation adds one (3x and 10x the threshold). */
  level: number;
  /** Events that belong to the alert. */
  count: number;
  /** The measure the rule thresholds: failures, distinct usernames or IPs, impossible hops. */
  metric: number;
  threshold: number;
  windowMs: number;
  firstSeen: number;
  lastSeen: number;
  message: string;
  samples: AlertSample[];
  details: Record<string, unknown>;
}

export type AlertChange = 'new' | 'escalated';
export type AlertListener = (alert: Alert, change: AlertChange) => void;

const MAX_SAMPLES = 5;
const ESCALATION_FACTORS = [3, 10];

export interface RaiseInput {
  subject: Subject;
  key: string;
  count: number;
  metric: number;
  threshold: number;
  windowMs: number;
  firstSeen: number;
  lastSeen: number;
  sample: AlertSample;
  details?: Record<string, unknown>;
}

/**
 * The open alerts of one rule. An event that belongs to an open alert (same key, within the window of its
 * last event) is absorbed into it: counts grow, and the alert is announced again only when it escalates.
 */
export class RuleAlerts {
  private readonly open = new Map<string, Alert>();

  constructor(
    private readonly rule: RuleMeta,
    private readonly book: AlertBook,
    private readonly describe: (alert: Alert) => string,
  ) {}

  /** The open alert for `key` if `time` still falls within its window; an expired one is closed. */
  active(key: string, time: number): Alert | undefined {
    const alert = this.open.get(key);
    if (alert === undefined) return undefined;
    if (time - alert.lastSeen <= alert.windowMs) return alert;
    this.close(key, alert);
    return undefined;
  }

  absorb(alert: Alert, time: number, sample: () => AlertSample, metric = alert.metric, details?: Record<string, unknown>): void {
    alert.count++;
    if (time > alert.lastSeen) alert.lastSeen = time;
    if (time < alert.firstSeen) alert.firstSeen = time;
    if (alert.samples.length < MAX_SAMPLES) alert.samples.push(sample());
    if (details) Object.assign(alert.details, details);
    alert.metric = Math.max(alert.metric, metric);
    const level = levelOf(alert.metric, alert.threshold);
    if (level > alert.level) {
      alert.level = level;
      alert.severity = raise(this.rule.severity, level - 1);
      alert.message = this.describe(alert);
      this.book.announce(alert, 'escalated');
    } else if (alert.count % 64 === 0) {
      alert.message = this.describe(alert);
    }
  }

  raise(input: RaiseInput): Alert {
    // At the cap of open alerts (a flood of attacking keys), the oldest open one is closed to make room.
    if (this.open.size >= this.book.maxOpen) {
      const [key, oldest] = this.open.entries().next().value as [string, Alert];
      this.close(key, oldest);
      this.book.closedEarly++;
    }
    const level = levelOf(input.metric, input.threshold);
    const alert: Alert = {
      id: `${this.rule.id}/${input.key}/${new Date(input.firstSeen).toISOString()}`,
      ruleId: this.rule.id,
      subject: input.subject,
      key: input.key,
      severity: raise(this.rule.severity, level - 1),
      level,
      count: input.count,
      metric: input.metric,
      threshold: input.threshold,
      windowMs: input.windowMs,
      firstSeen: input.firstSeen,
      lastSeen: input.lastSeen,
      message: '',
      samples: [input.sample],
      details: input.details ?? {},
    };
    alert.message = this.describe(alert);
    this.open.set(input.key, alert);
    this.book.announce(alert, 'new');
    return alert;
  }

  /** Closes alerts whose window has passed, so a later attack from the same key opens a new one. */
  sweep(watermark: number): void {
    for (const [key, alert] of this.open) if (watermark - alert.lastSeen > alert.windowMs) this.close(key, alert);
  }

  openAlerts(): Alert[] {
    for (const alert of this.open.values()) alert.message = this.describe(alert);
    return [...this.open.values()];
  }

  private close(key: string, alert: Alert): void {
    this.open.delete(key);
    alert.message = this.describe(alert);
    this.book.keep(alert);
  }
}

/** Every rule's alerts: closed ones kept (up to a cap) for the report, changes announced to the sinks. */
export class AlertBook {
  private readonly closed: Alert[] = [];
  private readonly rules: RuleAlerts[] = [];
  /** Closed alerts beyond the cap: streamed, not kept. */
  dropped = 0;
  raised = 0;
  /** Open alerts closed before their window passed, to stay within `maxOpen`. */
  closedEarly = 0;

  constructor(
    private readonly listener: AlertListener,
    private readonly maxKept: number,
    /** Open alerts per rule; each holds samples, so they are capped like everything else. */
    readonly maxOpen = maxKept,
  ) {}

  forRule(rule: RuleMeta, describe: (alert: Alert) => string): RuleAlerts {
    const alerts = new RuleAlerts(rule, this, describe);
    this.rules.push(alerts);
    return alerts;
  }

  announce(alert: Alert, change: AlertChange): void {
    if (change === 'new') this.raised++;
    this.listener(alert, change);
  }

  keep(alert: Alert): void {
    if (this.closed.length < this.maxKept) this.closed.push(alert);
    else this.dropped++;
  }

  sweep(watermark: number): void {
    for (const rule of this.rules) rule.sweep(watermark);
  }

  all(): Alert[] {
    return [...this.closed, ...this.rules.flatMap((r) => r.openAlerts())];
  }
}

/** 1, plus one per escalation factor reached (in a loop, not a filter: it runs for every event an alert absorbs). */
function levelOf(metric: number, threshold: number): number {
  let level = 1;
  for (const factor of ESCALATION_FACTORS) if (metric >= factor * Math.max(1, threshold)) level++;
  return level;
}

/** One severity step up per escalation, never past critical. */
function raise(severity: Severity, steps: number): Severity {
  const index = SEVERITIES.indexOf(severity);
  return SEVERITIES[Math.max(0, index - steps)]!;
}
