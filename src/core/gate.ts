import type { Finding } from './finding.js';
import type { Report } from './report.js';
import { scoreFindings } from './score.js';
import { atLeast, type Severity } from './severity.js';

export interface GateOptions {
  /** Fail when the score is below this. */
  threshold?: number;
  /** Fail when a finding is at least this severe. */
  failOn?: Severity;
}

export interface GateResult {
  passed: boolean;
  /** Why it failed, one line each; empty when it passed. */
  reasons: string[];
  /** The findings the gate looked at: all, or only the new ones when a baseline was applied. */
  considered: number;
}

/**
 * With a baseline only new findings count: the threshold is checked against the score those
 * new findings alone would give, so accepted legacy debt never fails a pull request.
 */
export function evaluateGate(report: Report, options: GateOptions): GateResult {
  const counted: Finding[] = report.baseline ? report.findings.filter((f) => f.baseline === 'new') : report.findings;
  const reasons: string[] = [];
  if (options.threshold !== undefined) {
    const score = report.baseline ? scoreFindings(counted).score : report.score;
    const what = report.baseline ? `score ${score} (new findings only)` : `score ${score}`;
    if (score < options.threshold) reasons.push(`${what} is below the threshold ${options.threshold}`);
  }
  if (options.failOn !== undefined) {
    const floor = options.failOn;
    const hits = counted.filter((f) => atLeast(f.severity, floor));
    const noun = `${report.baseline ? 'new ' : ''}finding${hits.length === 1 ? '' : 's'}`;
    if (hits.length > 0) reasons.push(`${hits.length} ${noun} at or above ${floor} (--fail-on ${floor})`);
  }
  return { passed: reasons.length === 0, reasons, considered: counted.length };
}
