import { cweId, type RuleMeta } from './rule.js';
import { compareText } from './order.js';
import { getCategory, owaspName } from './taxonomy.js';

/** The Markdown page of one rule, generated from its metadata (docs/rules/<id>.md and `portcullis rules <id>`). */
export function ruleDoc(rule: RuleMeta): string {
  const lines = [
    `# ${rule.id}`,
    '',
    `**${rule.title}**`,
    '',
    '| | |',
    '| --- | --- |',
    `| Engine | \`${rule.engine}\` |`,
    `| Severity | ${rule.severity} |`,
    `| Confidence | ${rule.confidence} |`,
    `| Category | ${getCategory(rule.category)?.name ?? rule.category} |`,
    `| OWASP | ${rule.owasp.map((o) => `${o} ${owaspName(o)}`).join('; ')} |`,
    `| CWE | ${rule.cwe.map((n) => `[${cweId(n)}](https://cwe.mitre.org/data/definitions/${n}.html)`).join(', ')} |`,
  ];
  if (rule.mode) lines.push(`| Mode | ${rule.mode}${rule.budget !== undefined ? `, at most ${rule.budget} requests` : ''} |`);
  lines.push('', '## What it finds', '', rule.summary, '', '## How to fix it', '', rule.remediation.trim(), '');
  lines.push('## References', '', ...rule.references.map((r) => `- ${r}`), '');
  lines.push(`Suppress with \`ignore: [${rule.id}]\` in \`.portcullis.yml\`${rule.engine === 'code' ? `, or \`# portcullis: ignore[${rule.id}] reason\` on the line` : ''}.`, '');
  return lines.join('\n');
}

/** docs/rules/README.md: the index of every rule. */
export function ruleIndexDoc(rules: readonly RuleMeta[]): string {
  const lines = ['# Rules', '', 'Generated from rule metadata by `npm run docs`; do not edit by hand.', ''];
  lines.push('| Rule | Engine | Severity | Category | Title |', '| --- | --- | --- | --- | --- |');
  for (const r of [...rules].sort((a, b) => compareText(a.id, b.id))) {
    lines.push(`| [${r.id}](${r.id}.md) | ${r.engine} | ${r.severity} | ${r.category} | ${r.title} |`);
  }
  lines.push('');
  return lines.join('\n');
}
