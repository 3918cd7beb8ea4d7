import type { Alert, AlertChange } from '../alerts.js';
import { printable } from '../summary.js';
import { formatDuration } from '../time.js';

/** The JSON form of an alert, as streamed, written to files and posted to webhooks. */
export interface AlertPayload {
  type: 'alert';
  change: AlertChange;
  id: string;
  rule: string;
  severity: string;
  level: number;
  subject: string;
  key: string;
  count: number;
  metric: number;
  threshold: number;
  window: string;
  firstSeen: string;
  lastSeen: string;
  message: string;
  samples: Alert['samples'];
  details: Record<string, unknown>;
}

export function alertPayload(alert: Alert, change: AlertChange): AlertPayload {
  return {
    type: 'alert',
    change,
    id: alert.id,
    rule: alert.ruleId,
    severity: alert.severity,
    level: alert.level,
    subject: alert.subject,
    key: alert.key,
    count: alert.count,
    metric: alert.metric,
    threshold: alert.threshold,
    window: formatDuration(alert.windowMs),
    firstSeen: new Date(alert.firstSeen).toISOString(),
    lastSeen: new Date(alert.lastSeen).toISOString(),
    message: alert.message,
    samples: alert.samples.map((s) => ({ ...s })),
    details: structuredClone(alert.details),
  };
}

/** One terminal line per alert; attacker-chosen text is escaped. */
export function alertLine(payload: AlertPayload): string {
  const tag = payload.change === 'new' ? 'ALERT' : 'ESCALATED';
  return `${payload.lastSeen} ${tag} ${payload.severity.toUpperCase()} ${payload.rule} ${payload.subject}=${printable(payload.key)}: ${printable(payload.message, 1000)}\n`;
}
