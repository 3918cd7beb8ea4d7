import type { Report } from '../core/report.js';
import { truncate } from './sanitize.js';

/**
 * The report as JSON (schema/report.schema.json). JSON.stringify escapes C0 controls; this also
 * escapes C1 controls and bidi overrides, which it leaves raw, so `cat report.json` is safe too.
 * Parsing gives back the exact same strings.
 */
export function renderJson(report: Report): string {
  const capped: Report = {
    ...report,
    findings: report.findings.map((f) => (f.evidence === undefined ? f : { ...f, evidence: truncate(f.evidence) })),
  };
  const text = JSON.stringify(capped, null, 2).replace(
    /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return `${text}\n`;
}
