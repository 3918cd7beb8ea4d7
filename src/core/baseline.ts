import { readFile } from 'node:fs/promises';
import { ToolError, describeError } from './errors.js';
import type { Finding } from './finding.js';
import type { BaselineSummary, Report } from './report.js';
import { validateReport } from './report-schema.js';

/** Reads a saved JSON report; anything else is a clear error naming the file and its role. */
export async function loadReport(file: string, role = 'report'): Promise<Report> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ToolError(`cannot read ${role} ${file}: ${describeError(error)}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ToolError(`${role} ${file} is not JSON: pass a report written with --format json`);
  }
  const problems = validateReport(data);
  if (problems.length > 0) throw new ToolError(`${role} ${file} is not a portcullis JSON report: ${problems[0]}`);
  return data as Report;
}

export function loadBaseline(file: string): Promise<Report> {
  return loadReport(file, 'baseline');
}

/** Marks each finding new or unchanged and lists what the baseline had that is gone (fixed). */
export function applyBaseline(report: Report, baseline: Report, file: string): Report {
  const before = new Set(baseline.findings.map((f) => f.fingerprint));
  const now = new Set(report.findings.map((f) => f.fingerprint));
  const findings: Finding[] = report.findings.map((f) => ({ ...f, baseline: before.has(f.fingerprint) ? 'unchanged' : 'new' }));
  const fixed = baseline.findings
    .filter((f) => !now.has(f.fingerprint))
    .map((f) => ({ fingerprint: f.fingerprint, ruleId: f.ruleId, title: f.title, severity: f.severity, location: f.location }));
  const summary: BaselineSummary = {
    file,
    new: findings.filter((f) => f.baseline === 'new').length,
    unchanged: findings.filter((f) => f.baseline === 'unchanged').length,
    fixed,
  };
  return { ...report, findings, baseline: summary };
}
