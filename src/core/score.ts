import type { Confidence, Severity } from './severity.js';
import { SEVERITIES } from './severity.js';
import { compareText } from './order.js';

/**
 * Scoring, documented with worked examples in docs/scoring.md.
 *
 * Each severity band takes a penalty that grows with the confidence-weighted number of findings
 * in it but saturates at the band's cap: penalty = cap * (1 - exp(-rate * weightedCount)).
 * The score is 100 minus the sum of band penalties, then clamped under a ceiling set by the worst
 * severity present. Every term only grows with another finding, so the score is monotonic; the
 * info cap (3) is far below one critical finding's penalty, so no pile of info outweighs a critical.
 */
export interface Band {
  cap: number;
  rate: number;
  /** The highest score a report with at least one finding of this severity can have. */
  ceiling: number;
}

export const BANDS: Record<Severity, Band> = {
  critical: { cap: 60, rate: 1.2, ceiling: 49 },
  high: { cap: 40, rate: 0.8, ceiling: 74 },
  medium: { cap: 25, rate: 0.35, ceiling: 100 },
  low: { cap: 10, rate: 0.2, ceiling: 100 },
  info: { cap: 3, rate: 0.1, ceiling: 100 },
};

export const CONFIDENCE_WEIGHT: Record<Confidence, number> = { high: 1, medium: 0.75, low: 0.5 };

export const GRADE_FLOORS = [
  { grade: 'A', min: 90 },
  { grade: 'B', min: 80 },
  { grade: 'C', min: 70 },
  { grade: 'D', min: 50 },
  { grade: 'F', min: 0 },
] as const;

export type Grade = (typeof GRADE_FLOORS)[number]['grade'];

export interface Scorable {
  severity: Severity;
  confidence: Confidence;
  ruleId: string;
}

export interface Deduction {
  severity: Severity;
  count: number;
  /** Points this band took off, before the ceiling. */
  points: number;
  /** The rules in this band, most frequent first. */
  rules: { ruleId: string; count: number }[];
}

export interface ScoreResult {
  score: number;
  grade: Grade;
  deductions: Deduction[];
  /** Set when the worst severity present capped the score below what the penalties alone give. */
  ceiling?: { severity: Severity; max: number };
}

export function gradeFor(score: number): Grade {
  return (GRADE_FLOORS.find((floor) => score >= floor.min) ?? GRADE_FLOORS[GRADE_FLOORS.length - 1]!).grade;
}

export function scoreFindings(findings: readonly Scorable[]): ScoreResult {
  const deductions: Deduction[] = [];
  let penalty = 0;
  let ceiling: ScoreResult['ceiling'];
  for (const severity of SEVERITIES) {
    const inBand = findings.filter((f) => f.severity === severity);
    if (inBand.length === 0) continue;
    const band = BANDS[severity];
    const weighted = inBand.reduce((sum, f) => sum + CONFIDENCE_WEIGHT[f.confidence], 0);
    const points = band.cap * (1 - Math.exp(-band.rate * weighted));
    penalty += points;
    if (ceiling === undefined && band.ceiling < 100) ceiling = { severity, max: band.ceiling };
    deductions.push({ severity, count: inBand.length, points: round1(points), rules: countRules(inBand) });
  }
  const raw = Math.max(0, Math.floor(100 - penalty));
  const score = ceiling ? Math.min(raw, ceiling.max) : raw;
  const result: ScoreResult = { score, grade: gradeFor(score), deductions };
  if (ceiling && ceiling.max < raw) result.ceiling = ceiling;
  return result;
}

function countRules(findings: readonly Scorable[]): { ruleId: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(f.ruleId, (counts.get(f.ruleId) ?? 0) + 1);
  return [...counts.entries()]
    .map(([ruleId, count]) => ({ ruleId, count }))
    .sort((a, b) => b.count - a.count || compareText(a.ruleId, b.ruleId));
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

/** One line per band that cost points, worst first: what pulled the grade down. */
export function explainScore(result: ScoreResult): string[] {
  const lines = result.deductions.map((d) => {
    const rules = d.rules.slice(0, 3).map((r) => (r.count > 1 ? `${r.ruleId} x${r.count}` : r.ruleId));
    const more = d.rules.length > 3 ? `, +${d.rules.length - 3} more` : '';
    return `-${d.points} for ${d.count} ${d.severity} (${rules.join(', ')}${more})`;
  });
  if (result.ceiling) lines.push(`score capped at ${result.ceiling.max} because a ${result.ceiling.severity} finding is present`);
  return lines;
}
