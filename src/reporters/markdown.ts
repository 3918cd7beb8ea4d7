import { formatLocation } from '../core/finding.js';
import type { Report } from '../core/report.js';
import { SEVERITIES } from '../core/severity.js';
import { escapeMarkdown, truncate } from './sanitize.js';
import { commonRange, sparkline } from './series.js';

const ICON = { critical: '🟥', high: '🟧', medium: '🟨', low: '🟦', info: '⬜' } as const;
const MAX_ROWS = 50;

/** A compact pull-request comment: grade, counts, new findings first, a table capped at 50 rows. */
export function renderMarkdown(report: Report): string {
  const out: string[] = [];
  out.push(`### portcullis ${report.engine}: grade **${report.grade}** (${report.score}/100)`, '');
  const counts = SEVERITIES.map((s) => `${ICON[s]} ${report.findings.filter((f) => f.severity === s).length} ${s}`);
  out.push(counts.join(' · '), '');
  if (report.baseline) {
    const b = report.baseline;
    out.push(`Against baseline: **${b.new} new**, ${b.unchanged} unchanged, ${b.fixed.length} fixed.`, '');
  }
  if (report.scoreExplanation.length > 0) {
    out.push('<details><summary>What pulled the grade down</summary>', '');
    for (const line of report.scoreExplanation) out.push(`- ${escapeMarkdown(line)}`);
    out.push('', '</details>', '');
  }
  const ordered = [...report.findings].sort((a, b) => Number(b.baseline === 'new') - Number(a.baseline === 'new'));
  if (ordered.length === 0) {
    out.push('No findings. ✅');
  } else {
    out.push('| Severity | Rule | Where | Finding |', '| --- | --- | --- | --- |');
    for (const f of ordered.slice(0, MAX_ROWS)) {
      const isNew = f.baseline === 'new' ? ' **new**' : '';
      out.push(
        `| ${ICON[f.severity]} ${f.severity}${isNew} | \`${f.ruleId}\` | ${escapeMarkdown(truncate(formatLocation(f.location), 200))} | ${escapeMarkdown(truncate(f.message, 300))} |`,
      );
    }
    if (ordered.length > MAX_ROWS) out.push('', `…and ${ordered.length - MAX_ROWS} more in the full report.`);
  }
  if (report.series && report.series.length > 0) {
    // The probe's RSS during the memory check, on one scale so the phases compare by eye.
    const range = commonRange(report.series);
    out.push('', '**Measurements**', '');
    for (const series of report.series) {
      const ys = series.points.map((p) => p[1]);
      const span = ys.length > 0 ? `${Math.min(...ys)} to ${Math.max(...ys)}` : 'no points';
      out.push(`- ${escapeMarkdown(truncate(series.name, 100))}: \`${sparkline(series.points, 40, range)}\` ${escapeMarkdown(truncate(series.yLabel, 60))} ${span}`);
    }
  }
  out.push('', `<sub>portcullis ${report.tool.version} · target ${escapeMarkdown(truncate(report.target, 200))}</sub>`, '');
  return out.join('\n');
}
