import { createRequire } from 'node:module';
import type { Finding } from './finding.js';
import { metaOf, type Engine, type RuleMeta } from './rule.js';
import { explainScore, scoreFindings, type Grade } from './score.js';
import { compareSeverity } from './severity.js';
import { CATEGORIES, getCategory, type CategoryId } from './taxonomy.js';
import { compareText } from './order.js';

const packageJson = createRequire(import.meta.url)('../../package.json') as { version: string };
export const TOOL_VERSION: string = packageJson.version;

export interface CategoryScore {
  id: CategoryId;
  name: string;
  owasp: string[];
  score: number;
  grade: Grade;
  findings: number;
}

/** A rule that threw or could not run: the run goes on, the report says so. */
export interface ToolErrorEntry {
  ruleId?: string;
  message: string;
}

export interface BaselineSummary {
  file: string;
  new: number;
  unchanged: number;
  fixed: { fingerprint: string; ruleId: string; title: string; severity: string; location: Finding['location'] }[];
}

/** A measurement over the run, e.g. a server's RSS against requests sent; text draws a sparkline, HTML a chart. */
export interface MeasuredSeries {
  name: string;
  xLabel: string;
  yLabel: string;
  points: [number, number][];
}

export interface Report {
  tool: { name: 'portcullis'; version: string };
  engine: Engine;
  target: string;
  startedAt: string;
  durationMs: number;
  score: number;
  grade: Grade;
  /** What pulled the score down, worst first. */
  scoreExplanation: string[];
  categories: CategoryScore[];
  findings: Finding[];
  /** Metadata of every rule that ran, so reporters stay pure (SARIF rules, JUnit test cases). */
  rules: RuleMeta[];
  stats: Record<string, number | string | boolean>;
  errors: ToolErrorEntry[];
  warnings: string[];
  baseline?: BaselineSummary;
  /** Measured series (probe: RSS during the memory check), present whether or not a rule fired. */
  series?: MeasuredSeries[];
}

export interface ReportInput {
  engine: Engine;
  target: string;
  startedAt: Date;
  finishedAt?: Date;
  findings: Finding[];
  rules: readonly RuleMeta[];
  stats?: Record<string, number | string | boolean>;
  errors?: ToolErrorEntry[];
  warnings?: string[];
  series?: MeasuredSeries[];
}

export function buildReport(input: ReportInput): Report {
  const findings = disambiguate(sortFindings(dedupe(input.findings)));
  const overall = scoreFindings(findings);
  const rules = [...input.rules].map(metaOf).sort((a, b) => compareText(a.id, b.id));
  return {
    tool: { name: 'portcullis', version: TOOL_VERSION },
    engine: input.engine,
    target: input.target,
    startedAt: input.startedAt.toISOString(),
    durationMs: Math.max(0, (input.finishedAt ?? new Date()).getTime() - input.startedAt.getTime()),
    score: overall.score,
    grade: overall.grade,
    scoreExplanation: explainScore(overall),
    categories: scoreCategories(findings, rules),
    findings,
    rules,
    stats: input.stats ?? {},
    errors: input.errors ?? [],
    warnings: input.warnings ?? [],
    ...(input.series && input.series.length > 0 ? { series: input.series } : {}),
  };
}

/** Categories covered by the rules that ran (plus any a finding names), in taxonomy order. */
export function scoreCategories(findings: readonly Finding[], rules: readonly RuleMeta[]): CategoryScore[] {
  const ids = new Set<string>([...rules.map((r) => r.category), ...findings.map((f) => f.category)]);
  return CATEGORIES.filter((c) => ids.has(c.id)).map((c) => {
    const inCategory = findings.filter((f) => f.category === c.id);
    const result = scoreFindings(inCategory);
    return { id: c.id, name: c.name, owasp: [...c.owasp], score: result.score, grade: result.grade, findings: inCategory.length };
  });
}

export function categoryName(id: string): string {
  return getCategory(id)?.name ?? id;
}

/** Worst first, then by rule and place, so every run prints the same order. */
export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      compareSeverity(a.severity, b.severity) ||
      compareText(a.ruleId, b.ruleId) ||
      compareText(a.location.file ?? a.location.path ?? '', b.location.file ?? b.location.path ?? '') ||
      (a.location.line ?? 0) - (b.location.line ?? 0) ||
      compareText(a.fingerprint, b.fingerprint),
  );
}

/** Drops exact repeats: same fingerprint at the same place with the same message. */
function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.fingerprint}|${f.location.line ?? ''}|${f.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

/**
 * Distinct occurrences that share a fingerprint (two lines of one function, say) get an
 * occurrence suffix in report order, the way GitHub code scanning numbers line hashes.
 */
function disambiguate(findings: Finding[]): Finding[] {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const n = (seen.get(f.fingerprint) ?? 0) + 1;
    seen.set(f.fingerprint, n);
    return n === 1 ? f : { ...f, fingerprint: `${f.fingerprint}:${n}` };
  });
}
