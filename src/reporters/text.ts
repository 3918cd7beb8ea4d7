import pc from 'picocolors';
import { formatLocation, type Finding } from '../core/finding.js';
import type { Report } from '../core/report.js';
import { SEVERITIES, type Severity } from '../core/severity.js';
import { clean } from './sanitize.js';
import { commonRange, seriesOf, sparkline, type Series } from './series.js';

export interface TextOptions {
  color: boolean;
}

type Colors = ReturnType<typeof pc.createColors>;

const SEVERITY_COLOR: Record<Severity, (c: Colors, s: string) => string> = {
  critical: (c, s) => c.bold(c.red(s)),
  high: (c, s) => c.red(s),
  medium: (c, s) => c.yellow(s),
  low: (c, s) => c.cyan(s),
  info: (c, s) => c.dim(s),
};

const GRADE_COLOR: Record<string, (c: Colors, s: string) => string> = {
  A: (c, s) => c.green(s),
  B: (c, s) => c.green(s),
  C: (c, s) => c.yellow(s),
  D: (c, s) => c.red(s),
  F: (c, s) => c.bold(c.red(s)),
};

/** The terminal report: grade first, then why, then every finding with its proof and its fix. */
export function renderText(report: Report, options: TextOptions): string {
  const c = pc.createColors(options.color);
  const out: string[] = [];
  const seconds = (report.durationMs / 1000).toFixed(1);
  out.push(`${c.bold('portcullis')} ${report.engine}  ${clean(report.target, 300)}  ${c.dim(`(${seconds}s)`)}`, '');
  const grade = (GRADE_COLOR[report.grade] ?? ((_c, s) => s))(c, `Grade ${report.grade}`);
  out.push(`  ${c.bold(grade)}   Score ${report.score}/100   ${summaryCounts(report.findings)}`);
  if (report.scoreExplanation.length > 0) {
    out.push('', `  ${c.bold('What pulled the grade down')}`);
    for (const line of report.scoreExplanation) out.push(`    ${line}`);
  }
  if (report.categories.length > 0) {
    out.push('', `  ${c.bold(pad('Category', 28))}${pad('Score', 7)}${pad('Grade', 7)}Findings`);
    for (const cat of report.categories) {
      out.push(`  ${pad(cat.name, 28)}${pad(String(cat.score), 7)}${pad(cat.grade, 7)}${cat.findings}`);
    }
  }
  // A rule's code sketch is shown at its first finding only; repeating it would bury the rest.
  const sketched = new Set<string>();
  for (const severity of SEVERITIES) {
    const group = report.findings.filter((f) => f.severity === severity);
    if (group.length === 0) continue;
    out.push('', SEVERITY_COLOR[severity](c, `  ${severity.toUpperCase()} (${group.length})`));
    for (const finding of group) {
      out.push(...renderFinding(finding, c, !sketched.has(finding.ruleId)));
      sketched.add(finding.ruleId);
    }
  }
  if (report.findings.length === 0) out.push('', c.green('  No findings.'));
  if (report.series && report.series.length > 0) {
    out.push('', `  ${c.bold('Measurements')}`);
    const range = commonRange(report.series);
    for (const series of report.series) out.push(seriesLine(series, c, range));
  }
  if (report.baseline) {
    const b = report.baseline;
    out.push('', `  Baseline ${clean(b.file, 300)}: ${b.new} new, ${b.unchanged} unchanged, ${b.fixed.length} fixed`);
    for (const fixed of b.fixed.slice(0, 20)) out.push(c.green(`    fixed  ${fixed.ruleId}  ${clean(formatLocation(fixed.location), 200)}`));
  }
  for (const warning of report.warnings) out.push(c.yellow(`  warning: ${clean(warning, 500)}`));
  for (const error of report.errors) out.push(c.red(`  tool error${error.ruleId ? ` in ${error.ruleId}` : ''}: ${clean(error.message, 500)}`));
  out.push('');
  return out.join('\n');
}

function renderFinding(finding: Finding, c: Colors, withSketch: boolean): string[] {
  const lines: string[] = [];
  const tag = finding.baseline === 'new' ? c.magenta(' [new]') : '';
  lines.push(`  ${SEVERITY_COLOR[finding.severity](c, '●')} ${c.bold(finding.ruleId)}  ${clean(finding.title, 200)}${tag}`);
  lines.push(`    ${c.underline(clean(formatLocation(finding.location), 300))}`);
  lines.push(...wrap(clean(finding.message, 1000), 96).map((l) => `    ${l}`));
  for (const series of seriesOf(finding)) lines.push(seriesLine(series, c));
  if (finding.evidence) {
    lines.push(`    ${c.dim('evidence:')}`);
    const evidence = clean(finding.evidence, 800).split('\n').slice(0, 12);
    for (const l of evidence) lines.push(c.dim(`      | ${l}`));
  }
  const fix = firstParagraph(finding.remediation);
  const code = firstCodeBlock(finding.remediation);
  const sketch = withSketch ? code : [];
  if (fix) {
    const prose = !fix.endsWith(':') || sketch.length > 0 ? fix : `${fix.slice(0, -1)}${code.length > 0 ? ' (sketch above)' : ''}.`;
    lines.push(...wrap(`fix: ${clean(prose, 600)}`, 96).map((l) => `    ${c.green(l)}`));
  }
  for (const l of sketch) lines.push(`      ${c.green(clean(l, 200))}`);
  lines.push(c.dim(`    docs: portcullis rules ${finding.ruleId}`));
  return lines;
}

function seriesLine(series: Series, c: Colors, scale?: [number, number]): string {
  const ys = series.points.map((p) => p[1]);
  const range = ys.length > 0 ? `${Math.min(...ys)} to ${Math.max(...ys)}` : 'no points';
  return `    ${clean(series.name, 100)}: ${sparkline(series.points, 60, scale)}  ${c.dim(`${clean(series.yLabel, 60)} ${range}`)}`;
}

function summaryCounts(findings: readonly Finding[]): string {
  const parts = SEVERITIES.map((s) => [s, findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`);
  return parts.length > 0 ? parts.join(', ') : 'no findings';
}

/** The prose before the first code block, without Markdown markers: enough to act on in a terminal. */
function firstParagraph(markdown: string): string {
  const prose = markdown.split(/\n\s*\n|```/)[0] ?? '';
  return prose.replace(/[`*_]/g, '').replace(/\s+/g, ' ').trim();
}

const SKETCH_LINES = 14;

/** The lines of the remediation's first fenced code block, capped for the terminal. */
function firstCodeBlock(markdown: string): string[] {
  const match = /```[^\n]*\n([\s\S]*?)```/.exec(markdown);
  if (!match?.[1]) return [];
  const lines = match[1].replace(/\s+$/, '').split('\n');
  return lines.length > SKETCH_LINES ? [...lines.slice(0, SKETCH_LINES), '...'] : lines;
}

function pad(text: string, width: number): string {
  return text.length >= width ? `${text.slice(0, width - 1)} ` : text + ' '.repeat(width - text.length);
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      if (line && line.length + word.length + 1 > width) {
        lines.push(line);
        line = word;
      } else {
        line = line ? `${line} ${word}` : word;
      }
    }
    lines.push(line);
  }
  return lines;
}
