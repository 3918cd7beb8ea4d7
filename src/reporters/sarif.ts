import type { Finding } from '../core/finding.js';
import type { Report } from '../core/report.js';
import { cweId, type RuleMeta } from '../core/rule.js';
import { SARIF_LEVEL, SECURITY_SEVERITY } from '../core/severity.js';
import { owaspName } from '../core/taxonomy.js';
import { clean } from './sanitize.js';

const INFORMATION_URI = 'https://github.com/portcullis-security/portcullis';
const PRECISION = { high: 'high', medium: 'medium', low: 'low' } as const;

/** SARIF 2.1.0 with what GitHub code scanning reads: rule help, security-severity, partialFingerprints. */
export function renderSarif(report: Report): string {
  const rules = rulesFor(report);
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'portcullis',
            version: report.tool.version,
            semanticVersion: report.tool.version,
            informationUri: INFORMATION_URI,
            rules: rules.map(sarifRule),
          },
        },
        automationDetails: { id: `portcullis/${report.engine}/` },
        invocations: [
          {
            executionSuccessful: report.errors.length === 0,
            startTimeUtc: report.startedAt,
            toolExecutionNotifications: report.errors.map((e) => ({
              level: 'error',
              message: { text: clean(e.message, 1000) },
              ...(e.ruleId ? { associatedRule: { id: e.ruleId } } : {}),
            })),
          },
        ],
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The scanned project root' } } },
        results: report.findings.map((f) => sarifResult(f, index.get(f.ruleId))),
        properties: { target: clean(report.target, 500), score: report.score, grade: report.grade },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

/** Rules that ran, plus any rule a finding names that the report lacks metadata for. */
function rulesFor(report: Report): RuleMeta[] {
  const known = new Set(report.rules.map((r) => r.id));
  const extra = report.findings
    .filter((f) => !known.has(f.ruleId))
    .map((f): RuleMeta => ({
      id: f.ruleId,
      engine: report.engine,
      title: f.title,
      category: f.category,
      severity: f.severity,
      confidence: f.confidence,
      cwe: f.cwe.map((c) => Number(c.replace('CWE-', ''))),
      owasp: f.owasp,
      summary: f.title,
      remediation: f.remediation,
      references: [],
    }));
  const unique = new Map([...report.rules, ...extra].map((r) => [r.id, r]));
  return [...unique.values()];
}

function sarifRule(rule: RuleMeta) {
  const owasp = rule.owasp.map((id) => `${id} ${owaspName(id)}`);
  const markdown = [
    rule.summary,
    '',
    '## Fix',
    rule.remediation,
    '',
    `Category: ${rule.category}. ${owasp.join('; ')}. ${rule.cwe.map(cweId).join(', ')}.`,
    ...(rule.references.length > 0 ? ['', '## References', ...rule.references.map((r) => `- ${r}`)] : []),
  ].join('\n');
  return {
    id: rule.id,
    name: rule.id.split(/[.-]/).map((w) => (w[0] ?? '').toUpperCase() + w.slice(1)).join(''),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.summary },
    help: { text: `${rule.summary}\n\nFix: ${rule.remediation}`, markdown },
    ...(rule.references[0] ? { helpUri: rule.references[0] } : {}),
    defaultConfiguration: { level: SARIF_LEVEL[rule.severity] },
    properties: {
      tags: ['security', rule.category, ...rule.cwe.map((n) => `external/cwe/cwe-${n}`), ...rule.owasp.map((o) => `owasp/${o}`)],
      'security-severity': SECURITY_SEVERITY[rule.severity],
      precision: PRECISION[rule.confidence],
      'problem.severity': SARIF_LEVEL[rule.severity] === 'note' ? 'recommendation' : SARIF_LEVEL[rule.severity],
    },
  };
}

function sarifResult(finding: Finding, ruleIndex: number | undefined) {
  const loc = finding.location;
  const physical = loc.file
    ? {
        artifactLocation: { uri: encodeURI(loc.file), uriBaseId: '%SRCROOT%' },
        ...(loc.line ? { region: { startLine: loc.line, ...(loc.column ? { startColumn: loc.column } : {}), ...(loc.endLine ? { endLine: loc.endLine } : {}) } } : {}),
      }
    : loc.url
      ? { artifactLocation: { uri: loc.url } }
      : undefined;
  const operation = [loc.method, loc.path].filter(Boolean).join(' ');
  const location = {
    ...(physical ? { physicalLocation: physical } : {}),
    ...(operation ? { logicalLocations: [{ fullyQualifiedName: operation, kind: 'function' }] } : {}),
  };
  return {
    ruleId: finding.ruleId,
    ...(ruleIndex !== undefined ? { ruleIndex } : {}),
    level: SARIF_LEVEL[finding.severity],
    message: { text: clean(finding.message, 2000) },
    ...(physical || operation ? { locations: [location] } : {}),
    partialFingerprints: { 'portcullisFingerprint/v1': finding.fingerprint },
    ...(finding.baseline ? { baselineState: finding.baseline } : {}),
    properties: {
      severity: finding.severity,
      confidence: finding.confidence,
      category: finding.category,
      'security-severity': SECURITY_SEVERITY[finding.severity],
      ...(finding.evidence ? { evidence: clean(finding.evidence) } : {}),
    },
  };
}
