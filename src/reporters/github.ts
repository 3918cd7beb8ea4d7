import { formatLocation } from '../core/finding.js';
import type { Report } from '../core/report.js';
import type { Severity } from '../core/severity.js';
import { neutralizeControls, truncate } from './sanitize.js';

const COMMAND: Record<Severity, 'error' | 'warning' | 'notice'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'notice',
  info: 'notice',
};

/** Workflow-command escaping: data may not end the command or forge a new one on another line. */
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** GitHub Actions annotations (`::error file=…,line=…::message`), one per finding. */
export function renderGithub(report: Report): string {
  const lines = report.findings.map((f) => {
    const props: string[] = [];
    if (f.location.file) props.push(`file=${escapeProperty(neutralizeControls(f.location.file))}`);
    if (f.location.line) props.push(`line=${f.location.line}`);
    if (f.location.column) props.push(`col=${f.location.column}`);
    props.push(`title=${escapeProperty(truncate(`${f.ruleId}: ${f.title}`, 200))}`);
    const where = f.location.file ? '' : `${formatLocation(f.location)}: `;
    return `::${COMMAND[f.severity]} ${props.join(',')}::${escapeData(neutralizeControls(truncate(`${where}${f.message}`, 1000)))}`;
  });
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}
