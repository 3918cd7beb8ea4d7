import type { Finding } from '../core/finding.js';
import type { Report } from '../core/report.js';
import type { Severity } from '../core/severity.js';
import { neutralizeControls, truncate } from './sanitize.js';

const LEVEL: Record<Severity, string> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };

function where(f: Finding, target: string): string {
  const l = f.location;
  const place = l.file
    ? `${l.file}:${l.line ?? 1}:${l.column ?? 1}`
    : [l.method, l.url ?? `${target.replace(/\/$/, '')}${l.path ?? ''}`].filter(Boolean).join(' ');
  return neutralizeControls(truncate(place, 500));
}

/** `file:line:col: level: message [rule]`, one line per finding: what editors and grep understand. */
export function renderGcc(report: Report): string {
  return report.findings
    .map((f) => `${where(f, report.target)}: ${LEVEL[f.severity]}: ${neutralizeControls(truncate(f.message, 500)).replace(/\n/g, ' ')} [${f.ruleId}]\n`)
    .join('');
}
