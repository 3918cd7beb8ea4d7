import { formatLocation, type Finding } from '../core/finding.js';
import type { Report } from '../core/report.js';
import { SEVERITIES } from '../core/severity.js';
import { escapeHtml, neutralizeControls, truncate } from './sanitize.js';
import { commonRange, seriesOf, type Series } from './series.js';

/** Untrusted text, capped, controls visible, HTML-escaped. */
function h(text: string, limit = 2000): string {
  return escapeHtml(neutralizeControls(truncate(text, limit)));
}

const STYLE = `
:root{--crit:#9b1c1c;--high:#d9480f;--med:#b08800;--low:#1c6ea4;--info:#6a737d;--ok:#2b8a3e}
*{box-sizing:border-box}body{font:14px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1f2328;margin:0;padding:24px;max-width:1100px;margin:auto}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
.meta{color:#57606a}.grade{display:inline-block;font-size:40px;font-weight:700;width:72px;height:72px;line-height:72px;text-align:center;border-radius:12px;color:#fff;margin-right:16px;vertical-align:middle}
.g-A,.g-B{background:var(--ok)}.g-C{background:var(--med)}.g-D{background:var(--high)}.g-F{background:var(--crit)}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #eaeef2;vertical-align:top}
.sev{font-weight:600;text-transform:uppercase;font-size:12px}.critical{color:var(--crit)}.high{color:var(--high)}.medium{color:var(--med)}.low{color:var(--low)}.info{color:var(--info)}
.finding{border:1px solid #d0d7de;border-left:6px solid var(--info);border-radius:6px;padding:10px 14px;margin:10px 0;break-inside:avoid}
.finding.sev-critical{border-left-color:var(--crit)}.finding.sev-high{border-left-color:var(--high)}.finding.sev-medium{border-left-color:var(--med)}.finding.sev-low{border-left-color:var(--low)}
pre{background:#f6f8fa;padding:8px;border-radius:4px;white-space:pre-wrap;word-break:break-all;font-size:12px;max-height:320px;overflow:auto}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace}figure{margin:8px 0;max-width:640px}header{display:flex;align-items:center}.fix{background:#eef9f0;border-radius:4px;padding:6px 10px}
.new{background:#8250df;color:#fff;border-radius:10px;padding:0 6px;font-size:11px}svg{max-width:100%}
@media print{body{padding:0;font-size:11px}pre{max-height:none}.finding{page-break-inside:avoid}a{color:inherit}}
`;

/** One self-contained page (inline CSS and SVG, no scripts, no external assets) that prints to PDF. */
export function renderHtml(report: Report): string {
  const body: string[] = [];
  body.push(
    `<header><span class="grade g-${report.grade}">${report.grade}</span><div>`,
    `<h1>portcullis ${h(report.engine)} report</h1>`,
    `<div class="meta">Target <code>${h(report.target, 500)}</code> · score <b>${report.score}</b>/100 · ${h(report.startedAt)} · ${(report.durationMs / 1000).toFixed(1)} s · portcullis ${h(report.tool.version)}</div></div></header>`,
  );
  if (report.scoreExplanation.length > 0) {
    body.push('<h2>What pulled the grade down</h2><ul>', ...report.scoreExplanation.map((l) => `<li>${h(l)}</li>`), '</ul>');
  }
  body.push('<h2>Categories</h2><table><thead><tr><th>Category</th><th>OWASP</th><th>Score</th><th>Grade</th><th>Findings</th></tr></thead><tbody>');
  for (const c of report.categories) {
    body.push(`<tr><td>${h(c.name)}</td><td>${h(c.owasp.join(', '))}</td><td>${c.score}</td><td>${c.grade}</td><td>${c.findings}</td></tr>`);
  }
  body.push('</tbody></table>');
  if (report.baseline) {
    const b = report.baseline;
    body.push(`<h2>Baseline</h2><p>${b.new} new, ${b.unchanged} unchanged, ${b.fixed.length} fixed against <code>${h(b.file, 300)}</code>.</p>`);
  }
  body.push(`<h2>Findings (${report.findings.length})</h2>`);
  if (report.findings.length === 0) body.push('<p>No findings.</p>');
  for (const severity of SEVERITIES) {
    for (const f of report.findings.filter((x) => x.severity === severity)) body.push(renderFinding(f));
  }
  if (report.series && report.series.length > 0) {
    const range = commonRange(report.series);
    body.push('<h2>Measurements</h2>', ...report.series.map((s) => chart(s, range)));
  }
  if (report.warnings.length + report.errors.length > 0) {
    body.push('<h2>Warnings and tool errors</h2><ul>');
    for (const w of report.warnings) body.push(`<li>${h(w, 500)}</li>`);
    for (const e of report.errors) body.push(`<li>${h(`${e.ruleId ? `${e.ruleId}: ` : ''}${e.message}`, 500)}</li>`);
    body.push('</ul>');
  }
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width,initial-scale=1">',
    `<title>portcullis ${h(report.engine)} report: grade ${report.grade}</title>`,
    `<style>${STYLE}</style></head><body>`,
    ...body,
    '</body></html>',
    '',
  ].join('\n');
}

function renderFinding(f: Finding): string {
  const parts = [
    `<section class="finding sev-${f.severity}">`,
    `<div><span class="sev ${f.severity}">${f.severity}</span> · <code>${h(f.ruleId)}</code> · ${h(f.title)}${f.baseline === 'new' ? ' <span class="new">new</span>' : ''}</div>`,
    `<div><b>${h(formatLocation(f.location), 500)}</b></div>`,
    `<p>${h(f.message)}</p>`,
  ];
  for (const s of seriesOf(f)) parts.push(chart(s));
  if (f.evidence) parts.push(`<pre>${h(f.evidence)}</pre>`);
  parts.push(`<div class="fix"><b>Fix.</b> <pre>${h(f.remediation, 4000)}</pre></div>`);
  parts.push(`<div class="meta">${h([...f.cwe, ...f.owasp].join(' · '))} · confidence ${f.confidence} · fingerprint <code>${h(f.fingerprint)}</code></div>`);
  parts.push('</section>');
  return parts.join('\n');
}

/** An inline SVG line chart; all numbers, so nothing untrusted reaches markup but the labels. */
function chart(series: Series, range?: [number, number]): string {
  const W = 640;
  const H = 180;
  const pad = 40;
  const pts = series.points.filter((p) => Number.isFinite(p[0]) && Number.isFinite(p[1]));
  if (pts.length < 2) return '';
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = range ?? [Math.min(...ys), Math.max(...ys)];
  const sx = (x: number) => pad + ((x - x0) / (x1 - x0 || 1)) * (W - 2 * pad);
  const sy = (y: number) => H - pad + -((y - y0) / (y1 - y0 || 1)) * (H - 2 * pad);
  const path = pts.map((p, i) => `${i === 0 ? 'M' : 'L'}${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`).join(' ');
  return [
    `<figure><svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${h(series.name, 200)}">`,
    `<rect x="0" y="0" width="${W}" height="${H}" fill="#fff"/>`,
    `<line x1="${pad}" y1="${H - pad}" x2="${W - pad}" y2="${H - pad}" stroke="#8c959f"/><line x1="${pad}" y1="${pad}" x2="${pad}" y2="${H - pad}" stroke="#8c959f"/>`,
    `<path d="${path}" fill="none" stroke="#d9480f" stroke-width="2"/>`,
    `<text x="${pad}" y="${H - 8}" font-size="11">${h(series.xLabel, 100)}: ${x0} to ${x1}</text>`,
    `<text x="${pad}" y="14" font-size="11">${h(series.yLabel, 100)}: ${y0} to ${y1}</text>`,
    `</svg><figcaption>${h(series.name, 200)}</figcaption></figure>`,
  ].join('');
}
